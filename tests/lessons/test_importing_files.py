"""Reading HTML pages, Word documents and zips (lessons.importing: html, docx,
zip_reader, files), pure: bytes in, a ParsedFile out, or a DocumentError."""

import io
import re
import zipfile

import docx
import pytest

from lessons.importing import DocumentError, file_format, parse_file, parse_html
from lessons.importing.docx import MACROS_IGNORED

PAGE = """<!doctype html>
<html><head><title>Site name - Soil basics</title>
<script>alert("no")</script><style>p {color: red}</style></head>
<body>
<header><h1>Site name</h1>
<nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<article>
  <h1>Soil basics</h1>
  <p>Soil is a living layer. It feeds every plant we eat.</p>
  <h2>Texture<a class="bookmark" href="#texture">#</a></h2>
  <p>Sand drains fast. <em>Clay</em> holds water.</p>
  <ul><li>Sand is coarse.</li><li>Silt is fine.</li></ul>
  <h3>Measuring it</h3>
  <table><tr><th>Kind</th><th>Size</th></tr><tr><td>Sand</td><td>2 mm</td></tr></table>
  <figure><img src="img/layers.png" alt="Soil layers">
  <figcaption>The layers of a soil.</figcaption></figure>
  <pre><code class="language-python">print("dig")</code></pre>
  <h2>Life in <code>soil</code></h2>
  <p>Worms mix the layers. Fungi link the roots.</p>
</article>
<footer><p>Copyright the site. All rights reserved.</p></footer>
</body></html>
"""
SENTENCES = [
    "Soil is a living layer.",
    "It feeds every plant we eat.",
    "Sand drains fast.",
    "Clay",
    "holds water.",
    "Sand is coarse.",
    "Silt is fine.",
    "The layers of a soil.",
    'print("dig")',
    "Worms mix the layers.",
    "Fungi link the roots.",
]


def _text(parsed) -> str:
    return "\n".join(
        [parsed.title]
        + [f"{lesson.title}\n{lesson.body_markdown}" for lesson in parsed.lessons()]
    )


def _outline(parsed):
    return [(m.title, [lesson.title for lesson in m.lessons]) for m in parsed.modules]


# --- HTML --------------------------------------------------------------------------


def test_html_page_main_content_becomes_the_outline():
    """The article's h1 is the title, its h2s modules and h3s headings inside
    them; the site's header, navigation and footer are left out."""
    parsed = parse_file(PAGE.encode(), filename="soil.html")
    assert parsed.title == "Soil basics"
    assert parsed.source_format == "html"
    assert _outline(parsed) == [
        ("Introduction", ["Introduction"]),
        ("Texture", ["Texture", "Measuring it"]),
        ("Life in soil", ["Life in soil"]),
    ]
    text = _text(parsed)
    assert "Site name" not in text.replace("Site name - Soil", "")
    assert "Home" not in text and "All rights reserved" not in text
    assert "alert" not in text and "color: red" not in text


def test_html_page_keeps_every_sentence_of_the_main_content():
    text = _text(parse_file(PAGE.encode(), filename="soil.html"))
    for sentence in SENTENCES:
        assert sentence in text


def test_html_lists_tables_images_and_code_are_markdown():
    text = _text(parse_file(PAGE.encode(), filename="soil.html"))
    assert "- Sand is coarse." in text
    assert re.search(r"\| Kind \| Size \|\n\| -+ \| -+ \|\n\| Sand \| 2 mm \|", text)
    assert "![Soil layers](img/layers.png)" in text
    assert '```python\nprint("dig")\n```' in text


def test_html_heading_permalink_and_inline_marks_are_dropped_from_titles():
    parsed = parse_file(PAGE.encode(), filename="soil.html")
    titles = [lesson.title for lesson in parsed.lessons()]
    assert "Texture" in titles and "Life in soil" in titles


def test_html_without_furniture_is_read_whole_and_titled_by_its_title_element():
    page = (
        "<html><head><title>Bees</title></head><body><h2>Hives</h2><p>A hive.</p>"
        "<h2>Honey</h2><p>Sweet.</p></body></html>"
    )
    parsed = parse_file(page.encode(), filename="bees.htm")
    assert parsed.title == "Bees"
    assert [m.title for m in parsed.modules] == ["Hives", "Honey"]


def test_html_paragraph_starting_with_hash_is_no_heading():
    page = "<h1>T</h1><h2>A</h2><p># not a heading</p><h2>B</h2><p>b</p>"
    parsed = parse_file(page.encode(), filename="t.html")
    assert [m.title for m in parsed.modules] == ["A", "B"]
    assert "not a heading" in parsed.modules[0].lessons[0].body_markdown


def test_html_section_nesting_follows_the_sections():
    page = (
        "<main><h1>Tools</h1><p>Intro.</p><h2>Editor</h2><p>e</p>"
        "<section><header><h2>More tools</h2></header><h2>Inspector</h2><p>i</p>"
        "<h2>Console</h2><p>c</p></section></main>"
    )
    parsed = parse_file(page.encode(), filename="t.html")
    assert _outline(parsed)[-1] == ("More tools", ["Inspector", "Console"])


def test_html_is_detected_without_extension():
    assert parse_file(PAGE.encode(), filename="pasted").source_format == "html"


def test_html_in_a_declared_legacy_charset_is_decoded():
    page = (
        '<html><head><meta charset="iso-8859-1"></head><body><h1>Caf\xe9</h1>'
        "<h2>A</h2><p>b</p></body></html>"
    )
    parsed = parse_file(page.encode("latin-1"), filename="t.html")
    assert parsed.title == "Café"


@pytest.mark.parametrize(
    "data", [b"", b"   \n", b"<html><body><nav>menu</nav></body></html>"]
)
def test_html_without_text_is_refused(data):
    with pytest.raises(DocumentError):
        parse_file(data, filename="t.html")


# --- Word --------------------------------------------------------------------------

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
    b"\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def build_docx(*, title="Soil course", sections=3, image=True) -> bytes:
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for number in range(1, sections + 1):
        document.add_heading(f"Part {number}", level=1)
        document.add_paragraph(f"Part {number} opens here. It has two sentences.")
        document.add_heading(f"Detail {number}", level=2)
        document.add_paragraph("First point.", style="List Bullet")
        document.add_paragraph("Second point.", style="List Bullet")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Value"
        table.cell(1, 0).text, table.cell(1, 1).text = "pH", "6.5"
        if image and number == 1:
            document.add_picture(io.BytesIO(PNG))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_headings_lists_tables_and_pictures():
    parsed = parse_file(build_docx(), filename="course.docx")
    assert parsed.title == "Soil course"
    assert parsed.source_format == "docx"
    assert _outline(parsed) == [
        (f"Part {n}", [f"Part {n}", f"Detail {n}"]) for n in (1, 2, 3)
    ]
    detail = parsed.modules[0].lessons[1].body_markdown
    assert "- First point.\n- Second point." in detail
    assert "| pH | 6.5 |" in detail
    assert "![](word-image-1.png)" in detail
    assert parsed.images == {"word-image-1.png": PNG}
    assert "Part 2 opens here. It has two sentences." in _text(parsed)


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, content)
    return out.getvalue()


def test_docx_macros_are_ignored_with_a_warning():
    data = _with_part(build_docx(image=False), "word/vbaProject.bin", b"\x00macro")
    parsed = parse_file(data, filename="course.docm")
    assert MACROS_IGNORED in parsed.warnings
    assert "macro" not in _text(parsed)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02 binary junk" * 50, "not a valid Word document"),
        (b"PK\x03\x04 truncated", "not a valid Word document"),
    ],
)
def test_docx_bad_input_is_refused_with_a_message(data, message):
    with pytest.raises(DocumentError, match=message):
        parse_file(data, filename="course.docx")


def test_zip_without_word_document_named_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match="no word/document.xml"):
        parse_file(out.getvalue(), filename="course.docx")


# --- Zip ---------------------------------------------------------------------------


def build_zip(files: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


COURSE_MD = b"# Soil\n\nIntro.\n\n## Layers\n\n![Layers](img/layers.png)\n\nText.\n"


def test_zip_with_markdown_and_images():
    data = build_zip({"course.md": COURSE_MD, "img/layers.png": PNG})
    parsed = parse_file(data, filename="course.zip")
    assert parsed.title == "Soil"
    assert parsed.images == {"img/layers.png": PNG}
    assert "![Layers](img/layers.png)" in parsed.lessons()[-1].body_markdown


def test_zip_document_in_one_folder_images_relative_to_it():
    data = build_zip({"soil/course.md": COURSE_MD, "soil/img/layers.png": PNG})
    parsed = parse_file(data, filename="course.zip")
    assert parsed.images == {"img/layers.png": PNG}


def test_zip_with_html_document():
    data = build_zip({"index.html": PAGE.encode(), "img/layers.png": PNG})
    parsed = parse_file(data, filename="site.zip")
    assert parsed.source_format == "html"
    assert parsed.images == {"img/layers.png": PNG}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../evil.md": COURSE_MD}, "outside itself"),
        ({"/etc/evil.md": COURSE_MD}, "outside itself"),
        ({"a/../../evil.md": COURSE_MD}, "outside itself"),
        ({"notes.txt": b"hello"}, "no Markdown or HTML document"),
        ({"a.md": COURSE_MD, "b.md": COURSE_MD}, "more than one document"),
    ],
)
def test_zip_bad_members_are_refused(files, message):
    with pytest.raises(DocumentError, match=message):
        parse_file(build_zip(files), filename="course.zip")


def test_zip_symlink_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("course.md", COURSE_MD)
        link = zipfile.ZipInfo("img/layers.png")
        link.external_attr = (0o120777 << 16) | 0
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(DocumentError, match="symbolic link"):
        parse_file(out.getvalue(), filename="course.zip")


def test_zip_bomb_is_refused():
    """A member compressed thousands of times is refused before it is unpacked."""
    data = build_zip({"course.md": COURSE_MD, "img/big.png": b"\x00" * 50_000_000})
    assert len(data) < 100_000
    with pytest.raises(DocumentError, match="zip bomb"):
        parse_file(data, filename="course.zip")


def test_zip_too_large_in_total_is_refused(monkeypatch):
    from lessons.importing import zip_reader

    monkeypatch.setattr(zip_reader, "MAX_TOTAL_BYTES", 1_000)
    data = build_zip({"course.md": COURSE_MD, "img/a.png": PNG * 30})
    with pytest.raises(DocumentError, match="would unpack to"):
        parse_file(data, filename="course.zip")


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b"not a zip at all, just text"])
def test_corrupt_zip_is_refused(data):
    with pytest.raises(DocumentError, match="not a valid zip file"):
        parse_file(data, filename="course.zip")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.html", "html"),
        ("A.HTM", "html"),
        ("a.docx", "docx"),
        ("a.docm", "docx"),
        ("a.zip", "zip"),
        ("a.md", None),
        ("a.txt", None),
    ],
)
def test_file_format_by_extension(name, expected):
    assert file_format(b"x", name) == expected


def test_text_formats_still_read_through_parse_file():
    parsed = parse_file(b"# T\n\n## A\n\ntext\n", filename="a.md")
    assert parsed.source_format == "markdown"
    assert parsed.images == {}


def test_html_text_that_looks_like_markup_is_still_text_once_rendered():
    """A page about HTML or Markdown keeps every word: "<div>" typed as text is
    not a tag, "1. x" or "- x" opening a paragraph is not a list."""
    from lessons.rendering import render_markdown

    page = (
        "<h1>T</h1><h2>Markup</h2><p>Use the &lt;div&gt; element, AT&amp;T and "
        "&amp;lt; too; [x](y) and a\\b and `tick` and *star* and _under_.</p>"
        "<p>1. Not a list</p><p>- Not a list either</p><p># Not a heading</p>"
        "<p>&gt; Not a quote</p><h2>B</h2><p>b</p>"
    )
    body = parse_file(page.encode(), filename="t.html").modules[0].lessons[0]
    html = render_markdown(body.body_markdown)
    for text in (
        "Use the &lt;div&gt; element, AT&amp;T and &amp;lt; too; [x](y) and a\\b "
        "and `tick` and *star* and _under_.",
        "<p>1. Not a list</p>",
        "<p>- Not a list either</p>",
        "<p># Not a heading</p>",
        "<p>&gt; Not a quote</p>",
    ):
        assert text in html


def test_html_in_a_wrong_encoding_is_refused_with_a_message():
    page = "<html><body><h1>Café</h1><h2>A</h2><p>b</p></body></html>"
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        parse_file(page.encode("latin-1"), filename="t.html")


def test_html_image_alt_text_on_many_lines_and_odd_paths_stay_one_image():
    page = (
        '<h1>T</h1><h2>A</h2><p><img alt="Table\n\nDescription [auto]" '
        'src="my pics/a (1).png"></p><h2>B</h2><p>b</p>'
    )
    body = parse_file(page.encode(), filename="t.html").lessons()[0].body_markdown
    assert body == r"![Table Description \[auto\]](my%20pics/a%20%281%29.png)"


def test_html_line_breaks_in_code_are_plain_newlines():
    page = (
        "<h1>T</h1><h2>A</h2><pre><code>a = 1<br>b = 2</code></pre><h2>B</h2><p>b</p>"
    )
    body = parse_file(page.encode(), filename="t.html").lessons()[0].body_markdown
    assert body == "```\na = 1\nb = 2\n```"


def test_parse_document_reads_html_by_extension_or_format():
    from lessons.importing import detect_format, parse_document

    page = "<h1>T</h1><h2>A</h2><p>a</p><h2>B</h2><p>b</p>"
    assert detect_format(page, "page.htm") == "html"
    for parsed in (
        parse_document(page, filename="page.html"),
        parse_document(page, format="html"),
    ):
        assert [m.title for m in parsed.modules] == ["A", "B"]


BLOG = """<html><head><title>Bees</title></head><body>
<div id="top"><nav><a href="/">Home</a> <a href="/x">Blog</a></nav></div>
<div class="sidebar"><ul><li><a href="/a">Archive 2019</a></li>
<li><a href="/b">Archive 2020</a></li></ul></div>
<div id="content">
<h1>Keeping bees</h1>
<p>Bees need a dry hive.</p>
<h2>Hives</h2>
<p>A hive has frames. Short one.</p>
<ul><li>Langstroth hive.</li><li>Top-bar hive.</li></ul>
<figure><img src="a.png" alt="A hive">
<figcaption>A hive in spring.</figcaption></figure>
<h2>Honey</h2>
<p>Honey is harvested in late summer, when the frames are capped and full.</p>
<table><tr><td>Month</td><td>Yield</td></tr>
<tr><td>August</td><td>10 kg</td></tr></table>
<h3>Storing</h3><p>Keep it sealed.</p>
</div>
<footer>Copyright 2020 Bee Blog.</footer>
</body></html>"""


def test_html_page_without_article_or_main_keeps_all_its_main_content():
    """readability-lxml finds the content region among the page furniture; the
    region is taken whole, so its short table and caption are kept too."""
    parsed = parse_file(BLOG.encode(), filename="bees.html")
    assert _outline(parsed) == [
        ("Introduction", ["Introduction"]),
        ("Hives", ["Hives"]),
        ("Honey", ["Honey", "Storing"]),
    ]
    text = _text(parsed)
    for sentence in (
        "Bees need a dry hive.",
        "A hive has frames.",
        "Short one.",
        "- Langstroth hive.",
        "- Top-bar hive.",
        "![A hive](a.png)",
        "A hive in spring.",
        "Honey is harvested in late summer, when the frames are capped and full.",
        "| Month | Yield |\n| --- | --- |\n| August | 10 kg |",
        "Keep it sealed.",
    ):
        assert sentence in text
    for furniture in ("Home", "Archive 2019", "Copyright"):
        assert furniture not in text


@pytest.mark.parametrize("furniture", ["", "<nav>Menu</nav>"])
def test_html_nested_deeply_keeps_its_text_or_is_refused_clearly(furniture):
    """libxml2 drops what is nested over 255 deep unless told not to; deeper
    than markdownify can recurse is refused with a message."""

    def page(depth):
        return (
            f"{furniture}<h1>T</h1><h2>A</h2>{'<div>' * depth}deep text"
            f"{'</div>' * depth}<h2>B</h2><p>b</p>"
        ).encode()

    parsed = parse_file(page(300), filename="t.html")
    assert "deep text" in parsed.lessons()[0].body_markdown
    with pytest.raises(DocumentError, match="nested too deeply"):
        parse_file(page(5000), filename="t.html")


def test_zip_document_too_large_unpacked_is_refused(monkeypatch):
    from lessons.importing import zip_reader

    monkeypatch.setattr(zip_reader, "MAX_DOCUMENT_BYTES", 50)
    with pytest.raises(DocumentError, match="MB can be read"):
        parse_file(build_zip({"course.md": COURSE_MD}), filename="course.zip")


def test_html_images_in_table_cells_and_links_are_kept():
    page = (
        '<h1>T</h1><h2>A</h2><table><tr><th>Logo</th></tr><tr><td><a href="/f">'
        '<img src="logo.png" alt="Logo"></a></td></tr></table><h2>B</h2><p>b</p>'
    )
    body = parse_file(page.encode(), filename="t.html").lessons()[0].body_markdown
    assert "[![Logo](logo.png)](/f)" in body


def test_html_mediawiki_chrome_inside_the_content_is_dropped():
    page = (
        '<div id="content" role="main"><h1>Mozilla</h1>'
        '<div id="siteSub">From Wikipedia, the free encyclopedia</div>'
        '<div id="jump-to-nav" class="mw-jump">Jump to: navigation</div>'
        "<p>Mozilla is a community.</p><h2>History</h2><p>In 1998.</p>"
        '<div id="catlinks" class="catlinks">Categories: Mozilla</div>'
        '<div class="printfooter">Retrieved from somewhere</div></div>'
    )
    text = _text(parse_file(page.encode(), filename="t.html"))
    assert "Mozilla is a community." in text and "In 1998." in text
    for chrome in ("From Wikipedia", "Jump to", "Categories", "Retrieved"):
        assert chrome not in text


SAVED_PAGE = """<html><head>{head}</head><body><main>
<h1>Mozilla</h1><h2>History</h2>
<p>See <a href="/wiki/Netscape">Netscape</a>, <a href="Firefox">Firefox</a>,
<a href="#History">above</a>, <a href="https://example.org/x">x</a> and
<a href="mailto:a@example.org">mail</a>. <img src="/img/logo.png" alt="Logo"></p>
<h2>Next</h2><p>More.</p></main></body></html>"""


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="https://en.wikipedia.org/wiki/Mozilla">',
        '<meta property="og:url" content="https://en.wikipedia.org/wiki/Mozilla">',
        '<base href="https://en.wikipedia.org/wiki/">'
        '<link rel="canonical" href="https://mirror.example.org/Mozilla">',
    ],
)
def test_html_links_to_the_pages_own_site_point_back_at_it(head):
    """A saved page links to its own site by paths (/wiki/Netscape): on this
    site they would be broken links, so they point at the page's address
    (<base>, else its canonical address, else og:url); images keep their path,
    which is looked up in the upload."""
    doc = parse_html(SAVED_PAGE.format(head=head))
    (history,) = [x for x in doc.lessons() if x.title == "History"]
    body = history.body_markdown
    assert "[Netscape](https://en.wikipedia.org/wiki/Netscape)" in body
    assert "[Firefox](https://en.wikipedia.org/wiki/Firefox)" in body
    assert "[above](#History)" in body
    assert "[x](https://example.org/x)" in body
    assert "[mail](mailto:a@example.org)" in body
    assert "![Logo](/img/logo.png)" in body


def test_html_links_stay_as_written_when_the_page_gives_no_address():
    doc = parse_html(SAVED_PAGE.format(head=""))
    (history,) = [x for x in doc.lessons() if x.title == "History"]
    assert "[Netscape](/wiki/Netscape)" in history.body_markdown
