"""Each enrolment's course total, stored (``Enrollment.grade_total``) so the
gradebook sorts 2,000 students by it in the database in a few milliseconds
instead of computing 25 grades per student before it can pick a page.

Why stored rather than an aggregate in the sorting query: the total is the
weighted mean of per-quiz grades, each picked by the quiz's grading method
(highest, first, last, average) over the student's attempts; in SQL that is one
correlated subquery per quiz and student, about 130 ms for 2,000 students x 25
quizzes on SQLite, whatever the index. Stored, sorting is an indexed column.

The one home for the rule stays ``selectors.course_total_subquery`` (the same
SQL expression the gradebook shows); this module only writes its value, with
one UPDATE, whenever it can change:

- after every grade of an attempt (a submit, a grade by hand or an override, a
  regrade: ``quizzes.hooks.attempt_graded``), for that student, in the grade's
  transaction;
- after a quiz of the course is created, edited, published, unpublished or
  deleted (``quizzes.hooks.quizzes_changed``), for every student of the course;
- by ``manage.py refresh_gradebook_totals`` (after data loaded in bulk, or a
  deployment of this change).
"""

from lessons.models import Course, Enrollment
from teach import selectors


def enrolment_totals_refresh(*, course: Course, user_ids=None) -> int:
    """Store the course total of the course's students (all, or ``user_ids``);
    returns how many enrolments were written."""
    book = selectors.gradebook_for(course=course)
    enrolments = Enrollment.objects.filter(course=course)
    if user_ids is not None:
        enrolments = enrolments.filter(user_id__in=list(user_ids))
    return enrolments.update(grade_total=selectors.course_total_subquery(book))


def attempt_graded(attempt) -> None:
    """``quizzes.hooks.attempt_graded``: the student's total moves with the grade."""
    if attempt.is_preview:
        return
    enrolment_totals_refresh(course=attempt.quiz.course, user_ids=[attempt.user_id])


def quizzes_changed(course_ids) -> None:
    """``quizzes.hooks.quizzes_changed``: weights, methods or the list changed."""
    for course in Course.objects.filter(pk__in=list(course_ids)):
        enrolment_totals_refresh(course=course)
