"""Fixtures for the quiz tests: an enrolled student, staff, and a lesson to quiz."""

import pytest

from tests.factories import EnrollmentFactory


@pytest.fixture
def lessons(course) -> list:
    """The demo course's lessons in course order (two modules of two)."""
    return list(course.lessons.order_by("module__position", "position"))


@pytest.fixture
def lesson(lessons):
    return lessons[0]


@pytest.fixture
def enrolled_client(student_client, student, course):
    """A logged-in student enrolled in the demo course."""
    EnrollmentFactory(user=student, course=course)
    return student_client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
