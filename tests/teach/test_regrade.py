"""Regrading after an answer key changes: the dry run says what would change and
writes nothing; applying it changes exactly that, audits every changed score and
shows students the new result."""

import pytest
from django.urls import reverse

from lessons.models import LessonProgress
from quizzes import grading_services
from quizzes.models import AttemptState, GradeChange, Response
from quizzes.services import attempt_start, question_bank_import
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, quiz_data, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    lesson = course.lessons.order_by("module__position", "position").first()
    return make_quiz(course, questions=(SINGLE, TRUEFALSE), lesson=lesson.slug)


@pytest.fixture
def attempts(quiz, enrolled):
    ana, bo, cy = enrolled("ana", "bo", "cy")
    return {
        "ana": take(quiz, ana, {"capital": "Quito", "amazon": "true"}),  # 1 of 2
        "bo": take(quiz, bo, {"capital": "Lima", "amazon": "true"}),  # 2 of 2
        "cy": take(quiz, cy, {"capital": "Cusco", "amazon": "false"}),  # 0 of 2
    }


def _fix_key(course, *, right: str):
    """What an instructor does in the admin: make another option the right one."""
    capital = question(course, "check", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == right else 0.0
        answer.save()
    return capital


def test_the_dry_run_lists_changed_attempts_and_flips_and_writes_nothing(
    course, attempts
):
    capital = _fix_key(course, right="Quito")
    before = list(Response.objects.values_list("pk", "score", "snapshot"))

    plan = grading_services.regrade_preview(course=course, question=capital)

    assert plan.checked == 3
    assert plan.unchanged == 1  # cy chose Cusco: 0 before and after
    changed = {a.user.username: a for a in plan.changed}
    assert set(changed) == {"ana", "bo"}
    assert (changed["ana"].old_score, changed["ana"].new_score) == (1, 2)
    assert (changed["ana"].old_passed, changed["ana"].new_passed) == (True, True)
    assert (changed["bo"].old_score, changed["bo"].new_score) == (2, 1)
    assert not changed["bo"].pass_flipped  # 50% still passes (pass mark 0.5)
    assert list(Response.objects.values_list("pk", "score", "snapshot")) == before
    assert not GradeChange.objects.exists()


def test_applying_changes_scores_totals_and_writes_one_audit_row_per_change(
    course, attempts, instructor
):
    capital = _fix_key(course, right="Quito")

    plan = grading_services.regrade_apply(
        course=course, question=capital, user=instructor
    )

    assert plan.responses_changed == 2
    ana, bo = attempts["ana"], attempts["bo"]
    ana.refresh_from_db()
    bo.refresh_from_db()
    assert (ana.score, bo.score) == (2, 1)
    changes = GradeChange.objects.order_by("attempt__user__username")
    assert [(c.kind, c.old_score, c.new_score) for c in changes] == [
        (GradeChange.Kind.REGRADE, 0, 1),
        (GradeChange.Kind.REGRADE, 1, 0),
    ]
    assert all(c.changed_by == instructor and c.reason for c in changes)
    # Applying again finds nothing left to change.
    assert (
        grading_services.regrade_preview(course=course, question=capital).changed == []
    )


def test_students_see_the_new_key_in_their_review(course, attempts, client):
    capital = _fix_key(course, right="Quito")
    grading_services.regrade_apply(course=course, question=capital, user=None)
    response = Response.objects.get(attempt=attempts["ana"], question=capital)
    right = [o["text"] for o in response.snapshot["options"] if o["fraction"] == 1]
    assert right == ["Quito"]
    assert response.fraction == 1
    client.force_login(attempts["ana"].user)
    page = client.get(
        reverse("quizzes:attempt-result", args=[attempts["ana"].pk])
    ).content.decode()
    assert "2 / 2" in page


def test_a_regrade_that_makes_an_attempt_pass_completes_the_lesson(
    course, quiz, enrolled
):
    (dee,) = enrolled("dee")
    attempt = take(quiz, dee, {"capital": "Quito", "amazon": "false"})  # 0 of 2
    assert attempt.passed is False
    capital = _fix_key(course, right="Quito")

    plan = grading_services.regrade_apply(course=course, question=capital, user=None)

    assert plan.pass_flips == 1
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert LessonProgress.objects.get(user=dee, lesson=quiz.lesson).completed_at


def test_answers_graded_by_hand_keep_their_score(course, attempts, instructor):
    ana_capital = Response.objects.get(
        attempt=attempts["ana"], question__key="check-capital"
    )
    grading_services.response_override(
        response=ana_capital, score=0.5, reason="Half credit", user=instructor
    )
    capital = _fix_key(course, right="Quito")

    plan = grading_services.regrade_apply(
        course=course, question=capital, user=instructor
    )

    assert plan.skipped == {grading_services.GRADED_BY_HAND: 1}
    ana_capital.refresh_from_db()
    assert ana_capital.score == 0.5


def test_previews_and_attempts_in_progress_are_not_regraded(course, quiz, staff):
    attempt_start(quiz=quiz, user=staff, preview=True)
    capital = _fix_key(course, right="Quito")
    plan = grading_services.regrade_preview(course=course, question=capital)
    assert plan.checked == 0


def test_a_reimported_question_keeps_its_option_ids_and_regrades(course, attempts):
    """An import updates answer rows in place: the options the students chose
    keep their ids, and the regrade applies the imported key."""
    data = quiz_data("check", [SINGLE, TRUEFALSE], title="Check")
    for q in data["questions"]:
        q["key"] = f"check-{q['key']}"
    for option in data["questions"][0]["options"]:
        option["fraction"] = 1.0 if option["text"] == "Quito" else 0.0
    capital = question(course, "check", "capital")
    old_ids = set(capital.answers.values_list("pk", flat=True))
    question_bank_import(course=course, data={"quizzes": [data]})
    assert set(capital.answers.values_list("pk", flat=True)) == old_ids

    plan = grading_services.regrade_preview(course=course, question=capital)

    assert {a.user.username for a in plan.changed} == {"ana", "bo"}
    assert plan.skipped == {}


def test_a_whole_quiz_can_be_regraded(course, quiz, attempts, instructor):
    _fix_key(course, right="Quito")
    amazon = question(course, "check", "amazon")
    amazon.answers.filter(text="True").update(fraction=0.0)
    amazon.answers.filter(text="False").update(fraction=1.0)

    plan = grading_services.regrade_apply(course=course, quiz=quiz, user=instructor)

    assert plan.checked == 6
    for name, expected in {"ana": 1, "bo": 0, "cy": 1}.items():
        attempts[name].refresh_from_db()
        assert attempts[name].score == expected, name


def test_an_attempt_waiting_for_an_essay_stays_waiting(course, enrolled, instructor):
    from tests.teach.conftest import ESSAY

    quiz = make_quiz(course, slug="mixed", questions=(SINGLE, ESSAY))
    (eve,) = enrolled("eve")
    attempt = take(quiz, eve, {"capital": "Quito", "essay": "Text"})
    capital = question(course, "mixed", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == "Quito" else 0.0
        answer.save()

    plan = grading_services.regrade_apply(
        course=course, question=capital, user=instructor
    )

    (change,) = plan.changed
    assert change.new_state == AttemptState.NEEDS_GRADING
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.NEEDS_GRADING and attempt.score is None
    assert Response.objects.get(attempt=attempt, question=capital).score == 1


def test_the_regrade_page_shows_the_dry_run_then_applies_it(
    teacher_client, course, attempts
):
    capital = _fix_key(course, right="Quito")
    url = reverse("teach:regrade", args=[course.slug]) + f"?question={capital.pk}"

    page = teacher_client.get(url)
    assert page.status_code == 200
    assert 'data-testid="dry-run"' in page.content.decode()
    assert not GradeChange.objects.exists()

    applied = teacher_client.post(url, {"reason": "Key typo fixed"})
    assert applied.status_code == 302
    assert set(GradeChange.objects.values_list("reason", flat=True)) == {
        "Key typo fixed"
    }


def test_the_dry_run_names_students_as_the_staff_area_does(
    teacher_client, course, attempts
):
    ana = attempts["ana"].user
    ana.first_name, ana.last_name = "Ana", "Castro"
    ana.save(update_fields=["first_name", "last_name"])
    capital = _fix_key(course, right="Quito")
    url = reverse("teach:regrade", args=[course.slug]) + f"?question={capital.pk}"

    page = teacher_client.get(url).content.decode()

    assert "Ana Castro (ana)</a>" in page
    assert ">bo</a>" in page


def test_the_regrade_page_without_a_target_offers_a_choice(
    teacher_client, course, quiz
):
    page = teacher_client.get(reverse("teach:regrade", args=[course.slug]))
    assert page.status_code == 200
    assert 'name="question"' in page.content.decode()


@pytest.mark.parametrize(
    "query", ["?question=abc", "?question=1&quiz=check", "?quiz=no%20slug"]
)
def test_a_malformed_regrade_target_is_a_400(teacher_client, course, quiz, query):
    url = reverse("teach:regrade", args=[course.slug]) + query
    assert teacher_client.get(url).status_code == 400


def test_regrade_never_runs_from_a_get(teacher_client, course, attempts):
    capital = _fix_key(course, right="Quito")
    url = reverse("teach:regrade", args=[course.slug]) + f"?question={capital.pk}"
    teacher_client.get(url)
    teacher_client.get(url + "&apply=1")
    assert not GradeChange.objects.exists()
