"""Where instructors meet the item-writing checks in /teach/: a "Question checks"
list per quiz with links to edit, dismissal with a reason (kept) and its undoing,
and the statistics page showing each question's findings beside its figures."""

import pytest
from django.urls import reverse

from quizzes.models import CheckDismissal
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db

CUED = {
    "key": "cued",
    "type": "truefalse",
    "title": "Cued",
    "text": "Peru only trains with Chile.",
    "correct": False,
}


@pytest.fixture
def quiz(course):
    return make_quiz(course, questions=(SINGLE, TRUEFALSE, CUED))


def _checks(course, quiz):
    return reverse("teach:checks", args=[course.slug, quiz.slug])


def test_the_quiz_checks_page_lists_findings_with_a_link_to_edit(
    teacher_client, course, quiz
):
    page = teacher_client.get(_checks(course, quiz)).content.decode()
    cued = question(course, "check", "cued")
    assert 'data-check="absolute-word-cue" data-question="check-cued"' in page
    assert "Found: false statement says &#x27;only&#x27;" in page
    assert reverse("admin:quizzes_question_change", args=[cued.pk]) in page
    assert 'data-question="check-amazon"' not in page


def test_errors_come_first(teacher_client, course):
    single_select_all = {
        "key": "select",
        "type": "single",
        "title": "Contradiction",
        "text": "Which city? Select all that apply.",
        "options": [
            {"id": "a", "text": "Lima", "fraction": 1.0, "feedback": ""},
            {"id": "b", "text": "Quito", "fraction": 0.0, "feedback": ""},
            {"id": "c", "text": "Cusco", "fraction": 0.0, "feedback": ""},
        ],
    }
    quiz = make_quiz(course, slug="order", questions=(CUED, single_select_all))
    page = teacher_client.get(_checks(course, quiz)).content.decode()
    assert page.index("contradictory-instructions") < page.index("absolute-word-cue")


def test_the_gradebook_links_each_quiz_to_its_checks(teacher_client, course, quiz):
    page = teacher_client.get(reverse("teach:gradebook", args=[course.slug]))
    assert _checks(course, quiz) in page.content.decode()


def test_a_check_is_dismissed_with_a_reason_kept_and_can_be_shown_again(
    teacher_client, instructor, course, quiz
):
    cued = question(course, "check", "cued")
    dismiss = reverse("teach:check-dismiss", args=[course.slug, quiz.slug])
    post = {
        "prefix": "d0",
        "d0-question": cued.pk,
        "d0-check_name": "absolute-word-cue",
        "d0-reason": "The word is the point of the item.",
    }
    response = teacher_client.post(dismiss, post)

    assert response.status_code == 302
    row = CheckDismissal.objects.get()
    assert (row.check_name, row.reason, row.dismissed_by) == (
        "absolute-word-cue",
        "The word is the point of the item.",
        instructor,
    )
    assert row.question_version == cued.version
    page = teacher_client.get(_checks(course, quiz)).content.decode()
    assert 'data-question="check-cued"' not in page
    assert "The word is the point of the item." in page  # the dismissed list

    restore = reverse("teach:check-restore", args=[course.slug, quiz.slug])
    assert teacher_client.post(restore, {"dismissal": row.pk}).status_code == 302
    row.refresh_from_db()
    assert row.restored_at is not None and row.restored_by == instructor
    page = teacher_client.get(_checks(course, quiz)).content.decode()
    assert 'data-question="check-cued"' in page
    assert CheckDismissal.objects.count() == 1  # the trail stays


def test_a_dismissal_without_a_reason_is_refused(teacher_client, course, quiz):
    cued = question(course, "check", "cued")
    dismiss = reverse("teach:check-dismiss", args=[course.slug, quiz.slug])
    teacher_client.post(
        dismiss,
        {"prefix": "d0", "d0-question": cued.pk, "d0-check_name": "absolute-word-cue"},
    )
    assert not CheckDismissal.objects.exists()


def test_another_courses_quiz_and_question_are_out_of_reach(
    teacher_client, course, other_course
):
    other = make_quiz(other_course, questions=(CUED,))
    assert teacher_client.get(_checks(other_course, other)).status_code == 404
    mine = make_quiz(course, slug="mine", questions=(SINGLE,))
    foreign = question(other_course, "check", "cued")
    response = teacher_client.post(
        reverse("teach:check-dismiss", args=[course.slug, mine.slug]),
        {
            "prefix": "d0",
            "d0-question": foreign.pk,
            "d0-check_name": "absolute-word-cue",
            "d0-reason": "mine now",
        },
    )
    assert response.status_code == 404
    assert not CheckDismissal.objects.exists()


def test_students_cannot_open_the_checks(client, student, course, quiz):
    client.force_login(student)
    assert client.get(_checks(course, quiz)).status_code == 403


def test_the_statistics_page_shows_findings_beside_facility_and_discrimination(
    teacher_client, course, quiz, enrolled
):
    for student in enrolled(*[f"s{n:02d}" for n in range(12)]):
        take(quiz, student, {"capital": "Lima", "amazon": "true", "cued": "false"})
    page = teacher_client.get(
        reverse("teach:statistics", args=[course.slug, quiz.slug])
    ).content.decode()
    cued = question(course, "check", "cued")
    row = page.split(f'data-question="{cued.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="item-checks"' in row
    assert "absolute word" in row and "&#x27;only&#x27;" in row
    # Very easy (everybody right) and its cue, in one place.
    assert "Very easy" in page.split('data-testid="flagged"', 1)[1].split("</ul>")[0]
    assert _checks(course, quiz) in page
