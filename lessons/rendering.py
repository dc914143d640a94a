"""Markdown to safe HTML, and the text statistics shown beside a lesson.

Lessons are rendered once, when they are saved or imported, and stored; pages print
the stored HTML. Everything goes through the same pipeline, so what an instructor
previews in the admin is exactly what a student sees:

1. python-markdown turns Markdown (with tables, fenced code, footnotes, definition
   lists and sane lists) into HTML. Raw HTML inside the Markdown is passed through to
   step 2, never trusted.
2. nh3 (ammonia) cleans the HTML against an allow-list of tags, attributes and URL
   schemes: ``<script>``, ``<style>``, ``<iframe>``, event handlers, ``style``
   attributes and ``javascript:``/``data:`` URLs are removed; links get
   ``rel="noopener"``.

Text that ``markdown_guard`` refuses (nested too deeply, too long, or shaped to make
python-markdown slow) is never handed to python-markdown: forms and importers
refuse it with the guard's message, and if such text is already stored it is shown
escaped, as preformatted text, rather than failing the page.
"""

import html as html_module
import logging
import re
import threading

import markdown
import nh3
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from lessons.markdown_guard import markdown_problems

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
        "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "*": {"id", "class", "lang", "dir"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_MARKDOWN_EXTENSIONS = [
    "markdown.extensions.tables",
    "markdown.extensions.fenced_code",
    "markdown.extensions.footnotes",
    "markdown.extensions.def_list",
    "markdown.extensions.abbr",
    "markdown.extensions.sane_lists",
]
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML against the allow-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


_local = threading.local()


def _parser() -> markdown.Markdown:
    # Building a Markdown instance (and its extensions) costs more than rendering a
    # lesson, so each thread keeps one and resets it between documents.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = markdown.Markdown(
            extensions=_MARKDOWN_EXTENSIONS, output_format="html"
        )
        _local.parser = parser
    return parser


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML (text the guard refuses: escaped, in
    ``<pre>``)."""
    problems = markdown_problems(text)
    if problems:
        logger.warning(
            "Markdown not rendered (%s): %d characters", problems[0], len(text)
        )
        return _preformatted(text)
    parser = _parser()
    try:
        html = parser.convert(_separate_callouts(text))
    except BaseException as error:
        # A conversion cut short leaves state that ``reset`` does not clear (the
        # block parser's stack of open lists): the next text would render wrongly.
        _local.parser = None
        if not isinstance(error, RecursionError):
            raise
        # The guard bounds nesting; this is the last line of defence.
        logger.exception("Markdown nested too deeply: %d characters", len(text))
        return _preformatted(text)
    parser.reset()
    return sanitise_html(_callouts(html))


# GitHub's alert syntax, which the importer also writes for other tools'
# admonitions (``:::tip``, ``!!! note``, ``.. note::``): a blockquote whose first
# line is ``[!NOTE]``, ``[!TIP]``, ``[!IMPORTANT]``, ``[!WARNING]`` or
# ``[!CAUTION]`` is shown as a callout box (styles in static/css/site.css).
_CALLOUT = re.compile(
    r"<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(\n|</p>\s*)"
)
_CALLOUT_LABELS = {
    "note": gettext_lazy("Note"),
    "tip": gettext_lazy("Tip"),
    "important": gettext_lazy("Important"),
    "warning": gettext_lazy("Warning"),
    "caution": gettext_lazy("Caution"),
}


_ALERT_START = re.compile(r"^ {0,3}>[ \t]*\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _separate_callouts(text: str) -> str:
    """An empty HTML comment between a quote and the callout after it:
    Python-Markdown joins blockquotes that only a blank line separates, which
    would put the second callout's ``[!NOTE]`` inside the first as text. Code
    fences are left as written."""
    if "[!" not in text:
        return text
    out: list[str] = []
    fence, quote_before, blank_since = "", False, False
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            closing = opening.group(1) if opening else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence = ""
        elif opening:
            fence, quote_before = opening.group(1), False
        elif not line.strip():
            blank_since = True
        else:
            if quote_before and blank_since and _ALERT_START.match(line):
                out.extend(["<!-- -->", ""])
            quote_before, blank_since = line.lstrip().startswith(">"), False
        out.append(line)
    return "\n".join(out)


def _callouts(html: str) -> str:
    def callout(match: re.Match) -> str:
        kind = match.group(1).lower()
        opening = (
            f'<blockquote class="callout callout-{kind}">\n'
            f'<p class="callout-title">{escape(_CALLOUT_LABELS[kind])}</p>\n'
        )
        return opening + ("<p>" if match.group(2) == "\n" else "")

    return _CALLOUT.sub(callout, html)


def _preformatted(text: str) -> str:
    return f'<pre class="markdown-unrendered">{escape(text)}</pre>'


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# A lesson with sub-headings opens with a short list of them (the shallowest
# level), each linking to its heading, which gets an id for it.
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_CONTENTS_MIN_HEADINGS = 2


def render_lesson(text: str) -> str:
    """A lesson body's HTML: :func:`render_markdown`, plus a contents list when
    the body has two or more headings."""
    html = render_markdown(text)
    found = list(_HEADING.finditer(html))
    if len(found) < _CONTENTS_MIN_HEADINGS:
        return html
    top = min(int(match.group(1)) for match in found)
    taken: set[str] = set()
    entries: list[str] = []

    def add_id(match: re.Match) -> str:
        level, inner = match.group(1), match.group(2)
        label = nh3.clean(inner, tags=set()).strip()
        base = f"section-{slugify(html_module.unescape(label)) or 'part'}"
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        if int(level) == top:
            entries.append(f'<li><a href="#{anchor}">{label}</a></li>')
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    html = _HEADING.sub(add_id, html)
    if len(entries) < _CONTENTS_MIN_HEADINGS:
        return html
    title = escape(gettext_lazy("In this lesson"))
    contents = (
        f'<div class="lesson-contents"><p class="lesson-contents-title">{title}</p>'
        f"<ul>{''.join(entries)}</ul></div>\n"
    )
    return contents + html
