"""attempt_save_answers can take the responses its caller already read (the
attempt page's POST): their frozen questions are reused, only what a save
changes is read again under the lock; another attempt's responses are not."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from tests.factories import UserFactory, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import by_type, right_option_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        questions=[sample("single"), sample("shortanswer"), sample("truefalse")],
    )


def test_the_responses_read_before_give_the_same_save(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    asked = list(attempt.responses.all())
    rows = by_type(attempt)
    answers = {
        rows["single"].position: right_option_id(rows["single"], "Lima"),
        rows["shortanswer"].position: "  Zebraquux ",
    }

    with CaptureQueriesContext(connection) as captured:
        result = services.attempt_save_answers(
            attempt=attempt, answers=answers, asked=asked
        )

    assert sorted(result.saved) == sorted(answers)
    stored = {r.position: r.answer for r in attempt.responses.all()}
    assert stored[rows["shortanswer"].position] == "Zebraquux"
    assert stored[rows["single"].position] == right_option_id(rows["single"], "Lima")
    read = [q["sql"] for q in captured if "quizzes_response" in q["sql"]]
    assert not any('"snapshot"' in sql for sql in read if sql.startswith("SELECT"))


def test_another_attempts_responses_are_not_trusted(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    other = services.attempt_start(quiz=quiz, user=UserFactory(username="other"))
    forged = list(other.responses.all())
    for response in forged:  # what the other attempt's snapshots would allow
        response.snapshot = copy.deepcopy(response.snapshot)
        for option in response.snapshot.get("options", ()):
            option["id"] = "forged"
    single = by_type(attempt)["single"]

    result = services.attempt_save_answers(
        attempt=attempt,
        answers={single.position: right_option_id(single, "Lima")},
        asked=forged,
    )

    assert result.saved == [single.position]
    assert attempt.responses.get(pk=single.pk).answer == right_option_id(single, "Lima")
