"""Enrolment and progress services: each is safe to call twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.models import Enrollment, LessonProgress
from lessons.services import (
    enrollment_create,
    lesson_complete,
    lesson_start,
)
from tests.factories import LessonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(course):
    return course.lessons.order_by("module__position", "position").first()


def test_enrolling_creates_an_enrolment(student, course):
    enrollment = enrollment_create(user=student, course=course)

    assert enrollment.user == student
    assert enrollment.course == course
    assert Enrollment.objects.filter(user=student, course=course).count() == 1


def test_enrolling_twice_returns_the_same_enrolment(student, course):
    first = enrollment_create(user=student, course=course)

    second = enrollment_create(user=student, course=course)

    assert second.pk == first.pk
    assert Enrollment.objects.filter(user=student, course=course).count() == 1


def test_enrolments_are_per_user(student, course):
    other = UserFactory()

    enrollment_create(user=student, course=course)
    enrollment_create(user=other, course=course)

    assert course.enrollments.count() == 2


def test_starting_a_lesson_records_it_as_started(student, course, lesson):
    enrollment = enrollment_create(user=student, course=course)

    lesson_start(user=student, lesson=lesson, enrollment=enrollment)

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.status == LessonProgress.Status.STARTED
    assert progress.course == course
    assert progress.completed_at is None
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == lesson
    assert enrollment.last_activity_at is not None


def test_starting_a_lesson_twice_keeps_the_first_start(student, course, lesson):
    enrollment = enrollment_create(user=student, course=course)
    lesson_start(user=student, lesson=lesson, enrollment=enrollment)
    started_at = LessonProgress.objects.get(user=student, lesson=lesson).started_at

    lesson_start(user=student, lesson=lesson, enrollment=enrollment)

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.started_at == started_at
    assert LessonProgress.objects.filter(user=student).count() == 1


def test_starting_a_completed_lesson_leaves_it_completed(student, course, lesson):
    enrollment = enrollment_create(user=student, course=course)
    lesson_complete(user=student, lesson=lesson)

    lesson_start(user=student, lesson=lesson, enrollment=enrollment)

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.status == LessonProgress.Status.COMPLETED


def test_starting_another_lesson_moves_the_last_lesson(student, course):
    first, second = course.lessons.order_by("module__position", "position")[:2]
    enrollment = enrollment_create(user=student, course=course)
    lesson_start(user=student, lesson=first, enrollment=enrollment)

    lesson_start(user=student, lesson=second, enrollment=enrollment)

    enrollment.refresh_from_db()
    assert enrollment.last_lesson == second


def test_completing_a_lesson_marks_it_completed_now(student, course, lesson):
    before = timezone.now()

    progress = lesson_complete(user=student, lesson=lesson)

    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.COMPLETED
    assert before <= progress.completed_at <= timezone.now()
    assert progress.course == course


def test_completing_a_started_lesson_keeps_its_start_time(student, course, lesson):
    enrollment = enrollment_create(user=student, course=course)
    lesson_start(user=student, lesson=lesson, enrollment=enrollment)
    started_at = LessonProgress.objects.get(user=student, lesson=lesson).started_at

    lesson_complete(user=student, lesson=lesson)

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.status == LessonProgress.Status.COMPLETED
    assert progress.started_at == started_at


def test_completing_a_lesson_twice_keeps_the_first_completion_time(student, lesson):
    first = lesson_complete(user=student, lesson=lesson)
    # Pretend the first completion happened an hour ago.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    LessonProgress.objects.filter(pk=first.pk).update(completed_at=an_hour_ago)

    second = lesson_complete(user=student, lesson=lesson)

    assert second.pk == first.pk
    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.completed_at == an_hour_ago
    assert LessonProgress.objects.filter(user=student, lesson=lesson).count() == 1


def test_completing_a_lesson_records_activity_on_the_enrolment(student, course, lesson):
    enrollment = enrollment_create(user=student, course=course)

    lesson_complete(user=student, lesson=lesson)

    enrollment.refresh_from_db()
    assert enrollment.last_activity_at is not None


def test_progress_of_one_student_does_not_affect_another(student, lesson):
    other = UserFactory()

    lesson_complete(user=student, lesson=lesson)

    assert not LessonProgress.objects.filter(user=other).exists()


def test_progress_is_recorded_against_the_lessons_own_course(student):
    lesson = LessonFactory()

    progress = lesson_complete(user=student, lesson=lesson)

    assert progress.course_id == lesson.course_id
