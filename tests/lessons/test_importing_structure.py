"""Structure on real kinds of documents (issue 11, part 2): each test is a short
excerpt written in the manner of a real document that the old importer got wrong."""

import pytest

from lessons.importing import (
    DocumentError,
    detect_format,
    parse_document,
    parse_markdown,
    parse_plain_text,
    parse_rst,
)
from lessons.importing.markdown import clean_heading


def outline(doc):
    return [
        (module.title, [lesson.title for lesson in module.lessons])
        for module in doc.modules
    ]


def body(doc, title):
    (found,) = [lesson for lesson in doc.lessons() if lesson.title == title]
    return found.body_markdown


def all_text(doc):
    return "\n".join(lesson.body_markdown for lesson in doc.lessons())


# --------------------------------------------------------------------------
# Markdown: levels relative to the document

BOOK_CHAPTER = """## Shapes of Data

Every value has a shape.

### Simple Shapes

A simple shape holds one value.

#### Whole Numbers

Numbers without a fraction.

#### Fractions

Numbers with one.

### Compound Shapes

A compound shape holds several.

#### Pairs

Two values together.

## Summary

That was a long chapter.
"""


def test_chapter_opening_with_h2_is_the_title_and_h3_the_modules():
    doc = parse_markdown(BOOK_CHAPTER)
    assert doc.title == "Shapes of Data"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Simple Shapes", ["Simple Shapes", "Whole Numbers", "Fractions"]),
        ("Compound Shapes", ["Compound Shapes", "Pairs"]),
        ("Summary", ["Summary"]),
    ]
    assert doc.lessons()[0].body_markdown == "Every value has a shape."


def test_skipped_level_nests_under_the_nearest_shallower_heading():
    doc = parse_markdown(
        "# Quick Start\n\nHello.\n\n### Install\n\nRun it.\n\n## Use\n\nCall it.\n"
        "\n### Options\n\nFlags.\n"
    )
    assert doc.title == "Quick Start"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Install", ["Install"]),
        ("Use", ["Use", "Options"]),
    ]


def test_several_h1_after_a_repeated_title_keep_the_numbered_sections():
    doc = parse_markdown(
        "# Field Guide\n\nA guide.\n\n# Field Guide\n\n## 1. Setup\n\nFirst.\n\n"
        "## 1.1. Install\n\nSecond.\n\n## 1.2. Configure\n\nThird.\n\n"
        "## 2. Use\n\nFourth.\n"
    )
    assert doc.title == "Field Guide"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("1. Setup", ["1. Setup", "1.1. Install", "1.2. Configure"]),
        ("2. Use", ["2. Use"]),
    ]
    assert any("repeating the title" in warning for warning in doc.warnings)


def test_numbered_headings_nest_by_their_numbers_not_their_level():
    doc = parse_markdown(
        "# Manual\n\n## 3. Scope\n\nWhat.\n\n## 3.1. Inside\n\nIn.\n\n"
        "## 3.2 Outside\n\nOut.\n\n## 4. Terms\n\nWords.\n"
    )
    assert outline(doc) == [
        ("3. Scope", ["3. Scope", "3.1. Inside", "3.2 Outside"]),
        ("4. Terms", ["4. Terms"]),
    ]


def test_deeper_numbered_headings_stay_inside_their_lesson():
    doc = parse_markdown(
        "# Rules\n\n## 2 Language\n\nRules.\n\n### 2.1 Lint\n\nRun it.\n\n"
        "#### 2.1.1 Definition\n\nA tool.\n\n#### 2.1.2 Pros\n\nBugs found.\n"
    )
    assert outline(doc) == [("2 Language", ["2 Language", "2.1 Lint"])]
    assert body(doc, "2.1 Lint") == (
        "Run it.\n\n#### 2.1.1 Definition\n\nA tool.\n\n#### 2.1.2 Pros\n\nBugs found."
    )


# --------------------------------------------------------------------------
# Front matter and Setext

FRONT_MATTER = """---
title: Versioned Releases
description: >
  How to number
  your releases.
language: en
---

Versioned Releases
==================

Summary
-------

Bump the major number for breaking changes.

Questions
---------

### What about zero?

Anything may change.
"""


def test_front_matter_is_metadata_and_its_title_repeated_in_setext_is_the_title():
    doc = parse_markdown(FRONT_MATTER)
    assert doc.title == "Versioned Releases"
    assert doc.description == "How to number your releases."
    assert outline(doc) == [
        ("Summary", ["Summary"]),
        ("Questions", ["What about zero?"]),
    ]
    assert "language" not in all_text(doc) and "---" not in all_text(doc)
    assert any("front matter" in warning for warning in doc.warnings)


def test_front_matter_title_names_a_document_without_a_title_heading():
    doc = parse_markdown(
        "---\nid: start\ntitle: Getting Going\n---\n\nInstall it first.\n\n"
        "## Running\n\nRun it.\n\n## Testing\n\nTest it.\n"
    )
    assert doc.title == "Getting Going"
    assert outline(doc)[0] == ("Introduction", ["Introduction"])
    assert doc.lessons()[0].body_markdown == "Install it first."


def test_a_rule_at_the_top_is_not_front_matter():
    doc = parse_markdown("---\n\n# Notes\n\n## One\n\nText.\n\n## Two\n\nMore.\n")
    assert doc.title == "Notes"
    assert doc.description == ""


# --------------------------------------------------------------------------
# Admonitions and heading text


@pytest.mark.parametrize(
    ("admonition", "callout"),
    [
        (":::tip Keep it short\n\nShort lessons work.\n\n:::", "> [!TIP]"),
        (":::caution\n\nShort lessons work.\n:::", "> [!WARNING]"),
        ('!!! info "Keep it short"\n\n    Short lessons work.', "> [!NOTE]"),
        ("??? warning\n    Short lessons work.", "> [!WARNING]"),
        ("/// tip | Keep it short\n\nShort lessons work.\n\n///", "> [!TIP]"),
        ("> [!NOTE]\n> Short lessons work.", "> [!NOTE]"),
    ],
    ids=["docusaurus", "docusaurus-bare", "mkdocs", "mkdocs-collapsible", "pymdown",
         "github"],
)  # fmt: skip
def test_admonitions_become_callouts(admonition, callout):
    doc = parse_markdown(f"# Course\n\n## Writing\n\n{admonition}\n\nAfter.\n")
    text = body(doc, "Writing")
    assert text.startswith(callout)
    assert "> Short lessons work." in text
    assert text.endswith("After.")
    for marker in (":::", "!!!", "???", "///"):
        assert marker not in text


def test_headings_inside_admonitions_are_not_sections():
    doc = parse_markdown(
        "# Course\n\n## Writing\n\n:::note\n\n## Not a section\n\nAside.\n\n:::\n\n"
        "## Reading\n\nText.\n"
    )
    assert outline(doc) == [("Writing", ["Writing"]), ("Reading", ["Reading"])]
    assert "> ## Not a section" in body(doc, "Writing")


def test_admonition_syntax_inside_code_fences_is_kept():
    doc = parse_markdown(
        "# Course\n\n## Syntax\n\n```markdown\n!!! note\n\n    Text.\n```\n"
    )
    assert body(doc, "Syntax") == "```markdown\n!!! note\n\n    Text.\n```"


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Install it {#install}", "Install it"),
        ("Install it { #install .wide }", "Install it"),
        ('Install it { id="install" }', "Install it"),
        ("Install it {/*install*/}", "Install it"),
        (r"snake\_case \*names\*", "snake_case *names*"),
        ("The `run()` command", "The run() command"),
        ("Install <small>optional</small>", "Install optional"),
        ("Contents <!-- omit in toc -->", "Contents"),
        ('<!-- md:flag --> – Version { data-toc-label="Version" }', "Version"),
        ("See [the docs](https://example.com/docs)", "See the docs"),
        # Emphasis (corpus doc 08): the title shows the words, not the stars.
        ("Paso 3: crea una *path operation*", "Paso 3: crea una path operation"),
        ("Paso 4: la **path operation**", "Paso 4: la path operation"),
        ("An _emphasised_ word in snake_case", "An emphasised word in snake_case"),
        ("The `a*b*c` pattern, 2 * 3 * 4", "The a*b*c pattern, 2 * 3 * 4"),
    ],
)
def test_heading_titles_lose_attributes_escapes_and_markup(heading, title):
    assert clean_heading(heading) == title
    doc = parse_markdown(f"# Course\n\n## {heading}\n\nText.\n\n## Next\n\nMore.\n")
    assert doc.modules[0].title == title


# --------------------------------------------------------------------------
# reStructuredText

PEP_LIKE = """PEP: 9999
Title: Writing Small Guides
Author: A. Writer <writer@example.org>
Status: Active


Abstract
========

This guide says how to write small guides.


Rationale
=========

Small guides get read.  For example::

    guide = write(small=True)

Details
-------

.. note::

   Keep each section short.

* One idea per section.
* See :pep:`8` and `the style guide <https://example.org/style>`_.

.. _a-target:

Closing
=======

Done.
"""


def test_rst_pep_sections_become_modules_and_lessons():
    doc = parse_rst(PEP_LIKE)
    assert doc.title == "Writing Small Guides"
    assert doc.source_format == "rst"
    assert outline(doc) == [
        ("Abstract", ["Abstract"]),
        ("Rationale", ["Rationale", "Details"]),
        ("Closing", ["Closing"]),
    ]
    assert body(doc, "Rationale") == (
        "Small guides get read.  For example:\n\n```\nguide = write(small=True)\n```"
    )
    details = body(doc, "Details")
    assert details.startswith("> [!NOTE]\n> Keep each section short.")
    assert "See PEP 8 and [the style guide](https://example.org/style)." in details
    assert "a-target" not in all_text(doc)
    assert "Author" not in all_text(doc)


def test_rst_overlined_title_is_the_course_title():
    doc = parse_document(
        "=========\nTemplates\n=========\n\nIntro text.\n\nSetup\n-----\n\n"
        "Set it up.\n\nUse\n---\n\n.. code-block:: python\n\n   render()\n",
        filename="templates.rst",
    )
    assert doc.title == "Templates"
    assert outline(doc) == [
        ("Introduction", ["Introduction"]),
        ("Setup", ["Setup"]),
        ("Use", ["Use"]),
    ]
    assert body(doc, "Use") == "```python\nrender()\n```"


def test_rst_without_sections_is_refused_with_a_clear_message():
    with pytest.raises(DocumentError, match="no section headings found"):
        parse_rst("Just a paragraph.\n")


# --------------------------------------------------------------------------
# Choosing the format


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("Notes\n\n# not a heading here\n\nSection\n\nBody.\n", "notes.txt", "text"),
        ("Guide\n=====\n\nText.\n\n.. note:: Hi\n", "", "rst"),
        ("PEP: 1\nTitle: T\n\nA\n=\n", "", "rst"),
        ("Guide\n\n## Part\n\nBody.\n", "", "markdown"),
        ("Title\n\nSection\n\nBody.\n", "", "text"),
        ("Guide\n~~~~~\n\nText.\n", "guide.rst", "rst"),
    ],
)
def test_detect_format_uses_the_extension_first_then_the_content(
    text, filename, expected
):
    assert detect_format(text, filename) == expected


def test_a_txt_file_with_a_hash_line_is_plain_text():
    doc = parse_document(
        "Field Notes\n\nBirds\n\n# seen today: three robins\n\nTrees\n\nTall ones.\n",
        filename="notes.txt",
    )
    assert doc.source_format == "text"
    assert outline(doc) == [("Birds", ["Birds"]), ("Trees", ["Trees"])]


def test_format_can_be_forced_and_unknown_formats_are_refused():
    text = "Title\n\nPart\n\n## not a heading in text.\n\nOther\n\nMore.\n"
    as_text = parse_document(text, filename="a.md", format="text")
    assert as_text.source_format == "text"
    assert outline(as_text) == [("Part", ["Part"]), ("Other", ["Other"])]
    as_markdown = parse_document(text, filename="a.txt", format="markdown")
    assert as_markdown.source_format == "markdown"
    with pytest.raises(DocumentError, match="unknown format"):
        parse_document(text, format="pdf")


# --------------------------------------------------------------------------
# Plain text copied from a web page

WEB_PAGE = """Fetching Things

Fetching is how pages get data.

Figure 2: A request and its response

The figure shows one round trip.

Simple requests

Start with a plain request:

const answer = await fetch(url);
const data = await answer.json();
console.log(data);

Read more about requests

Note

Requests can fail.

Method\tMeaning
GET\tRead

🚀 Going faster

Cache what you can.

# install the tool first
npm install fetcher

That is all.
"""


def test_web_page_captions_link_lines_and_box_titles_are_not_headings():
    doc = parse_plain_text(WEB_PAGE)
    titles = [lesson.title for lesson in doc.lessons()]
    assert "Figure 2: A request and its response" not in titles
    assert "Read more about requests" not in titles
    assert "Note" not in titles
    assert "Simple requests" in titles


def test_web_page_emoji_heading_is_a_heading():
    doc = parse_plain_text(WEB_PAGE)
    assert "🚀 Going faster" in [lesson.title for lesson in doc.lessons()]


def test_web_page_code_keeps_its_line_breaks():
    doc = parse_plain_text(WEB_PAGE)
    assert (
        "```\nconst answer = await fetch(url);\nconst data = await answer.json();\n"
        "console.log(data);\n```"
    ) in all_text(doc)


def test_shell_comment_lines_are_not_markdown_headings():
    from lessons.rendering import render_markdown

    doc = parse_plain_text(WEB_PAGE)
    text = body(doc, "🚀 Going faster")
    assert "\\# install the tool first" in text
    html = render_markdown(text)
    assert "<h1>" not in html and "# install the tool first" in html


def test_numbered_plain_text_headings_nest_by_number():
    doc = parse_plain_text(
        "Handbook\n\n1 Basics\n\nStart here.\n\n1.1 Words\n\nSome words.\n\n"
        "1.2 Sentences\n\nSome sentences.\n\n2 Practice\n\nDo it.\n"
    )
    assert outline(doc) == [
        ("1 Basics", ["1 Basics", "1.1 Words", "1.2 Sentences"]),
        ("2 Practice", ["2 Practice"]),
    ]


def test_heading_right_after_code_without_a_blank_line_is_a_heading():
    doc = parse_plain_text(
        "Fetching\n\nSimple use\n\nCall it like this:\n\n"
        "fetch(url).then(function(res) {\n  console.log(res);\n});\nRequests\n\n"
        "A request has a method.\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["Simple use", "Requests"]


def test_words_in_code_do_not_nest_the_next_section():
    doc = parse_plain_text(
        "Fetching\n\nSimple use\n\nCall it like this:\n\n"
        "fetch(url, {\n  headers: {},\n});\n\nHeaders\n\nThey describe a request.\n"
    )
    assert outline(doc) == [
        ("Simple use", ["Simple use"]),
        ("Headers", ["Headers"]),
    ]


@pytest.mark.parametrize(
    "furniture", ["2 comments", "Reply", "Skip to content", "Post a comment"]
)
def test_web_page_furniture_is_not_a_heading(furniture):
    doc = parse_plain_text(
        f"Article\n\nFirst part\n\nText.\n\n{furniture}\n\nMore text.\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["First part"]


def test_heading_glued_under_a_learn_more_line_is_a_heading():
    doc = parse_plain_text(
        "Tools\n\nEditor\n\nEdit files in place.\n\n"
        "Learn more about Editor\nConsole\n\n"
        "Run commands and see their output.\n\nLearn more about Console\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["Editor", "Console"]
    assert "Learn more about Editor" in body(doc, "Editor")


def test_a_wrapped_paragraph_keeps_its_last_capitalised_line():
    doc = parse_plain_text(
        "Travel\n\nPlaces\n\nWe flew from Lima to the capital of the\nUnited States\n\n"
        "It was long.\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["Places"]


def test_warnings_say_what_was_guessed_or_set_aside():
    text_doc = parse_plain_text("Course\n\nFirst\n\nText.\n\nSecond\n\nMore.\n")
    assert text_doc.warnings == (
        "2 heading(s) guessed from the text's layout: First; Second",
    )
    markdown_doc = parse_markdown("# Course\n\n## First\n\nText.\n\n## Second\n\nMore.")
    assert markdown_doc.warnings == ()


def test_code_inside_a_callout_stays_code_when_rendered():
    from lessons.rendering import render_markdown

    doc = parse_markdown(
        '# Course\n\n## Setup\n\n!!! info "Set the URL"\n\n    Set it:\n\n'
        "    ``` yaml\n    site_url: https://example.com\n    ```\n\nAfter.\n"
    )
    text = body(doc, "Setup")
    assert text.startswith("> [!NOTE]\n> **Set the URL**\n>\n> Set it:\n")
    html = render_markdown(text)
    assert '<blockquote class="callout callout-note">' in html
    assert "<pre><code>site_url: https://example.com\n</code></pre>" in html


@pytest.mark.parametrize(
    "name", ["render_template", "fetch()", "json.dumps", "arrayBuffer"]
)
def test_a_lower_case_name_from_code_is_a_heading(name):
    doc = parse_plain_text(
        f"Reference\n\nOverview\n\nThe functions.\n\n{name}\n\nWhat it does.\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["Overview", name]


@pytest.mark.parametrize("line", ["okay", "see below", "and then"])
def test_a_lower_case_word_is_not_a_heading(line):
    doc = parse_plain_text(
        f"Reference\n\nOverview\n\nThe functions.\n\n{line}\n\nWhat it does.\n"
    )
    assert [lesson.title for lesson in doc.lessons()] == ["Overview"]


# A document without a title of its own (several top headings, no metadata)

SEVERAL_TOPS = """# Contents

* [alpha](#alpha)
* [beta](#beta)

# alpha

The first module.

## Alpha Objects

Objects of the first module.

# beta

The second module.
"""


def test_a_document_without_a_title_is_named_after_its_file():
    doc = parse_document(SEVERAL_TOPS, filename="Python-Kettle_API-Reference.md")
    assert doc.title == "Python Kettle API Reference"
    assert [module.title for module in doc.modules] == ["Contents", "alpha", "beta"]


@pytest.mark.parametrize("name", ["README.md", "index.md", "document.md", ""])
def test_a_generic_file_name_is_no_title(name):
    doc = parse_document(SEVERAL_TOPS, filename=name, format="markdown")
    assert doc.title == "Contents"


def test_a_title_of_its_own_beats_the_file_name():
    doc = parse_document("# Kettles\n\n## Boiling\n\nHot.\n", filename="notes-v2.md")
    assert doc.title == "Kettles"


DETAILS = """# Getting Started

## Using Babel

Configure Babel.

<details>
  <summary markdown="span"><strong>Making your Babel config jest-aware</strong>\
</summary>

Jest sets `NODE_ENV` to `'test'`.

```javascript
module.exports = api => api.env('test');
```

:::note

`babel-jest` is installed with Jest.

:::

</details>

After the box.

## Next

More.
"""


def test_a_details_block_is_a_callout_whose_markdown_is_read():
    """Python-Markdown shows everything between <details> and </details> as
    raw text (corpus doc 28: a code fence and a note shown as ``` and [!NOTE]);
    GitHub and Docusaurus read Markdown inside it. It becomes a callout titled
    by its summary, like MkDocs' collapsible '??? note'."""
    from lessons.rendering import render_lesson

    doc = parse_markdown(DETAILS)
    assert outline(doc) == [("Using Babel", ["Using Babel"]), ("Next", ["Next"])]
    html = render_lesson(body(doc, "Using Babel"))
    assert "<details" not in html and "```" not in html and "[!NOTE]" not in html
    assert '<p class="callout-title">Note</p>' in html
    assert "<strong>Making your Babel config jest-aware</strong>" in html
    assert "<pre><code>module.exports = api =&gt; api.env('test');" in html
    assert html.count('<blockquote class="callout') == 2
    assert html.index("callout") < html.index("After the box.")


def test_details_inside_code_or_unclosed_stay_as_written():
    text = "# T\n\n## A\n\n```html\n<details>\n<p>x</p>\n</details>\n```\n\n"
    text += "<details>\nNever closed.\n\n## B\n\nText.\n"
    doc = parse_markdown(text)
    assert "```html\n<details>\n<p>x</p>\n</details>\n```" in body(doc, "A")
    assert "<details>\nNever closed." in body(doc, "A")
