"""Instructors cannot open the admin's user pages (they hold no permission on
users): no form they use links there, so no link answers 403. A superuser,
who may open them, keeps the links."""

import pytest
from django.urls import reverse

from quizzes.models import QuizOverride
from tests.factories import EnrollmentFactory, UserFactory, make_quiz

pytestmark = pytest.mark.django_db

USER_PAGES = "/admin/auth/user/"


@pytest.fixture
def enrolled(course_a):
    student = UserFactory(username="stu")
    return EnrollmentFactory(user=student, course=course_a)


@pytest.fixture
def override(course_a, enrolled):
    quiz = make_quiz(course=course_a, slug="unit")
    return QuizOverride.objects.create(
        quiz=quiz, user=enrolled.user, attempts_allowed=3
    )


def _pages(enrolled, override):
    return [
        reverse("admin:quizzes_quizoverride_add"),
        reverse("admin:quizzes_quizoverride_change", args=[override.pk]),
        reverse("admin:quizzes_accommodation_add"),
        reverse("admin:quizzes_quiz_change", args=[override.quiz.pk]),
        reverse("admin:lessons_enrollment_change", args=[enrolled.pk]),
    ]


def test_instructors_see_no_link_to_user_pages(instructor_client, enrolled, override):
    for url in _pages(enrolled, override):
        response = instructor_client.get(url)
        assert response.status_code == 200, url
        assert USER_PAGES not in response.content.decode(), url


def test_the_student_is_still_named_and_chosen(instructor_client, enrolled, override):
    url = reverse("admin:quizzes_quizoverride_change", args=[override.pk])
    html = instructor_client.get(url).content.decode()
    assert f'<option value="{enrolled.user.pk}" selected>stu</option>' in html

    url = reverse("admin:lessons_enrollment_change", args=[enrolled.pk])
    assert "stu" in instructor_client.get(url).content.decode()


def test_a_superuser_keeps_the_links(superuser_client, enrolled, override):
    url = reverse("admin:quizzes_quizoverride_change", args=[override.pk])
    assert USER_PAGES in superuser_client.get(url).content.decode()


def test_an_attempt_names_its_student_without_a_link(instructor_client, course_a):
    from tests.teach.conftest import TRUEFALSE, take
    from tests.teach.conftest import make_quiz as bank_quiz

    student = UserFactory(username="taker")
    EnrollmentFactory(user=student, course=course_a)
    attempt = take(bank_quiz(course_a, questions=(TRUEFALSE,)), student, {})
    url = reverse("admin:quizzes_attempt_change", args=[attempt.pk])

    html = instructor_client.get(url).content.decode()

    assert "taker" in html
    assert USER_PAGES not in html
