"""The course outline and the structure rules shared by every reader.

The ``Parsed*`` types are what a reader produces; ``_assemble`` turns a tree of
sections into modules and lessons, handing out unique slugs and checksums.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from lessons.markdown_guard import markdown_problems
from lessons.problems import ProblemList

#: Generated slugs are cut (at a hyphen) to this length, well within the models'
#: ``SlugField(max_length=200)``. A plain-text heading (at most 100 characters) is
#: never cut; only long Markdown headings are.
SLUG_MAX_LENGTH = 100

INTRODUCTION_TITLE = "Introduction"


class DocumentError(ValueError):
    """Malformed input: ``message`` says what is wrong, ``line`` where (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedLesson:
    """One lesson: a heading and the Markdown body below it."""

    title: str
    slug: str
    body_markdown: str
    source_heading: str
    position: int
    checksum: str


@dataclass(frozen=True)
class ParsedModule:
    """A top-level section of the course and its lessons."""

    title: str
    slug: str
    source_heading: str
    lessons: tuple[ParsedLesson, ...]


@dataclass(frozen=True)
class ParsedDocument:
    """A whole course outline, as read from one document."""

    title: str
    modules: tuple[ParsedModule, ...]
    source_format: str
    # A course export's whole decoded JSON (its quizzes and questions are read by
    # the apps registered in ``lessons.hooks.course_importers``), so nobody parses
    # the file a second time; None for text and Markdown documents.
    export: Mapping | None = field(default=None, compare=False, repr=False)

    def lessons(self) -> list[ParsedLesson]:
        """All lessons of all modules, in document order."""
        return [lesson for module in self.modules for lesson in module.lessons]

    def markdown_problems(self) -> ProblemList:
        """The Markdown guard's problems with the lessons' bodies, each naming its
        section (the first ``problems.MAX_REPORTED``, then a count)."""
        problems = ProblemList()
        for lesson in self.lessons():
            for problem in markdown_problems(lesson.body_markdown):
                section = lesson.source_heading or lesson.title
                problems.append(f'section "{section}" ({lesson.slug}): {problem}')
        return problems


@dataclass(frozen=True)
class SectionChanges:
    """How the lessons of a re-imported document differ from the current ones."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]


def checksum(body_markdown: str) -> str:
    """The SHA-256 hex digest of a lesson body, as stored on ``ParsedLesson``."""
    return hashlib.sha256(body_markdown.encode("utf-8")).hexdigest()


def slugify(value: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Peru’s Navy" -> "perus-navy")."""
    ascii_text = (
        unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    )
    ascii_text = re.sub(r"[^\w\s-]", "", ascii_text.lower())
    return re.sub(r"[-\s_]+", "-", ascii_text).strip("-")


def diff_lessons(old: Mapping[str, str], new: Mapping[str, str]) -> SectionChanges:
    """Compare two ``{lesson key: checksum}`` maps (key usually the slug).

    ``added``, ``changed`` and ``unchanged`` follow the order of ``new``;
    ``removed`` follows the order of ``old``.
    """
    return SectionChanges(
        added=tuple(key for key in new if key not in old),
        changed=tuple(key for key in new if key in old and old[key] != new[key]),
        removed=tuple(key for key in old if key not in new),
        unchanged=tuple(key for key in new if key in old and old[key] == new[key]),
    )


@dataclass
class _Section:
    title: str
    source_heading: str
    body: str
    children: list[_Section] = field(default_factory=list)


class _SlugAllocator:
    """Hands out slugs unique among everything it has handed out before."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.taken: set[str] = set()

    def __call__(self, title: str) -> str:
        base = _truncate_slug(slugify(title) or self.fallback, SLUG_MAX_LENGTH)
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            suffix = f"-{number}"
            slug = _truncate_slug(base, SLUG_MAX_LENGTH - len(suffix)) + suffix
        self.taken.add(slug)
        return slug


def _truncate_slug(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-") or slug[:limit]


def _assemble(
    title: str, intro: str, sections: list[_Section], source_format: str
) -> ParsedDocument:
    module_slug = _SlugAllocator("module")
    lesson_slug = _SlugAllocator("lesson")
    modules: list[ParsedModule] = []
    position = 0

    def make_lesson(section: _Section) -> ParsedLesson:
        nonlocal position
        lesson = ParsedLesson(
            title=section.title,
            slug=lesson_slug(section.title),
            body_markdown=section.body,
            source_heading=section.source_heading,
            position=position,
            checksum=checksum(section.body),
        )
        position += 1
        return lesson

    top_level = list(sections)
    if intro:
        top_level.insert(0, _Section(INTRODUCTION_TITLE, "", intro))
    for section in top_level:
        lessons = []
        if section.body or not section.children:
            lessons.append(make_lesson(section))
        lessons.extend(make_lesson(child) for child in section.children)
        modules.append(
            ParsedModule(
                title=section.title,
                slug=module_slug(section.title),
                source_heading=section.source_heading,
                lessons=tuple(lessons),
            )
        )
    return ParsedDocument(
        title=title, modules=tuple(modules), source_format=source_format
    )


def _normalise_newlines(text: str) -> str:
    """Tolerate text that did not come through :func:`decode_document`."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_blank_lines(lines: list[str]) -> str:
    """Join lines, dropping blank ones at either end but keeping indentation."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])
