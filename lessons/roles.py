"""The "Instructors" group and exactly the permissions instructors need.

Each app declares the permissions of its own models that instructors hold, and
registers them here from its ``AppConfig.ready`` (``lessons`` never names another
app's models: dependencies point one way). The group is kept in sync after every
``migrate`` (see ``LessonsConfig.ready``), so a fresh deployment has it without a
manual step.
"""

from collections.abc import Iterable

INSTRUCTORS_GROUP = "Instructors"

# Instructors edit course content; they see, but do not edit, who is enrolled and
# how far they got.
LESSONS_PERMISSIONS = (
    "add_course",
    "change_course",
    "view_course",
    "add_module",
    "change_module",
    "delete_module",
    "view_module",
    "add_lesson",
    "change_lesson",
    "delete_lesson",
    "view_lesson",
    "view_enrollment",
    "view_lessonprogress",
)

# app_label -> codenames: lessons' own, and what other apps register.
INSTRUCTOR_PERMISSIONS: dict[str, list[str]] = {"lessons": list(LESSONS_PERMISSIONS)}


def register_instructor_permissions(app_label: str, codenames: Iterable[str]) -> None:
    """Grant instructors these permissions of ``app_label``'s models (called from
    the app's ``AppConfig.ready``; registering an app again replaces its list)."""
    INSTRUCTOR_PERMISSIONS[app_label] = list(codenames)


def ensure_instructor_group(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    wanted = []
    for app_label, codenames in INSTRUCTOR_PERMISSIONS.items():
        wanted += list(
            Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )
    group.permissions.set(wanted)
