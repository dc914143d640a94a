"""Which Markdown text is safe to hand to python-markdown (pure, linear time).

python-markdown is recursive and, on some shapes of text, quadratic: a list nested
a few hundred levels deep raises RecursionError; an unclosed ``[`` or ``](`` makes
its link patterns scan to the end of the paragraph from every bracket, and Python's
HTML parser to the end of the text from every unclosed "<tag"; thousands of
headings, rules or definitions in one block are re-split once per line; every
inline match rebuilds its paragraph's string. (Found by profiling and by fuzzing
python-markdown 3.11.) None of this happens in text people write, so the
guard refuses such text, with a message saying what to change, instead of working
around it inside the renderer. What it accepts renders in well under a second
(``bench/markdown_bench.py`` keeps a table of the worst shapes within the limits).

``markdown_problems(text)`` reads the text as python-markdown would (line endings,
tabs, fenced code set aside) in a few linear passes, without running Markdown,
and returns the problems (translated sentences; [] if the text is fine).
The limits come from settings ``MARKDOWN_MAX_CHARS`` and ``MARKDOWN_MAX_DEPTH``.
"""

import re
from bisect import bisect_left
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown.extensions.fenced_code import FencedBlockPreprocessor

DEFAULT_MAX_CHARS = 100_000
DEFAULT_MAX_DEPTH = 20
# Definitions (": text" lines) without a blank line between them: python-markdown
# parses each one inside the previous one, so they nest as deeply as lists do.
MAX_DEFINITIONS_PER_BLOCK = 50

# The estimated rendering time above which text is refused, and the weights of the
# estimate (seconds), measured on python-markdown 3.x:
# - per pair of structural lines in one block (headings, rules and setext
#   underlines re-split the block once per line; link and abbreviation
#   definitions likewise, at a higher cost);
# - per character the link patterns scan from an unclosed bracket;
# - per character copied when an inline match rebuilds its paragraph;
# - per list item, per pair of blocks;
# - per character copied when a fenced code block is set aside;
# - per character the HTML parser scans from a "<" that may open a tag;
# - per pair of references to the same footnote.
# The estimate is an upper bound; the budget leaves room for slower hosts.
COST_BUDGET = 0.3
_COST_PER_LINE_PAIR = 5e-7
_COST_PER_DEFINITION_PAIR = 1e-6
_COST_PER_BRACKET_STEP = 2.5e-7
_COST_PER_COPIED_CHAR = 2.5e-9
_COST_PER_BLOCK_PAIR = 8e-9
_COST_PER_LIST_ITEM = 2e-5
_COST_PER_FENCE_COPIED_CHAR = 1e-9
_COST_PER_TAG_STEP = 4e-8
_COST_PER_FOOTNOTE_PAIR = 3e-6

_BLANK = re.compile(r"\n[ \t]*(?:\n|$)")
# A line's container prefix: blockquote markers and indentation.
_PREFIX = re.compile(r"[ >]*")
_LIST_MARKER = re.compile(r"(?:[*+-]|\d+[.)])(?:[ \t]|$)")
# A list or quote marker standing on its own: after the start of the line, a space
# or a ">" (the end of raw HTML), before a space, a ">" or the end.
_NESTING_MARKER = re.compile(r"(?<![^\s>])(?:[*+-]|\d+[.)]|>)(?=[\s>]|$)")
# A horizontal rule ("- - -", "***"): not a list, however many markers it has.
_RULE = re.compile(r"[-*_][-*_ ]*$")
_LIST_ITEM = re.compile(r"[ \t>]*(?:[*+-]|\d+[.)])(?:[ \t]|$)")
_TAG_START = re.compile(r"<[a-zA-Z]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]]*)\]")
_TAG_EVENT = re.compile(r"[>'\"]")
# Characters that may start an inline pattern (each match rebuilds the paragraph).
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]!&<]|  \n")
# Lines after which python-markdown re-splits the rest of the block: headings,
# rules and setext underlines.
_STRUCTURAL = re.compile(r"[ \t>]*(?:#|[-*_=][-*_= \t]*$)")
# Link and abbreviation definitions ("[id]: url", "*[HTML]: ..."): likewise.
_DEFINITION = re.compile(r"[ \t>]*\*?\[[^\]]*\]:")


# python-markdown's own pattern: fenced code is set aside before any other parsing,
# so nothing in it nests or costs inline work.
_FENCED_CODE = FencedBlockPreprocessor.FENCED_BLOCK_RE


def _normalised(text: str) -> tuple[str, float]:
    """The text as python-markdown reads it (``NormalizeWhitespace``): any line
    ending is ``\n``, tabs are expanded, whitespace-only lines are blank; fenced
    code blocks (without ``{attributes}``, which it may refuse) become one line.
    Also the cost of setting the fenced blocks aside (one copy of the text each).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = re.sub(r"(?<=\n) +\n", "\n", text)
    length = len(text)
    text, fenced = _FENCED_CODE.subn(
        lambda m: m.group(0) if m.group("attrs") is not None else "code", text
    )
    return text, _COST_PER_FENCE_COPIED_CHAR * fenced * length


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "MARKDOWN_MAX_CHARS", DEFAULT_MAX_CHARS),
        getattr(settings, "MARKDOWN_MAX_DEPTH", DEFAULT_MAX_DEPTH),
    )


def _line_depth(line: str) -> int:
    """How many containers (quotes, list levels) a line may open, at most.

    A list item's text may start with another list marker or a quote, also once
    raw HTML before it is set aside ("1. <!-- -->1. > - a"), so every marker
    standing on its own in the line counts, wherever it is.
    """
    prefix = _PREFIX.match(line).group()
    quotes = prefix.count(">")
    rest = line[len(prefix) :]
    if _RULE.match(rest):
        return quotes
    markers = len(_NESTING_MARKER.findall(rest))
    if markers and _LIST_MARKER.match(rest):
        # Each quote marker may be followed by one space that is not indentation.
        columns = max(0, len(prefix) - 2 * quotes)
        return quotes + markers + columns // 4
    return quotes + markers


def _bracket_steps(block: str, opening: str, closing: str) -> int:
    """Characters the link patterns scan from the ``opening`` brackets of a block:
    from each one to its matching ``closing`` one, or to the end when unmatched."""
    steps = 0
    stack: list[int] = []
    # A backslash-escaped bracket is text by the time the link patterns run.
    brackets = r"\\.|" + re.escape(opening) + "|" + re.escape(closing)
    for match in re.finditer(brackets, block, re.DOTALL):
        if match.group() == opening:
            stack.append(match.start())
        elif match.group() == closing and stack:
            steps += match.start() - stack.pop()
    end = len(block)
    return steps + sum(end - start for start in stack)


def _tag_scan_steps(text: str) -> int:
    """Characters Python's HTML parser (which python-markdown runs over the whole
    text for raw HTML) scans from each ``<`` that may open a tag: to the next ``>``
    outside a quoted attribute value, or to the end of the text."""
    events = [match.start() for match in _TAG_EVENT.finditer(text)]
    count = len(events)
    # end[k]: where the scan stops when it reaches events[k] outside any quotes.
    end = [len(text)] * (count + 1)
    next_quote = {"'": count, '"': count}
    for k in range(count - 1, -1, -1):
        char = text[events[k]]
        if char == ">":
            end[k] = events[k]
        else:
            # A quoted value runs to its closing quote (if any), ">" and all.
            closing = next_quote[char]
            end[k] = end[closing + 1] if closing < count else end[k + 1]
            next_quote[char] = k
    return sum(
        end[bisect_left(events, match.start())] - match.start()
        for match in _TAG_START.finditer(text)
    )


def _block_cost(block: str) -> float:
    lines = block.split("\n")
    structural = sum(1 for line in lines if _STRUCTURAL.match(line))
    definitions = sum(1 for line in lines if _DEFINITION.match(line))
    items = sum(1 for line in lines if _LIST_ITEM.match(line))
    specials = len(_INLINE_SPECIAL.findall(block))
    # Four link patterns scan from "[", two from "(" (after "]").
    scanned = 4 * _bracket_steps(block, "[", "]") + 2 * _bracket_steps(block, "(", ")")
    return (
        _COST_PER_LINE_PAIR * structural * structural
        + _COST_PER_DEFINITION_PAIR * definitions * definitions
        + _COST_PER_LIST_ITEM * items
        + _COST_PER_BRACKET_STEP * scanned
        + _COST_PER_COPIED_CHAR * specials * len(block)
    )


def markdown_cost(text: str) -> float:
    """The estimated worst-case rendering time of ``text``, in seconds."""
    text, fences_cost = _normalised(text)
    return fences_cost + _cost(text)


def _cost(text: str) -> float:
    blocks = _BLANK.split(text)
    # Each reference to a footnote looks through the earlier references to it.
    footnotes = Counter(_FOOTNOTE_REF.findall(text))
    return (
        _COST_PER_BLOCK_PAIR * len(blocks) * len(blocks)
        + _COST_PER_TAG_STEP * _tag_scan_steps(text)
        + _COST_PER_FOOTNOTE_PAIR * sum(n * n for n in footnotes.values())
    ) + sum(_block_cost(block) for block in blocks)


# One line this short costs at most a tenth of the budget whatever it holds
# (quadratic worst case: 300 "[" ~ 0.05 s; tests/lessons/test_markdown_guard.py
# checks the bound), so its cost is not worked out: bank files are mostly
# such lines (a 10 MB GIFT bank holds ~125,000 texts).
_CHEAP_LINE_CHARS = 300


def _surely_cheap(text: str) -> bool:
    return len(text) <= _CHEAP_LINE_CHARS and "\n" not in text


def markdown_problems(text: str) -> list[str]:
    """Why ``text`` cannot be rendered safely; [] if it can."""
    max_chars, max_depth = _limits()
    if len(text) > max_chars:
        return [
            _(
                "The text is too long: %(length)d characters, at most %(max)d. "
                "Split it into several parts."
            )
            % {"length": len(text), "max": max_chars}
        ]
    # Browsers post text areas with CRLF, code blocks hold anything: measure what
    # python-markdown parses.
    text, fences_cost = _normalised(text)
    problems = []
    depth = 0
    for block in _BLANK.split(text):
        lines = block.split("\n")
        depth = max(depth, max((_line_depth(line) for line in lines), default=0))
        definitions = sum(1 for line in lines if line.lstrip(" >").startswith(": "))
        if definitions > MAX_DEFINITIONS_PER_BLOCK:
            problems.append(
                _(
                    "A definition list has more than %(max)d definitions without a "
                    "blank line between them."
                )
                % {"max": MAX_DEFINITIONS_PER_BLOCK}
            )
            break
    if depth > max_depth:
        problems.append(
            _(
                "Lists or quotes are nested %(depth)d levels deep, at most %(max)d "
                "are allowed."
            )
            % {"depth": depth, "max": max_depth}
        )
    if (
        not problems
        and not _surely_cheap(text)
        and fences_cost + _cost(text) > COST_BUDGET
    ):
        problems.append(
            _(
                "The text is too complex to display: it has unclosed “[”, “(” or "
                "“<” (HTML tags), or too many headings, lines or markup characters "
                "in one paragraph. Close or escape them, or separate the paragraphs "
                "with blank lines."
            )
        )
    return problems


def validate_markdown(text: str) -> None:
    """Form-field validator: raise ``ValidationError`` with the guard's problems."""
    problems = markdown_problems(text or "")
    if problems:
        raise ValidationError(problems, code="markdown")
