"""CSV exports: the wide gradebook carries the numbers the page shows, the long
file one row per student × attempt × question; both stream."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.services import lesson_complete
from quizzes.models import AttemptState
from tests.teach.conftest import (
    ESSAY,
    SINGLE,
    TRUEFALSE,
    attempt_row,
    make_quiz,
    take,
)

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def book(course, enrolled):
    exam = make_quiz(course, slug="exam", questions=(TRUEFALSE,), weight=2)
    check = make_quiz(
        course, slug="check", questions=(TRUEFALSE,), grading_method="average"
    )
    students = enrolled(*[f"s{n}" for n in range(7)])
    for n, student in enumerate(students):
        if n % 3:
            attempt_row(exam, student, fraction=n / 7)
        for number in range(1, n % 4 + 1):
            attempt_row(check, student, number=number, fraction=((n + number) % 5) / 4)
        if n == 2:
            attempt_row(check, student, number=9, state=AttemptState.NEEDS_GRADING)
        for lesson in course.lessons.all()[: n % 5]:
            lesson_complete(user=student, lesson=lesson)
    return course


def _page_numbers(html: str) -> dict[str, list[str]]:
    rows = {}
    for match in re.finditer(
        r'<tr data-testid="row" data-username="([^"]+)">(.*?)</tr>', html, re.S
    ):
        # In the CSV's column order (the page puts the total first, frozen).
        values = [
            value
            for testid in ("cell", "completion", "total")
            for value in re.findall(
                rf'data-testid="{testid}" data-value="([^"]*)"', match[2]
            )
        ]
        result = re.search(r'data-testid="result">(.*?)</td>', match[2], re.S)[1]
        verdict = "pass" if ">pass<" in result else "fail" if ">fail<" in result else ""
        rows[match[1]] = [*values, verdict]
    return rows


def test_the_wide_csv_has_the_numbers_the_page_shows(teacher_client, book):
    page = teacher_client.get(reverse("teach:gradebook", args=[book.slug]))
    on_screen = _page_numbers(page.content.decode())
    assert len(on_screen) == 7

    exported = _csv(
        teacher_client.get(reverse("teach:gradebook-csv", args=[book.slug]))
    )

    header, *rows = exported
    assert header[:3] == ["Username", "Name", "E-mail"]
    assert header[3:5] == ["Exam (%)", "Check (%)"]
    in_file = {row[0]: row[3:] for row in rows}
    assert in_file == on_screen
    assert any(
        value not in ("", "0", "100") for row in in_file.values() for value in row
    )


def test_the_wide_csv_follows_the_pages_filter_and_sort(teacher_client, book):
    url = reverse("teach:gradebook-csv", args=[book.slug])
    rows = _csv(teacher_client.get(url, {"sort": "-total"}))[1:]
    totals = [float(row[-2] or 0) for row in rows]
    assert totals == sorted(totals, reverse=True)
    pending = _csv(teacher_client.get(url, {"status": "needs_grading"}))[1:]
    assert [row[0] for row in pending] == ["s2"]


def test_the_long_csv_has_one_row_per_student_attempt_and_question(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE, ESSAY))
    ana, bo = enrolled("ana", "bo")
    take(quiz, ana, {"capital": "Quito", "amazon": "true", "essay": "=HYPERLINK(1)"})
    take(quiz, ana, {"capital": "Lima", "amazon": "true"})
    take(quiz, bo, {"capital": "Lima"})

    response = teacher_client.get(reverse("teach:responses-csv", args=[course.slug]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="demo-responses.csv"' in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert len(rows) == 3 * 3
    column = {name: i for i, name in enumerate(header)}
    first = rows[0]
    assert first[column["Username"]] == "ana"
    assert first[column["Attempt"]] == "1"
    assert first[column["Question number"]] == "1"
    assert first[column["Answer"]] == "Quito"
    assert first[column["Score"]] == "0"
    assert first[column["Maximum"]] == "1"
    assert first[column["Question version"]] == "1"
    assert first[column["Answered"]]
    essay = rows[2]
    assert essay[column["Answer"]] == "'=HYPERLINK(1)"  # not a formula
    assert essay[column["Score"]] == ""  # waiting for grading
    unanswered = rows[-1]
    assert (unanswered[column["Username"]], unanswered[column["Answer"]]) == ("bo", "")


@pytest.mark.parametrize("students", [2, 6])
def test_the_long_csv_costs_two_queries_whatever_its_length(
    teacher_client, course, enrolled, students
):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    for student in enrolled(*[f"s{n}" for n in range(students)]):
        take(quiz, student, {"capital": "Lima", "amazon": "false"})
    response = teacher_client.get(reverse("teach:responses-csv", args=[course.slug]))
    with CaptureQueriesContext(connection) as queries:
        rows = _csv(response)
    assert len(rows) == 1 + students * 2
    assert len(queries) == 2  # attempts and responses, read side by side


def test_responses_whose_attempt_was_not_read_are_skipped(monkeypatch, course):
    """An attempt submitted between the two reads never shifts rows."""
    from teach import exports

    def attempt(user, number):
        return (user, 1, number, f"u{user}", "", "", "Quiz", "graded", None, None)

    def response(user, number, position):
        return (user, 1, number, position, 9, "k", 1, "shortanswer", "T",
                None, None, None, '"x"', 1.0, 1.0, None)  # fmt: skip

    monkeypatch.setattr(
        exports, "attempts_rows", lambda course: iter([attempt(1, 1), attempt(2, 1)])
    )
    monkeypatch.setattr(
        exports,
        "responses_rows",
        lambda course: iter(
            [response(1, 1, 0), response(1, 2, 0), response(2, 1, 0), response(3, 1, 0)]
        ),
    )
    rows = list(exports.responses_csv_rows(course=course))[1:]
    assert [(r[0], r[3]) for r in rows] == [("u1", 1), ("u2", 1)]


def test_exports_leave_out_previews_and_attempts_in_progress(
    teacher_client, course, enrolled, staff
):
    from quizzes.services import attempt_start

    quiz = make_quiz(course, questions=(TRUEFALSE,))
    (ana,) = enrolled("ana")
    attempt_start(quiz=quiz, user=ana)
    attempt_start(quiz=quiz, user=staff, preview=True)
    rows = _csv(teacher_client.get(reverse("teach:responses-csv", args=[course.slug])))
    assert rows[1:] == []
