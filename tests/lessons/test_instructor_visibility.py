"""Unpublished content on the student pages: the course's instructors and
superusers see it; other staff see what students see."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lessons.models import Course, Lesson
from lessons.roles import INSTRUCTORS_GROUP
from quizzes.models import Attempt
from tests.factories import StaffFactory, make_course, make_quiz
from tests.quizzes.samples import single

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    course = make_course(modules=1, lessons_per_module=2, slug="draft", title="Draft")
    Course.objects.filter(pk=course.pk).update(is_published=False)
    return Course.objects.get(pk=course.pk)


def _instructor(username, *courses):
    user = StaffFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    for course in courses:
        course.instructors.add(user)
    client = Client()
    client.force_login(user)
    return user, client


def test_the_courses_instructor_opens_its_unpublished_syllabus_and_lessons(draft):
    _, client = _instructor("ines", draft)
    lesson = draft.lessons.first()

    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert b"Draft" in client.get("/").content


def test_an_instructor_of_another_course_gets_404_on_unpublished_content(draft):
    other = make_course(slug="other", title="Other")
    _, client = _instructor("olga", other)
    lesson = draft.lessons.first()

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert b"Draft" not in client.get("/").content


def test_an_unpublished_lesson_of_a_published_course_is_hidden_from_other_staff():
    course = make_course(slug="open", title="Open")
    lesson = course.lessons.first()
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)
    _, teacher = _instructor("tess", course)
    _, stranger = _instructor("sam")

    assert teacher.get(lesson.get_absolute_url()).status_code == 200
    assert stranger.get(lesson.get_absolute_url()).status_code == 404


def test_staff_who_do_not_teach_a_course_take_its_quiz_as_students_do():
    course = make_course(slug="open", title="Open")
    quiz = make_quiz(course=course, questions=[single()])
    user, client = _instructor("sam")

    response = client.post(
        f"/courses/{course.slug}/quizzes/{quiz.slug}/start/", follow=True
    )

    # Not enrolled, not teaching: sent to enrol, no preview attempt is made.
    assert b"Enrol in the course" in response.content
    assert not Attempt.objects.filter(user=user).exists()


def test_the_courses_instructor_previews_its_quiz():
    course = make_course(slug="open", title="Open")
    quiz = make_quiz(course=course, questions=[single()])
    user, client = _instructor("tess", course)

    client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start/")

    assert Attempt.objects.get(user=user).is_preview


def test_a_course_with_two_instructors_is_listed_and_opened_once(draft):
    user, client = _instructor("ines", draft)
    _instructor("iris", draft)
    lesson = draft.lessons.first()

    assert list(Course.objects.visible_to(user)).count(draft) == 1
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert Lesson.objects.filter(course=draft).visible_to(user).count() == 2
