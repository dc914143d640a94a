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


def test_a_contents_entry_is_a_heading_once():
    doc = parse_plain_text(ENCYCLOPEDIA_PAGE + "\nLenses\n\nMore pages about optics.\n")
    assert [module.title for module in doc.modules][-1] == "See also"
    assert doc.lessons()[-1].body_markdown.endswith(
        "Lenses\n\nMore pages about optics."
    )


def test_two_heading_lines_after_a_paragraph_not_ending_a_sentence():
    doc = parse_plain_text(
        "Workshop\n\nSaws\n\n"
        "Cut the boards to length with a fine saw and sand every edge. Learn more\n\n"
        "Tools and materials\nHammers\n\nDrive the nails in straight.\n\n"
        "Glue\n\nHold the parts while they dry.\n"
    )
    assert outline(doc) == [
        ("Saws", ["Saws"]),
        ("Tools and materials", ["Hammers", "Glue"]),
    ]


def test_a_site_name_above_the_title_is_not_the_title():
    doc = parse_plain_text(
        "Kiteworks\nFlying Kites in Autumn\n\nAutumn winds are steady.\n\n"
        "Choosing a kite\n\nPick one that suits the wind.\n"
    )
    assert doc.title == "Flying Kites in Autumn"
    assert doc.lessons()[0].body_markdown == ("Kiteworks\n\nAutumn winds are steady.")


KITE_POST = """Flying Kites

Choosing a kite

Pick one that suits the wind.

Posted by Jo Kite on May 2, 2020 at 10:00

Leave a comment below, all are read.

About the Author
Jo Kite

Jo has flown kites for years.

jokite.example.com

Read more articles by Jo Kite.

Kite Club

Content on this site is licensed under a Creative Commons licence.
"""


def test_bylines_author_boxes_and_footers_are_no_headings():
    doc = parse_plain_text(KITE_POST)
    assert outline(doc) == [("Choosing a kite", ["Choosing a kite"])]
    body = doc.lessons()[0].body_markdown
    assert body.startswith("Pick one that suits the wind.\n\nPosted by Jo Kite")
    assert body.endswith(
        "Kite Club\n\nContent on this site is licensed under a "
        "Creative Commons licence."
    )


BLOG_POST_END = """Kite Notes

Launching

Let the wind lift the kite out of your hand.

Next article Kite Notes: Issue 12 March 3, 2021

We write about kites every week.

3 comments on “Kite Notes: Issue 11”

Thanks for the tips on launching.

Your email address will not be published. Required fields are marked *

Name *
"""


def test_article_links_comment_counts_and_form_notes_are_no_headings():
    doc = parse_plain_text(BLOG_POST_END)
    assert outline(doc) == [("Launching", ["Launching"])]


WEEKLY_NOTES = """Garden Club Weekly

Highlights
The compost bins were emptied and turned over this week.
Three new members joined the club!
Tool Shed
Sam oiled every hinge on the shed door and fixed the lock
The wheelbarrow has a new tyre and a new handle
Seed Library
We are sorting all the seeds by season now:
Beans and peas for spring
Pumpkins for the autumn
"""


def test_headings_glued_between_lines_of_a_list_without_bullets():
    doc = parse_plain_text(WEEKLY_NOTES)
    assert [module.title for module in doc.modules] == [
        "Highlights",
        "Tool Shed",
        "Seed Library",
    ]
    assert doc.lessons()[-1].body_markdown == (
        "We are sorting all the seeds by season now:\n"
        "Beans and peas for spring\nPumpkins for the autumn"
    )


def test_short_lines_in_a_list_of_names_stay_body_text():
    doc = parse_plain_text(
        "Course\n\nHelpers\n\nThanks to these helpers\nAnna Berg\nTom Lind\n"
        "Maria Ek\nfor their time and their patience with us.\n"
    )
    assert outline(doc) == [("Helpers", ["Helpers"])]


def test_after_the_article_ends_nothing_is_a_heading():
    doc = parse_plain_text(
        "Kite Notes\n\nLaunching\n\nLet the wind lift the kite out of your hand.\n\n"
        "Landing\n\nPull the line in slowly.\n\nGet the Kite App\n\n"
        "Previous article Kite Notes: Issue 10\n\nSign up now\n\n"
        "We send one letter a month.\n\nLeave a reply\n\nComment\n\n"
        "Spam robots, please leave this field blank.\n"
    )
    assert outline(doc) == [("Launching", ["Launching"]), ("Landing", ["Landing"])]
    assert doc.lessons()[-1].body_markdown.endswith(
        "Comment\n\nSpam robots, please leave this field blank."
    )


def test_an_end_marker_before_any_heading_is_ignored():
    doc = parse_plain_text(
        "Kite Notes\n\nRelated posts\n\nLaunching\n\nLet the wind lift the kite.\n"
    )
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Launching", ["Launching"]),
    ]


BLOG_POST_START = """Skip to content
Kite Blog
Home
Archive
Categories: Tips
Flying Kites in Strong Wind
Sam Flyer
March 3, 2021

Strong wind is no reason to stay at home, if you pick the right kite for it.

Choosing a kite

Pick a small kite with a short tail.
"""


def test_the_title_above_a_byline_with_a_date_is_the_title():
    doc = parse_plain_text(BLOG_POST_START)
    assert doc.title == "Flying Kites in Strong Wind"
    intro = doc.lessons()[0].body_markdown
    assert intro.startswith("Skip to content\nKite Blog\nHome\nArchive\n")
    assert "Categories: Tips\nSam Flyer\nMarch 3, 2021" in intro


def test_headings_that_repeat_a_contents_entry_with_its_number():
    doc = parse_plain_text(
        "Garden\n\nContents\n1 Soil\n2 Water\n\n1 Soil\n\nSoil is alive.\n\n"
        "2 Water\n\nWater it weekly.\n"
    )
    assert [module.title for module in doc.modules] == [
        "Introduction",
        "1 Soil",
        "2 Water",
    ]


def test_a_contents_list_whose_entries_never_come_is_ignored():
    doc = parse_plain_text(
        "Garden\n\nContents\n1 Soil\n2 Water\n\nEarth\n\nSoil is alive.\n\n"
        "Rain\n\nWater it weekly.\n"
    )
    assert [module.title for module in doc.modules] == [
        "Introduction",
        "Earth",
        "Rain",
    ]


def test_three_headings_glued_in_a_row_are_all_headings():
    doc = parse_plain_text(
        "Club News\n\nHighlights\nThe compost bins were emptied and turned this week.\n"
        "Project Updates\nTools\nHand Tools\n"
        "Sam oiled every hinge on the shed door and fixed the lock\n"
        "The wheelbarrow has a new tyre and a new handle\n"
    )
    titles = [module.title for module in doc.modules] + [
        item.title for item in doc.lessons()
    ]
    assert {"Highlights", "Project Updates", "Tools", "Hand Tools"} <= set(titles)
    assert doc.lessons()[-1].body_markdown == (
        "Sam oiled every hinge on the shed door and fixed the lock\n"
        "The wheelbarrow has a new tyre and a new handle"
    )


def test_a_notice_heading_belongs_to_the_section_before_it():
    doc = parse_plain_text(
        "Workshop\n\nSaws\n\nCut the boards to length.\n\n"
        "Important: Wear your goggles\n\nSawdust flies into the eyes.\n\n"
        "Glue\n\nHold the parts while they dry.\n"
    )
    assert outline(doc) == [
        ("Saws", ["Saws", "Important: Wear your goggles"]),
        ("Glue", ["Glue"]),
    ]


# The shape of a tutorial page (as document 33 of the corpus): a section whose
# sub-section is not announced in its text, but whose own text keeps returning
# to the section's topic ("kettles"), then a section on another topic.
TUTORIAL_PAGE = """Making Tea at Home
A short guide for beginners.

Choosing leaves

Loose leaves give more taste than bags, and they keep for months in a tin.

Dealing with kettles

A kettle heats water for tea. We will look at every kind of kettle now.

Electric ones boil fast and switch off on their own.

Descaling and cleaning

Kettles gather lime in hard water. Rinse kettles with vinegar once a month.

Future plans

Next month we will look at brewing times for green and black tea.
"""


def test_a_section_returning_to_its_parents_topic_nests_under_it():
    doc = parse_plain_text(TUTORIAL_PAGE)
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Choosing leaves", ["Choosing leaves"]),
        ("Dealing with kettles", ["Dealing with kettles", "Descaling and cleaning"]),
        ("Future plans", ["Future plans"]),
    ]


def test_a_section_that_names_its_parent_once_stays_beside_it():
    once = TUTORIAL_PAGE.replace("Rinse kettles", "Rinse them")
    doc = parse_plain_text(once)
    assert [module.title for module in doc.modules] == [
        "Introduction",
        "Choosing leaves",
        "Dealing with kettles",
        "Descaling and cleaning",
        "Future plans",
    ]


# A changelog-like page (as document 34 of the corpus): list items without
# bullets, each ending with a reference in brackets, and the next heading glued
# under the last of them.
CHANGELOG_PAGE = """Kettle News: Issue 12

Boiling
Sped up boiling for the large kettles (Bug 1201)
Fixed a whistle that stayed silent on Sundays (Bug 1202)
Descaling

Descaling now runs at night (Bug 1203). Nobody needs tea then.

Share this issue
"""


def test_a_heading_glued_under_an_item_ending_with_a_reference():
    doc = parse_plain_text(CHANGELOG_PAGE)
    assert [module.title for module in doc.modules] == ["Boiling", "Descaling"]
    # Sentences ending with a bracketed reference are text, not code.
    assert doc.lessons()[0].body_markdown == (
        "Sped up boiling for the large kettles (Bug 1201)\n"
        "Fixed a whistle that stayed silent on Sundays (Bug 1202)"
    )
