"""Tests for quizzes.grading: normalising, grading and validating responses."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest

from quizzes import grading
from quizzes.grading import (
    ESSAY_MAX_CHARS,
    NUMERICAL_MAX_CHARS,
    SHORTANSWER_MAX_CHARS,
    Grade,
    InvalidResponse,
    correct_response,
    grade,
    normalise_response,
    normalise_text,
    parse_number,
    score,
    validate_question,
)

# ----------------------------------------------------------------- sample questions

SINGLE = {
    "type": "single",
    "title": "",
    "text": "Which city is the capital of Peru?",
    "options": [
        {"id": "a", "text": "Lima", "fraction": 1.0, "feedback": "Yes."},
        {"id": "b", "text": "Cusco", "fraction": 0.5, "feedback": "The Inca one."},
        {"id": "c", "text": "Quito", "fraction": 0.0, "feedback": ""},
        {"id": "d", "text": "Madrid", "fraction": -0.5, "feedback": "Not here."},
    ],
}
MULTIPLE = {
    "type": "multiple",
    "text": "Which of these countries border Peru?",
    "options": [
        {"id": "a", "text": "Chile", "fraction": 0.3333333, "feedback": "South."},
        {"id": "b", "text": "Ecuador", "fraction": 0.3333333, "feedback": "North."},
        {"id": "c", "text": "Bolivia", "fraction": 0.3333333, "feedback": ""},
        {"id": "d", "text": "Uruguay", "fraction": -1.0, "feedback": "Far away."},
        {"id": "e", "text": "Argentina", "fraction": -0.5, "feedback": "Close."},
    ],
}
TRUEFALSE = {
    "type": "truefalse",
    "text": "Peru borders Brazil.",
    "correct": True,
    "feedback_true": "Right, in the Amazon.",
    "feedback_false": "Look at the Amazon border.",
}
SHORTANSWER = {
    "type": "shortanswer",
    "text": "Lima is the capital of which country?",
    "case_sensitive": False,
    "answers": [
        {"text": "Perú", "fraction": 1.0, "feedback": "Correct."},
        {"text": "Peru*", "fraction": 0.5, "feedback": "Just the country."},
        {"text": "*", "fraction": 0.0, "feedback": "No."},
    ],
}
NUMERICAL = {
    "type": "numerical",
    "text": "How many kilometres? (1.5)",
    "answers": [
        {"value": 1.5, "tolerance": 0.1, "fraction": 1.0, "feedback": "Right."},
        {"value": 1.5, "tolerance": 0.5, "fraction": 0.5, "feedback": "Close."},
        {"min": 10, "max": 20, "fraction": 0.25, "feedback": "Metres?"},
    ],
}
MATCHING = {
    "type": "matching",
    "text": "Match each country to its seat of government.",
    "pairs": [
        {"id": "p1", "prompt": "Peru", "answer": "Lima"},
        {"id": "p2", "prompt": "Chile", "answer": "Santiago"},
        {"id": "p3", "prompt": "Bolivia", "answer": "La Paz"},
        {"id": "p4", "prompt": "Ecuador", "answer": "Quito"},
    ],
    "distractors": ["Bogotá"],
}
ORDERING = {
    "type": "ordering",
    "text": "Put the battles in order.",
    "items": [
        {"id": "chacabuco", "text": "Chacabuco (1817)"},
        {"id": "maipu", "text": "Maipú (1818)"},
        {"id": "junin", "text": "Junín (1824)"},
        {"id": "ayacucho", "text": "Ayacucho (1824)"},
    ],
}
ESSAY = {"type": "essay", "text": "Discuss the role of military attachés."}
DESCRIPTION = {"type": "description", "text": "The next questions are on Peru."}

SAMPLES = {
    "single": SINGLE,
    "multiple": MULTIPLE,
    "truefalse": TRUEFALSE,
    "shortanswer": SHORTANSWER,
    "numerical": NUMERICAL,
    "matching": MATCHING,
    "ordering": ORDERING,
    "essay": ESSAY,
    "description": DESCRIPTION,
    # moodle/moodle, question/type/multianswer/tests/helper.php, commit
    # 2d00328603b5401a3248bae0135461e268cc77bb (twosubq).
    "cloze": {
        "type": "cloze",
        "text": (
            'Complete this opening line of verse: "The {1:SHORTANSWER:Dog#Wrong, '
            "silly!~=Owl#Well done!~*#Wrong answer} and the {1:MULTICHOICE:"
            "Bow-wow#You seem to have a dog obsessions!~Wiggly worm#Now you are "
            'just being ridiculous!~=Pussy-cat#Well done!} went to sea".'
        ),
    },
}
AUTO = sorted(grading.AUTO_GRADED_TYPES)


def _with(question: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``question`` with top-level keys replaced."""
    return {**copy.deepcopy(question), **changes}


def _shortanswer(*texts: str, case_sensitive: bool = False) -> dict[str, Any]:
    answers = [{"text": text, "fraction": 1.0, "feedback": ""} for text in texts]
    return _with(SHORTANSWER, answers=answers, case_sensitive=case_sensitive)


def _numerical(*answers: dict[str, Any]) -> dict[str, Any]:
    defaults = {"fraction": 1.0, "feedback": ""}
    return _with(NUMERICAL, answers=[{**defaults, **answer} for answer in answers])


def _mark(question: dict[str, Any], raw: Any) -> Grade:
    return grade(question, normalise_response(question, raw))


# ------------------------------------------------------- grading, type by type

GRADED = [
    # single
    (SINGLE, "a", 1.0, ("Yes.",)),
    (SINGLE, "b", 0.5, ("The Inca one.",)),
    (SINGLE, "c", 0.0, ()),
    (SINGLE, "d", 0.0, ("Not here.",)),
    # multiple: weights add up, float noise snaps to 1, floor 0
    (MULTIPLE, ["a", "b", "c"], 1.0, ("South.", "North.")),
    (MULTIPLE, ["c", "b", "a"], 1.0, ("South.", "North.")),
    (MULTIPLE, ["a"], 0.3333333, ("South.",)),
    (MULTIPLE, "b", 0.3333333, ("North.",)),
    (MULTIPLE, ("a", "b"), 0.6666666, ("South.", "North.")),
    (MULTIPLE, ["a", "b", "c", "e"], 0.4999999, ("South.", "North.", "Close.")),
    (MULTIPLE, ["a", "d"], 0.0, ("South.", "Far away.")),
    (MULTIPLE, ["d", "e"], 0.0, ("Far away.", "Close.")),
    (
        MULTIPLE,
        ["a", "b", "c", "d", "e"],
        0.0,
        ("South.", "North.", "Far away.", "Close."),
    ),
    # truefalse: feedback follows what the student answered
    (TRUEFALSE, True, 1.0, ("Right, in the Amazon.",)),
    (TRUEFALSE, "true", 1.0, ("Right, in the Amazon.",)),
    (TRUEFALSE, " TRUE ", 1.0, ("Right, in the Amazon.",)),
    (TRUEFALSE, "1", 1.0, ("Right, in the Amazon.",)),
    (TRUEFALSE, False, 0.0, ("Look at the Amazon border.",)),
    (TRUEFALSE, "False", 0.0, ("Look at the Amazon border.",)),
    (TRUEFALSE, "0", 0.0, ("Look at the Amazon border.",)),
    (_with(TRUEFALSE, correct=False), False, 1.0, ("Look at the Amazon border.",)),
    (_with(TRUEFALSE, correct=False), True, 0.0, ("Right, in the Amazon.",)),
    # shortanswer: best match wins, "*" catches the rest
    (SHORTANSWER, "Perú", 1.0, ("Correct.",)),
    (SHORTANSWER, "peru", 1.0, ("Correct.",)),
    (SHORTANSWER, "  PERU  ", 1.0, ("Correct.",)),
    (SHORTANSWER, "Peruvian", 0.5, ("Just the country.",)),
    (SHORTANSWER, "Perú, the country", 0.5, ("Just the country.",)),
    (SHORTANSWER, "Chile", 0.0, ("No.",)),
    (_shortanswer("Perú"), "Chile", 0.0, ()),
    # numerical: best matching answer, range last
    (NUMERICAL, "1.5", 1.0, ("Right.",)),
    (NUMERICAL, "1,5", 1.0, ("Right.",)),
    (NUMERICAL, "1.6", 1.0, ("Right.",)),
    (NUMERICAL, "1.4", 1.0, ("Right.",)),
    (NUMERICAL, "1.7", 0.5, ("Close.",)),
    (NUMERICAL, "2", 0.5, ("Close.",)),
    (NUMERICAL, "2.01", 0.0, ()),
    (NUMERICAL, "15", 0.25, ("Metres?",)),
    (NUMERICAL, 1.5, 1.0, ("Right.",)),
    (NUMERICAL, 2, 0.5, ("Close.",)),
    # matching
    (MATCHING, correct_response(MATCHING), 1.0, ()),
    (MATCHING, {"p1": "Lima", "p2": "Santiago", "p3": "Quito"}, 0.5, ()),
    (MATCHING, {"p1": "Lima", "p2": "", "p3": None}, 0.25, ()),
    (MATCHING, {"p1": "Bogotá", "p2": "Bogotá"}, 0.0, ()),
    (
        MATCHING,
        {"p1": "Santiago", "p2": "Lima", "p3": "Quito", "p4": "La Paz"},
        0.0,
        (),
    ),
    # ordering: absolute position
    (ORDERING, ["chacabuco", "maipu", "junin", "ayacucho"], 1.0, ()),
    (ORDERING, ["chacabuco", "maipu", "ayacucho", "junin"], 0.5, ()),
    (ORDERING, ["maipu", "chacabuco", "junin", "ayacucho"], 0.5, ()),
    (ORDERING, ["maipu", "junin", "ayacucho", "chacabuco"], 0.0, ()),
    (ORDERING, ("ayacucho", "junin", "maipu", "chacabuco"), 0.0, ()),
]


@pytest.mark.parametrize(("question", "raw", "fraction", "feedback"), GRADED)
def test_response_earns_the_documented_fraction_and_feedback(
    question, raw, fraction, feedback
):
    result = _mark(question, raw)
    assert result.fraction == pytest.approx(fraction, abs=1e-12)
    assert result.feedback == feedback
    assert result.needs_manual is False


@pytest.mark.parametrize(("question", "raw", "fraction", "feedback"), GRADED)
def test_grade_accepts_raw_and_normalised_responses_alike(
    question, raw, fraction, feedback
):
    normalised = normalise_response(question, raw)
    assert normalise_response(question, normalised) == normalised
    assert grade(question, raw) == grade(question, normalised)


@pytest.mark.parametrize(("question", "raw", "fraction", "feedback"), GRADED)
def test_grade_survives_a_json_round_trip_for_storage(
    question, raw, fraction, feedback
):
    result = _mark(question, raw)
    stored = json.loads(json.dumps(dataclasses.asdict(result)))
    assert Grade(**{**stored, "feedback": tuple(stored["feedback"])}) == result


JUNK = [
    object(),
    1.5,
    -1,
    b"a",
    bytearray(b"a"),
    {"a"},
    [[]],
    [{}],
    [None],
    [1, 2],
    {"a": []},
    {"p1": {"x": 1}},
    {(): "Lima"},
    "\x00",
    "a" * 100_000,
    float("nan"),
]


@pytest.mark.parametrize("qtype", sorted(SAMPLES))
@pytest.mark.parametrize("raw", JUNK, ids=lambda raw: type(raw).__name__)
def test_junk_of_any_shape_is_accepted_or_rejected_cleanly(qtype, raw):
    question = SAMPLES[qtype]
    try:
        normalised = normalise_response(question, raw)
    except InvalidResponse:
        return
    grade(question, normalised)


def test_multiple_response_sum_above_one_is_capped():
    question = _with(
        MULTIPLE,
        options=[
            {"id": "a", "text": "A", "fraction": 0.7, "feedback": ""},
            {"id": "b", "text": "B", "fraction": 0.7, "feedback": ""},
        ],
    )
    result = _mark(question, ["a", "b"])
    assert result.fraction == 1.0
    assert result.detail == {"chosen": ["a", "b"], "sum": pytest.approx(1.4)}


def test_multiple_response_detail_keeps_the_unclamped_sum():
    result = _mark(MULTIPLE, ["e", "a"])
    assert result.detail == {"chosen": ["a", "e"], "sum": pytest.approx(-0.1666667)}


def test_single_choice_detail_names_the_chosen_option():
    assert _mark(SINGLE, "b").detail == {"chosen": "b"}


def test_truefalse_detail_records_the_answer():
    assert _mark(TRUEFALSE, "false").detail == {"answer": False}


@pytest.mark.parametrize(
    ("raw", "matched"), [("Perú", 0), ("Peruvian", 1), ("Chile", 2)]
)
def test_shortanswer_detail_names_the_matching_answer(raw, matched):
    assert _mark(SHORTANSWER, raw).detail == {"matched": matched}


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("1,5", {"value": 1.5, "matched": 0}),
        ("12", {"value": 12.0, "matched": 2}),
        ("99", {"value": 99.0, "matched": None}),
    ],
)
def test_numerical_detail_has_the_parsed_value_and_matching_answer(raw, detail):
    assert _mark(NUMERICAL, raw).detail == detail


def test_matching_detail_marks_every_pair_including_unanswered_ones():
    result = _mark(MATCHING, {"p1": "Lima", "p2": "Quito"})
    assert result.detail == {"p1": True, "p2": False, "p3": False, "p4": False}


def test_ordering_detail_marks_each_item_by_absolute_position():
    result = _mark(ORDERING, ["chacabuco", "junin", "maipu", "ayacucho"])
    assert result.fraction == 0.5
    assert result.detail == {
        "chacabuco": True,
        "maipu": False,
        "junin": False,
        "ayacucho": True,
    }


def test_ordering_with_one_item_moved_to_the_end_scores_zero():
    # The documented cost of the absolute-position rule.
    assert _mark(ORDERING, ["maipu", "junin", "ayacucho", "chacabuco"]).fraction == 0


def test_answered_essay_waits_for_a_teacher():
    result = _mark(ESSAY, "Attachés build trust.\r\nThey also gather news.")
    assert result == Grade(None, needs_manual=True, feedback=(), detail={})


def test_description_is_never_graded_and_ignores_what_was_posted():
    assert normalise_response(DESCRIPTION, "anything") is None
    assert grade(DESCRIPTION, "anything") == Grade(None, needs_manual=False)
    assert grade(DESCRIPTION, None) == Grade(None, needs_manual=False)


# -------------------------------------------------------------------- unanswered

BLANKS = [None, "", "   ", "\u00a0\t\n", [], (), {}]


@pytest.mark.parametrize("qtype", sorted(SAMPLES))
@pytest.mark.parametrize("raw", BLANKS, ids=repr)
def test_blank_input_normalises_to_no_answer(qtype, raw):
    assert normalise_response(SAMPLES[qtype], raw) is None


@pytest.mark.parametrize("qtype", [*AUTO, "essay"])
def test_unanswered_question_scores_zero_without_feedback(qtype):
    result = grade(SAMPLES[qtype], None)
    assert result.fraction == 0.0
    assert result.needs_manual is False
    assert result.feedback == ()


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (MULTIPLE, []),
        (MATCHING, {"p1": "", "p2": None}),
        (ESSAY, " \r\n\t "),
        (SHORTANSWER, "\u2003"),
    ],
)
def test_empty_selections_count_as_unanswered(question, raw):
    assert normalise_response(question, raw) is None
    assert grade(question, raw).fraction == 0.0


def test_unanswered_matching_and_ordering_mark_everything_wrong():
    assert grade(MATCHING, None).detail == dict.fromkeys(
        ["p1", "p2", "p3", "p4"], False
    )
    assert grade(ORDERING, None).detail == dict.fromkeys(
        ["chacabuco", "maipu", "junin", "ayacucho"], False
    )


def test_false_is_an_answer_not_a_blank():
    assert normalise_response(TRUEFALSE, False) is False
    assert normalise_response(NUMERICAL, 0) == "0"


# ------------------------------------------------------------- tampered responses

OTHER_SINGLE = _with(
    SINGLE,
    options=[
        {"id": "x", "text": "Yes", "fraction": 1.0, "feedback": ""},
        {"id": "y", "text": "No", "fraction": 0.0, "feedback": ""},
    ],
)

TAMPERED = [
    (SINGLE, "z", "unknown_option"),
    (SINGLE, OTHER_SINGLE["options"][0]["id"], "unknown_option"),
    (SINGLE, "A", "unknown_option"),
    (SINGLE, ["a"], "unknown_option"),
    (SINGLE, 1, "unknown_option"),
    (SINGLE, {"a": 1}, "unknown_option"),
    (MULTIPLE, ["a", "z"], "unknown_option"),
    (MULTIPLE, ["a", "a"], "duplicate_option"),
    (MULTIPLE, ["a", "b", "a"], "duplicate_option"),
    (MULTIPLE, ["a", ["b"]], "unknown_option"),
    (MULTIPLE, ["a", None], "unknown_option"),
    (MULTIPLE, [""], "unknown_option"),
    (MULTIPLE, {"a": True}, "invalid_type"),
    (MULTIPLE, 3, "invalid_type"),
    (TRUEFALSE, "yes", "invalid_choice"),
    (TRUEFALSE, "2", "invalid_choice"),
    (TRUEFALSE, 1, "invalid_choice"),
    (TRUEFALSE, 0, "invalid_choice"),
    (TRUEFALSE, [True], "invalid_choice"),
    (SHORTANSWER, "x" * (SHORTANSWER_MAX_CHARS + 1), "too_long"),
    (SHORTANSWER, ["Peru"], "invalid_type"),
    (SHORTANSWER, 42, "invalid_type"),
    (SHORTANSWER, "Pe\x00ru", "invalid_character"),
    (NUMERICAL, "1" * (NUMERICAL_MAX_CHARS + 1), "too_long"),
    (NUMERICAL, "abc", "not_a_number"),
    (NUMERICAL, "1,000.5", "ambiguous_number"),
    (NUMERICAL, float("nan"), "not_a_number"),
    (NUMERICAL, float("inf"), "not_a_number"),
    (NUMERICAL, True, "invalid_type"),
    (NUMERICAL, ["1.5"], "invalid_type"),
    (MATCHING, {"p9": "Lima"}, "unknown_pair"),
    (MATCHING, {"p1": "Caracas"}, "unknown_answer"),
    (MATCHING, {"p1": "lima"}, "unknown_answer"),
    (MATCHING, {"p1": ["Lima"]}, "unknown_answer"),
    (MATCHING, {"p1": 3}, "unknown_answer"),
    (MATCHING, {1: "Lima"}, "unknown_pair"),
    (MATCHING, ["Lima", "Santiago"], "invalid_type"),
    (MATCHING, "p1=Lima", "invalid_type"),
    (ORDERING, ["chacabuco", "maipu", "junin"], "incomplete_order"),
    (ORDERING, ["chacabuco", "maipu", "junin", "junin"], "duplicate_item"),
    (
        ORDERING,
        ["chacabuco", "maipu", "junin", "ayacucho", "ayacucho"],
        "duplicate_item",
    ),
    (ORDERING, ["chacabuco", "maipu", "junin", "pichincha"], "unknown_item"),
    (ORDERING, ["chacabuco", "maipu", "junin", "ayacucho", "x"], "unknown_item"),
    (ORDERING, "chacabuco,maipu,junin,ayacucho", "invalid_type"),
    (ORDERING, {"chacabuco": 1}, "invalid_type"),
    (ESSAY, "x" * (ESSAY_MAX_CHARS + 1), "too_long"),
    (ESSAY, b"bytes", "invalid_type"),
    (ESSAY, "nul\x00", "invalid_character"),
    (_with(ESSAY, max_length=10), "x" * 11, "too_long"),
]


@pytest.mark.parametrize(("question", "raw", "code"), TAMPERED)
def test_tampered_response_is_rejected_by_normalise(question, raw, code):
    with pytest.raises(InvalidResponse) as caught:
        normalise_response(question, raw)
    assert caught.value.code == code
    assert str(caught.value)


@pytest.mark.parametrize(("question", "raw", "code"), TAMPERED)
def test_tampered_response_is_rejected_by_grade_too(question, raw, code):
    with pytest.raises(InvalidResponse):
        grade(question, raw)


def test_invalid_response_is_a_value_error_with_a_readable_message():
    with pytest.raises(ValueError, match="not a number"):
        normalise_response(NUMERICAL, "abc")


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (ESSAY, "x" * ESSAY_MAX_CHARS),
        (ESSAY, "x\r\n" * (ESSAY_MAX_CHARS // 2)),
        (_with(ESSAY, max_length=10), "x" * 10),
        (_with(ESSAY, max_length=10**6), "x" * ESSAY_MAX_CHARS),
        (SHORTANSWER, "x" * SHORTANSWER_MAX_CHARS),
        (SHORTANSWER, " " + "x" * SHORTANSWER_MAX_CHARS + " "),
        (NUMERICAL, "0" * (NUMERICAL_MAX_CHARS - 1) + "1"),
    ],
)
def test_texts_at_the_length_limit_are_accepted(question, raw):
    assert normalise_response(question, raw) is not None


def test_essay_keeps_its_text_but_uses_unix_line_breaks():
    raw = "  Para one.\r\n\r\n    code block\r\n"
    assert normalise_response(ESSAY, raw) == "  Para one.\n\n    code block\n"


def test_shortanswer_and_numerical_are_stored_stripped():
    assert normalise_response(SHORTANSWER, "  Perú \n") == "Perú"
    assert normalise_response(NUMERICAL, " 1,5 ") == "1,5"


def test_multiple_response_is_stored_in_question_order():
    assert normalise_response(MULTIPLE, ("e", "a", "c")) == ["a", "c", "e"]


def test_matching_response_is_stored_in_question_order_without_blanks():
    raw = {"p3": "Lima", "p2": "", "p1": "Lima"}
    assert list(normalise_response(MATCHING, raw).items()) == [
        ("p1", "Lima"),
        ("p3", "Lima"),
    ]


@pytest.mark.parametrize("qtype", [None, "calculated", "SINGLE", ""])
def test_unknown_question_type_is_a_programming_error_not_a_bad_response(qtype):
    question = {"type": qtype, "text": "?"}
    for call in (
        lambda: normalise_response(question, "a"),
        lambda: grade(question, "a"),
        lambda: correct_response(question),
    ):
        with pytest.raises(ValueError, match="Unknown question type") as caught:
            call()
        assert not isinstance(caught.value, InvalidResponse)


# ------------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    ("text", "case_sensitive", "expected"),
    [
        ("Perú", False, "peru"),
        ("PERÚ", False, "peru"),
        ("Perú", True, "Peru"),
        ("  São   Paulo \t", False, "sao paulo"),
        ("São\u00a0Paulo", False, "sao paulo"),
        ("Bogota\u0301", False, "bogota"),
        ("España", False, "espana"),
        ("Straße", False, "strasse"),
        ("Straße", True, "Straße"),
        ("İstanbul", False, "istanbul"),
        ("ﬁn", False, "fin"),
        ("Ｌｉｍａ", False, "lima"),
        ("x²", False, "x2"),
        ("line\nbreak", False, "line break"),
        ("한국", False, "한국"),
        ("", False, ""),
    ],
)
def test_normalise_text(text, case_sensitive, expected):
    assert normalise_text(text, case_sensitive=case_sensitive) == expected


@pytest.mark.parametrize(
    ("accepted", "raw", "matches"),
    [
        ("Perú", "peru", True),
        ("peru", "PERÚ", True),
        ("Peru", "Perú ", True),
        ("San Martín", "san   martin", True),
        ("San Martín", "SanMartin", False),
        ("Peru", "Peruvian", False),
        ("Peru*", "Peruvian", True),
        ("Peru*", "Peru", True),
        ("Peru*", "Per", False),
        ("*", "anything at all", True),
        ("*", "x", True),
        ("*ru", "Peru", True),
        ("*ru", "Peru!", False),
        ("P*u", "Peru", True),
        ("P*u", "Pu", True),
        ("P*u", "P", False),
        ("a*a", "a", False),
        ("a*a", "aa", True),
        ("*a*b*", "xxaxxbxx", True),
        ("*a*b*", "xxbxxaxx", False),
        ("a**b", "ab", True),
        ("*" + "a*" * 30, "a" * 29 + "b" * 900, False),
        ("U.S.", "U.S.", True),
        ("U.S.", "us", False),
        ("U.S.", "UXS.", False),
        ("U.S.", "UXSX", False),
        ("a+b", "aab", False),
        ("a+b", "A+B", True),
        ("(1)", "1", False),
        ("[ab]", "a", False),
        ("[ab]", "[AB]", True),
        ("^$", "^$", True),
        ("\\d", "\\d", True),
        ("\\d", "5", False),
        ("a|b", "a", False),
        ("x?", "x", False),
        ("{2}", "{2}", True),
    ],
)
def test_shortanswer_matching(accepted, raw, matches):
    question = _shortanswer(accepted)
    assert _mark(question, raw).fraction == (1.0 if matches else 0.0)


@pytest.mark.parametrize(
    ("raw", "fraction"), [("NaCl", 1.0), (" NaCl ", 1.0), ("nacl", 0.0), ("NACL", 0.0)]
)
def test_case_sensitive_shortanswer(raw, fraction):
    assert _mark(_shortanswer("NaCl", case_sensitive=True), raw).fraction == fraction


def test_case_sensitive_shortanswer_still_ignores_accents():
    assert _mark(_shortanswer("Perú", case_sensitive=True), "Peru").fraction == 1.0


def test_shortanswer_tie_goes_to_the_first_listed_answer():
    question = _with(
        SHORTANSWER,
        answers=[
            {"text": "Lima*", "fraction": 1.0, "feedback": "first"},
            {"text": "*Lima", "fraction": 1.0, "feedback": "second"},
        ],
    )
    assert _mark(question, "Lima").feedback == ("first",)


def test_shortanswer_fraction_outside_0_1_is_clamped():
    question = _with(
        SHORTANSWER, answers=[{"text": "x", "fraction": -0.5, "feedback": "neg"}]
    )
    assert _mark(question, "x") == Grade(0.0, feedback=("neg",), detail={"matched": 0})


# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("-2", -2.0),
        ("+3", 3.0),
        ("1e3", 1000.0),
        ("2.5E-2", 0.025),
        ("1,5e3", 1500.0),
        ("1E+2", 100.0),
        (" 4 ", 4.0),
        ("\u00a04\u00a0", 4.0),
        ("1\u2009000", 1000.0),
        ("1\u202f000,5", 1000.5),
        ("1 000 000", 1_000_000.0),
        ("- 2", -2.0),
        ("\u22122", -2.0),
        ("１２", 12.0),
        (".5", 0.5),
        ("5.", 5.0),
        (",5", 0.5),
        ("0", 0.0),
        ("-0", 0.0),
        ("007", 7.0),
        ("1,000", 1.0),
        ("1.000", 1.0),
        ("1e-400", 0.0),
    ],
)
def test_parse_number_accepts(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "not_a_number"),
        ("   ", "not_a_number"),
        ("abc", "not_a_number"),
        ("nan", "not_a_number"),
        ("NaN", "not_a_number"),
        ("inf", "not_a_number"),
        ("-Infinity", "not_a_number"),
        ("1e400", "out_of_range"),
        ("-1e400", "out_of_range"),
        ("1,000.5", "ambiguous_number"),
        ("1.000,5", "ambiguous_number"),
        ("1,000,000", "ambiguous_number"),
        ("1.2.3", "ambiguous_number"),
        ("1..5", "ambiguous_number"),
        (".", "not_a_number"),
        (",", "not_a_number"),
        ("-", "not_a_number"),
        ("e3", "not_a_number"),
        ("1e", "not_a_number"),
        ("1e3.5", "not_a_number"),
        ("--2", "not_a_number"),
        ("+-2", "not_a_number"),
        ("2-", "not_a_number"),
        ("0x10", "not_a_number"),
        ("1/2", "not_a_number"),
        ("1_000", "not_a_number"),
        ("1'000", "not_a_number"),
        ("٣", "not_a_number"),
        ("5 km", "not_a_number"),
        ("12%", "not_a_number"),
    ],
)
def test_parse_number_rejects(text, code):
    with pytest.raises(InvalidResponse) as caught:
        parse_number(text)
    assert caught.value.code == code


def test_parse_number_messages_name_the_input_and_explain_grouping():
    with pytest.raises(InvalidResponse, match="“abc” is not a number"):
        parse_number(" abc ")
    with pytest.raises(InvalidResponse, match="without thousands separators.*1500.5"):
        parse_number("1,500.5")


@pytest.mark.parametrize("raw", ["abc", "1,000.5", "nan"])
def test_grade_rejects_a_stored_numerical_response_that_is_not_a_number(raw):
    with pytest.raises(InvalidResponse):
        grade(NUMERICAL, raw)


@pytest.mark.parametrize(
    ("answer", "raw", "matches"),
    [
        ({"value": 1.5, "tolerance": 0.1}, "1.6", True),
        ({"value": 1.5, "tolerance": 0.1}, "1.4", True),
        ({"value": 1.5, "tolerance": 0.1}, "1.6000001", False),
        ({"value": 1.5, "tolerance": 0.1}, "1.3999999", False),
        ({"value": 0.3, "tolerance": 0.1}, "0.4", True),
        ({"value": 0.3, "tolerance": 0.1}, "0.2", True),
        ({"value": 0.3, "tolerance": 0.1}, "0.41", False),
        ({"value": 100, "tolerance": 0.01}, "100.01", True),
        ({"value": 100, "tolerance": 0.01}, "99.99", True),
        ({"value": 100, "tolerance": 0.01}, "100.011", False),
        ({"value": 2}, "2", True),
        ({"value": 2}, "2.0", True),
        ({"value": 2}, "2,0000001", False),
        ({"value": 2, "tolerance": 0}, "2e0", True),
        ({"value": 0, "tolerance": 0}, "-0", True),
        ({"value": 0, "tolerance": 0}, "1e-300", False),
        ({"value": -5, "tolerance": 1}, "-6", True),
        ({"value": -5, "tolerance": 1}, "-4", True),
        ({"value": -5, "tolerance": 1}, "4", False),
        ({"value": 1e-12, "tolerance": 1e-13}, "1.1e-12", True),
        ({"value": 1e-12, "tolerance": 1e-13}, "1.2e-12", False),
        ({"value": 6.02e23, "tolerance": 1e21}, "6,03e23", True),
        ({"value": 6.02e23, "tolerance": 1e21}, "6.04e23", False),
        ({"min": 1810, "max": 1825}, "1810", True),
        ({"min": 1810, "max": 1825}, "1825", True),
        ({"min": 1810, "max": 1825}, "1817,5", True),
        ({"min": 1810, "max": 1825}, "1809.999", False),
        ({"min": 1810, "max": 1825}, "1825.001", False),
        ({"min": 0.1, "max": 0.3}, "0.3", True),
        ({"min": 0.1, "max": 0.3}, "0,1", True),
        ({"min": -1, "max": -1}, "-1", True),
    ],
)
def test_numerical_tolerance_and_range_edges(answer, raw, matches):
    assert _mark(_numerical(answer), raw).fraction == (1.0 if matches else 0.0)


def test_numerical_picks_the_best_of_several_weighted_answers():
    question = _numerical(
        {"value": 10, "tolerance": 5, "fraction": 0.2, "feedback": "rough"},
        {"value": 10, "tolerance": 1, "fraction": 0.6, "feedback": "closer"},
        {"min": 9.9, "max": 10.1, "fraction": 1.0, "feedback": "exact"},
        {"value": 10, "tolerance": 0.5, "fraction": 0.8, "feedback": "close"},
    )
    expected = {
        "10": (1.0, "exact"),
        "10.3": (0.8, "close"),
        "9.2": (0.6, "closer"),
        "14": (0.2, "rough"),
        "16": (0.0, None),
    }
    for raw, (fraction, feedback) in expected.items():
        result = _mark(question, raw)
        assert result.fraction == fraction, raw
        assert result.feedback == ((feedback,) if feedback else ()), raw


def test_numerical_tie_goes_to_the_first_listed_answer():
    question = _numerical(
        {"value": 1, "tolerance": 1, "feedback": "first"},
        {"value": 1, "tolerance": 2, "feedback": "second"},
    )
    assert _mark(question, "1").feedback == ("first",)


# --------------------------------------------------------------- correct responses


@pytest.mark.parametrize("qtype", AUTO)
def test_correct_response_earns_full_marks(qtype):
    question = SAMPLES[qtype]
    response = correct_response(question)
    assert normalise_response(question, response) == response
    assert grade(question, response).fraction == 1.0


@pytest.mark.parametrize(
    ("qtype", "expected"),
    [
        ("single", "a"),
        ("multiple", ["a", "b", "c"]),
        ("truefalse", True),
        ("shortanswer", "Perú"),
        ("numerical", "1.5"),
        ("matching", {"p1": "Lima", "p2": "Santiago", "p3": "La Paz", "p4": "Quito"}),
        ("ordering", ["chacabuco", "maipu", "junin", "ayacucho"]),
        ("essay", None),
        ("description", None),
    ],
)
def test_correct_response_per_type(qtype, expected):
    assert correct_response(SAMPLES[qtype]) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (_numerical({"min": 1810, "max": 1825}), "1817.5"),
        (_numerical({"value": 1e-5}), "1e-05"),
        (_numerical({"value": 3}), "3.0"),
        (_shortanswer("Peru*"), "Peru*"),
        (_with(TRUEFALSE, correct=False), False),
    ],
)
def test_correct_response_of_ranges_wildcards_and_false(question, expected):
    assert correct_response(question) == expected
    assert grade(question, expected).fraction == 1.0


# ------------------------------------------------------------------------- score


@pytest.mark.parametrize(
    ("question", "result", "max_mark", "expected"),
    [
        (SINGLE, Grade(1.0), None, 1.0),
        (_with(SINGLE, default_mark=3), Grade(0.5), None, 1.5),
        (_with(SINGLE, default_mark=3), Grade(0.5), 10, 5.0),
        (MATCHING, Grade(1 / 3), 2, 0.6666667),
        (MULTIPLE, Grade(0.0), 5, 0.0),
        (ESSAY, Grade(None, needs_manual=True), 10, None),
        (DESCRIPTION, Grade(None), None, None),
    ],
)
def test_score(question, result, max_mark, expected):
    assert score(question, result, max_mark) == expected


def test_grade_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Grade(1.0).fraction = 0.5  # type: ignore[misc]


# --------------------------------------------------------------------- validation


@pytest.mark.parametrize("qtype", sorted(SAMPLES))
def test_sample_questions_are_valid(qtype):
    assert validate_question(SAMPLES[qtype]) == []


def _option(option_id: str, fraction: Any, text: str = "x") -> dict[str, Any]:
    return {"id": option_id, "text": text, "fraction": fraction, "feedback": ""}


INVALID = [
    ({"type": "calculated", "text": "?"}, "Unknown question type 'calculated'"),
    ({"text": "?"}, "Unknown question type None"),
    ("not a dict", "Unknown question type None"),
    (_with(SINGLE, text="  "), "Write the question text"),
    (_with(SINGLE, default_mark=-1), "default mark"),
    (_with(SINGLE, default_mark="2"), "default mark"),
    # single
    (_with(SINGLE, options=[_option("a", 1.0)]), "at least 2 options"),
    (_with(SINGLE, options=None), "at least 2 options"),
    (
        _with(SINGLE, options=[_option("a", 0.5), _option("b", 0)]),
        "At least one option must be worth 100%",
    ),
    (_with(SINGLE, options=[_option("a", 1), _option("a", 0)]), "“a” is used more"),
    (_with(SINGLE, options=[_option("a", 1), _option("", 0)]), "Option 2 has no id"),
    (_with(SINGLE, options=[_option("a", 1), _option(2, 0)]), "Option 2 has no id"),
    (_with(SINGLE, options=[_option("a", 1), _option("b", 0, " ")]), "no text"),
    (_with(SINGLE, options=[_option("a", 1), _option("b", -2)]), "-100% to 100%"),
    (_with(SINGLE, options=[_option("a", 1), _option("b", "0")]), "-100% to 100%"),
    (_with(SINGLE, options=[_option("a", 1), "b"]), "Option 2 is malformed"),
    # multiple
    (_with(MULTIPLE, options=[_option("a", 0.5), _option("b", 0.4)]), "90%"),
    (_with(MULTIPLE, options=[_option("a", 0.7), _option("b", 0.7)]), "140%"),
    (_with(MULTIPLE, options=[_option("a", 0), _option("b", -1)]), "add up to 0%"),
    (_with(MULTIPLE, options=[_option("a", 1.5), _option("b", -0.5)]), "-100% to"),
    (_with(MULTIPLE, options=[_option("a", 1), _option("b", -1.01)]), "-100% to"),
    (_with(MULTIPLE, options=[_option("a", 1), _option("a", 0)]), "used more"),
    # truefalse
    (_with(TRUEFALSE, correct="true"), "true or false"),
    ({k: v for k, v in TRUEFALSE.items() if k != "correct"}, "true or false"),
    # shortanswer
    (_with(SHORTANSWER, answers=[]), "at least an answer"),
    (_shortanswer("  "), "Answer 1 has no text"),
    (
        _with(SHORTANSWER, answers=[{"text": "x", "fraction": 0.5, "feedback": ""}]),
        "worth 100%",
    ),
    (
        _with(SHORTANSWER, answers=[{"text": "x", "fraction": 1.5, "feedback": ""}]),
        "0% to 100%",
    ),
    (_with(SHORTANSWER, case_sensitive="yes"), "case_sensitive"),
    # numerical
    (_numerical({"value": "1.5"}), "Answer 1 needs a number"),
    (_numerical({"value": float("nan")}), "Answer 1 needs a number"),
    (_numerical({"tolerance": 1}), "Answer 1 needs a number"),
    (_numerical({"value": 1, "tolerance": -0.1}), "tolerance must be"),
    (_numerical({"value": 1, "tolerance": None}), "tolerance must be"),
    (_numerical({"min": 5, "max": 1}), "minimum is greater"),
    (_numerical({"min": 5}), "needs a minimum and a maximum"),
    (_numerical({"min": 1, "max": 5, "value": 3}), "both a value and a range"),
    (_numerical({"value": 1, "fraction": 0.9}), "worth 100%"),
    (_with(NUMERICAL, answers="1.5"), "at least an answer"),
    # matching
    (_with(MATCHING, pairs=MATCHING["pairs"][:1]), "at least 2 pairs"),
    (
        _with(MATCHING, pairs=[*MATCHING["pairs"], MATCHING["pairs"][0]]),
        "“p1” is used more",
    ),
    (
        _with(MATCHING, pairs=[*MATCHING["pairs"], {"id": "p9", "answer": "x"}]),
        "Pair 5 has no prompt",
    ),
    (
        _with(MATCHING, pairs=[*MATCHING["pairs"], {"id": "p9", "prompt": "x"}]),
        "Pair 5 has no answer",
    ),
    (_with(MATCHING, distractors=["Lima"]), "“Lima” is also the answer"),
    (_with(MATCHING, distractors=[""]), "Distractors must be"),
    (_with(MATCHING, distractors="Quito"), "Distractors must be"),
    # ordering
    (_with(ORDERING, items=ORDERING["items"][:1]), "at least 2 items"),
    (
        _with(ORDERING, items=[*ORDERING["items"], {"id": "junin", "text": "x"}]),
        "“junin” is used more",
    ),
    (_with(ORDERING, items=[*ORDERING["items"], {"id": "x"}]), "Item 5 has no text"),
    # essay
    (_with(ESSAY, max_length=0), "maximum length"),
    (_with(ESSAY, max_length=ESSAY_MAX_CHARS + 1), "maximum length"),
    (_with(ESSAY, max_length="500"), "maximum length"),
    (_with(ESSAY, max_length=True), "maximum length"),
]


@pytest.mark.parametrize(("question", "fragment"), INVALID)
def test_validate_question_reports_the_problem(question, fragment):
    problems = validate_question(question)
    assert any(fragment in problem for problem in problems), problems


@pytest.mark.parametrize(
    "question",
    [
        _with(MULTIPLE, options=[_option("a", 0.5), _option("b", 0.49)]),
        _with(MULTIPLE, options=[_option("a", 0.5), _option("b", 0.51)]),
        _with(MULTIPLE, options=[_option("a", 1), _option("b", -1)]),
        _with(SINGLE, options=[_option("a", 0.9999999), _option("b", -1)]),
        _numerical({"value": 1}),
        _numerical({"value": 0, "tolerance": 0}, {"min": -1, "max": 1, "fraction": 0}),
        _with(MATCHING, distractors=[]),
        {k: v for k, v in MATCHING.items() if k != "distractors"},
        _with(ESSAY, max_length=ESSAY_MAX_CHARS),
        _with(DESCRIPTION, default_mark=0),
    ],
)
def test_validate_question_accepts_edge_cases_that_are_fine(question):
    assert validate_question(question) == []


def test_validate_question_reports_every_problem_at_once():
    question = _with(SINGLE, text="", options=[_option("a", 0.5), _option("a", 2)])
    assert len(validate_question(question)) == 4


def test_a_single_choice_may_have_several_right_options():
    """Moodle's single choice with several '=' answers: any right one scores 1."""
    question = _with(
        SINGLE, options=[_option("a", 1), _option("b", 1.0), _option("c", 0)]
    )
    assert validate_question(question) == []
    assert grade(question, "b").fraction == 1.0
    assert grade(question, "c").fraction == 0.0
