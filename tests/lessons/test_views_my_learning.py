"""My learning: the student's courses, how far they got, and where to continue."""

import pytest
from django.urls import reverse

from lessons.models import Lesson
from lessons.services import lesson_complete
from tests.factories import CourseFactory, EnrollmentFactory, make_course

pytestmark = pytest.mark.django_db

URL = reverse("lessons:my-learning")


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_a_student_without_enrolments_is_pointed_to_the_catalogue(student_client):
    html = student_client.get(URL).content.decode()

    assert "You are not enrolled in any course yet." in html
    assert f'href="{reverse("lessons:catalogue")}"' in html


def test_lists_only_the_courses_the_student_is_enrolled_in(enrolled_client, course):
    CourseFactory(title="Not Mine")

    response = enrolled_client.get(URL)

    html = response.content.decode()
    assert [row.course for row in response.context["rows"]] == [course]
    assert f'href="{course.get_absolute_url()}">{course.title}</a>' in html
    assert "Not Mine" not in html


def test_shows_progress_and_continue_at_the_first_unfinished_lesson(
    enrolled_client, student, course_lessons
):
    lesson_complete(user=student, lesson=course_lessons[0])
    lesson_complete(user=student, lesson=course_lessons[2])

    response = enrolled_client.get(URL)

    html = response.content.decode()
    assert "50% · 2 of 4 lessons" in html
    assert f'href="{course_lessons[1].get_absolute_url()}">Continue' in html
    assert f"Next: {course_lessons[1].title}" in html


def test_continue_skips_unpublished_lessons(enrolled_client, student, course_lessons):
    lesson_complete(user=student, lesson=course_lessons[0])
    Lesson.objects.filter(pk=course_lessons[1].pk).update(is_published=False)

    html = enrolled_client.get(URL).content.decode()

    assert f'href="{course_lessons[2].get_absolute_url()}">Continue' in html
    assert "33% · 1 of 3 lessons" in html


def test_a_finished_course_says_so(enrolled_client, student, course_lessons):
    for lesson in course_lessons:
        lesson_complete(user=student, lesson=lesson)

    html = enrolled_client.get(URL).content.decode()

    assert "100% · 4 of 4 lessons" in html
    assert "Course complete. Well done!" in html
    assert ">Continue" not in html


def test_progress_of_other_students_does_not_count(
    enrolled_client, course, course_lessons
):
    other = EnrollmentFactory(course=course).user
    for lesson in course_lessons:
        lesson_complete(user=other, lesson=lesson)

    html = enrolled_client.get(URL).content.decode()

    assert "0% · 0 of 4 lessons" in html
    assert f'href="{course_lessons[0].get_absolute_url()}">Continue' in html


def test_progress_in_one_course_does_not_count_in_another(
    enrolled_client, student, course
):
    other = make_course(slug="other-course", title="Other")
    EnrollmentFactory(user=student, course=other)
    for lesson in other.lessons.all():
        lesson_complete(user=student, lesson=lesson)

    rows = {row.course.slug: row for row in enrolled_client.get(URL).context["rows"]}

    assert rows["demo"].summary.completed == 0
    assert rows["other-course"].summary.percent == 100
    assert rows["other-course"].next_lesson_url is None


def test_most_recently_active_course_comes_first(enrolled_client, student, course):
    other = make_course(slug="other-course", title="Other")
    EnrollmentFactory(user=student, course=other)
    lesson_complete(user=student, lesson=other.lessons.first())

    rows = enrolled_client.get(URL).context["rows"]

    assert [row.course.slug for row in rows] == ["other-course", "demo"]


def test_unpublished_courses_are_hidden_from_students(enrolled_client, course):
    course.is_published = False
    course.save()

    response = enrolled_client.get(URL)

    assert list(response.context["rows"]) == []
