"""manage.py create_demo_accounts: development logins, never on a production site."""

import io

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from lessons.roles import INSTRUCTORS_GROUP
from lessons.services import DEMO_ACCOUNTS
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    """Log in as the login page does: django-axes needs the request."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def run() -> str:
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only created with DEBUG on"):
        run()

    assert not User.objects.exists()


def test_creates_a_student_an_instructor_and_an_admin(settings):
    settings.DEBUG = True

    output = run()

    student = User.objects.get(username="student")
    instructor = User.objects.get(username="instructor")
    admin = User.objects.get(username="admin")
    assert not student.is_staff
    assert instructor.is_staff and not instructor.is_superuser
    assert admin.is_staff and admin.is_superuser
    for _role, username, password in DEMO_ACCOUNTS:
        assert f"username: {username}" in output
        assert password in output
        assert authenticate(username=username, password=password) is not None


def test_instructor_is_in_the_instructors_group_and_teaches_every_course(settings):
    settings.DEBUG = True
    courses = CourseFactory.create_batch(2)

    run()

    instructor = User.objects.get(username="instructor")
    assert instructor.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert set(instructor.courses_taught.all()) == set(courses)
    assert instructor.has_perm("lessons.change_lesson")
    assert not User.objects.get(username="student").groups.exists()


def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    CourseFactory()
    run()
    before = list(
        User.objects.order_by("username").values_list(
            "pk", "username", "password", "is_staff", "is_superuser"
        )
    )

    run()

    after = list(
        User.objects.order_by("username").values_list(
            "pk", "username", "password", "is_staff", "is_superuser"
        )
    )
    assert after == before
    instructor = User.objects.get(username="instructor")
    assert instructor.groups.count() == 1
    assert instructor.courses_taught.count() == 1


def test_existing_accounts_keep_their_passwords(settings):
    settings.DEBUG = True
    run()
    student = User.objects.get(username="student")
    student.set_password("a-private-password-1")
    student.save()

    run()

    assert authenticate(username="student", password="a-private-password-1")
