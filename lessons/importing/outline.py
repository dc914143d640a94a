"""The course outline and the structure rules shared by every reader.

A reader (Markdown, reStructuredText ...) turns its input into a :class:`Reading`:
a flat list of :class:`Heading` (level as the document wrote it, title, Markdown
body, source line) plus metadata. :func:`build_document` applies the structure
rules, the same for every format:

1. **Title.** A first heading repeated further down at its level is the title
   said twice: the repeats are dropped (their text joins the section before
   them). The *title heading* is then the first heading when it is at the
   shallowest level used and either the only heading at that level (a level-1
   heading may have text before it, a deeper one only when nothing precedes
   it), or its section holds at least two sub-sections while the other headings
   at its level hold none (a chapter's closing "Summary"), or it repeats the
   metadata title. The title heading is no section: its text is the
   introduction. The course title is the metadata title (front matter, a PEP
   header), else the title heading's, else (``title_guessed``) the file's name
   when it says something (``parse_document``: not README, index ...), else
   the document's first line.
2. **Numbers.** A heading numbered like ``2.1`` or ``2.1.`` goes one level below
   the heading numbered ``2`` before it, whatever its own level.
3. **Levels are relative.** After the title, each heading's parent is the
   nearest heading before it at a shallower level. Headings without a parent are
   modules, their children lessons; deeper headings stay headings inside their
   lesson's body.
4. **Modules.** As in :func:`_assemble`: a module's own text is its first lesson;
   text before the first heading is the "Introduction".

``_assemble`` turns the tree into modules and lessons, handing out unique slugs
and checksums.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lessons.markdown_guard import markdown_problems
from lessons.problems import ProblemList

#: Generated slugs are cut (at a hyphen) to this length, well within the models'
#: ``SlugField(max_length=200)``. A plain-text heading (at most 100 characters) is
#: never cut; only long Markdown headings are.
SLUG_MAX_LENGTH = 100

INTRODUCTION_TITLE = "Introduction"


def _interpolate(message, params) -> str:
    return str(message) % params


#: ``message_format(_("... %(name)s ..."), {"name": value})``: a message that is
#: translated when shown (in the language of the request showing it), not when
#: the parser runs. Readers' warnings and errors are all made this way, so the
#: literal stays in a ``gettext_lazy`` call that ``makemessages`` finds.
message_format = lazy(_interpolate, str)


class DocumentError(ValueError):
    """Malformed input: ``message`` says what is wrong, ``line`` where (1-based).

    ``message`` is a lazy translatable string (see :data:`message_format`).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return str(self.message)
        return gettext("line %(line)s: %(message)s") % {
            "line": self.line,
            "message": self.message,
        }


class NoHeadingsError(DocumentError):
    """The document has no section heading at all (a reader may say more)."""


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
    # From the document's metadata (front matter, a PEP header), if any.
    description: str = ""
    # What the reader had to guess or leave out, in plain words, for a preview:
    # "front matter used as metadata", "heading guessed: ...".
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # True when the document names no title of its own (no metadata title, no
    # title heading) and ``title`` is a last resort: its first line or heading.
    title_guessed: bool = field(default=False, compare=False)

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
        # The last number tried for each base: the numbers below it are taken,
        # so many equal titles cost linear time, not quadratic.
        self.last_number: dict[str, int] = {}

    def __call__(self, title: str) -> str:
        base = _truncate_slug(slugify(title) or self.fallback, SLUG_MAX_LENGTH)
        slug, number = base, self.last_number.get(base, 1)
        if number > 1:
            slug = self._numbered(base, number)
        while slug in self.taken:
            number += 1
            slug = self._numbered(base, number)
        self.last_number[base] = number
        self.taken.add(slug)
        return slug

    @staticmethod
    def _numbered(base: str, number: int) -> str:
        suffix = f"-{number}"
        return _truncate_slug(base, SLUG_MAX_LENGTH - len(suffix)) + suffix


def _truncate_slug(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-") or slug[:limit]


def _assemble(
    title: str,
    intro: str,
    sections: list[_Section],
    source_format: str,
    *,
    description: str = "",
    warnings: Iterable[str] = (),
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
        title=title,
        modules=tuple(modules),
        source_format=source_format,
        description=description,
        warnings=tuple(warnings),
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


# --------------------------------------------------------------------------
# The structure rules (shared by the Markdown and reStructuredText readers)


@dataclass(frozen=True)
class Heading:
    """One section as a reader found it: the rules above decide where it goes."""

    level: int  # as the document wrote it: 1 is the outermost
    title: str  # clean text, as a reader sees it
    body: str  # Markdown, up to the next heading
    line: int | None = None  # 1-based, in the source
    markup: str = ""  # the heading's Markdown, when it stays inside a lesson
    guessed: bool = False


@dataclass
class Reading:
    """What a reader found: headings in order, plus the document's metadata."""

    headings: list[Heading]
    intro: str = ""
    title: str = ""  # from metadata
    description: str = ""
    first_line: str = ""  # the title of last resort
    warnings: list[str] = field(default_factory=list)


_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s)")


def heading_number(title: str) -> tuple[int, ...] | None:
    """``(2, 1)`` for "2.1 Lint" or "2.1. Lint"; None when not numbered."""
    match = _NUMBER.match(title)
    if not match:
        return None
    return tuple(int(part) for part in match.group(1).split("."))


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _title_heading(headings: list[Heading], intro: str) -> int | None:
    """The index of the title heading (rule 1), or None."""
    if not headings:
        return None
    top = min(heading.level for heading in headings)
    first = headings[0]
    if first.level != top:
        return None
    at_top = [index for index, heading in enumerate(headings) if heading.level == top]
    if len(at_top) == 1:
        return 0 if top == 1 or not intro.strip() else None
    if intro.strip():
        return None
    # The first section holds the document; the others at its level are leaves.
    children = sum(
        1
        for heading in headings[1 : at_top[1]]
        if heading.level == min(h.level for h in headings[1 : at_top[1]])
    )
    others_are_leaves = all(
        index + 1 >= len(headings) or headings[index + 1].level <= top
        for index in at_top[1:]
    )
    if children >= 2 and others_are_leaves and len(at_top) - 1 < children:
        return 0
    return None


#: File names that say nothing about the document.
_GENERIC_NAMES = frozenset(
    ["readme", "index", "document", "untitled", "notes", "draft", "main", "doc"]
)


def title_from_filename(filename: str) -> str:
    """A title from a file's name ("Python-PettingZoo_API.md" gives "Python
    PettingZoo API"), or "" for a generic name such as README or index."""
    stem = re.split(r"[\\/]", filename)[-1].rsplit(".", 1)[0]
    words = re.sub(r"[-_.]+", " ", stem).split()
    if not words or " ".join(words).casefold() in _GENERIC_NAMES:
        return ""
    return " ".join(words)


def build_document(
    reading: Reading,
    source_format: str,
    *,
    no_headings: str = _("start each section with a heading"),
) -> ParsedDocument:
    """Apply the structure rules to a reader's headings (see the docstring)."""
    headings = list(reading.headings)
    intro = reading.intro
    warnings = list(reading.warnings)
    if headings:
        # A first heading repeated further down at its level (or above) is the
        # title said twice: the repeats are no sections, their text stays.
        first = headings[0]
        kept = [first]
        for item in headings[1:]:
            if item.level <= first.level and _same_title(item.title, first.title):
                warnings.append(
                    message_format(
                        _("heading repeating the title dropped: %(title)s"),
                        {"title": item.title},
                    )
                )
                previous = kept[-1]
                kept[-1] = replace(previous, body=_join(previous.body, item.body))
            else:
                kept.append(item)
        headings = kept
    title_index = _title_heading(headings, intro)
    title = reading.title
    if title_index is None and headings and _same_title(headings[0].title, title):
        title_index = 0  # the metadata title, repeated as a heading
    if title_index is not None:
        heading = headings.pop(title_index)
        title = title or heading.title
        intro = _join(intro, heading.body)
    if not headings:
        raise NoHeadingsError(
            message_format(
                _("no section headings found: %(why)s"), {"why": no_headings}
            )
        )
    title_guessed = not title
    if not title:
        title = reading.first_line or headings[0].title

    levels = _levels_by_number(headings)
    # Rule 3: a heading's depth is one more than its parent's.
    roots: list[_Section] = []
    stack: list[tuple[int, _Section, int]] = []  # (level, section, depth)
    for heading, level in zip(headings, levels, strict=True):
        while stack and stack[-1][0] >= level:
            stack.pop()
        depth = stack[-1][2] + 1 if stack else 0
        if depth <= 1:
            section = _Section(heading.title, heading.title, heading.body)
            if depth == 0:
                roots.append(section)
            else:
                stack[-1][1].children.append(section)
            stack.append((level, section, depth))
        else:
            # Rule 3: deeper headings stay inside the lesson that holds them.
            holder = next(item[1] for item in reversed(stack) if item[2] <= 1)
            markup = heading.markup or f"{'#' * min(depth + 1, 6)} {heading.title}"
            holder.body = _join(holder.body, markup, heading.body)
            stack.append((level, holder, depth))
        if heading.guessed:
            warnings.append(
                message_format(
                    _("heading guessed: %(title)s"), {"title": heading.title}
                )
            )
    parsed = _assemble(
        title,
        intro,
        roots,
        source_format,
        description=reading.description,
        warnings=warnings,
    )
    return replace(parsed, title_guessed=True) if title_guessed else parsed


def _levels_by_number(headings: list[Heading]) -> list[int]:
    """Rule 2: "2.1" goes one level below the "2" before it."""
    levels: list[int] = []
    numbered: dict[tuple[int, ...], int] = {}
    for heading in headings:
        level = heading.level
        number = heading_number(heading.title)
        if number:
            parent = numbered.get(number[:-1]) if len(number) > 1 else None
            if parent is not None:
                level = parent + 1
            numbered[number] = level
        levels.append(level)
    return levels


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def indent_fences(lines: list[str]) -> list[str]:
    """Fenced code as indented code, which Markdown also reads inside a
    blockquote (python-markdown reads no fence there): for callouts."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE_LINE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
            if out and out[-1].strip():
                out.append("")
            continue
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
                out.append("")
                continue
            out.append(f"    {line}" if line.strip() else "")
            continue
        out.append(line)
    return out
