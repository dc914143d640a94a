"""Reads for quizzes, scoped to the user who asks (404 for what they may not see)."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import Http404

from lessons.models import Course
from lessons.selectors import course_get_for_user
from quizzes.models import Attempt, AttemptState, Quiz


def quiz_get_for_user(*, course_slug: str, quiz_slug: str, user) -> Quiz:
    course = course_get_for_user(slug=course_slug, user=user)
    quiz = (
        Quiz.objects.visible_to(user)
        .filter(course=course, slug=quiz_slug)
        .select_related("course", "lesson", "module")
        .first()
    )
    if quiz is None:
        raise Http404("No such quiz")
    return quiz


def attempt_get_for_user(*, attempt_id: int, user) -> Attempt:
    """An attempt of the user's own; anybody else's is a 404."""
    attempt = (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .select_related("quiz", "quiz__course", "quiz__lesson")
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


def attempts_for_user(*, quiz: Quiz, user) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    attempts: int
    best: float | None  # best graded fraction, 0..1
    passed: bool
    in_progress: bool
    pending: bool  # an attempt waits for manual grading

    @property
    def best_percent(self) -> int | None:
        return None if self.best is None else round(self.best * 100)


def quiz_statuses(*, user, course: Course, quizzes=None) -> dict[int, QuizStatus]:
    """Each published quiz of a course with the user's attempts summarised.

    Two queries whatever the number of quizzes and attempts.
    """
    if quizzes is None:
        quizzes = list(
            Quiz.objects.published().filter(course=course).select_related("lesson")
        )
    if not user.is_authenticated or not quizzes:
        return {}
    rows = (
        Attempt.objects.filter(user=user, quiz__in=quizzes, is_preview=False)
        .values("quiz_id")
        .annotate(
            n=Count("pk"),
            best=Max("fraction", filter=Q(state=AttemptState.GRADED)),
            passed_n=Count("pk", filter=Q(passed=True)),
            open_n=Count("pk", filter=Q(state=AttemptState.IN_PROGRESS)),
            pending_n=Count("pk", filter=Q(state=AttemptState.NEEDS_GRADING)),
        )
    )
    by_quiz = {row["quiz_id"]: row for row in rows}
    statuses = {}
    for quiz in quizzes:
        row = by_quiz.get(quiz.pk, {})
        statuses[quiz.pk] = QuizStatus(
            quiz=quiz,
            attempts=row.get("n", 0),
            best=row.get("best"),
            passed=bool(row.get("passed_n")),
            in_progress=bool(row.get("open_n")),
            pending=bool(row.get("pending_n")),
        )
    return statuses
