"""Instructors import a course from a document in the staff area: upload, preview,
adjust, create; or update a course they teach from a new version (a diff first).
Nothing is written before "Create" or "Apply"; bad input gets a message."""

import json
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.importing import parse_document
from lessons.models import Course, Lesson, LessonProgress
from lessons.services import course_add_instructor, course_import
from quizzes.models import Question
from teach.document_views import SESSION_KEY
from tests.factories import (
    EnrollmentFactory,
    LessonProgressFactory,
    StaffFactory,
    UserFactory,
    make_question,
)

pytestmark = pytest.mark.django_db

DOC = """# Rivers of Peru

## Coast

The coast is dry and long, and its rivers are short.

### Rímac

The Rímac flows through Lima.

### Santa

The Santa drains the Cordillera Blanca.

## Amazon

The Amazon basin is wet. ![map](images/amazon.png)
"""

NEW_VERSION = """# Rivers of Peru

## Coast

The coast is dry and long, and its rivers are short.

### Rímac

The Rímac flows through Lima, the capital.

## Amazon

The Amazon basin is wet. ![map](images/amazon.png)

## Lakes

Titicaca is the highest navigable lake.
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def held_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def upload(client, content: bytes, name="rivers.md", url=None, **fields):
    return client.post(
        url or reverse("teach:course-import"),
        {"document": SimpleUploadedFile(name, content), "format": "auto", **fields},
    )


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").rsplit("/", 1)[1]


def section_post(sections, *, action="preview", title="Rivers of Peru", **extra):
    data = {
        "action": action,
        "title": title,
        "section-TOTAL_FORMS": str(len(sections)),
        "section-INITIAL_FORMS": str(len(sections)),
        "section-MIN_NUM_FORMS": "0",
        "section-MAX_NUM_FORMS": "1000",
    }
    for index, (level, heading, merge) in enumerate(sections):
        data[f"section-{index}-level"] = str(level)
        data[f"section-{index}-title"] = heading
        if merge:
            data[f"section-{index}-merge"] = "on"
    data.update(extra)
    return data


AS_UPLOADED = [
    (1, "Coast", False),
    (2, "Rímac", False),
    (2, "Santa", False),
    (1, "Amazon", False),
]


# --- New course --------------------------------------------------------------------


def test_preview_shows_title_modules_lessons_words_first_words_and_warnings(
    teacher_client,
):
    token = token_of(upload(teacher_client, DOC.encode()))
    page = teacher_client.get(reverse("teach:course-import-preview", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preview: Rivers of Peru" in html
    assert "Module 1: Coast" in html and "Module 2: Amazon" in html
    assert "Rímac" in html and "Santa" in html
    assert "The coast is dry and long, and its rivers are short." in html
    assert ">11<" in html  # words of "Coast"
    assert "Image not found: &quot;images/amazon.png&quot;" in html
    assert not Course.objects.filter(title="Rivers of Peru").exists()


def test_adjust_then_create_makes_an_unpublished_course_taught_by_the_uploader(
    teacher_client, instructor, media
):
    token = token_of(upload(teacher_client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    adjusted = [
        (1, "Coast", False),
        (1, "River Rímac", False),  # moved up and renamed
        (2, "Santa", True),  # merged into the section before
        (1, "Amazon", False),
    ]
    page = teacher_client.post(url, section_post(adjusted, title="Peru's rivers"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preview: Peru&#x27;s rivers" in html
    assert "Module 2: River Rímac" in html
    assert not Course.objects.filter(title="Peru's rivers").exists()

    done = teacher_client.post(
        url, section_post(adjusted, action="create", title="Peru's rivers")
    )
    course = Course.objects.get(title="Peru's rivers")
    assert done.status_code == 302
    assert done.url == reverse("teach:gradebook", args=[course.slug])
    assert not course.is_published
    assert list(course.instructors.all()) == [instructor]
    outline = [
        (module.title, [lesson.title for lesson in module.lessons.order_by("position")])
        for module in course.modules.order_by("position")
    ]
    assert outline == [
        ("Coast", ["Coast"]),
        ("River Rímac", ["River Rímac"]),
        ("Amazon", ["Amazon"]),
    ]
    rimac = course.lessons.get(title="River Rímac")
    assert rimac.slug == "rimac"
    assert "### Santa" in rimac.body_markdown and "Cordillera" in rimac.body_html
    assert held_files(media) == []
    assert (
        SESSION_KEY not in teacher_client.session
        or not teacher_client.session[SESSION_KEY]
    )
    # The token is spent.
    assert teacher_client.get(url).status_code == 404


def test_pasted_plain_text_warns_that_headings_were_guessed(teacher_client):
    text = "Rivers\n\nThe Coast\n\nThe coast is dry.\n\nThe Amazon\n\nIt is wet.\n"
    response = teacher_client.post(
        reverse("teach:course-import"), {"text": text, "format": "auto"}
    )
    page = teacher_client.get(response.url)
    assert "Headings guessed" in page.content.decode()


def test_cancel_writes_nothing_and_forgets_the_upload(teacher_client, media):
    courses = Course.objects.count()
    token = token_of(upload(teacher_client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    response = teacher_client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    assert Course.objects.count() == courses
    assert held_files(media) == []
    assert teacher_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose a file to upload"),  # Django drops an empty upload
        (b"   \n\n ", "the document is empty"),
        (b"\x00\x01PK\x03\x04binary", "binary file"),
        ("# Título\n\n## Sección\n\nTexto".encode("latin-1"), "not valid UTF-8"),
        (b"One paragraph of text and no heading anywhere.", "no section headings"),
    ],
)
def test_bad_documents_get_a_message_and_write_nothing(
    teacher_client, media, content, message
):
    courses = Course.objects.count()
    response = upload(teacher_client, content, name="doc.txt")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Course.objects.count() == courses
    assert held_files(media) == []


def test_documents_over_the_size_limit_are_refused(teacher_client, settings, media):
    settings.DOCUMENT_MAX_BYTES = 2_000_000
    response = upload(teacher_client, b"# T\n\n## A\n\n" + b"word " * 500_000)
    assert response.status_code == 200
    assert "documents of at most 2 MB can be imported" in response.content.decode()
    assert held_files(media) == []


def test_a_student_may_not_import(student_client):
    assert student_client.get(reverse("teach:course-import")).status_code == 403
    assert upload(student_client, DOC.encode()).status_code == 403
    assert not Course.objects.filter(title="Rivers of Peru").exists()


def test_another_instructor_cannot_use_your_token(teacher_client, other_course):
    token = token_of(upload(teacher_client, DOC.encode()))
    other = Client()
    other.force_login(other_course.instructors.get())
    url = reverse("teach:course-import-preview", args=[token])
    assert other.get(url).status_code == 404
    assert (
        other.post(url, section_post(AS_UPLOADED, action="create")).status_code == 404
    )
    assert not Course.objects.filter(title="Rivers of Peru").exists()


def test_unknown_and_expired_tokens_are_404(teacher_client, settings):
    assert (
        teacher_client.get(
            reverse("teach:course-import-preview", args=["0" * 32])
        ).status_code
        == 404
    )
    token = token_of(upload(teacher_client, DOC.encode()))
    session = teacher_client.session
    session[SESSION_KEY][token]["created"] = time.time() - 3601
    session.save()
    url = reverse("teach:course-import-preview", args=[token])
    assert teacher_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        # One section too many: an index the document does not have.
        section_post([*AS_UPLOADED, (1, "Extra", False)], action="create"),
        # One too few.
        section_post(AS_UPLOADED[:3], action="create"),
        # No management form at all.
        {"action": "create", "title": "Rivers"},
    ],
)
def test_tampered_outlines_are_refused_and_write_nothing(teacher_client, data):
    token = token_of(upload(teacher_client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    assert teacher_client.post(url, data).status_code == 400
    assert not Course.objects.filter(title__contains="Rivers").exists()


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ([(1, "Coast", True), *AS_UPLOADED[1:]], "no section before it"),
        ([(2, "Coast", False), *AS_UPLOADED[1:]], "must be a module"),
        (
            [(1, "Coast", False), (7, "Rímac", False), *AS_UPLOADED[2:]],
            "Select a valid",
        ),
    ],
)
def test_impossible_adjustments_get_a_message_and_write_nothing(
    teacher_client, sections, message
):
    token = token_of(upload(teacher_client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    response = teacher_client.post(url, section_post(sections, action="create"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Course.objects.filter(title__contains="Rivers").exists()


def test_a_new_course_never_takes_over_an_existing_course_with_the_same_title(
    teacher_client, other_course, instructor
):
    other_course.slug = "rivers-of-peru"
    other_course.save()
    lessons_before = set(other_course.lessons.values_list("pk", "title"))
    token = token_of(upload(teacher_client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    teacher_client.post(url, section_post(AS_UPLOADED, action="create"))
    assert set(other_course.lessons.values_list("pk", "title")) == lessons_before
    created = Course.objects.get(slug="rivers-of-peru-2")
    assert list(created.instructors.all()) == [instructor]


def _preview_queries(client, document: str) -> int:
    token = token_of(upload(client, document.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_preview_page_queries_do_not_grow_with_the_document(teacher_client):
    small = _preview_queries(teacher_client, DOC)
    sections = "".join(
        f"## Part {n}\n\nText {n}.\n\n### Sub {n}\n\nMore.\n\n" for n in range(80)
    )
    large = _preview_queries(teacher_client, f"# Big\n\n{sections}")
    assert small == large <= 4


# --- Update from a new version ----------------------------------------------------


@pytest.fixture
def rivers(instructor):
    parsed = parse_document(DOC, filename="rivers.md")
    course_import(parsed=parsed, slug="rivers", publish=True, source_name="rivers.md")
    course = Course.objects.get(slug="rivers")
    course_add_instructor(course=course, user=instructor)
    return course


def update_url(course):
    return reverse("teach:course-update", args=[course.slug])


def test_update_preview_shows_the_diff_and_the_questions_to_flag(
    teacher_client, rivers
):
    rimac = rivers.lessons.get(slug="rimac")
    make_question(
        course=rivers,
        lesson=rimac,
        data={
            "type": "truefalse",
            "title": "Rímac in Lima",
            "text": "In Lima?",
            "correct": True,
        },
    )
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    page = teacher_client.get(
        reverse("teach:course-update-preview", args=[rivers.slug, token])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 lesson added" in html and "Lakes" in html
    assert "1 lesson changed" in html
    assert "1 lesson removed (unpublished)" in html and "Santa" in html
    assert "1 question will be flagged" in html and "Rímac in Lima" in html
    # A preview writes nothing.
    assert rivers.lessons.get(slug="santa").is_published
    assert not Question.objects.get(title="Rímac in Lima").needs_review
    assert not rivers.lessons.filter(slug="lakes").exists()


def test_applying_an_update_keeps_progress_and_lesson_urls(teacher_client, rivers):
    student = UserFactory(username="reader")
    EnrollmentFactory(user=student, course=rivers)
    rimac = rivers.lessons.get(slug="rimac")
    LessonProgressFactory(
        user=student, lesson=rimac, status="completed", completed_at=timezone.now()
    )
    question = make_question(
        course=rivers,
        lesson=rimac,
        data={"type": "truefalse", "text": "?", "correct": True},
    )
    address = rimac.get_absolute_url()
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    url = reverse("teach:course-update-preview", args=[rivers.slug, token])
    response = teacher_client.post(url, {"action": "apply"})
    assert response.status_code == 302
    rimac.refresh_from_db()
    assert rimac.get_absolute_url() == address
    assert "the capital" in rimac.body_markdown
    assert LessonProgress.objects.filter(user=student, lesson=rimac).exists()
    assert not rivers.lessons.get(slug="santa").is_published
    assert rivers.lessons.get(slug="lakes").is_published
    question.refresh_from_db()
    assert question.needs_review
    assert teacher_client.get(url).status_code == 404


def test_cancelling_an_update_writes_nothing(teacher_client, rivers, media):
    before = list(
        Lesson.objects.filter(course=rivers).values_list(
            "slug", "is_published", "source_checksum"
        )
    )
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    url = reverse("teach:course-update-preview", args=[rivers.slug, token])
    assert teacher_client.post(url, {"action": "cancel"}).status_code == 302
    after = list(
        Lesson.objects.filter(course=rivers).values_list(
            "slug", "is_published", "source_checksum"
        )
    )
    assert after == before
    assert held_files(media) == []


def test_another_instructor_cannot_update_your_course(rivers, other_course):
    other = Client()
    other.force_login(other_course.instructors.get())
    assert other.get(update_url(rivers)).status_code == 404
    assert (
        upload(other, NEW_VERSION.encode(), url=update_url(rivers)).status_code == 404
    )
    assert rivers.lessons.get(slug="santa").is_published


def test_a_student_may_not_update(student_client, rivers):
    assert student_client.get(update_url(rivers)).status_code == 403


def test_a_token_works_only_for_the_course_it_was_uploaded_for(
    teacher_client, rivers, course
):
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    assert (
        teacher_client.get(
            reverse("teach:course-update-preview", args=[course.slug, token])
        ).status_code
        == 404
    )
    assert (
        teacher_client.get(
            reverse("teach:course-import-preview", args=[token])
        ).status_code
        == 404
    )


def test_the_staff_home_and_course_page_link_to_the_import_pages(
    teacher_client, rivers
):
    home = teacher_client.get(reverse("teach:dashboard")).content.decode()
    assert reverse("teach:course-import") in home
    assert update_url(rivers) in home
    book = teacher_client.get(
        reverse("teach:gradebook", args=[rivers.slug])
    ).content.decode()
    assert update_url(rivers) in book


def test_a_superuser_who_is_not_an_instructor_is_still_listed_as_one(client, media):
    admin = StaffFactory(username="boss", is_superuser=True)
    client.force_login(admin)
    token = token_of(upload(client, DOC.encode()))
    client.post(
        reverse("teach:course-import-preview", args=[token]),
        section_post(AS_UPLOADED, action="create"),
    )
    assert list(Course.objects.get(title="Rivers of Peru").instructors.all()) == [admin]


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    teacher_client, settings, media
):
    settings.DOCUMENT_MAX_BYTES = 1_000_000
    body = b"# T\n\n## A\n\n" + b"word " * 500_000  # 2.5 MB
    response = upload(teacher_client, body)
    assert response.status_code == 413
    assert "documents of at most 1 MB can be imported" in response.content.decode()
    assert held_files(media) == []


def test_every_import_post_needs_the_csrf_token(instructor, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    assert upload(client, DOC.encode()).status_code == 403
    assert held_files(media) == []
    # With the token the same upload goes through, and the preview checks it too.
    page = client.get(reverse("teach:course-import"))
    token = page.context["csrf_token"]
    held = token_of(upload(client, DOC.encode(), csrfmiddlewaretoken=token))
    url = reverse("teach:course-import-preview", args=[held])
    assert (
        client.post(url, section_post(AS_UPLOADED, action="create")).status_code == 403
    )
    assert not Course.objects.filter(title="Rivers of Peru").exists()


def test_uploads_left_behind_are_deleted_once_expired(teacher_client, media):
    left = token_of(upload(teacher_client, DOC.encode()))
    fresh = token_of(upload(teacher_client, DOC.encode()))
    old = time.time() - 3601
    os.utime(media / "imports" / left / "document", (old, old))
    # Another user's upload (another session) purges it too.
    other = Client()
    other.force_login(StaffFactory(username="late"))
    token_of(upload(other, DOC.encode()))
    remaining = {path.parent.name for path in held_files(media)}
    assert left not in remaining and fresh in remaining


def test_a_course_export_with_a_bad_quiz_is_refused_at_create_and_writes_nothing(
    teacher_client,
):
    export = {
        "title": "Exported rivers",
        "slug": "exported",
        "modules": [
            {
                "title": "Coast",
                "slug": "coast",
                "lessons": [
                    {"title": "Coast", "slug": "coast", "body_markdown": "Dry."}
                ],
            }
        ],
        "quizzes": [{"slug": "check", "title": "Check", "questions": [{"type": "?"}]}],
    }
    token = token_of(upload(teacher_client, json.dumps(export).encode(), "c.json"))
    url = reverse("teach:course-import-preview", args=[token])
    response = teacher_client.post(
        url,
        section_post([(1, "Coast", False)], action="create", title="Exported rivers"),
    )
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert not Course.objects.filter(title="Exported rivers").exists()


# --- Adjustments kept across versions -------------------------------------------


def _created_with_adjustments(client) -> Course:
    token = token_of(upload(client, DOC.encode()))
    url = reverse("teach:course-import-preview", args=[token])
    adjusted = [
        (1, "Coast", False),
        (1, "River Rímac", False),  # moved up and renamed
        (2, "Santa", True),  # merged into the section before
        (1, "Amazon", False),
    ]
    client.post(url, section_post(adjusted, action="create", title="Peru's rivers"))
    return Course.objects.get(title="Peru's rivers")


def _outline(course):
    return [
        (module.title, [lesson.title for lesson in module.lessons.order_by("position")])
        for module in course.modules.order_by("position")
        if module.lessons.filter(is_published=True).exists()
    ]


def test_adjustments_made_at_creation_are_kept_on_the_course(teacher_client):
    course = _created_with_adjustments(teacher_client)
    assert course.import_adjustments == {
        "title": "Peru's rivers",
        "sections": [
            {"heading": "Rímac", "level": 1, "title": "River Rímac"},
            {"heading": "Santa", "merge": True},
        ],
    }


def test_an_update_shows_and_reapplies_the_kept_adjustments(teacher_client):
    course = _created_with_adjustments(teacher_client)
    newer = DOC.replace("flows through Lima.", "flows through Lima, the capital.")
    token = token_of(upload(teacher_client, newer.encode(), url=update_url(course)))
    url = reverse("teach:course-update-preview", args=[course.slug, token])
    page = teacher_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kept adjustments" in html
    assert "“Rímac” renamed “River Rímac”" in html
    assert "“Santa” merged into the section before" in html
    assert "1 lesson changed" in html and "1 lesson removed" not in html

    assert teacher_client.post(url, {"action": "apply"}).status_code == 302
    course.refresh_from_db()
    assert course.title == "Peru's rivers"
    assert _outline(course) == [
        ("Coast", ["Coast"]),
        ("River Rímac", ["River Rímac"]),
        ("Amazon", ["Amazon"]),
    ]
    rimac = course.lessons.get(slug="rimac")
    assert "the capital" in rimac.body_markdown and "### Santa" in rimac.body_markdown
    assert course.import_adjustments["sections"][0]["title"] == "River Rímac"


def test_the_instructor_can_drop_the_kept_adjustments(teacher_client):
    course = _created_with_adjustments(teacher_client)
    token = token_of(upload(teacher_client, DOC.encode(), url=update_url(course)))
    url = reverse("teach:course-update-preview", args=[course.slug, token])
    page = teacher_client.get(url, {"adjustments": "drop"})
    html = page.content.decode()
    assert "are dropped" in html and "renamed “River Rímac”" not in html
    assert 'name="adjustments" value="drop"' in html

    response = teacher_client.post(url, {"action": "apply", "adjustments": "drop"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.import_adjustments == {}
    assert _outline(course) == [
        ("Coast", ["Coast", "Rímac", "Santa"]),
        ("Amazon", ["Amazon"]),
    ]


def test_kept_adjustments_that_no_longer_fit_are_said_and_not_applied(teacher_client):
    course = _created_with_adjustments(teacher_client)
    # "Santa" now comes first: merging it into the section before is impossible.
    newer = "# Rivers of Peru\n\n## Santa\n\nIt drains.\n\n## Amazon\n\nWet.\n"
    token = token_of(upload(teacher_client, newer.encode(), url=update_url(course)))
    url = reverse("teach:course-update-preview", args=[course.slug, token])
    page = teacher_client.get(url)
    assert page.status_code == 200
    assert "no longer fit this version" in page.content.decode()
    assert teacher_client.post(url, {"action": "apply"}).status_code == 302
    course.refresh_from_db()
    assert course.import_adjustments == {}


def test_warnings_start_with_a_capital_letter(teacher_client):
    """The readers' warnings are written in lower case (they follow a file name
    on the command line); in the preview's list each starts a sentence."""
    text = b"---\ntitle: Rivers\n---\n\n## Coast\n\nDry.\n\n## Amazon\n\nWet.\n"
    token = token_of(upload(teacher_client, text, name="rivers.md"))
    page = teacher_client.get(reverse("teach:course-import-preview", args=[token]))
    html = page.content.decode()
    assert "<li>Front matter used as metadata, not shown in lessons</li>" in html
