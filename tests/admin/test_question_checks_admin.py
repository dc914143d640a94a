"""The item-writing checks in the admin: warnings beside the question editor's
fields (a save is never blocked) and a "Question checks" list on the quiz page."""

import pytest
from django.urls import reverse

from quizzes.models import Question
from tests.admin.support import question_change_post
from tests.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db

CUED = {
    "type": "truefalse",
    "text": "Peru only trains with Chile.",
    "correct": False,
}


@pytest.fixture
def cued(course_a):
    return make_question(course=course_a, data={**CUED, "key": "cued"})


def test_the_question_editor_shows_the_warning_beside_the_text(instructor_client, cued):
    page = instructor_client.get(
        reverse("admin:quizzes_question_change", args=[cued.pk])
    ).content.decode()
    assert 'data-check="absolute-word-cue"' in page
    assert "Found: false statement says &#x27;only&#x27;" in page


def test_a_question_with_findings_saves_and_says_so(instructor_client, cued):
    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[cued.pk]),
        question_change_post(cued, text="Peru never trains with Chile."),
        follow=True,
    )
    assert response.status_code == 200
    cued.refresh_from_db()
    assert cued.text == "Peru never trains with Chile."
    warnings = [str(m) for m in response.context["messages"]]
    assert any("'never'" in message for message in warnings)


def test_a_clean_question_shows_no_finding(instructor_client, course_a):
    clean = make_question(
        course=course_a,
        data={"type": "truefalse", "text": "Peru borders Chile.", "correct": True},
    )
    page = instructor_client.get(
        reverse("admin:quizzes_question_change", args=[clean.pk])
    ).content.decode()
    assert "No finding." in page


def test_the_quiz_page_lists_its_question_checks_with_links(
    instructor_client, course_a, cued
):
    quiz = make_quiz(course=course_a, questions=[cued])
    page = instructor_client.get(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    ).content.decode()
    assert 'data-check="absolute-word-cue"' in page
    assert reverse("admin:quizzes_question_change", args=[cued.pk]) in page
    assert reverse("teach:checks", args=[course_a.slug, quiz.slug]) in page
    assert Question.objects.count() == 1
