"""The live Markdown preview of a lesson: the admin endpoint renders with the
students' sanitising renderer, for staff who may write lessons, over POST with a
CSRF token; the lesson form carries the preview pane and its script."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from lessons.rendering import render_markdown
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:lessons_lesson_preview")
UNSAFE = (
    "Some **bold** text.\n\n<script>alert('x')</script>\n\n"
    '<a href="javascript:alert(1)" onclick="steal()">link</a>'
)


@pytest.fixture
def csrf_client(instructor) -> Client:
    """An instructor's client that enforces CSRF checks, like a browser."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    return client


def _token(client) -> str:
    page = client.get(reverse("admin:lessons_lesson_add"))
    assert page.status_code == 200
    return str(page.context["csrf_token"])


def test_the_preview_is_the_students_sanitised_rendering(csrf_client):
    response = csrf_client.post(
        PREVIEW, {"text": UNSAFE}, HTTP_X_CSRFTOKEN=_token(csrf_client)
    )

    assert response.status_code == 200
    html = response.json()["html"]
    assert html == render_markdown(UNSAFE)
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert response.json()["words"] > 0


def test_the_csrf_token_may_also_come_with_the_form_data(csrf_client):
    token = _token(csrf_client)

    response = csrf_client.post(PREVIEW, {"text": "*hi*", "csrfmiddlewaretoken": token})

    assert response.json()["html"] == "<p><em>hi</em></p>"


def test_a_preview_without_a_csrf_token_is_refused(csrf_client):
    _token(csrf_client)  # the CSRF cookie is set, but the token is not sent

    response = csrf_client.post(PREVIEW, {"text": "*hi*"})

    assert response.status_code == 403


def test_the_preview_is_post_only(instructor_client):
    assert instructor_client.get(PREVIEW, {"text": "*hi*"}).status_code == 405


def test_anonymous_users_are_sent_to_the_admin_login(client, db):
    response = client.post(PREVIEW, {"text": "*hi*"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_students_are_sent_to_the_admin_login(client, db):
    client.force_login(UserFactory(username="student"))

    response = client.post(PREVIEW, {"text": "*hi*"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_who_may_not_write_lessons_are_refused(client, db):
    staff = StaffFactory(username="viewer")
    staff.user_permissions.add(Permission.objects.get(codename="view_lesson"))
    client.force_login(staff)

    assert client.post(PREVIEW, {"text": "*hi*"}).status_code == 403


def test_an_overlong_text_is_refused(instructor_client):
    response = instructor_client.post(PREVIEW, {"text": "x" * 200_001})

    assert response.status_code == 400


def test_the_lesson_form_has_the_preview_pane_and_script(instructor_client, course_a):
    lesson = course_a.lessons.first()

    page = instructor_client.get(
        reverse("admin:lessons_lesson_change", args=[lesson.pk])
    ).content.decode()

    assert 'id="markdown-preview"' in page
    assert f'data-preview-url="{PREVIEW}"' in page
    assert 'data-source="id_body_markdown"' in page
    assert "js/markdown-preview.js" in page
    assert lesson.body_html in page  # the stored rendering, before any typing


NESTED = "".join("    " * level + "- a\n" for level in range(300))


@pytest.mark.parametrize(
    "text",
    [NESTED, "[a](" * 8000, "x" * 250_000],
    ids=["nested 300 levels", "unclosed links", "too long"],
)
def test_text_the_guard_refuses_is_answered_with_its_reason_not_rendered(
    csrf_client, text
):
    response = csrf_client.post(
        PREVIEW, {"text": text}, HTTP_X_CSRFTOKEN=_token(csrf_client)
    )

    assert response.status_code == 400
    assert "html" not in response.json()
    assert response.json()["error"]
