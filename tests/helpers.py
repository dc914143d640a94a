"""Helpers shared by test modules: the seed, sentences, HTML and database checks."""

import re
from html.parser import HTMLParser
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
#: The shipped course document and its structure hints (`make content`).
SEED = CONTENT_DIR / "military-diplomacy-in-south-america.txt"
SEED_HINTS = CONTENT_DIR / "military-diplomacy-in-south-america.hints.json"

# The shipped document, as an instructor would outline it: top-level sections are
# modules, the three country profiles and the sub-topics nest under the section
# that introduces them, and the hints file adds the closing "Conclusion".
SEED_OUTLINE = [
    ("Introduction", ["Introduction"]),
    (
        "Understanding Military Diplomacy in South America",
        ["Understanding Military Diplomacy in South America"],
    ),
    (
        "The Role of the Peruvian Armed Forces in Regional Security",
        ["The Role of the Peruvian Armed Forces in Regional Security"],
    ),
    (
        "Key Players in South American Military Diplomacy",
        [
            "Key Players in South American Military Diplomacy",
            "Peru",
            "Brazil",
            "Argentina",
        ],
    ),
    (
        "Bilateral Military Agreements in South America",
        ["Bilateral Military Agreements in South America"],
    ),
    (
        "Multilateral Cooperation Initiatives",
        [
            "Multilateral Cooperation Initiatives",
            "UN Peacekeeping Missions",
            "Regional Defense Organizations",
        ],
    ),
    (
        "Humanitarian Assistance and Disaster Relief",
        ["Humanitarian Assistance and Disaster Relief"],
    ),
    ("Training and Capacity Building", ["Training and Capacity Building"]),
    (
        "The Influence of External Powers",
        [
            "The Influence of External Powers",
            "U.S. Military Presence",
            "Russian and Chinese Interests",
        ],
    ),
    (
        "Challenges to Military Diplomacy in South America",
        ["Challenges to Military Diplomacy in South America"],
    ),
    (
        "Future Trends in Military Diplomacy in South America",
        ["Future Trends in Military Diplomacy in South America"],
    ),
    ("Conclusion", ["Conclusion"]),
]

# --------------------------------------------------------------------------
# Sentences

# A list marker at the start of a line, in the source (•, -, 1.) or in Markdown.
_LIST_MARKER = re.compile(r"^(?:[•◦▪*-]|\d{1,3}[.)])\s+")
# A sentence ends at . ! or ? followed by white space and a capital or a digit.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z0-9])")
# "U.S." ends in a full stop without ending the sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order, with list markers and spacing removed.

    Works on the source document and on Markdown bodies alike, so that the two can
    be compared: a source bullet ``• Item.`` and the Markdown ``- Item.`` both give
    the sentence ``Item.``.
    """
    found: list[str] = []
    for raw_line in text.splitlines():
        line = _LIST_MARKER.sub("", raw_line.strip())
        if not line:
            continue
        pending = ""
        for part in _SENTENCE_BREAK.split(line):
            pending = f"{pending} {part}" if pending else part
            if not _ABBREVIATION_END.search(pending):
                found.append(pending.strip())
                pending = ""
        if pending:
            found.append(pending.strip())
    return found


def source_body_sentences(text: str, *, headings: set[str]) -> list[str]:
    """Sentences of a plain-text source document, less its title and headings.

    The first line is the title; the next one is dropped too when it repeats the
    title (perhaps without the site name the title ends with). Lines equal to one
    of ``headings`` are section headings, which become lesson titles, not body.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, rest = lines[0], lines[1:]
    if rest and title.startswith(rest[0]):
        rest = rest[1:]
    return sentences("\n".join(line for line in rest if line not in headings))


# --------------------------------------------------------------------------
# HTML


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.label_texts: dict[str, str] = {}
        self._label_stack: list[_Element] = []
        self.inputs_inside_labels: set[int] = set()

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, dict(attrs))
        self.elements.append(element)
        if tag == "label":
            self._label_stack.append(element)
        elif self._label_stack:
            self.inputs_inside_labels.add(id(element))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "label":
            self._label_stack.pop()

    def handle_endtag(self, tag):
        if tag == "label" and self._label_stack:
            self._label_stack.pop()


def html_elements(html: str) -> list[_Element]:
    """Every element of an HTML document (tag name and attributes), in order."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


_NON_LABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


def unlabelled_form_fields(html: str) -> list[str]:
    """Describe every form field of a page that no <label> names.

    A field is labelled by ``<label for="its id">`` or by a label wrapping it.
    """
    collector = _Collector()
    collector.feed(html)
    collector.close()
    label_targets = {
        element.attrs.get("for")
        for element in collector.elements
        if element.tag == "label" and element.attrs.get("for")
    }
    missing = []
    for element in collector.elements:
        if element.tag not in {"input", "select", "textarea"}:
            continue
        if (element.attrs.get("type") or "text").lower() in _NON_LABELLED_INPUT_TYPES:
            continue
        if id(element) in collector.inputs_inside_labels:
            continue
        if element.attrs.get("id") and element.attrs["id"] in label_targets:
            continue
        missing.append(repr(element))
    return missing


def form_field_names(html: str) -> set[str]:
    """The names of the visible form fields of a page."""
    return {
        element.attrs["name"]
        for element in html_elements(html)
        if element.tag in {"input", "select", "textarea"}
        and element.attrs.get("name")
        and (element.attrs.get("type") or "text").lower()
        not in _NON_LABELLED_INPUT_TYPES
    }


# --------------------------------------------------------------------------
# Database


def row_counts() -> dict[str, int]:
    """How many rows each lessons table holds, to prove a command wrote nothing."""
    from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module

    return {
        model.__name__: model.objects.count()
        for model in (Course, Module, Lesson, Enrollment, LessonProgress)
    }


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def write_statements(captured) -> list[str]:
    """The INSERT, UPDATE and DELETE statements among captured queries."""
    return [query["sql"] for query in captured if _WRITE.match(query["sql"])]
