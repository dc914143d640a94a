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
