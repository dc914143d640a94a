"""lessons.rendering: Markdown becomes HTML that is safe to print as is."""

import re

import pytest

from lessons.rendering import (
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    count_words,
    render_lesson,
    render_markdown,
)
from tests.helpers import html_elements

# Each payload is an attempt to run script, load a foreign document or restyle the
# page from a lesson body. Whatever it is, none of it may survive rendering.
XSS_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script tag, mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script tag inside a paragraph": "Hello <script src=https://evil.example/x.js></script>",
    "style tag": "<style>body { display: none }</style>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror, quoted": '<img src="x.png" onerror="alert(document.cookie)">',
    "svg onload": "<svg onload=alert(1)>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "math with xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link, mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript link, leading space": '<a href=" javascript:alert(1)">x</a>',
    "javascript link, tab inside": '<a href="java\tscript:alert(1)">x</a>',
    "javascript link, entity encoded": '<a href="&#106;avascript:alert(1)">x</a>',
    "javascript link, hex entities": '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    "javascript link, encoded tab": '<a href="java&#x09;script:alert(1)">x</a>',
    "data link": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'
    ),
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "javascript image": '<img src="javascript:alert(1)">',
    "data image": '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
    "markdown javascript link": "[x](javascript:alert(1))",
    "markdown javascript link, mixed case": "[x](JaVaScRiPt:alert(1))",
    "markdown javascript link, entity": "[x](&#106;avascript:alert(1))",
    "markdown data link": "[x](data:text/html,<script>alert(1)</script>)",
    "markdown vbscript link": "[x](vbscript:msgbox(1))",
    "markdown reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "markdown javascript image": "![x](javascript:alert(1))",
    "markdown data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "markdown link with quote breakout": (
        '[x](https://example.com/" onmouseover="alert(1))'
    ),
    "autolink javascript": "<javascript:alert(1)>",
    "autolink data": "<data:text/html,alert(1)>",
    "event handler on paragraph": '<p onclick="alert(1)">hi</p>',
    "event handler on link": (
        '<a href="https://example.com" onmouseover="alert(1)">x</a>'
    ),
    "event handler on div": '<div onmouseenter="alert(1)">hi</div>',
    "event handler, uppercase": '<b ONCLICK="alert(1)">hi</b>',
    "body onload": '<body onload="alert(1)">hi</body>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": '<form action="https://evil.example/"><input name="password"></form>',
    "form button": '<button formaction="javascript:alert(1)">go</button>',
    "style attribute": '<p style="background:url(javascript:alert(1))">hi</p>',
    "style attribute on span": '<span style="position:fixed;top:0">hi</span>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base tag": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "html comment hiding script": "<!--<script>alert(1)</script>-->",
    "unclosed tag trick": '<img src="x" alt="<script>alert(1)</script>',
    "nested in markdown emphasis": "*<script>alert(1)</script>*",
    "inside a table cell": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
}

_FORBIDDEN_TAGS = {
    "script", "style", "iframe", "svg", "math", "object", "embed", "form", "input",
    "button", "meta", "base", "link", "body", "html", "frame", "frameset",
}  # fmt: skip
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc"}


def _unsafe_parts(html: str) -> list[str]:
    """Everything in rendered HTML that could run script or restyle the page."""
    problems = []
    for element in html_elements(html):
        if element.tag in _FORBIDDEN_TAGS or element.tag not in ALLOWED_TAGS:
            problems.append(f"tag <{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{element.tag}>")
            if name == "style":
                problems.append(f"style attribute on <{element.tag}>")
            if name in _URL_ATTRIBUTES and value is not None:
                scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
                    problems.append(f"{scheme.group(1)}: URL in {name}")
    lowered = html.lower()
    for needle in ("javascript:", "vbscript:", "data:", "<script", "onerror", "onload"):
        if needle in lowered:
            problems.append(f"{needle!r} in the output")
    return problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_xss_payload_does_not_survive_rendering(payload):
    html = render_markdown(payload)

    assert _unsafe_parts(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_xss_payload_does_not_survive_inside_a_normal_lesson(payload):
    html = render_markdown(f"# Lesson\n\nSome text.\n\n{payload}\n\nMore *text*.")

    assert _unsafe_parts(html) == [], html
    assert "<h1>Lesson</h1>" in html
    assert "<em>text</em>" in html


def test_rendering_the_output_again_adds_nothing_unsafe():
    """Sanitised output fed back in (an admin editing HTML it copied) stays safe."""
    html = render_markdown("\n\n".join(XSS_PAYLOADS.values()))

    assert _unsafe_parts(render_markdown(html)) == []


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[a link](https://example.com/page)",
        "<https://example.com/page>",
        '<a href="https://example.com/page">a link</a>',
        '<a href="https://example.com/page" rel="nofollow">a link</a>',
        '<a href="https://example.com/page" target="_blank">a link</a>',
        "[mail me](mailto:someone@example.com)",
    ],
)
def test_links_get_rel_noopener(markdown_text):
    html = render_markdown(markdown_text)

    anchors = [e for e in html_elements(html) if e.tag == "a"]
    assert anchors
    for anchor in anchors:
        assert "noopener" in (anchor.attrs.get("rel") or "").split()


def test_safe_links_and_images_keep_their_urls():
    html = render_markdown(
        "[site](https://example.com/a?b=1) ![chart](https://example.com/chart.png)"
    )

    assert 'href="https://example.com/a?b=1"' in html
    assert 'src="https://example.com/chart.png"' in html
    assert 'alt="chart"' in html


def test_relative_links_are_kept():
    html = render_markdown("[next](../next-lesson/) and [part](#section-2)")

    assert 'href="../next-lesson/"' in html
    assert 'href="#section-2"' in html


@pytest.mark.parametrize(
    ("markdown_text", "expected_fragments"),
    [
        ("# Heading one", ["<h1>Heading one</h1>"]),
        ("## Heading two\n\n### Heading three", ["<h2>Heading two</h2>", "<h3>"]),
        ("Some *emphasis* and **strong** text", ["<em>emphasis</em>", "<strong>"]),
        ("- one\n- two", ["<ul>", "<li>one</li>", "<li>two</li>"]),
        ("1. one\n2. two", ["<ol>", "<li>one</li>"]),
        ("3. three\n4. four", ['<ol start="3">']),
        (
            "| A | B |\n|---|---|\n| 1 | 2 |",
            ["<table>", "<thead>", "<th>A</th>", "<td>2</td>"],
        ),
        ("Use `x < y` inline", ["<code>x &lt; y</code>"]),
        (
            "```python\nif a < b:\n    pass\n```",
            ['<pre><code class="language-python">if a &lt; b:'],
        ),
        ("    indented code", ["<pre><code>indented code"]),
        ("> a quotation", ["<blockquote>", "a quotation"]),
        ("Term\n: Definition", ["<dl>", "<dt>Term</dt>", "<dd>Definition</dd>"]),
        ("Text[^1].\n\n[^1]: The note.", ['class="footnote"', "The note."]),
        ("a\n\n---\n\nb", ["<hr>"]),
        ('<abbr title="North Atlantic">NATO</abbr>', ['<abbr title="North Atlantic">']),
        ("Fish &amp; chips & peas", ["Fish &amp; chips &amp; peas"]),
    ],
)
def test_normal_markdown_survives(markdown_text, expected_fragments):
    html = render_markdown(markdown_text)

    for fragment in expected_fragments:
        assert fragment in html, html


def test_plain_text_is_escaped_not_interpreted():
    html = render_markdown("1 < 2 and 3 > 2, and a stray <notatag> too")

    assert "1 &lt; 2" in html
    assert "3 &gt; 2" in html
    assert "<notatag>" not in html


def test_empty_body_renders_empty():
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("One two three.", 3),
        ("Peru’s navy and Brazil's army", 5),
        ("Cost-benefit analysis", 2),
        ("- a bullet\n- another **one**", 4),
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words


# --------------------------------------------------------------------------
# Callouts: GitHub's "> [!NOTE]", also written by the importer for admonitions


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_alert_blockquote_renders_as_a_callout(kind):
    html = render_markdown(f"> [!{kind}]\n> Short lessons work.")
    assert f'<blockquote class="callout callout-{kind.lower()}">' in html
    assert '<p class="callout-title">' in html
    assert "<p>Short lessons work.</p>" in html
    assert "[!" not in html


def test_callout_with_a_title_keeps_the_title_and_stays_sanitised():
    html = render_markdown(
        "> [!TIP]\n> **Keep it short**\n>\n> Short <script>alert(1)</script> lessons."
    )
    assert '<blockquote class="callout callout-tip">' in html
    assert "<strong>Keep it short</strong>" in html
    assert "<script" not in html


def test_plain_blockquotes_and_unknown_alerts_stay_blockquotes():
    assert (
        render_markdown("> A quote.") == "<blockquote>\n<p>A quote.</p>\n</blockquote>"
    )
    assert "callout" not in render_markdown("> [!SHOUT]\n> Loud.")


# --------------------------------------------------------------------------
# A lesson's contents list


def test_lesson_with_sub_headings_opens_with_a_contents_list():
    html = render_lesson(
        "Intro.\n\n## Definition\n\nA tool.\n\n### Detail\n\nMore.\n\n"
        "## Pros & Cons\n\nSome.\n\n## Definition\n\nAgain."
    )
    assert html.startswith('<div class="lesson-contents">')
    assert '<h2 id="section-definition">Definition</h2>' in html
    assert '<h2 id="section-pros-cons">Pros &amp; Cons</h2>' in html
    assert '<h2 id="section-definition-2">Definition</h2>' in html
    assert '<li><a href="#section-definition">Definition</a></li>' in html
    assert '<li><a href="#section-pros-cons">Pros &amp; Cons</a></li>' in html
    assert 'href="#section-detail"' not in html  # the shallowest level only
    assert '<h3 id="section-detail">Detail</h3>' in html


@pytest.mark.parametrize(
    "text", ["Just text.", "## One heading\n\nText.", "## A\n\n### B\n\nText."]
)
def test_lesson_without_two_sub_headings_has_no_contents_list(text):
    assert "lesson-contents" not in render_lesson(text)


def test_two_callouts_in_a_row_stay_two_callouts():
    """Python-Markdown joins blockquotes separated by a blank line: the second
    callout's [!NOTE] was shown as text inside the first (corpus doc 29's
    ':::note' then ':::info')."""
    html = render_markdown(
        "> [!NOTE]\n> First note.\n\n> [!TIP]\n> A tip.\n\n"
        "```\n> [!NOTE]\n> in code\n\n> [!TIP]\n```\n"
    )
    assert html.count('<blockquote class="callout') == 2
    assert '<blockquote class="callout callout-tip">' in html
    assert "[!TIP]\nA tip" not in html
    assert "&gt; [!NOTE]\n&gt; in code\n\n&gt; [!TIP]" in html  # code as written


def test_a_plain_quote_then_a_callout_are_apart_but_a_quote_goes_on():
    html = render_markdown("> Said once.\n\n> [!WARNING]\n> Careful.\n")
    assert '<blockquote class="callout callout-warning">' in html
    assert html.index("Said once.") < html.index("callout-warning")
    assert render_markdown("> One.\n\n> Two.\n").count("<blockquote") == 1
