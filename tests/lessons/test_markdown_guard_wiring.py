"""The Markdown guard at the doors: the lesson admin form refuses text it cannot
render, and text already stored never fails a page."""

import pytest
from django.urls import reverse

from lessons.models import Lesson
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NESTED = "".join("    " * level + "- a\n" for level in range(100))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _change(admin_client, lesson, body):
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    return admin_client.post(
        url,
        {
            "course": lesson.course_id,
            "module": lesson.module_id or "",
            "title": lesson.title,
            "slug": lesson.slug,
            "position": lesson.position,
            "is_published": "on",
            "body_markdown": body,
        },
    )


def test_the_lesson_form_refuses_text_nested_too_deeply(admin_client, course):
    lesson = course.lessons.first()
    before = lesson.body_markdown

    response = _change(admin_client, lesson, NESTED)

    assert response.status_code == 200
    assert "nested 100 levels deep" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.body_markdown == before


def test_the_lesson_form_saves_ordinary_text(admin_client, course):
    lesson = course.lessons.first()

    response = _change(admin_client, lesson, "Some *new* text.")

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body_html == "<p>Some <em>new</em> text.</p>"


def test_a_stored_lesson_nested_too_deeply_still_opens(client, course):
    from tests.factories import EnrollmentFactory  # noqa: PLC0415

    lesson = course.lessons.first()
    Lesson.objects.filter(pk=lesson.pk).update(
        body_markdown="".join("    " * n + "- a\n" for n in range(300))
    )
    from lessons import services  # noqa: PLC0415

    lesson.refresh_from_db()
    services.lesson_render(lesson=lesson)  # what a re-import or a save would do
    lesson.save()
    student = UserFactory()
    EnrollmentFactory(user=student, course=course)
    client.force_login(student)

    response = client.get(lesson.get_absolute_url())

    assert response.status_code == 200
