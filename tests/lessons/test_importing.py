"""Tests for lessons.importing: documents in, course outlines out (no database)."""

import ast
import hashlib
import json
import random
import re
from collections.abc import Collection
from pathlib import Path

import pytest

from lessons import importing
from lessons.importing import (
    SLUG_MAX_LENGTH,
    DocumentError,
    ParsedDocument,
    SectionChanges,
    decode_document,
    diff_lessons,
    parse_course_json,
    parse_document,
    parse_markdown,
    parse_plain_text,
    slugify,
)

SEED_PATH = (
    Path(__file__).resolve().parents[2]
    / "content"
    / "military-diplomacy-in-south-america.txt"
)
SEED_TITLE = "Military Diplomacy in South America: Strategies and Impacts"
CONCLUSION_HINT = {
    "headings": [
        {
            "before": "The role of military diplomacy in South America is pivotal",
            "title": "Conclusion",
            "level": 1,
        }
    ]
}

KEY_PLAYERS = "Key Players in South American Military Diplomacy"
MULTILATERAL = "Multilateral Cooperation Initiatives"
EXTERNAL = "The Influence of External Powers"
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
    (KEY_PLAYERS, [KEY_PLAYERS, "Peru", "Brazil", "Argentina"]),
    (
        "Bilateral Military Agreements in South America",
        ["Bilateral Military Agreements in South America"],
    ),
    (
        MULTILATERAL,
        [MULTILATERAL, "UN Peacekeeping Missions", "Regional Defense Organizations"],
    ),
    (
        "Humanitarian Assistance and Disaster Relief",
        ["Humanitarian Assistance and Disaster Relief"],
    ),
    ("Training and Capacity Building", ["Training and Capacity Building"]),
    (EXTERNAL, [EXTERNAL, "U.S. Military Presence", "Russian and Chinese Interests"]),
    (
        "Challenges to Military Diplomacy in South America",
        ["Challenges to Military Diplomacy in South America"],
    ),
    (
        "Future Trends in Military Diplomacy in South America",
        ["Future Trends in Military Diplomacy in South America"],
    ),
]
SEED_HEADINGS = [
    title
    for module, lessons in SEED_OUTLINE[1:]
    for title in dict.fromkeys([module, *lessons])
]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return decode_document(SEED_PATH.read_bytes())


@pytest.fixture(scope="module")
def seed(seed_text) -> ParsedDocument:
    return parse_document(seed_text, filename=SEED_PATH.name)


@pytest.fixture(scope="module")
def seed_with_conclusion(seed_text) -> ParsedDocument:
    return parse_document(seed_text, filename=SEED_PATH.name, hints=CONCLUSION_HINT)


def outline(doc: ParsedDocument) -> list[tuple[str, list[str]]]:
    return [
        (module.title, [lesson.title for lesson in module.lessons])
        for module in doc.modules
    ]


def lesson(doc: ParsedDocument, title: str):
    (found,) = [item for item in doc.lessons() if item.title == title]
    return found


def body_of_only_section(block: str) -> str:
    """The lesson body produced for ``block`` as the single section's body."""
    doc = parse_plain_text(f"Course\n\nThe Section\n\n{block}\n")
    (only,) = doc.lessons()
    return only.body_markdown


# --------------------------------------------------------------------------
# The "nothing is lost" check, reusable for any plain-text document

_SOURCE_BULLET = re.compile(r"^\s*(?:[•◦▪*-]|\d{1,3}[.)])\s+")
_MARKDOWN_ITEM = re.compile(r"^\s*(?:-|\d{1,3}\.)\s+")


def _sentences(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [
        " ".join(sentence.split())
        for sentence in re.split(r"(?<=[.!?])\s+", text)
        if sentence.strip()
    ]


def assert_nothing_lost(
    source: str,
    doc: ParsedDocument,
    *,
    headings: list[str],
    skip: Collection[str] = (),
) -> None:
    """Every body sentence and heading of ``source`` survives, once and in order.

    ``headings`` are the expected section headings in document order (hinted ones
    included); lines equal to a heading or to one of ``skip`` (the title lines)
    are not body text. Bullet markers are ignored on both sides.
    """
    dropped = set(headings) | set(skip)
    source_lines = [
        _SOURCE_BULLET.sub("", line)
        for line in source.split("\n")
        if line.strip() not in dropped
    ]
    output_lines = [
        _MARKDOWN_ITEM.sub("", line)
        for item in doc.lessons()
        for line in item.body_markdown.split("\n")
    ]
    assert _sentences(output_lines) == _sentences(source_lines)

    seen_titles, seen_sources = [], []
    for module in doc.modules:
        entries = [(module.title, module.source_heading)]
        entries += [
            (item.title, item.source_heading)
            for number, item in enumerate(module.lessons)
            if number or item.source_heading != module.source_heading
        ]
        for title, source_heading in entries:
            if source_heading:
                seen_titles.append(title)
                seen_sources.append(source_heading)
    assert seen_titles == headings
    assert seen_sources == headings


_VOCABULARY = (
    "river", "stone", "lantern", "harvest", "copper", "meadow", "signal", "orbit",
    "canvas", "ember", "glacier", "harbor", "quartz", "willow", "falcon", "prism",
    "cedar", "tundra", "beacon", "mosaic",
)  # fmt: skip
_BULLET_STYLES = ("  • ", "- ", "* ", "\t▪ ", "    ◦ ", "{n}. ", "{n}) ")


def generated_document(
    seed: int, sections: int, *, intro: bool = True, bullets: bool = True
) -> tuple[str, list[str]]:
    """A plain-text document and its headings, varied but reproducible."""
    rng = random.Random(seed)
    counter = iter(range(10**9))

    def sentence() -> str:
        words = rng.sample(_VOCABULARY, rng.randint(3, 8))
        end = rng.choice(".!?")
        return f"{' '.join(words).capitalize()} number {next(counter)}{end}"

    def paragraph() -> str:
        joiner = rng.choice([" ", "\n"])
        return joiner.join(sentence() for _ in range(rng.randint(1, 4)))

    def bullet_list() -> str:
        style = rng.choice(_BULLET_STYLES)
        lead = [f"{sentence()[:-1]}:"] if rng.random() < 0.5 else []
        items = [
            style.format(n=n) + sentence() for n in range(1, rng.randint(2, 5) + 1)
        ]
        return "\n".join(lead + items)

    parts = ["Generated Course - Example Site"]
    if intro:
        parts.append(paragraph())
    headings = []
    for number in range(1, sections + 1):
        heading = f"{rng.choice(_VOCABULARY).capitalize()} {number}"
        headings.append(heading)
        parts.append(heading)
        for _ in range(rng.randint(1, 3)):
            is_list = bullets and rng.random() < 0.3
            parts.append(bullet_list() if is_list else paragraph())
    return "\n\n".join(parts) + "\n", headings


# --------------------------------------------------------------------------
# The seed course


def test_seed_title_drops_the_site_name(seed):
    assert seed.title == SEED_TITLE
    assert seed.source_format == "text"


def test_seed_outline_nests_sub_sections_under_their_sections(seed):
    assert outline(seed) == SEED_OUTLINE


def test_seed_with_conclusion_hint_ends_with_a_conclusion_module(seed_with_conclusion):
    assert outline(seed_with_conclusion) == [
        *SEED_OUTLINE,
        ("Conclusion", ["Conclusion"]),
    ]
    conclusion = seed_with_conclusion.modules[-1].lessons[0]
    assert conclusion.body_markdown.startswith(
        "The role of military diplomacy in South America is pivotal"
    )
    assert conclusion.body_markdown.count("\n\n") == 2
    future = seed_with_conclusion.modules[-2].lessons[0]
    assert "The role of military diplomacy" not in future.body_markdown


def test_seed_without_hint_keeps_closing_paragraphs_in_the_last_section(seed):
    last = seed.modules[-1].lessons[-1]
    assert last.body_markdown.endswith(
        "securing lasting peace and security across the continent."
    )


def test_seed_introduction_holds_the_paragraphs_before_the_first_heading(seed):
    intro = seed.modules[0].lessons[0]
    assert (intro.title, intro.slug, intro.source_heading) == (
        "Introduction",
        "introduction",
        "",
    )
    assert seed.modules[0].source_heading == ""
    assert intro.body_markdown.startswith("Military diplomacy in South America plays")
    assert intro.body_markdown.endswith("among South American nations.")
    assert SEED_TITLE not in intro.body_markdown


@pytest.mark.parametrize("hints", [None, CONCLUSION_HINT], ids=["plain", "hinted"])
def test_seed_loses_no_sentence_and_no_heading(seed_text, hints):
    doc = parse_plain_text(seed_text, hints=hints)
    headings = SEED_HEADINGS + (["Conclusion"] if hints else [])
    first_line = seed_text.split("\n", 1)[0]
    assert_nothing_lost(
        seed_text, doc, headings=headings, skip={first_line, SEED_TITLE}
    )


def test_seed_bullets_render_as_markdown_lists(seed):
    import markdown

    argentina = lesson(seed, "Argentina").body_markdown
    assert (
        "Key areas of focus include:\n\n"
        "- Joint exercises with neighboring countries.\n"
        "- Participation in United Nations peacekeeping missions.\n"
        "- Collaboration within regional defense organizations such as UNASUR.\n\n"
        "Through these initiatives"
    ) in argentina
    html = markdown.markdown(argentina)
    assert html.count("<ul>") == 1
    assert html.count("<li>") == 3


def test_seed_paragraph_text_is_kept_verbatim(seed, seed_text):
    peru = lesson(seed, "Peru").body_markdown
    assert "Peru’s understanding of the importance of collective security" in peru
    for paragraph in peru.split("\n\n"):
        assert paragraph in seed_text


def test_seed_positions_count_up_through_the_whole_course(seed_with_conclusion):
    positions = [item.position for item in seed_with_conclusion.lessons()]
    assert positions == list(range(len(positions)))


def test_seed_source_headings_are_the_headings_as_written(seed):
    assert [module.source_heading for module in seed.modules[1:]] == [
        module for module, _ in SEED_OUTLINE[1:]
    ]
    assert lesson(seed, "U.S. Military Presence").source_heading == (
        "U.S. Military Presence"
    )


@pytest.mark.parametrize("document_seed", [1, 2, 3, 4, 5])
def test_generated_documents_lose_nothing(document_seed):
    text, headings = generated_document(document_seed, sections=25)
    doc = parse_document(text)
    assert doc.source_format == "text"
    assert doc.title == "Generated Course"
    assert_nothing_lost(text, doc, headings=headings, skip={text.split("\n", 1)[0]})


def test_generated_document_without_introduction_or_bullets_loses_nothing():
    text, headings = generated_document(7, sections=10, intro=False, bullets=False)
    doc = parse_plain_text(text)
    assert doc.modules[0].title != "Introduction"
    assert_nothing_lost(text, doc, headings=headings, skip={text.split("\n", 1)[0]})


def test_two_thousand_sections_parse_with_every_section_a_lesson():
    text, headings = generated_document(2000, sections=2000)
    doc = parse_plain_text(text)
    lessons = doc.lessons()
    assert len(lessons) == 2001  # the introduction plus one per section
    assert [item.position for item in lessons] == list(range(2001))
    assert len({item.slug for item in lessons}) == 2001
    assert [item.source_heading for item in lessons[1:]] == headings


# --------------------------------------------------------------------------
# decode_document


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the document is empty"),
        (b"  \n\t\r\n  ", "the document is empty"),
        (b"\xef\xbb\xbf\n\n", "the document is empty"),
        ("\u00a0\u2003\n".encode(), "the document is empty"),
        (b"Title\x00\x00body", "looks like a binary file, not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file, not text"),
        (bytes(range(1, 9)) * 3 + b"mostly text", "looks like a binary file, not text"),
    ],
    ids=["empty", "whitespace", "bom-only", "unicode-spaces", "nul", "png", "control"],
)
def test_decode_rejects_empty_and_binary_documents(data, message):
    with pytest.raises(DocumentError) as caught:
        decode_document(data)
    assert message in str(caught.value)
    assert caught.value.line is None


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\xff starts badly", 1),
        (b"Title\n\nHeading\n\nBody with \xe9 latin-1\n", 5),
        (b"one\r\ntwo\r\nthr\xc3ee\r\n", 3),
        (b"one\rtwo\rthree\rfo\x80ur", 4),
        (b"caf\xc3\xa9\nna\xefve\n", 2),
    ],
    ids=["first-line", "lf", "crlf", "cr", "after-valid-multibyte"],
)
def test_decode_reports_the_line_of_the_first_invalid_utf8_byte(data, line):
    with pytest.raises(DocumentError) as caught:
        decode_document(data)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: not valid UTF-8")
    assert f"at line {line}" in caught.value.message


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfTitle\nBody\n", "Title\nBody\n"),
        (b"Title\r\n\r\nBody\r\n", "Title\n\nBody\n"),
        (b"Title\r\rBody\r", "Title\n\nBody\n"),
        (b"a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("Peru’s café • list".encode(), "Peru’s café • list"),
        (b"Tabs\tand form\x0cfeeds are text", "Tabs\tand form\x0cfeeds are text"),
        (b"one stray \x1b escape in a longer line of text", None),
    ],
    ids=["bom", "crlf", "cr", "mixed", "utf8", "text-controls", "few-controls"],
)
def test_decode_returns_text_with_unix_line_endings(data, text):
    expected = data.decode() if text is None else text
    assert decode_document(data) == expected


# --------------------------------------------------------------------------
# DocumentError


@pytest.mark.parametrize(
    ("line", "expected"),
    [(12, "line 12: something is wrong"), (None, "something is wrong")],
)
def test_document_error_mentions_the_line_when_known(line, expected):
    error = DocumentError("something is wrong", line=line)
    assert str(error) == expected
    assert (error.message, error.line) == ("something is wrong", line)
    assert isinstance(error, ValueError)


# --------------------------------------------------------------------------
# Plain text: title


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        (f"{SEED_TITLE} - Total Military Insight", SEED_TITLE),
        ("Learning Rust | Example.com", "Learning Rust"),
        ("Photosynthesis Explained – Biology Online", "Photosynthesis Explained"),
        ("Tides — The Ocean Blog", "Tides"),
        ("What Is Inflation? - Money Basics", "What Is Inflation?"),
        ("Part One - Part Two - Site Name", "Part One - Part Two"),
        (
            "Cost-Benefit Analysis for Small Teams",
            "Cost-Benefit Analysis for Small Teams",
        ),
        (
            "Cost-Benefit Analysis - Why it matters, and how",
            "Cost-Benefit Analysis - Why it matters, and how",
        ),
        (
            "Budgeting - A Practical Guide For Every Small Team",
            "Budgeting - A Practical Guide For Every Small Team",
        ),
        ("Release Notes - Draft 2.", "Release Notes - Draft 2."),
        ("Pros and Cons: A - Z", "Pros and Cons: A"),
        ("   Padded Title   ", "Padded Title"),
    ],
    ids=[
        "seed",
        "pipe-domain",
        "en-dash",
        "em-dash",
        "question",
        "only-last-segment",
        "hyphenated-word",
        "comma-in-tail",
        "long-tail",
        "full-stop-in-tail",
        "short-tail-is-stripped",
        "whitespace",
    ],
)
def test_title_is_the_first_line_without_a_trailing_site_name(first_line, title):
    doc = parse_plain_text(f"{first_line}\n\nA Section\n\nSome body text.\n")
    assert doc.title == title


@pytest.mark.parametrize(
    "repeat", ["Guide to Tides", "Guide to Tides - Ocean Blog"], ids=["clean", "raw"]
)
def test_title_repeated_in_the_next_block_is_dropped(repeat):
    doc = parse_plain_text(
        f"Guide to Tides - Ocean Blog\n\n{repeat}\n\nSpring Tides\n\nThey are big.\n"
    )
    assert outline(doc) == [("Spring Tides", ["Spring Tides"])]


def test_lines_after_the_title_in_its_block_become_the_introduction():
    doc = parse_plain_text(
        "Guide to Tides\nA short guide.\n\nSpring Tides\n\nThey are big.\n"
    )
    assert outline(doc)[0] == ("Introduction", ["Introduction"])
    assert doc.modules[0].lessons[0].body_markdown == "A short guide."


# --------------------------------------------------------------------------
# Plain text: headings


@pytest.mark.parametrize(
    ("candidate", "is_heading"),
    [
        ("Short Heading", True),
        ("2024 Outlook", True),
        ("Q&A With the Authors", True),
        ("Über Alles in Context", True),
        (" ".join(["Word"] * 12), True),
        (" ".join(["Word"] * 13), False),
        ("A" + "b" * 99, True),
        ("A" + "b" * 100, False),
        ("A short line ending in a full stop.", False),
        ("Is this a heading?", False),
        ("Surprise!", False),
        ("Key points include:", False),
        ("First and then;", False),
        ("Well,", False),
        ("lowercase start", False),
        ("(Parenthesised) Start", False),
        ("• Bullet Line", False),
        ("- Dash Line", False),
        ("1. Numbered Line", False),
        ("Two Lines\nOf Heading", False),
    ],
)
def test_heading_detection(candidate, is_heading):
    doc = parse_plain_text(
        f"Course\n\nFirst Section\n\nSome body text.\n\n{candidate}\n\n"
        "More body text follows here.\n"
    )
    titles = [item.title for item in doc.lessons()]
    if is_heading:
        assert titles == ["First Section", candidate]
    else:
        assert titles == ["First Section"]


def test_last_line_of_the_document_is_never_a_heading():
    doc = parse_plain_text("Course\n\nSection\n\nBody text.\n\nThe End\n")
    assert outline(doc) == [("Section", ["Section"])]
    assert doc.lessons()[0].body_markdown == "Body text.\n\nThe End"


def test_two_heading_like_lines_in_a_row_are_a_heading_over_an_empty_section():
    # Issue 11 §2: the first line used to stay body text ("only the second is
    # a heading"); it is the heading of a section whose text is its sub-sections.
    doc = parse_plain_text(
        "Course\n\nSection One\n\nBody one.\n\nPart Two\n\nGetting Started\n\n"
        "Body two.\n"
    )
    assert outline(doc) == [
        ("Section One", ["Section One"]),
        ("Part Two", ["Getting Started"]),
    ]
    assert doc.lessons()[0].body_markdown == "Body one."


def test_in_a_longer_run_of_heading_like_lines_every_other_one_is_a_heading():
    doc = parse_plain_text(
        "Course\n\nSection One\n\nBody one.\n\nHome\n\nArticles\n\nAbout Us\n\n"
        "Getting Started\n\nBody two.\n"
    )
    assert [item.title for item in doc.lessons()] == [
        "Section One",
        "Articles",
        "Getting Started",
    ]


def test_heading_directly_before_a_hinted_heading_stays_body_text():
    doc = parse_plain_text(
        "Course\n\nSection One\n\nBody one.\n\nA Caption\n\nClosing words.\n",
        hints={"headings": [{"before": "Closing", "title": "Summary"}]},
    )
    assert [item.title for item in doc.lessons()] == ["Section One", "Summary"]
    assert doc.lessons()[0].body_markdown == "Body one.\n\nA Caption"


@pytest.mark.parametrize(
    "text",
    [
        "Course\n\nOnly sentences here.\n\nAnd more of them.\n",
        "Course\n\nA Heading Like Line\n",
        "Course Title Only\n",
        "Course\n\nfirst\n\nsecond\n",
    ],
    ids=["sentences", "heading-at-end", "title-only", "lowercase"],
)
def test_document_without_headings_is_rejected_with_an_explanation(text):
    with pytest.raises(DocumentError, match="no section headings found") as caught:
        parse_plain_text(text)
    assert "12 words" in str(caught.value)


@pytest.mark.parametrize("parse", [parse_plain_text, parse_markdown])
def test_parsers_accept_windows_line_endings_and_a_bom(parse):
    marks = ("# ", "## ") if parse is parse_markdown else ("", "")
    text = "\ufeff{}Course\r\n\r\n{}Section One\r\n\r\nBody text.\r".format(*marks)
    doc = parse(text)
    assert doc.title == "Course"
    assert outline(doc) == [("Section One", ["Section One"])]
    assert doc.lessons()[0].body_markdown == "Body text."


def test_empty_plain_text_is_rejected():
    with pytest.raises(DocumentError, match="empty"):
        parse_plain_text("\n  \n")


# --------------------------------------------------------------------------
# Plain text: bullets and paragraphs


@pytest.mark.parametrize(
    ("block", "markdown"),
    [
        ("  • one\n  • two", "- one\n- two"),
        ("• one\n• two", "- one\n- two"),
        ("\t▪ one\n\t▪ two", "- one\n- two"),
        ("- one\n* two\n◦ three", "- one\n- two\n- three"),
        ("1. one\n2. two", "1. one\n2. two"),
        ("1) one\n2) two", "1. one\n2. two"),
        ("  3. three\n  4) four", "3. three\n4. four"),
        (
            "• outer\n    ◦ inner\n    ◦ inner two\n• outer two",
            "- outer\n    - inner\n    - inner two\n- outer two",
        ),
        ("1. step\n   • detail\n2. next", "1. step\n    - detail\n2. next"),
        (
            "Key points:\n• one\n• two\nAfter the list.",
            "Key points:\n\n- one\n- two\n\nAfter the list.",
        ),
        (
            "• a long item\n  that wraps\n• short",
            "- a long item\n  that wraps\n- short",
        ),
        (
            "Line one of a paragraph\nline two stays a line.",
            "Line one of a paragraph\nline two stays a line.",
        ),
        ("    Indented paragraph text.", "Indented paragraph text."),
        ("-5 degrees is cold.", "-5 degrees is cold."),
        ("*Emphasis* is not a bullet.", "*Emphasis* is not a bullet."),
        ("2024. A year-first sentence.", "2024. A year-first sentence."),
        ("“Curly” quotes – and dashes… stay.", "“Curly” quotes – and dashes… stay."),
    ],
    ids=[
        "indented-bullets",
        "bullets",
        "tab-squares",
        "mixed-markers",
        "numbered-dot",
        "numbered-paren",
        "numbers-kept",
        "nested",
        "nested-under-number",
        "paragraph-around-list",
        "continuation",
        "multi-line-paragraph",
        "indentation-dropped",
        "negative-number",
        "emphasis",
        "year",
        "characters-kept",
    ],
)
def test_body_blocks_become_markdown(block, markdown):
    assert body_of_only_section(block) == markdown


@pytest.mark.parametrize(
    ("block", "tag", "items"),
    [
        ("Intro:\n• one\n• two\n• three", "ul", 3),
        ("Steps:\n1) one\n2) two", "ol", 2),
        ("• outer\n    ◦ inner\n• outer two", "ul", 3),
    ],
)
def test_converted_lists_render_as_lists(block, tag, items):
    import markdown

    html = markdown.markdown(body_of_only_section(block))
    assert f"<{tag}>" in html
    assert html.count("<li>") == items


def test_separate_blocks_are_separate_paragraphs():
    body = body_of_only_section("First paragraph.\n\n\n\nSecond paragraph.")
    assert body == "First paragraph.\n\nSecond paragraph."


# --------------------------------------------------------------------------
# Plain text: nesting


FRUIT_DOCUMENT = """Garden Guide

Fruits

We grow apples and pears in the orchard.

Apples

Apples need pruning. Their seeds are bitter.

Pears

Pears ripen late.

Seeds

Seeds are stored dry.

Vegetables

Carrots and leeks.

Potatoes are roots too.
"""


def test_sub_sections_mentioned_in_the_section_body_nest_under_it():
    assert outline(parse_plain_text(FRUIT_DOCUMENT)) == [
        ("Fruits", ["Fruits", "Apples", "Pears"]),
        ("Seeds", ["Seeds"]),
        ("Vegetables", ["Vegetables"]),
    ]


@pytest.mark.parametrize(
    ("parent_body", "heading", "nests"),
    [
        ("We cover irrigated fields.", "Irrigation", True),
        ("We cover irrigation.", "Irrigated Fields", False),
        ("We cover irrigated fields.", "Irrigated Fields", True),
        ("Tools, soil and water.", "Soil Water Light", True),
        ("Tools, soil and more.", "Soil Water Light", False),
        ("We talk about the U.S. and trade.", "U.S. Trade", True),
        ("We talk about us and trade.", "U.S. Trade", False),
        ("Peru’s coast is long.", "Peru", True),
        ("Peruvian food is good.", "Peru", False),
        ("Peru is mentioned.", "Peruvian Navy", False),
        ("The pear tree and the apple.", "Pears", False),
        (
            "About farming basics explained today.",
            "Farming Basics Explained Today",
            False,
        ),
        ("Soil is key.", "Soil", True),
        ("A text about gardening.", "Gardening", False),
        ("Gardening and compost.", "Gardening Compost", True),
        ("A text about the farm and its crops.", "The Farm and the Crops", True),
    ],
    ids=[
        "prefix-match",
        "prefix-mismatch",
        "all-mentioned",
        "two-of-three",
        "one-of-three",
        "abbreviation",
        "abbreviation-vs-word",
        "possessive",
        "short-word-needs-equality",
        "long-word-needs-its-prefix",
        "short-words-compared-whole",
        "more-content-words-than-parent",
        "single-word",
        "only-title-words",
        "title-words-ignored",
        "stop-words-ignored",
    ],
)
def test_nesting_rule(parent_body, heading, nests):
    # The parent heading has three content words so that rule (a) only bites for
    # headings longer than that.
    doc = parse_plain_text(
        f"Gardening Guide\n\nPlots Crops Markets\n\n{parent_body}\n\n{heading}\n\n"
        "Its own body.\n"
    )
    expected_lessons = ["Plots Crops Markets", heading]
    if nests:
        assert outline(doc) == [("Plots Crops Markets", expected_lessons)]
    else:
        assert [module.title for module in doc.modules] == expected_lessons


def test_heading_made_only_of_title_words_never_nests():
    doc = parse_plain_text(
        "Ocean Tides\n\nTide Tables Basics\n\nOcean tides and more.\n\n"
        "Ocean Tides\n\nBody.\n"
    )
    assert [module.title for module in doc.modules] == [
        "Tide Tables Basics",
        "Ocean Tides",
    ]


def test_nesting_compares_with_the_most_recent_top_level_section_only():
    doc = parse_plain_text(
        "Course\n\nPlanets\n\nMars and Venus.\n\nMars\n\nRed dust and Venus again."
        "\n\nVenus\n\nThick air.\n"
    )
    assert outline(doc) == [("Planets", ["Planets", "Mars", "Venus"])]


# --------------------------------------------------------------------------
# Plain text: hints


def test_level_two_hint_makes_a_sub_section():
    doc = parse_plain_text(
        FRUIT_DOCUMENT,
        hints={"headings": [{"before": "Potatoes", "title": "Roots", "level": 2}]},
    )
    assert outline(doc)[-1] == ("Vegetables", ["Vegetables", "Roots"])
    assert doc.lessons()[-2].body_markdown == "Carrots and leeks."
    assert doc.lessons()[-1].body_markdown == "Potatoes are roots too."


def test_hinted_section_without_own_body_is_a_module_of_its_sub_sections():
    doc = parse_plain_text(
        "Course\n\nSection\n\nFirst body.\n\nSecond body.\n",
        hints={
            "headings": [
                {"before": "Second body", "title": "Unit Two", "level": 1},
                {"before": "Second body", "title": "Lesson Two", "level": 2},
            ]
        },
    )
    assert outline(doc) == [
        ("Section", ["Section"]),
        ("Unit Two", ["Lesson Two"]),
    ]


def test_hint_matching_ignores_case_and_extra_whitespace():
    doc = parse_plain_text(
        FRUIT_DOCUMENT,
        hints={"headings": [{"before": "  potatoes   ARE", "title": "Roots"}]},
    )
    assert outline(doc)[-1] == ("Roots", ["Roots"])


def test_hints_alone_can_provide_the_headings():
    doc = parse_plain_text(
        "Course\n\nall lowercase text.\n\nmore text.\n",
        hints={"headings": [{"before": "more", "title": "Part Two"}]},
    )
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Part Two", ["Part Two"]),
    ]


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        ({"sections": []}, "unknown hint key(s): sections"),
        ({"headings": {}}, '"headings" must be a list'),
        ({"headings": ["Conclusion"]}, "heading hint 1 must be an object"),
        (
            {"headings": [{"before": "Carrots", "title": "X", "depth": 1}]},
            "heading hint 1 has unknown key(s): depth",
        ),
        ({"headings": [{"title": "X"}]}, 'needs a non-empty "before"'),
        ({"headings": [{"before": "Carrots"}]}, 'needs a non-empty "title"'),
        ({"headings": [{"before": "Carrots", "title": "X", "level": 3}]}, "use 1 or 2"),
        (
            {"headings": [{"before": "Carrots", "title": "X", "level": True}]},
            "use 1 or 2",
        ),
        (
            {"headings": [{"before": "Cabbages are", "title": "Greens"}]},
            'no paragraph starts with "Cabbages are"',
        ),
        (["Conclusion"], "hints must be a JSON object"),
    ],
)
def test_bad_hints_are_rejected(hints, message):
    with pytest.raises(DocumentError) as caught:
        parse_plain_text(FRUIT_DOCUMENT, hints=hints)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "filename"),
    [("# Title\n\n## A\n\nBody.\n", "a.md"), ('{"title": "x", "modules": []}', "")],
)
def test_hints_are_refused_for_markdown_and_json(text, filename):
    with pytest.raises(DocumentError, match="plain-text"):
        parse_document(text, filename=filename, hints=CONCLUSION_HINT)


# --------------------------------------------------------------------------
# Dispatch


@pytest.mark.parametrize(
    ("text", "filename", "source_format"),
    [
        ('{"title": "T", "modules": []}', "", "json"),
        ('  \n {"title": "T", "modules": []}', "course.txt", "json"),
        ('{"title": "T", "modules": []}', "COURSE.JSON", "json"),
        ("Title\n\n## Section\n\nBody.\n", "", "markdown"),
        ("One\n===\n\nBody.\n\nTwo\n===\n\nMore.\n", "notes.md", "markdown"),
        ("One\n===\n\nBody.\n\nTwo\n===\n\nMore.\n", "a.markdown", "markdown"),
        ("Title\n\nSection\n\nBody.\n", "notes.txt", "text"),
        ("Title\n\nSection\n\n#hashtag is not a heading.\n", "", "text"),
    ],
)
def test_parse_document_picks_the_format(text, filename, source_format):
    assert parse_document(text, filename=filename).source_format == source_format


# --------------------------------------------------------------------------
# Markdown

MARKDOWN_WITH_TITLE = """# Cell Biology

Welcome to the course.

## The Cell

Cells are small.

### Membranes

Membranes hold things in.

#### A Closer Look

Lipids form a bilayer.

### Nucleus ###

The control centre.

## Energy

Mitochondria make ATP.
"""


def test_markdown_single_h1_is_the_title_and_h2_the_sections():
    doc = parse_markdown(MARKDOWN_WITH_TITLE)
    assert doc.title == "Cell Biology"
    assert doc.source_format == "markdown"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("The Cell", ["The Cell", "Membranes", "Nucleus"]),
        ("Energy", ["Energy"]),
    ]
    assert doc.modules[0].lessons[0].body_markdown == "Welcome to the course."


def test_markdown_deeper_headings_stay_in_the_body():
    membranes = lesson(parse_markdown(MARKDOWN_WITH_TITLE), "Membranes")
    assert membranes.body_markdown == (
        "Membranes hold things in.\n\n#### A Closer Look\n\nLipids form a bilayer."
    )


def test_markdown_without_a_single_leading_h1_uses_h1_for_sections():
    doc = parse_markdown(
        "# Part One\n\nIntro to one.\n\n## Detail\n\nMore.\n\n# Part Two\n\nTwo.\n"
    )
    assert doc.title == "Part One"
    assert outline(doc) == [
        ("Part One", ["Part One", "Detail"]),
        ("Part Two", ["Part Two"]),
    ]


def test_markdown_h1_after_another_heading_is_a_section():
    doc = parse_markdown("## Preface\n\nFirst.\n\n# Main\n\nSecond.\n")
    assert doc.title == "Preface"
    assert outline(doc) == [("Preface", ["Preface"]), ("Main", ["Main"])]


def test_markdown_without_h1_uses_the_shallowest_level_and_the_first_line():
    doc = parse_markdown(
        "Field notes, spring\n\n## Birds\n\nMany.\n\n### Robins\n\nRed.\n"
    )
    assert doc.title == "Field notes, spring"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Birds", ["Birds", "Robins"]),
    ]
    assert doc.lessons()[0].body_markdown == "Field notes, spring"


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_markdown_ignores_hash_lines_inside_code_fences(fence):
    text = (
        f"# Shell\n\n## Scripts\n\nExample:\n\n{fence}bash\n# a comment\n"
        f"## not a heading\n```not-closing-a-longer-fence\n{fence}\n\nAfter.\n\n"
        "## Next\n\nDone.\n"
    )
    doc = parse_markdown(text)
    assert outline(doc) == [("Scripts", ["Scripts"]), ("Next", ["Next"])]
    assert "# a comment\n## not a heading" in doc.lessons()[0].body_markdown
    assert doc.lessons()[0].body_markdown.endswith(f"{fence}\n\nAfter.")


def test_markdown_unclosed_fence_swallows_the_rest():
    doc = parse_markdown("# T\n\n## A\n\n```\n## B\n\ntext\n")
    assert outline(doc) == [("A", ["A"])]


def test_markdown_setext_headings_count_as_h1_and_h2():
    doc = parse_markdown(
        "Astronomy\n=========\n\nLook up.\n\nStars\n-----\n\nHot gas.\n\n"
        "Planets\n-------\n\nThey wander.\n\n---\n\nA rule above.\n"
    )
    assert doc.title == "Astronomy"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Stars", ["Stars"]),
        ("Planets", ["Planets"]),
    ]
    assert doc.lessons()[-1].body_markdown == "They wander.\n\n---\n\nA rule above."


def test_markdown_list_followed_by_dashes_is_not_a_heading():
    doc = parse_markdown("# T\n\n## A\n\n- item\n---\n\nText\n")
    assert outline(doc) == [("A", ["A"])]


def test_markdown_body_keeps_indentation_and_trailing_spaces():
    doc = parse_markdown("# T\n\n## A\n\n    code block\n\nLine break  \nnext\n")
    assert doc.lessons()[0].body_markdown == ("    code block\n\nLine break  \nnext")


@pytest.mark.parametrize(
    "text",
    ["# Only A Title\n\nText.\n", "Just text.\n", "```\n# fenced\n```\n", ""],
    ids=["title-only", "no-headings", "fenced-only", "empty"],
)
def test_markdown_without_section_headings_is_rejected(text):
    with pytest.raises(DocumentError, match="no section headings found"):
        parse_markdown(text)


# --------------------------------------------------------------------------
# JSON course export


def export_dict(doc: ParsedDocument) -> dict:
    """The export format as ``export_course`` writes it, extra keys included."""
    return {
        "title": doc.title,
        "slug": slugify(doc.title),
        "description": "Exported for a test.",
        "modules": [
            {
                "title": module.title,
                "slug": module.slug,
                "position": number,
                "lessons": [
                    {
                        "title": item.title,
                        "slug": item.slug,
                        "body_markdown": item.body_markdown,
                        "source_heading": item.source_heading,
                        "quizzes": [{"title": "Check", "questions": []}],
                    }
                    for item in module.lessons
                ],
            }
            for number, module in enumerate(doc.modules)
        ],
    }


def lesson_fields(doc: ParsedDocument) -> list[tuple]:
    return [
        (
            item.title,
            item.slug,
            item.body_markdown,
            item.source_heading,
            item.position,
            item.checksum,
        )
        for item in doc.lessons()
    ]


@pytest.mark.parametrize("indent", [None, 2])
def test_json_export_round_trips(seed_with_conclusion, indent):
    text = json.dumps(export_dict(seed_with_conclusion), indent=indent)
    doc = parse_course_json(text)
    assert doc.source_format == "json"
    assert doc.title == seed_with_conclusion.title
    assert [(m.title, m.slug) for m in doc.modules] == [
        (m.title, m.slug) for m in seed_with_conclusion.modules
    ]
    assert lesson_fields(doc) == lesson_fields(seed_with_conclusion)
    assert parse_document(text, filename="course.json") == doc


def test_json_slugs_are_kept_as_given():
    doc = parse_course_json(
        json.dumps(
            {
                "title": "T",
                "modules": [
                    {
                        "title": "Same Title",
                        "slug": "Custom_Slug",
                        "lessons": [
                            {"title": "Same Title", "slug": "x-99", "body_markdown": ""}
                        ],
                    }
                ],
            }
        )
    )
    assert doc.modules[0].slug == "Custom_Slug"
    assert doc.lessons()[0].slug == "x-99"
    assert doc.lessons()[0].source_heading == ""


@pytest.mark.parametrize(
    ("module", "source_heading"),
    [
        ({"title": "Introduction", "lessons": [("Introduction", "")]}, ""),
        (
            {"title": "Unit", "lessons": [("Unit", "Unit (as typed)")]},
            "Unit (as typed)",
        ),
        ({"title": "Unit", "lessons": [("Lesson", "Lesson")]}, "Unit"),
        ({"title": "Unit", "lessons": []}, "Unit"),
        ({"title": "Unit", "source_heading": "UNIT", "lessons": []}, "UNIT"),
    ],
    ids=["introduction", "own-lesson", "sub-sections-only", "empty", "given"],
)
def test_json_module_source_heading_comes_from_its_own_lesson(module, source_heading):
    module_data = {
        **module,
        "slug": "m",
        "lessons": [
            {
                "title": title,
                "slug": f"l{number}",
                "body_markdown": "",
                "source_heading": h,
            }
            for number, (title, h) in enumerate(module["lessons"])
        ],
    }
    text = json.dumps({"title": "T", "modules": [module_data]})
    assert parse_course_json(text).modules[0].source_heading == source_heading


def test_json_course_without_modules_is_an_empty_outline():
    doc = parse_course_json('{"title": "Empty", "modules": []}')
    assert (doc.title, doc.modules, doc.lessons()) == ("Empty", (), [])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '{\n  "title": "T",\n  "modules": [\n    {"title": "a",,}\n  ]\n}',
            4,
            "not valid JSON",
        ),
        ('{"title": "T"\n\n"modules": []}', 3, "not valid JSON"),
        ('{"title": "T", "modules": []}\n{}', 2, "not valid JSON: Extra data"),
        ("", 1, "not valid JSON"),
    ],
    ids=["double-comma", "missing-comma", "extra-data", "empty"],
)
def test_malformed_json_reports_the_line(text, line, message):
    with pytest.raises(DocumentError) as caught:
        parse_course_json(text)
    assert caught.value.line == line
    assert message in caught.value.message


VALID_EXPORT = """{
  "title": "T",
  "modules": [
    {
      "title": "M",
      "slug": "m",
      "lessons": [
        {
          "title": "L",
          "slug": "l",
          "body_markdown": "Body"
        }
      ]
    }
  ]
}"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('"title": "T",', "", 1, 'the course is missing the key "title"'),
        ('"title": "T",', '"title": 7,', 1, '"title" must be a string'),
        ('"slug": "m",', "", 4, 'module 1 is missing the key "slug"'),
        ('"slug": "m",', '"slug": "",', 4, 'module 1 has an empty "slug"'),
        (
            '"body_markdown": "Body"',
            '"body": "Body"',
            8,
            'lesson 1 of module 1 is missing the key "body_markdown"',
        ),
        ('"lessons": [', '"lessons": "none", "x": [', 4, '"lessons" must be a list'),
        ('"slug": "l"', '"slug": "m"', None, None),
    ],
    ids=[
        "course-title",
        "course-title-type",
        "module-slug",
        "module-slug-empty",
        "lesson-body",
        "lessons-type",
        "module-and-lesson-may-share-a-slug",
    ],
)
def test_json_missing_or_wrong_keys_report_the_object_line(old, new, line, message):
    text = VALID_EXPORT.replace(old, new, 1)
    if message is None:
        assert parse_course_json(text).lessons()[0].slug == "m"
        return
    with pytest.raises(DocumentError) as caught:
        parse_course_json(text)
    assert caught.value.line == line
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "the course must be a JSON object"),
        ('{"title": "T", "modules": ["m"]}', "module 1 must be a JSON object"),
        (
            '{"title": "T", "modules": [{"title": "M", "slug": "m", "lessons": [1]}]}',
            "lesson 1 of module 1 must be a JSON object",
        ),
        (
            '{"title": "T", "modules": [{"title": "M", "slug": "m", "lessons": ['
            '{"title": "A", "slug": "a", "body_markdown": ""},'
            '{"title": "B", "slug": "a", "body_markdown": ""}]}]}',
            'lesson 2 of module 1 repeats the slug "a"',
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_json_of_the_wrong_shape_is_rejected(text, message):
    with pytest.raises(DocumentError, match=re.escape(message)):
        parse_course_json(text)


# --------------------------------------------------------------------------
# Slugs, positions, checksums


def test_slugs_are_unique_across_the_course():
    doc = parse_plain_text(
        "Course\n\nIntro text.\n\nIntroduction\n\nA.\n\nOverview\n\nB.\n\n"
        "Overview\n\nC.\n\nOverview\n\nD.\n"
    )
    assert [module.slug for module in doc.modules] == [
        "introduction",
        "introduction-2",
        "overview",
        "overview-2",
        "overview-3",
    ]
    assert [item.slug for item in doc.lessons()] == [
        "introduction",
        "introduction-2",
        "overview",
        "overview-2",
        "overview-3",
    ]


def test_seed_slugs_are_unique_and_short(seed_with_conclusion):
    lesson_slugs = [item.slug for item in seed_with_conclusion.lessons()]
    module_slugs = [module.slug for module in seed_with_conclusion.modules]
    for slugs in (lesson_slugs, module_slugs):
        assert len(set(slugs)) == len(slugs)
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
        assert all(len(slug) <= SLUG_MAX_LENGTH for slug in slugs)
    assert "us-military-presence" in lesson_slugs


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café Société", "cafe-societe"),
        ("Peru’s Navy", "perus-navy"),
        ("U.S. Military Presence", "us-military-presence"),
        ("  Spaces -- and -- dashes  ", "spaces-and-dashes"),
        ("snake_case Heading", "snake-case-heading"),
        ("日本語", ""),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugs_fall_back_when_a_title_has_no_ascii_letters():
    doc = parse_plain_text("Course\n\nΩμέγα\n\nBody.\n\nΔέλτα\n\nBody.\n")
    assert [module.slug for module in doc.modules] == ["module", "module-2"]
    assert [item.slug for item in doc.lessons()] == ["lesson", "lesson-2"]


def test_long_slugs_are_cut_at_a_word_boundary_and_stay_unique():
    heading = " ".join(["Alphabet"] * 11 + ["Bravo"])
    doc = parse_markdown(f"# T\n\n## {heading}\n\nOne.\n\n## {heading}\n\nTwo.\n")
    cut = "-".join(["alphabet"] * 11)  # "-bravo" would pass 100 characters
    assert [item.slug for item in doc.lessons()] == [cut, f"{cut}-2"]
    assert [module.slug for module in doc.modules] == [cut, f"{cut}-2"]
    assert all(len(item.slug) <= SLUG_MAX_LENGTH for item in doc.lessons())


def test_plain_text_heading_slugs_are_never_cut():
    heading = "Abcdefghi " * 9 + "Abcdefghij"
    assert len(heading) == 100
    doc = parse_plain_text(f"Course\n\n{heading}\n\nBody.\n")
    assert doc.lessons()[0].slug == heading.lower().replace(" ", "-")


def test_checksum_is_the_sha256_of_the_body_and_stable(seed_text, seed):
    again = parse_plain_text(seed_text)
    assert [item.checksum for item in again.lessons()] == [
        item.checksum for item in seed.lessons()
    ]
    for item in seed.lessons():
        assert item.checksum == hashlib.sha256(item.body_markdown.encode()).hexdigest()


def test_checksum_changes_only_for_the_edited_section(seed_text, seed):
    edited = parse_plain_text(seed_text.replace("Brazil also serves", "Brazil serves"))
    before = {item.slug: item.checksum for item in seed.lessons()}
    after = {item.slug: item.checksum for item in edited.lessons()}
    changes = diff_lessons(before, after)
    assert changes.changed == ("key-players-in-south-american-military-diplomacy",)
    assert (changes.added, changes.removed) == ((), ())
    assert len(changes.unchanged) == len(before) - 1


def test_lessons_lists_every_module_lesson_in_order(seed):
    assert seed.lessons() == [
        item for module in seed.modules for item in module.lessons
    ]


# --------------------------------------------------------------------------
# diff_lessons


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {}, SectionChanges((), (), (), ())),
        ({}, {"a": "1"}, SectionChanges(("a",), (), (), ())),
        ({"a": "1"}, {}, SectionChanges((), (), ("a",), ())),
        ({"a": "1"}, {"a": "1"}, SectionChanges((), (), (), ("a",))),
        ({"a": "1"}, {"a": "2"}, SectionChanges((), ("a",), (), ())),
        (
            {"a": "1", "b": "2", "c": "3", "d": "4"},
            {"e": "5", "d": "4", "c": "x", "b": "2"},
            SectionChanges(("e",), ("c",), ("a",), ("d", "b")),
        ),
    ],
    ids=["empty", "added", "removed", "unchanged", "changed", "mixed-in-order"],
)
def test_diff_lessons(old, new, expected):
    assert diff_lessons(old, new) == expected


# --------------------------------------------------------------------------
# Purity


def test_module_imports_nothing_from_django_but_translation():
    """Pure: no ORM, no settings; only the means to make its messages
    translatable (lazily, so they are shown in the reader's language)."""
    allowed = {"django.utils.translation", "django.utils.functional"}
    imported = set()
    for path in Path(importing.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
    assert not any(
        name.split(".")[0] == "django" and name not in allowed for name in imported
    )
    assert importing.text.__doc__ and "1. **Title.**" in importing.text.__doc__


def test_parsed_outline_is_immutable(seed):
    with pytest.raises(AttributeError):
        seed.title = "Changed"  # type: ignore[misc]
