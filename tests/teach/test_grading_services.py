"""Manual grading, overrides and review requests: every change is audited and the
attempt re-totalled; an attempt waiting for a human becomes graded with its last
manual response, and passing then completes the lesson."""

import threading

import pytest
from django.db import connection

from lessons.models import LessonProgress
from quizzes import grading_services
from quizzes.models import AttemptState, GradeChange
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_quiz(course):
    lesson = course.lessons.order_by("module__position", "position").first()
    return make_quiz(
        course,
        slug="essay-check",
        questions=(SINGLE, ESSAY),
        lesson=lesson.slug,
        pass_mark=0.6,
    )


def _essay_attempt(quiz, student, *, single="Lima"):
    return take(quiz, student, {"capital": single, "essay": "The treaty of 1929."})


def _response(attempt, kind):
    return next(r for r in attempt.responses.all() if r.snapshot["type"] == kind)


def test_an_answered_essay_leaves_the_attempt_waiting_for_a_human(essay_quiz, student):
    attempt = _essay_attempt(essay_quiz, student)
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert attempt.score is None


def test_grading_the_last_essay_grades_the_attempt_and_completes_the_lesson(
    essay_quiz, student, instructor
):
    attempt = _essay_attempt(essay_quiz, student)
    essay = _response(attempt, "essay")

    grading_services.response_grade_manually(
        response=essay, score=3, feedback="Good, but cite.", user=instructor
    )

    attempt.refresh_from_db()
    essay.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score == 4  # 1 (single) + 3 (essay)
    assert attempt.fraction == pytest.approx(4 / 5)
    assert attempt.passed is True
    assert essay.needs_manual is False
    assert essay.grader_comment == "Good, but cite."
    assert essay.graded_by == instructor
    assert (
        LessonProgress.objects.get(user=student, lesson=essay_quiz.lesson).completed_at
        is not None
    )


def test_a_manual_grade_writes_one_audit_row(essay_quiz, student, instructor):
    attempt = _essay_attempt(essay_quiz, student)
    essay = _response(attempt, "essay")

    grading_services.response_grade_manually(
        response=essay, score=2.5, feedback="", user=instructor
    )

    change = GradeChange.objects.get()
    assert change.kind == GradeChange.Kind.MANUAL
    assert (change.old_score, change.new_score) == (None, 2.5)
    assert change.changed_by == instructor
    assert change.attempt_id == attempt.pk


def test_a_failing_manual_grade_does_not_complete_the_lesson(
    essay_quiz, student, instructor
):
    attempt = _essay_attempt(essay_quiz, student, single="Quito")
    grading_services.response_grade_manually(
        response=_response(attempt, "essay"), score=1, feedback="", user=instructor
    )
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert not LessonProgress.objects.filter(user=student).exists()


@pytest.mark.parametrize("score", [-0.5, 4.01, float("inf"), float("nan")])
def test_a_score_outside_zero_to_max_is_refused_and_changes_nothing(
    essay_quiz, student, instructor, score
):
    attempt = _essay_attempt(essay_quiz, student)
    essay = _response(attempt, "essay")
    with pytest.raises(grading_services.GradingError) as refused:
        grading_services.response_grade_manually(
            response=essay, score=score, feedback="", user=instructor
        )
    assert refused.value.code == grading_services.SCORE_OUT_OF_RANGE
    essay.refresh_from_db()
    assert essay.needs_manual and essay.score is None
    assert not GradeChange.objects.exists()


def test_grading_a_response_twice_is_refused_the_second_time(
    essay_quiz, student, instructor
):
    attempt = _essay_attempt(essay_quiz, student)
    essay = _response(attempt, "essay")
    grading_services.response_grade_manually(
        response=essay, score=3, feedback="", user=instructor
    )
    with pytest.raises(grading_services.GradingError) as refused:
        grading_services.response_grade_manually(
            response=essay, score=1, feedback="", user=instructor
        )
    assert refused.value.code == grading_services.NOT_WAITING
    assert GradeChange.objects.count() == 1


def test_an_override_needs_a_reason(course, student, instructor):
    quiz = make_quiz(course)
    attempt = take(quiz, student, {"capital": "Quito", "amazon": "true"})
    with pytest.raises(grading_services.GradingError) as refused:
        grading_services.response_override(
            response=_response(attempt, "single"), score=1, reason="  ", user=instructor
        )
    assert refused.value.code == grading_services.REASON_REQUIRED
    assert not GradeChange.objects.exists()


def test_an_override_changes_the_score_the_total_and_the_audit_trail(
    course, student, instructor
):
    quiz = make_quiz(course, pass_mark=0.75)
    attempt = take(quiz, student, {"capital": "Quito", "amazon": "true"})
    assert (attempt.score, attempt.passed) == (1, False)
    single = _response(attempt, "single")

    grading_services.response_override(
        response=single,
        score=1,
        reason="Quito accepted: ambiguous wording",
        user=instructor,
    )

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (2, True)
    change = GradeChange.objects.get()
    assert change.kind == GradeChange.Kind.OVERRIDE
    assert (change.old_score, change.new_score) == (0, 1)
    assert change.reason == "Quito accepted: ambiguous wording"


def test_an_attempt_in_progress_cannot_be_graded(course, student, instructor):
    from quizzes.services import attempt_start

    quiz = make_quiz(course)
    attempt = attempt_start(quiz=quiz, user=student)
    with pytest.raises(grading_services.GradingError) as refused:
        grading_services.response_override(
            response=attempt.responses.first(), score=1, reason="x", user=instructor
        )
    assert refused.value.code == grading_services.ATTEMPT_IN_PROGRESS


def test_a_review_request_queues_an_answer_without_changing_the_grade(
    course, student, instructor
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    attempt = take(quiz, student, {"capital": "Lima", "amazon": "false"})
    tf = _response(attempt, "truefalse")

    grading_services.response_request_review(response=tf)

    tf.refresh_from_db()
    attempt.refresh_from_db()
    assert tf.review_requested is True
    assert attempt.state == AttemptState.GRADED and attempt.score == 1

    grading_services.response_grade_manually(
        response=tf, score=0.5, feedback="Half", user=instructor
    )
    tf.refresh_from_db()
    attempt.refresh_from_db()
    assert tf.review_requested is False
    assert attempt.score == 1.5


@pytest.mark.django_db(transaction=True)
def test_two_graders_at_once_grade_an_essay_once(course, student, instructor):
    # The test settings use an SQLite file (or PostgreSQL): two real connections.
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    quiz = make_quiz(course, slug="race", questions=(SINGLE, ESSAY))
    attempt = _essay_attempt(quiz, student)
    essay = _response(attempt, "essay")
    outcomes = []
    barrier = threading.Barrier(2)

    def grade(score):
        barrier.wait()
        try:
            grading_services.response_grade_manually(
                response=essay, score=score, feedback="", user=instructor
            )
            outcomes.append("graded")
        except grading_services.GradingError as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=grade, args=(s,)) for s in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["graded", grading_services.NOT_WAITING]
    assert GradeChange.objects.count() == 1
