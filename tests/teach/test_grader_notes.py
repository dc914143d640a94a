"""Grading an essay shows the grader the question's model answer (its general
feedback) and the template the student started from; the score box is sized
for a mark."""

import re

import pytest
from django.urls import reverse

from tests.teach.conftest import ESSAY, make_quiz, take

pytestmark = pytest.mark.django_db


def _grade_page(teacher_client, course, enrolled, **essay):
    quiz = make_quiz(course, questions=({**ESSAY, **essay},))
    (student,) = enrolled("ana")
    attempt = take(quiz, student, {"essay": "The treaty settled it."})
    response = attempt.responses.get(snapshot__type="essay")
    url = reverse("teach:response-grade", args=[response.pk])
    return teacher_client.get(url).content.decode()


def test_the_model_answer_is_beside_the_answer(teacher_client, course, enrolled):
    html = _grade_page(
        teacher_client,
        course,
        enrolled,
        general_feedback="A good answer names **the 1828 treaty**.",
        response_template="Cause:\nEffect:",
    )

    notes = html.split('data-testid="grader-notes"')[1].split("</aside>")[0]
    assert "<strong>the 1828 treaty</strong>" in notes
    assert "Cause:\nEffect:" in notes


def test_without_general_feedback_the_grader_is_told_where_to_add_it(
    teacher_client, course, enrolled
):
    html = _grade_page(teacher_client, course, enrolled)

    assert "has no general feedback to guide grading" in html


def test_the_score_box_is_sized_for_a_mark(teacher_client, course, enrolled):
    html = _grade_page(teacher_client, course, enrolled)

    score = re.search(r'<input[^>]*name="score"[^>]*>', html).group(0)
    assert "score-input" in score
    assert 'inputmode="decimal"' in score


def _notes(html: str) -> str:
    return html.split('data-testid="grader-notes"')[1].split("</aside>")[0]


def test_the_information_for_graders_comes_first_sanitised(
    teacher_client, course, enrolled
):
    html = _grade_page(
        teacher_client,
        course,
        enrolled,
        general_feedback="A good answer names **the 1828 treaty**.",
        grader_info=(
            "<p>Award <strong>4 marks</strong> for the mediator.</p>"
            '<script>alert("x")</script><img src="x" onerror="alert(1)">'
        ),
    )

    notes = _notes(html)
    assert "Information for graders" in notes
    assert "Award <strong>4 marks</strong> for the mediator." in notes
    assert notes.index("Award <strong>4 marks") < notes.index("the 1828 treaty")
    assert "<script" not in notes and "onerror" not in notes
    assert "has no general feedback" not in notes


def test_grader_information_alone_is_enough_to_guide_grading(
    teacher_client, course, enrolled
):
    notes = _notes(
        _grade_page(teacher_client, course, enrolled, grader_info="Look for *dates*.")
    )

    assert "Information for graders" in notes
    assert "<em>dates</em>" in notes
    assert "has no general feedback to guide grading" not in notes


def test_without_grader_information_no_such_heading(teacher_client, course, enrolled):
    notes = _notes(
        _grade_page(teacher_client, course, enrolled, general_feedback="Model.")
    )

    assert "Information for graders" not in notes


def test_the_grader_sees_the_word_count_against_the_limits(
    teacher_client, course, enrolled
):
    """As Moodle's review shows it: "The treaty settled it." is 4 words."""
    short = _grade_page(teacher_client, course, enrolled, min_word_limit=50)

    assert "Word count: 4, fewer than the limit of 50 words." in short


def test_no_word_count_without_word_limits(teacher_client, course, enrolled):
    assert "Word count" not in _grade_page(teacher_client, course, enrolled)
