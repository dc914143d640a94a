"""Tests for quizzes.gift: the Moodle GIFT parser and writer."""

import random

import pytest

from quizzes.gift import (
    BLANK,
    GiftError,
    GiftProblem,
    GiftQuestion,
    parse_gift,
    write_gift,
)

# ------------------------------------------------------------------- helpers


def one(src: str) -> dict:
    """The only question in ``src``."""
    parsed = parse_gift(src)
    assert len(parsed) == 1, parsed
    return parsed[0].question


def problems(src: str) -> list[tuple[int, str]]:
    with pytest.raises(GiftError) as info:
        parse_gift(src)
    return [(problem.line, problem.message) for problem in info.value.errors]


def only_problem(src: str) -> tuple[int, str]:
    found = problems(src)
    assert len(found) == 1, found
    return found[0]


def round_trip(src: str) -> str:
    """Parse, write, parse again: the dicts and categories must be equal."""
    first = parse_gift(src)
    written = write_gift([q.question for q in first])
    second = parse_gift(written)
    assert [q.question for q in second] == [q.question for q in first], written
    assert [q.category for q in second] == [q.category for q in first]
    return written


# ------------------------------------------------------------------- basics


def test_empty_file_and_comment_only_file_have_no_questions():
    assert parse_gift("") == []
    assert parse_gift("\n\n   \n") == []
    assert parse_gift("// just a comment\n// another\n\n// more\n") == []


def test_question_dict_has_the_common_keys():
    parsed = parse_gift("::Capital:: What is the capital of France?{=Paris ~Lyon}")
    assert parsed == [
        GiftQuestion(
            question={
                "type": "single",
                "title": "Capital",
                "text": "What is the capital of France?",
                "format": "moodle",
                "general_feedback": "",
                "default_mark": 1.0,
                "tags": [],
                "options": [
                    {"id": "a", "text": "Paris", "fraction": 1.0, "feedback": ""},
                    {"id": "b", "text": "Lyon", "fraction": 0.0, "feedback": ""},
                ],
            },
            category=None,
            line=1,
        )
    ]


def test_blank_lines_separate_questions_and_lines_are_reported():
    src = "\n\nFirst?{T}\n\n\n   \nSecond\nline?{F}\n\nThird"
    parsed = parse_gift(src)
    assert [q.line for q in parsed] == [3, 7, 10]
    assert [q.question["type"] for q in parsed] == [
        "truefalse",
        "truefalse",
        "description",
    ]
    assert parsed[1].question["text"] == "Second\nline?"


def test_crlf_cr_and_bom_are_accepted():
    src = "\ufeffA?{T}\r\n\r\nB?{F}\r\n"
    assert [q.question["correct"] for q in parse_gift(src)] == [True, False]
    assert [q.question["correct"] for q in parse_gift("A?{T}\r\rB?{F}")] == [
        True,
        False,
    ]


def test_multi_line_question_keeps_line_breaks_and_strips_indentation():
    src = (
        "// header comment\n"
        "::Long::\n"
        "    This question\n"
        "    spans lines.\n"
        "{\n"
        "    =right # yes\n"
        "    ~wrong # no\n"
        "    #### because\n"
        "}\n"
    )
    [parsed] = parse_gift(src)
    assert parsed.line == 2
    q = parsed.question
    assert q["title"] == "Long"
    assert q["text"] == "This question\nspans lines."
    assert [(o["text"], o["feedback"]) for o in q["options"]] == [
        ("right", "yes"),
        ("wrong", "no"),
    ]
    assert q["general_feedback"] == "because"


# ------------------------------------------------------------------ escapes


@pytest.mark.parametrize(
    ("escaped", "literal"),
    [
        ("\\~", "~"),
        ("\\=", "="),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\:", ":"),
        ("\\\\", "\\"),
        ("\\n", "\n"),
        ("\\\\n", "\\n"),  # an escaped backslash followed by a plain n
        ("\\x", "\\x"),  # not an escape: the backslash stays
    ],
)
def test_escapes_in_text_and_answers(escaped, literal):
    q = one(f"a {escaped} b{{=c {escaped} d#e {escaped} f ~g}}")
    assert q["text"] == f"a {literal} b"
    assert q["options"][0]["text"] == f"c {literal} d"
    assert q["options"][0]["feedback"] == f"e {literal} f"
    assert one(f"a {escaped} b")["text"] == f"a {literal} b"


def test_escaped_colons_in_title():
    assert one("::Ratio 1\\:2\\:\\:x::Text{}")["title"] == "Ratio 1:2::x"


def test_escaped_braces_make_a_description():
    q = one("Set notation: \\{1, 2\\} is a set.")
    assert q["type"] == "description"
    assert q["text"] == "Set notation: {1, 2} is a set."


# ----------------------------------------------------------------- comments


def test_comment_lines_are_ignored_even_inside_a_question():
    src = (
        "// before\n"
        "Which?{\n"
        "  =yes\n"
        "  // between answers\n"
        "  ~no\n"
        "}\n"
        "// after, same block"
    )
    q = one(src)
    assert [o["text"] for o in q["options"]] == ["yes", "no"]


def test_double_slash_inside_a_line_is_text():
    q = one("See http://example.org // not a comment{=ok ~no}")
    assert q["text"] == "See http://example.org // not a comment"


def test_comment_line_inside_question_text_becomes_a_space_line_like_moodle():
    # Moodle replaces a comment line by " " before joining the lines.
    assert one("Line one\n// hidden\nLine two{}")["text"] == "Line one\n \nLine two"


def test_tags_in_comments_follow_moodle():
    q = one("// question: 1 [tag:easy] [tag:geo\\]graphy]\n// [tag: spaced ]\nQ?{T}")
    assert q["tags"] == ["easy", "geo]graphy", "spaced"]


# --------------------------------------------------------------- categories


def test_category_applies_to_the_following_questions():
    src = (
        "First?{T}\n\n"
        "$CATEGORY: $course$/top/Geography\n\n"
        "Second?{T}\n\n"
        "// [tag:x]\nThird?{F}\n\n"
        "$CATEGORY:   History/Rome  \n\n"
        "Fourth?{T}\n"
    )
    parsed = parse_gift(src)
    assert [q.category for q in parsed] == [
        None,
        "$course$/top/Geography",
        "$course$/top/Geography",
        "History/Rome",
    ]
    assert [q.question["tags"] for q in parsed] == [
        [],
        ["category:$course$/top/Geography"],
        ["category:$course$/top/Geography", "x"],
        ["category:History/Rome"],
    ]


def test_category_may_follow_a_comment_in_its_block():
    [q] = parse_gift("// Moodle export\n$CATEGORY: A/B\n\nQ?{T}")
    assert q.category == "A/B"


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("fmt", ["html", "markdown", "plain", "moodle"])
def test_text_format_prefix(fmt):
    q = one(f"::T::[{fmt}]Some *text*{{=a#[{fmt}]fb ~b####[{fmt}]general}}")
    assert q["format"] == fmt
    assert q["text"] == "Some *text*"
    assert q["options"][0] == {
        "id": "a",
        "text": "a",
        "fraction": 1.0,
        "feedback": "fb",
    }
    assert q["general_feedback"] == "general"


def test_default_format_is_moodle():
    assert one("Plain question{}")["format"] == "moodle"
    assert one("Plain description")["format"] == "moodle"


def test_format_prefix_of_description_and_answers():
    q = one("[html]<p>Read this</p>")
    assert (q["type"], q["format"], q["text"]) == (
        "description",
        "html",
        "<p>Read this</p>",
    )
    q = one("Q{=[plain]a ~[html]<b>b</b>}")
    assert [o["text"] for o in q["options"]] == ["a", "<b>b</b>"]
    assert q["format"] == "moodle"


def test_literal_brackets_that_are_not_a_format_name():
    assert one("[1] First item{}")["text"] == "[1] First item"
    assert one("[moodle][note] Read this{}")["text"] == "[note] Read this"


# ------------------------------------------------------------ question types


def test_single_choice_with_feedback_and_partial_credit():
    q = one(
        "What's between orange and green?{\n"
        "  =yellow#right; good!\n"
        "  ~%50%yellowish#nearly\n"
        "  ~%-25%red#wrong, it's yellow\n"
        "  ~blue\n"
        "}"
    )
    assert q["type"] == "single"
    assert q["options"] == [
        {"id": "a", "text": "yellow", "fraction": 1.0, "feedback": "right; good!"},
        {"id": "b", "text": "yellowish", "fraction": 0.5, "feedback": "nearly"},
        {"id": "c", "text": "red", "fraction": -0.25, "feedback": "wrong, it's yellow"},
        {"id": "d", "text": "blue", "fraction": 0.0, "feedback": ""},
    ]


def test_multiple_response_with_negative_and_decimal_weights():
    q = one(
        "Pick the primes{\n"
        "  ~%33.33333%2#prime\n"
        "  ~%33.33333%3\n"
        "  ~%33.33334%5\n"
        "  ~%-100%4#not prime\n"
        "  ~%0%1\n"
        "}"
    )
    assert q["type"] == "multiple"
    assert [o["fraction"] for o in q["options"]] == [
        0.3333333,
        0.3333333,
        0.3333334,
        -1.0,
        0.0,
    ]
    assert q["options"][0]["feedback"] == "prime"
    assert q["options"][3]["feedback"] == "not prime"


def test_many_options_get_spreadsheet_ids():
    answers = " ".join(f"~o{i}" for i in range(27))
    q = one(f"Q{{=right {answers}}}")
    ids = [o["id"] for o in q["options"]]
    assert ids[:3] == ["a", "b", "c"]
    assert ids[25:] == ["z", "aa", "ab"]


@pytest.mark.parametrize(
    ("answer", "correct"),
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)],
)
def test_true_false(answer, correct):
    q = one(f"The sun is a star.{{{answer}}}")
    assert q == {
        "type": "truefalse",
        "title": "",
        "text": "The sun is a star.",
        "format": "moodle",
        "general_feedback": "",
        "default_mark": 1.0,
        "tags": [],
        "correct": correct,
        "feedback_true": "",
        "feedback_false": "",
    }


@pytest.mark.parametrize(
    ("src", "correct", "feedback_true", "feedback_false"),
    [
        # Moodle: the first feedback is for the wrong answer, the second for the
        # right one (split_truefalse_comment / readquestion in format.php).
        ("{T#fb1#fb2}", True, "fb2", "fb1"),
        ("{TRUE#answered false}", True, "", "answered false"),
        ("{T##answered true}", True, "answered true", ""),
        ("{F#fb1#fb2}", False, "fb1", "fb2"),
        ("{FALSE # answered true }", False, "answered true", ""),
    ],
)
def test_true_false_feedback_follows_moodle(
    src, correct, feedback_true, feedback_false
):
    q = one("Statement." + src)
    assert (q["correct"], q["feedback_true"], q["feedback_false"]) == (
        correct,
        feedback_true,
        feedback_false,
    )


def test_short_answer_with_weights_and_feedback():
    q = one("Capital of Peru?{=Lima#Right =%50%lima city#Close enough =Lim*}")
    assert q["type"] == "shortanswer"
    assert q["case_sensitive"] is False
    assert q["answers"] == [
        {"text": "Lima", "fraction": 1.0, "feedback": "Right"},
        {"text": "lima city", "fraction": 0.5, "feedback": "Close enough"},
        {"text": "Lim*", "fraction": 1.0, "feedback": ""},
    ]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("#2:0.5", [{"value": 2.0, "tolerance": 0.5}]),
        ("#1..3", [{"min": 1.0, "max": 3.0}]),
        ("#-3..-1.5", [{"min": -3.0, "max": -1.5}]),
        ("#42", [{"value": 42.0, "tolerance": 0.0}]),
        ("#3.14159:0.0005", [{"value": 3.14159, "tolerance": 0.0005}]),
        ("#-1.5e2:1E1", [{"value": -150.0, "tolerance": 10.0}]),
        ("#=1822:5", [{"value": 1822.0, "tolerance": 5.0}]),
        (
            "#=%100%2:0 =%50%2:1",
            [
                {"value": 2.0, "tolerance": 0.0},
                {"value": 2.0, "tolerance": 1.0, "fraction": 0.5},
            ],
        ),
        (
            "#\n  =%100%1822:0#Exactly\n  =%50%1822:2#Close\n",
            [
                {"value": 1822.0, "tolerance": 0.0, "feedback": "Exactly"},
                {
                    "value": 1822.0,
                    "tolerance": 2.0,
                    "fraction": 0.5,
                    "feedback": "Close",
                },
            ],
        ),
        ("#2:0#Right!", [{"value": 2.0, "tolerance": 0.0, "feedback": "Right!"}]),
    ],
)
def test_numerical(answers, expected):
    q = one(f"How much?{{{answers}}}")
    assert q["type"] == "numerical"
    assert q["answers"] == [
        {"fraction": 1.0, "feedback": ""} | answer for answer in expected
    ]


def test_matching_with_distractor():
    q = one(
        "Match the countries with their capitals.{\n"
        "  =Canada -> Ottawa\n"
        "  =Italy->Rome\n"
        "  =[html]<i>Japan</i> -> Tokyo -> the city\n"
        "  = -> Paris\n"
        "}"
    )
    assert q["type"] == "matching"
    assert q["pairs"] == [
        {"id": "a", "prompt": "Canada", "answer": "Ottawa"},
        {"id": "b", "prompt": "Italy", "answer": "Rome"},
        {"id": "c", "prompt": "<i>Japan</i>", "answer": "Tokyo -> the city"},
    ]
    assert q["distractors"] == ["Paris"]


def test_matching_with_two_pairs_is_accepted():
    # Moodle's importer needs 2 entries (its edit form wants 2 questions and 3
    # answers); we accept 2 pairs.
    assert len(one("M{=a -> 1 =b -> 2}")["pairs"]) == 2


def test_essay_and_description():
    essay = one("::E::Write about your summer.{}")
    assert essay == {
        "type": "essay",
        "title": "E",
        "text": "Write about your summer.",
        "format": "moodle",
        "general_feedback": "",
        "default_mark": 1.0,
        "tags": [],
    }
    description = one("::D::Read the following text carefully.")
    assert description == {
        "type": "description",
        "title": "D",
        "text": "Read the following text carefully.",
        "format": "moodle",
        "general_feedback": "",
        "default_mark": 0.0,
        "tags": [],
    }


@pytest.mark.parametrize(
    ("answers", "qtype"),
    [
        ("", "essay"),
        ("=a ~b", "single"),
        ("~%50%a ~%50%b", "multiple"),
        ("T", "truefalse"),
        ("=a", "shortanswer"),
        ("#1", "numerical"),
        ("=a -> 1 =b -> 2", "matching"),
    ],
)
def test_general_feedback_for_every_type(answers, qtype):
    q = one(f"Q?{{{answers} ####[html]See <b>page 4</b>.}}")
    assert q["type"] == qtype
    assert q["general_feedback"] == "See <b>page 4</b>."


@pytest.mark.parametrize(
    ("src", "text", "qtype"),
    [
        ("Grant is {~buried =entombed ~living} in Grant's tomb.", None, "single"),
        ("{=Paris ~Lyon} is the capital.", f"{BLANK} is the capital.", "single"),
        ("The sun {T} a star.", f"The sun {BLANK} a star.", "truefalse"),
        (
            "Two plus two is {#4} exactly.",
            f"Two plus two is {BLANK} exactly.",
            "numerical",
        ),
        ("Tight{=x}spaces", f"Tight{BLANK}spaces", "shortanswer"),
        ("Write{}here", f"Write{BLANK}here", "essay"),
    ],
)
def test_missing_word(src, text, qtype):
    q = one(src)
    assert q["type"] == qtype
    assert q["text"] == (text or f"Grant is {BLANK} in Grant's tomb.")


def test_answers_at_the_end_insert_no_blank():
    assert one("Question?{=a ~b}")["text"] == "Question?"
    assert one("Question?\n{=a ~b}\n// trailing comment")["text"] == "Question?"


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("src", "line", "fragment"),
    [
        ("Q?\n{=a\n~b\n\nNext{T}", 2, "'{' is never closed (expected '}'"),
        ("Q?\n=a ~b}", 2, "'}' without a matching '{' (expected '{'"),
        ("Q?{\n~a\n~b\n}", 2, "multiple choice with no correct answer (expected '='"),
        ("Q?{=a ~}", 1, "needs at least 2 choices (expected another"),
        ("Q?{=a#fb ~#fb}", 1, "needs at least 2 choices (expected another"),
        ("Q?{~only}", 1, "needs at least 2 choices (expected another"),
        ("Q?{~%50%a ~%40%b}", 1, "the positive weights add up to 90% (expected 100%)"),
        ("Q?{#abc}", 1, "bad number 'abc' (expected a number such as 3"),
        ("Q?{#1..x}", 1, "bad maximum 'x' (expected a number"),
        ("Q?{#2:abc}", 1, "bad tolerance 'abc' (expected a number"),
        ("Q?{#2:}", 1, "bad tolerance nothing (expected a number"),
        ("Q?{#3..1}", 1, "range 3..1 is reversed (expected min..max"),
        ("Q?{#2:-1}", 1, "negative tolerance -1 (expected 0 or more)"),
        ("Q?{#}", 1, "no numerical answer (expected a number"),
        ("Q?{#=}", 1, "missing number (expected a number"),
        ("Q?{#inf}", 1, "bad number 'inf'"),
        ("Q?{#=%50%2}", 1, "no answer is worth 100% (expected at least one"),
        ("Q?{~%abc%a =b}", 1, "bad weight '%abc%' (expected a percentage from -100"),
        ("Q?{~%50 a =b}", 1, "unclosed weight '%50 a' (expected a percentage"),
        ("Q?{~%150%a =b}", 1, "weight %150% is out of range (expected a percentage"),
        ("Q?{~%-101%a =b}", 1, "weight %-101% is out of range"),
        ("Q?{=%50%a}", 1, "no answer is worth 100% (expected at least one answer"),
        (
            "Q?{=a -> 1\n=b 2\n=c -> 3}",
            2,
            "matching pair without '->': 'b 2' (expected '=question -> answer')",
        ),
        ("Q?{=a -> 1 =b ->}", 1, "empty answer after '->' (expected"),
        ("Q?{=a -> 1 = -> 3}", 1, "a matching question needs at least 2 pairs"),
        (
            "Q?{junk =a -> 1 =b -> 2}",
            1,
            "text before the first answer: 'junk' "
            "(expected each pair to start with '=')",
        ),
        ("$CATEGORY:\n\nQ?{T}", 1, "empty category (expected '$CATEGORY: path')"),
        (
            "$CATEGORY: A\nQ?{T}",
            2,
            "text after the $CATEGORY line (expected a blank line",
        ),
        (
            "$Category: A\n\nQ?{T}",
            1,
            "malformed category line (expected '$CATEGORY: path')",
        ),
        ("Q?\ufdd0{T}", 1, "unsupported character U+FDD0"),
    ],
)
def test_errors_report_line_and_expectation(src, line, fragment):
    found_line, message = only_problem("// leading comment\n\n" + src)
    assert found_line == line + 2
    assert fragment in message
    assert "expected" in message or "unsupported" in message


# Moodle imports these; we import them as Moodle reads them, with a warning
# naming the line (they used to be errors).
@pytest.mark.parametrize(
    ("src", "line", "fragment"),
    [
        ("Q?{=a ~b}}", 1, "later braces are read as question text"),
        ("Q?{=a ~b}\nand {=c ~d}", 2, "only the first {...} holds the answers"),
        ("Q?{=a\n{~b}", 2, "'{' inside the answers is read as text"),
        ("[foo]Q?{=a ~b}", 1, "'[foo]' is not a text format, kept as text"),
        ("Q?{=a ~[HTML]b}", 1, "'[HTML]' is not a text format"),
        ("Q?{=a#[bogus]fb ~b}", 1, "'[bogus]' is not a text format"),
        ("Q?{=%50%a ~b}", 1, "a weight after '=' is read as answer text"),
        ("Q?{=%100%a ~b}", 1, "a weight after '=' is read as answer text"),
        ("::Title never closed\nQ?{T}", 1, "the title is not closed, read as"),
        ("Q?{junk ~a =b}", 1, "text before the first choice: 'junk' is read as"),
        ("Q?{true}", 1, "'true' is read as a short answer"),
        ("Q?{\n=\n=b\n}", 2, "empty answer after '=' left out, as Moodle does"),
        ("Q?{=a ~b ~#fb}", 1, "empty answer after '~' left out"),
        ("Q?{=a =%-50%b}", 1, "weight %-50% on a typed answer scores 0"),
        ("Q?{=a -> 1 =b -> 2#good}", 1, "'#' in a matching question is text"),
        ("Q?{=a -> 1 =b -> 2 = -> 1}", 1, "distractor '1' is also the answer"),
    ],
)
def test_what_moodle_accepts_is_imported_with_a_warning(src, line, fragment):
    parsed = parse_gift("// leading comment\n\n" + src)
    found = [problem for item in parsed for problem in item.warnings]
    assert len(found) == 1, found
    assert found[0].line == line + 2
    assert fragment in found[0].message
    assert "expected" in found[0].message


def test_three_errors_are_all_reported_and_nothing_is_returned():
    src = (
        "$CATEGORY: Quiz\n\n"
        "Good question?{=yes ~no}\n\n"
        "Unclosed?{=a ~b\n\n"
        "Another good one{T}\n\n"
        "// comment\n"
        "Numbers {#abc}\n\n"
        "Weights {\n"
        "  ~%50%a\n"
        "  ~%abc%b\n"
        "}\n"
    )
    with pytest.raises(GiftError) as info:
        parse_gift(src)
    error = info.value
    assert [problem.line for problem in error.errors] == [5, 10, 14]
    assert all(isinstance(problem, GiftProblem) for problem in error.errors)
    assert str(error).splitlines() == [
        "line 5: '{' is never closed (expected '}' after the answers, or '\\{' for "
        "a literal brace)",
        "line 10: bad number 'abc' (expected a number such as 3, -1.5 or 2e-3)",
        "line 14: bad weight '%abc%' (expected a percentage from -100 to 100 such "
        "as %50% or %-33.33333%)",
    ]
    assert isinstance(error, ValueError)


def test_several_errors_in_one_question_are_all_reported():
    found = problems("Q?{\n~%abc%a\n~%200%b\n~%-200%c\n}")
    assert [line for line, _ in found] == [2, 3, 4]


# ----------------------------------------------------------------- writing


def test_writer_output_looks_like_moodle():
    questions = [
        {
            "type": "single",
            "title": "Q1",
            "text": "Pick one",
            "format": "moodle",
            "general_feedback": "Because.",
            "options": [
                {"id": "x", "text": "right", "fraction": 1.0, "feedback": "yes"},
                {"id": "y", "text": "half", "fraction": 0.5, "feedback": ""},
                {"id": "z", "text": "wrong", "fraction": 0.0, "feedback": ""},
            ],
        },
        {
            "type": "truefalse",
            "title": "",
            "text": "Sky is green",
            "format": "moodle",
            "correct": False,
            "feedback_true": "No, it is blue.",
            "feedback_false": "Right.",
        },
    ]
    assert write_gift(questions) == (
        "::Q1::Pick one{\n"
        "\t=right#yes\n"
        "\t~%50%half\n"
        "\t~wrong\n"
        "\t####Because.\n"
        "}\n"
        "\n"
        "Sky is green{FALSE#No, it is blue.#Right.}\n"
    )


def test_writer_escapes_special_characters():
    text = "Set {a=b} ~ #1: C:\\dir\nnext"
    question = {
        "type": "shortanswer",
        "title": "T::1",
        "text": text,
        "format": "moodle",
        "answers": [{"text": "x=1 {y} ~z #w", "fraction": 1.0, "feedback": "a:b\\"}],
    }
    written = write_gift([question])
    assert written.startswith(
        "::T\\:\\:1::Set \\{a\\=b\\} \\~ \\#1\\: C\\:\\\\dir\\nnext{"
    )
    assert "\t=x\\=1 \\{y\\} \\~z \\#w#a\\:b\\\\\n" in written
    back = one(written)
    assert back["title"] == "T::1"
    assert back["text"] == text
    assert back["answers"][0]["text"] == "x=1 {y} ~z #w"
    assert back["answers"][0]["feedback"] == "a:b\\"


def test_writer_regenerates_ids_and_defaults_to_markdown():
    question = {
        "type": "multiple",
        "text": "**Pick**",
        "options": [
            {"id": "p1", "text": "a", "fraction": 0.5},
            {"id": "p2", "text": "b", "fraction": 0.5},
            {"id": "p3", "text": "c", "fraction": -1},
        ],
    }
    written = write_gift([question])
    assert written.startswith("[markdown]**Pick**{\n\t~%50%a")
    back = one(written)
    assert back["format"] == "markdown"
    assert [o["id"] for o in back["options"]] == ["a", "b", "c"]
    assert [o["fraction"] for o in back["options"]] == [0.5, 0.5, -1.0]


def test_writer_categories_and_tags():
    questions = [
        {"type": "truefalse", "text": "A", "format": "moodle", "correct": True},
        {
            "type": "truefalse",
            "text": "B",
            "format": "moodle",
            "correct": True,
            "tags": ["easy", "category:Top/Sub", "x]y"],
        },
        {
            "type": "truefalse",
            "text": "C",
            "format": "moodle",
            "correct": True,
            "tags": ["category:Top/Sub"],
        },
    ]
    written = write_gift(questions, category="Default")
    assert written == (
        "$CATEGORY: Default\n\nA{TRUE}\n\n"
        "$CATEGORY: Top/Sub\n\n// [tag:easy] [tag:x\\]y]\nB{TRUE}\n\n"
        "C{TRUE}\n"
    )
    parsed = parse_gift(written)
    assert [q.category for q in parsed] == ["Default", "Top/Sub", "Top/Sub"]
    assert parsed[1].question["tags"] == ["category:Top/Sub", "easy", "x]y"]
    assert write_gift([]) == ""


def test_writer_puts_missing_word_answers_in_place():
    question = {
        "type": "single",
        "text": f"Grant is {BLANK} in Grant's tomb.",
        "format": "moodle",
        "options": [
            {"id": "a", "text": "entombed", "fraction": 1.0},
            {"id": "b", "text": "buried", "fraction": 0.0},
        ],
    }
    written = write_gift([question])
    assert written.startswith("Grant is {\n")
    assert written.endswith("} in Grant's tomb.\n")
    assert one(written)["text"] == question["text"]
    # A blank at the very end cannot be written in place; it stays in the text.
    question["text"] = f"The answer is {BLANK}"
    assert one(write_gift([question]))["text"] == question["text"]


@pytest.mark.parametrize(
    "text",
    [
        "%50% off",
        "[html] is a tag",
        "[1] item",
        "// looks like a comment",
        "$CATEGORY: not one",
        "::not a title::",
        "####",
        "a -> b",
        "ends with backslash\\",
    ],
)
def test_writer_protects_texts_that_would_be_misread(text):
    question = {
        "type": "single",
        "title": "",
        "text": text,
        "format": "moodle",
        "general_feedback": text,
        "options": [
            {"id": "a", "text": text, "fraction": 1.0, "feedback": text},
            {"id": "b", "text": "other " + text, "fraction": 0.0, "feedback": ""},
        ],
    }
    back = one(write_gift([question]))
    assert back["text"] == text
    assert back["general_feedback"] == text
    assert back["options"][0]["text"] == text
    assert back["options"][0]["feedback"] == text


@pytest.mark.parametrize(
    "question",
    [
        {"type": "ordering", "text": "Order", "items": []},
        {"type": "bogus", "text": "?"},
        {"type": "essay", "text": "x", "format": "rtf"},
        {
            "type": "shortanswer",
            "text": "x",
            "answers": [{"text": "a -> b", "fraction": 1.0}],
        },
        {
            "type": "matching",
            "text": "x",
            "pairs": [{"id": "a", "prompt": "p -> q", "answer": "1"}],
        },
        {
            "type": "single",
            "text": "x",
            "options": [{"id": "a", "text": "a", "fraction": 0.5}] * 2,
        },
        {
            "type": "numerical",
            "text": "x",
            "answers": [{"value": float("nan"), "fraction": 1.0}],
        },
        {"type": "essay", "text": "x", "tags": ["bad<tag>"]},
        {"type": "essay", "text": "x", "tags": ["category:a\nb"]},
    ],
)
def test_writer_rejects_what_gift_cannot_hold(question):
    with pytest.raises(ValueError):
        write_gift([question])


@pytest.mark.parametrize(
    ("fraction", "weight"),
    [
        (0.3333333, "%33.33333%"),
        (1 / 3, "%33.33333333333333%"),
        (0.1, "%10%"),
        (-0.125, "%-12.5%"),
        (1e-07, "%0.00001%"),
        (-1.0, "%-100%"),
        (0.05, "%5%"),
    ],
)
def test_writer_weights_round_trip_exactly(fraction, weight):
    question = {
        "type": "single",
        "text": "w",
        "format": "moodle",
        "options": [
            {"id": "a", "text": "right", "fraction": 1.0},
            {"id": "b", "text": "partial", "fraction": fraction},
        ],
    }
    written = write_gift([question])
    assert f"\t~{weight}partial\n" in written
    assert one(written)["options"][1]["fraction"] == fraction


# --------------------------------------------------------------- round trips

CONSTRUCTS = {
    "single": "::Q1:: Who's buried?{~Grant ~Jefferson =no one#Yes!}",
    "single_partial": "Q{=a#good ~%50%b#half ~%-33.33333%c#bad ~d}",
    "multiple": "Q{~%50%a ~%50%b ~%-100%c#no}",
    "multiple_decimal": "Q{~%33.33333%a ~%33.33333%b ~%33.33334%c ~d}",
    "truefalse": "Q{T}",
    "truefalse_false": "Q{FALSE}",
    "truefalse_feedback": "Q{T#wrong one#right one}",
    "truefalse_right_only": "Q{F##well done}",
    "shortanswer": "Q{=Lima#yes =%50%lima city#close =%0%Cusco#no}",
    "numerical": "Q{#2:0.5#ok}",
    "numerical_range": "Q{#-1.5..3e2}",
    "numerical_multi": "Q{#=%100%2:0 =%50%2:1#close =%25%0.001..0.002}",
    "matching": "Q{=a -> 1 =b -> 2 =c -> 3 -> 4 = -> 5}",
    "essay": "Q{}",
    "essay_feedback": "Q{####[html]<b>Model answer</b>}",
    "description": "::Intro::[markdown]Read *this*.",
    "missing_word": "Grant is {~buried =entombed ~living} in Grant's tomb.",
    "missing_word_start": "{=Paris ~Rome} is the capital of France.",
    "general_feedback": "Q{=a ~b####Some general feedback}",
    "escapes": "::\\:\\:T\\:\\:::a \\~ \\= \\# \\{ \\} \\: \\\\ \\n z{=x\\=1\\#2 ~y}",
    "html": "[html]<p>Q &amp; A</p>{=[html]<i>a</i>#[html]<b>f</b> ~b}",
    "plain": "[plain]Q{T}",
    "multi_line": "Line 1\nLine 2\n{\n=a\n~b\n}",
    "comment_inside": "A\n// c\nB{T}",
    "tags": "// [tag:alpha] [tag:be\\]ta]\nQ{T}",
    "category": "$CATEGORY: A/B\n\nQ{T}\n\n$CATEGORY: C\n\nR{F}",
    "literal_brackets": "[moodle][x] text{=[moodle][y]a ~b}",
}


@pytest.mark.parametrize("src", CONSTRUCTS.values(), ids=CONSTRUCTS.keys())
def test_round_trip_every_construct(src):
    round_trip(src)


SAMPLE = r"""
// A larger sample file, in the style of Moodle's examples.txt.
$CATEGORY: $course$/top/Sample quiz

// question: 1  name: Grant's tomb
::Grant's tomb::Who's buried in Grant's tomb?{
    ~Grant#No, he is entombed.
    ~Jefferson#Wrong president.
    =no one#Right: people are entombed, not buried.
    ####Grant and his wife are in sarcophagi.
}

::Missing word::Grant is {~buried =entombed ~living} in Grant's tomb.

::True/false::[html]Grant was <b>buried</b> in Grant's tomb.{FALSE#No#Yes}

::Short answer::Who's buried in Grant's tomb?{=no one =nobody =%50%nobody at all}

$CATEGORY: $course$/top/Sample quiz/Numbers

::Numerical::When was Ulysses S. Grant born?{#1822:5}

::Range::What is a value of pi (3 decimals)?{#3.141..3.142}

::Weighted::When was Ulysses S. Grant born?{#
    =1822:0#Exactly!
    =%50%1822:2#Close.
}

$CATEGORY: $course$/top/Sample quiz/Other

::Matching::Match the following countries with their capitals.{
    =Canada -> Ottawa
    =Italy -> Rome
    =Japan -> Tokyo
    =India -> New Delhi
    = -> Canberra
}

::Multiple response::What two people are entombed in Grant's tomb?{
    ~%-100%No one
    ~%50%Grant
    ~%50%Grant's wife
    ~%-100%Grant's father
}

// [tag:essay] [tag:writing]
::Essay::Write a short biography of Dag Hammarskjöld.{
####[html]<p>Expected: 200 words.</p>}

::Description::[markdown]**Section 2**: the rest is about maths\: 1 + 1 \= 2.

::Escapes::What is 2 \= 1 + 1 \{really\} \~ \# \\ \: ?{=yes \= sure ~no}

::Multi line::This question
has three lines\nand an escaped one.
{
    =first
    ~second // not a comment
}
"""


def test_sample_file_parses_and_round_trips():
    parsed = parse_gift(SAMPLE)
    assert [q.question["title"] for q in parsed] == [
        "Grant's tomb",
        "Missing word",
        "True/false",
        "Short answer",
        "Numerical",
        "Range",
        "Weighted",
        "Matching",
        "Multiple response",
        "Essay",
        "Description",
        "Escapes",
        "Multi line",
    ]
    assert [q.question["type"] for q in parsed] == [
        "single",
        "single",
        "truefalse",
        "shortanswer",
        "numerical",
        "numerical",
        "numerical",
        "matching",
        "multiple",
        "essay",
        "description",
        "single",
        "single",
    ]
    assert parsed[4].category == "$course$/top/Sample quiz/Numbers"
    assert parsed[9].question["tags"] == [
        "category:$course$/top/Sample quiz/Other",
        "essay",
        "writing",
    ]
    assert parsed[10].question["text"] == (
        "**Section 2**: the rest is about maths: 1 + 1 = 2."
    )
    assert parsed[12].question["text"] == (
        "This question\nhas three lines\nand an escaped one."
    )
    assert parsed[12].question["options"][1]["text"] == "second // not a comment"
    assert [q.line for q in parsed][:3] == [6, 13, 15]
    written = round_trip(SAMPLE)
    assert written.count("$CATEGORY:") == 3
    # Writing is deterministic and stable.
    assert write_gift([q.question for q in parse_gift(written)]) == written


# -------------------------------------------------------- seeded random checks

_PIECES = ["a", "b c", "{", "}", "=", "~", "#", ":", "\\", "\n", "%", "->", "[x]"]
_PIECES += ["[html]", "//", BLANK, "$CATEGORY:", "::", "####", "T", "%50%", "\\n"]


def _random_text(rnd, *, arrow=True, empty=False):
    while True:
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 6))).strip()
        if (text or empty) and (arrow or "->" not in text):
            return text


def _random_question(rnd):
    def text(**kwargs):
        return _random_text(rnd, **kwargs)

    qtype = rnd.choice(sorted(CONSTRUCT_TYPES))
    title = text(empty=True)
    question = {
        "type": qtype,
        "title": title,
        # A question with a title and no text reads back with its title as text.
        "text": text(empty=not title),
        "format": rnd.choice(["moodle", "html", "markdown", "plain"]),
        "general_feedback": "" if qtype == "description" else text(empty=True),
        "default_mark": 0.0 if qtype == "description" else 1.0,
        "tags": [],
    }
    if qtype in ("single", "multiple"):
        first = 1.0 if qtype == "single" else 0.5
        question["options"] = [
            {"id": "a", "text": text(), "fraction": first, "feedback": text()},
            {"id": "b", "text": text(), "fraction": 0.5, "feedback": ""},
            {"id": "c", "text": text(), "fraction": -1.0, "feedback": text()},
        ]
    elif qtype == "truefalse":
        question["correct"] = rnd.random() < 0.5
        question["feedback_true"] = text(empty=True)
        question["feedback_false"] = text(empty=True)
    elif qtype == "shortanswer":
        question["answers"] = [
            {"text": text(arrow=False), "fraction": 1.0, "feedback": text(arrow=False)},
            {"text": text(arrow=False), "fraction": 0.25, "feedback": ""},
        ]
        question["case_sensitive"] = False
    elif qtype == "numerical":
        question["answers"] = [
            {
                "value": rnd.uniform(-1e6, 1e6),
                "tolerance": abs(rnd.gauss(0, 3)),
                "fraction": 1.0,
                "feedback": text(empty=True),
            },
            {"min": -1.5, "max": 2e-9, "fraction": 0.5, "feedback": ""},
        ]
    elif qtype == "matching":
        question["pairs"] = [
            {"id": "a", "prompt": text(arrow=False), "answer": "x" + text()},
            {"id": "b", "prompt": text(arrow=False), "answer": "y" + text()},
        ]
        question["distractors"] = ["z" + text()]
    return question


CONSTRUCT_TYPES = {
    "single",
    "multiple",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
}


def test_random_questions_round_trip_through_the_writer():
    rnd = random.Random(20240601)
    questions = [_random_question(rnd) for _ in range(500)]
    assert [q.question for q in parse_gift(write_gift(questions))] == questions


def test_random_garbage_only_ever_raises_gift_error():
    rnd = random.Random(7)
    for _ in range(3000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 25)))
        try:
            parse_gift(text)
        except GiftError as error:
            assert error.errors
            assert all(problem.line >= 1 for problem in error.errors)
