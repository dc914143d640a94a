"""The gradebook: each cell is the student's grade per the quiz's grading method
(as ``rules.quiz_grade`` defines it), with attempts and pending grading; the
course total weighs quizzes; the page sorts, filters, searches and paginates."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from lessons.services import lesson_complete
from quizzes import rules
from quizzes.models import Attempt, AttemptState, GradingMethod
from teach import selectors
from tests.factories import EnrollmentFactory, UserFactory
from tests.teach.conftest import TRUEFALSE, attempt_row, make_quiz

pytestmark = pytest.mark.django_db


def _rows(course, **filters):
    book = selectors.gradebook_for(course=course)
    students = selectors.gradebook_students(book=book, **filters)
    return book, selectors.gradebook_rows(book=book, students=students)


def _row(course, username):
    book, rows = _rows(course)
    return book, next(r for r in rows if r.username == username)


@pytest.mark.parametrize("method", [m.value for m in GradingMethod])
def test_a_cell_is_the_grade_by_the_quizs_grading_method(course, enrolled, method):
    quiz = make_quiz(course, questions=(TRUEFALSE,), grading_method=method)
    (ana,) = enrolled("ana")
    fractions = [0.2, 0.9, 0.5]
    for number, fraction in enumerate(fractions, start=1):
        attempt_row(quiz, ana, number=number, fraction=fraction)
    # Neither a preview, nor one in progress, nor one waiting for grading counts.
    attempt_row(quiz, ana, number=4, fraction=1.0, is_preview=True)
    attempt_row(quiz, ana, number=5, state=AttemptState.NEEDS_GRADING)
    attempt_row(quiz, ana, number=6, state=AttemptState.IN_PROGRESS)

    _book, row = _row(course, "ana")

    (cell,) = row.cells
    assert cell.grade == pytest.approx(rules.quiz_grade(fractions, method))
    assert cell.attempts == 5  # previews are not counted
    assert cell.pending is True


def test_the_cell_follows_the_real_grading_of_taken_attempts(course, enrolled):
    from tests.teach.conftest import take

    quiz = make_quiz(course, questions=(TRUEFALSE,), grading_method="first")
    (ana,) = enrolled("ana")
    take(quiz, ana, {"amazon": "false"})
    take(quiz, ana, {"amazon": "true"})
    _book, row = _row(course, "ana")
    assert row.cells[0].grade == 0
    assert row.cells[0].percent == "0"


def test_the_course_total_weighs_quizzes_and_counts_missing_grades_as_zero(
    course, enrolled
):
    exam = make_quiz(
        course, slug="exam", questions=(TRUEFALSE,), weight=3, pass_mark=0.6
    )
    check = make_quiz(course, slug="check", questions=(TRUEFALSE,), weight=1)
    ana, bo = enrolled("ana", "bo")
    attempt_row(exam, ana, fraction=0.8)
    attempt_row(check, ana, fraction=0.4)
    attempt_row(check, bo, fraction=1.0)

    book, rows = _rows(course)
    by_name = {r.username: r for r in rows}

    assert book.pass_mark == pytest.approx((3 * 0.6 + 1 * 0.5) / 4)
    assert by_name["ana"].total == pytest.approx((3 * 0.8 + 0.4) / 4)
    assert by_name["ana"].passed is True
    assert by_name["bo"].total == pytest.approx(0.25)
    assert by_name["bo"].passed is False


def test_a_student_without_a_graded_quiz_has_no_verdict(course, enrolled):
    make_quiz(course, questions=(TRUEFALSE,))
    enrolled("ana")
    _book, row = _row(course, "ana")
    assert row.passed is None
    assert row.total == 0


def test_lesson_completion_counts_published_lessons(course, enrolled):
    (ana,) = enrolled("ana")
    lessons = list(course.lessons.all())
    for lesson in lessons[:3]:
        lesson_complete(user=ana, lesson=lesson)
    lessons[2].is_published = False
    lessons[2].save()
    _book, row = _row(course, "ana")
    assert row.completion == pytest.approx(2 / 3)
    assert row.completion_percent == "66.7"


def test_unpublished_quizzes_are_not_columns(course, enrolled):
    make_quiz(course, slug="draft", questions=(TRUEFALSE,), is_published=False)
    enrolled("ana")
    book, _rows_ = _rows(course)
    assert book.columns == []


def test_only_enrolled_students_are_listed(course, enrolled, other_course):
    enrolled("ana")
    enrolled("zed", target=other_course)
    _book, rows = _rows(course)
    assert [r.username for r in rows] == ["ana"]


@pytest.fixture
def three(course, enrolled):
    quiz = make_quiz(course, questions=(TRUEFALSE,))
    ana, bo, cy = enrolled("ana", "bo", "cy")
    ana.first_name, ana.last_name = "Ana", "Zapata"
    ana.save()
    attempt_row(quiz, ana, fraction=0.9)
    attempt_row(quiz, bo, fraction=0.1)
    attempt_row(quiz, bo, number=2, state=AttemptState.NEEDS_GRADING)
    return quiz


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["bo", "cy", "ana"]),  # by last name, then username
        ({"sort": "-total"}, ["ana", "bo", "cy"]),
        ({"sort": "total"}, ["cy", "bo", "ana"]),
        ({"search": "zapa"}, ["ana"]),
        ({"status": "needs_grading"}, ["bo"]),
        ({"status": "passed"}, ["ana"]),
        ({"status": "failed"}, ["bo"]),
        ({"status": "not_started"}, ["cy"]),
    ],
)
def test_sort_search_and_filter(course, three, filters, expected):
    _book, rows = _rows(course, **filters)
    assert [r.username for r in rows] == expected


def test_sorting_by_a_quiz_puts_students_without_a_grade_last(course, three):
    _book, rows = _rows(course, sort=f"-q{three.pk}")
    assert [r.username for r in rows] == ["ana", "bo", "cy"]
    _book, rows = _rows(course, sort=f"q{three.pk}")
    assert [r.username for r in rows] == ["bo", "ana", "cy"]


def test_the_page_shows_fifty_students_a_page(teacher_client, course):
    make_quiz(course, questions=(TRUEFALSE,))
    for n in range(51):
        EnrollmentFactory(user=UserFactory(username=f"s{n:02d}"), course=course)
    url = reverse("teach:gradebook", args=[course.slug])
    first = teacher_client.get(url).content.decode()
    assert first.count('data-testid="row"') == 50
    second = teacher_client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="row"') == 1


def test_the_page_filters_through_its_form(teacher_client, course, three):
    url = reverse("teach:gradebook", args=[course.slug])
    page = teacher_client.get(url, {"status": "needs_grading", "sort": "-total"})
    usernames = re.findall(r'data-username="([^"]+)"', page.content.decode())
    assert usernames == ["bo"]


@pytest.mark.parametrize(
    "query", [{"sort": "password"}, {"status": "everyone"}, {"q": "x" * 101}]
)
def test_a_tampered_filter_is_a_400(teacher_client, course, three, query):
    url = reverse("teach:gradebook", args=[course.slug])
    assert teacher_client.get(url, query).status_code == 400


def test_the_student_page_shows_lessons_attempts_and_time_on_task(
    teacher_client, course, three
):
    ana = three.attempts.get(user__username="ana").user
    lesson = course.lessons.first()
    lesson_complete(user=ana, lesson=lesson)
    attempt = Attempt.objects.get(user=ana)
    attempt.submitted_at = attempt.started_at + timedelta(minutes=12, seconds=30)
    attempt.save()
    attempt_row(three, ana, number=2, fraction=0.5)  # 5 minutes

    page = teacher_client.get(
        reverse("teach:student", args=[course.slug, ana.pk])
    ).content.decode()

    assert 'data-testid="time-on-task">17:30<' in page
    assert lesson.title in page
    assert "1 of 4" in page


def test_time_on_task_is_summed_in_the_database(course, three):
    ana = three.attempts.get(user__username="ana").user
    attempt_row(three, ana, number=2, fraction=0.5)  # 5 more minutes
    attempt_row(three, ana, number=3, state=AttemptState.IN_PROGRESS)  # not counted
    book = selectors.gradebook_for(course=course)
    overview = selectors.student_overview(book=book, student=ana)
    assert overview.time_on_task == timedelta(minutes=10)
    assert overview.row.cells[0].attempts == 3
