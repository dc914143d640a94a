"""Markdown documents, whose ``#`` levels give the structure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lessons.importing.outline import (
    DocumentError,
    ParsedDocument,
    _assemble,
    _normalise_newlines,
    _Section,
    _strip_blank_lines,
)

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
