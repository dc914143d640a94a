"""Each app declares the permissions its instructors hold and registers them
into the Instructors group; ``lessons`` names no other app's models."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from lessons import roles
from quizzes import roles as quizzes_roles

pytestmark = pytest.mark.django_db

LESSONS_DIR = Path(roles.__file__).resolve().parent


def test_the_quizzes_app_registers_its_own_instructor_permissions():
    assert roles.INSTRUCTOR_PERMISSIONS["quizzes"] == list(
        quizzes_roles.INSTRUCTOR_PERMISSIONS
    )


def test_a_registered_apps_permissions_reach_the_group(monkeypatch):
    monkeypatch.setitem(roles.INSTRUCTOR_PERMISSIONS, "auth", [])
    roles.register_instructor_permissions("auth", ["view_group"])

    roles.ensure_instructor_group()

    group = Group.objects.get(name=roles.INSTRUCTORS_GROUP)
    assert group.permissions.filter(
        content_type__app_label="auth", codename="view_group"
    ).exists()
    assert group.permissions.filter(
        content_type__app_label="quizzes", codename="change_question"
    ).exists()


def test_lessons_names_no_permission_of_the_quizzes_app():
    for path in LESSONS_DIR.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for codename in quizzes_roles.INSTRUCTOR_PERMISSIONS:
            assert f'"{codename}"' not in text, (path.name, codename)
