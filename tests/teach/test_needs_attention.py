"""The staff home lists what needs attention: answers waiting for grading,
questions flagged for review, and students idle for two weeks with lessons
left (a student who finished every lesson, or was active lately, is not)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.models import Enrollment, Lesson, LessonProgress
from quizzes.models import Question
from teach import selectors
from tests.teach.conftest import ESSAY, SINGLE, make_quiz, take

pytestmark = pytest.mark.django_db


def _idle(enrolment, days):
    Enrollment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=timezone.now() - timedelta(days=days + 30),
        last_activity_at=timezone.now() - timedelta(days=days),
    )


def _complete_all(user, course):
    for lesson in Lesson.objects.filter(course=course, is_published=True):
        LessonProgress.objects.create(
            user=user,
            lesson=lesson,
            course=course,
            status=LessonProgress.Status.COMPLETED,
            started_at=timezone.now(),
            completed_at=timezone.now(),
        )


def test_students_falling_behind_are_counted(instructor, course, enrolled):
    idle, active, never, finished = enrolled("idle", "active", "never", "done")
    _idle(Enrollment.objects.get(user=idle), days=20)
    _idle(Enrollment.objects.get(user=active), days=2)
    Enrollment.objects.filter(user=never).update(
        enrolled_at=timezone.now() - timedelta(days=40), last_activity_at=None
    )
    _idle(Enrollment.objects.get(user=finished), days=60)
    _complete_all(finished, course)

    (row,) = selectors.teacher_dashboard(user=instructor)

    assert row.falling_behind == 2  # idle and never; not active, not finished
    assert row.needs_attention


def test_the_staff_home_lists_what_needs_attention(teacher_client, course, enrolled):
    quiz = make_quiz(course, questions=(SINGLE, ESSAY))
    (ana,) = enrolled("ana")
    take(quiz, ana, {"capital": "Lima", "essay": "Words"})
    Question.objects.filter(course=course).update(needs_review=True)
    _idle(Enrollment.objects.get(user=ana), days=30)

    html = teacher_client.get(reverse("teach:dashboard")).content.decode()

    section = html.split('data-testid="needs-attention"')[1].split("</section>")[0]
    assert "1 answer waiting for grading" in section
    assert f'href="/teach/grading/?course={course.pk}"' in section
    assert "2 questions flagged for review" in section
    assert f"needs_review__exact=1&amp;course__id__exact={course.pk}" in section
    assert "1 student in" in section and "done nothing for 14 days" in section


def test_nothing_to_do_is_said(teacher_client, course):
    html = teacher_client.get(reverse("teach:dashboard")).content.decode()

    assert 'data-testid="attention-none"' in html
