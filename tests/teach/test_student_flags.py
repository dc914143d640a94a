"""Questions a student flagged during an attempt reach the graders: the attempt
page and the grading page mark them "Flagged by student" (in words, not colour
alone), the staff home counts recent attempts with flags, and a page lists
them, scoped to the courses the user teaches."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import services as quiz_services
from quizzes.models import Attempt
from teach import selectors
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, take

pytestmark = pytest.mark.django_db

MARK = 'data-testid="flagged-by-student"'


def _card(html: str, number: int) -> str:
    return html.split(f'id="q{number}"')[1].split("</article>")[0]


def test_the_attempt_page_marks_the_flagged_question_in_words(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Lima"}, flags=("amazon",))
    flagged = attempt.responses.get(flagged=True).position + 1
    other = attempt.responses.get(flagged=False).position + 1

    html = teacher_client.get(reverse("teach:attempt", args=[attempt.pk])).content
    html = html.decode()

    assert MARK in _card(html, flagged)
    assert "Flagged by student" in _card(html, flagged)
    assert MARK not in _card(html, other)
    summary = html.split('data-testid="flagged-summary"')[1].split("</p>")[0]
    assert f'href="#q{flagged}"' in summary


def test_an_attempt_without_flags_says_nothing_of_them(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Lima"})

    html = teacher_client.get(reverse("teach:attempt", args=[attempt.pk])).content

    assert b"flagged-by-student" not in html
    assert b"flagged-summary" not in html


def test_the_essay_grading_page_shows_the_student_flagged_it(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(ESSAY,))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"essay": "Not sure."}, flags=("essay",))
    response = attempt.responses.get()

    html = teacher_client.get(reverse("teach:response-grade", args=[response.pk]))

    assert MARK.encode() in html.content
    assert b"Flagged by student" in html.content


def test_the_grading_queue_marks_flagged_answers(teacher_client, course, enrolled):
    quiz = make_quiz(course, questions=(ESSAY,))
    ana, bo = enrolled("ana", "bo")
    take(quiz, ana, {"essay": "Not sure."}, flags=("essay",))
    take(quiz, bo, {"essay": "Sure."})

    html = teacher_client.get(reverse("teach:queue")).content.decode()

    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    marked = [row for row in rows if MARK in row]
    assert len(marked) == 1
    assert "ana" in marked[0]


def test_recent_attempts_with_flags_are_counted(instructor, course, enrolled):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    ana, bo, cy, di = enrolled("ana", "bo", "cy", "di")
    take(quiz, ana, {}, flags=("capital", "amazon"))  # one attempt, two flags
    take(quiz, bo, {})  # no flag
    old = timezone.now() - timedelta(days=30)
    take(quiz, cy, {}, flags=("capital",), now=old)  # long ago
    preview = take(quiz, di, {}, flags=("capital",))
    Attempt.objects.filter(pk=preview.pk).update(is_preview=True)

    (row,) = selectors.teacher_dashboard(user=instructor)

    assert row.attempts_flagged == 1
    assert row.needs_attention


def test_an_attempt_in_progress_with_a_flag_is_not_counted(
    instructor, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE,))
    (ana,) = enrolled("ana")
    attempt = quiz_services.attempt_start(quiz=quiz, user=ana)
    quiz_services.response_flag_set(attempt=attempt, position=0, flagged=True)

    (row,) = selectors.teacher_dashboard(user=instructor)

    assert row.attempts_flagged == 0


def test_the_staff_home_links_to_the_flagged_attempts(teacher_client, course, enrolled):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    (ana,) = enrolled("ana")
    take(quiz, ana, {}, flags=("amazon",))

    html = teacher_client.get(reverse("teach:dashboard")).content.decode()

    section = html.split('data-testid="attention-student-flags"')[1].split("</li>")[0]
    assert "1 attempt in" in section and "flagged" in section
    assert reverse("teach:flagged", args=[course.slug]) in section


def test_the_flagged_page_lists_each_attempt_with_links_to_its_questions(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    ana, quentin = enrolled("ana", "quentin")
    flagged = take(quiz, ana, {}, flags=("capital", "amazon"))
    take(quiz, quentin, {})

    response = teacher_client.get(reverse("teach:flagged", args=[course.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split('data-testid="flagged-attempts"')[1].split("</main>")[0]
    assert "ana" in rows and "quentin" not in rows
    url = reverse("teach:attempt", args=[flagged.pk])
    assert f'href="{url}#q1"' in rows and f'href="{url}#q2"' in rows


def test_the_flagged_page_of_a_course_not_taught_is_404(teacher_client, other_course):
    response = teacher_client.get(reverse("teach:flagged", args=[other_course.slug]))

    assert response.status_code == 404


def test_the_flagged_page_costs_the_same_queries_for_many_attempts(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    students = enrolled(*[f"s{i}" for i in range(12)])
    take(quiz, students[0], {}, flags=("capital",))
    url = reverse("teach:flagged", args=[course.slug])
    teacher_client.get(url)

    with CaptureQueriesContext(connection) as few:
        teacher_client.get(url)
    for student in students[1:]:
        take(quiz, student, {}, flags=("amazon",))
    with CaptureQueriesContext(connection) as many:
        teacher_client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)
