"""Accommodations are per course: an instructor sees, adds and edits only those of
the courses they teach, and an accommodation applies to its own course's quizzes
only (a student taking two courses keeps the other course's time limit)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Accommodation
from quizzes.services import settings_for
from tests.factories import EnrollmentFactory, UserFactory, make_quiz

pytestmark = pytest.mark.django_db

LIMIT = timedelta(minutes=30)


@pytest.fixture
def shared_student(course_a, course_b):
    """A student enrolled in both courses (the instructor teaches only A)."""
    student = UserFactory(username="sam")
    EnrollmentFactory(user=student, course=course_a)
    EnrollmentFactory(user=student, course=course_b)
    return student


@pytest.fixture
def quizzes(course_a, course_b):
    return {
        course.slug: make_quiz(course=course, questions=[], time_limit=LIMIT)
        for course in (course_a, course_b)
    }


def add_accommodation(client: Client, *, user, course, multiplier: str):
    return client.post(
        reverse("admin:quizzes_accommodation_add"),
        {
            "user": user.pk,
            "course": course.pk,
            "time_multiplier": multiplier,
            "note": "",
        },
    )


def test_an_accommodation_given_in_one_course_leaves_another_course_alone(
    instructor_client, shared_student, course_a, quizzes
):
    response = add_accommodation(
        instructor_client, user=shared_student, course=course_a, multiplier="2"
    )

    assert response.status_code == 302
    in_a = settings_for(quiz=quizzes["a"], user=shared_student)
    in_b = settings_for(quiz=quizzes["b"], user=shared_student)
    assert in_a.time_limit == 2 * LIMIT
    assert in_b.time_limit == LIMIT
    assert in_b.time_multiplier == 1


def test_an_instructor_neither_sees_nor_edits_another_courses_accommodation(
    instructor_client, superuser_client, shared_student, course_b, quizzes
):
    add_accommodation(
        superuser_client, user=shared_student, course=course_b, multiplier="1.5"
    )
    theirs = Accommodation.objects.get(user=shared_student)

    listed = instructor_client.get(reverse("admin:quizzes_accommodation_changelist"))
    change_url = reverse("admin:quizzes_accommodation_change", args=[theirs.pk])
    opened = instructor_client.get(change_url)
    posted = instructor_client.post(
        change_url,
        {"user": shared_student.pk, "course": course_b.pk, "time_multiplier": "10"},
    )

    assert list(listed.context["cl"].result_list) == []
    assert opened.status_code == 302  # "doesn't exist": back to the admin index
    assert posted.status_code == 302
    theirs.refresh_from_db()
    assert theirs.time_multiplier == Decimal("1.5")
    assert settings_for(quiz=quizzes["b"], user=shared_student).time_limit == (
        LIMIT * 1.5
    )


def test_an_instructor_picks_only_courses_they_teach(
    instructor_client, shared_student, course_a, course_b
):
    page = instructor_client.get(reverse("admin:quizzes_accommodation_add"))
    refused = add_accommodation(
        instructor_client, user=shared_student, course=course_b, multiplier="2"
    )

    assert list(page.context["adminform"].form.fields["course"].queryset) == [course_a]
    assert refused.status_code == 200
    assert "course" in refused.context["adminform"].form.errors
    assert not Accommodation.objects.exists()


def test_a_second_accommodation_for_the_same_student_and_course_is_refused(
    instructor_client, shared_student, course_a
):
    add_accommodation(
        instructor_client, user=shared_student, course=course_a, multiplier="2"
    )

    again = add_accommodation(
        instructor_client, user=shared_student, course=course_a, multiplier="3"
    )

    assert again.status_code == 200
    assert again.context["adminform"].form.errors
    assert Accommodation.objects.get().time_multiplier == 2


def test_a_superuser_sees_the_accommodations_of_every_course(
    superuser_client, shared_student, course_a, course_b
):
    for course in (course_a, course_b):
        add_accommodation(
            superuser_client, user=shared_student, course=course, multiplier="2"
        )

    listed = superuser_client.get(reverse("admin:quizzes_accommodation_changelist"))

    assert len(listed.context["cl"].result_list) == 2
