"""A course's summary from its document and its time estimate (pure)."""

import pytest

from lessons.course_facts import reading_minutes, split_minutes, summary_from_html


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 0), (1, 1), (99, 1), (200, 1), (301, 2), (2000, 10), (12_600, 63)],
)
def test_reading_minutes_at_200_words_a_minute(words, minutes):
    assert reading_minutes(words) == minutes


@pytest.mark.parametrize(
    ("minutes", "parts"), [(0, (0, 0)), (45, (0, 45)), (60, (1, 0)), (135, (2, 15))]
)
def test_split_minutes(minutes, parts):
    assert split_minutes(minutes) == parts


def test_a_short_opening_is_the_whole_summary():
    assert summary_from_html("<p>Rivers shape <em>the</em> land.</p>") == (
        "Rivers shape the land."
    )


def test_the_summary_reads_on_into_the_next_paragraph():
    html = "<p>One two.</p><p>Three four.</p>"

    assert summary_from_html(html) == "One two. Three four."


def test_a_long_opening_is_cut_at_a_sentence_end():
    first = " ".join(["word"] * 30) + "."
    html = f"<p>{first} {' '.join(['more'] * 30)}.</p>"

    assert summary_from_html(html, max_words=45) == first


def test_without_a_sentence_end_the_summary_is_cut_with_an_ellipsis():
    html = "<p>" + " ".join(f"w{i}," for i in range(100)) + "</p>"

    summary = summary_from_html(html, max_words=10)

    assert summary == "w0, w1, w2, w3, w4, w5, w6, w7, w8, w9…"


def test_entities_are_decoded_and_tags_dropped():
    html = '<p>Fish &amp; <a href="/x">chips</a>&nbsp;today.</p>'

    assert summary_from_html(html) == "Fish & chips today."


@pytest.mark.parametrize("html", ["", "<h2>Only a heading</h2>", "<p>  </p>"])
def test_no_paragraph_text_no_summary(html):
    assert summary_from_html(html) == ""
