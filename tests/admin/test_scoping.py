"""Instructors see and change only the courses they teach, in every admin page,
choice list and action; superusers see everything."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from lessons import hooks
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.roles import INSTRUCTOR_PERMISSIONS
from lessons.selectors import courses_taught_by
from lessons.services import lesson_complete
from quizzes.models import Attempt, Question, Quiz, QuizOverride
from quizzes.services import attempt_start
from tests.admin.support import SINGLE, question_post
from tests.factories import (
    AccommodationFactory,
    EnrollmentFactory,
    QuizOverrideFactory,
    StaffFactory,
    UserFactory,
    make_question,
    make_quiz,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(course_a, course_b):
    """Each course with a question, a quiz, an enrolled student who took the quiz
    (an attempt, progress), and an override."""
    rows = {}
    for course in (course_a, course_b):
        lesson = course.lessons.order_by("module__position", "position").first()
        question = make_question(course=course, data=SINGLE, lesson=lesson)
        quiz = make_quiz(course=course, questions=[question], lesson=lesson)
        student = UserFactory(username=f"student-{course.slug}")
        EnrollmentFactory(user=student, course=course)
        lesson_complete(user=student, lesson=lesson)
        attempt = attempt_start(quiz=quiz, user=student)
        override = QuizOverrideFactory(quiz=quiz, user=student)
        accommodation = AccommodationFactory(user=student, course=course)
        rows[course.slug] = {
            "course": course,
            "module": lesson.module,
            "lesson": lesson,
            "question": question,
            "quiz": quiz,
            "attempt": attempt,
            "quizoverride": override,
            "accommodation": accommodation,
            "enrollment": Enrollment.objects.get(user=student, course=course),
            "lessonprogress": LessonProgress.objects.get(user=student, lesson=lesson),
            "student": student,
        }
    return rows


ADMINS = [
    ("lessons", "course"),
    ("lessons", "module"),
    ("lessons", "lesson"),
    ("lessons", "enrollment"),
    ("lessons", "lessonprogress"),
    ("quizzes", "question"),
    ("quizzes", "quiz"),
    ("quizzes", "quizoverride"),
    ("quizzes", "accommodation"),
    ("quizzes", "attempt"),
]


def _rows_of(rows: dict, model: str) -> set:
    """What a changelist of ``model`` should show of one course's rows."""
    course = rows["course"]
    if model == "module":
        return set(course.modules.all())
    if model == "lesson":
        return set(course.lessons.all())
    return {rows[model]}


def test_the_selector_gives_instructors_their_courses_and_superusers_all(
    instructor, superuser, course_a, course_b
):
    assert list(courses_taught_by(instructor)) == [course_a]
    assert set(courses_taught_by(superuser)) == {course_a, course_b}
    assert not courses_taught_by(StaffFactory(username="nobody")).exists()


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_an_instructor_lists_only_rows_of_courses_they_teach(
    instructor_client, both, app, model
):
    response = instructor_client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == _rows_of(both["a"], model)


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_a_superuser_lists_rows_of_every_course(superuser_client, both, app, model):
    response = superuser_client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert set(response.context["cl"].result_list) == _rows_of(
        both["a"], model
    ) | _rows_of(both["b"], model)


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_another_courses_change_page_does_not_exist_for_an_instructor(
    instructor_client, both, app, model
):
    own = instructor_client.get(
        reverse(f"admin:{app}_{model}_change", args=[both["a"][model].pk])
    )
    other = instructor_client.get(
        reverse(f"admin:{app}_{model}_change", args=[both["b"][model].pk])
    )

    assert own.status_code == 200
    assert other.status_code == 302
    assert other.url == reverse("admin:index")


def test_an_instructor_cannot_change_another_courses_lesson_by_posting(
    instructor_client, both
):
    lesson = both["b"]["lesson"]

    response = instructor_client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]),
        {
            "course": lesson.course_id,
            "module": lesson.module_id,
            "title": "Taken over",
            "slug": lesson.slug,
            "position": 0,
            "body_markdown": "x",
        },
    )

    assert response.status_code == 302
    assert Lesson.objects.get(pk=lesson.pk).title == lesson.title


def test_another_courses_delete_page_does_not_exist_for_an_instructor(
    instructor_client, both
):
    question = both["b"]["question"]

    response = instructor_client.post(
        reverse("admin:quizzes_question_delete", args=[question.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()


def _choices(response, field: str) -> set:
    form = response.context["adminform"].form
    return set(form.fields[field].queryset)


def test_lesson_form_offers_only_the_instructors_courses_and_modules(
    instructor_client, course_a, course_b
):
    response = instructor_client.get(reverse("admin:lessons_lesson_add"))

    assert _choices(response, "course") == {course_a}
    assert _choices(response, "module") == set(course_a.modules.all())


def test_question_form_offers_only_lessons_of_taught_courses(
    instructor_client, course_a, course_b
):
    response = instructor_client.get(reverse("admin:quizzes_question_add"))

    assert _choices(response, "lesson") == set(course_a.lessons.all())
    assert _choices(response, "course") == {course_a}


def test_quiz_form_offers_only_lessons_modules_and_questions_of_taught_courses(
    instructor_client, both
):
    quiz = both["a"]["quiz"]

    response = instructor_client.get(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    )

    assert _choices(response, "lesson") == set(both["a"]["course"].lessons.all())
    assert _choices(response, "module") == set(both["a"]["course"].modules.all())
    slots = response.context["inline_admin_formsets"][0].formset
    assert set(slots.form.base_fields["question"].queryset) == {both["a"]["question"]}


def test_override_student_choices_are_the_students_of_taught_courses(
    instructor_client, both
):
    response = instructor_client.get(reverse("admin:quizzes_quizoverride_add"))

    assert _choices(response, "user") == {both["a"]["student"]}
    assert _choices(response, "quiz") == {both["a"]["quiz"]}


def test_a_question_cannot_be_filed_under_another_courses_lesson(
    instructor_client, course_a, course_b
):
    other_lesson = course_b.lessons.first()

    response = instructor_client.post(
        reverse("admin:quizzes_question_add"),
        question_post(course=course_a, type="essay", lesson=other_lesson),
    )

    assert response.status_code == 200
    assert "lesson" in response.context["adminform"].form.errors
    assert not Question.objects.filter(key="q-admin").exists()


def test_a_lesson_cannot_be_added_to_another_course(
    instructor_client, course_a, course_b
):
    response = instructor_client.post(
        reverse("admin:lessons_lesson_add"),
        {
            "course": course_b.pk,
            "module": course_b.modules.first().pk,
            "title": "Smuggled",
            "slug": "smuggled",
            "position": 0,
            "body_markdown": "x",
        },
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"course", "module"}
    assert not Lesson.objects.filter(slug="smuggled").exists()


def _action(client, app, model, action, objects):
    return client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_actions_on_another_courses_rows_do_nothing(instructor_client, both):
    lesson, quiz, question = (both["b"][k] for k in ("lesson", "quiz", "question"))

    _action(instructor_client, "lessons", "lesson", "unpublish", [lesson])
    _action(instructor_client, "quizzes", "quiz", "unpublish", [quiz])
    _action(instructor_client, "quizzes", "quiz", "duplicate", [quiz])
    _action(instructor_client, "quizzes", "question", "unpublish", [question])
    _action(
        instructor_client,
        "quizzes",
        "question",
        "delete_selected",
        [question],
    )

    assert Lesson.objects.get(pk=lesson.pk).is_published
    assert Quiz.objects.get(pk=quiz.pk).is_published
    assert Quiz.objects.filter(course=quiz.course).count() == 1
    assert Question.objects.get(pk=question.pk).is_published


def test_an_action_on_mixed_rows_touches_only_the_instructors(instructor_client, both):
    mine, theirs = both["a"]["quiz"], both["b"]["quiz"]

    response = _action(
        instructor_client, "quizzes", "quiz", "unpublish", [mine, theirs]
    )

    assert "1 quiz updated." in response.content.decode()
    assert not Quiz.objects.get(pk=mine.pk).is_published
    assert Quiz.objects.get(pk=theirs.pk).is_published


def test_editing_the_changelist_cannot_reach_another_courses_rows(
    instructor_client, both
):
    theirs = both["b"]["lesson"]

    instructor_client.post(
        reverse("admin:lessons_lesson_changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": theirs.pk,
            "form-0-position": 42,
            "_save": "Save",
        },
    )

    assert Lesson.objects.get(pk=theirs.pk).position != 42


def test_course_filter_lists_only_taught_courses(instructor_client, both):
    response = instructor_client.get(reverse("admin:quizzes_question_changelist"))

    page = response.content.decode()
    assert "Course A" in page
    assert "Course B" not in page


def test_an_instructor_cannot_add_themselves_to_another_course(
    instructor_client, instructor, course_a, course_b
):
    response = instructor_client.post(
        reverse("admin:lessons_course_change", args=[course_b.pk]),
        {
            "title": course_b.title,
            "slug": course_b.slug,
            "instructors": [instructor.pk],
        },
    )

    assert response.status_code == 302
    assert not course_b.instructors.filter(pk=instructor.pk).exists()


def test_instructors_of_a_taught_course_are_read_only_for_an_instructor(
    instructor_client, instructor, course_a
):
    colleague = StaffFactory(username="colleague")

    response = instructor_client.post(
        reverse("admin:lessons_course_change", args=[course_a.pk]),
        {
            "title": "Course A, revised",
            "slug": course_a.slug,
            "instructors": [colleague.pk],
            "modules-TOTAL_FORMS": 0,
            "modules-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    course_a.refresh_from_db()
    assert course_a.title == "Course A, revised"
    assert list(course_a.instructors.all()) == [instructor]


def test_a_course_an_instructor_creates_is_theirs(instructor_client, instructor):
    response = instructor_client.post(
        reverse("admin:lessons_course_add"),
        {
            "title": "New Course",
            "slug": "new-course",
            "modules-TOTAL_FORMS": 0,
            "modules-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    course = Course.objects.get(slug="new-course")
    assert list(course.instructors.all()) == [instructor]
    listed = instructor_client.get(reverse("admin:lessons_course_changelist"))
    assert list(listed.context["cl"].result_list) == [course]


def test_a_superuser_assigns_instructors_from_staff_users(superuser_client, course_a):
    student = UserFactory(username="just-a-student")

    response = superuser_client.get(
        reverse("admin:lessons_course_change", args=[course_a.pk])
    )

    choices = _choices(response, "instructors")
    assert student not in choices
    assert course_a.instructors.first() in choices


def test_instructors_hold_the_quiz_permissions_they_need(instructors_group):
    granted = set(
        instructors_group.permissions.filter(
            content_type__app_label="quizzes"
        ).values_list("codename", flat=True)
    )

    assert granted == set(INSTRUCTOR_PERMISSIONS["quizzes"])
    assert {"change_question", "change_answer", "change_quiz"} <= granted
    assert {"view_attempt", "view_response"} <= granted
    assert not {"change_attempt", "delete_attempt", "change_response"} & granted
    assert Permission.objects.filter(codename__in=granted).count() == len(granted)


def test_an_instructor_sees_attempts_read_only(instructor_client, both):
    attempt = both["a"]["attempt"]

    page = instructor_client.get(
        reverse("admin:quizzes_attempt_change", args=[attempt.pk])
    )
    post = instructor_client.post(
        reverse("admin:quizzes_attempt_change", args=[attempt.pk]), {}
    )

    assert page.status_code == 200
    assert post.status_code == 403
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_accommodations_are_listed_for_the_instructors_courses_only(
    instructor_client, both
):
    # The student of course B also takes course A: B's accommodation stays B's.
    EnrollmentFactory(user=both["b"]["student"], course=both["a"]["course"])

    response = instructor_client.get(reverse("admin:quizzes_accommodation_changelist"))

    assert list(response.context["cl"].result_list) == [both["a"]["accommodation"]]


def test_overrides_inline_lists_only_the_quizs_own(instructor_client, both):
    quiz = both["a"]["quiz"]
    assert QuizOverride.objects.count() == 2

    response = instructor_client.get(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    )

    overrides = response.context["inline_admin_formsets"][1].formset
    assert [form.instance for form in overrides.forms] == [both["a"]["quizoverride"]]


def test_a_staff_user_outside_the_group_and_teaching_nothing_sees_nothing(client, both):
    staff = StaffFactory(username="plain-staff")
    staff.user_permissions.add(Permission.objects.get(codename="view_course"))
    client.force_login(staff)

    response = client.get(reverse("admin:lessons_course_changelist"))

    assert list(response.context["cl"].result_list) == []


def test_module_admin_keeps_other_courses_modules_out_of_reach(instructor_client, both):
    module = both["b"]["module"]

    response = instructor_client.post(
        reverse("admin:lessons_module_delete", args=[module.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Module.objects.filter(pk=module.pk).exists()


def test_lesson_actions_other_apps_register_get_only_taught_lessons(
    instructor_client, both, monkeypatch
):
    seen = []

    @django_admin.action(description="Count them", permissions=["change"])
    def count_them(modeladmin, request, queryset):
        seen.extend(queryset)

    monkeypatch.setattr(hooks, "lesson_admin_actions", [count_them])
    page = instructor_client.get(reverse("admin:lessons_lesson_changelist"))
    assert "Count them" in page.content.decode()

    _action(
        instructor_client,
        "lessons",
        "lesson",
        "count_them",
        [both["a"]["lesson"], both["b"]["lesson"]],
    )

    assert seen == [both["a"]["lesson"]]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:lessons_course_add",
        "admin:lessons_module_add",
        "admin:lessons_lesson_add",
        "admin:quizzes_question_add",
        "admin:quizzes_quiz_add",
        "admin:quizzes_quizoverride_add",
    ],
)
def test_an_instructor_can_open_the_add_pages(instructor_client, course_a, url_name):
    assert instructor_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "model", ["question", "quiz", "quizoverride", "accommodation", "attempt"]
)
def test_a_superuser_can_open_the_quiz_changelists_and_add_pages(
    superuser_client, both, model
):
    changelist = superuser_client.get(reverse(f"admin:quizzes_{model}_changelist"))
    add = superuser_client.get(reverse(f"admin:quizzes_{model}_add"))

    assert changelist.status_code == 200
    assert add.status_code == (403 if model == "attempt" else 200)
