"""Each enrolment's course total, stored (``Enrollment.grade_total``) so the
gradebook sorts 2,000 students by it in the database in a few milliseconds
instead of computing 25 grades per student before it can pick a page.

Why stored rather than an aggregate in the sorting query: the total is the
weighted mean of per-quiz grades, each picked by the quiz's grading method
(highest, first, last, average) over the student's attempts; in SQL that is one
correlated subquery per quiz and student, about 130 ms for 2,000 students x 25
quizzes on SQLite, whatever the index. Stored, sorting is an indexed column.

Each quiz's grade is ``rules.quiz_grade`` (the rule the gradebook's SQL follows,
from the same ``rules.GRADE_RULES``), the total the weighted mean the gradebook
shows (tests/teach/test_gradebook_totals.py checks they agree). It is written
whenever it can change:

- after every grade of an attempt (a submit, a grade by hand or an override, a
  regrade: ``quizzes.hooks.attempt_graded``), for that student, in the grade's
  transaction;
- after a quiz of the course is created, edited, published, unpublished or
  deleted (``quizzes.hooks.quizzes_changed``), for every student of the course;
- when a student is enrolled again after graded attempts
  (``lessons.hooks.enrolled``);
- by ``manage.py refresh_gradebook_totals`` (after data loaded in bulk, or a
  deployment of this change).
"""

from collections import defaultdict

from lessons.models import Course, Enrollment
from quizzes import rules
from quizzes.models import Attempt, AttemptState
from teach import selectors


def _total(book, grades: dict[int, float]) -> float | None:
    """The course total from the student's grade per quiz id, as the gradebook's
    SQL computes it (``selectors._total_expression``): the weighted mean of the
    quizzes' grades, a quiz without a grade counting 0."""
    if not book.weight_total:
        return None
    weighted = sum(c.weight * (grades.get(c.quiz_id) or 0.0) for c in book.columns)
    return weighted / book.weight_total


def enrolment_totals_refresh(*, course: Course, user_ids=None) -> int:
    """Store the course total of the course's students (all, or ``user_ids``);
    returns how many enrolments were written. Each quiz's grade is
    ``rules.quiz_grade`` of the student's graded attempts (the rule the
    gradebook's SQL follows). Three queries for one student (after a submit, on
    the student's path: kept that small): the columns, the graded attempts, one
    UPDATE."""
    book = selectors.gradebook_columns(course=course)
    methods = {c.quiz_id: c.grading_method for c in book.columns}
    graded = Attempt.objects.filter(
        quiz_id__in=list(methods), state=AttemptState.GRADED, is_preview=False
    )
    if user_ids is not None:
        user_ids = list(user_ids)
        graded = graded.filter(user_id__in=user_ids)
    fractions: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for user_id, quiz_id, fraction in graded.order_by(
        "user_id", "quiz_id", "number", "pk"
    ).values_list("user_id", "quiz_id", "fraction"):
        fractions[user_id][quiz_id].append(fraction or 0.0)

    def total(user_id: int) -> float | None:
        grades = {
            quiz_id: rules.quiz_grade(values, methods[quiz_id])
            for quiz_id, values in fractions.get(user_id, {}).items()
        }
        return _total(book, grades)

    enrolments = Enrollment.objects.filter(course=course)
    if user_ids is not None and len(user_ids) == 1:
        return enrolments.filter(user_id=user_ids[0]).update(
            grade_total=total(user_ids[0])
        )
    if user_ids is not None:
        enrolments = enrolments.filter(user_id__in=user_ids)
    rows = list(enrolments.only("pk", "user_id"))
    for row in rows:
        row.grade_total = total(row.user_id)
    Enrollment.objects.bulk_update(rows, ["grade_total"], batch_size=500)
    return len(rows)


def attempt_graded(attempt) -> None:
    """``quizzes.hooks.attempt_graded``: the student's total moves with the grade."""
    if attempt.is_preview:
        return
    course = Course(pk=attempt.quiz.course_id)  # only its id is read
    enrolment_totals_refresh(course=course, user_ids=[attempt.user_id])


def enrolled(enrollment) -> None:
    """``lessons.hooks.enrolled``: a student enrolled again (the admin deleted the
    enrolment, the attempts stayed) gets the total of the attempts graded before;
    a first enrolment costs one query (no graded attempt: nothing to store)."""
    graded = Attempt.objects.filter(
        user_id=enrollment.user_id,
        quiz__course_id=enrollment.course_id,
        state=AttemptState.GRADED,
        is_preview=False,
    )
    if graded.exists():
        enrolment_totals_refresh(
            course=Course(pk=enrollment.course_id), user_ids=[enrollment.user_id]
        )


def quizzes_changed(course_ids) -> None:
    """``quizzes.hooks.quizzes_changed``: weights, methods or the list changed."""
    for course in Course.objects.filter(pk__in=list(course_ids)):
        enrolment_totals_refresh(course=course)
