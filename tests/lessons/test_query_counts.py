"""Page query counts do not grow with the data: a course of 3 lessons and one of 300
cost the same number of queries, and so do 1 and 20 enrolments.

Each page is measured with a warm outline cache (the page was requested once
before) and a cold one (the course's content changed since), because the outline is
cached per course content version.
"""

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.services import course_touch, lesson_complete, lesson_start
from tests.factories import EnrollmentFactory, UserFactory, make_course

pytestmark = pytest.mark.django_db

# Upper bounds, with a little room for what apps add through lessons.hooks. The
# session comes from the cache; then the user, then the page's own reads (the
# outline costs two more when it is not cached).
MAX_QUERIES = {
    "catalogue": 3,
    "course": 9,
    "lesson": 10,
    "my-learning": 5,
}

SMALL = {"modules": 1, "lessons_per_module": 3}
LARGE = {"modules": 10, "lessons_per_module": 30}


def count_queries(client, url, *, method="get") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured)


def _course_pair(student):
    """A 3-lesson and a 300-lesson course, the student enrolled and part-way in."""
    small = make_course(slug="small", **SMALL)
    large = make_course(slug="large", **LARGE)
    assert large.lessons.count() == 300
    for course in (small, large):
        enrollment = EnrollmentFactory(user=student, course=course)
        first, second = course.lessons.order_by("module__position", "position")[:2]
        lesson_complete(user=student, lesson=first)
        lesson_start(user=student, lesson=second, enrollment=enrollment)
    return small, large


@pytest.fixture
def pair(student):
    return _course_pair(student)


def _second_lesson(course):
    return course.lessons.order_by("module__position", "position")[1]


# --------------------------------------------------------------------------
# Lesson page


@pytest.mark.parametrize("cache", ["warm", "cold"])
def test_lesson_page_queries_do_not_grow_with_the_course(
    student_client,
    pair,
    cache,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    small, large = pair
    counts = {}
    for course in (small, large):
        url = _second_lesson(course).get_absolute_url()
        student_client.get(url)
        if cache == "cold":
            course_touch(course=course)
        counts[course.slug] = count_queries(student_client, url)

    assert counts["small"] == counts["large"]
    url = _second_lesson(large).get_absolute_url()
    if cache == "cold":
        course_touch(course=large)
    with django_assert_num_queries(counts["small"]):
        student_client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES["lesson"]):
        student_client.get(url)


def test_first_visit_of_a_lesson_queries_do_not_grow_with_the_course(
    student_client, pair
):
    small, large = pair
    counts = {}
    for course in (small, large):
        third = course.lessons.order_by("module__position", "position")[2]
        # Both visits start from an empty cache (the user row is cached too).
        django_cache.clear()
        counts[course.slug] = count_queries(student_client, third.get_absolute_url())

    assert counts["small"] == counts["large"]


def test_staff_lesson_page_queries_do_not_grow_with_the_course(staff_client, pair):
    small, large = pair
    counts = {}
    for course in (small, large):
        url = _second_lesson(course).get_absolute_url()
        counts[course.slug] = count_queries(staff_client, url)

    assert counts["small"] == counts["large"] <= MAX_QUERIES["lesson"]


# --------------------------------------------------------------------------
# Course page (syllabus)


@pytest.mark.parametrize("cache", ["warm", "cold"])
def test_syllabus_queries_do_not_grow_with_the_course(
    student_client,
    pair,
    cache,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    small, large = pair
    counts = {}
    for course in (small, large):
        student_client.get(course.get_absolute_url())
        if cache == "cold":
            course_touch(course=course)
        counts[course.slug] = count_queries(student_client, course.get_absolute_url())

    assert counts["small"] == counts["large"]
    if cache == "cold":
        course_touch(course=large)
    with django_assert_num_queries(counts["small"]):
        student_client.get(large.get_absolute_url())
    with django_assert_max_num_queries(MAX_QUERIES["course"]):
        student_client.get(large.get_absolute_url())


def test_syllabus_queries_for_visitors_do_not_grow_with_the_course(client, pair):
    small, large = pair

    counts = [count_queries(client, course.get_absolute_url()) for course in pair]

    assert counts[0] == counts[1] <= MAX_QUERIES["course"]


def test_syllabus_queries_for_staff_do_not_grow_with_the_course(staff_client, pair):
    counts = [count_queries(staff_client, course.get_absolute_url()) for course in pair]

    assert counts[0] == counts[1] <= MAX_QUERIES["course"]


# --------------------------------------------------------------------------
# Catalogue


def test_catalogue_queries_do_not_grow_with_lessons(
    client, db, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("lessons:catalogue")
    make_course(slug="small", **SMALL)
    small_count = count_queries(client, url)
    make_course(slug="large", **LARGE)

    with django_assert_num_queries(small_count):
        client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES["catalogue"]):
        client.get(url)


def test_catalogue_queries_do_not_grow_with_courses(
    student_client, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("lessons:catalogue")
    make_course(slug="only", **SMALL)
    one = count_queries(student_client, url)
    for number in range(19):
        make_course(slug=f"course-{number}", **SMALL)

    with django_assert_num_queries(one):
        response = student_client.get(url)
    assert len(response.context["courses"]) == 20
    with django_assert_max_num_queries(MAX_QUERIES["catalogue"]):
        student_client.get(url)


def test_catalogue_queries_for_staff_do_not_grow(staff_client, db):
    url = reverse("lessons:catalogue")
    make_course(slug="only", **SMALL)
    one = count_queries(staff_client, url)
    for number in range(19):
        make_course(slug=f"course-{number}", is_published=number % 2 == 0, **SMALL)

    assert count_queries(staff_client, url) == one <= MAX_QUERIES["catalogue"]


# --------------------------------------------------------------------------
# My learning


def test_my_learning_queries_do_not_grow_with_lessons(
    student, student_client, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("lessons:my-learning")
    small = make_course(slug="small", **SMALL)
    EnrollmentFactory(user=student, course=small)
    lesson_complete(user=student, lesson=small.lessons.first())
    small_count = count_queries(student_client, url)
    small.enrollments.all().delete()
    large = make_course(slug="large", **LARGE)
    EnrollmentFactory(user=student, course=large)
    lesson_complete(user=student, lesson=large.lessons.first())

    with django_assert_num_queries(small_count):
        response = student_client.get(url)
    assert [row.course for row in response.context["rows"]] == [large]
    with django_assert_max_num_queries(MAX_QUERIES["my-learning"]):
        student_client.get(url)


def test_my_learning_queries_do_not_grow_with_enrolments(
    student, student_client, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse("lessons:my-learning")
    courses = [make_course(slug=f"course-{n}", **SMALL) for n in range(20)]
    EnrollmentFactory(user=student, course=courses[0])
    lesson_complete(user=student, lesson=courses[0].lessons.first())
    one = count_queries(student_client, url)
    for course in courses[1:]:
        EnrollmentFactory(user=student, course=course)
        lesson_complete(user=student, lesson=course.lessons.first())

    with django_assert_num_queries(one):
        response = student_client.get(url)
    assert len(response.context["rows"]) == 20
    with django_assert_max_num_queries(MAX_QUERIES["my-learning"]):
        student_client.get(url)


def test_my_learning_queries_do_not_depend_on_other_students(student, student_client):
    url = reverse("lessons:my-learning")
    course = make_course(slug="shared", **SMALL)
    EnrollmentFactory(user=student, course=course)
    alone = count_queries(student_client, url)
    for _ in range(10):
        other = UserFactory()
        EnrollmentFactory(user=other, course=course)
        lesson_complete(user=other, lesson=course.lessons.first())

    assert count_queries(student_client, url) == alone


# --------------------------------------------------------------------------
# Writes


def test_mark_complete_queries_do_not_grow_with_the_course(student_client, pair):
    counts = {}
    for course in pair:
        lesson = course.lessons.order_by("module__position", "position")[2]
        url = reverse(
            "lessons:lesson-complete",
            kwargs={"course_slug": course.slug, "lesson_slug": lesson.slug},
        )
        counts[course.slug] = count_queries(student_client, url, method="post")

    assert counts["small"] == counts["large"]


def test_enrol_queries_do_not_grow_with_the_course(student, student_client):
    small = make_course(slug="small", **SMALL)
    large = make_course(slug="large", **LARGE)

    counts = [
        count_queries(
            student_client,
            reverse("lessons:course-enrol", kwargs={"course_slug": course.slug}),
            method="post",
        )
        for course in (small, large)
    ]

    assert counts[0] == counts[1]
