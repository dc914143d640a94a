"""The staff pages cost the same number of queries whatever the number of
students (5 or 500) and of questions: every figure comes from a fixed set of
queries, never one per row."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import Enrollment, LessonProgress
from quizzes.models import Attempt, AttemptState, Response
from quizzes.snapshots import question_to_dict
from tests.factories import make_course
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz

pytestmark = pytest.mark.django_db

# Session and user, the course, then the page's own reads (see each view). The
# statistics page also reads the quiz's question checks: slots, questions, their
# answers and dismissals (quizzes.selectors.course_check_rows), four more. The
# gradebook also reads the user's recent export jobs (their progress bars), one more.
MAX_QUERIES = {"gradebook": 9, "statistics": 12, "dashboard": 3, "queue": 8}


def _questions(count: int):
    return [{**(SINGLE if n % 2 else TRUEFALSE), "key": f"q{n}"} for n in range(count)]


def _populate(course, quizzes, students: int, *, seed=1):
    """``students`` enrolled students with a graded attempt at each quiz, written
    with bulk_create; answers scored at random (stored for the first quiz only,
    which the statistics page reads), half the lessons completed."""
    rng = random.Random(seed)
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"{course.slug}-{n:04d}", last_name=f"L{n}")
        for n in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(user=u, course=course) for u in users)
    lessons = list(course.lessons.all())
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=u,
            lesson=lesson,
            course=course,
            status="completed",
            started_at=now,
            completed_at=now,
        )
        for u in users
        for lesson in lessons[: len(lessons) // 2]
    )
    for quiz in quizzes:
        slots = list(quiz.slots.select_related("question").order_by("position"))
        snapshots = [question_to_dict(s.question) for s in slots]
        attempts = []
        marks = []
        for user in users:
            row = [rng.random() < 0.6 for _ in slots]
            marks.append(row)
            score = float(sum(row))
            attempts.append(
                Attempt(
                    quiz=quiz,
                    user=user,
                    number=1,
                    state=AttemptState.GRADED,
                    started_at=now - timedelta(minutes=30),
                    submitted_at=now - timedelta(minutes=20),
                    max_score=len(slots),
                    score=score,
                    fraction=score / len(slots),
                    passed=score / len(slots) >= quiz.pass_mark,
                )
            )
        Attempt.objects.bulk_create(attempts)
        if quiz != quizzes[0]:
            continue
        Response.objects.bulk_create(
            Response(
                attempt=attempt,
                question=slot.question,
                position=position,
                snapshot=snap,
                max_mark=1.0,
                answer=(snap["options"][0]["id"] if "options" in snap else right),
                score=float(right),
                fraction=float(right),
            )
            for attempt, row in zip(attempts, marks, strict=True)
            for position, (slot, snap, right) in enumerate(
                zip(slots, snapshots, row, strict=True)
            )
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def courses(instructor):
    """The same shape twice: 5 students with 2 questions a quiz, 500 with 20."""
    built = {}
    for label, students, questions in (("small", 5, 2), ("large", 500, 20)):
        course = make_course(slug=label, modules=2, lessons_per_module=3)
        course.instructors.add(instructor)
        quizzes = [
            make_quiz(course, slug=f"quiz{n}", questions=_questions(questions))
            for n in range(3)
        ]
        essay = make_quiz(course, slug="essays", questions=(ESSAY,))
        _populate(course, quizzes, students)
        built[label] = (course, quizzes, essay)
    return built


def _urls(course, quiz):
    gradebook = reverse("teach:gradebook", args=[course.slug])
    statistics = reverse("teach:statistics", args=[course.slug, quiz.slug])
    return {
        "gradebook": [
            gradebook,
            f"{gradebook}?sort=-total&page=2",
            f"{gradebook}?status=passed&q=L&sort=-q{quiz.pk}",
        ],
        "statistics": [statistics, f"{statistics}?attempts=first"],
        "dashboard": [reverse("teach:dashboard")],
        "queue": [
            reverse("teach:queue"),
            f"{reverse('teach:queue')}?course={course.pk}",
        ],
    }


def test_query_counts_do_not_grow_with_students_or_questions(
    teacher_client, courses, django_assert_max_num_queries
):
    counts = {}
    for label, (course, quizzes, _essay) in courses.items():
        for page, urls in _urls(course, quizzes[0]).items():
            counts[(label, page)] = [_count(teacher_client, url) for url in urls]
    for page, limit in MAX_QUERIES.items():
        assert counts[("large", page)] == counts[("small", page)], page
        for url in _urls(*[courses["large"][0], courses["large"][1][0]])[page]:
            with django_assert_max_num_queries(limit):
                teacher_client.get(url)


def test_the_large_gradebook_shows_fifty_rows_with_real_figures(
    teacher_client, courses
):
    course, quizzes, _essay = courses["large"]
    page = teacher_client.get(reverse("teach:gradebook", args=[course.slug]))
    html = page.content.decode()
    assert html.count('data-testid="row"') == 50
    assert "500 students" in html


def test_the_large_statistics_page_has_enough_data(teacher_client, courses):
    course, quizzes, _essay = courses["large"]
    html = teacher_client.get(
        reverse("teach:statistics", args=[course.slug, quizzes[0].slug])
    ).content.decode()
    assert 'data-testid="not-enough-data"' not in html
    assert html.count('data-testid="item"') == 20
