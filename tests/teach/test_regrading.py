"""The pure regrade: a stored answer graded against the current key, with what
the student saw kept as it was."""

import pytest

from quizzes.regrading import (
    ANSWER_DOES_NOT_FIT,
    NOT_AUTO_GRADED,
    OPTIONS_CHANGED,
    TYPE_CHANGED,
    Incompatible,
    regrade,
    regraded_snapshot,
)

SINGLE = {
    "type": "single",
    "text": "Capital?",
    "text_html": "<p>Capital?</p>",
    "options": [
        {"id": "7", "text": "Lima", "fraction": 1.0, "feedback": "Yes"},
        {"id": "8", "text": "Quito", "fraction": 0.0, "feedback": "No"},
    ],
}


def _current(**changes):
    current = {**SINGLE, "options": [dict(o) for o in SINGLE["options"]]}
    current.update(changes)
    return current


def test_a_changed_option_fraction_changes_the_score():
    current = _current()
    current["options"][1]["fraction"] = 1.0
    current["options"][0]["fraction"] = 0.0
    result = regrade(snapshot=SINGLE, current=current, answer="8", max_mark=2)
    assert (result.fraction, result.score) == (1.0, 2.0)


def test_the_display_order_and_texts_shown_are_kept():
    shown = {**SINGLE, "options": list(reversed(SINGLE["options"]))}
    current = _current(text="Reworded?")
    current["options"][0]["text"] = "Lima (Peru)"
    new = regraded_snapshot(shown, current)
    assert [o["id"] for o in new["options"]] == ["8", "7"]
    assert new["text"] == "Capital?"
    assert new["options"][1]["text"] == "Lima"


def test_options_with_new_ids_are_matched_by_text():
    current = _current()
    current["options"] = [
        {"id": "91", "text": "Lima", "fraction": 0.0, "feedback": ""},
        {"id": "92", "text": " quito ", "fraction": 1.0, "feedback": ""},
    ]
    result = regrade(snapshot=SINGLE, current=current, answer="8", max_mark=1)
    assert result.score == 1.0
    assert [o["id"] for o in result.snapshot["options"]] == ["7", "8"]


def test_a_deleted_option_makes_the_response_incompatible():
    current = _current(options=[SINGLE["options"][0]])
    with pytest.raises(Incompatible) as refused:
        regraded_snapshot(SINGLE, current)
    assert refused.value.code == OPTIONS_CHANGED


def test_a_changed_type_is_incompatible():
    with pytest.raises(Incompatible) as refused:
        regraded_snapshot(SINGLE, {"type": "multiple", "options": []})
    assert refused.value.code == TYPE_CHANGED


def test_essays_are_never_regraded():
    essay = {"type": "essay", "text": "Discuss"}
    with pytest.raises(Incompatible) as refused:
        regraded_snapshot(essay, essay)
    assert refused.value.code == NOT_AUTO_GRADED


@pytest.mark.parametrize(
    ("answers", "answer", "expected"),
    [
        ([{"text": "lima", "fraction": 1.0}], "Lima", 1.0),
        ([{"text": "lim*", "fraction": 0.5}], "Lima", 0.5),
        ([{"text": "cusco", "fraction": 1.0}], "Lima", 0.0),
    ],
)
def test_short_answers_take_the_current_accepted_answers(answers, answer, expected):
    old = {
        "type": "shortanswer",
        "text": "?",
        "answers": [{"text": "x", "fraction": 1}],
    }
    current = {**old, "answers": answers}
    assert regrade(snapshot=old, current=current, answer=answer, max_mark=1).score == (
        expected
    )


def test_numerical_tolerance_widened():
    old = {"type": "numerical", "text": "?", "answers": [{"value": 10, "fraction": 1}]}
    current = {**old, "answers": [{"value": 10, "tolerance": 1, "fraction": 1}]}
    assert regrade(snapshot=old, current=current, answer="10.5", max_mark=1).score == 1


def test_true_false_key_flipped():
    old = {"type": "truefalse", "text": "?", "correct": True}
    current = {**old, "correct": False}
    assert regrade(snapshot=old, current=current, answer=False, max_mark=1).score == 1


MATCHING = {
    "type": "matching",
    "text": "Match",
    "pairs": [
        {"id": "1", "prompt": "Peru", "answer": "Lima"},
        {"id": "2", "prompt": "Chile", "answer": "Santiago"},
    ],
    "distractors": ["Quito"],
    "choices": ["Santiago", "Quito", "Lima"],
}


def test_matching_takes_the_new_answers_and_old_choices_stay_allowed():
    current = {
        **MATCHING,
        "pairs": [
            {"id": "51", "prompt": "Peru", "answer": "Lima"},
            {"id": "52", "prompt": "Chile", "answer": "Valparaíso"},
        ],
        "distractors": [],
    }
    answer = {"1": "Lima", "2": "Santiago"}
    result = regrade(snapshot=MATCHING, current=current, answer=answer, max_mark=2)
    assert result.score == 1.0
    assert "Santiago" in result.snapshot["distractors"]


ORDERING = {
    "type": "ordering",
    "text": "Order",
    "items": [{"id": "a", "text": "One"}, {"id": "b", "text": "Two"}],
    "display_order": ["b", "a"],
}


def test_ordering_takes_the_current_order_under_the_ids_shown():
    current = {
        **ORDERING,
        "items": [{"id": "zz", "text": "Two"}, {"id": "yy", "text": "One"}],
    }
    result = regrade(snapshot=ORDERING, current=current, answer=["b", "a"], max_mark=1)
    assert result.score == 1.0
    assert [i["id"] for i in result.snapshot["items"]] == ["b", "a"]
    assert result.snapshot["display_order"] == ["b", "a"]


def test_ordering_with_another_number_of_items_is_incompatible():
    current = {**ORDERING, "items": ORDERING["items"][:1]}
    with pytest.raises(Incompatible):
        regraded_snapshot(ORDERING, current)


def test_an_answer_that_no_longer_fits_is_reported():
    old = {"type": "numerical", "text": "?", "answers": [{"value": 1, "fraction": 1}]}
    with pytest.raises(Incompatible) as refused:
        regrade(snapshot=old, current=old, answer="not a number", max_mark=1)
    assert refused.value.code == ANSWER_DOES_NOT_FIT


def test_a_regrade_carries_the_current_combined_feedback():
    shown = {**SINGLE, "correct_feedback": "Old", "incorrect_feedback": "Gone"}
    new = regraded_snapshot(shown, _current(correct_feedback="New"))
    assert new["correct_feedback"] == "New"
    assert "incorrect_feedback" not in new
