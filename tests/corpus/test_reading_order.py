"""The corpus bench's "sentences in order" measures the document's own order.

``bench.corpus.reading_text`` gives a document's text in its reading order without
the importer (which is what is measured), for every format the corpus holds, and
``in_reading_order`` sorts the expectation's samples by it. Before, only text
formats were sorted: a .docx or .zip whose expectation listed its samples in
another order lost a sentence "out of order" that the course kept in order.
These need no real corpus.
"""

from __future__ import annotations

import io
import zipfile

import docx

from bench.corpus import in_reading_order, reading_text, sentences_in_order

FIRST = "The first sentence comes first."
SECOND = "A second sentence follows it."
THIRD = "The third one ends the document."


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("A title", level=1)
    document.add_paragraph(FIRST)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = SECOND
    paragraph = document.add_paragraph("The third ")
    paragraph.add_run("one").bold = True
    paragraph.add_run(" ends the document.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bytes(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("img/figure.svg", f"<svg><text>{THIRD}</text></svg>")
        archive.writestr(name, text)
    return buffer.getvalue()


def test_samples_are_sorted_by_where_they_occur_in_the_reading():
    reading = f"# Title\n\n{FIRST} {SECOND}\n\n{THIRD}\n"
    assert in_reading_order([THIRD, FIRST, SECOND], reading) == [
        FIRST,
        SECOND,
        THIRD,
    ]


def test_markup_spacing_and_link_targets_do_not_change_the_order():
    reading = (
        'See [*Netscape*](/wiki/Netscape "N")   for  the history.\n\nThen: `more`.'
    )
    assert in_reading_order(["Then: more.", "See [Netscape](/x) for the"], reading) == [
        "See [Netscape](/x) for the",
        "Then: more.",
    ]


def test_a_sample_missing_from_the_reading_goes_last_and_still_counts_missing():
    samples = in_reading_order(["Not in it.", THIRD, FIRST], f"{FIRST}\n{THIRD}")
    assert samples == [FIRST, THIRD, "Not in it."]
    assert sentences_in_order(samples, f"{FIRST}\n{THIRD}") == (2, 3)


def test_docx_reading_is_its_paragraphs_and_cells_in_document_order():
    reading = reading_text(_docx_bytes(), "notes.docx")
    assert reading.index(FIRST) < reading.index(SECOND) < reading.index(THIRD)
    assert in_reading_order([THIRD, SECOND, FIRST], reading) == [FIRST, SECOND, THIRD]


def test_html_reading_is_the_body_without_scripts_tags_or_entities():
    page = (
        f"<html><head><title>{THIRD}</title>"
        f"<script>var s = '{THIRD}';</script></head>"
        f"<body><p>{FIRST}</p><p>A <b>second</b> sentence follows&nbsp;it.</p>"
        f"<footer>{THIRD}</footer></body></html>"
    ).encode()
    reading = reading_text(page, "page.html")
    assert "var s" not in reading
    # The title and the script say THIRD first; the body says it last.
    assert in_reading_order([THIRD, SECOND, FIRST], reading) == [FIRST, SECOND, THIRD]


def test_zip_reading_is_the_document_inside_not_its_images():
    data = _zip_bytes("lesson.md", f"# Title\n\n{FIRST}\n\n{SECOND}\n")
    reading = reading_text(data, "lesson.zip")
    assert reading.startswith("# Title")
    assert in_reading_order([SECOND, FIRST], reading) == [FIRST, SECOND]


def test_a_course_in_the_documents_order_scores_every_sample_whatever_the_listing():
    """The measurement itself: samples listed out of order no longer lose one."""
    course = f"{FIRST}\n\n{SECOND}\n\n{THIRD}"
    listed = [SECOND, FIRST, THIRD]
    assert sentences_in_order(listed, course) == (2, 3)  # what the bench did
    reading = reading_text(_docx_bytes(), "notes.docx")
    assert sentences_in_order(in_reading_order(listed, reading), course) == (3, 3)
