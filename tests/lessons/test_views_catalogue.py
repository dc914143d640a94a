"""The catalogue: the courses a visitor may take."""

import pytest
from django.urls import reverse

from lessons.services import lesson_complete
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    make_course,
)

pytestmark = pytest.mark.django_db

URL = reverse("lessons:catalogue")


@pytest.fixture
def courses():
    published = CourseFactory(title="Published Course", slug="published")
    module = ModuleFactory(course=published)
    LessonFactory.create_batch(3, module=module, course=published)
    LessonFactory(module=module, course=published, is_published=False)
    hidden = CourseFactory(title="Draft Course", slug="draft", is_published=False)
    return published, hidden


def test_catalogue_lists_only_published_courses_to_visitors(client, courses):
    published, hidden = courses

    response = client.get(URL)

    assert response.status_code == 200
    assert [entry.course for entry in response.context["courses"]] == [published]
    assert published.title in response.content.decode()
    assert hidden.title not in response.content.decode()


def test_catalogue_lists_only_published_courses_to_students(student_client, courses):
    response = student_client.get(URL)

    assert [entry.course.slug for entry in response.context["courses"]] == ["published"]
    assert "Draft Course" not in response.content.decode()


def test_catalogue_shows_staff_unpublished_courses_with_a_badge(staff_client, courses):
    response = staff_client.get(URL)

    html = response.content.decode()
    assert [entry.course.slug for entry in response.context["courses"]] == [
        "draft",
        "published",
    ]
    draft_card = html[html.index("Draft Course") :]
    draft_card = draft_card[: draft_card.index("</article>")]
    assert "Unpublished" in draft_card
    published_card = html[html.index("Published Course") :]
    published_card = published_card[: published_card.index("</article>")]
    assert "Unpublished" not in published_card


def test_catalogue_counts_only_published_lessons(client, courses):
    response = client.get(URL)

    assert response.context["courses"][0].lesson_count == 3
    assert "3 lessons" in response.content.decode()


def test_catalogue_links_to_each_course(client, courses):
    published, _hidden = courses

    response = client.get(URL)

    assert f'href="{published.get_absolute_url()}"' in response.content.decode()


def test_empty_catalogue_says_so(client, db):
    response = client.get(URL)

    assert "No courses are published yet." in response.content.decode()


def test_catalogue_rejects_post(client, db):
    assert client.post(URL).status_code == 405


def _card(html: str, title: str) -> str:
    card = html[html.index(title) :]
    return card[: card.index("</article>")]


def test_catalogue_summarises_a_course_from_its_document(client, db):
    """Without a description, the summary is the opening of the document (the
    text before its first section, imported as the first lesson)."""
    course = CourseFactory(title="Rivers", slug="rivers")
    module = ModuleFactory(course=course, position=0)
    LessonFactory(
        course=course,
        module=module,
        position=0,
        body_markdown="Rivers shape the land. They carry *silt* to the sea.",
    )
    LessonFactory(course=course, module=module, position=1, body_markdown="Later text.")

    html = client.get(URL).content.decode()

    assert "Rivers shape the land. They carry silt to the sea." in _card(html, "Rivers")


def test_catalogue_prefers_the_course_description(client, db):
    course = make_course(title="Rivers", slug="rivers")
    course.description = "A course about water."
    course.save()

    html = client.get(URL).content.decode()

    assert "A course about water." in _card(html, "Rivers")
    assert "Some text about the lesson." not in _card(html, "Rivers")


@pytest.mark.parametrize(
    ("words", "estimate"),
    [(3 * 100, "about 2 min of reading"), (3 * 1700, "about 26 min of reading"),
     (3 * 4200, "about 1 h 3 min of reading"), (3 * 4000, "about 1 h of reading")],
)  # fmt: skip
def test_catalogue_estimates_the_time_from_the_word_count(client, db, words, estimate):
    """At 200 words a minute over the published lessons (3 lessons here)."""
    course = make_course(title="Rivers", slug="rivers")
    course.lessons.update(word_count=words // 3)
    LessonFactory(course=course, module=course.modules.first(), is_published=False)

    html = client.get(URL).content.decode()

    assert estimate in _card(html, "Rivers")
    assert "3 lessons" in _card(html, "Rivers")


def test_catalogue_shows_where_an_enrolled_student_stands(student_client, student, db):
    taken = make_course(title="Taken", slug="taken", lessons_per_module=5)
    make_course(title="Untaken", slug="untaken")
    EnrollmentFactory(user=student, course=taken)
    for lesson in taken.lessons.order_by("position")[:2]:
        lesson_complete(user=student, lesson=lesson)

    html = student_client.get(URL).content.decode()

    taken_card = _card(html, "Taken")
    assert "Enrolled" in taken_card
    assert "40% · 2 of 5 lessons" in taken_card
    assert 'aria-valuenow="40"' in taken_card
    assert "Enrolled" not in _card(html, "Untaken")


def test_catalogue_says_when_a_course_is_completed(student_client, student, db):
    course = make_course(title="Done", slug="done", lessons_per_module=2)
    EnrollmentFactory(user=student, course=course)
    for lesson in course.lessons.all():
        lesson_complete(user=student, lesson=lesson)

    html = student_client.get(URL).content.decode()

    assert "Completed" in _card(html, "Done")
    assert "100% · 2 of 2 lessons" in _card(html, "Done")


def test_catalogue_shows_no_enrolment_state_to_visitors(client, db):
    make_course(title="Rivers", slug="rivers")

    html = client.get(URL).content.decode()

    assert "Enrolled" not in _card(html, "Rivers")
