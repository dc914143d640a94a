"""Security review: each test pins a hole that was found and closed.

Accounts leave at once, marks stay hidden as long as the review options hide them,
the attempt page gives no clue to the authored (right-first) order of the options,
instructor-written text cannot run as a spreadsheet formula, a renamed course's
old address stops serving cached lessons, and a lesson's quiz is hidden with it.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coursesite import cache as site_cache
from coursesite.auth import CachedModelBackend
from lessons import services as lesson_services
from lessons.models import Course, Lesson
from quizzes import services as quiz_services
from quizzes.models import Answer
from teach import exports, selectors
from tests.factories import (
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)
from tests.helpers import html_elements

pytestmark = pytest.mark.django_db

NOTHING = {"during": [], "immediately": [], "open": [], "closed": []}
MARKS_WHEN_CLOSED = {"during": [], "immediately": [], "open": [], "closed": ["marks"]}


def single(**changes) -> dict:
    """A single-choice question written the usual way: the right option first."""
    return {
        "type": "single",
        "title": "Capital of Peru",
        "text": "Which city is the capital of Peru?",
        "options": [
            {"text": "Lima", "fraction": 1.0, "feedback": ""},
            {"text": "Quito", "fraction": 0.0, "feedback": ""},
            {"text": "Cusco", "fraction": 0.0, "feedback": ""},
            {"text": "Bogotá", "fraction": 0.0, "feedback": ""},
        ],
        **changes,
    }


def multiple() -> dict:
    return {
        "type": "multiple",
        "title": "Andean countries",
        "text": "Which of these countries lie in the Andes?",
        "options": [
            {"text": "Chile", "fraction": 0.5, "feedback": ""},
            {"text": "Bolivia", "fraction": 0.5, "feedback": ""},
            {"text": "Uruguay", "fraction": -1.0, "feedback": ""},
            {"text": "Paraguay", "fraction": -1.0, "feedback": ""},
        ],
    }


def enrolled_client(user, course) -> Client:
    EnrollmentFactory(user=user, course=course)
    client = Client()
    client.force_login(user)
    return client


def option_id(response, text: str) -> str:
    return next(o["id"] for o in response.snapshot["options"] if o["text"] == text)


def take_right(quiz, user):
    """Start, answer right, submit; the graded attempt."""
    attempt = quiz_services.attempt_start(quiz=quiz, user=user)
    response = attempt.responses.get()
    quiz_services.attempt_save_answers(
        attempt=attempt, answers={response.position: option_id(response, "Lima")}
    )
    quiz_services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.fraction == 1.0
    return attempt


# --- The user cache never outlives a deactivation ------------------------------


def test_a_user_cached_while_being_deactivated_is_forgotten_at_commit(
    settings, django_capture_on_commit_callbacks
):
    """The admin saves a user inside a transaction: a request of that user in
    between reads the row as it was (still active) and caches it. The copy must
    not outlive the commit, or the account works on for the cache's lifetime."""
    settings.AUTH_USER_CACHE_SECONDS = 600
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        user.is_active = False
        user.save()
        # What a concurrent request, reading the committed row, caches.
        before = get_user_model().objects.get(pk=user.pk)
        before.is_active = True
        site_cache.user_row(user.pk, lambda: before)

    assert CachedModelBackend().get_user(user.pk) is None


# --- Marks stay hidden while the review options hide them ----------------------


@pytest.fixture
def hidden_marks_quiz(course):
    lesson = Lesson.objects.filter(course=course).order_by("id").first()
    return make_quiz(
        course=course,
        lesson=lesson,
        questions=[single()],
        review_options=NOTHING,
        pass_mark=0.5,
    )


def test_the_quiz_page_shows_no_grade_while_the_review_options_hide_marks(
    student, hidden_marks_quiz
):
    client = enrolled_client(student, hidden_marks_quiz.course)
    take_right(hidden_marks_quiz, student)

    html = client.get(hidden_marks_quiz.get_absolute_url()).content.decode()

    assert 'data-testid="quiz-grade"' not in html
    assert "100%" not in html


def test_lesson_and_syllabus_badges_hide_the_best_score_while_marks_are_hidden(
    student, hidden_marks_quiz
):
    client = enrolled_client(student, hidden_marks_quiz.course)
    take_right(hidden_marks_quiz, student)

    lesson_page = client.get(hidden_marks_quiz.lesson.get_absolute_url())
    syllabus = client.get(hidden_marks_quiz.course.get_absolute_url())

    assert "best score" not in lesson_page.content.decode()
    assert "Quiz: 100%" not in syllabus.content.decode()


def test_exam_badges_hide_the_best_score_while_marks_are_hidden(student, course):
    exam = make_quiz(
        course=course, questions=[single()], review_options=NOTHING, title="Final"
    )
    client = enrolled_client(student, course)
    take_right(exam, student)

    syllabus = client.get(course.get_absolute_url()).content.decode()
    my_learning = client.get(reverse("lessons:my-learning")).content.decode()

    assert "best 100%" not in syllabus
    assert "Final: best 100%" not in my_learning


def test_the_best_score_appears_once_the_review_options_show_marks(student, course):
    lesson = Lesson.objects.filter(course=course).order_by("id").first()
    quiz = make_quiz(
        course=course,
        lesson=lesson,
        questions=[single()],
        review_options=MARKS_WHEN_CLOSED,
        close_at=timezone.now() + timedelta(hours=1),
    )
    client = enrolled_client(student, course)
    take_right(quiz, student)
    assert "best score" not in client.get(lesson.get_absolute_url()).content.decode()

    quiz.close_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    quiz_services.quiz_courses_touch(course_ids=[course.pk])

    assert "best score 100%" in client.get(lesson.get_absolute_url()).content.decode()
    quiz_page = client.get(quiz.get_absolute_url()).content.decode()
    assert 'data-testid="quiz-grade">100%' in quiz_page


# --- Choice values do not give the authored order away -------------------------


def choice_values(html: str, field: str) -> list[str]:
    return [
        e.attrs["value"]
        for e in html_elements(html)
        if e.tag == "input"
        and e.attrs.get("name") == field
        and e.attrs.get("type") in ("radio", "checkbox")
    ]


def test_shuffled_choice_values_on_the_attempt_page_are_not_answer_row_ids(
    student, course
):
    """Answer rows are numbered in the order they were written, usually right
    answer first: as values, they would undo the shuffle."""
    quiz = make_quiz(
        course=course, questions=[single(), multiple()], shuffle_options=True
    )
    client = enrolled_client(student, course)
    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    row_ids = {
        str(pk)
        for pk in Answer.objects.filter(question__slots__quiz=quiz).values_list(
            "pk", flat=True
        )
    }

    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    for response in attempt.responses.all():
        shown = choice_values(html, f"q{response.position}")
        assert len(shown) == 4
        assert not set(shown) & row_ids


def test_a_choice_posted_as_shown_on_the_page_is_saved_and_graded(student, course):
    quiz = make_quiz(
        course=course, questions=[single(), multiple()], shuffle_options=True
    )
    client = enrolled_client(student, course)
    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    labels = dict(
        re.findall(r'<label class="form-check-label" for="([^"]+)">([^<]*)<', html)
    )
    post = {"page": "1", "action": "save"}
    for response in attempt.responses.all():
        field = f"q{response.position}"
        wanted = {"Lima", "Chile", "Bolivia"}
        chosen = [
            value
            for value in choice_values(html, field)
            if labels.get(f"{field}-{value}") in wanted
        ]
        post[field] = chosen if response.snapshot["type"] == "multiple" else chosen[0]
        post[f"{field}-present"] = "1"

    assert client.post(url, post).status_code == 302
    # Shown again with the choices ticked.
    again = client.get(url).content.decode()
    assert again.count(" checked") == 3
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.fraction == 1.0


# --- Exports: no formula from instructor-written text ---------------------------


def test_exports_protect_quiz_titles_against_formula_injection(course):
    quiz = make_quiz(
        course=course, questions=[single()], title='=HYPERLINK("http://x.test","y")'
    )
    student = UserFactory(username="ana")
    EnrollmentFactory(user=student, course=course)
    take_right(quiz, student)
    course = Course.objects.get(pk=course.pk)

    book = selectors.gradebook_for(course=course)
    gradebook = list(
        exports.gradebook_csv_rows(
            book=book, students=selectors.gradebook_students(book=book, full=True)
        )
    )
    responses = list(exports.responses_csv_rows(course=course))

    cells = [cell for row in gradebook + responses for cell in row]
    assert not [c for c in cells if isinstance(c, str) and c.startswith("=")]
    # The title is still there, only made inert.
    assert any(isinstance(c, str) and "HYPERLINK" in c for c in cells)


# --- A renamed course's old address stops serving cached lessons ---------------


def test_an_old_course_slug_stops_serving_cached_lessons_after_a_rename(student):
    course = make_course(modules=1, lessons_per_module=2, slug="old", title="Old")
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    reader = enrolled_client(student, course)
    lesson = course.lessons.order_by("id").first()
    old_url = lesson.get_absolute_url()
    assert reader.get(old_url).status_code == 200  # now cached under "old"

    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        reverse("admin:lessons_course_change", args=[course.pk]),
        {
            "title": "Old",
            "slug": "renamed",
            # Unpublished in the same save: nobody may read it any more.
            "modules-TOTAL_FORMS": 0,
            "modules-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.slug, course.is_published) == ("renamed", False)

    assert reader.get(old_url).status_code == 404


# --- A quiz goes with its lesson -----------------------------------------------


def test_the_quiz_of_an_unpublished_lesson_is_not_found_for_students(student, course):
    lesson = Lesson.objects.filter(course=course).order_by("id").first()
    quiz = make_quiz(course=course, lesson=lesson, questions=[single()])
    client = enrolled_client(student, course)
    assert client.get(quiz.get_absolute_url()).status_code == 200
    lesson_services.lesson_set_published(lesson_ids=[lesson.pk], published=False)

    start = reverse(
        "quizzes:quiz-start",
        kwargs={"course_slug": course.slug, "quiz_slug": quiz.slug},
    )
    assert client.get(quiz.get_absolute_url()).status_code == 404
    assert client.post(start).status_code == 404
    assert not quiz.attempts.exists()


def test_staff_still_open_the_quiz_of_an_unpublished_lesson(staff, course):
    lesson = Lesson.objects.filter(course=course).order_by("id").first()
    quiz = make_quiz(course=course, lesson=lesson, questions=[single()])
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)
    client = Client()
    client.force_login(staff)

    assert client.get(quiz.get_absolute_url()).status_code == 200


def test_a_choice_shown_before_a_secret_key_rotation_still_counts(
    student, course, settings
):
    """Sessions survive a rotation while the old key is a fallback: so must the
    choices on a page the student opened before it."""
    quiz = make_quiz(course=course, questions=[single()], shuffle_options=True)
    client = enrolled_client(student, course)
    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    response = attempt.responses.get()
    url = reverse("quizzes:attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    right = next(
        value
        for value in choice_values(html, f"q{response.position}")
        if f'for="q{response.position}-{value}">Lima<' in html
    )

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-the-rotation-0123456789"
    assert (
        client.post(url, {"page": "1", f"q{response.position}": right}).status_code
        == 302
    )

    response.refresh_from_db()
    assert response.answer == option_id(response, "Lima")
