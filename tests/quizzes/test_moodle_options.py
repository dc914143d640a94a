"""The question options that come from Moodle: defaults, per-type keys,
validation, combined feedback by fraction and answer numbering labels."""

import pytest

from quizzes import moodle_options as mo


@pytest.mark.parametrize(
    ("numbering", "labels"),
    [
        ("abc", ["a.", "b.", "c.", "d."]),
        ("ABCD", ["A.", "B.", "C.", "D."]),
        ("123", ["1.", "2.", "3.", "4."]),
        ("iii", ["i.", "ii.", "iii.", "iv."]),
        ("IIII", ["I.", "II.", "III.", "IV."]),
        ("none", ["", "", "", ""]),
    ],
)
def test_answer_numbering_labels_options_as_moodle_does(numbering, labels):
    assert [mo.number_label(numbering, i) for i in range(4)] == labels


def test_letters_go_on_after_z():
    assert mo.number_label("abc", 26) == "aa."


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(1.0, "right"), (0.5, "partly"), (0.0, "wrong"), (-0.5, "wrong"), (None, "")],
)
def test_combined_feedback_follows_the_fraction(fraction, shown):
    question = {
        "correct_feedback": "right",
        "partially_correct_feedback": "partly",
        "incorrect_feedback": "wrong",
    }
    assert mo.combined_feedback(question, fraction) == shown


def test_compact_keeps_only_what_differs_and_what_the_type_takes():
    values = mo.stored(
        {
            "type": "shortanswer",
            "penalty": 0.1,
            "answer_numbering": "123",
            "correct_feedback": "x",
        }
    )
    assert values["answer_numbering"] == "abc"
    assert mo.compact(values, "shortanswer") == {"penalty": 0.1}
    choice = mo.stored({"type": "single", "answer_numbering": "123"})
    assert mo.compact(choice, "single") == {"answer_numbering": "123"}


def test_an_old_dict_has_every_default():
    assert mo.stored({"type": "single"}) == mo.DEFAULTS
    assert mo.compact(mo.DEFAULTS, "single") == {}


def test_hints_are_normalised():
    values = mo.stored({"type": "single", "hints": [{"text": "Think"}]})
    assert values["hints"] == [
        {"text": "Think", "show_num_correct": False, "clear_wrong": False}
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"penalty": 2}, "'penalty' must be from 0 to 1"),
        ({"penalty": "x"}, "'penalty' must be a number"),
        ({"answer_numbering": "xyz"}, "'answer_numbering' must be one of"),
        ({"shuffle_answers": "no"}, "'shuffle_answers' must be true or false"),
        ({"hints": "Think"}, "'hints' must be a list"),
        ({"idnumber": 3}, "'idnumber' must be a text"),
        ({"idnumber": "x" * 101}, "'idnumber' is longer than 100 characters"),
    ],
)
def test_problems_name_the_key(extra, message):
    (problem,) = mo.problems({"type": "single", **extra})
    assert message in problem


def test_combined_feedback_on_a_type_without_it_is_a_problem():
    assert mo.problems({"type": "essay", "correct_feedback": "Well done"}) == [
        "'correct_feedback' is not for the type 'essay'"
    ]
    assert mo.problems({"type": "matching", "correct_feedback": "Well done"}) == []
