"""reStructuredText documents (PEPs, Sphinx pages): docutils finds the sections.

docutils parses the document (unknown Sphinx roles and directives are tolerated,
file inclusion and raw HTML are off) and gives each section title with its
depth and line. Each section's body is the source between two titles, turned
into Markdown line by line so that every sentence is kept:

* literal blocks (``::`` and ``.. code-block::``/``code``/``sourcecode``) and
  tables become fenced code;
* admonitions (``.. note::``, ``.. warning::``, ``.. admonition:: Title`` ...)
  become callouts (``> [!NOTE]``), indented text a blockquote;
* other directives keep their argument (in bold) and their text; comments and
  link targets, which a reader does not see, are left out;
* inline markup: ``:role:`text``` becomes ``text`` in code (``:pep:`8``` becomes
  "PEP 8"), ```text <url>`_`` a Markdown link, ``#.`` list items numbered items.

A PEP's header block (``PEP: 8``, ``Title: ...``) is metadata: ``Title`` is the
course title.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import (
    DocumentError,
    Heading,
    ParsedDocument,
    Reading,
    _normalise_newlines,
    _strip_blank_lines,
    build_document,
    indent_fences,
    message_format,
)

NO_HEADINGS = _("start each section with a title underlined with = or - characters")

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")
_PEP_HEADER = re.compile(r"^([A-Z][\w-]*):\s*(.*)$")
_DIRECTIVE = re.compile(r"^\.\.\s+([\w:.-]+)::\s*(.*)$")
_EXPLICIT = re.compile(r"^\.\.(?:\s|$)")
_FOOTNOTE = re.compile(r"^\.\.\s+\[([^\]]+)\]\s*(.*)$")
_OPTION = re.compile(r"^:[\w-]+:")
_GRID_TABLE = re.compile(r"^\+[-=+]+\+\s*$")
_SIMPLE_TABLE = re.compile(r"^=+(?: +=+)+\s*$")
_ENUMERATED = re.compile(r"^(\s*)#\.(\s)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)]|#\.|\(?[A-Za-z0-9]\))\s")

_CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "literalinclude"})
_CALLOUTS = {
    "note": "NOTE", "hint": "TIP", "tip": "TIP", "important": "IMPORTANT",
    "attention": "WARNING", "warning": "WARNING", "caution": "WARNING",
    "danger": "CAUTION", "error": "CAUTION", "seealso": "NOTE", "admonition": "NOTE",
}  # fmt: skip
_INVISIBLE_DIRECTIVES = frozenset(
    {"currentmodule", "module", "highlight", "contents", "toctree", "index",
     "default-role", "meta", "sectnum", "include", "raw", "only", "tabularcolumns"}
)  # fmt: skip

_ROLE = re.compile(r":([\w:+-]+):`([^`]+)`")
_LINK = re.compile(r"`([^`<]+?)\s*<([^`>]+)>`__?")
_REFERENCE = re.compile(r"`([^`]+)`__?(?!\w)")


def _role(match: re.Match) -> str:
    role, text = match.group(1), match.group(2)
    shown = re.sub(r"\s*<[^>]*>$", "", text).lstrip("~!")
    if role == "pep":
        return f"PEP {shown}"
    if role == "rfc":
        return f"RFC {shown}"
    if role in ("ref", "doc", "term", "abbr", "dfn", "emphasis"):
        return shown
    if role == "strong":
        return f"**{shown}**"
    if "~" in text:
        shown = shown.rsplit(".", 1)[-1]
    return f"`{shown}`"


def _inline(line: str) -> str:
    line = _ROLE.sub(_role, line)
    line = _LINK.sub(lambda m: f"[{m.group(1)}]({m.group(2)})", line)
    line = _REFERENCE.sub(r"\1", line)
    return _ENUMERATED.sub(r"\g<1>1.\2", line)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block(lines: list[str], start: int, indent: int) -> int:
    """The index after the block of lines indented more than ``indent``."""
    end = start
    last = start
    while end < len(lines):
        if lines[end].strip():
            if _indent_of(lines[end]) <= indent:
                break
            last = end + 1
        end += 1
    return last


def _dedent(lines: list[str]) -> list[str]:
    indents = [_indent_of(line) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return [line[cut:] for line in lines]


def _quote(lines: list[str]) -> list[str]:
    lines = indent_fences(lines)
    quoted = [f"> {line}".rstrip() if line.strip() else ">" for line in lines]
    while quoted and quoted[-1] == ">":
        quoted.pop()
    return quoted


def _fence(lines: list[str], language: str = "") -> list[str]:
    body = _dedent(lines)
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    ticks = "```"
    while any(line.strip().startswith(ticks) for line in body):
        ticks += "`"
    return ["", f"{ticks}{language}", *body, ticks, ""]


def rst_to_markdown(lines: list[str]) -> list[str]:
    """A section body's lines, as Markdown (see the module docstring)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            out.append("")
            index += 1
            continue
        indent = _indent_of(line)
        stripped = line.strip()
        directive = _DIRECTIVE.match(stripped)
        if directive:
            end = _block(lines, index + 1, indent)
            content = _dedent(lines[index + 1 : end])
            while content and (
                _OPTION.match(content[0].strip()) or not content[0].strip()
            ):
                content.pop(0)
            name, argument = directive.group(1).lower(), directive.group(2).strip()
            if name in _CODE_DIRECTIVES:
                out += _fence(content, argument.split()[0] if argument else "")
            elif name in _CALLOUTS:
                head = [f"> [!{_CALLOUTS[name]}]"]
                if name == "admonition" and argument:
                    head += [f"> **{_inline(argument)}**", ">"]
                    argument = ""
                inner = ([argument, ""] if argument else []) + content
                out += ["", *head, *_quote(rst_to_markdown(inner)), ""]
            elif name in ("image", "figure"):
                out += ["", f"![]({argument})", ""]
                caption = [row for row in content if not _OPTION.match(row.strip())]
                out += rst_to_markdown(caption)
            elif name not in _INVISIBLE_DIRECTIVES:
                label = name.split(":")[-1].replace("-", " ").capitalize()
                shown = f"{label}: {_inline(argument)}" if argument else label
                out += ["", f"**{shown}**", "", *rst_to_markdown(content)]
            index = end
            continue
        if _EXPLICIT.match(stripped):
            end = _block(lines, index + 1, indent)
            footnote = _FOOTNOTE.match(stripped)
            if footnote:  # shown to readers: keep it as a paragraph
                rest = [row.strip() for row in lines[index + 1 : end]]
                out += ["", _inline(f"[{footnote.group(1)}] {footnote.group(2)}")]
                out += [_inline(row) for row in rest]
            index = end  # a comment or a link target: not shown
            continue
        if indent > 0:
            end = _block(lines, index, indent - 1)
            out += ["", *_quote(rst_to_markdown(_dedent(lines[index:end]))), ""]
            index = end
            continue
        if _GRID_TABLE.match(stripped) or _SIMPLE_TABLE.match(stripped):
            end = index + 1
            borders = 1
            while end < len(lines) and (
                lines[end].strip() or (_SIMPLE_TABLE.match(stripped) and borders < 3)
            ):
                if _SIMPLE_TABLE.match(lines[end].strip()):
                    borders += 1
                end += 1
                if _SIMPLE_TABLE.match(stripped) and borders == 3:
                    break
            out += _fence(lines[index:end])
            index = end
            continue
        # A paragraph (or list item): up to a blank line.
        end = index
        while end < len(lines) and lines[end].strip():
            if (
                end > index
                and _indent_of(lines[end]) > indent
                and not _LIST_ITEM.match(lines[index])
            ):
                break
            end += 1
        paragraph = [_inline(row) for row in lines[index:end]]
        literal = paragraph[-1].rstrip().endswith("::")
        if literal:
            last = paragraph[-1].rstrip()[:-2].rstrip()
            if last and not last.endswith(" ") and paragraph[-1].rstrip()[-3] != " ":
                last += ":"
            paragraph[-1] = last
            if not any(row.strip() for row in paragraph):
                paragraph = []
        out += paragraph
        index = end
        if literal:
            start = index
            while start < len(lines) and not lines[start].strip():
                start += 1
            if start < len(lines) and _indent_of(lines[start]) > indent:
                end = _block(lines, start, indent)
                out += _fence(lines[start:end])
                index = end
    return out


def _pep_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """A PEP's header fields (``Title: ...``) and the lines they span."""
    if not lines or not _PEP_HEADER.match(lines[0]):
        return {}, 0
    fields: dict[str, str] = {}
    index = 0
    key = None
    while index < len(lines) and lines[index].strip():
        match = _PEP_HEADER.match(lines[index])
        if match:
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif lines[index][:1].isspace() and key:
            fields[key] += " " + lines[index].strip()
        else:
            return {}, 0
        index += 1
    return (fields, index) if "title" in fields else ({}, 0)


def _section_titles(text: str) -> list[tuple[int, str, int]]:
    """(depth, title, line of the underline) of every section, from docutils."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from docutils.utils import SystemMessage

    settings = {
        "report_level": 5,
        "halt_level": 5,
        "doctitle_xform": False,
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "_disable_config": True,
        "warning_stream": io.StringIO(),
        "input_encoding": "unicode",
    }
    try:
        tree = publish_doctree(text, settings_overrides=settings)
    except (SystemMessage, RecursionError) as error:
        raise DocumentError(
            message_format(_("not valid reStructuredText: %(error)s"), {"error": error})
        ) from None
    except Exception as error:  # noqa: BLE001 (docutils on untrusted input)
        raise DocumentError(
            message_format(
                _("this reStructuredText could not be read (%(error)s)"),
                {"error": type(error).__name__},
            )
        ) from None
    found: list[tuple[int, str, int]] = []

    def walk(node, depth: int) -> None:
        for child in node.children:
            if isinstance(child, nodes.section):
                title = child[0]
                if title.line:
                    found.append((depth, " ".join(title.astext().split()), title.line))
                walk(child, depth + 1)

    walk(tree, 1)
    return found


def read_rst(text: str) -> Reading:
    """A reStructuredText document's sections and metadata, for the structure rules."""
    lines = _normalise_newlines(text).split("\n")
    header, skipped = _pep_header(lines)
    warnings = (
        [_("PEP header used as metadata, not shown in lessons")] if skipped else []
    )
    source = ["" for _ in range(skipped)] + lines[skipped:]
    titles = _section_titles("\n".join(source))
    # Where each title starts (its overline, if any) and where its body starts.
    spans = []
    for depth, title, line in titles:
        underline = line - 1
        if not (0 < underline < len(source) and _ADORNMENT.match(source[underline])):
            continue
        start = underline - 1
        if start > 0 and _ADORNMENT.match(source[start - 1]):
            start -= 1
        spans.append((depth, title, start, underline + 1))
    headings = []
    for number, (depth, title, start, body_start) in enumerate(spans):
        end = spans[number + 1][2] if number + 1 < len(spans) else len(source)
        body = _strip_blank_lines(rst_to_markdown(source[body_start:end]))
        headings.append(Heading(level=depth, title=title, body=body, line=start + 1))
    intro_end = spans[0][2] if spans else len(source)
    intro = _strip_blank_lines(rst_to_markdown(source[:intro_end]))
    first_line = next((line.strip() for line in source if line.strip()), "")
    return Reading(
        headings=headings,
        intro=intro,
        title=header.get("title", ""),
        first_line=first_line,
        warnings=warnings,
    )


def parse_rst(text: str) -> ParsedDocument:
    """Read a reStructuredText document (see this module's docstring)."""
    try:
        reading = read_rst(text)
    except RecursionError:
        raise DocumentError(_("indented blocks nested too deeply")) from None
    return build_document(reading, "rst", no_headings=NO_HEADINGS)
