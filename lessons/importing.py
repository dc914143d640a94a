"""Turn a course document into a course outline: a title, modules and lessons.

This module is pure: plain data in, plain data out. It reads no files, touches no
database and imports nothing from Django. Callers decode an upload with
:func:`decode_document`, parse it with :func:`parse_document` and write the
resulting :class:`ParsedDocument` to the database themselves. Every kind of
malformed input raises :class:`DocumentError`, which carries a 1-based line
number where one is known.

Three input formats are understood, chosen by :func:`parse_document`:

* coursesite's own JSON course export (a ``.json`` file, or text starting with
  ``{``), read back by :func:`parse_course_json` with its slugs kept as given;
* Markdown (a ``.md``/``.markdown`` file, or any line like ``# Heading``), where
  the ``#`` levels give the structure, see :func:`parse_markdown`;
* plain text, such as an article copied from a web page, where the structure has
  to be guessed, see :func:`parse_plain_text`.

Plain-text heuristics
---------------------
The text is split into *blocks* at blank lines. The guesses below are meant to
be right for ordinary articles; whatever they get wrong an instructor can fix in
the admin, or up front with hints (rule 7).

1. **Title.** The first non-empty line is the course title. A trailing site name
   is dropped: a final `` - X``, `` | X``, `` – X`` or `` — X`` segment whose
   ``X`` has at most five words and no sentence punctuation (``.``, ``!``, ``?``,
   ``:``, ``;`` or ``,`` followed by a space or ending the text; a dot inside
   ``Example.com`` does not count). Only separators with spaces on both sides
   count, so ``Cost-Benefit Analysis`` is never cut. If the next block repeats
   the title exactly (with or without the site name) it is the title again and
   is dropped, rather than being read as a heading or as body text.
2. **Headings.** A block is *heading-like* when it is exactly one line of at most
   12 words and 100 characters that does not end in ``.``, ``!``, ``?``, ``:``,
   ``;`` or ``,``, is not a bullet (rule 3) and starts with an uppercase letter
   or a digit. A heading-like block is a heading only when the block after it is
   body text, that is, not itself a heading; this is decided from the end of the
   document backwards. So the last block can never be a heading, and of two
   heading-like lines in a row only the second is a heading: the first stays in
   the body of the section before it as a one-line paragraph (in longer runs,
   every other line counting back from the last one is a heading). Everything
   else is body text.
3. **Body text.** Lines starting (after optional indentation) with ``•``, ``◦``,
   ``▪``, ``-`` or ``*`` and a space become Markdown bullet items (``- text``);
   lines starting with a number of up to three digits followed by ``.`` or ``)``
   and a space become numbered items (``1. text``, keeping the number).
   Consecutive items form one list, with a blank line before and after it so
   that it renders as a list. An item indented deeper than the item before it is
   nested under that one; an indented line that is not an item, directly after
   an item, continues that item. Paragraph lines are kept verbatim, apart from
   their leading and trailing whitespace (which Markdown would otherwise read
   as a code block or a line break): nothing is reflowed and no character is
   changed.
4. **Introduction.** Body text before the first heading becomes a lesson titled
   "Introduction" (with an empty ``source_heading``) in a module of the same
   name.
5. **Nesting** (two levels only). Each heading starts a top-level section unless
   it is a sub-section of the most recent top-level section P. A heading's
   *content words* are its words, lowercased (``U.S.`` is the word ``u.s.`` and a
   possessive ``'s`` is dropped), less stop words and less the words that the
   course title mentions. A word is *mentioned* by a text when some word of the
   text shares its first five letters (or equals it, for words shorter than five
   letters), so a title with "America" drops "American" from headings too. A
   heading H nests under P when both hold:

   a. H has at least one content word and no more content words than P's
      heading: a sub-topic is named at least as narrowly as its parent, and a
      heading longer than the section heading above it starts a new topic;
   b. at least two thirds of H's content words are mentioned in P's *own* body
      (the paragraphs directly under P, not those of its sub-sections): a
      section usually introduces the sub-topics that follow it.
6. **Modules.** Every top-level section becomes a module with the same title.
   Its own body, when it has one, becomes the module's first lesson, titled like
   the section; its sub-sections follow as lessons. A top-level section without
   sub-sections is a module with that one lesson.
7. **Hints.** An optional dict such as ``{"headings": [{"before": "The role of",
   "title": "Conclusion", "level": 1}]}`` inserts a heading with that title
   before the first paragraph starting with the ``before`` text (compared
   case-insensitively, with runs of whitespace counted as one space). ``level``
   1 (the default) makes a top-level section, 2 a sub-section of the current
   top-level section; hinted headings skip rule 5, and count as headings for
   rule 2 (so a heading-like line right before one stays body text). Unknown
   keys, and a ``before`` that matches no paragraph, raise
   :class:`DocumentError`.
8. **No headings.** A document in which no heading is found raises
   :class:`DocumentError` explaining what a heading looks like.

Slugs are ASCII, at most ``SLUG_MAX_LENGTH`` characters, and unique within the
course (module slugs among modules, lesson slugs among all lessons), duplicates
getting ``-2``, ``-3`` and so on. Each lesson carries the SHA-256 of its body so
that a re-import can tell changed sections from unchanged ones
(:func:`diff_lessons`).
"""

from __future__ import annotations

import hashlib
import json
import json.decoder
import json.scanner
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lessons.markdown_guard import markdown_problems
from lessons.problems import ProblemList

__all__ = [
    "DocumentError",
    "ParsedDocument",
    "ParsedLesson",
    "ParsedModule",
    "SLUG_MAX_LENGTH",
    "SectionChanges",
    "checksum",
    "clean_title",
    "decode_document",
    "diff_lessons",
    "parse_course_json",
    "parse_document",
    "parse_markdown",
    "parse_plain_text",
    "slugify",
]

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


# --------------------------------------------------------------------------
# Decoding


def _line_of_byte(data: bytes, index: int) -> int:
    prefix = data[:index].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return prefix.count(b"\n") + 1


_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\f")


def decode_document(data: bytes) -> str:
    """Decode an uploaded document: UTF-8, BOM stripped, line endings made ``\\n``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise DocumentError("the document is empty")
    if b"\x00" in data:
        raise DocumentError("the document looks like a binary file, not text")
    control = sum(
        1
        for byte in data
        if (byte < 32 or byte == 127) and byte not in _TEXT_CONTROL_BYTES
    )
    if control * 10 > len(data):
        raise DocumentError("the document looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start)
        line_start = max(
            data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)
        )
        column = exc.start - line_start
        raise DocumentError(
            f"not valid UTF-8: cannot decode byte 0x{data[exc.start]:02x} at line "
            f"{line}, column {column}; save the file as UTF-8 and try again",
            line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        # Whitespace outside ASCII (such as no-break spaces) only shows up decoded.
        raise DocumentError("the document is empty")
    return text


# --------------------------------------------------------------------------
# Dispatch

_MARKDOWN_HEADING_LINE = re.compile(r"^#{1,6} \S", re.MULTILINE)


def parse_document(
    text: str, *, filename: str = "", hints: dict | None = None
) -> ParsedDocument:
    """Parse a decoded document, choosing the format from its name and content.

    Hints only make sense for plain text; passing them for a JSON or Markdown
    document raises :class:`DocumentError` rather than silently ignoring them.
    """
    name = filename.lower()
    if name.endswith(".json") or text.lstrip().startswith("{"):
        parser, source_format = parse_course_json, "json"
    elif name.endswith((".md", ".markdown")) or _MARKDOWN_HEADING_LINE.search(text):
        parser, source_format = parse_markdown, "markdown"
    else:
        return parse_plain_text(text, hints=hints)
    if hints:
        raise DocumentError(
            f"hints can only be used with plain-text documents, not {source_format}"
        )
    return parser(text)


# --------------------------------------------------------------------------
# Assembling modules and lessons (shared by the text and Markdown parsers)


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


# --------------------------------------------------------------------------
# Plain text

_SITE_NAME_SEPARATOR = re.compile(r"\s+[-|–—]\s+")
_SENTENCE_PUNCTUATION = re.compile(r"[.!?:;,](?:\s|$)")
_HEADING_FORBIDDEN_ENDINGS = (".", "!", "?", ":", ";", ",")
_BULLET = re.compile(
    r"^(?P<indent>\s*)(?:(?P<bullet>[•◦▪*-])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$"
)
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")

# Short function words that say nothing about a heading's topic.
# fmt: off
_STOP_WORDS = frozenset([
    "a", "about", "above", "across", "after", "against", "all", "along", "also", "am",
    "among", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "during", "each", "either", "for", "from", "had", "has", "have", "he",
    "her", "here", "hers", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "must", "my", "neither",
    "no", "nor", "not", "of", "off", "on", "once", "only", "onto", "or", "other", "our",
    "ours", "out", "over", "own", "per", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "toward", "towards", "under", "until", "up",
    "upon", "us", "versus", "very", "via", "vs", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "you", "your", "yours",
])
# fmt: on

_HINT_KEYS = frozenset({"headings"})
_HINT_HEADING_KEYS = frozenset({"before", "title", "level"})


@dataclass
class _Block:
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Heading:
    title: str
    level: int | None = None  # set by hints only


def clean_title(line: str) -> str:
    """The title without a trailing site name such as `` - Total Military Insight``."""
    title = line.strip()
    separators = list(_SITE_NAME_SEPARATOR.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    if (
        head
        and tail
        and len(tail.split()) <= 5
        and not _SENTENCE_PUNCTUATION.search(tail)
    ):
        return head
    return title


def _split_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def _is_heading_like(block: _Block) -> bool:
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    return (
        len(line) <= 100
        and len(line.split()) <= 12
        and not line.endswith(_HEADING_FORBIDDEN_ENDINGS)
        and not _BULLET.match(line)
        and (line[0].isupper() or line[0].isdigit())
    )


def _normalise_for_hint(text: str) -> str:
    return " ".join(text.split()).casefold()


def _validated_hints(hints: Mapping | None) -> list[tuple[str, _Heading]]:
    """The hinted headings as ``(before text, heading)`` pairs, after validation."""
    if not hints:
        return []
    if not isinstance(hints, Mapping):
        raise DocumentError("hints must be a JSON object")
    unknown = sorted(set(hints) - _HINT_KEYS)
    if unknown:
        raise DocumentError(f"unknown hint key(s): {', '.join(map(str, unknown))}")
    headings = hints.get("headings", [])
    if not isinstance(headings, list):
        raise DocumentError('hint "headings" must be a list')
    parsed = []
    for number, heading in enumerate(headings, start=1):
        where = f"heading hint {number}"
        if not isinstance(heading, Mapping):
            raise DocumentError(f"{where} must be an object")
        unknown = sorted(set(heading) - _HINT_HEADING_KEYS)
        if unknown:
            raise DocumentError(
                f"{where} has unknown key(s): {', '.join(map(str, unknown))}"
            )
        before, title = heading.get("before"), heading.get("title")
        level = heading.get("level", 1)
        if not isinstance(before, str) or not before.strip():
            raise DocumentError(f'{where} needs a non-empty "before" text')
        if not isinstance(title, str) or not title.strip():
            raise DocumentError(f'{where} needs a non-empty "title"')
        if level not in (1, 2) or isinstance(level, bool):
            raise DocumentError(f'{where} has "level" {level!r}; use 1 or 2')
        parsed.append((before, _Heading(title.strip(), level)))
    return parsed


def _apply_hints(
    blocks: list[_Block], hints: Mapping | None
) -> list[_Block | _Heading]:
    items: list[_Block | _Heading] = list(blocks)
    starts = [_normalise_for_hint(block.text) for block in blocks]
    inserts: dict[int, list[_Heading]] = {}
    for before, heading in _validated_hints(hints):
        wanted = _normalise_for_hint(before)
        index = next((i for i, s in enumerate(starts) if s.startswith(wanted)), None)
        if index is None:
            raise DocumentError(
                f'heading hint "{heading.title}": no paragraph starts with "{before}"'
            )
        inserts.setdefault(index, []).append(heading)
    for index in sorted(inserts, reverse=True):
        items[index:index] = inserts[index]
    return items


def _content_words(text: str, exclude: Iterable[str] = ()) -> list[str]:
    excluded = _MentionIndex(exclude)
    words = []
    for word in _words(text):
        if (
            word not in _STOP_WORDS
            and not excluded.mentions(word)
            and word not in words
        ):
            words.append(word)
    return words


def _words(text: str) -> list[str]:
    words = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        words.append(word)
    return words


class _MentionIndex:
    """Answers "is this word mentioned?" for a body of words (see rule 5)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = set(words)
        self.prefixes = {word[:5] for word in self.words if len(word) >= 5}

    def mentions(self, word: str) -> bool:
        return word in self.words or (len(word) >= 5 and word[:5] in self.prefixes)


def _nests_under(
    heading_words: list[str], parent_words: list[str], parent_body: _MentionIndex
) -> bool:
    if not heading_words or len(heading_words) > len(parent_words):
        return False
    mentioned = sum(1 for word in heading_words if parent_body.mentions(word))
    return mentioned * 3 >= len(heading_words) * 2


def _render_block(lines: list[str]) -> str:
    """A block of text as Markdown: paragraphs verbatim, bullets as lists."""
    groups: list[list[str]] = []
    in_list = False
    indents: list[int] = []
    item_indent = ""
    for raw in lines:
        match = _BULLET.match(raw)
        if match:
            if not in_list:
                groups.append([])
                in_list, indents = True, []
            indent = len(match["indent"].expandtabs(4))
            while len(indents) > 1 and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            depth = len(indents) - 1
            marker = f"{int(match['number'])}." if match["number"] else "-"
            groups[-1].append(f"{'    ' * depth}{marker} {match['text'].rstrip()}")
            item_indent = " " * (4 * depth + len(marker) + 1)
        elif in_list and raw[:1].isspace():
            groups[-1].append(item_indent + raw.strip())
        else:
            if in_list or not groups:
                groups.append([])
                in_list = False
            groups[-1].append(raw.strip())
    return "\n\n".join("\n".join(group) for group in groups)


def parse_plain_text(text: str, *, hints: dict | None = None) -> ParsedDocument:
    """Guess the structure of a plain-text document (see the module docstring)."""
    blocks = _split_blocks(_normalise_newlines(text))
    if not blocks:
        raise DocumentError("the document is empty")

    first = blocks[0]
    raw_title = first.lines[0].strip()
    title = clean_title(raw_title)
    rest = blocks[1:]
    if len(first.lines) > 1:
        rest.insert(0, _Block(first.lines[1:]))
    if rest and rest[0].text.strip() in (title, raw_title):
        rest = rest[1:]

    items = _apply_hints(rest, hints)

    # Rule 2, decided backwards: a heading needs body text right after it.
    is_heading = [False] * len(items)
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if isinstance(item, _Heading):
            is_heading[index] = True
        elif index + 1 < len(items) and not is_heading[index + 1]:
            is_heading[index] = _is_heading_like(item)

    intro_blocks: list[str] = []
    # Each entry: heading, rendered body blocks, raw words of the body.
    sections: list[tuple[_Heading, list[str], list[str]]] = []
    for item, heading in zip(items, is_heading, strict=True):
        if isinstance(item, _Heading):
            sections.append((item, [], []))
        elif heading:
            sections.append((_Heading(item.lines[0].strip()), [], []))
        else:
            rendered = _render_block(item.lines)
            if sections:
                sections[-1][1].append(rendered)
                sections[-1][2].extend(_words(item.text))
            else:
                intro_blocks.append(rendered)
    if not sections:
        raise DocumentError(
            "no section headings found: a heading is a short line on its own "
            "(at most 12 words, starting with a capital letter or a digit, not "
            "ending in punctuation) with a blank line before it and a paragraph "
            "right after it"
        )

    title_words = _words(title)
    tree: list[_Section] = []
    parent_words: list[str] = []
    parent_body = _MentionIndex(())
    for heading, body_blocks, body_words in sections:
        section = _Section(heading.title, heading.title, "\n\n".join(body_blocks))
        words = _content_words(heading.title, title_words)
        if heading.level is None:
            nested = bool(tree) and _nests_under(words, parent_words, parent_body)
        else:
            nested = heading.level == 2 and bool(tree)
        if nested:
            tree[-1].children.append(section)
        else:
            tree.append(section)
            parent_words, parent_body = words, _MentionIndex(body_words)
    return _assemble(title, "\n\n".join(intro_blocks), tree, "text")


# --------------------------------------------------------------------------
# Markdown

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_NOT_PARAGRAPH_START = re.compile(r"^\s*(?:[>*+-]\s|\d{1,9}[.)]\s|<|\|)")


@dataclass
class _MarkdownHeading:
    level: int
    text: str
    first: int  # index of its first line
    end: int  # index after its last line


def _markdown_headings(lines: list[str]) -> list[_MarkdownHeading]:
    headings: list[_MarkdownHeading] = []
    fence: str | None = None
    previous_blank = True
    previous_is_paragraph_start = False
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            previous_blank, previous_is_paragraph_start = True, False
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            previous_blank, previous_is_paragraph_start = True, False
            continue
        atx = _ATX_HEADING.match(line)
        underline = _SETEXT_UNDERLINE.match(line)
        if atx:
            headings.append(
                _MarkdownHeading(
                    len(atx.group(1)), atx.group(2).strip(), index, index + 1
                )
            )
            previous_blank, previous_is_paragraph_start = True, False
            continue
        if underline and previous_is_paragraph_start:
            level = 1 if underline.group(1).startswith("=") else 2
            headings.append(
                _MarkdownHeading(level, lines[index - 1].strip(), index - 1, index + 1)
            )
            previous_blank, previous_is_paragraph_start = True, False
            continue
        blank = not line.strip()
        previous_is_paragraph_start = (
            not blank
            and previous_blank
            and not underline
            and not line.startswith(("    ", "\t"))
            and not _NOT_PARAGRAPH_START.match(line)
        )
        previous_blank = blank
    return headings


def parse_markdown(text: str) -> ParsedDocument:
    """Read a Markdown document, whose ``#`` levels give the structure.

    A single H1 that comes before every other heading is the course title, H2s
    are then the top-level sections and H3s their sub-sections; otherwise the
    shallowest heading level used gives the top-level sections and the next
    level down the sub-sections. Deeper headings, and ``#`` lines inside fenced
    code, stay in the lesson body. Setext headings (underlined with ``===`` or
    ``---``) count as H1 and H2. Text before the first section is the
    introduction. Without an H1 title, the first line's text is the title.
    """
    lines = _normalise_newlines(text).split("\n")
    headings = _markdown_headings(lines)
    h1s = [heading for heading in headings if heading.level == 1]
    title_heading = None
    if len(h1s) == 1 and headings[0] is h1s[0]:
        title_heading = headings.pop(0)
    if not headings:
        raise DocumentError(
            "no section headings found: start each section with a Markdown "
            "heading such as '## Section title'"
        )
    if title_heading is not None:
        title = title_heading.text
    else:
        first_line = next(line for line in lines if line.strip())
        atx = _ATX_HEADING.match(first_line)
        title = atx.group(2).strip() if atx else first_line.strip()

    top = min(heading.level for heading in headings)
    sections = [heading for heading in headings if heading.level <= top + 1]

    def body_between(start: int, end: int) -> str:
        kept = [
            line
            for index, line in enumerate(lines[start:end], start=start)
            if title_heading is None
            or not title_heading.first <= index < title_heading.end
        ]
        return _strip_blank_lines(kept)

    intro = body_between(0, sections[0].first)
    tree: list[_Section] = []
    for index, heading in enumerate(sections):
        end = sections[index + 1].first if index + 1 < len(sections) else len(lines)
        section = _Section(heading.text, heading.text, body_between(heading.end, end))
        if heading.level > top and tree:
            tree[-1].children.append(section)
        else:
            tree.append(section)
    return _assemble(title, intro, tree, "markdown")


# --------------------------------------------------------------------------
# JSON course export


class _LocatedObject(dict):
    """A decoded JSON object that remembers the line its ``{`` was on."""

    line: int = 1


def _located_decoder(text: str) -> json.JSONDecoder:
    # The pure-Python scanner consults ``parse_object`` (the C one does not), so
    # hooking it lets every object carry its line number for error messages.
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, strict, scan_once, object_hook, pairs_hook, memo):
        line = bisect_right(line_starts, s_and_end[1] - 1)
        value, end = json.decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, pairs_hook, memo
        )
        located = _LocatedObject(value)
        located.line = line
        return located, end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder


def _field(obj: object, key: str, kind: type, where: str, line: int, default=None):
    if not isinstance(obj, dict):
        raise DocumentError(f"{where} must be a JSON object", line=line)
    if key not in obj:
        if default is not None:
            return default
        raise DocumentError(f'{where} is missing the key "{key}"', line=line)
    value = obj[key]
    if not isinstance(value, kind):
        expected = {str: "a string", list: "a list"}[kind]
        raise DocumentError(f'{where}: "{key}" must be {expected}', line=line)
    return value


def _line(obj: object, fallback: int) -> int:
    return getattr(obj, "line", fallback)


def parse_course_json(text: str) -> ParsedDocument:
    """Read back a course exported as JSON, keeping its titles, slugs and bodies.

    Keys other than the ones the outline needs (``description``, ``quizzes`` ...)
    are ignored. A lesson without ``source_heading`` gets an empty one.
    """
    try:
        data = _located_decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise DocumentError("not valid JSON: nested too deeply") from None
    course_line = _line(data, 1)
    title = _field(data, "title", str, "the course", course_line)
    modules_data = _field(data, "modules", list, "the course", course_line)

    lesson_slugs: set[str] = set()
    module_slugs: set[str] = set()
    modules = []
    position = 0
    for module_number, module_data in enumerate(modules_data, start=1):
        where = f"module {module_number}"
        line = _line(module_data, course_line)
        module_title = _field(module_data, "title", str, where, line)
        module_slug = _field(module_data, "slug", str, where, line)
        lessons_data = _field(module_data, "lessons", list, where, line)
        _claim_slug(module_slug, module_slugs, where, line)
        lessons = []
        for lesson_number, lesson_data in enumerate(lessons_data, start=1):
            where = f"lesson {lesson_number} of module {module_number}"
            line = _line(lesson_data, _line(module_data, course_line))
            body = _field(lesson_data, "body_markdown", str, where, line)
            lesson = ParsedLesson(
                title=_field(lesson_data, "title", str, where, line),
                slug=_field(lesson_data, "slug", str, where, line),
                body_markdown=body,
                source_heading=_field(
                    lesson_data, "source_heading", str, where, line, ""
                ),
                position=position,
                checksum=checksum(body),
            )
            _claim_slug(lesson.slug, lesson_slugs, where, line)
            lessons.append(lesson)
            position += 1
        modules.append(
            ParsedModule(
                title=module_title,
                slug=module_slug,
                source_heading=_module_source_heading(module_data, lessons),
                lessons=tuple(lessons),
            )
        )
    return ParsedDocument(
        title=title, modules=tuple(modules), source_format="json", export=data
    )


def _module_source_heading(module: dict, lessons: list[ParsedLesson]) -> str:
    """The export has no module heading; a module's own lesson carries it."""
    if isinstance(module.get("source_heading"), str):
        return module["source_heading"]
    if lessons and lessons[0].title == module["title"]:
        return lessons[0].source_heading
    return module["title"]


def _claim_slug(slug: str, taken: set[str], where: str, line: int) -> None:
    if not slug.strip():
        raise DocumentError(f'{where} has an empty "slug"', line=line)
    if slug in taken:
        raise DocumentError(f'{where} repeats the slug "{slug}"', line=line)
    taken.add(slug)
