"""Quizzes in the admin: publish and unpublish, duplicate, reorder questions,
preview as a student, and changelists whose query count does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import selectors
from quizzes.models import Attempt, Question, Quiz, QuizQuestion
from quizzes.services import attempt_start, quiz_duplicate
from tests.admin.support import SINGLE, quiz_post
from tests.factories import (
    EnrollmentFactory,
    QuizOverrideFactory,
    UserFactory,
    make_question,
    make_quiz,
)

pytestmark = pytest.mark.django_db


def _questions(course, n: int) -> list[Question]:
    return [
        make_question(course=course, data={**SINGLE, "key": f"q{i}"}) for i in range(n)
    ]


@pytest.fixture
def quiz(course_a):
    return make_quiz(
        course=course_a,
        questions=_questions(course_a, 3),
        slug="check",
        title="Check",
        attempts_allowed=2,
        pass_mark=0.7,
        review_options={"during": [], "immediately": ["marks"]},
    )


def _action(client, model, action, objects):
    return client.post(
        reverse(f"admin:quizzes_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


# --------------------------------------------------------------------------
# Publishing


def test_publish_and_unpublish_quizzes(instructor_client, quiz):
    _action(instructor_client, "quiz", "unpublish", [quiz])
    assert not Quiz.objects.get(pk=quiz.pk).is_published

    response = _action(instructor_client, "quiz", "publish", [quiz])

    assert "1 quiz updated." in response.content.decode()
    assert Quiz.objects.get(pk=quiz.pk).is_published


def test_publish_and_unpublish_questions(instructor_client, quiz):
    questions = list(Question.objects.filter(course=quiz.course))

    response = _action(instructor_client, "question", "unpublish", questions[:2])

    assert "2 questions updated." in response.content.decode()
    published = dict(
        Question.objects.filter(course=quiz.course).values_list("key", "is_published")
    )
    assert published == {"q0": False, "q1": False, "q2": True}
    _action(instructor_client, "question", "publish", questions[:1])
    assert Question.objects.get(key="q0").is_published


# --------------------------------------------------------------------------
# Duplicating


def test_duplicating_a_quiz_copies_settings_and_questions_unpublished(
    instructor_client, quiz
):
    QuizQuestion.objects.filter(quiz=quiz, position=1).update(mark=3)
    QuizOverrideFactory(quiz=quiz)

    response = _action(instructor_client, "quiz", "duplicate", [quiz])

    copy = Quiz.objects.get(slug="check-copy")
    assert "Check (copy)" in response.content.decode()
    assert copy.title == "Check (copy)"
    assert not copy.is_published
    assert copy.course_id == quiz.course_id
    assert (copy.attempts_allowed, copy.pass_mark) == (2, 0.7)
    assert copy.review_options == quiz.review_options
    assert list(copy.slots.values_list("question_id", "position", "mark")) == list(
        quiz.slots.values_list("question_id", "position", "mark")
    )
    assert not copy.overrides.exists()
    assert Quiz.objects.get(pk=quiz.pk).is_published


def test_duplicating_twice_gives_unique_slugs(quiz):
    first = quiz_duplicate(quiz=quiz)
    second = quiz_duplicate(quiz=quiz)
    of_copy = quiz_duplicate(quiz=first)

    assert (first.slug, second.slug, of_copy.slug) == (
        "check-copy",
        "check-copy-2",
        "check-copy-copy",
    )


def test_duplicating_a_quiz_with_the_longest_slug_fits(course_a):
    quiz = make_quiz(course=course_a, slug="s" * 100)

    copy = quiz_duplicate(quiz=quiz)

    assert copy.slug == "s" * 95 + "-copy"


def test_duplicating_copies_no_attempts(quiz):
    student = UserFactory(username="stu")
    EnrollmentFactory(user=student, course=quiz.course)
    attempt_start(quiz=quiz, user=student)

    copy = quiz_duplicate(quiz=quiz)

    assert not Attempt.objects.filter(quiz=copy).exists()


# --------------------------------------------------------------------------
# Reordering


def test_questions_are_reordered_by_their_positions_in_the_quiz_form(
    instructor_client, quiz
):
    first, second, third = (s.question for s in quiz.slots.order_by("position"))

    response = instructor_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        quiz_post(quiz, slots=[(first, 2, None), (second, 0, None), (third, 1, 2.5)]),
    )

    assert response.status_code == 302, response.context["errors"]
    ordered = list(quiz.slots.order_by("position").values_list("question", "mark"))
    assert ordered == [(second.pk, None), (third.pk, 2.5), (first.pk, None)]


def test_the_quiz_form_carries_the_move_up_and_down_script(instructor_client, quiz):
    page = instructor_client.get(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    ).content.decode()

    assert "js/inline-reorder.js" in page
    assert 'name="slots-0-position"' in page


def test_a_question_from_another_courses_bank_cannot_join_a_quiz(
    superuser_client, quiz, course_b
):
    stranger = make_question(course=course_b, data={**SINGLE, "key": "stranger"})
    slots = [(s.question, s.position, s.mark) for s in quiz.slots.all()]

    response = superuser_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        quiz_post(quiz, slots=[*slots, (stranger, 3, None)]),
    )

    assert response.status_code == 200
    assert not quiz.slots.filter(question=stranger).exists()


def test_a_quiz_cannot_belong_to_another_courses_lesson(
    superuser_client, quiz, course_b
):
    response = superuser_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        quiz_post(quiz, lesson=course_b.lessons.first().pk),
    )

    assert response.status_code == 200
    assert "lesson" in response.context["adminform"].form.errors


def test_a_quiz_is_created_with_its_questions(instructor_client, course_a):
    question = make_question(course=course_a, data={**SINGLE, "key": "only"})
    template = Quiz(course=course_a, title="New", slug="new")

    data = quiz_post(template, slots=[])
    data.update(
        {
            "slots-TOTAL_FORMS": 1,
            "slots-0-question": question.pk,
            "slots-0-position": 0,
        }
    )
    response = instructor_client.post(reverse("admin:quizzes_quiz_add"), data)

    assert response.status_code == 302, response.context["errors"]
    created = Quiz.objects.get(slug="new")
    assert list(created.slots.values_list("question", flat=True)) == [question.pk]


# --------------------------------------------------------------------------
# Preview as student


def test_the_quiz_page_links_to_the_student_view_for_a_preview(instructor_client, quiz):
    page = instructor_client.get(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    ).content.decode()

    assert "Preview as student" in page
    assert f'href="{quiz.get_absolute_url()}"' in page


def test_a_preview_from_the_student_page_is_never_counted(
    instructor_client, instructor, quiz
):
    page = instructor_client.get(quiz.get_absolute_url())
    assert "Preview the quiz" in page.content.decode()

    response = instructor_client.post(
        reverse(
            "quizzes:quiz-start",
            kwargs={"course_slug": quiz.course.slug, "quiz_slug": quiz.slug},
        )
    )

    assert response.status_code == 302
    attempt = Attempt.objects.get(quiz=quiz, user=instructor)
    assert attempt.is_preview
    status = selectors.quiz_statuses(user=instructor, course=quiz.course)[quiz.pk]
    assert status.attempts == 0


# --------------------------------------------------------------------------
# Query counts: a changelist does not grow with its rows


def _changelist_queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:quizzes_question_changelist",
        "admin:quizzes_quiz_changelist",
        "admin:quizzes_attempt_changelist",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    instructor_client, course_a, url_name
):
    def grow(n):
        for _ in range(n):
            quiz = make_quiz(course=course_a, questions=_questions_n(course_a, 2))
            student = UserFactory()
            EnrollmentFactory(user=student, course=course_a)
            attempt_start(quiz=quiz, user=student)

    grow(2)
    few = _changelist_queries(instructor_client, reverse(url_name))
    grow(20)
    many = _changelist_queries(instructor_client, reverse(url_name))

    assert many == few


_counter = iter(range(10**6))


def _questions_n(course, n):
    return [
        make_question(course=course, data={**SINGLE, "key": f"bulk-{next(_counter)}"})
        for _ in range(n)
    ]


def test_question_change_page_queries_do_not_grow_with_attempts(
    instructor_client, quiz
):
    question = quiz.slots.first().question
    url = reverse("admin:quizzes_question_change", args=[question.pk])

    def take(n):
        for _ in range(n):
            student = UserFactory()
            EnrollmentFactory(user=student, course=quiz.course)
            attempt_start(quiz=quiz, user=student)

    take(1)
    few = _changelist_queries(instructor_client, url)
    take(15)
    many = _changelist_queries(instructor_client, url)

    assert many == few


# --------------------------------------------------------------------------
# Students see what the admin changed, even with the course pages cached


def test_a_quiz_published_in_the_admin_shows_on_a_lesson_page_already_seen(
    client, instructor_client, course_a
):
    lesson = course_a.lessons.order_by("module__position", "position").first()
    quiz = make_quiz(
        course=course_a,
        lesson=lesson,
        questions=_questions(course_a, 1),
        is_published=False,
    )
    student = UserFactory(username="reader")
    EnrollmentFactory(user=student, course=course_a)
    client.force_login(student)
    assert "lesson-check" not in client.get(lesson.get_absolute_url()).content.decode()

    _action(instructor_client, "quiz", "publish", [quiz])

    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "lesson-check" in page
    assert quiz.title in page


def test_a_quiz_unpublished_in_the_admin_leaves_the_lesson_page(
    client, instructor_client, course_a
):
    lesson = course_a.lessons.order_by("module__position", "position").first()
    quiz = make_quiz(course=course_a, lesson=lesson, questions=_questions(course_a, 1))
    student = UserFactory(username="reader")
    EnrollmentFactory(user=student, course=course_a)
    client.force_login(student)
    assert quiz.title in client.get(lesson.get_absolute_url()).content.decode()

    instructor_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        quiz_post(quiz, is_published=False),
    )

    assert quiz.title not in client.get(lesson.get_absolute_url()).content.decode()
