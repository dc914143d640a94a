"""The migration that made accommodations per course copies each student's old,
site-wide accommodation to every course the student takes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _the_migration():
    """("quizzes", name) of the migration under test, and what it depends on,
    found by name so that renumbering it changes nothing here."""
    loader = MigrationExecutor(connection).loader
    (key,) = [
        key
        for key in loader.disk_migrations
        if key[0] == "quizzes" and key[1].endswith("_accommodation_per_course")
    ]
    dependencies = [
        parent
        for parent in loader.graph.node_map[key].parents
        if parent.key[0] in {"quizzes", "lessons"}
    ]
    return key, [parent.key for parent in dependencies]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_old_accommodation_applies_in_every_course_the_student_takes():
    after, before = _the_migration()
    old = migrate(before)
    User = old.get_model("auth", "User")
    Course = old.get_model("lessons", "Course")
    Enrollment = old.get_model("lessons", "Enrollment")
    Accommodation = old.get_model("quizzes", "Accommodation")
    taking_two = User.objects.create(username="two")
    taking_none = User.objects.create(username="none")
    courses = [
        Course.objects.create(slug=slug, title=slug.upper()) for slug in ("a", "b", "c")
    ]
    for course in courses[:2]:
        Enrollment.objects.create(user=taking_two, course=course)
    Accommodation.objects.create(
        user=taking_two, time_multiplier=Decimal("1.5"), note="letter on file"
    )
    Accommodation.objects.create(user=taking_none, time_multiplier=2)

    try:
        new = migrate([after])
        rows = new.get_model("quizzes", "Accommodation").objects.order_by("course_id")

        assert [
            (row.user_id, row.course_id, row.time_multiplier, row.note) for row in rows
        ] == [
            (taking_two.pk, courses[0].pk, Decimal("1.5"), "letter on file"),
            (taking_two.pk, courses[1].pk, Decimal("1.5"), "letter on file"),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
