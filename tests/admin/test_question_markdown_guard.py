"""The question form refuses texts the Markdown guard refuses (the question's
text and feedback, each answer's texts), naming the field; nothing is saved."""

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionType
from tests.admin.support import answer_row, question_post

pytestmark = pytest.mark.django_db

ADD = reverse("admin:quizzes_question_add")
NESTED = "".join("    " * level + "- a\n" for level in range(100))
ROWS = [answer_row("A", 1), answer_row("B", 0)]


@pytest.mark.parametrize("field", ["text", "general_feedback"])
def test_a_question_text_nested_too_deeply_is_refused(
    instructor_client, course_a, field
):
    post = question_post(course=course_a, type=QuestionType.SINGLE, rows=ROWS)
    post[field] = NESTED

    response = instructor_client.post(ADD, post)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert "nested 100 levels deep" in response.content.decode()
    assert not Question.objects.filter(key="q-admin").exists()


def test_an_answer_feedback_nested_too_deeply_is_refused(instructor_client, course_a):
    rows = [answer_row("A", 1, feedback=NESTED), answer_row("B", 0)]
    post = question_post(course=course_a, type=QuestionType.SINGLE, rows=rows)

    response = instructor_client.post(ADD, post)

    assert response.status_code == 200
    assert "nested 100 levels deep" in response.content.decode()
    assert not Question.objects.filter(key="q-admin").exists()


def test_an_ordinary_question_is_saved(instructor_client, course_a):
    post = question_post(course=course_a, type=QuestionType.SINGLE, rows=ROWS)

    response = instructor_client.post(ADD, post)

    assert response.status_code == 302
    assert Question.objects.filter(key="q-admin").exists()
