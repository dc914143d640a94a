"""Saves from several tabs at the same moment, all from the page that showed the
first state: the attempt row lock makes them take turns, so one is written and
every other is reported as a conflict, never silently overwriting it."""

import pytest

from quizzes import services
from quizzes.models import Response
from tests.factories import UserFactory, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.test_concurrency import THREADS, _database_that_waits, in_parallel

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["_database_that_waits"]  # the fixture that refuses in-memory SQLite


def test_simultaneous_saves_from_one_page_write_one_answer():
    quiz = make_quiz(questions=[sample("shortanswer")])
    attempt = services.attempt_start(quiz=quiz, user=UserFactory())

    results, errors = in_parallel(
        THREADS,
        lambda i: services.attempt_save_answers(
            attempt=attempt, answers={0: f"tab {i}"}, sequences={0: 0}
        ),
    )

    assert errors == []
    assert sum(len(result.saved) for result in results) == 1
    assert sum(len(result.conflicts) for result in results) == THREADS - 1
    stored = Response.objects.get(attempt=attempt)
    assert stored.sequence == 1
    winner = next(result for result in results if result.saved)
    assert stored.answer == winner.responses[0].answer
