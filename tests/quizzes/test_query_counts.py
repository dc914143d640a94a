"""Quiz pages and writes issue a number of queries that does not grow with the
questions of an attempt, the attempts of a student or the lessons of a course."""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import presenting, services
from tests.factories import EnrollmentFactory, make_course, make_quiz
from tests.quizzes.samples import ALL_TYPES, sample
from tests.quizzes.support import (
    attempt_url,
    by_type,
    result_url,
    start_url,
    submit_url,
    summary_url,
)

pytestmark = pytest.mark.django_db

# Upper bounds, so that a constant but wasteful page is noticed too.
MAX_QUERIES = {
    "attempt": 4,
    "save": 9,
    "summary": 6,
    # 8 for the submit itself, then 3 for the student's stored course total
    # (teach/gradebook_totals.py) and 1 for the stored statistics' stale mark.
    "submit": 12,
    "result": 4,
    "start": 17,
    "detail": 6,
    "lesson": 12,
    "syllabus": 10,
    "my-learning": 7,
}

KINDS = [kind for kind in ALL_TYPES if kind != "essay"]


def questions(count: int) -> list[dict]:
    """``count`` questions cycling through the types (no essay, so all grade)."""
    return [sample(kind) for kind in itertools.islice(itertools.cycle(KINDS), count)]


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.fixture
def small_and_large(course, student, enrolled_client):
    """Attempts in progress of 5 and of 20 questions, nothing answered."""
    small = make_quiz(course=course, slug="small", questions=questions(5))
    large = make_quiz(course=course, slug="large", questions=questions(20))
    attempts = (
        services.attempt_start(quiz=small, user=student),
        services.attempt_start(quiz=large, user=student),
    )
    # Warm whatever a first request caches, so only the pages are compared.
    enrolled_client.get(attempt_url(attempts[0]))
    return attempts


def answers_for(attempt) -> dict:
    """A POST answering every question of an attempt (right where easy)."""
    data = {"page": "1", "action": "save"}
    for response in attempt.responses.all():
        snap, key = response.snapshot, f"q{response.position}"
        kind = snap["type"]
        if kind in ("single", "multiple"):
            data[key] = snap["options"][0]["id"]
        elif kind == "truefalse":
            data[key] = "true"
        elif kind == "shortanswer":
            data[key] = "zebraquux"
        elif kind == "numerical":
            data[key] = "987654.25"
        elif kind == "matching":
            for pair in snap["pairs"]:
                data[f"{key}-{pair['id']}"] = pair["answer"]
        elif kind == "ordering":
            data[f"{key}-order"] = ",".join(i["id"] for i in snap["items"])
        elif kind == "cloze":
            for gap in snap["gaps"]:
                value = "123987" if gap["kind"] == "numerical" else "clozequux"
                if "options" in gap:
                    value = presenting.option_token(
                        response.pk, f"{gap['id']}:{gap['options'][0]['id']}"
                    )
                data[f"{key}-gap-{gap['id']}"] = value
    return data


# --------------------------------------------------------------------------
# The attempt


def test_the_attempt_page_queries_do_not_grow_with_the_questions(
    enrolled_client, small_and_large, django_assert_max_num_queries
):
    small, large = small_and_large
    # Cold: nothing of either attempt's markup is cached yet.
    cold = []
    for attempt in small_and_large:
        cache.clear()
        cold.append(
            count_queries(lambda a=attempt: enrolled_client.get(attempt_url(a)))
        )
    # Warm: each page was shown once, so its questions' markup is cached.
    for attempt in small_and_large:
        enrolled_client.get(attempt_url(attempt))
    warm = [
        count_queries(lambda a=a: enrolled_client.get(attempt_url(a)))
        for a in small_and_large
    ]

    assert cold[0] == cold[1]
    assert warm[0] == warm[1]
    assert warm[1] <= cold[1]
    with django_assert_max_num_queries(MAX_QUERIES["attempt"]):
        enrolled_client.get(attempt_url(large))


def test_saving_a_page_queries_do_not_grow_with_the_questions(
    enrolled_client, small_and_large, django_assert_max_num_queries
):
    counts = [
        count_queries(lambda a=a: enrolled_client.post(attempt_url(a), answers_for(a)))
        for a in small_and_large
    ]

    assert all(r.answer is not None for r in small_and_large[1].responses.all()
               if r.snapshot["type"] != "description")  # fmt: skip
    assert counts[0] == counts[1] <= MAX_QUERIES["save"]


def test_the_summary_queries_do_not_grow_with_the_questions(
    enrolled_client, small_and_large
):
    counts = [
        count_queries(lambda a=a: enrolled_client.get(summary_url(a)))
        for a in small_and_large
    ]

    assert counts[0] == counts[1] <= MAX_QUERIES["summary"]


def test_submit_and_grade_queries_do_not_grow_with_the_questions(
    enrolled_client, small_and_large, django_assert_num_queries
):
    for attempt in small_and_large:
        enrolled_client.post(attempt_url(attempt), answers_for(attempt))

    counts = [
        count_queries(lambda a=a: enrolled_client.post(submit_url(a)))
        for a in small_and_large
    ]

    for attempt in small_and_large:
        attempt.refresh_from_db()
        assert attempt.state == "graded"
    assert counts[0] == counts[1] <= MAX_QUERIES["submit"]


def test_the_submit_service_queries_do_not_grow_with_the_questions(
    small_and_large,
):
    counts = [
        count_queries(lambda a=a: services.attempt_submit(attempt=a))
        for a in small_and_large
    ]

    assert counts[0] == counts[1]


def test_grading_a_passed_lesson_quiz_queries_do_not_grow_with_the_questions(
    course, lessons, student
):
    """Completing the lesson adds queries, but the same few whatever the size."""
    counts = []
    for size, slug, lesson in ((5, "small", lessons[0]), (20, "large", lessons[1])):
        quiz = make_quiz(
            course=course, lesson=lesson, slug=slug, questions=questions(size)
        )
        attempt = services.attempt_start(quiz=quiz, user=student)
        rows = by_type(attempt)
        services.attempt_save_answers(
            attempt=attempt,
            answers={
                r.position: "true" for r in attempt.responses.all()
                if r.snapshot["type"] == "truefalse"
            } | {rows["single"].position: rows["single"].snapshot["options"][1]["id"]},
        )  # fmt: skip
        quiz.pass_mark = 0
        quiz.save()
        counts.append(
            count_queries(lambda a=attempt: services.attempt_submit(attempt=a))
        )

    assert counts[0] == counts[1]


def test_the_result_page_queries_do_not_grow_with_the_questions(
    enrolled_client, small_and_large
):
    for attempt in small_and_large:
        services.attempt_submit(attempt=attempt)

    counts = [
        count_queries(lambda a=a: enrolled_client.get(result_url(a)))
        for a in small_and_large
    ]

    assert counts[0] == counts[1] <= MAX_QUERIES["result"]


def test_a_result_page_seen_again_reads_less(enrolled_client, small_and_large):
    """The review's questions are cached: neither the frozen questions nor the
    lessons they link to are read again."""
    for attempt in small_and_large:
        services.attempt_submit(attempt=attempt)
    cold = [
        count_queries(lambda a=a: enrolled_client.get(result_url(a)))
        for a in small_and_large
    ]

    warm = [
        count_queries(lambda a=a: enrolled_client.get(result_url(a)))
        for a in small_and_large
    ]

    assert warm[0] == warm[1] < cold[0]


def test_starting_queries_do_not_grow_with_the_questions(enrolled_client, course):
    small = make_quiz(course=course, slug="small", questions=questions(5))
    large = make_quiz(course=course, slug="large", questions=questions(20))
    enrolled_client.get(small.get_absolute_url())

    counts = [
        count_queries(lambda q=q: enrolled_client.post(start_url(q)))
        for q in (small, large)
    ]

    assert counts[0] == counts[1] <= MAX_QUERIES["start"]


def test_drawing_from_the_bank_queries_do_not_grow_with_the_bank(course, student):
    from tests.factories import make_question

    for data in questions(5):
        make_question(course=course, data=data)
    small = make_quiz(course=course, slug="small", draw_from_bank=True, draw_count=3)
    first = count_queries(lambda: services.attempt_start(quiz=small, user=student))
    for data in questions(40):
        make_question(course=course, data=data)
    large = make_quiz(course=course, slug="large", draw_from_bank=True, draw_count=3)

    second = count_queries(lambda: services.attempt_start(quiz=large, user=student))

    assert first == second


# --------------------------------------------------------------------------
# The quiz page


def test_the_quiz_page_queries_do_not_grow_with_the_attempts(
    enrolled_client, course, student, django_assert_max_num_queries
):
    quiz = make_quiz(course=course, questions=questions(3))
    enrolled_client.get(quiz.get_absolute_url())
    # Both counts are of the first view after an attempt of the student's (what
    # is cached of them is rebuilt then), with the course's content cached.
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=student))
    one = count_queries(lambda: enrolled_client.get(quiz.get_absolute_url()))
    for _ in range(9):
        services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=student))

    with django_assert_max_num_queries(one):
        response = enrolled_client.get(quiz.get_absolute_url())

    assert response.content.decode().count("Review<span") == 10
    assert one <= MAX_QUERIES["detail"]


def test_the_quiz_page_reads_the_students_override_and_accommodation_once(
    enrolled_client, course, student
):
    quiz = make_quiz(course=course, questions=questions(3))
    enrolled_client.get(quiz.get_absolute_url())  # the student's settings cached

    with CaptureQueriesContext(connection) as captured:
        response = enrolled_client.get(quiz.get_absolute_url())

    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "quizzes_quizoverride" not in tables
    assert "quizzes_accommodation" not in tables
    assert len(captured) <= MAX_QUERIES["detail"] - 2


# --------------------------------------------------------------------------
# Lesson pages, syllabus and My learning with quizzes


@pytest.fixture
def short_and_long(student):
    """Courses of 3 and 300 lessons, each lesson with a quiz; the student is
    enrolled in both and has an attempt at the second lesson's quiz."""
    courses = (
        make_course(slug="short", modules=1, lessons_per_module=3),
        make_course(slug="long", modules=10, lessons_per_module=30),
    )
    for course in courses:
        EnrollmentFactory(user=student, course=course)
        lessons = list(course.lessons.order_by("module__position", "position"))
        for index, lesson in enumerate(lessons):
            make_quiz(
                course=course,
                lesson=lesson,
                slug=f"check-{index}",
                questions=[sample("truefalse")] if index == 1 else [],
            )
        second = lessons[1]
        quiz = second.quizzes.get()
        services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=student))
    return courses


def _second_lesson(course):
    return course.lessons.order_by("module__position", "position")[1]


def test_the_lesson_page_with_a_quiz_panel_does_not_grow_with_the_course(
    student_client, short_and_long, django_assert_max_num_queries
):
    urls = [_second_lesson(c).get_absolute_url() for c in short_and_long]
    for url in urls:  # warm the outline cache and the lesson start
        student_client.get(url)

    counts = [count_queries(lambda u=u: student_client.get(u)) for u in urls]

    assert counts[0] == counts[1]
    html = student_client.get(urls[1]).content.decode()
    assert "lesson-check" in html
    with django_assert_max_num_queries(MAX_QUERIES["lesson"]):
        student_client.get(urls[1])


def test_the_lesson_page_when_the_quiz_is_required_does_not_grow_with_the_course(
    student_client, short_and_long
):
    for course in short_and_long:
        course.completion_requires_quiz = True
        course.save()
    urls = [_second_lesson(c).get_absolute_url() for c in short_and_long]
    for url in urls:
        student_client.get(url)

    counts = [count_queries(lambda u=u: student_client.get(u)) for u in urls]

    assert counts[0] == counts[1] <= MAX_QUERIES["lesson"]


def test_the_syllabus_with_quiz_badges_does_not_grow_with_the_course(
    student_client, short_and_long
):
    urls = [c.get_absolute_url() for c in short_and_long]
    for url in urls:
        student_client.get(url)

    counts = [count_queries(lambda u=u: student_client.get(u)) for u in urls]

    assert counts[0] == counts[1] <= MAX_QUERIES["syllabus"]
    assert "Quiz: 0%" in student_client.get(urls[1]).content.decode()


def test_my_learning_with_quiz_badges_does_not_grow_with_courses_or_quizzes(
    student, student_client, course
):
    url = reverse("lessons:my-learning")
    EnrollmentFactory(user=student, course=course)
    make_quiz(course=course, questions=questions(2))
    student_client.get(url)
    one = count_queries(lambda: student_client.get(url))
    for number in range(4):
        other = make_course(slug=f"more-{number}", modules=2, lessons_per_module=5)
        EnrollmentFactory(user=student, course=other)
        for index, lesson in enumerate(other.lessons.all()):
            make_quiz(course=other, lesson=lesson, slug=f"q{index}")

    many = count_queries(lambda: student_client.get(url))

    assert one == many <= MAX_QUERIES["my-learning"]
