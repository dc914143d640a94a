"""Enrolling in a course: a POST with a CSRF token, from a logged-in user."""

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import Enrollment
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def enrol_url(course):
    return reverse("lessons:course-enrol", kwargs={"course_slug": course.slug})


def test_enrolling_creates_the_enrolment_and_opens_the_first_lesson(
    student_client, student, course, course_lessons
):
    response = student_client.post(enrol_url(course))

    assert response.status_code == 302
    assert response.url == course_lessons[0].get_absolute_url()
    assert Enrollment.objects.filter(user=student, course=course).count() == 1


def test_enrolling_says_so(student_client, course):
    response = student_client.post(enrol_url(course), follow=True)

    assert "You are enrolled in Demo." in response.content.decode()


def test_enrolling_twice_keeps_one_enrolment(student_client, student, course):
    student_client.post(enrol_url(course))

    response = student_client.post(enrol_url(course))

    assert response.status_code == 302
    assert Enrollment.objects.filter(user=student, course=course).count() == 1


def test_enrolling_again_continues_at_the_first_unfinished_lesson(
    student_client, course, course_lessons
):
    student_client.post(enrol_url(course))
    complete_url = reverse(
        "lessons:lesson-complete",
        kwargs={"course_slug": course.slug, "lesson_slug": course_lessons[0].slug},
    )
    student_client.post(complete_url)

    response = student_client.post(enrol_url(course))

    assert response.url == course_lessons[1].get_absolute_url()


def test_enrolling_in_a_course_without_lessons_returns_to_the_course(
    student_client,
):
    course = CourseFactory()

    response = student_client.post(enrol_url(course))

    assert response.url == course.get_absolute_url()


def test_enrol_by_get_is_not_allowed(student_client, student, course):
    response = student_client.get(enrol_url(course))

    assert response.status_code == 405
    assert not Enrollment.objects.filter(user=student).exists()


def test_enrol_by_get_is_not_allowed_for_visitors_either(client, course):
    assert client.get(enrol_url(course)).status_code == 405


def test_visitors_are_sent_to_log_in_before_enrolling(client, course):
    response = client.post(enrol_url(course))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={enrol_url(course)}"
    assert not Enrollment.objects.exists()


def test_enrol_without_csrf_token_is_forbidden(student, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post(enrol_url(course))

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_enrol_with_the_pages_csrf_token_works(student, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    page = client.get(course.get_absolute_url())
    token = page.context["csrf_token"]

    response = client.post(enrol_url(course), {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert Enrollment.objects.filter(user=student, course=course).exists()


def test_enrolling_in_an_unpublished_course_is_not_found(student_client, student):
    course = CourseFactory(is_published=False)

    response = student_client.post(enrol_url(course))

    assert response.status_code == 404
    assert not Enrollment.objects.filter(user=student).exists()


def test_enrolling_in_an_unknown_course_is_not_found(student_client):
    response = student_client.post("/courses/no-such-course/enrol/")

    assert response.status_code == 404
