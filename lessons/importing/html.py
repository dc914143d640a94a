"""HTML documents, such as a saved web page: its main content, read as Markdown.

The page's main content is found first: the one ``<article>``, else the one
``<main>`` (or ``role="main"``) element; a page with furniture around its text
(``<nav>``, ``<header>``, ``<footer>``, ``<aside>``) and neither of those is
handed to readability-lxml, which finds the block of text a reader would read;
the nearest element around everything it keeps is then taken whole from the page
(readability also trims short tables and captions, which a course must keep).
A page without furniture is read whole.

What a reader does not see goes (scripts, styles, forms, navigation inside the
content, a MediaWiki table of contents and its "[edit]" links, the permalink
"#" or "¶" at the end of a heading); markdownify then writes the rest as
Markdown: headings by level (``#`` .. ``######``), lists, tables, fenced code,
images as ``![alt](src)``. The Markdown reader (:mod:`lessons.importing.markdown`)
gives it its structure, so the rules live in one place. A page without an
``<h1>`` gets its ``<title>`` as title heading. Links to the page's own site
(``/wiki/Netscape``) point at it again when the page names its address
(``<base>``, its canonical link or ``og:url``); images keep their paths, which
are looked up in the upload.

A page's licence line is kept even where it sits outside the main content (a
footer): text under CC BY or CC BY-SA may only be reused with its attribution.
It is the nearest block around a ``rel="license"`` link or a link to a Creative
Commons licence, or a block whose class or id names it (``license``, ``licence``,
``copyright`` as a word of it), of at most :data:`LICENCE_MAX_CHARS` characters;
it becomes the last paragraph of the last lesson, in the page's words, without
its images (a licence badge). A footer that says no more than "Copyright ... All
rights reserved" grants nothing to keep and stays out.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.utils.translation import gettext_lazy as _
from lxml import etree
from markdownify import MarkdownConverter

from lessons.importing.markdown import parse_markdown
from lessons.importing.outline import (
    DocumentError,
    NoHeadingsError,
    ParsedDocument,
    message_format,
)

#: Elements that are never text a reader reads.
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "link",
    "meta",
)
_FURNITURE = "//nav | //header | //footer | //aside | //*[@role='navigation']"
# Inside the content: navigation, MediaWiki's table of contents, its "[edit]"
# links and navigation boxes, "jump to" links, hidden elements.
_CONTENT_NOISE = " | ".join(
    [".//nav", ".//*[@role='navigation']", ".//*[@hidden]"]
    + [f".//*[@id='{name}']" for name in ("toc", "jump-to-nav", "siteSub", "catlinks")]
    + [
        f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
        for name in (
            "toc",
            "mw-editsection",
            "mw-jump",
            "mw-jump-link",
            "navbox",
            "catlinks",
            "printfooter",
        )
    ]
)
_PERMALINK_TEXT = frozenset({"", "#", "¶", "§", "🔗", "link"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LANGUAGE_CLASS = re.compile(r"(?:language|lang|highlight-source)-([\w+#-]+)")
_BLANK_LINES = re.compile(r"\n{3,}")


class _Converter(MarkdownConverter):
    """markdownify, with the code language read from a class like
    ``language-python`` on the ``<pre>`` or its ``<code>``."""

    def __init__(self, **options):
        super().__init__(
            heading_style="ATX",
            bullets="-",
            code_language_callback=_code_language,
            table_infer_header=True,
            # An image in a table cell or a link is kept (markdownify would
            # write its alt text); one in a heading is its alt text.
            keep_inline_images_in=["td", "th", "a", "span", "li", "dd", "dt"],
            **options,
        )

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags:  # a line break in code is a newline
            return "\n" + text
        return super().convert_br(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        # One line, brackets escaped: an alt text spread over paragraphs (Word
        # writes "Table\n\nDescription automatically generated") is no image.
        alt = " ".join((el.attrs.get("alt") or "").split())
        el.attrs["alt"] = _BACKSLASHED.sub(r"\\\1", alt)
        source = (el.attrs.get("src") or "").strip()
        el.attrs["src"] = "".join(_URL_UNSAFE.get(c, c) for c in source)
        return super().convert_img(el, text, parent_tags)

    def escape(self, text, parent_tags):
        """Text stays text: what Markdown or HTML would read as markup is escaped
        the way Python-Markdown understands (a backslash, or an entity for "<")."""
        if not text:
            return ""
        text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
        text = _BACKSLASHED.sub(r"\\\1", text)
        for pattern in _LINE_MARKERS:
            text = pattern.sub(r"\1\\\2", text)
        return super().escape(text, parent_tags)  # * and _


_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "\n": "", "\t": ""}
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_BACKSLASHED = re.compile(r"([\\`\[\]])")
# Markers that start a heading, quote or list when they open a line.
# (markdownify gives text with its whitespace collapsed: a text that can open a line
# starts with them; "In 1998." does not.)
_LINE_MARKERS = (
    re.compile(r"^(\s*)(#{1,6}|>|\+|-+)(?=\s|$)"),
    re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)"),
)


def _code_language(element) -> str:
    for node in (element, *element.find_all("code")):
        for name in node.get("class") or ():
            match = _LANGUAGE_CLASS.match(name)
            if match:
                return match.group(1)
    return ""


def _one(tree, path: str):
    found = tree.xpath(path)
    return found[0] if len(found) == 1 else None


def _main_content(tree):
    """The element holding the page's main content."""
    for path in ("//article", "//main | //*[@role='main']"):
        element = _one(tree, path)
        if element is not None and element.text_content().strip():
            return element
    body = tree.find("body")
    body = body if body is not None else tree
    if not tree.xpath(_FURNITURE):
        return body
    region = _readability_region(tree)
    return region if region is not None else body


_MARK = "data-coursesite-node"


def _readability_region(tree):
    """The element of ``tree`` holding what readability-lxml reads as the main
    content: the nearest element around every block it keeps. Taken whole from
    the page, so nothing readability trims inside it (a short table, a caption) is
    lost."""
    from readability import Document

    elements = [element for element in tree.iter() if isinstance(element.tag, str)]
    for index, element in enumerate(elements):
        element.set(_MARK, str(index))
    try:
        summary = Document(lxml.html.tostring(tree, encoding="unicode")).summary(
            html_partial=True
        )
        kept = [
            elements[int(node.get(_MARK))]
            for node in lxml.html.fromstring(summary).iter()
            if isinstance(node.tag, str)
            and node.get(_MARK, "").isdigit()
            and (node.text or "").strip()
        ]
    except Exception:  # noqa: BLE001 (readability gives up on odd pages)
        kept = []
    finally:
        for element in elements:
            element.attrib.pop(_MARK, None)
    if not kept:
        return None
    region = kept[0]
    for element in kept[1:]:
        while region not in element.iterancestors() and region is not element:
            region = region.getparent()
    return region


def _drop(element) -> None:
    # Keep the text after the element (its "tail"), which belongs to the parent.
    element.drop_tree()


def _clean(content) -> None:
    for element in list(content.iter(*_DROPPED_TAGS)):
        if element is not content:
            _drop(element)
    for element in content.xpath(_CONTENT_NOISE):
        if element is not content:
            _drop(element)
    for heading in content.iter(*_HEADINGS):
        for anchor in list(heading.iter("a")):
            if anchor.text_content().strip().casefold() in _PERMALINK_TEXT:
                _drop(anchor)
    _nest_sections(content)
    _below_document_title(content)
    for heading in content.iter(*_HEADINGS):
        # A title is plain text: its emphasis or code marks would show as such.
        text = " ".join(heading.text_content().split())
        for child in list(heading):
            heading.remove(child)
        heading.text = text


def _level(heading) -> int:
    return int(heading.tag[1])


#: The class marking a heading as the document's title (a Word "Title").
DOCUMENT_TITLE_CLASS = "document-title"


def _below_document_title(content) -> None:
    """Every heading goes one level below the one marked as the document's title
    (Word's "Title" is above its "Heading 1")."""
    titles = content.find_class(DOCUMENT_TITLE_CLASS)
    if not titles:
        return
    for heading in content.iter(*_HEADINGS):
        if heading is not titles[0]:
            heading.tag = f"h{min(_level(heading) + 1, 6)}"


def _nest_sections(content) -> None:
    """Headings inside a ``<section>`` that opens with a heading of their level
    go one level below it: the author nested them, though the levels do not say so
    (``<section><header><h2>Tools</h2></header> ... <h2>Inspector</h2>``)."""
    for section in content.iter("section"):
        headings = section.xpath(" | ".join(f".//{tag}" for tag in _HEADINGS))
        if len(headings) < 2:
            continue
        first, rest = headings[0], headings[1:]
        if min(_level(heading) for heading in rest) > _level(first):
            continue
        for heading in rest:
            heading.tag = f"h{min(_level(heading) + 1, 6)}"


#: A licence line is a line, not a region that happens to carry the marker.
LICENCE_MAX_CHARS = 1_000
_LICENCE_LINKS = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' license ')]"
    " | //a[contains(@href, 'creativecommons.org/licenses/')]"
    " | //a[contains(@href, 'creativecommons.org/publicdomain/')]"
)
_LICENCE_NAME = re.compile(r"(?:^|[\s_-])(?:licen[cs]e|copyright)(?:$|[\s_-])", re.I)
_BLOCKS = frozenset(
    {"p", "li", "dd", "dt", "td", "th", "div", "footer", "address", "section",
     "aside", "blockquote", "figcaption"}
)  # fmt: skip


def _licence_blocks(tree, content) -> list:
    """The page's licence lines outside ``content``, in page order (see the
    module docstring), none inside another."""
    body = tree.find("body")
    found = []
    for link in tree.xpath(_LICENCE_LINKS):
        block = next(
            (node for node in link.iterancestors() if node.tag in _BLOCKS), None
        )
        if block is not None:
            found.append(block)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            names = f"{element.get('class', '')} {element.get('id', '')}"
            if _LICENCE_NAME.search(names):
                found.append(element)
    kept = []
    for block in found:
        if (
            block is body
            or block is content
            or block in kept
            or content in block.iterancestors()
            or block in content.iterancestors()
            or block.xpath("ancestor-or-self::*[@hidden]")
            or len(" ".join(block.text_content().split())) > LICENCE_MAX_CHARS
            or not block.text_content().strip()
        ):
            continue
        kept.append(block)
    # The innermost line wins over a block around it; page order.
    kept = [
        block
        for block in kept
        if not any(
            other is not block and block in other.iterancestors() for other in kept
        )
    ]
    order = {element: index for index, element in enumerate(tree.iter())}
    return sorted(kept, key=order.__getitem__)


def _licence_markdown(tree, content) -> str:
    """The licence lines as Markdown paragraphs ("" when the page has none)."""
    paragraphs = []
    for block in _licence_blocks(tree, content):
        line = copy.deepcopy(block)
        line.tail = None
        line.tag = "div"
        for image in list(line.iter("img", "picture")):
            _drop(image)
        for heading in line.iter(*_HEADINGS):  # a line, not a section
            heading.tag = "p"
        _clean(line)
        markdown = _Converter().convert(lxml.html.tostring(line, encoding="unicode"))
        markdown = _BLANK_LINES.sub("\n\n", markdown).strip()
        if markdown:
            paragraphs.append(markdown)
    return "\n\n".join(paragraphs)


def _page_title(tree) -> str:
    for path in ("//meta[@property='og:title']/@content", "//title//text()"):
        found = " ".join(" ".join(tree.xpath(path)).split())
        if found:
            return found
    return ""


def _page_address(tree) -> str:
    """The page's own address, if it says: ``<base href>``, else its canonical
    address, else ``og:url`` (absolute http(s) URLs only)."""
    for path in (
        "//base/@href",
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]"
        "/@href",
        "//meta[@property='og:url']/@content",
    ):
        for value in tree.xpath(path):
            value = str(value).strip()
            if urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc:
                return value
    return ""


def _absolute_links(tree, content) -> None:
    """Links to the page's own site (``/wiki/Netscape``, ``Firefox``) point at
    it, as they did on the page: here they would be broken links. Anchors on the
    page, other schemes and images (looked up in the upload) stay as written."""
    address = _page_address(tree)
    if not address:
        return
    for anchor in content.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "//")) or urlsplit(href).scheme:
            continue
        anchor.set("href", urljoin(address, href))


def html_to_markdown(text: str) -> tuple[str, str]:
    """The page's main content as Markdown, and the page's ``<title>``."""
    if not text.strip():
        raise DocumentError(_("the document is empty"))
    try:
        # huge_tree: libxml2 otherwise drops what is nested over 255 deep.
        tree = lxml.html.document_fromstring(
            text, parser=lxml.html.HTMLParser(huge_tree=True)
        )
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(
            message_format(_("not readable as HTML: %(error)s"), {"error": error})
        ) from None
    title = _page_title(tree)
    content = _main_content(tree)
    try:
        licence = _licence_markdown(tree, content)
        _clean(content)
        _absolute_links(tree, content)
        markdown = _Converter().convert(lxml.html.tostring(content, encoding="unicode"))
    except RecursionError:
        raise DocumentError(
            _("the page's elements are nested too deeply to be read")
        ) from None
    markdown = _BLANK_LINES.sub("\n\n", markdown).strip()
    if not markdown:
        raise DocumentError(_("the page has no text"))
    if licence:
        markdown = f"{markdown}\n\n{licence}"
    return markdown, title


def parse_html(text: str) -> ParsedDocument:
    """Read an HTML page: its main content, its headings giving the structure."""
    markdown, title = html_to_markdown(text)
    if title and not re.search(r"^# \S", markdown, re.MULTILINE):
        markdown = f"# {title}\n\n{markdown}"
    try:
        parsed = parse_markdown(markdown)
    except NoHeadingsError:
        raise NoHeadingsError(
            _(
                "no section headings found: give each section a heading "
                "(<h2>, or Word's Heading 1 style)"
            )
        ) from None
    return dataclasses.replace(parsed, source_format="html")
