"""Saving answers never loses one: each question on the attempt page carries the
sequence number of the state it showed (Moodle's ``sequencecheck``), only changed
answers are written, a stale one is reported instead of written, an untouched
essay template is no answer, and an honest mistake is shown on the page while the
other answers are kept."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from lessons.importing import parse_markdown
from lessons.models import Lesson
from lessons.services import course_import, course_set_published, lesson_set_published
from quizzes import grading, presenting, services
from quizzes.models import Attempt, AttemptState, Response
from tests.factories import EnrollmentFactory, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import attempt_url, by_type, responses_state, text_of

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        questions=[sample("shortanswer"), sample("truefalse"), sample("essay")],
    )


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    return services.attempt_start(quiz=quiz, user=student)


def sequences_shown(html: str) -> dict[str, str]:
    """The hidden ``q<position>-seq`` fields of an attempt page."""
    return dict(re.findall(r'name="(q\d+-seq)" value="(\d+)"', html))


def page_form(client, attempt) -> dict:
    """What a browser would post untouched from a freshly loaded page."""
    html = client.get(attempt_url(attempt)).content.decode()
    data = {"page": "1", "action": "save", **sequences_shown(html)}
    for name, value in re.findall(
        r'<input class="form-control[^"]*" type="text"[^>]*name="(q\d+)"[^>]*'
        r'value="([^"]*)"',
        html,
    ):
        data[name] = value
    for name, value in re.findall(r'<textarea[^>]*name="(q\d+)"[^>]*>([^<]*)<', html):
        data[name] = value
    return data


# --------------------------------------------------------------------------
# Two tabs on one attempt


def test_the_page_carries_the_sequence_of_every_question(enrolled_client, attempt):
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert sequences_shown(html) == {"q0-seq": "0", "q1-seq": "0", "q2-seq": "0"}


def test_an_older_tab_does_not_wipe_an_answer_saved_in_another(
    enrolled_client, attempt
):
    tab_a = page_form(enrolled_client, attempt)
    tab_b = page_form(enrolled_client, attempt)

    enrolled_client.post(attempt_url(attempt), {**tab_a, "q0": "Lima"})
    response = enrolled_client.post(
        attempt_url(attempt), {**tab_b, "q1": "true"}, follow=True
    )

    rows = by_type(attempt)
    assert rows["shortanswer"].answer == "Lima"
    assert rows["truefalse"].answer is True
    page = text_of(response.content.decode())
    assert "Question 1 was changed in another window" in page
    # The page shows the current answer, not the stale one.
    assert 'value="Lima"' in response.content.decode()


def test_a_stale_answer_is_refused_even_when_typed(enrolled_client, attempt):
    tab_a = page_form(enrolled_client, attempt)
    tab_b = page_form(enrolled_client, attempt)
    enrolled_client.post(attempt_url(attempt), {**tab_a, "q0": "Lima"})

    enrolled_client.post(attempt_url(attempt), {**tab_b, "q0": "Quito"})

    assert by_type(attempt)["shortanswer"].answer == "Lima"


def test_an_unchanged_answer_is_not_written_again(enrolled_client, attempt):
    form = page_form(enrolled_client, attempt)
    enrolled_client.post(attempt_url(attempt), {**form, "q0": "Lima"})
    before = responses_state(attempt)
    sequence = Response.objects.get(attempt=attempt, position=0).sequence

    enrolled_client.post(attempt_url(attempt), page_form(enrolled_client, attempt))

    assert responses_state(attempt) == before
    assert Response.objects.get(attempt=attempt, position=0).sequence == sequence


def test_every_write_bumps_the_sequence(attempt):
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})
    services.attempt_save_answers(attempt=attempt, answers={0: "Quito"})
    services.attempt_save_answers(attempt=attempt, answers={0: "Quito"})

    assert Response.objects.get(attempt=attempt, position=0).sequence == 2


def test_a_post_without_sequences_never_wipes_a_saved_answer(enrolled_client, attempt):
    """An old or forged form without the sequence fields counts as showing the
    first state: it may answer a question nobody answered, never overwrite."""
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})

    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "save", "q0": "", "q1": "true"}
    )

    rows = by_type(attempt)
    assert rows["shortanswer"].answer == "Lima"
    assert rows["truefalse"].answer is True


@pytest.mark.parametrize("value", ["x", "-1", "1.5", "²", ""])
def test_a_malformed_sequence_is_refused(enrolled_client, attempt, value):
    before = responses_state(attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0-seq": value, "q0": "Lima"}
    )

    assert response.status_code == 400
    assert responses_state(attempt) == before


def test_the_service_reports_conflicts_and_saves_the_rest(attempt):
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})

    result = services.attempt_save_answers(
        attempt=attempt, answers={0: "", 1: "false"}, sequences={0: 0, 1: 0}
    )

    assert result.conflicts == [0]
    assert result.saved == [1]
    rows = by_type(attempt)
    assert rows["shortanswer"].answer == "Lima"
    assert rows["truefalse"].answer is False


# --------------------------------------------------------------------------
# The essay's response template


def test_an_untouched_essay_template_is_no_answer(attempt):
    template = by_type(attempt)["essay"].snapshot["response_template"]

    services.attempt_save_answers(attempt=attempt, answers={2: template + "\r\n"})
    result = services.attempt_submit(attempt=attempt)

    assert by_type(attempt)["essay"].answer is None
    assert result.attempt.state == AttemptState.GRADED
    assert not Response.objects.filter(attempt=attempt, needs_manual=True).exists()


def test_an_essay_template_posted_from_the_page_does_not_await_grading(
    enrolled_client, attempt
):
    form = page_form(enrolled_client, attempt)
    assert form["q2"] == "I think that"

    enrolled_client.post(attempt_url(attempt), {**form, "q0": "Lima"})
    services.attempt_submit(attempt=attempt)

    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.GRADED


def test_an_essay_that_adds_to_the_template_is_an_answer(attempt):
    services.attempt_save_answers(
        attempt=attempt, answers={2: "I think that treaties matter."}
    )

    assert services.attempt_submit(attempt=attempt).attempt.state == (
        AttemptState.NEEDS_GRADING
    )


# --------------------------------------------------------------------------
# Honest mistakes: shown beside the question, every other answer kept


def test_an_essay_over_its_limit_is_shown_on_the_page_and_the_rest_saved(
    enrolled_client, attempt
):
    form = page_form(enrolled_client, attempt)
    too_long = "y" * 501  # the sample essay's max_length is 500

    response = enrolled_client.post(
        attempt_url(attempt), {**form, "q0": "Lima", "q1": "true", "q2": too_long}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html  # the attempt page, not a bare error
    assert 'id="q2-error"' in html
    assert "too long" in text_of(html)
    assert too_long in html  # what the student typed is kept
    rows = by_type(attempt)
    assert rows["shortanswer"].answer == "Lima"
    assert rows["truefalse"].answer is True
    assert rows["essay"].answer is None


def test_the_too_long_message_is_translatable(enrolled_client, attempt):
    """The message comes from the translated table, in the student's language."""
    enrolled_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    form = page_form(enrolled_client, attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {**form, "q2": "y" * grading.ESSAY_MAX_CHARS}
    )

    html = response.content.decode()
    assert 'lang="es"' in html
    assert "too_long" in presenting.USER_ERRORS
    assert "The answer is too long: 20,000 characters" not in html


def test_a_word_in_a_number_field_keeps_the_other_answers(
    enrolled_client, course, student
):
    quiz = make_quiz(
        course=course,
        slug="numbers",
        questions=[sample("numerical"), sample("truefalse")],
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    enrolled_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0": "doce", "q1": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "no es un número" in html
    assert 'value="doce"' in html
    assert attempt.responses.get(position=1).answer is True
    assert attempt.responses.get(position=0).answer is None


# --------------------------------------------------------------------------
# Autosave: the same endpoint answers JSON


def test_an_autosave_gets_json_with_the_new_sequences(enrolled_client, attempt):
    form = page_form(enrolled_client, attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {**form, "q0": "Lima", "autosave": "1"}, **JSON
    )

    assert response.status_code == 200
    body = response.json()
    assert body["sequences"] == {"q0-seq": 1, "q1-seq": 0, "q2-seq": 0}
    assert body["conflicts"] == []
    assert body["errors"] == []
    assert body["saved_at"]
    assert by_type(attempt)["shortanswer"].answer == "Lima"


def test_an_autosave_reports_conflicts_and_errors(enrolled_client, attempt):
    stale = page_form(enrolled_client, attempt)
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})

    response = enrolled_client.post(
        attempt_url(attempt), {**stale, "q0": "Quito", "q2": "y" * 501}, **JSON
    )

    body = response.json()
    assert response.status_code == 200
    assert body["conflicts"] == [{"field": "q0", "number": 1}]
    assert "Reload the page" in body["conflict_message"]
    # The stale field keeps its old sequence, or the next autosave would write it.
    assert "q0-seq" not in body["sequences"]
    assert [(e["field"], e["number"]) for e in body["errors"]] == [("q2", 3)]
    assert "too long" in body["errors"][0]["message"]
    assert by_type(attempt)["shortanswer"].answer == "Lima"


def test_a_tampered_autosave_gets_a_400_in_json(enrolled_client, attempt):
    before = responses_state(attempt)

    response = enrolled_client.post(attempt_url(attempt), {"q99": "x"}, **JSON)

    assert response.status_code == 400
    assert response.json()["error"]
    assert responses_state(attempt) == before


def test_an_autosave_to_a_closed_attempt_says_where_to_go(enrolled_client, attempt):
    services.attempt_submit(attempt=attempt)

    response = enrolled_client.post(attempt_url(attempt), {"q0": "Lima"}, **JSON)

    assert response.status_code == 409
    assert response.json()["redirect"].endswith(f"/attempts/{attempt.pk}/result/")


# --------------------------------------------------------------------------
# Unpublishing a lesson closes its quiz's attempts in progress


@pytest.fixture
def lesson_attempt(course, student, enrolled_client):
    lesson = course.lessons.order_by("pk").first()
    quiz = make_quiz(
        course=course, lesson=lesson, slug="check", questions=[sample("truefalse")]
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(attempt=attempt, answers={0: "true"})
    return attempt


def assert_submitted_as_it_stood(attempt) -> None:
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.state == AttemptState.GRADED
    assert attempt.submitted_at is not None
    assert attempt.auto_submitted
    assert attempt.responses.get().answer is True


def test_unpublishing_a_lesson_submits_its_quizs_attempts(lesson_attempt):
    lesson_set_published(lesson_ids=[lesson_attempt.quiz.lesson_id], published=False)

    assert_submitted_as_it_stood(lesson_attempt)


def test_unpublishing_a_course_submits_its_attempts(lesson_attempt):
    course_set_published(course_ids=[lesson_attempt.quiz.course_id], published=False)

    assert_submitted_as_it_stood(lesson_attempt)


def test_publishing_leaves_attempts_open(lesson_attempt):
    lesson_set_published(lesson_ids=[lesson_attempt.quiz.lesson_id], published=True)

    assert Attempt.objects.get(pk=lesson_attempt.pk).state == AttemptState.IN_PROGRESS


def test_a_reimport_that_removes_a_lesson_submits_its_attempts(student):
    document = "# Naval\n\nIntro.\n\n## Early\n\nGalleys.\n\n## Modern\n\nSteel.\n"
    course_import(parsed=parse_markdown(document), slug="naval", publish=True)
    lesson = Lesson.objects.get(course__slug="naval", slug="modern")
    EnrollmentFactory(user=student, course=lesson.course)
    quiz = make_quiz(
        course=lesson.course, lesson=lesson, questions=[sample("truefalse")]
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(attempt=attempt, answers={0: "true"})

    course_import(
        parsed=parse_markdown(document.replace("## Modern\n\nSteel.\n", "")),
        slug="naval",
    )

    assert_submitted_as_it_stood(attempt)


def test_an_attempt_whose_lesson_was_hidden_behind_the_hooks_back_closes_on_touch(
    enrolled_client, lesson_attempt
):
    Lesson.objects.filter(pk=lesson_attempt.quiz.lesson_id).update(is_published=False)

    response = enrolled_client.get(attempt_url(lesson_attempt))

    assert response.status_code == 302
    assert response.url.endswith("/result/")
    assert_submitted_as_it_stood(lesson_attempt)


def test_an_instructor_preview_of_a_hidden_lesson_quiz_stays_open(
    client, staff, course
):
    lesson = course.lessons.order_by("pk").first()
    quiz = make_quiz(course=course, lesson=lesson, questions=[sample("truefalse")])
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)
    preview = services.attempt_start(quiz=quiz, user=staff, preview=True)
    client.force_login(staff)

    response = client.get(attempt_url(preview))

    assert response.status_code == 200
    assert Attempt.objects.get(pk=preview.pk).state == AttemptState.IN_PROGRESS


@pytest.mark.parametrize(
    ("text", "is_template"),
    [
        ("I think that", True),
        ("I think that\r\n", True),
        ("  I  think\nthat ", True),
        ("I think that treaties matter", False),
        ("I think", False),
    ],
)
def test_an_essay_is_its_template_whatever_the_spaces(text, is_template):
    question = sample("essay")

    assert grading.is_essay_template(question, text) is is_template
    assert (grading.normalise_response(question, text) is None) is is_template


def test_an_essay_without_a_template_is_never_one():
    assert not grading.is_essay_template(sample("essay", response_template=""), " ")


def test_every_honest_mistake_has_a_translated_message():
    assert set(presenting.USER_ERRORS) == grading.MISTAKE_CODES


def test_the_countdown_submits_even_with_a_stale_or_refused_answer(
    enrolled_client, course, student
):
    """At time up the page's post submits what was saved: a conflict or a
    mistake on it must not hold the attempt open on its page."""
    quiz = make_quiz(
        course=course,
        slug="timed",
        time_limit=timedelta(minutes=30),
        questions=[sample("shortanswer"), sample("numerical")],
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )

    response = enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", "action": "finish", "timeout": "1", "q0": "", "q1": "twelve"},
    )

    assert response.url.endswith("/result/")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.responses.get(position=0).answer == "Lima"
