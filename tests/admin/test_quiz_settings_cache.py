"""A student's quiz settings (their override, their accommodation) are cached per
quiz and student: every write the admin makes to an override or an accommodation
shows on the student's quiz page at the next request, with every cache on
(``caches_on``)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Accommodation, QuizOverride
from tests.factories import EnrollmentFactory, UserFactory, make_quiz

pytestmark = pytest.mark.django_db

LIMIT = timedelta(minutes=30)


@pytest.fixture
def student(course_a):
    student = UserFactory(username="sam")
    EnrollmentFactory(user=student, course=course_a)
    return student


@pytest.fixture
def quiz(course_a):
    return make_quiz(course=course_a, questions=[], time_limit=LIMIT)


@pytest.fixture
def reader(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


def time_limit_shown(reader: Client, quiz) -> str:
    page = reader.get(quiz.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    start = text.index('data-testid="time-limit">')
    return " ".join(text[start:].split("</dd>")[0].split(">", 1)[1].split())


def test_an_override_written_in_the_admin_shows_on_the_next_quiz_page(
    caches_on, superuser_client, reader, student, quiz
):
    assert time_limit_shown(reader, quiz).startswith("30 minutes")
    assert time_limit_shown(reader, quiz).startswith("30 minutes")  # cached

    added = superuser_client.post(
        reverse("admin:quizzes_quizoverride_add"),
        {"quiz": quiz.pk, "user": student.pk, "time_limit": "01:00:00"},
    )
    assert added.status_code == 302
    assert time_limit_shown(reader, quiz).startswith("60 minutes")

    override = QuizOverride.objects.get()
    changed = superuser_client.post(
        reverse("admin:quizzes_quizoverride_change", args=[override.pk]),
        {"quiz": quiz.pk, "user": student.pk, "time_limit": "00:45:00"},
    )
    assert changed.status_code == 302
    assert time_limit_shown(reader, quiz).startswith("45 minutes")

    deleted = superuser_client.post(
        reverse("admin:quizzes_quizoverride_delete", args=[override.pk]),
        {"post": "yes"},
    )
    assert deleted.status_code == 302
    assert time_limit_shown(reader, quiz).startswith("30 minutes")


def test_an_override_moved_to_another_student_leaves_the_first_one(
    caches_on, superuser_client, reader, student, quiz
):
    other = UserFactory(username="kim")
    override = QuizOverride.objects.create(quiz=quiz, user=other, time_limit=LIMIT)
    assert time_limit_shown(reader, quiz).startswith("30 minutes")

    superuser_client.post(
        reverse("admin:quizzes_quizoverride_change", args=[override.pk]),
        {"quiz": quiz.pk, "user": student.pk, "time_limit": "01:30:00"},
    )
    assert time_limit_shown(reader, quiz).startswith("90 minutes")

    superuser_client.post(
        reverse("admin:quizzes_quizoverride_change", args=[override.pk]),
        {"quiz": quiz.pk, "user": other.pk, "time_limit": "01:30:00"},
    )
    assert time_limit_shown(reader, quiz).startswith("30 minutes")


def test_overrides_deleted_in_bulk_in_the_admin_are_gone_at_once(
    caches_on, superuser_client, reader, student, quiz
):
    superuser_client.post(
        reverse("admin:quizzes_quizoverride_add"),
        {"quiz": quiz.pk, "user": student.pk, "time_limit": "01:00:00"},
    )
    assert time_limit_shown(reader, quiz).startswith("60 minutes")

    response = superuser_client.post(
        reverse("admin:quizzes_quizoverride_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [QuizOverride.objects.get().pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not QuizOverride.objects.exists()
    assert time_limit_shown(reader, quiz).startswith("30 minutes")


def test_an_accommodation_written_in_the_admin_shows_on_the_next_quiz_page(
    caches_on, superuser_client, reader, student, course_a, quiz
):
    assert time_limit_shown(reader, quiz).startswith("30 minutes")

    superuser_client.post(
        reverse("admin:quizzes_accommodation_add"),
        {"user": student.pk, "course": course_a.pk, "time_multiplier": "2"},
    )
    assert time_limit_shown(reader, quiz).startswith("60 minutes")

    accommodation = Accommodation.objects.get()
    superuser_client.post(
        reverse("admin:quizzes_accommodation_change", args=[accommodation.pk]),
        {"user": student.pk, "course": course_a.pk, "time_multiplier": "1.5"},
    )
    assert time_limit_shown(reader, quiz).startswith("45 minutes")

    response = superuser_client.post(
        reverse("admin:quizzes_accommodation_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [accommodation.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert time_limit_shown(reader, quiz).startswith("30 minutes")
