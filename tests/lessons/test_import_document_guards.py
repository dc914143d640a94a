"""import_document refuses a document whose sections the Markdown guard refuses,
naming each section, and writes nothing; a JSON course export is parsed once and
its course is not fetched again for the importers."""

import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons import hooks
from lessons.models import Course, Lesson
from tests.helpers import row_counts

pytestmark = pytest.mark.django_db

NESTED = "".join("    " * level + "- a\n" for level in range(300))


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("import_document", *map(str, args), stdout=out, **options)
    return out.getvalue()


def test_a_section_nested_too_deeply_is_refused_by_name_and_nothing_written(
    tmp_path,
):
    document = tmp_path / "course.md"
    document.write_text(
        "# Fine\n\nSome text.\n\n# Deep lists\n\n"
        + NESTED[:30_000]
        + "\n# Also fine\n\nx\n",
        encoding="utf-8",
    )
    before = row_counts()

    with pytest.raises(CommandError) as caught:
        run(document, slug="deep")

    message = str(caught.value)
    assert "nothing imported" in message
    assert 'section "Deep lists"' in message
    assert "nested" in message
    assert "Fine" not in message.replace("Deep", "")
    assert row_counts() == before


def test_a_json_export_with_a_nested_lesson_is_refused(tmp_path):
    export = {
        "title": "Deep",
        "slug": "deep",
        "modules": [
            {
                "title": "M",
                "slug": "m",
                "lessons": [
                    {"title": "L", "slug": "l", "body_markdown": NESTED[:30_000]}
                ],
            }
        ],
    }
    path = tmp_path / "course.json"
    path.write_text(json.dumps(export), encoding="utf-8")

    with pytest.raises(CommandError, match='section "L" \\(l\\)'):
        run(path)
    assert not Course.objects.exists()


def test_many_refused_sections_are_listed_up_to_a_hundred_with_a_count(tmp_path):
    body = "[a](" * 2000
    document = tmp_path / "course.md"
    document.write_text(
        "".join(f"# Section {n}\n\n{body}\n\n" for n in range(150)), encoding="utf-8"
    )

    with pytest.raises(CommandError) as caught:
        run(document, slug="many")

    lines = str(caught.value).splitlines()
    assert sum(1 for line in lines if line.startswith('section "')) == 100
    assert "50 more problems" in lines[-1]
    assert not Lesson.objects.exists()


def _export_file(tmp_path) -> tuple:
    export = {
        "title": "Once",
        "slug": "once",
        "modules": [
            {
                "title": "M",
                "slug": "m",
                "lessons": [{"title": "L", "slug": "l", "body_markdown": "Text."}],
            }
        ],
    }
    path = tmp_path / "course.json"
    text = json.dumps(export)
    path.write_text(text, encoding="utf-8")
    return path, text


def test_a_json_export_is_parsed_once(tmp_path):
    path, text = _export_file(tmp_path)
    original = json.JSONDecoder.decode
    decoded = []

    def spy(self, s, *args, **kwargs):
        decoded.append(s)
        return original(self, s, *args, **kwargs)

    with mock.patch.object(json.JSONDecoder, "decode", spy):
        run(path)

    assert decoded.count(text) == 1
    assert Course.objects.get(slug="once")


def test_the_importers_get_the_course_without_fetching_it_again(tmp_path):
    path, _text = _export_file(tmp_path)
    seen = []

    with (
        mock.patch.object(hooks, "course_importers", [lambda c, d: seen.append(c)]),
        CaptureQueriesContext(connection) as queries,
    ):
        run(path)

    assert [course.slug for course in seen] == ["once"]
    by_slug = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and 'FROM "lessons_course"' in q["sql"]
        and '"lessons_course"."slug" =' in q["sql"]
    ]
    assert len(by_slug) == 1, by_slug
