"""The catalogue: the courses a visitor may take."""

import pytest
from django.urls import reverse

from tests.factories import CourseFactory, LessonFactory, ModuleFactory

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
    assert list(response.context["courses"]) == [published]
    assert published.title in response.content.decode()
    assert hidden.title not in response.content.decode()


def test_catalogue_lists_only_published_courses_to_students(student_client, courses):
    response = student_client.get(URL)

    assert [course.slug for course in response.context["courses"]] == ["published"]
    assert "Draft Course" not in response.content.decode()


def test_catalogue_shows_staff_unpublished_courses_with_a_badge(staff_client, courses):
    response = staff_client.get(URL)

    html = response.content.decode()
    assert [course.slug for course in response.context["courses"]] == [
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
