"""The outline adjustments and preview of lessons.document_import (pure parts)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.document_import import (
    LESSON,
    MODULE,
    Adjustments,
    OutlineError,
    adjustments_for_version,
    adjustments_record,
    document_read,
    document_warnings,
    first_words,
    outline_adjust,
    outline_sections,
    outline_summary,
)
from lessons.importing import DocumentError, parse_document

DOC = """# Rivers of Peru

## Coast

The coast is dry and long.

### Rímac

The Rímac flows through Lima.

### Santa

The Santa drains the Cordillera Blanca.

## Amazon

The Amazon basin is wet.

## Andes

## Lakes

Titicaca is high. ![map](images/titicaca.png)
"""


def parsed():
    return parse_document(DOC, filename="rivers.md")


def shape(document):
    return [
        (
            module.title,
            module.slug,
            [(lesson.title, lesson.slug) for lesson in module.lessons],
        )
        for module in document.modules
    ]


def test_sections_flatten_modules_and_lessons_with_levels():
    sections = outline_sections(parsed())
    assert [(s.level, s.title) for s in sections] == [
        (MODULE, "Coast"),
        (LESSON, "Rímac"),
        (LESSON, "Santa"),
        (MODULE, "Amazon"),
        (MODULE, "Andes"),
        (MODULE, "Lakes"),
    ]
    assert sections[0].body == "The coast is dry and long."


def test_no_adjustments_give_back_the_parsed_document():
    document = parsed()
    assert outline_adjust(document, Adjustments()) is document


def test_title_adjustment_changes_only_the_title():
    document = outline_adjust(parsed(), Adjustments(title="  Water  "))
    assert document.title == "Water"
    assert shape(document) == shape(parsed())


def test_rename_keeps_the_slug_so_a_later_update_still_matches():
    document = outline_adjust(
        parsed(), Adjustments(renames={1: "River Rímac", 3: "Selva"})
    )
    assert shape(document)[0][2][1] == ("River Rímac", "rimac")
    amazon = document.modules[1]
    assert (amazon.title, amazon.slug) == ("Selva", "amazon")
    assert amazon.lessons[0].title == "Selva"


def test_lesson_moved_up_heads_a_module_with_the_lessons_after_it():
    document = outline_adjust(parsed(), Adjustments(levels={1: MODULE}))
    assert shape(document)[:2] == [
        ("Coast", "coast", [("Coast", "coast")]),
        ("Rímac", "rimac", [("Rímac", "rimac"), ("Santa", "santa")]),
    ]
    assert [lesson.position for lesson in document.lessons()] == list(range(6))


def test_module_moved_down_joins_the_module_before():
    document = outline_adjust(parsed(), Adjustments(levels={3: LESSON}))
    coast = document.modules[0]
    assert [lesson.title for lesson in coast.lessons] == [
        "Coast",
        "Rímac",
        "Santa",
        "Amazon",
    ]
    assert coast.lessons[3].body_markdown == "The Amazon basin is wet."
    assert [module.title for module in document.modules] == ["Coast", "Andes", "Lakes"]


def test_heading_without_text_moved_down_becomes_an_empty_lesson():
    document = outline_adjust(parsed(), Adjustments(levels={4: LESSON}))
    amazon = document.modules[1]
    assert [(lesson.title, lesson.body_markdown) for lesson in amazon.lessons] == [
        ("Amazon", "The Amazon basin is wet."),
        ("Andes", ""),
    ]


def test_merge_appends_the_text_under_its_heading_to_the_section_before():
    document = outline_adjust(parsed(), Adjustments(merges=frozenset({2})))
    rimac = document.modules[0].lessons[1]
    assert rimac.body_markdown == (
        "The Rímac flows through Lima.\n\n### Santa\n\n"
        "The Santa drains the Cordillera Blanca."
    )
    assert rimac.checksum != parsed().modules[0].lessons[1].checksum
    assert [lesson.title for lesson in document.modules[0].lessons] == [
        "Coast",
        "Rímac",
    ]


def test_merging_a_chain_keeps_the_order():
    document = outline_adjust(parsed(), Adjustments(merges=frozenset({1, 2})))
    body = document.modules[0].lessons[0].body_markdown
    assert body.index("coast") < body.index("### Rímac") < body.index("### Santa")
    assert len(document.modules[0].lessons) == 1


def test_merge_into_a_heading_without_text_gives_it_text():
    document = outline_adjust(parsed(), Adjustments(merges=frozenset({5})))
    andes = document.modules[2]
    assert andes.title == "Andes"
    assert [lesson.title for lesson in andes.lessons] == ["Andes"]
    assert andes.lessons[0].body_markdown.startswith("### Lakes\n\nTiticaca")
    assert len({lesson.slug for lesson in document.lessons()}) == len(
        document.lessons()
    )


def test_merged_module_children_follow_into_the_module_before():
    document = outline_adjust(parsed(), Adjustments(merges=frozenset({3})))
    assert [lesson.title for lesson in document.modules[0].lessons] == [
        "Coast",
        "Rímac",
        "Santa",
    ]
    assert "### Amazon" in document.modules[0].lessons[2].body_markdown


@pytest.mark.parametrize(
    "adjustments",
    [
        Adjustments(levels={6: LESSON}),
        Adjustments(levels={-1: LESSON}),
        Adjustments(renames={99: "x"}),
        Adjustments(merges=frozenset({0})),
        Adjustments(merges=frozenset({6})),
        Adjustments(levels={0: LESSON}),
        Adjustments(levels={1: 3}),
        Adjustments(renames={1: "   "}),
    ],
)
def test_impossible_adjustments_are_refused(adjustments):
    with pytest.raises(OutlineError):
        outline_adjust(parsed(), adjustments)


def test_adjusted_slugs_stay_unique():
    document = outline_adjust(
        parsed(),
        Adjustments(levels={1: MODULE, 2: MODULE, 4: LESSON}, renames={4: "Coast"}),
    )
    slugs = [lesson.slug for lesson in document.lessons()]
    assert len(set(slugs)) == len(slugs)
    module_slugs = [module.slug for module in document.modules]
    assert len(set(module_slugs)) == len(module_slugs)


def test_summary_counts_words_and_shows_first_words():
    summary = outline_summary(parsed())
    assert summary[0].lessons[0].words == 6
    assert summary[0].lessons[0].first_words == "The coast is dry and long."
    assert first_words("**One** two " + "word " * 20, count=3) == "One two word …"


def test_warnings_name_images_not_in_the_upload_and_sections_without_text():
    warnings = document_warnings(parsed())
    assert 'Image not found: "images/titicaca.png" in "Lakes".' in warnings
    assert 'The section "Andes" has no text.' in warnings


def test_plain_text_warns_that_headings_were_guessed():
    text = "Rivers\n\nThe Coast\n\nThe coast is dry.\n\nThe Amazon\n\nIt is wet.\n"
    document = document_read(data=text.encode(), name="rivers.txt")
    assert any(w.startswith("Headings guessed") for w in document_warnings(document))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("# Título\n\n## A\n\ntext".encode("latin-1"), "UTF-8"),
        (
            b"Just one paragraph of text without any heading at all.",
            "no section headings",
        ),
    ],
)
def test_bad_documents_are_refused_with_a_message(data, message):
    with pytest.raises(DocumentError, match=message):
        document_read(data=data, name="doc.txt")


def test_documents_over_the_limit_are_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 1_000_000
    with pytest.raises(DocumentError, match="at most 1 MB"):
        document_read(data=b"# T\n\n## A\n\n" + b"x" * 1_000_000, name="doc.md")


def test_format_choice_markdown_and_text():
    text = b"Rivers\n\nThe Coast\n\nThe coast is dry.\n"
    assert document_read(data=text, name="x.txt", fmt="text").source_format == "text"
    # Chosen as plain text, "# " lines are text, not headings (issue 11): a
    # Markdown document read that way has no headings the text reader finds.
    with pytest.raises(DocumentError, match="no section headings"):
        document_read(data=DOC.encode(), name="x.txt", fmt="text")
    rst = b"Rivers\n======\n\nCoast\n-----\n\nThe coast is dry.\n"
    assert document_read(data=rst, name="x", fmt="rst").source_format == "rst"
    assert (
        document_read(data=DOC.encode(), name="x", fmt="markdown").source_format
        == "markdown"
    )
    with pytest.raises(DocumentError):
        document_read(data=DOC.encode(), name="x", fmt="pdf")


@settings(max_examples=200, deadline=None)
@given(
    levels=st.dictionaries(st.integers(0, 5), st.sampled_from([MODULE, LESSON])),
    merges=st.frozensets(st.integers(0, 5)),
    renames=st.dictionaries(
        st.integers(0, 5), st.sampled_from(["Coast", "Rímac", "X"])
    ),
)
def test_any_adjustment_keeps_every_text_and_unique_slugs_or_is_refused(
    levels, merges, renames
):
    """Whatever the instructor picks: refused with a message, or an outline that
    keeps every section's text, in order, with unique slugs and positions."""
    original = parsed()
    try:
        document = outline_adjust(
            original, Adjustments(levels=levels, merges=merges, renames=renames)
        )
    except OutlineError:
        return
    lessons = document.lessons()
    text = "\n".join(lesson.body_markdown for lesson in lessons)
    position = 0
    for lesson in original.lessons():
        found = text.find(lesson.body_markdown, position)
        assert found >= 0, lesson.title
        position = found
    assert [lesson.position for lesson in lessons] == list(range(len(lessons)))
    slugs = [lesson.slug for lesson in lessons]
    assert len(set(slugs)) == len(slugs)
    module_slugs = [module.slug for module in document.modules]
    assert len(set(module_slugs)) == len(module_slugs)
    assert all(module.lessons for module in document.modules)
    kept = [index for index in range(6) if index not in merges]
    assert sum(len(module.lessons) for module in document.modules) >= len(
        [
            i
            for i in kept
            if levels.get(i, outline_sections(original)[i].level) == LESSON
        ]
    )
    # What the instructor sees again is what was built.
    assert [s.title for s in outline_sections(document)][0] == document.modules[0].title


# --- Adjustments kept for a new version ------------------------------------------


def test_adjustments_are_kept_by_heading_not_by_position():
    adjustments = Adjustments(
        title="Peru's rivers",
        levels={1: MODULE},
        merges=frozenset({2}),
        renames={1: "River Rímac"},
    )
    record = adjustments_record(outline_sections(parsed()), adjustments)
    assert record == {
        "title": "Peru's rivers",
        "sections": [
            {"heading": "Rímac", "level": MODULE, "title": "River Rímac"},
            {"heading": "Santa", "merge": True},
        ],
    }


def test_kept_adjustments_follow_their_headings_into_a_new_version():
    record = {
        "title": "Peru's rivers",
        "sections": [
            {"heading": "Rímac", "level": MODULE, "title": "River Rímac"},
            {"heading": "Santa", "merge": True},
            {"heading": "Gone", "title": "Never applied"},
        ],
    }
    # The new version has a section before them: positions moved by one.
    new = parse_document(
        DOC.replace("## Coast", "## Deserts\n\nSand.\n\n## Coast"),
        filename="rivers.md",
    )
    kept = adjustments_for_version(record, outline_sections(new))
    assert kept.adjustments == Adjustments(
        title="Peru's rivers",
        levels={2: MODULE},
        merges=frozenset({3}),
        renames={2: "River Rímac"},
    )
    assert kept.missing == ("Gone",)
    assert kept.record == {"title": "Peru's rivers", "sections": record["sections"][:2]}
    assert [str(line) for line in kept.described] == [
        "Course title: “Peru's rivers”",
        "“Rímac” made a module",
        "“Rímac” renamed “River Rímac”",
        "“Santa” merged into the section before",
    ]
    adjusted = outline_adjust(new, kept.adjustments)
    assert adjusted.title == "Peru's rivers"
    assert [module.title for module in adjusted.modules][:3] == [
        "Deserts",
        "Coast",
        "River Rímac",
    ]


@pytest.mark.parametrize(
    "record", [None, [], {"sections": "x"}, {"sections": [1, {"level": 1}]}]
)
def test_malformed_kept_adjustments_are_ignored(record):
    kept = adjustments_for_version(record, outline_sections(parsed()))
    assert kept.adjustments.empty and kept.record == {} and kept.described == ()


@pytest.mark.django_db
def test_a_preview_and_adjustments_go_through_json_and_back():
    """What a background job keeps on its row reads back as the page needs it."""
    import json

    from lessons.document_import import (
        adjustments_as_data,
        adjustments_from_data,
        document_preview,
        preview_as_data,
        preview_from_data,
    )

    adjustments = Adjustments(
        title="Rivers", levels={1: MODULE}, merges=frozenset({2}), renames={3: "Big"}
    )
    data = json.loads(json.dumps(adjustments_as_data(adjustments)))
    assert adjustments_from_data(data) == adjustments
    assert adjustments_from_data(None) == Adjustments()

    preview = document_preview(
        data=DOC.encode(), name="rivers.md", adjustments=adjustments
    )
    back = preview_from_data(json.loads(json.dumps(preview_as_data(preview))))
    assert (back.title, back.source_title) == ("Rivers", "Rivers of Peru")
    assert [(s.level, s.title) for s in back.sections] == [
        (s.level, s.title) for s in preview.sections
    ]
    assert back.outline == preview.outline
    assert back.lesson_count == preview.lesson_count
    assert back.warnings == [str(w) for w in preview.warnings]
    assert (back.changes, back.kept) == (None, None)
