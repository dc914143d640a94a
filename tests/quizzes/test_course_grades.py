"""A student's Grades page for a course: each quiz graded by its grading method,
the course total, whether it passes, and the quiz's feedback; their own grades
only, as the review options allow, at a cost that does not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import Course
from quizzes.models import Attempt, AttemptState
from quizzes.selectors import course_grades
from teach.selectors import gradebook_for, gradebook_rows, gradebook_students
from tests.factories import EnrollmentFactory, UserFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


def grades_url(course: Course) -> str:
    return reverse("quizzes:course-grades", kwargs={"course_slug": course.slug})


def attempt(quiz, user, fraction=None, *, state=AttemptState.GRADED, preview=False):
    number = Attempt.objects.filter(quiz=quiz, user=user).count() + 1
    now = timezone.now() - timedelta(hours=1)
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        state=state,
        is_preview=preview,
        started_at=now,
        submitted_at=None if state == AttemptState.IN_PROGRESS else now,
        max_score=1,
        score=fraction,
        fraction=fraction,
        passed=None if fraction is None else fraction >= quiz.pass_mark,
    )


@pytest.fixture
def quizzes(course):
    first = make_quiz(course=course, slug="a", title="Quiz A", pass_mark=0.5)
    second = make_quiz(
        course=course,
        slug="b",
        title="Quiz B",
        pass_mark=0.8,
        grading_method="last",
        overall_feedback=[
            {"min": 0.9, "text": "Superb"},
            {"min": 0, "text": "Keep going"},
        ],
    )
    return first, second


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", 0.9), ("average", 0.6), ("first", 0.6), ("last", 0.3)],
)
def test_each_quiz_is_graded_by_its_grading_method(student, course, method, expected):
    quiz = make_quiz(course=course, grading_method=method)
    for fraction in (0.6, 0.9, 0.3):
        attempt(quiz, student, fraction)
    attempt(quiz, student, state=AttemptState.IN_PROGRESS)
    attempt(quiz, student, 1.0, preview=True)

    (row,) = course_grades(user=student, course=course).rows

    assert row.grade == pytest.approx(expected)
    assert row.attempts == 4  # previews are not the student's attempts
    assert row.in_progress


def test_the_total_and_the_pass_mark_are_weighted_means(student, course, quizzes):
    first, second = quizzes
    second.weight = 3
    second.save()
    attempt(first, student, 1.0)
    attempt(second, student, 0.9)
    attempt(second, student, 0.6)  # "last": 0.6

    grades = course_grades(user=student, course=course)

    assert grades.total == pytest.approx((1.0 + 3 * 0.6) / 4)
    assert grades.pass_mark == pytest.approx((0.5 + 3 * 0.8) / 4)
    assert grades.passed is False
    assert grades.weighted
    assert [row.passed for row in grades.rows] == [True, False]


def test_a_quiz_not_taken_counts_0_and_nothing_graded_is_no_result(
    student, course, quizzes
):
    grades = course_grades(user=student, course=course)

    assert grades.total == 0
    assert grades.passed is None

    attempt(quizzes[0], student, 1.0)
    grades = course_grades(user=student, course=course)

    assert grades.total == pytest.approx(0.5)
    assert grades.passed is False  # the pass mark is (0.5 + 0.8) / 2


def test_passing_the_course(student, course, quizzes):
    attempt(quizzes[0], student, 0.7)
    attempt(quizzes[1], student, 0.8)

    grades = course_grades(user=student, course=course)

    assert grades.passed is True


def test_the_student_page_agrees_with_the_gradebook(student, course, quizzes):
    first, second = quizzes
    first.weight = 2
    first.save()
    attempt(first, student, 0.4)
    attempt(first, student, 0.7)
    attempt(second, student, 0.95)
    attempt(second, student, 0.5)
    EnrollmentFactory(user=student, course=course)
    book = gradebook_for(course=course)
    (row,) = gradebook_rows(
        book=book, students=list(gradebook_students(book=book, full=True))
    )

    grades = course_grades(user=student, course=course)

    assert grades.total == pytest.approx(row.total)
    assert grades.passed == row.passed
    assert grades.pass_mark == pytest.approx(book.pass_mark)
    assert [r.grade for r in grades.rows] == [
        pytest.approx(cell.grade) for cell in row.cells
    ]


def test_feedback_follows_the_grade_and_the_review_options(student, course, quizzes):
    attempt(quizzes[1], student, 0.95)

    rows = course_grades(user=student, course=course).rows

    assert [r.feedback for r in rows] == ["", "Superb"]

    quizzes[1].review_options = {"open": ["marks"]}
    quizzes[1].save()
    rows = course_grades(user=student, course=course).rows
    assert rows[1].feedback == ""
    assert rows[1].percent == "95"


def test_grades_the_review_options_hide_stay_hidden_and_the_total_with_them(
    student, course, quizzes
):
    first, second = quizzes
    second.review_options = {"immediately": ["marks"], "open": [], "closed": []}
    second.save()
    attempt(first, student, 1.0)
    attempt(second, student, 0.2)

    grades = course_grades(user=student, course=course)

    hidden = grades.rows[1]
    assert hidden.hidden and hidden.grade is None and hidden.passed is None
    assert grades.total is None and grades.total_hidden
    assert grades.passed is None


def test_an_attempt_waiting_for_a_teacher_is_shown_as_such(student, course, quizzes):
    attempt(quizzes[0], student, state=AttemptState.NEEDS_GRADING)

    row = course_grades(user=student, course=course).rows[0]

    assert row.pending and row.grade is None


def test_other_students_attempts_are_never_counted(student, course, quizzes):
    other = UserFactory()
    attempt(quizzes[0], other, 1.0)
    attempt(quizzes[1], other, 1.0)

    grades = course_grades(user=student, course=course)

    assert [r.attempts for r in grades.rows] == [0, 0]
    assert grades.total == 0


def test_unpublished_quizzes_and_other_courses_are_left_out(student, course, quizzes):
    make_quiz(course=course, slug="draft", title="Draft quiz", is_published=False)
    make_quiz(title="Elsewhere")

    titles = [r.quiz.title for r in course_grades(user=student, course=course).rows]

    assert titles == ["Quiz A", "Quiz B"]


# --------------------------------------------------------------------------
# The page


def test_the_grades_page_shows_each_quiz_the_total_and_the_result(
    enrolled_client, student, course, quizzes
):
    attempt(quizzes[0], student, 0.7)
    attempt(quizzes[1], student, 0.95)

    response = enrolled_client.get(grades_url(course))

    assert response.status_code == 200
    html = response.content.decode()
    total = html[html.index('data-testid="course-total"') :].split("</section>")[0]
    assert ">82.5%</p>" in total  # one decimal, as the gradebook writes it
    assert "Passing" in total
    assert "The pass mark is 65%." in total
    rows = html.split('data-testid="grade-row"')[1:]
    assert "Quiz A" in rows[0] and "70%" in rows[0] and "Passed" in rows[0]
    assert "Highest grade · 1 attempt" in rows[0]
    assert "Quiz B" in rows[1] and "Last attempt · 1 attempt" in rows[1]
    assert "Superb" in rows[1]


def test_a_hidden_grade_reads_not_released(enrolled_client, student, course, quizzes):
    quizzes[0].review_options = {"open": []}
    quizzes[0].save()
    attempt(quizzes[0], student, 0.7)

    html = enrolled_client.get(grades_url(course)).content.decode()

    assert "Not released yet" in html
    assert "70%" not in html
    assert "shown once every grade is released" in html


def test_a_course_without_quizzes_says_so(enrolled_client, course):
    html = enrolled_client.get(grades_url(course)).content.decode()

    assert "This course has no graded quizzes yet." in html


def test_students_not_enrolled_are_sent_to_the_course_page(student_client, course):
    response = student_client.get(grades_url(course))

    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_visitors_must_log_in(client, course):
    response = client.get(grades_url(course))

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_an_unpublished_course_is_a_404(student_client, student):
    hidden = make_course(slug="hidden", is_published=False)
    EnrollmentFactory(user=student, course=hidden)

    assert student_client.get(grades_url(hidden)).status_code == 404


def test_my_learning_links_to_each_courses_grades(enrolled_client, course):
    html = enrolled_client.get(reverse("lessons:my-learning")).content.decode()

    assert f'href="{grades_url(course)}">Grades' in html


# --------------------------------------------------------------------------
# Query budget: the same for 2 quizzes and 1 attempt as for 40 quizzes and
# 200 attempts (of this student and of others).

MAX_GRADES_QUERIES = 8


def _count(client, url) -> int:
    client.get(url)  # warm the caches every page shares (session, user, course)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_grades_page_queries_do_not_grow_with_the_data(
    student_client, student, django_assert_max_num_queries
):
    small = make_course(slug="small")
    large = make_course(slug="large")
    for course in (small, large):
        EnrollmentFactory(user=student, course=course)
    for n in range(2):
        quiz = make_quiz(course=small, slug=f"s{n}")
    attempt(quiz, student, 0.5)
    others = UserFactory.create_batch(3)
    for n in range(40):
        quiz = make_quiz(course=large, slug=f"l{n}", grading_method="average")
        for user in [student, *others[: n % 4]]:
            attempt(quiz, user, (n % 10) / 10)
        if n % 3 == 0:
            attempt(quiz, student, 0.9)

    counts = [_count(student_client, grades_url(c)) for c in (small, large)]

    assert counts[0] == counts[1]
    with django_assert_max_num_queries(MAX_GRADES_QUERIES):
        student_client.get(grades_url(large))
