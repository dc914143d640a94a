"""Simultaneous requests for the same attempt or the same student: row locks make
them take turns, so an attempt is graded once and attempts allowed hold.

Threads share nothing but the database; a barrier lines them up so their
transactions overlap, and each closes its own connection when done.

They need a database that makes a second writer wait: PostgreSQL (row locks), or an
SQLite file (``transaction_mode`` IMMEDIATE and a busy timeout), which is what the
test settings use. The in-memory SQLite database Django tests with by default is
shared between threads through SQLite's shared cache, which answers "database table
is locked" at once instead of waiting: these tests refuse to run on it.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from lessons.models import LessonProgress
from quizzes import services
from quizzes.models import Attempt, AttemptState
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.quizzes.samples import single
from tests.quizzes.support import right_option_id

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


@pytest.fixture(autouse=True)
def _database_that_waits(transactional_db):
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db()), (
        "in-memory SQLite (shared cache) refuses concurrent writers instead of "
        "waiting; the test settings use an SQLite file"
    )


def in_parallel(count: int, work: Callable[[int], object]) -> tuple[list, list]:
    """Run ``work(i)`` in ``count`` threads started together; results and errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # reported to the test, not lost in the thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


@pytest.fixture
def student():
    return UserFactory(username="racer")


@pytest.fixture
def lesson_quiz(course, student):
    lesson = course.lessons.order_by("module__position", "position").first()
    EnrollmentFactory(user=student, course=course)
    return make_quiz(course=course, lesson=lesson, questions=[single(), single()])


def answered_right(quiz, user) -> Attempt:
    attempt = services.attempt_start(quiz=quiz, user=user)
    services.attempt_save_answers(
        attempt=attempt,
        answers={
            r.position: right_option_id(r, "Right") for r in attempt.responses.all()
        },
    )
    return attempt


def test_simultaneous_submits_grade_the_attempt_once(lesson_quiz, student, monkeypatch):
    attempt = answered_right(lesson_quiz, student)
    completions = []
    original = services.lesson_complete

    def counting_lesson_complete(**kwargs):
        completions.append(kwargs["lesson"].pk)
        return original(**kwargs)

    monkeypatch.setattr(services, "lesson_complete", counting_lesson_complete)

    results, errors = in_parallel(
        THREADS, lambda i: services.attempt_submit(attempt=attempt)
    )

    assert errors == []
    assert [r.graded_now for r in results].count(True) == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score == 2
    assert completions == [lesson_quiz.lesson_id]
    progress = LessonProgress.objects.get(user=student, lesson=lesson_quiz.lesson)
    assert progress.status == LessonProgress.Status.COMPLETED


def test_simultaneous_starts_with_one_attempt_allowed_create_one_attempt(
    lesson_quiz, student
):
    lesson_quiz.attempts_allowed = 1
    lesson_quiz.save()

    results, errors = in_parallel(
        2, lambda i: services.attempt_start(quiz=lesson_quiz, user=student).pk
    )

    assert errors == []
    assert Attempt.objects.filter(quiz=lesson_quiz, user=student).count() == 1
    assert len(set(results)) == 1  # the second request resumed the first's attempt


def test_parallel_starts_with_one_attempt_left_create_exactly_one(lesson_quiz, student):
    lesson_quiz.attempts_allowed = 2
    lesson_quiz.save()
    services.attempt_submit(
        attempt=services.attempt_start(quiz=lesson_quiz, user=student)
    )

    results, errors = in_parallel(
        THREADS, lambda i: services.attempt_start(quiz=lesson_quiz, user=student).pk
    )

    assert errors == []
    attempts = Attempt.objects.filter(quiz=lesson_quiz, user=student)
    assert attempts.count() == 2
    assert len(set(results)) == 1
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2]


def test_parallel_start_and_submit_never_exceed_the_attempts_allowed(
    lesson_quiz, student
):
    lesson_quiz.attempts_allowed = 2
    lesson_quiz.save()
    services.attempt_submit(
        attempt=services.attempt_start(quiz=lesson_quiz, user=student)
    )

    def start_and_submit(index):
        attempt = services.attempt_start(quiz=lesson_quiz, user=student)
        return services.attempt_submit(attempt=attempt).graded_now

    results, errors = in_parallel(THREADS, start_and_submit)

    assert all(
        isinstance(e, services.AttemptError) and e.code == "no_attempts_left"
        for e in errors
    )
    assert results.count(True) == 1
    assert Attempt.objects.filter(quiz=lesson_quiz, user=student).count() == 2


def test_answers_racing_a_submit_are_either_graded_or_refused(lesson_quiz, student):
    attempt = services.attempt_start(quiz=lesson_quiz, user=student)
    first = attempt.responses.get(position=0)
    right = right_option_id(first, "Right")

    def work(index):
        if index == 0:
            return services.attempt_submit(attempt=attempt).graded_now
        services.attempt_save_answers(attempt=attempt, answers={0: right})
        return "saved"

    results, errors = in_parallel(2, work)

    assert all(e.code == services.ATTEMPT_CLOSED for e in errors)
    attempt.refresh_from_db()
    first.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    # Whatever won, the stored answer is the graded one.
    if first.answer is None:
        assert first.score == 0
    else:
        assert "saved" in results
        assert first.score == 1
    assert attempt.score == first.score
