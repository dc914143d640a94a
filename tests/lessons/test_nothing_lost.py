"""Importing the seed loses nothing, as stored in the database: every sentence of the
source document ends up in exactly one lesson's body_markdown, in the document's
order, and no sentence is invented.

The parser's own check (``assert_nothing_lost`` in test_importing.py) is reused on
a document rebuilt from the stored rows, so the database is held to the same
standard as the parser; a second, sentence-by-sentence count names exactly which
sentence went missing or was repeated if that ever fails.
"""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from lessons.importing import ParsedDocument, ParsedLesson, ParsedModule
from lessons.models import Lesson
from tests.helpers import (
    SEED,
    SEED_HINTS,
    SEED_OUTLINE,
    sentences,
    source_body_sentences,
)
from tests.lessons.test_importing import assert_nothing_lost


def document_from_database(course) -> ParsedDocument:
    """The course as stored, in the shape the parser produces."""
    return ParsedDocument(
        title=course.title,
        source_format=course.source_format,
        modules=tuple(
            ParsedModule(
                title=module.title,
                slug=module.slug,
                source_heading=module.source_heading,
                lessons=tuple(
                    ParsedLesson(
                        title=lesson.title,
                        slug=lesson.slug,
                        body_markdown=lesson.body_markdown,
                        source_heading=lesson.source_heading,
                        position=lesson.source_position,
                        checksum=lesson.source_checksum,
                    )
                    for lesson in module.lessons.order_by("position", "id")
                ),
            )
            for module in course.modules.order_by("position", "id")
        ),
    )


def expected_headings() -> list[str]:
    """The seed's section headings in order (the hinted "Conclusion" included)."""
    headings = []
    for module_title, lesson_titles in SEED_OUTLINE:
        if module_title != "Introduction":
            headings.append(module_title)
        headings += [title for title in lesson_titles if title != module_title]
    return headings


def test_stored_course_loses_no_sentence_and_no_heading(seed_course):
    source = SEED.read_text(encoding="utf-8")
    title_lines = source.split("\n")[:3]

    assert_nothing_lost(
        source,
        document_from_database(seed_course),
        headings=expected_headings(),
        skip={line.strip() for line in title_lines if line.strip()},
    )


@pytest.fixture
def source_sentences(seed_course) -> list[str]:
    headings = set(
        Lesson.objects.filter(course=seed_course)
        .exclude(source_heading="")
        .values_list("source_heading", flat=True)
    )
    found = source_body_sentences(SEED.read_text(encoding="utf-8"), headings=headings)
    # Guard the helper itself: the seed has about 170 sentences, none repeated.
    assert len(found) > 150
    assert not [s for s, n in Counter(found).items() if n > 1]
    return found


@pytest.fixture
def lesson_bodies(seed_course) -> list[str]:
    return list(
        Lesson.objects.filter(course=seed_course)
        .order_by("module__position", "position", "id")
        .values_list("body_markdown", flat=True)
    )


def test_every_source_sentence_appears_exactly_once_across_lessons(
    source_sentences, lesson_bodies
):
    counts = Counter(s for body in lesson_bodies for s in sentences(body))

    missing = [s for s in source_sentences if counts[s] == 0]
    repeated = [s for s in source_sentences if counts[s] > 1]
    assert missing == []
    assert repeated == []


def test_lessons_hold_the_source_sentences_in_order_and_nothing_else(
    source_sentences, lesson_bodies
):
    in_lessons = [s for body in lesson_bodies for s in sentences(body)]

    assert in_lessons == source_sentences


def test_no_heading_is_left_in_a_lesson_body(seed_course):
    lessons = Lesson.objects.filter(course=seed_course)
    titles = set(lessons.values_list("title", flat=True))

    for lesson in lessons:
        assert not titles & set(lesson.body_markdown.splitlines()), lesson.slug


def test_every_lesson_of_the_seed_is_published_and_has_a_body(seed_course):
    for lesson in Lesson.objects.filter(course=seed_course):
        assert lesson.is_published
        assert lesson.body_markdown.strip(), lesson.slug


def test_nothing_is_lost_after_a_reimport_of_an_edited_document(seed_course, tmp_path):
    """Updating lessons in place keeps every other lesson's text intact."""
    source = SEED.read_text(encoding="utf-8")
    edited = source.replace("Peru plays a pivotal role", "Peru plays a central role")
    (tmp_path / SEED.name).write_text(edited, encoding="utf-8")
    (tmp_path / SEED_HINTS.name).write_bytes(SEED_HINTS.read_bytes())

    call_command(
        "import_document",
        str(tmp_path / SEED.name),
        slug=seed_course.slug,
        stdout=StringIO(),
    )

    assert_nothing_lost(
        edited,
        document_from_database(seed_course),
        headings=expected_headings(),
        skip={line.strip() for line in edited.split("\n")[:3] if line.strip()},
    )
