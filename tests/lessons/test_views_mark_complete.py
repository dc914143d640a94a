"""Marking a lesson complete: a POST that moves progress on to the next lesson."""

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson, LessonProgress
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def complete_url(lesson, course=None):
    return reverse(
        "lessons:lesson-complete",
        kwargs={
            "course_slug": (course or lesson.course).slug,
            "lesson_slug": lesson.slug,
        },
    )


def completed(user):
    return set(
        LessonProgress.objects.filter(
            user=user, status=LessonProgress.Status.COMPLETED
        ).values_list("lesson_id", flat=True)
    )


def test_mark_complete_completes_the_lesson_and_opens_the_next(
    enrolled_client, student, course_lessons
):
    response = enrolled_client.post(complete_url(course_lessons[0]))

    assert response.status_code == 302
    assert response.url == course_lessons[1].get_absolute_url()
    assert completed(student) == {course_lessons[0].pk}


def test_mark_complete_moves_the_progress_shown_on_the_course_page(
    enrolled_client, course, course_lessons
):
    enrolled_client.post(complete_url(course_lessons[0]))
    enrolled_client.post(complete_url(course_lessons[1]))

    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert "50% · 2 of 4 lessons" in html


def test_mark_complete_says_so_on_the_next_lesson(enrolled_client, course_lessons):
    response = enrolled_client.post(complete_url(course_lessons[0]), follow=True)

    assert f"“{course_lessons[0].title}” marked complete." in response.content.decode()


def test_completing_the_last_lesson_returns_to_the_course_page(
    enrolled_client, course, course_lessons
):
    response = enrolled_client.post(complete_url(course_lessons[-1]))

    assert response.url == course.get_absolute_url()


def test_marking_complete_twice_keeps_one_completion(
    enrolled_client, student, course_lessons
):
    enrolled_client.post(complete_url(course_lessons[0]))
    first = LessonProgress.objects.get(user=student, lesson=course_lessons[0])

    response = enrolled_client.post(complete_url(course_lessons[0]))

    assert response.status_code == 302
    again = LessonProgress.objects.get(user=student, lesson=course_lessons[0])
    assert again.completed_at == first.completed_at


def test_completing_a_lesson_opened_before_completes_it(
    enrolled_client, student, course_lessons
):
    enrolled_client.get(course_lessons[0].get_absolute_url())

    enrolled_client.post(complete_url(course_lessons[0]))

    assert completed(student) == {course_lessons[0].pk}


def test_mark_complete_by_get_is_not_allowed(enrolled_client, student, course_lessons):
    response = enrolled_client.get(complete_url(course_lessons[0]))

    assert response.status_code == 405
    assert completed(student) == set()


def test_visitors_are_sent_to_log_in(client, course_lessons):
    response = client.post(complete_url(course_lessons[0]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_students_not_enrolled_are_sent_to_the_course_page(
    student_client, student, course, course_lessons
):
    response = student_client.post(complete_url(course_lessons[0]))

    assert response.url == course.get_absolute_url()
    assert completed(student) == set()


def test_mark_complete_without_csrf_token_is_forbidden(
    student, course, course_lessons, enrolled_client
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post(complete_url(course_lessons[0]))

    assert response.status_code == 403
    assert completed(student) == set()


def test_an_unpublished_lesson_cannot_be_completed_by_students(
    enrolled_client, student, course_lessons
):
    Lesson.objects.filter(pk=course_lessons[0].pk).update(is_published=False)

    response = enrolled_client.post(complete_url(course_lessons[0]))

    assert response.status_code == 404
    assert completed(student) == set()


def test_a_lesson_of_another_course_cannot_be_completed_under_this_one(
    enrolled_client, student, course
):
    foreign = make_course(slug="other-course").lessons.first()

    response = enrolled_client.post(complete_url(foreign, course=course))

    assert response.status_code == 404
    assert completed(student) == set()
