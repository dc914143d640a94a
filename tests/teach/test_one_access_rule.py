"""One rule decides who teaches a course (``lessons.access``), and every screen
follows it: the student pages (unpublished content, the dashboard), the staff
area, the admin and the question banks answer the same for every kind of user.

A teacher is an active staff member; a teacher teaches the courses listing them
among the instructors, and a superuser teacher every course."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from lessons import access
from lessons.models import Course, Lesson
from lessons.roles import INSTRUCTORS_GROUP
from lessons.selectors import enrollments_for_dashboard, manages_course
from quizzes.banks import gift_import, quiz_import_json
from teach import selectors as teach_selectors
from tests.factories import EnrollmentFactory, UserFactory, make_course

pytestmark = pytest.mark.django_db

GIFT = "::Capital::What is the capital of Peru? {=Lima ~Quito}\n"

# name -> (user fields, listed among the course's instructors, in the group,
# whether they teach the (unpublished) course)
KINDS = {
    "student": ({}, False, False, False),
    "student listed as instructor": ({}, True, False, False),
    "staff, not listed": ({"is_staff": True}, False, True, False),
    "listed staff instructor": ({"is_staff": True}, True, True, True),
    "listed staff outside the Instructors group": (
        {"is_staff": True},
        True,
        False,
        True,
    ),
    "inactive listed staff instructor": (
        {"is_staff": True, "is_active": False},
        True,
        True,
        False,
    ),
    "superuser": ({"is_staff": True, "is_superuser": True}, False, False, True),
    "superuser who is not staff": ({"is_superuser": True}, False, False, False),
    "inactive superuser": (
        {"is_staff": True, "is_superuser": True, "is_active": False},
        False,
        False,
        False,
    ),
}


@pytest.fixture
def draft():
    course = make_course(modules=1, lessons_per_module=2, slug="draft", title="Draft")
    Course.objects.filter(pk=course.pk).update(is_published=False)
    Lesson.objects.filter(course=course).update(is_published=False)
    return Course.objects.get(pk=course.pk)


def _user(kind: str, course: Course):
    fields, listed, grouped, _teaches = KINDS[kind]
    user = UserFactory(username=kind.replace(" ", "-").replace(",", ""), **fields)
    if listed:
        course.instructors.add(user)
    if grouped:
        user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    return user


def _staff_area_opens(user, course) -> bool:
    try:
        teach_selectors.course_get_for_teacher(slug=course.slug, user=user)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS)
def test_every_definition_of_teaching_a_course_agrees(kind, draft):
    user = _user(kind, draft)
    teaches = KINDS[kind][3]

    answers = {
        "access.user_teaches_course": access.user_teaches_course(user, draft),
        "access.courses_taught_by": access.courses_taught_by(user)
        .filter(pk=draft.pk)
        .exists(),
        "student pages (visible_to)": Course.objects.visible_to(user)
        .filter(pk=draft.pk)
        .exists(),
        "lesson pages (visible_to)": Lesson.objects.filter(course=draft)
        .visible_to(user)
        .exists(),
        "lessons.selectors.manages_course": manages_course(user, draft),
        "staff area": _staff_area_opens(user, draft),
        "admin (scope_to_courses_taught)": access.scope_to_courses_taught(
            Course.objects.filter(pk=draft.pk), user=user, course_path="pk"
        ).exists(),
    }

    assert answers == dict.fromkeys(answers, teaches)


def test_a_student_listed_as_instructor_cannot_write_into_the_question_bank(draft):
    """The banks used a rule without the staff check."""
    user = _user("student listed as instructor", draft)

    with pytest.raises(PermissionDenied):
        gift_import(course=draft, text=GIFT, user=user)
    with pytest.raises(PermissionDenied):
        quiz_import_json(
            course=draft,
            data={"format": "coursesite-quiz", "version": 1, "quiz": {}},
            user=user,
        )


def test_a_student_listed_as_instructor_has_no_unpublished_course_on_the_dashboard(
    draft,
):
    """The dashboard used a rule without the staff check: it listed a course whose
    page is a 404 for the same student."""
    user = _user("student listed as instructor", draft)
    EnrollmentFactory(user=user, course=draft)
    client = Client()
    client.force_login(user)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert [row.course for row in enrollments_for_dashboard(user=user)] == []


def test_a_superuser_who_is_not_staff_sees_what_students_see(draft):
    """The student pages let a non-staff superuser see unpublished courses that
    the staff area refuses them."""
    user = _user("superuser who is not staff", draft)
    EnrollmentFactory(user=user, course=draft)
    client = Client()
    client.force_login(user)

    assert client.get(reverse("teach:dashboard")).status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.lessons.first().get_absolute_url()).status_code == 404
    assert enrollments_for_dashboard(user=user) == []


def test_inactive_instructors_see_no_unpublished_content(draft):
    user = _user("inactive listed staff instructor", draft)

    assert not Course.objects.visible_to(user).filter(pk=draft.pk).exists()
    assert not manages_course(user, draft)


def test_the_admin_offers_only_active_staff_as_instructors(draft):
    active = _user("listed staff instructor", draft)
    _user("inactive listed staff instructor", draft)
    _user("student", draft)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)

    response = client.get(reverse("admin:lessons_course_change", args=[draft.pk]))

    choices = set(response.context["adminform"].form.fields["instructors"].queryset)
    assert choices == {active, root}
