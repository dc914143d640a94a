"""The admin for courses, modules and lessons: pages open, actions and saves go
through the services, and students see what the admin changed."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from lessons import selectors
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.roles import INSTRUCTOR_PERMISSIONS, INSTRUCTORS_GROUP
from lessons.services import lesson_complete
from tests.factories import CourseFactory, EnrollmentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


@pytest.fixture
def instructor(db):
    instructor = StaffFactory(username="instructor")
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    return instructor


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def outline_slugs(course, user=None) -> list[str]:
    course = Course.objects.get(pk=course.pk)
    outline = selectors.course_outline(course=course, user=user)
    return [lesson.slug for lesson in selectors.outline_lessons(outline)]


def version(course) -> int:
    return Course.objects.get(pk=course.pk).content_version


# --------------------------------------------------------------------------
# The Instructors group


def test_instructors_group_exists_after_migrate_with_exactly_its_permissions():
    group = Group.objects.get(name=INSTRUCTORS_GROUP)

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    wanted = {
        (app_label, codename)
        for app_label, codenames in INSTRUCTOR_PERMISSIONS.items()
        for codename in codenames
    }
    assert granted == wanted


def test_every_instructor_permission_named_in_roles_exists():
    for app_label, codenames in INSTRUCTOR_PERMISSIONS.items():
        found = set(
            Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ).values_list("codename", flat=True)
        )
        assert found == set(codenames), app_label


def test_instructors_edit_content_but_only_view_students_progress():
    codenames = set(INSTRUCTOR_PERMISSIONS["lessons"])

    assert {"change_course", "change_module", "change_lesson"} <= codenames
    assert "delete_course" not in codenames
    assert not {"add_enrollment", "change_enrollment", "delete_enrollment"} & codenames
    assert not {"change_lessonprogress", "delete_lessonprogress"} & codenames
    assert {"view_enrollment", "view_lessonprogress"} <= codenames


def test_instructor_can_edit_lessons_but_not_delete_courses(
    instructor_client, instructor, course
):
    course.instructors.add(instructor)
    lesson = course.lessons.first()

    changelist = instructor_client.get(reverse("admin:lessons_lesson_changelist"))
    change = instructor_client.get(
        reverse("admin:lessons_lesson_change", args=[lesson.pk])
    )
    delete_course = instructor_client.get(
        reverse("admin:lessons_course_delete", args=[course.pk])
    )
    add_enrolment = instructor_client.get(reverse("admin:lessons_enrollment_add"))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert delete_course.status_code == 403
    assert add_enrolment.status_code == 403


# --------------------------------------------------------------------------
# Pages open


@pytest.mark.parametrize(
    "model", ["course", "module", "lesson", "enrollment", "lessonprogress"]
)
def test_superuser_can_open_the_changelist(admin_client, course, student, model):
    EnrollmentFactory(user=student, course=course)
    lesson_complete(user=student, lesson=course.lessons.first())

    response = admin_client.get(reverse(f"admin:lessons_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["course", "module", "lesson"])
def test_superuser_can_open_the_add_page(admin_client, model):
    assert admin_client.get(reverse(f"admin:lessons_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    ("model", "get_object"),
    [
        ("course", lambda course: course),
        ("module", lambda course: course.modules.first()),
        ("lesson", lambda course: course.lessons.first()),
        ("enrollment", lambda course: course.enrollments.first()),
        ("lessonprogress", lambda course: LessonProgress.objects.first()),
    ],
)
def test_superuser_can_open_the_change_page(
    admin_client, course, student, model, get_object
):
    EnrollmentFactory(user=student, course=course)
    lesson_complete(user=student, lesson=course.lessons.first())

    obj = get_object(course)
    response = admin_client.get(reverse(f"admin:lessons_{model}_change", args=[obj.pk]))

    assert response.status_code == 200


def test_course_changelist_counts_lessons(admin_client, course):
    response = admin_client.get(reverse("admin:lessons_course_changelist"))

    assert '<td class="field-lesson_count">4</td>' in response.content.decode()


def test_admin_search_finds_lessons_by_body(admin_client, course):
    lesson = course.lessons.first()
    Lesson.objects.filter(pk=lesson.pk).update(body_markdown="about frigates")

    response = admin_client.get(
        reverse("admin:lessons_lesson_changelist"), {"q": "frigates"}
    )

    assert list(response.context["cl"].result_list) == [lesson]


# --------------------------------------------------------------------------
# Actions


def _action(client, model, action, objects):
    return client.post(
        reverse(f"admin:lessons_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_publish_action_publishes_courses(admin_client):
    drafts = CourseFactory.create_batch(2, is_published=False)
    other = CourseFactory(is_published=False)

    response = _action(admin_client, "course", "publish", drafts)

    assert "2 courses published." in response.content.decode()
    assert set(Course.objects.filter(is_published=True)) == set(drafts)
    assert not Course.objects.get(pk=other.pk).is_published


def test_unpublish_action_unpublishes_courses_and_hides_them(admin_client, client):
    course = CourseFactory()

    response = _action(admin_client, "course", "unpublish", [course])

    assert "1 course unpublished." in response.content.decode()
    assert not Course.objects.get(pk=course.pk).is_published
    client.logout()
    assert client.get(course.get_absolute_url()).status_code == 404


def test_unpublish_action_on_lessons_hides_them_from_the_outline(admin_client, course):
    lesson = course.lessons.order_by("module__position", "position").first()
    assert lesson.slug in outline_slugs(course)  # cached now
    before = version(course)

    response = _action(admin_client, "lesson", "unpublish", [lesson])

    assert "1 lesson updated." in response.content.decode()
    assert not Lesson.objects.get(pk=lesson.pk).is_published
    assert version(course) > before
    assert lesson.slug not in outline_slugs(course)


def test_publish_action_on_lessons_shows_them_in_the_outline(admin_client, course):
    lesson = course.lessons.first()
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)
    assert lesson.slug not in outline_slugs(course)

    _action(admin_client, "lesson", "publish", [lesson])

    assert Lesson.objects.get(pk=lesson.pk).is_published
    assert lesson.slug in outline_slugs(course)


# --------------------------------------------------------------------------
# Saving


def _lesson_form(lesson, **changes):
    data = {
        "course": lesson.course_id,
        "module": lesson.module_id,
        "title": lesson.title,
        "slug": lesson.slug,
        "position": lesson.position,
        "is_published": "on" if lesson.is_published else "",
        "body_markdown": lesson.body_markdown,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_saving_a_lesson_rerenders_it_sanitised_and_bumps_the_course(
    admin_client, course
):
    lesson = course.lessons.first()
    before = version(course)

    response = admin_client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]),
        _lesson_form(
            lesson,
            body_markdown="New **bold** text.\n\n<script>alert(1)</script>"
            '<img src=x onerror="alert(1)">',
        ),
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert "<strong>bold</strong>" in lesson.body_html
    assert "<script" not in lesson.body_html
    assert "onerror" not in lesson.body_html
    assert lesson.word_count > 0
    assert version(course) > before


def test_renaming_a_lesson_in_the_admin_updates_the_outline(admin_client, course):
    lesson = course.lessons.first()
    selectors.course_outline(course=course)  # cached

    admin_client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]),
        _lesson_form(lesson, title="A Better Title"),
    )

    outline = selectors.course_outline(course=Course.objects.get(pk=course.pk))
    titles = [item.title for item in selectors.outline_lessons(outline)]
    assert "A Better Title" in titles


def test_adding_a_lesson_in_the_admin_renders_it(admin_client, course):
    module = course.modules.first()

    response = admin_client.post(
        reverse("admin:lessons_lesson_add"),
        {
            "course": course.pk,
            "module": module.pk,
            "title": "Fresh Lesson",
            "slug": "fresh-lesson",
            "position": 9,
            "is_published": "on",
            "body_markdown": "*fresh*",
        },
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get(course=course, slug="fresh-lesson")
    assert lesson.body_html == "<p><em>fresh</em></p>"
    assert "fresh-lesson" in outline_slugs(course)


def test_a_lesson_slug_must_be_unique_within_its_course(admin_client, course):
    first, second = course.lessons.all()[:2]

    response = admin_client.post(
        reverse("admin:lessons_lesson_change", args=[second.pk]),
        _lesson_form(second, slug=first.slug),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Lesson.objects.get(pk=second.pk).slug == second.slug


def test_editing_lessons_in_the_changelist_updates_the_outline(admin_client, course):
    lessons = list(course.lessons.order_by("module__position", "position"))
    assert lessons[0].slug in outline_slugs(course)  # cached
    data = {
        "form-TOTAL_FORMS": len(lessons),
        "form-INITIAL_FORMS": len(lessons),
        "_save": "Save",
    }
    changelist = admin_client.get(reverse("admin:lessons_lesson_changelist"))
    for index, lesson in enumerate(changelist.context["cl"].result_list):
        data[f"form-{index}-id"] = lesson.pk
        data[f"form-{index}-position"] = lesson.position
        if lesson.pk != lessons[0].pk:
            data[f"form-{index}-is_published"] = "on"

    response = admin_client.post(reverse("admin:lessons_lesson_changelist"), data)

    assert response.status_code == 302
    assert not Lesson.objects.get(pk=lessons[0].pk).is_published
    assert lessons[0].slug not in outline_slugs(course)


def test_reordering_modules_in_the_changelist_updates_the_outline(admin_client, course):
    first, second = course.modules.order_by("position")
    assert outline_slugs(course)  # cached
    data = {"form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 2, "_save": "Save"}
    changelist = admin_client.get(reverse("admin:lessons_module_changelist"))
    new_positions = {first.pk: 5, second.pk: 1}
    for index, module in enumerate(changelist.context["cl"].result_list):
        data[f"form-{index}-id"] = module.pk
        data[f"form-{index}-position"] = new_positions[module.pk]

    response = admin_client.post(reverse("admin:lessons_module_changelist"), data)

    assert response.status_code == 302
    second_lessons = list(
        second.lessons.order_by("position").values_list("slug", flat=True)
    )
    assert outline_slugs(course)[:2] == second_lessons


def test_saving_a_module_with_a_new_inline_lesson_adds_it_to_the_course(
    admin_client, course
):
    module = course.modules.order_by("position").first()
    existing = list(module.lessons.order_by("position"))
    data = {
        "course": course.pk,
        "title": module.title,
        "slug": module.slug,
        "position": module.position,
        "source_heading": "",
        "lessons-TOTAL_FORMS": len(existing) + 1,
        "lessons-INITIAL_FORMS": len(existing),
        "lessons-MIN_NUM_FORMS": 0,
        "lessons-MAX_NUM_FORMS": 1000,
    }
    for index, lesson in enumerate(existing):
        data.update(
            {
                f"lessons-{index}-id": lesson.pk,
                f"lessons-{index}-module": module.pk,
                f"lessons-{index}-position": lesson.position,
                f"lessons-{index}-title": lesson.title,
                f"lessons-{index}-slug": lesson.slug,
                f"lessons-{index}-is_published": "on",
            }
        )
    new = len(existing)
    data.update(
        {
            f"lessons-{new}-module": module.pk,
            f"lessons-{new}-position": 99,
            f"lessons-{new}-title": "Inline Lesson",
            f"lessons-{new}-slug": "inline-lesson",
            f"lessons-{new}-is_published": "on",
        }
    )
    assert outline_slugs(course)  # cached

    response = admin_client.post(
        reverse("admin:lessons_module_change", args=[module.pk]), data
    )

    assert response.status_code == 302, response.context["errors"]
    lesson = Lesson.objects.get(slug="inline-lesson")
    assert lesson.course_id == course.pk
    assert "inline-lesson" in outline_slugs(course)


def test_deleting_a_lesson_in_the_admin_removes_it_from_the_outline(
    admin_client, course
):
    lesson = course.lessons.first()
    assert lesson.slug in outline_slugs(course)  # cached

    response = admin_client.post(
        reverse("admin:lessons_lesson_delete", args=[lesson.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    assert lesson.slug not in outline_slugs(course)


def test_deleting_lessons_with_the_bulk_action_removes_them_from_the_outline(
    admin_client, course
):
    lessons = list(course.lessons.all()[:2])
    assert outline_slugs(course)  # cached

    admin_client.post(
        reverse("admin:lessons_lesson_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [lesson.pk for lesson in lessons],
            "post": "yes",
        },
    )

    assert not Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]).exists()
    assert not {lesson.slug for lesson in lessons} & set(outline_slugs(course))


def test_deleting_a_module_in_the_admin_removes_its_lessons_from_the_outline(
    admin_client, course
):
    module = course.modules.order_by("position").first()
    gone = set(module.lessons.values_list("slug", flat=True))
    assert gone <= set(outline_slugs(course))  # cached

    response = admin_client.post(
        reverse("admin:lessons_module_delete", args=[module.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Module.objects.filter(pk=module.pk).exists()
    assert not gone & set(outline_slugs(course))


def test_saving_a_course_bumps_its_content_version(admin_client, course):
    before = version(course)
    modules = list(course.modules.order_by("position"))
    data = {
        "title": "Renamed",
        "slug": course.slug,
        "description": "",
        "is_published": "on",
        "modules-TOTAL_FORMS": len(modules),
        "modules-INITIAL_FORMS": len(modules),
        "modules-MIN_NUM_FORMS": 0,
        "modules-MAX_NUM_FORMS": 1000,
    }
    for index, module in enumerate(modules):
        data.update(
            {
                f"modules-{index}-id": module.pk,
                f"modules-{index}-course": course.pk,
                f"modules-{index}-position": module.position,
                f"modules-{index}-title": module.title,
                f"modules-{index}-slug": module.slug,
            }
        )

    response = admin_client.post(
        reverse("admin:lessons_course_change", args=[course.pk]), data
    )

    assert response.status_code == 302, response.context["errors"]
    assert Course.objects.get(pk=course.pk).title == "Renamed"
    assert version(course) > before


def test_enrolments_are_listed_for_their_course(admin_client, course):
    EnrollmentFactory.create_batch(3, course=course)
    EnrollmentFactory()

    response = admin_client.get(
        reverse("admin:lessons_enrollment_changelist"), {"course__id__exact": course.pk}
    )

    assert set(response.context["cl"].result_list) == set(
        Enrollment.objects.filter(course=course)
    )


def test_a_lesson_cannot_be_filed_under_another_courses_module(admin_client, course):
    lesson = course.lessons.first()
    foreign_module = CourseFactory().modules.create(title="Elsewhere", slug="elsewhere")

    response = admin_client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]),
        _lesson_form(lesson, module=foreign_module.pk),
    )

    assert response.status_code == 200
    assert "module" in response.context["adminform"].form.errors
    assert Lesson.objects.get(pk=lesson.pk).module_id == lesson.module_id
