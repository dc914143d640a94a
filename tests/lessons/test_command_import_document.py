"""manage.py import_document: a document file becomes a course."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import Course, Lesson
from tests.helpers import SEED, SEED_HINTS, SEED_OUTLINE, row_counts, write_statements

pytestmark = pytest.mark.django_db

SEED_LESSON_COUNT = sum(len(lessons) for _module, lessons in SEED_OUTLINE)


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("import_document", *map(str, args), stdout=out, **options)
    return out.getvalue()


def structure(course) -> list[tuple[str, list[str]]]:
    return [
        (
            module.title,
            list(module.lessons.order_by("position").values_list("title", flat=True)),
        )
        for module in course.modules.order_by("position")
    ]


def snapshot() -> dict:
    """Everything an import could change, to compare before and after."""
    return {
        "rows": row_counts(),
        "courses": list(
            Course.objects.order_by("pk").values_list(
                "slug", "title", "is_published", "content_version", "updated_at"
            )
        ),
        "lessons": list(
            Lesson.objects.order_by("pk").values_list(
                "slug", "title", "body_markdown", "is_published", "updated_at"
            )
        ),
    }


def test_importing_the_seed_builds_the_expected_modules_and_lessons():
    output = run(SEED, slug="military-diplomacy")

    course = Course.objects.get(slug="military-diplomacy")
    assert course.title == "Military Diplomacy in South America: Strategies and Impacts"
    assert course.source_name == SEED.name
    assert course.source_format == "text"
    assert structure(course) == SEED_OUTLINE
    assert f"created course 'military-diplomacy' with {SEED_LESSON_COUNT} lessons" in (
        output
    )


def test_the_seed_conclusion_comes_from_the_sidecar_hints():
    run(SEED, slug="military-diplomacy")

    conclusion = Lesson.objects.get(slug="conclusion")
    assert conclusion.body_markdown.startswith(
        json.loads(SEED_HINTS.read_text())["headings"][0]["before"]
    )
    assert conclusion.module.position == len(SEED_OUTLINE) - 1


def test_importing_the_seed_renders_every_lesson():
    run(SEED, slug="military-diplomacy")

    for lesson in Lesson.objects.all():
        assert lesson.body_html.startswith("<"), lesson.slug
        assert lesson.word_count > 50, lesson.slug
        assert lesson.source_checksum, lesson.slug


def test_bullets_in_the_seed_become_markdown_lists():
    run(SEED, slug="military-diplomacy")

    argentina = Lesson.objects.get(slug="argentina")
    assert "- Joint exercises with neighboring countries." in argentina.body_markdown
    assert "<li>Joint exercises with neighboring countries.</li>" in argentina.body_html


def test_importing_the_seed_twice_changes_nothing():
    run(SEED, slug="military-diplomacy")
    before = snapshot()

    with CaptureQueriesContext(connection) as captured:
        output = run(SEED, slug="military-diplomacy")

    assert write_statements(captured) == []
    assert snapshot() == before
    assert "course 'military-diplomacy' is up to date" in output
    assert f"0 added, 0 changed, 0 removed, {SEED_LESSON_COUNT} unchanged" in output


def test_importing_without_publish_leaves_the_course_unpublished():
    run(SEED, slug="military-diplomacy")

    assert not Course.objects.get(slug="military-diplomacy").is_published


def test_importing_with_publish_publishes_the_course():
    run(SEED, slug="military-diplomacy", publish=True)

    assert Course.objects.get(slug="military-diplomacy").is_published


def test_reimporting_with_publish_publishes_an_existing_course():
    run(SEED, slug="military-diplomacy")

    run(SEED, slug="military-diplomacy", publish=True)

    assert Course.objects.get(slug="military-diplomacy").is_published


def test_title_option_overrides_the_document_title():
    run(SEED, slug="md", title="Diplomacy 101")

    assert Course.objects.get(slug="md").title == "Diplomacy 101"


def test_dry_run_reports_the_new_course_and_writes_nothing():
    before = snapshot()

    output = run(SEED, slug="military-diplomacy", dry_run=True)

    assert snapshot() == before
    assert (
        f"[dry run] would create course 'military-diplomacy' with "
        f"{SEED_LESSON_COUNT} lessons" in output
    )


def test_dry_run_of_an_edited_document_lists_changes_and_writes_nothing(tmp_path):
    run(SEED, slug="military-diplomacy")
    edited = tmp_path / SEED.name
    edited.write_text(
        SEED.read_text(encoding="utf-8").replace(
            "Argentina holds significant influence", "Argentina holds real influence"
        ),
        encoding="utf-8",
    )
    (tmp_path / SEED_HINTS.name).write_bytes(SEED_HINTS.read_bytes())
    before = snapshot()

    output = run(edited, slug="military-diplomacy", dry_run=True)

    assert snapshot() == before
    assert "[dry run] course 'military-diplomacy':" in output
    assert "changed: key-players-in-south-american-military-diplomacy" in output


def test_reimporting_an_edited_document_updates_only_the_edited_lesson(tmp_path):
    run(SEED, slug="military-diplomacy")
    peru = Lesson.objects.get(slug="peru")
    edited = tmp_path / SEED.name
    edited.write_text(
        SEED.read_text(encoding="utf-8").replace(
            "Peru plays a pivotal role", "Peru plays a central role"
        ),
        encoding="utf-8",
    )
    (tmp_path / SEED_HINTS.name).write_bytes(SEED_HINTS.read_bytes())

    output = run(edited, slug="military-diplomacy")

    assert "  changed: peru" in output
    assert f"0 added, 1 changed, 0 removed, {SEED_LESSON_COUNT - 1} unchanged" in output
    updated = Lesson.objects.get(slug="peru")
    assert updated.pk == peru.pk
    assert "Peru plays a central role" in updated.body_markdown


def test_explicit_hints_option_is_used(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_bytes(SEED.read_bytes())
    hints = tmp_path / "structure.json"
    hints.write_bytes(SEED_HINTS.read_bytes())

    run(document, slug="md", hints=hints)

    assert Lesson.objects.filter(course__slug="md", slug="conclusion").exists()


def test_without_hints_there_is_no_conclusion_module(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_bytes(SEED.read_bytes())

    run(document, slug="md")

    course = Course.objects.get(slug="md")
    assert not course.modules.filter(title="Conclusion").exists()


# --------------------------------------------------------------------------
# Malformed input: a clear CommandError, and nothing written


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


GOOD_TEXT = (
    b"A Short Course\n\nSome introduction.\n\nFirst Section\n\nThe first body.\n"
)

MALFORMED = {
    "empty file": ("empty.txt", b"", "empty"),
    "whitespace only": ("blank.txt", b"  \n\n\t\n", "empty"),
    "binary with NUL bytes": (
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "binary",
    ),
    "no headings": (
        "flat.txt",
        b"A Title\n\nonly one paragraph, all in lower case, with no headings.\n",
        "no section headings",
    ),
    "invalid UTF-8": (
        "latin1.txt",
        b"A Title\n\nSection\n\nCaf\xe9 society, in Latin-1.\n",
        "not valid UTF-8",
    ),
    "markdown without headings": (
        "notes.md",
        b"Just some notes.\n\nAnd more notes.\n",
        "no section headings",
    ),
    "broken JSON": ("course.json", b'{"title": "x", "modules": [', "not valid JSON"),
    "JSON without modules": ("course.json", b'{"title": "x"}', '"modules"'),
}


@pytest.mark.parametrize(
    ("name", "data", "message"), MALFORMED.values(), ids=MALFORMED.keys()
)
def test_malformed_document_raises_a_clear_error_and_writes_nothing(
    tmp_path, name, data, message
):
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run(_write(tmp_path, name, data), slug="broken")

    assert message in str(error.value)
    assert name in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "message"), MALFORMED.values(), ids=MALFORMED.keys()
)
def test_malformed_document_leaves_an_existing_course_untouched(
    tmp_path, name, data, message
):
    run(SEED, slug="military-diplomacy", publish=True)
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        run(_write(tmp_path, name, data), slug="military-diplomacy")

    assert snapshot() == before


def test_missing_file_raises_a_clear_error(tmp_path):
    before = snapshot()

    with pytest.raises(CommandError, match=r"cannot read .*missing\.txt"):
        run(tmp_path / "missing.txt")

    assert snapshot() == before


def test_a_directory_raises_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path)


BAD_HINTS = {
    "not JSON": (b'{"headings": [', "not valid JSON"),
    "not UTF-8": (b'{"headings": "\xff"}', "not valid JSON"),
    "unknown key": (b'{"chapters": []}', "unknown hint key"),
    "before matches nothing": (
        b'{"headings": [{"before": "No paragraph starts like this", '
        b'"title": "Conclusion"}]}',
        "no paragraph starts with",
    ),
    "bad level": (
        b'{"headings": [{"before": "The first", "title": "X", "level": 3}]}',
        "level",
    ),
    "a list, not an object": (b'[{"before": "The first"}]', "must be a JSON object"),
}


@pytest.mark.parametrize(("data", "message"), BAD_HINTS.values(), ids=BAD_HINTS.keys())
def test_bad_sidecar_hints_raise_a_clear_error_and_write_nothing(
    tmp_path, data, message
):
    document = _write(tmp_path, "course.txt", GOOD_TEXT)
    _write(tmp_path, "course.hints.json", data)
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        run(document, slug="short")

    assert snapshot() == before


def test_missing_explicit_hints_file_raises_a_clear_error(tmp_path):
    document = _write(tmp_path, "course.txt", GOOD_TEXT)
    before = snapshot()

    with pytest.raises(CommandError, match="hints file .* does not exist"):
        run(document, slug="short", hints=tmp_path / "nope.json")

    assert snapshot() == before


def test_hints_with_a_markdown_document_raise_a_clear_error(tmp_path):
    document = _write(tmp_path, "course.md", b"# Course\n\n## Part\n\nText.\n")
    _write(tmp_path, "course.hints.json", b'{"headings": []}')

    with pytest.raises(CommandError, match="only be used with plain-text"):
        run(document, slug="short", hints=tmp_path / "course.hints.json")

    assert not Course.objects.filter(slug="short").exists()


def test_renaming_a_section_is_reported_not_called_up_to_date(tmp_path):
    course_json = {
        "title": "Naval History",
        "slug": "naval",
        "modules": [
            {
                "title": "Early Navies",
                "slug": "early-navies",
                "lessons": [
                    {
                        "title": "Sail and Oar",
                        "slug": "sail-and-oar",
                        "body_markdown": "Galleys and sailing ships.",
                    }
                ],
            }
        ],
    }
    document = tmp_path / "naval.json"
    document.write_text(json.dumps(course_json), encoding="utf-8")
    run(document, slug="naval")
    course_json["modules"][0]["lessons"][0]["title"] = "Galleys"
    document.write_text(json.dumps(course_json), encoding="utf-8")

    output = run(document, slug="naval")

    assert "up to date" not in output
    assert "titles or order of sections changed" in output
    assert Lesson.objects.get(slug="sail-and-oar").title == "Galleys"


# --------------------------------------------------------------------------
# --format


def test_format_option_reads_a_txt_file_as_markdown(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("# Notes\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n")
    run(path, slug="notes", format="markdown")
    course = Course.objects.get(slug="notes")
    assert course.source_format == "markdown"
    assert structure(course) == [("One", ["One"]), ("Two", ["Two"])]


def test_a_txt_file_is_plain_text_by_default_even_with_a_hash_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\nBirds\n\n# seen: three robins\n\nTrees\n\nTall.\n")
    run(path, slug="notes")
    course = Course.objects.get(slug="notes")
    assert course.source_format == "text"
    assert structure(course) == [("Birds", ["Birds"]), ("Trees", ["Trees"])]


def test_rst_document_is_imported(tmp_path):
    path = tmp_path / "guide.rst"
    path.write_text(
        "Guide\n=====\n\nHello.\n\nFirst\n-----\n\nOne.\n\nSecond\n------\n\nTwo.\n"
    )
    run(path, slug="guide")
    course = Course.objects.get(slug="guide")
    assert (course.title, course.source_format) == ("Guide", "rst")
    assert [title for title, _ in structure(course)] == [
        "Introduction",
        "First",
        "Second",
    ]


def test_an_html_page_is_imported(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><nav>Menu</nav><main><h1>Page</h1><h2>First</h2><p>One.</p>"
        "<h2>Second</h2><p>Two.</p></main></body></html>"
    )
    run(path, slug="page")
    course = Course.objects.get(slug="page")
    assert (course.title, course.source_format) == ("Page", "html")
    assert [title for title, _ in structure(course)] == ["First", "Second"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("page.html", "no section headings"),
        ("page.docx", "not a valid Word document"),
        ("page.zip", "not a valid zip file"),
    ],
)
def test_unreadable_html_docx_and_zip_are_refused_clearly(tmp_path, name, message):
    path = tmp_path / name
    path.write_text("<h1>Page</h1>")
    before = row_counts()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert row_counts() == before


def test_a_lesson_with_sub_headings_shows_a_contents_list(tmp_path):
    path = tmp_path / "rules.md"
    path.write_text(
        "# Rules\n\n## Tools\n\nSome tools.\n\n### Lint\n\nRun it.\n\n"
        "#### Definition\n\nA tool.\n\n#### Pros\n\nBugs found.\n\n"
        "### Imports\n\nOne per line.\n"
    )
    run(path, slug="rules")
    lint = Lesson.objects.get(module__course__slug="rules", title="Lint")
    assert lint.body_html.startswith('<div class="lesson-contents">')
    assert '<a href="#section-definition">Definition</a>' in lint.body_html
    assert '<h4 id="section-definition">Definition</h4>' in lint.body_html
    imports = Lesson.objects.get(module__course__slug="rules", title="Imports")
    assert "lesson-contents" not in imports.body_html


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Guide", style="Title")
    document.add_heading("First", level=1)
    document.add_paragraph("One.")
    document.add_heading("Second", level=1)
    document.add_paragraph("Two.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content", "titles"),
    [
        ("text", b"Guide\n\nFirst\n\nOne.\n\nSecond\n\nTwo.\n", ["First", "Second"]),
        ("markdown", b"# Guide\n\n## First\n\nOne.\n\n## Second\n\nTwo.\n", None),
        (
            "rst",
            b"Guide\n=====\n\nFirst\n-----\n\nOne.\n\nSecond\n------\n\nTwo.\n",
            None,
        ),
        (
            "html",
            b"<html><body><main><h1>Guide</h1><h2>First</h2><p>One.</p>"
            b"<h2>Second</h2><p>Two.</p></main></body></html>",
            None,
        ),
        ("docx", None, None),
    ],
)
def test_format_option_reads_a_file_whatever_its_name(tmp_path, fmt, content, titles):
    """``--format auto|text|markdown|rst|html|docx``: the named reader reads the
    file, whose name says nothing of its format."""
    path = tmp_path / "upload.bin"
    path.write_bytes(_docx_bytes() if content is None else content)
    run(path, slug="guide", format=fmt)
    course = Course.objects.get(slug="guide")
    assert course.source_format == fmt
    assert [title for title, _ in structure(course)] == (titles or ["First", "Second"])


def test_format_option_offers_every_reader():
    from lessons.management.commands.import_document import FORMAT_CHOICES

    assert {"auto", "text", "markdown", "rst", "html", "docx", "zip"} <= set(
        FORMAT_CHOICES
    )
