"""A cloze question's gaps as form controls in its rendered text
(quizzes/cloze_html.py): markers survive Markdown and nh3, every control is
labelled and escaped, and nothing of the answer key reaches the page."""

import random
import re

import pytest

from lessons.rendering import render_markdown
from quizzes.cloze import parse_cloze
from quizzes.cloze_html import gap_field, public_gaps, render_gaps

# moodle/moodle, question/type/multianswer/tests/helper.php, commit
# 2d00328603b5401a3248bae0135461e268cc77bb (twosubq form data).
TWOSUBQ = (
    'Complete this opening line of verse: "The '
    "{1:SHORTANSWER:Dog#Wrong, silly!~=Owl#Well done!~*#Wrong answer} "
    "and the {1:MULTICHOICE:Bow-wow#You seem to have a dog obsessions!"
    "~Wiggly worm#Now you are just being ridiculous!~=Pussy-cat#Well done!}"
    ' went to sea".'
)


def page(source: str, **options) -> str:
    text, gaps = parse_cloze(source)
    return render_gaps(render_markdown(text), public_gaps(gaps), field="q4", **options)


@pytest.mark.parametrize(
    "markdown",
    [
        "The {#1} and the {#2}",
        "{#1} starts the line and *{#2}* is emphasised",
        "# A heading {#1}\n\n* a list {#2}",
        "> quoted {#1}\n\n| a | b |\n|---|---|\n| {#2} | x |",
        "Escaped \\{#1} brace and __{#2}__",
    ],
)
def test_markers_survive_markdown_and_sanitising(markdown):
    html = render_markdown(markdown)
    assert "{#1}" in html
    assert "{#2}" in html


def test_each_gap_becomes_a_labelled_control_named_after_the_question():
    html = page(TWOSUBQ)
    assert "{#" not in html
    assert '<label class="visually-hidden" for="q4-gap-1">Gap 1 of 2</label>' in html
    assert re.search(
        r'<input [^>]*name="q4-gap-1" id="q4-gap-1" value="" size="3"', html
    )
    assert '<select class="form-select form-select-sm d-inline-block w-auto" ' in html
    assert 'name="q4-gap-2" id="q4-gap-2"' in html
    assert '<label class="visually-hidden" for="q4-gap-2">Gap 2 of 2</label>' in html
    assert '<option value="">Choose…</option>' in html
    assert '<option value="a">Bow-wow</option>' in html
    assert gap_field("q4", "2") == "q4-gap-2"


def test_nothing_of_the_answer_key_reaches_the_page():
    text, gaps = parse_cloze(TWOSUBQ)
    shown = public_gaps(gaps)
    assert shown == [
        {"id": "1", "kind": "shortanswer", "size": 3},
        {
            "id": "2",
            "kind": "choice",
            "display": "dropdown",
            "options": [
                {"id": "a", "text": "Bow-wow"},
                {"id": "b", "text": "Wiggly worm"},
                {"id": "c", "text": "Pussy-cat"},
            ],
        },
    ]
    html = render_gaps(render_markdown(text), shown, field="q0")
    for secret in ("Owl", "Well done", "silly", "Wrong answer", "obsession"):
        assert secret not in html


def test_saved_answers_are_shown():
    html = page(TWOSUBQ, values={"1": "Owl", "2": "c"})
    assert 'name="q4-gap-1" id="q4-gap-1" value="Owl"' in html
    assert '<option value="c" selected>Pussy-cat</option>' in html


def test_radio_and_check_box_groups_are_labelled_groups():
    html = page(
        "Pick {1:MCH:=a~b} and {1:MRS:=c~=d~e}",
        values={"1": "a", "2": ["a", "c"]},
    )
    assert (
        '<span class="cloze-options" role="radiogroup" aria-label="Gap 1 of 2">' in html
    )
    assert 'class="form-check form-check-inline"' in html
    assert re.search(
        r'type="radio" name="q4-gap-1" id="q4-gap-1-0" value="a" checked', html
    )
    assert (
        '<span class="cloze-options d-block" role="group" aria-label="Gap 2 of 2">'
        '<input type="hidden" name="q4-gap-2-present" value="1">'
    ) in html
    assert re.search(
        r'type="checkbox" name="q4-gap-2" id="q4-gap-2-0" value="a" checked', html
    )
    assert re.search(r'id="q4-gap-2-1" value="b">', html)
    assert re.search(r'id="q4-gap-2-2" value="c" checked', html)


def test_option_values_can_be_tokens_and_saved_ids_still_select():
    html = page(
        TWOSUBQ,
        values={"2": "b"},
        option_value=lambda gap_id, option_id: f"t{gap_id}{option_id}",
    )
    assert '<option value="t2a">Bow-wow</option>' in html
    assert '<option value="t2b" selected>Wiggly worm</option>' in html


def test_everything_is_escaped():
    html = page(
        '{1:MC:=<script>alert(1)</script>~"quoted" & more} {1:SA:=x}',
        values={"2": '"><img src=x onerror=alert(1)>'},
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;quoted&quot; &amp; more" in html
    assert "<img" not in html
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html


def test_numerical_gap_asks_for_a_number_and_shows_errors():
    html = page("{1:NM:=3.14159:0.01}", invalid={"1"})
    assert 'inputmode="decimal"' in html
    assert 'maxlength="100"' in html
    assert 'aria-invalid="true"' in html
    assert "is-invalid" in html
    assert 'size="7"' in html


def test_size_grows_with_the_answer_typed_and_is_at_most_60():
    text, gaps = parse_cloze("{1:SA:=" + "x" * 80 + "}")
    assert public_gaps(gaps)[0]["size"] == 60
    html = render_gaps(text, public_gaps(parse_cloze("{1:SA:=ab}")[1]), field="q1",
                       values={"1": "abcdef"})  # fmt: skip
    assert 'size="7"' in html


def test_size_may_be_blurred_as_moodle_does():
    _, gaps = parse_cloze("{1:SA:=" + "x" * 20 + "}")
    sizes = {
        public_gaps(gaps, rng=random.Random(seed))[0]["size"] for seed in range(30)
    }
    assert sizes <= set(range(20, 24))
    assert len(sizes) > 1


def test_a_marker_inside_a_tag_is_left_and_its_control_added_after_the_text():
    text = render_markdown("[link]({#1}) and {#2}")
    _, gaps = parse_cloze("{1:SA:=a} {1:SA:=b}")
    html = render_gaps(text, public_gaps(gaps), field="q0")
    assert 'href="{#1}"' in html
    assert html.count('name="q0-gap-1"') == 1
    assert html.endswith("</span></p>")
    assert '<p class="cloze-unplaced">' in html


def test_review_shows_controls_disabled_and_marked():
    html = page(TWOSUBQ, disabled=True, marks={"1": "correct", "2": "incorrect"})
    assert 'class="cloze-gap cloze-shortanswer cloze-correct"' in html
    assert 'class="cloze-gap cloze-choice cloze-incorrect"' in html
    assert html.count(" disabled") == 2
