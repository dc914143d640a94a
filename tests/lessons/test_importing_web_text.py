"""Plain text copied from web pages: contents lists, "[edit]" links, headings
over empty sections (issue 11 §2). The excerpts are short and made up, in the
shape of such pages."""

from lessons.importing import parse_plain_text


def outline(doc):
    return [
        (module.title, [lesson.title for lesson in module.lessons])
        for module in doc.modules
    ]


ENCYCLOPEDIA_PAGE = """Lighthouses
From the free encyclopedia

A lighthouse is a tower that guides ships at night.

Contents
1 History
1.1 Early towers
2 Lenses
2.1 Fresnel lens
2.1.1 Rings
3 See also

History[edit]

The first towers burned wood on their tops.

Early towers[edit]

Romans built stone towers along their coasts.

Lenses[edit]

Fresnel lens[edit]
Rings[edit]

Glass rings bend the light into one beam.

See also[edit]

Harbours

Navigation menu

About the site and its privacy policy.
"""


def test_edit_links_are_dropped_from_headings():
    doc = parse_plain_text(ENCYCLOPEDIA_PAGE)
    titles = [module.title for module in doc.modules]
    assert "History" in titles
    assert not any("[edit]" in title for title in titles)


def test_a_numbered_contents_list_is_no_heading_and_gives_the_nesting():
    doc = parse_plain_text(ENCYCLOPEDIA_PAGE)
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("History", ["History", "Early towers"]),
        ("Lenses", ["Fresnel lens"]),
        ("See also", ["See also"]),
    ]
    # The contents list stays in the introduction, in order.
    intro = doc.lessons()[0].body_markdown
    assert "1 History\n1.1 Early towers" in intro
    # A third level stays a heading inside its lesson.
    assert doc.lessons()[-2].body_markdown == (
        "### Rings\n\nGlass rings bend the light into one beam."
    )


def test_with_a_contents_list_only_its_entries_are_headings():
    doc = parse_plain_text(ENCYCLOPEDIA_PAGE)
    see_also = doc.lessons()[-1]
    assert see_also.body_markdown == (
        "Harbours\n\nNavigation menu\n\nAbout the site and its privacy policy."
    )


TOOLS_PAGE = """Welcome to the Workshop

Everything you need to build a birdhouse.

Saws

Cut the boards to length with a fine saw.

Tools and materials
Hammers

Drive the nails in straight.

Glue

Hold small parts together while they dry.
"""


def test_two_heading_lines_in_a_row_are_two_headings():
    doc = parse_plain_text(TOOLS_PAGE)
    titles = [module.title for module in doc.modules]
    assert "Tools and materials" in titles


def test_a_heading_over_an_empty_section_holds_the_sections_after_it():
    doc = parse_plain_text(TOOLS_PAGE)
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Saws", ["Saws"]),
        ("Tools and materials", ["Hammers", "Glue"]),
    ]


REFERENCE_PAGE = """Talking to Servers

Sending requests needs a few objects: Headers, Request and Response.

Headers

Headers hold the fields of a Request or a Response.

Request

A Request names a resource.

Response

A Response carries the answer.
"""


def test_siblings_introduced_together_do_not_nest():
    doc = parse_plain_text(REFERENCE_PAGE)
    assert [module.title for module in doc.modules] == [
        "Introduction",
        "Headers",
        "Request",
        "Response",
    ]
