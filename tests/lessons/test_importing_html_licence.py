"""A saved page's licence line is kept (issue 11): CC BY-SA and CC BY text may only
be reused with its attribution, which sites put in the footer the main-content
extractor leaves out. The line (an element holding a ``rel="license"`` link or a
link to a Creative Commons licence, or marked ``license``/``licence``/``copyright``
by its class or id) becomes the last paragraph of the last lesson, in the page's
own words; the rest of the footer stays out."""

import pytest

from lessons.importing import parse_file

ARTICLE = """<article>
<h1>Soil basics</h1>
<p>Soil is a living layer.</p>
<h2>Texture</h2>
<p>Sand drains fast.</p>
<h2>Life in soil</h2>
<p>Worms mix the layers.</p>
</article>"""


def _page(footer: str, article: str = ARTICLE) -> bytes:
    return (
        "<!doctype html><html><head><title>Soil</title>"
        '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'
        "</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"{article}<footer>{footer}</footer></body></html>"
    ).encode()


def _parse(data: bytes):
    return parse_file(data, filename="soil.html")


def _outline(parsed):
    return [(m.title, [lesson.title for lesson in m.lessons]) for m in parsed.modules]


def _last_body(parsed) -> str:
    return parsed.lessons()[-1].body_markdown


WIKI_FOOTER = """<ul id="footer-info">
<li id="footer-info-lastmod">This page was last edited on 1 May 2020.</li>
<li>Text is available under the <a rel="license"
href="//en.wikipedia.org/wiki/CC_BY-SA">Creative Commons Attribution-ShareAlike
License</a><a rel="license" href="//creativecommons.org/licenses/by-sa/3.0/"
style="display:none;"></a>; additional terms may apply.</li></ul>
<ul id="footer-places"><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/about">About the site</a></li></ul>"""


def test_a_rel_license_line_in_the_footer_ends_the_last_lesson():
    parsed = _parse(_page(WIKI_FOOTER))
    assert _outline(parsed) == [
        ("Introduction", ["Introduction"]),
        ("Texture", ["Texture"]),
        ("Life in soil", ["Life in soil"]),
    ]
    body = _last_body(parsed)
    assert body.startswith("Worms mix the layers.")
    last = body.split("\n\n")[-1]
    assert last.startswith("Text is available under the [Creative Commons")
    assert last.endswith("; additional terms may apply.")
    assert "creativecommons.org" not in body  # the hidden link has no text
    text = "\n".join(lesson.body_markdown for lesson in parsed.lessons())
    for furniture in ("last edited", "Privacy policy", "About the site", "Home"):
        assert furniture not in text


@pytest.mark.parametrize(
    "footer",
    [
        # mozilla.org: a paragraph marked by its class, the link says nothing
        '<p class="license">Portions of this content are by contributors. Content '
        'available under a <a href="/licensing/">Creative Commons license</a>.</p>',
        # v8.dev: no marker but the link to the licence itself
        "<p><small>Content on this page is licensed under <a "
        'href="https://creativecommons.org/licenses/by/3.0/">the Creative Commons '
        "Attribution 3.0 License</a>.</small></p>",
        # the Creative Commons chooser's snippet: its badge image is left out
        '<div><a rel="license" href="http://creativecommons.org/licenses/by/4.0/">'
        '<img alt="Creative Commons License" src="https://i.creativecommons.org/'
        'l/by/4.0/88x31.png"></a><br>This work is licensed under a <a rel="license" '
        'href="http://creativecommons.org/licenses/by/4.0/">Creative Commons '
        "Attribution 4.0 International License</a>.</div>",
        # an id naming the block
        '<div id="site-copyright">© 2024 Soil Society, CC BY 4.0.</div>',
    ],
)
def test_licence_lines_are_found_by_markers_not_by_one_site(footer):
    body = _last_body(_parse(_page(footer)))
    last = body.split("\n\n")[-1]
    assert body.startswith("Worms mix the layers.")
    assert ("licen" in last.casefold()) or ("CC BY 4.0" in last)
    assert "![" not in body and "88x31" not in body


def test_a_footer_without_licence_markers_stays_out():
    parsed = _parse(
        _page(
            "<p>Copyright the site. All rights reserved.</p>"
            '<p class="footer-copyrightico"><a href="/">Powered by us</a></p>'
        )
    )
    assert _last_body(parsed) == "Worms mix the layers."


def test_a_licence_line_inside_the_content_is_not_repeated():
    article = ARTICLE.replace(
        "</article>",
        '<p>Licensed <a rel="license" href="/cc">CC BY-SA</a>.</p></article>',
    )
    parsed = _parse(_page("<p>Nothing here.</p>", article=article))
    text = "\n".join(lesson.body_markdown for lesson in parsed.lessons())
    assert text.count("Licensed [CC BY-SA]") == 1


def test_a_large_block_marked_copyright_is_not_taken_as_a_licence_line():
    """A marker on a whole region (a sidebar, a wrapper) is no licence line."""
    sidebar = (
        '<div class="copyright">'
        + "".join(f"<p>Archive entry number {n} of the blog.</p>" for n in range(60))
        + "</div>"
    )
    parsed = _parse(_page(sidebar))
    assert _last_body(parsed) == "Worms mix the layers."


def test_a_page_without_furniture_keeps_its_licence_line_once():
    page = (
        b"<html><body><h1>Soil</h1><h2>Texture</h2><p>Sand drains fast.</p>"
        b'<p class="license">CC BY 4.0 Soil Society.</p></body></html>'
    )
    body = _last_body(_parse(page))
    assert body.count("CC BY 4.0 Soil Society.") == 1


def test_a_heading_in_the_licence_block_makes_no_section():
    parsed = _parse(
        _page(
            '<div class="licence"><h2>Licence</h2><p>CC BY 4.0 Soil Society.</p></div>'
        )
    )
    assert [m.title for m in parsed.modules] == [
        "Introduction",
        "Texture",
        "Life in soil",
    ]
    assert _last_body(parsed).endswith("Licence\n\nCC BY 4.0 Soil Society.")
