"""services.course_import: a parsed document becomes a course, and re-imports of an
edited document update it in place."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons import selectors
from lessons.importing import parse_course_json, parse_markdown
from lessons.models import Course, Lesson, LessonProgress, Module
from lessons.services import course_import, lesson_complete
from tests.factories import EnrollmentFactory, UserFactory
from tests.helpers import row_counts, write_statements

pytestmark = pytest.mark.django_db

DOCUMENT = """\
# Naval History

What this course covers.

## Early Navies

Ships of the first fleets.

### Sail and Oar

Galleys and sailing ships.

## Modern Navies

Steel, steam and *radar*.
"""
LESSON_SLUGS = ["introduction", "early-navies", "sail-and-oar", "modern-navies"]


def _import(text=DOCUMENT, **kwargs):
    kwargs.setdefault("slug", "naval")
    return course_import(parsed=parse_markdown(text), **kwargs)


def _lessons(course):
    return list(
        Lesson.objects.filter(course=course).order_by("module__position", "position")
    )


def _version(slug="naval"):
    return Course.objects.get(slug=slug).content_version


def test_import_creates_the_course_its_modules_and_lessons():
    report = _import(source_name="naval.md")

    course = Course.objects.get(slug="naval")
    assert report.created
    assert report.added == LESSON_SLUGS
    assert course.title == "Naval History"
    assert course.source_name == "naval.md"
    assert course.source_format == "markdown"
    assert not course.is_published
    assert list(course.modules.order_by("position").values_list("slug", flat=True)) == [
        "introduction",
        "early-navies",
        "modern-navies",
    ]
    assert [lesson.slug for lesson in _lessons(course)] == LESSON_SLUGS
    sub_topic = Lesson.objects.get(course=course, slug="sail-and-oar")
    assert sub_topic.module.slug == "early-navies"
    assert sub_topic.source_heading == "Sail and Oar"
    assert sub_topic.body_markdown == "Galleys and sailing ships."


def test_import_renders_each_lesson_and_counts_its_words():
    _import()

    lesson = Lesson.objects.get(slug="modern-navies")
    assert lesson.body_html == "<p>Steel, steam and <em>radar</em>.</p>"
    assert lesson.word_count == 4
    assert lesson.source_checksum


def test_import_sanitises_lesson_bodies():
    _import(DOCUMENT + "\n<script>alert(1)</script><img src=x onerror=alert(1)>\n")

    html = Lesson.objects.get(slug="modern-navies").body_html
    assert "<script" not in html
    assert "onerror" not in html


def test_import_with_publish_publishes_the_course():
    _import(publish=True)

    assert Course.objects.get(slug="naval").is_published


def test_import_without_slug_derives_it_from_the_title():
    report = course_import(parsed=parse_markdown(DOCUMENT))

    assert report.course_slug == "naval-history"
    assert Course.objects.filter(slug="naval-history").exists()


def test_import_with_a_title_overrides_the_document_title():
    _import(title="Ships Through Time")

    assert Course.objects.get(slug="naval").title == "Ships Through Time"


def test_reimporting_an_unchanged_document_writes_nothing():
    _import()
    before = _version()
    updated_at = dict(Lesson.objects.values_list("pk", "updated_at"))

    with CaptureQueriesContext(connection) as captured:
        report = _import()

    assert write_statements(captured) == []
    assert not report.has_changes
    assert report.unchanged == LESSON_SLUGS
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert _version() == before
    assert dict(Lesson.objects.values_list("pk", "updated_at")) == updated_at


def test_reimporting_an_edited_section_updates_that_lesson_in_place():
    _import(publish=True)
    course = Course.objects.get(slug="naval")
    before = {lesson.slug: lesson for lesson in _lessons(course)}
    version = course.content_version
    student = UserFactory()
    EnrollmentFactory(user=student, course=course)
    lesson_complete(user=student, lesson=before["early-navies"])

    report = _import(
        DOCUMENT.replace("Ships of the first fleets.", "Ships of the *first* fleets.")
    )

    assert report.changed == ["early-navies"]
    assert report.added == report.removed == []
    assert report.unchanged == ["introduction", "sail-and-oar", "modern-navies"]
    edited = Lesson.objects.get(course=course, slug="early-navies")
    assert edited.pk == before["early-navies"].pk
    assert edited.body_markdown == "Ships of the *first* fleets."
    assert edited.body_html == "<p>Ships of the <em>first</em> fleets.</p>"
    assert edited.source_checksum != before["early-navies"].source_checksum
    progress = LessonProgress.objects.get(user=student, lesson=edited)
    assert progress.status == LessonProgress.Status.COMPLETED
    assert _version() > version
    # The other lessons were not touched.
    for slug in report.unchanged:
        assert (
            Lesson.objects.get(pk=before[slug].pk).updated_at == before[slug].updated_at
        )


def test_reimport_reports_added_changed_and_removed_sections():
    _import()
    edited = (
        DOCUMENT.replace("Galleys and sailing ships.", "Galleys, then sails.").replace(
            "## Modern Navies\n\nSteel, steam and *radar*.\n", ""
        )
        + "\n## Future Navies\n\nDrones.\n"
    )

    report = _import(edited)

    assert report.added == ["future-navies"]
    assert report.changed == ["sail-and-oar"]
    assert report.removed == ["modern-navies"]
    assert report.has_changes


def test_removed_sections_are_unpublished_not_deleted():
    _import(publish=True)
    course = Course.objects.get(slug="naval")
    removed = Lesson.objects.get(course=course, slug="modern-navies")
    student = UserFactory()
    lesson_complete(user=student, lesson=removed)
    version = course.content_version

    _import(DOCUMENT.replace("## Modern Navies\n\nSteel, steam and *radar*.\n", ""))

    removed.refresh_from_db()
    assert not removed.is_published
    assert LessonProgress.objects.filter(user=student, lesson=removed).exists()
    assert _version() > version
    outline = selectors.course_outline(course=Course.objects.get(pk=course.pk))
    assert "modern-navies" not in [
        lesson.slug for lesson in selectors.outline_lessons(outline)
    ]


def test_reimporting_after_a_removal_does_not_report_it_removed_again():
    _import()
    shorter = DOCUMENT.replace("## Modern Navies\n\nSteel, steam and *radar*.\n", "")
    _import(shorter)
    version = _version()

    report = _import(shorter)

    assert report.removed == []
    assert not report.has_changes
    assert _version() == version


def test_a_section_that_comes_back_is_published_again_in_place():
    _import()
    lesson = Lesson.objects.get(slug="modern-navies")
    _import(DOCUMENT.replace("## Modern Navies\n\nSteel, steam and *radar*.\n", ""))
    version = _version()

    report = _import()

    restored = Lesson.objects.get(slug="modern-navies")
    assert restored.pk == lesson.pk
    assert restored.is_published
    assert report.has_changes
    assert _version() > version


def test_reordering_sections_moves_lessons_in_place_and_refreshes_the_outline():
    _import()
    course = Course.objects.get(slug="naval")
    pks = {lesson.slug: lesson.pk for lesson in _lessons(course)}
    selectors.course_outline(course=course)  # cache the old order
    reordered = """\
# Naval History

What this course covers.

## Modern Navies

Steel, steam and *radar*.

## Early Navies

Ships of the first fleets.

### Sail and Oar

Galleys and sailing ships.
"""

    _import(reordered)

    course.refresh_from_db()
    assert [lesson.pk for lesson in _lessons(course)] == [
        pks["introduction"],
        pks["modern-navies"],
        pks["early-navies"],
        pks["sail-and-oar"],
    ]
    outline = selectors.course_outline(course=course)
    assert [lesson.slug for lesson in selectors.outline_lessons(outline)] == [
        "introduction",
        "modern-navies",
        "early-navies",
        "sail-and-oar",
    ]


def _course_json(lesson_title="Sail and Oar", module_title="Early Navies"):
    return json.dumps(
        {
            "title": "Naval History",
            "slug": "naval",
            "modules": [
                {
                    "title": module_title,
                    "slug": "early-navies",
                    "lessons": [
                        {
                            "title": lesson_title,
                            "slug": "sail-and-oar",
                            "body_markdown": "Galleys and sailing ships.",
                            "source_heading": "Sail and Oar",
                        }
                    ],
                }
            ],
        }
    )


def test_renaming_a_lesson_without_changing_its_body_refreshes_the_outline():
    course_import(parsed=parse_course_json(_course_json()), slug="naval")
    course = Course.objects.get(slug="naval")
    selectors.course_outline(course=course)  # cache the old title

    course_import(
        parsed=parse_course_json(_course_json(lesson_title="Galleys")), slug="naval"
    )

    course.refresh_from_db()
    assert Lesson.objects.get(course=course, slug="sail-and-oar").title == "Galleys"
    outline = selectors.course_outline(course=course)
    assert selectors.outline_lessons(outline)[0].title == "Galleys"


def test_renaming_a_module_refreshes_the_outline():
    course_import(parsed=parse_course_json(_course_json()), slug="naval")
    course = Course.objects.get(slug="naval")
    selectors.course_outline(course=course)  # cache the old title

    course_import(
        parsed=parse_course_json(_course_json(module_title="Old Navies")), slug="naval"
    )

    course.refresh_from_db()
    assert Module.objects.get(course=course).title == "Old Navies"
    assert selectors.course_outline(course=course)[0].title == "Old Navies"


def test_dry_run_of_a_new_course_writes_nothing():
    before = row_counts()

    report = _import(dry_run=True, publish=True)

    assert report.dry_run
    assert report.created
    assert report.added == LESSON_SLUGS
    assert row_counts() == before
    assert not Course.objects.filter(slug="naval").exists()


def test_dry_run_of_an_edited_document_reports_changes_and_writes_nothing():
    _import()
    before = row_counts()
    version = _version()
    bodies = dict(Lesson.objects.values_list("slug", "body_markdown"))
    edited = (
        DOCUMENT.replace("Galleys and sailing ships.", "Galleys, then sails.").replace(
            "## Modern Navies\n\nSteel, steam and *radar*.\n", ""
        )
        + "\n## Future Navies\n\nDrones.\n"
    )

    report = _import(edited, dry_run=True)

    assert report.added == ["future-navies"]
    assert report.changed == ["sail-and-oar"]
    assert report.removed == ["modern-navies"]
    assert row_counts() == before
    assert _version() == version
    assert dict(Lesson.objects.values_list("slug", "body_markdown")) == bodies
    assert Lesson.objects.get(slug="modern-navies").is_published


def test_import_into_an_existing_course_keeps_its_enrolments():
    _import(publish=True)
    course = Course.objects.get(slug="naval")
    enrollment = EnrollmentFactory(course=course)

    _import(DOCUMENT + "\n## Future Navies\n\nDrones.\n")

    assert course.enrollments.get() == enrollment
