"""An instructor previews a question as a student sees it on the attempt page:
the same partial, the options to choose from, and nothing that gives the
answer away. Only those who may view the question open it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

SINGLE = {
    "type": "single",
    "text": "Which treaty ended the war?",
    "general_feedback": "GENERAL-FEEDBACK-SECRET",
    "options": [
        {"text": "Montevideo", "fraction": 1.0, "feedback": "RIGHT-FEEDBACK"},
        {"text": "Madrid", "fraction": 0.0, "feedback": "WRONG-FEEDBACK"},
    ],
}
SHORT = {
    "type": "shortanswer",
    "text": "Name the treaty.",
    "answers": [{"text": "Ancon-SECRET", "fraction": 1.0, "feedback": ""}],
}


def _url(question):
    return reverse("admin:quizzes_question_preview", args=[question.pk])


def test_the_preview_shows_the_question_as_the_attempt_page_does(
    instructor_client, course_a
):
    question = make_question(course=course_a, data=SINGLE)

    response = instructor_client.get(_url(question))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="question-preview"' in html
    assert "Which treaty ended the war?" in html
    assert "Montevideo" in html and "Madrid" in html
    assert 'type="radio"' in html
    for secret in ("GENERAL-FEEDBACK-SECRET", "RIGHT-FEEDBACK", "WRONG-FEEDBACK"):
        assert secret not in html
    assert "fraction" not in html


def test_the_preview_never_shows_an_accepted_answer(instructor_client, course_a):
    question = make_question(course=course_a, data=SHORT)

    html = instructor_client.get(_url(question)).content.decode()

    assert "Name the treaty." in html
    assert "Ancon-SECRET" not in html


def test_the_change_form_links_to_the_preview(instructor_client, course_a):
    question = make_question(course=course_a, data=SINGLE)
    change = reverse("admin:quizzes_question_change", args=[question.pk])

    html = instructor_client.get(change).content.decode()

    assert f'href="{_url(question)}"' in html


def test_another_courses_question_is_not_found(instructor_client, course_b):
    question = make_question(course=course_b, data=SINGLE)

    assert instructor_client.get(_url(question)).status_code == 404


def test_a_student_is_sent_to_the_admin_login(course_a):
    question = make_question(course=course_a, data=SINGLE)
    client = Client()
    client.force_login(UserFactory(username="stu"))

    response = client.get(_url(question))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
