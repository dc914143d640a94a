"""The "Instructors" group and exactly the permissions instructors need.

Kept in sync after every ``migrate`` (see ``LessonsConfig.ready``), so a fresh
deployment has the group without a manual step.
"""

INSTRUCTORS_GROUP = "Instructors"

# app_label -> codenames. Instructors edit course content; they see, but do not edit,
# who is enrolled and how far they got. Later apps add their own entries.
INSTRUCTOR_PERMISSIONS = {
    "lessons": [
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
    ],
    # Instructors write and publish questions and quizzes and give students extra
    # time or attempts; they read attempts (and the responses in them) but never
    # edit them: grading goes through its own pages and audit trail.
    "quizzes": [
        "add_question",
        "change_question",
        "delete_question",
        "view_question",
        "add_answer",
        "change_answer",
        "delete_answer",
        "view_answer",
        "add_quiz",
        "change_quiz",
        "delete_quiz",
        "view_quiz",
        "add_quizquestion",
        "change_quizquestion",
        "delete_quizquestion",
        "view_quizquestion",
        "add_quizoverride",
        "change_quizoverride",
        "delete_quizoverride",
        "view_quizoverride",
        "add_accommodation",
        "change_accommodation",
        "delete_accommodation",
        "view_accommodation",
        "view_attempt",
        "view_response",
    ],
}


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
