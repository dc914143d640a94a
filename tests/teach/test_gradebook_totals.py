"""Each enrolment's course total is stored (teach/gradebook_totals.py) and kept
equal to the total the gradebook computes, through every grading path and quiz
change, so the gradebook sorts by it in the database: a page of the sort by
total costs the same few queries for 4 students or 120."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Enrollment
from quizzes import grading_services
from quizzes import services as quiz_services
from teach import selectors
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db


def _stored(course, user):
    return Enrollment.objects.get(course=course, user=user).grade_total


def _computed(course, user):
    book = selectors.gradebook_for(course=course)
    students = selectors.gradebook_students(book=book, search=user.username)
    (row,) = [
        r
        for r in selectors.gradebook_rows(book=book, students=students)
        if r.user_id == user.pk
    ]
    return row.total


def _agree(course, *users):
    for user in users:
        assert _stored(course, user) == pytest.approx(_computed(course, user)), user


def test_a_submit_stores_the_total(course, enrolled):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    ana, bo = enrolled("ana", "bo")
    assert _stored(course, ana) is None  # not graded yet
    take(quiz, ana, {"capital": "Lima", "amazon": "false"})
    assert _stored(course, ana) == pytest.approx(0.5)
    assert _stored(course, bo) is None
    _agree(course, ana)


def test_a_grade_by_hand_an_override_and_a_regrade_move_it(
    course, enrolled, instructor
):
    quiz = make_quiz(course, questions=(SINGLE, ESSAY))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Lima", "essay": "A treaty."})
    assert _stored(course, ana) == pytest.approx(0.0)  # waits for the essay
    essay = attempt.responses.get(question__type="essay")
    grading_services.response_grade_manually(
        response=essay, score=2.0, feedback="", user=instructor
    )
    _agree(course, ana)
    before = _stored(course, ana)
    single = attempt.responses.get(question__type="single")
    grading_services.response_override(
        response=single, score=0.0, reason="Copied", user=instructor
    )
    assert _stored(course, ana) < before
    _agree(course, ana)

    capital = question(course, "check", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == "Cusco" else 0.0
        answer.save()
    (bo,) = enrolled("bo")
    take(quiz, bo, {"capital": "Lima", "essay": "x"})
    grading_services.regrade_apply(course=course, user=instructor, quiz=quiz)
    _agree(course, ana, bo)


def test_a_quiz_change_moves_every_total(course, enrolled):
    check = make_quiz(course, questions=(TRUEFALSE,))
    exam = make_quiz(course, slug="exam", questions=(TRUEFALSE,))
    ana, bo = enrolled("ana", "bo")
    take(check, ana, {"amazon": "true"})
    take(exam, bo, {"amazon": "true"})
    assert _stored(course, ana) == pytest.approx(0.5)

    exam.weight = 3
    quiz_services.quiz_save(quiz=exam)
    assert _stored(course, ana) == pytest.approx(0.25)
    assert _stored(course, bo) == pytest.approx(0.75)

    quiz_services.quiz_set_published(quiz_ids=[exam.pk], published=False)
    assert _stored(course, bo) == pytest.approx(0.0)
    _agree(course, ana, bo)


def _course_of(course, enrolled, size, prefix):
    check = make_quiz(course, slug=f"{prefix}-check", questions=(TRUEFALSE,))
    students = enrolled(*[f"{prefix}{n:03d}" for n in range(size)])
    for n, student in enumerate(students):
        if n % 3:
            take(check, student, {"amazon": "true" if n % 2 else "false"})
    return students


@pytest.mark.parametrize("sort", ["-total", "total"])
def test_the_sort_by_total_is_the_computed_order_in_few_queries(
    teacher_client, course, other_course, instructor, enrolled, sort
):
    other_course.instructors.add(instructor)
    _course_of(course, enrolled, 4, "a")
    _course_of(other_course, lambda *n: enrolled(*n, target=other_course), 120, "b")
    counts = []
    for target in (course, other_course):
        url = reverse("teach:gradebook", args=[target.slug]) + f"?sort={sort}&page=2"
        with CaptureQueriesContext(connection) as queries:
            assert teacher_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9

    book = selectors.gradebook_for(course=other_course)
    students = selectors.gradebook_students(book=book, sort=sort)
    rows = selectors.gradebook_rows(book=book, students=students)
    totals = [row.total for row in rows]
    assert totals == sorted(totals, reverse=sort.startswith("-"))
    assert len(rows) == 120  # one row per student: the enrolment join is reused
    ordering = str(students.query).split("ORDER BY")[1]
    assert "grade_total" in ordering and "quizzes_attempt" not in ordering


def test_an_enrolment_made_again_after_graded_attempts_gets_its_total(course, enrolled):
    # The admin may delete an enrolment; the student's graded attempts stay, and
    # enrolling again must bring the stored total back, not sort the student as 0.
    from lessons import services as lesson_services

    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    (ana,) = enrolled("ana")
    take(quiz, ana, {"capital": "Lima", "amazon": "false"})
    Enrollment.objects.filter(course=course, user=ana).delete()
    lesson_services.enrollment_create(user=ana, course=course)
    assert _stored(course, ana) == pytest.approx(0.5)
    _agree(course, ana)
