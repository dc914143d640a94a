"""Fixtures for the lessons tests: the shipped seed document and small courses."""

import io

import pytest
from django.core.management import call_command

from lessons.models import Course
from tests.factories import EnrollmentFactory
from tests.helpers import SEED

SEED_SLUG = "military-diplomacy"


@pytest.fixture
def seed_course(db) -> Course:
    """The shipped course, imported and published as `make content` does."""
    call_command(
        "import_document", str(SEED), slug=SEED_SLUG, publish=True, stdout=io.StringIO()
    )
    return Course.objects.get(slug=SEED_SLUG)


@pytest.fixture
def course_lessons(course) -> list:
    """The demo course's lessons in course order (two modules of two)."""
    return list(course.lessons.order_by("module__position", "position"))


@pytest.fixture
def enrolled_client(student_client, student, course):
    """A logged-in student enrolled in the demo course."""
    EnrollmentFactory(user=student, course=course)
    return student_client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def enrolled_client_for(student_client, student):
    """A logged-in student, enrolled in the course given."""

    def enrol(course):
        EnrollmentFactory(user=student, course=course)
        return student_client

    return enrol
