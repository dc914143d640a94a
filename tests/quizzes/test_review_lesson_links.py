"""The review of an attempt links each question back to the lesson it tests."""

import pytest

from quizzes import services
from tests.factories import make_quiz
from tests.quizzes.samples import single
from tests.quizzes.support import result_url

pytestmark = pytest.mark.django_db


def test_each_reviewed_question_links_to_the_lesson_it_tests(
    enrolled_client, student, course, lesson
):
    quiz = make_quiz(course=course, lesson=lesson, questions=[single()])
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=attempt)

    html = enrolled_client.get(result_url(attempt)).content.decode()

    assert f'href="{lesson.get_absolute_url()}"' in html
    assert "Revisit the lesson this question tests" in html


def test_no_link_to_an_unpublished_lesson(enrolled_client, student, course, lesson):
    quiz = make_quiz(course=course, lesson=lesson, questions=[single()])
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=attempt)
    lesson.is_published = False
    lesson.save()

    html = enrolled_client.get(result_url(attempt)).content.decode()

    assert "Revisit the lesson this question tests" not in html
