"""The questions of a result page are cached: a later request reads them without
building the review, and whatever changes what the student may see (the review
policy, its next moment, a teacher's mark) shows at once. Right answers never
outlive the policy that showed them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import grading_services, services
from quizzes.review import IMMEDIATELY_WINDOW, ITEMS
from tests.factories import make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import by_type, result_url, right_option_id

pytestmark = pytest.mark.django_db

EVERYTHING = {moment: list(ITEMS) for moment in ("immediately", "open", "closed")}
MARKS_ONLY = {"during": [], "immediately": ["marks"], "open": [], "closed": []}


@pytest.fixture
def quiz(course, lesson):
    return make_quiz(
        course=course,
        lesson=lesson,
        questions=[sample("single"), sample("shortanswer"), sample("truefalse")],
    )


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    attempt = services.attempt_start(quiz=quiz, user=student)
    rows = by_type(attempt)
    services.attempt_save_answers(
        attempt=attempt,
        answers={
            rows["single"].position: right_option_id(rows["single"], "Quito"),
            rows["shortanswer"].position: "horse",
            rows["truefalse"].position: "false",
        },
    )
    services.attempt_submit(attempt=attempt)
    return attempt


def result(client, attempt) -> str:
    response = client.get(result_url(attempt))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_request_reads_the_questions_without_building_them(
    enrolled_client, quiz, attempt, monkeypatch
):
    quiz.review_options = EVERYTHING
    quiz.save()
    first = result(enrolled_client, attempt)

    def refuse(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr("quizzes.views.selectors.lesson_urls", refuse)
    monkeypatch.setattr("quizzes.presenting.describe_right_answer", refuse)
    second = result(enrolled_client, attempt)

    assert "Right answer" in second
    assert second.count('class="card mb-3') == first.count('class="card mb-3') == 3


def test_right_answers_go_as_soon_as_the_policy_hides_them(
    enrolled_client, quiz, attempt
):
    quiz.review_options = EVERYTHING
    quiz.save()
    shown = result(enrolled_client, attempt)
    quiz.review_options = MARKS_ONLY
    quiz.save()

    hidden = result(enrolled_client, attempt)

    assert "Right answer" in shown and "horse" in shown
    assert "Right answer" not in hidden and "horse" not in hidden
    assert "0 / 1" in hidden


def test_the_policy_of_the_next_moment_applies_to_the_cached_questions(
    enrolled_client, quiz, attempt, monkeypatch
):
    quiz.review_options = {
        "during": [],
        "immediately": list(ITEMS),
        "open": ["marks"],
        "closed": [],
    }
    quiz.save()
    right_after = result(enrolled_client, attempt)
    later = timezone.now() + IMMEDIATELY_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr("quizzes.views.timezone.now", lambda: later)

    html = result(enrolled_client, attempt)

    assert "Right answer" in right_after
    assert "Right answer" not in html and "horse" not in html


def test_a_teachers_override_shows_at_once(enrolled_client, quiz, attempt, staff):
    quiz.review_options = EVERYTHING
    quiz.save()
    before = result(enrolled_client, attempt)
    response = by_type(attempt)["shortanswer"]
    grading_services.response_override(
        response=response, score=1, reason="A fair reading.", user=staff
    )

    after = result(enrolled_client, attempt)

    assert "1 / 1" not in before
    assert "1 / 1" in after
