"""GIFT files Moodle's importer accepts are imported the way Moodle reads them.

Each source below is our own small file reproducing a construct found in real GIFT
files written elsewhere (Moodle's own tests, other GIFT tools' test suites). Where
we are stricter than Moodle the question is still imported, with a warning that
names the line (``GiftQuestion.warnings``).
"""

import pytest

from quizzes import grading
from quizzes.gift import ANY_NUMBER, parse_gift, write_gift


def parsed_one(src: str):
    parsed = parse_gift(src)
    assert len(parsed) == 1, parsed
    return parsed[0]


def one(src: str) -> dict:
    return parsed_one(src).question


def warnings(src: str) -> list[tuple[int, str]]:
    return [
        (problem.line, problem.message)
        for item in parse_gift(src)
        for problem in item.warnings
    ]


def round_trip(question: dict) -> dict:
    return parse_gift(write_gift([question]))[0].question


# ------------------------------------------------------------------ numerical


def test_numerical_wrong_answer_feedback_is_an_any_number_answer():
    question = one("Roll a die. {#3:2 ~#Completely wrong}")
    assert question["type"] == "numerical"
    assert question["answers"] == [
        {"value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""},
        {
            "min": -ANY_NUMBER,
            "max": ANY_NUMBER,
            "fraction": 0.0,
            "feedback": "Completely wrong",
        },
    ]
    assert grading.validate_question(question) == []
    assert grading.grade(question, "4").fraction == 1.0
    wrong = grading.grade(question, "99")
    assert (wrong.fraction, wrong.feedback) == (0.0, ("Completely wrong",))


def test_numerical_wrong_answer_feedback_round_trips_as_tilde():
    question = one("Q?{#\n=7#Right\n~#Not seven\n}")
    written = write_gift([question])
    assert "~#Not seven" in written
    assert round_trip(question) == question


# ------------------------------------------------------------ multiple choice


def test_several_equals_make_a_single_choice_with_several_right_options():
    question = one("Name a season\\: {\n= spring\n= summer\n~ easter\n}")
    assert question["type"] == "single"
    assert [o["fraction"] for o in question["options"]] == [1.0, 1.0, 0.0]
    assert grading.validate_question(question) == []
    assert grading.grade(question, "b").fraction == 1.0
    assert grading.grade(question, "c").fraction == 0.0
    assert round_trip(question) == question


def test_a_weight_after_equals_is_answer_text_with_a_warning():
    src = "// c\nQ?{=%50%half ~b}"
    question = one(src)
    assert question["options"][0] == {
        "id": "a",
        "text": "%50%half",
        "fraction": 1.0,
        "feedback": "",
    }
    assert [line for line, _ in warnings(src)] == [2]


# ---------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    ("answers", "text", "feedback"),
    [
        ("One", "One", ""),
        ("5", "5", ""),
        ("t#feedback", "t", "feedback"),
        ("True", "True", ""),
        ("true", "true", ""),
        ("False#no", "False", "no"),
    ],
)
def test_a_lone_answer_is_a_one_answer_short_answer(answers, text, feedback):
    question = one(f"Q?{{{answers}}}")
    assert question["type"] == "shortanswer"
    assert question["answers"] == [
        {"text": text, "fraction": 1.0, "feedback": feedback}
    ]


def test_true_in_lower_case_is_a_short_answer_with_a_warning_naming_the_line():
    found = warnings("// comment\n\nIs it?\n{True}")
    assert len(found) == 1
    line, message = found[0]
    assert line == 4
    assert "short answer" in message and "TRUE" in message


def test_the_capital_forms_are_still_true_false():
    assert one("Q?{T}")["type"] == "truefalse"
    assert one("Q?{FALSE#a#b}")["type"] == "truefalse"


# ---------------------------------------------------------------------- braces


def test_a_brace_inside_the_answers_is_answer_text_as_in_moodle():
    src = "Which is not special? {\n~ \\~ # special\n~ { # special\n= \\ # right\n}"
    question = one(src)
    assert question["type"] == "single"
    assert [o["text"] for o in question["options"]] == ["~", "{", "\\"]
    assert [line for line, _ in warnings(src)] == [3]


def test_an_empty_pair_of_braces_in_the_text_makes_an_essay_as_in_moodle():
    src = "Symbols such as +{}| are fun? {True}"
    question = one(src)
    assert question["type"] == "essay"
    assert "{True}" in question["text"]
    assert [line for line, _ in warnings(src)] == [1]


# -------------------------------------------------------------- texts, formats


def test_unknown_format_name_stays_in_the_text_with_a_warning():
    src = "[foo] Q? {T}"
    question = one(src)
    assert question["text"] == "[foo] Q?"
    assert question["format"] == "moodle"
    assert [line for line, _ in warnings(src)] == [1]


def test_a_question_with_only_a_title_takes_its_title_as_text():
    src = "::Pick a picture:: {\n=one\n~two\n}"
    question = one(src)
    assert question["text"] == "Pick a picture"
    assert [line for line, _ in warnings(src)] == [1]


def test_idnumber_and_tags_from_comments():
    item = parsed_one("// [id:393]\n// [tag:fred] [tag:barney-wilma]\nEssay?{}")
    assert item.question["idnumber"] == "393"
    assert item.question["tags"] == ["fred", "barney-wilma"]


def test_no_idnumber_key_without_an_id_comment():
    assert "idnumber" not in one("Q?{}")


def test_idnumber_round_trips():
    question = one("// [id:q-7] [tag:x]\nQ?{T}")
    assert round_trip(question) == question


def test_an_empty_choice_is_left_out_with_a_warning_as_moodle_does():
    src = "Q?{\n=a\n~b\n~\n}"
    question = one(src)
    assert [o["text"] for o in question["options"]] == ["a", "b"]
    assert [line for line, _ in warnings(src)] == [4]


@pytest.mark.parametrize(
    ("src", "fractions"),
    [
        ("Who?\n{=Bolívar =%-50%Sucre}", [1.0, 0.0]),
        ("How many?\n{#=3 =%-25%4}", [1.0, 0.0]),
    ],
)
def test_a_negative_weight_on_a_typed_answer_scores_zero_with_a_warning(src, fractions):
    question = one(src)
    assert [a["fraction"] for a in question["answers"]] == fractions
    assert [line for line, _ in warnings(src)] == [2]


def test_a_hash_in_a_matching_question_is_text_as_in_moodle():
    src = "Match\n{=a -> 1 =b -> 2#good}"
    question = one(src)
    assert [p["answer"] for p in question["pairs"]] == ["1", "2#good"]
    assert [line for line, _ in warnings(src)] == [2]


def test_a_distractor_equal_to_an_answer_is_left_out_with_a_warning():
    src = "Match\n{=a -> 1 =b -> 2 = -> 1 = -> 3}"
    question = one(src)
    assert question["distractors"] == ["3"]
    assert [line for line, _ in warnings(src)] == [2]
