"""Accommodations belong to one course: a global row becomes one row per course
the student takes (is enrolled in, or has attempted a quiz of). Step 2 of 3: the
data alone, in a transaction of its own (PostgreSQL refuses to alter a table
with pending trigger events from rows changed in the same transaction)."""

from django.db import migrations


def spread_to_courses(apps, schema_editor):
    Accommodation = apps.get_model("quizzes", "Accommodation")
    Enrollment = apps.get_model("lessons", "Enrollment")
    Attempt = apps.get_model("quizzes", "Attempt")
    for row in Accommodation.objects.filter(course__isnull=True).order_by("pk"):
        course_ids = set(
            Enrollment.objects.filter(user_id=row.user_id).values_list(
                "course_id", flat=True
            )
        ) | set(
            Attempt.objects.filter(user_id=row.user_id).values_list(
                "quiz__course_id", flat=True
            )
        )
        if not course_ids:
            # A student who takes no course has no quiz it could apply to.
            row.delete()
            continue
        first, *others = sorted(course_ids)
        for course_id in others:
            Accommodation.objects.create(
                user_id=row.user_id,
                course_id=course_id,
                time_multiplier=row.time_multiplier,
                note=row.note,
            )
        row.course_id = first
        row.save(update_fields=["course"])


def keep_one_per_student(apps, schema_editor):
    """Going back to one row per student keeps the most generous one."""
    Accommodation = apps.get_model("quizzes", "Accommodation")
    seen = set()
    for row in Accommodation.objects.order_by("user_id", "-time_multiplier", "pk"):
        if row.user_id in seen:
            row.delete()
        else:
            seen.add(row.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_order_by_ids_not_joins"),
        ("quizzes", "0006_accommodation_course_field"),
    ]

    operations = [
        migrations.RunPython(spread_to_courses, keep_one_per_student),
    ]
