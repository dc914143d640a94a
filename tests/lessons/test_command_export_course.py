"""manage.py export_course: a course as JSON that import_document reads back."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lessons.models import Course, Lesson
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

LESSON_KEYS = {"title", "slug", "body_markdown", "source_heading"}


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_course", *args, stdout=out)
    return out.getvalue()


def outline(course) -> list[dict]:
    """Module and lesson titles, slugs and bodies of a course, in order."""
    return [
        {
            "title": module.title,
            "slug": module.slug,
            "lessons": list(
                module.lessons.filter(is_published=True)
                .order_by("position")
                .values("title", "slug", "body_markdown", "source_heading")
            ),
        }
        for module in course.modules.order_by("position")
    ]


def test_without_a_slug_it_lists_the_course_slugs_in_order():
    CourseFactory(slug="zoology")
    CourseFactory(slug="algebra", is_published=False)

    assert export().splitlines() == ["algebra", "zoology"]


def test_without_courses_it_lists_nothing():
    assert export() == ""


def test_unknown_slug_raises_a_clear_error():
    CourseFactory(slug="algebra")

    with pytest.raises(CommandError, match="no course with slug 'nope'"):
        export("nope")


def test_export_prints_the_documented_json(seed_course):
    data = json.loads(export(seed_course.slug))

    assert data["title"] == seed_course.title
    assert data["slug"] == seed_course.slug
    assert isinstance(data["modules"], list)
    assert len(data["modules"]) == seed_course.modules.count()
    for module in data["modules"]:
        assert set(module) == {"title", "slug", "lessons"}
        assert module["lessons"]
        for lesson in module["lessons"]:
            assert set(lesson) == LESSON_KEYS
            assert all(isinstance(value, str) for value in lesson.values())


def test_export_matches_the_course_outline(seed_course):
    data = json.loads(export(seed_course.slug))

    assert [
        {"title": m["title"], "slug": m["slug"], "lessons": m["lessons"]}
        for m in data["modules"]
    ] == outline(seed_course)


def test_export_keeps_non_ascii_text_readable(seed_course):
    assert "Peru’s" in export(seed_course.slug)


def test_export_leaves_out_unpublished_lessons_and_empty_modules(seed_course):
    Lesson.objects.filter(course=seed_course, slug__in=["peru", "conclusion"]).update(
        is_published=False
    )

    data = json.loads(export(seed_course.slug))

    slugs = [lesson["slug"] for m in data["modules"] for lesson in m["lessons"]]
    assert "peru" not in slugs
    assert "conclusion" not in slugs
    assert "conclusion" not in [m["slug"] for m in data["modules"]]


def test_exported_course_imports_as_an_identical_course(seed_course, tmp_path):
    exported = tmp_path / "exported.json"
    exported.write_text(export(seed_course.slug), encoding="utf-8")

    call_command("import_document", str(exported), slug="other", stdout=io.StringIO())

    copy = Course.objects.get(slug="other")
    assert copy.pk != seed_course.pk
    assert copy.title == seed_course.title
    assert outline(copy) == outline(seed_course)
    assert list(
        Lesson.objects.filter(course=copy)
        .order_by("module__position", "position")
        .values_list("body_html", flat=True)
    ) == list(
        Lesson.objects.filter(course=seed_course)
        .order_by("module__position", "position")
        .values_list("body_html", flat=True)
    )


def test_importing_the_export_again_is_up_to_date(seed_course, tmp_path):
    exported = tmp_path / "exported.json"
    exported.write_text(export(seed_course.slug), encoding="utf-8")
    call_command("import_document", str(exported), slug="other", stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_document", str(exported), slug="other", stdout=out)

    assert "course 'other' is up to date" in out.getvalue()


def test_export_of_a_reimported_export_is_the_same_json(seed_course, tmp_path):
    first = export(seed_course.slug)
    exported = tmp_path / "exported.json"
    exported.write_text(first, encoding="utf-8")
    call_command("import_document", str(exported), slug="other", stdout=io.StringIO())

    second = json.loads(export("other"))

    expected = json.loads(first)
    assert second["modules"] == expected["modules"]
    assert second["title"] == expected["title"]


def test_the_seed_course_exports_as_before_the_new_readers(seed_course):
    """Issue 11: the seed course is unchanged by the new readers and structure
    rules. ``data/seed-export.json`` is the export made by the code before
    ``lessons/importing.py`` was split (commit b0e1a27's parent), byte for byte."""
    expected = (Path(__file__).parent / "data" / "seed-export.json").read_text(
        encoding="utf-8"
    )
    assert export(seed_course.slug) == expected
