"""Markdown documents, whose ``#`` levels give the structure.

The reader finds every heading (ATX ``## Title`` and Setext underlined with
``===`` or ``---``; never inside fenced code or a blockquote) and hands them to the
structure rules of :mod:`lessons.importing.outline`, which make the levels
relative to the document. Before that:

* **Front matter** (a YAML block between ``---`` lines at the very top) is
  metadata: its ``title`` and ``description`` are used, and it never reaches a
  lesson body.
* **Admonitions** become callouts in GitHub's alert form (``> [!NOTE]``), which
  the renderer shows as a box: Docusaurus ``:::tip Title`` ... ``:::``, MkDocs
  ``!!! note "Title"`` / ``??? note`` with an indented body, PyMdown ``/// tip |
  Title`` ... ``///``, and HTML ``<details><summary>Title</summary>`` ...
  ``</details>`` (whose Markdown Python-Markdown would otherwise show as raw
  text). GitHub's own ``> [!NOTE]`` is kept as it is. Headings inside them are
  not sections.
* **Heading titles** lose what a reader does not see: attribute lists
  (``{#an-id}``, ``{ #id .class }``, MDX ``{/*id*/}``), HTML comments and tags,
  backslash escapes, emphasis marks, inline-code backticks and link targets.
* **Link definitions** (``[label]: url``, for ``[text][label]`` links and
  ``![alt][label]`` images) are often written once at the end of a chapter or
  after a paragraph: every lesson that uses a label defined in another lesson
  gets a copy of its definition at its end (a definition shows no text), so its
  links and images still work once the document is cut into lessons.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import (
    DocumentError,
    Heading,
    ParsedDocument,
    Reading,
    _normalise_newlines,
    _strip_blank_lines,
    build_document,
    checksum,
    indent_fences,
)

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_NOT_PARAGRAPH_START = re.compile(r"^\s*(?:[>*+-]\s|\d{1,9}[.)]\s|<|\|)")

#: A link reference definition on one line: ``[label]: url "title"`` (not a
#: footnote's ``[^1]:``); its label and destination.
LINK_DEFINITION = re.compile(
    r"^ {0,3}\[(?!\^)(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?.*$", re.MULTILINE
)
_BRACKETED = re.compile(r"\[([^\[\]\n]+(?:\n[^\[\]\n]+)*)\]")

NO_HEADINGS = _("start each section with a Markdown heading such as '## Section title'")


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


# --------------------------------------------------------------------------
# Heading titles

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTRIBUTE_LIST = re.compile(r"\{\s*(?:[#.:][^{}]*|/\*.*?\*/|[\w-]+=[^{}]*)\}")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^()]*\)|\[[^\]]*\])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE_SPAN = re.compile(r"((?<!\\)`+[^`]*`+)")
_STAR_EMPHASIS = re.compile(r"(?<![\\*])(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s\\*])\1(?!\*)")
_UNDERSCORE_EMPHASIS = re.compile(
    r"(?<![\\\w])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s\\_])\1(?![\w_])"
)


def _strip_emphasis(text: str) -> str:
    """``*a*``, ``**a**``, ``_a_`` -> ``a``, outside code spans; escaped stars and
    underscores inside words (snake_case) stay."""
    parts = _CODE_SPAN.split(text)
    for index in range(0, len(parts), 2):
        part = _STAR_EMPHASIS.sub(r"\2", parts[index])
        parts[index] = _UNDERSCORE_EMPHASIS.sub(r"\2", part)
    return "".join(parts)


#: Longer headings are only trimmed (nobody writes them; the cleaning below is
#: not meant for them).
_CLEANED_HEADING_MAX = 1000


def _strip_attribute_lists(text: str) -> str:
    """Trailing ``{...}`` attribute lists, found from the last ``{``."""
    while True:
        stripped = text.rstrip()
        start = stripped.rfind("{")
        if not stripped.endswith("}") or start < 0:
            return text
        if not _ATTRIBUTE_LIST.fullmatch(stripped[start:]):
            return text
        text = stripped[:start]


def clean_heading(text: str) -> str:
    """A heading's text as a reader sees it (see the module docstring)."""
    if len(text) > _CLEANED_HEADING_MAX:
        return " ".join(text.split())
    without_comments = _HTML_COMMENT.sub("", text)
    if without_comments != text and text.lstrip().startswith("<!--"):
        # An icon placeholder, then "– Title": the dash went with the icon.
        without_comments = without_comments.lstrip().lstrip("–—-").lstrip()
    text = _strip_attribute_lists(without_comments)
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _strip_emphasis(text)
    # Backticks go unless escaped; then escapes are undone.
    text = re.sub(r"(?<!\\)`", "", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------
# Front matter

_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The front matter's plain ``key: value`` pairs, and how many lines it spans.

    Only scalar values are read (``title``, ``description``; a folded ``>`` or
    literal ``|`` value over indented lines too); anything else is skipped.
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next(
        (i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None
    )
    if end is None:
        return {}, 0
    block = lines[1:end]
    if block and not any(_FRONT_MATTER_KEY.match(line) for line in block):
        return {}, 0  # a thematic break, not front matter
    values: dict[str, str] = {}
    index = 0
    while index < len(block):
        match = _FRONT_MATTER_KEY.match(block[index])
        index += 1
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if value in ("", ">", "|", ">-", "|-"):
            continued = []
            while index < len(block) and (
                block[index].startswith((" ", "\t")) or not block[index].strip()
            ):
                continued.append(block[index].strip())
                index += 1
            if continued and not continued[0].startswith("- "):
                joiner = "\n" if value.startswith("|") else " "
                values[key] = joiner.join(line for line in continued if line).strip()
        else:
            values[key] = _unquote(value)
    return values, end + 1


# --------------------------------------------------------------------------
# Admonitions

_KINDS = {
    "note": "NOTE", "info": "NOTE", "abstract": "NOTE", "summary": "NOTE",
    "tldr": "NOTE", "example": "NOTE", "quote": "NOTE", "cite": "NOTE",
    "seealso": "NOTE", "details": "NOTE",
    "tip": "TIP", "hint": "TIP", "success": "TIP", "check": "TIP", "done": "TIP",
    "important": "IMPORTANT", "question": "IMPORTANT", "help": "IMPORTANT",
    "faq": "IMPORTANT",
    "warning": "WARNING", "attention": "WARNING", "caution": "WARNING",
    "danger": "CAUTION", "error": "CAUTION", "failure": "CAUTION", "fail": "CAUTION",
    "missing": "CAUTION", "bug": "CAUTION",
}  # fmt: skip
_DOCUSAURUS_OPEN = re.compile(r"^(\s*)(:{3,})\s*([A-Za-z][\w-]*)(?:\[(.*)\]|\s+(.*))?$")
_PYMDOWN_OPEN = re.compile(r"^(\s*)(/{3,})\s*([A-Za-z][\w-]*)\s*(?:\|\s*(.*))?$")
_MKDOCS_OPEN = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s*([A-Za-z][\w-]*)(?:\s+(.*))?$")
_DETAILS_OPEN = re.compile(r"^ {0,3}<details\b[^>]*>\s*$", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"^ {0,3}</details>\s*$", re.IGNORECASE)
_SUMMARY = re.compile(r"^\s*<summary\b[^>]*>(.*?)</summary>\s*$", re.IGNORECASE)


def _callout_start(kind: str, title: str) -> list[str]:
    """The first lines of a callout: ``> [!NOTE]`` and its title, if any."""
    alert = _KINDS.get(kind.lower(), "NOTE")
    title = _unquote(title or "").strip()
    if not title and kind.lower() not in _KINDS:
        title = kind.replace("-", " ").capitalize()
    if not title:
        return [f"> [!{alert}]"]
    return [f"> [!{alert}]", f"> **{title}**", ">"]


def _quote(lines: list[str], indent: int) -> list[str]:
    quoted = []
    lines = indent_fences(
        [line[indent:] if line[:indent].strip() == "" else line for line in lines]
    )
    indent = 0
    while lines and not lines[0].strip():
        lines = lines[1:]
    for line in lines:
        body = line[indent:] if line[:indent].strip() == "" else line.lstrip()
        quoted.append(f"> {body}".rstrip() if body.strip() else ">")
    while quoted and quoted[-1] == ">":
        quoted.pop()
    return quoted


def _convert_admonitions(lines: list[str]) -> tuple[list[str], list[int]]:
    """Admonitions as GitHub alerts; with each output line's source index."""
    out: list[str] = []
    origin: list[int] = []
    index = 0
    fence: str | None = None
    # Where each closing marker (":::", "///" ...) stands, to find one fast.
    closing: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        marker = line.strip()
        if len(marker) >= 3 and marker[0] in ":/" and not marker.strip(marker[0]):
            closing.setdefault(marker, []).append(number)

    def emit(new_lines: list[str], source: int) -> None:
        out.extend(new_lines)
        origin.extend([source] * len(new_lines))

    while index < len(lines):
        line = lines[index]
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            emit([line], index)
            index += 1
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            emit([line], index)
            index += 1
            continue
        fenced = _DOCUSAURUS_OPEN.match(line) or _PYMDOWN_OPEN.match(line)
        if fenced:
            marker = fenced.group(2)
            closes = closing.get(marker, [])
            found = bisect_right(closes, index)
            close = closes[found] if found < len(closes) else None
            if close is not None:
                title = fenced.group(4) or (
                    fenced.group(5) if fenced.re is _DOCUSAURUS_OPEN else ""
                )
                inner, _ = _convert_admonitions(lines[index + 1 : close])
                indent = len(fenced.group(1))
                emit(["", *_callout_start(fenced.group(3), title or "")], index)
                emit(_quote(inner, indent), index + 1)
                emit([""], close)
                index = close + 1
                continue
        mkdocs = _MKDOCS_OPEN.match(line)
        if mkdocs:
            indent = len(mkdocs.group(1))
            end = index + 1
            last = index
            while end < len(lines):
                candidate = lines[end]
                if candidate.strip():
                    if len(candidate) - len(candidate.lstrip()) < indent + 4:
                        break
                    last = end
                end += 1
            if last > index:
                inner, _ = _convert_admonitions(
                    [row[indent + 4 :] for row in lines[index + 1 : last + 1]]
                )
                start = _callout_start(mkdocs.group(2), mkdocs.group(3) or "")
                emit(["", *start], index)
                emit(_quote(inner, 0), index + 1)
                emit([""], last)
                index = last + 1
                continue
        if _DETAILS_OPEN.match(line):
            close = _details_close(lines, index)
            if close is not None:
                summary = _SUMMARY.match(lines[index + 1] if index + 1 < close else "")
                first = index + 2 if summary else index + 1
                inner, _ = _convert_admonitions(lines[first:close])
                title = clean_heading(summary.group(1)) if summary else ""
                emit(["", *_callout_start("details", title)], index)
                emit(_quote(inner, 0), first)
                emit([""], close)
                index = close + 1
                continue
        emit([line], index)
        index += 1
    return out, origin


def _details_close(lines: list[str], start: int) -> int | None:
    """The line closing the ``<details>`` opened at ``start`` (none nested in
    it, outside code fences), or None."""
    fence = ""
    for number in range(start + 1, len(lines)):
        line = lines[number]
        opening = _FENCE.match(line)
        if fence:
            closing = opening.group(1) if opening else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif _DETAILS_OPEN.match(line):
            return None
        elif _DETAILS_CLOSE.match(line):
            return number
    return None


# --------------------------------------------------------------------------
# The reader


def read_markdown(text: str) -> Reading:
    """A Markdown document's headings, bodies and metadata, for the structure rules."""
    lines = _normalise_newlines(text).split("\n")
    warnings: list[str] = []
    meta, skipped = _front_matter(lines)
    if skipped:
        warnings.append(_("front matter used as metadata, not shown in lessons"))
    lines, origin = _convert_admonitions(lines[skipped:])
    origin = [index + skipped for index in origin]
    found = _markdown_headings(lines)

    def body_between(start: int, end: int) -> str:
        return _strip_blank_lines(lines[start:end])

    headings = []
    for index, heading in enumerate(found):
        end = found[index + 1].first if index + 1 < len(found) else len(lines)
        title = clean_heading(heading.text) or heading.text
        markup = f"{'#' * heading.level} {title}" if heading.level > 1 else ""
        if title == heading.text and heading.end - heading.first == 1:
            markup = lines[heading.first].strip()
        headings.append(
            Heading(
                level=heading.level,
                title=title,
                body=body_between(heading.end, end),
                line=origin[heading.first] + 1 if origin else None,
                markup=markup,
            )
        )
    intro = body_between(0, found[0].first) if found else ""
    first_line = next((line.strip() for line in lines if line.strip()), "")
    atx = _ATX_HEADING.match(first_line)
    if atx:
        first_line = clean_heading(atx.group(2))
    return Reading(
        headings=headings,
        intro=intro,
        title=clean_heading(meta.get("title", "")),
        description=meta.get("description", ""),
        first_line=first_line,
        warnings=warnings,
    )


def link_label(text: str) -> str:
    """A reference label as Markdown matches it: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def _link_definitions(lines: list[str]) -> dict[str, str]:
    """Each label's definition line (the first one wins, as in Markdown),
    outside fenced code."""
    definitions: dict[str, str] = {}
    fence = ""
    for line in lines:
        opening = _FENCE.match(line)
        if fence:
            closing = opening.group(1) if opening else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        found = LINK_DEFINITION.match(line)
        if found:
            definitions.setdefault(link_label(found.group("label")), line.strip())
    return definitions


def _carry_link_definitions(parsed: ParsedDocument, text: str) -> ParsedDocument:
    """Give each lesson the definitions of the labels it uses but does not
    define itself (see the module's docstring)."""
    definitions = _link_definitions(_normalise_newlines(text).split("\n"))
    if not definitions:
        return parsed
    modules = []
    for module in parsed.modules:
        lessons = []
        for lesson in module.lessons:
            body = lesson.body_markdown
            own = {
                link_label(found.group("label"))
                for found in LINK_DEFINITION.finditer(body)
            }
            used = dict.fromkeys(
                link_label(found.group(1)) for found in _BRACKETED.finditer(body)
            )
            carried = [
                definitions[label]
                for label in used
                if label in definitions and label not in own
            ]
            if carried:
                body = f"{body}\n\n" + "\n".join(carried)
                lesson = replace(lesson, body_markdown=body, checksum=checksum(body))
            lessons.append(lesson)
        modules.append(replace(module, lessons=tuple(lessons)))
    return replace(parsed, modules=tuple(modules))


def parse_markdown(text: str) -> ParsedDocument:
    """Read a Markdown document, whose heading levels give the structure.

    See this module's docstring for what is read, and
    :mod:`lessons.importing.outline` for how headings become modules and lessons.
    """
    try:
        reading = read_markdown(text)
    except RecursionError:
        raise DocumentError(_("admonitions nested too deeply")) from None
    parsed = build_document(reading, "markdown", no_headings=NO_HEADINGS)
    return _carry_link_definitions(parsed, text)
