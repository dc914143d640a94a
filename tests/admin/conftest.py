"""Fixtures for the admin tests: two courses, an instructor who teaches only the
first, and clients for an instructor, a superuser and a student."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from tests.factories import StaffFactory, UserFactory, make_course


@pytest.fixture
def instructors_group(db) -> Group:
    ensure_instructor_group()
    return Group.objects.get(name=INSTRUCTORS_GROUP)


@pytest.fixture
def instructor(instructors_group):
    user = StaffFactory(username="ines")
    user.groups.add(instructors_group)
    return user


@pytest.fixture
def course_a(instructor):
    course = make_course(modules=2, lessons_per_module=2, slug="a", title="Course A")
    course.instructors.add(instructor)
    return course


@pytest.fixture
def course_b(db):
    return make_course(modules=1, lessons_per_module=2, slug="b", title="Course B")


@pytest.fixture
def instructor_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client
