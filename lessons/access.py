"""Who teaches what: the one home of the rule, as Zulip's ``access_*`` helpers.

The rule: a *teacher* is an active staff member (``is_teacher``). A teacher
teaches the courses that list them among ``instructors``; a teacher who is also a
superuser teaches every course. Nobody else teaches anything: a student listed
as an instructor by mistake, a deactivated account, or a superuser flag on an
account that is not staff (it cannot sign in to the admin either) teaches nothing.

The "Instructors" group (``lessons.roles``) is a different question: it grants
the admin *permissions* (which kinds of rows a teacher may add or change);
this module says *which courses'* rows.

Every screen asks here: the student pages (which unpublished content a user
sees, ``CourseContentQuerySet.visible_to``), the staff area (``teach``), the
admin (``CourseScopedMixin``) and the question banks (``quizzes.banks``).
``lessons`` owns the rule because ``quizzes`` and ``teach`` import ``lessons``,
never the reverse.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from lessons.models import Course, Enrollment


def is_teacher(user) -> bool:
    """Whether the user may teach at all (and open the staff area)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
    )


def teachers() -> QuerySet:
    """Everyone who may be listed among a course's instructors and teach it."""
    return get_user_model().objects.filter(is_active=True, is_staff=True)


def teaches_every_course(user) -> bool:
    """Superusers who are teachers teach every course."""
    return is_teacher(user) and user.is_superuser


def courses_taught_by(user) -> QuerySet[Course]:
    """The courses ``user`` teaches, as a queryset (see the module docstring)."""
    if not is_teacher(user):
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    return Course.objects.filter(instructors=user)


def user_teaches_course(user, course: Course) -> bool:
    """Whether ``user`` teaches ``course`` (one query, for teachers only)."""
    if not is_teacher(user):
        return False
    if user.is_superuser:
        return True
    return course.instructors.filter(pk=user.pk).exists()


def scope_to_courses_taught(queryset: QuerySet, *, user, course_path: str):
    """``queryset`` narrowed to rows of the courses ``user`` teaches.

    ``course_path`` is the lookup from the queryset's model to its course
    ("pk" for courses, "course", "quiz__course", ...). A subquery, not a join:
    a course with several instructors never returns a row twice.
    """
    if teaches_every_course(user):
        return queryset
    if not is_teacher(user):
        return queryset.none()
    taught = courses_taught_by(user).values("pk")
    return queryset.filter(**{f"{course_path}__in": taught})


def published_or_taught(queryset: QuerySet, *, user, course_path: str):
    """What a user may see of course content: published rows, and every row of
    the courses they teach (the rows carry an ``is_published`` field)."""
    if teaches_every_course(user):
        return queryset
    if not is_teacher(user):
        return queryset.filter(is_published=True)
    taught = courses_taught_by(user).values("pk")
    return queryset.filter(Q(is_published=True) | Q(**{f"{course_path}__in": taught}))


def students_taught_by(user) -> QuerySet:
    """Users enrolled in a course ``user`` teaches (every user for those who teach
    every course)."""
    users = get_user_model().objects.all()
    if teaches_every_course(user):
        return users
    enrolled = Enrollment.objects.filter(
        course__in=courses_taught_by(user).values("pk")
    ).values("user_id")
    return users.filter(pk__in=enrolled)
