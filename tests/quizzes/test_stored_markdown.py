"""A question whose stored text the Markdown guard would refuse (saved before the
guard, or written straight to the database) never fails a quiz: starting and
opening the attempt work, and the text is shown escaped."""

import pytest

from quizzes.models import Question
from tests.factories import EnrollmentFactory, make_quiz
from tests.quizzes.samples import single
from tests.quizzes.support import attempt_url, start_url

pytestmark = pytest.mark.django_db

NESTED = "".join("    " * level + "- a\n" for level in range(300))


def test_every_start_of_a_quiz_with_a_deeply_nested_question_works(client, course):
    quiz = make_quiz(course=course, questions=[single()], is_published=True)
    Question.objects.filter(slots__quiz=quiz).update(text=NESTED)
    student = EnrollmentFactory(course=course).user
    client.force_login(student)

    started = client.post(start_url(quiz))

    assert started.status_code == 302
    attempt = quiz.attempts.get(user=student)
    page = client.get(attempt_url(attempt))
    assert page.status_code == 200
    assert "markdown-unrendered" in page.content.decode()
