"""The Aiken parser (quizzes.aiken): Moodle's rules (question/format/aiken), each
construct in a small file of our own, all or nothing with every error's line."""

import pytest

from lessons.problems import MAX_REPORTED
from quizzes.aiken import AikenError, parse_aiken, read_aiken
from quizzes.gift import GiftError

CANONICAL = """\
Which river flows through Lima?
A) Rimac
B) Amazon
C) Orinoco
ANSWER: A

How many sides has a pentagon?
A. four
B. five
ANSWER: B
"""


def _choices(question):
    return [(o["text"], o["fraction"]) for o in question["options"]]


def test_a_canonical_file_gives_single_choice_questions():
    first, second = parse_aiken(CANONICAL)

    assert first == {
        "type": "single",
        "title": "",
        "text": "Which river flows through Lima?",
        "format": "plain",
        "general_feedback": "",
        "default_mark": 1.0,
        "tags": [],
        "options": [
            {"id": "a", "text": "Rimac", "fraction": 1.0, "feedback": ""},
            {"id": "b", "text": "Amazon", "fraction": 0.0, "feedback": ""},
            {"id": "c", "text": "Orinoco", "fraction": 0.0, "feedback": ""},
        ],
    }
    assert _choices(second) == [("four", 0.0), ("five", 1.0)]


# Files Moodle accepts: (file, [(stem, choices, index of the right one)])
ACCEPTED = {
    "labels with ')' and '.'": (
        "Q1?\nA) x\nB) y\nANSWER: B\nQ2?\nA. x\nB. y\nANSWER: A\n",
        [("Q1?", ["x", "y"], 1), ("Q2?", ["x", "y"], 0)],
    ),
    "no blank line needed between questions": (
        "One?\nA) a\nB) b\nANSWER: A\nTwo?\nA) c\nB) d\nANSWER: B",
        [("One?", ["a", "b"], 0), ("Two?", ["c", "d"], 1)],
    ),
    "blank lines anywhere are ignored": (
        "\n\nOne?\n\nA) a\n\nB) b\n\nANSWER: A\n\n\n",
        [("One?", ["a", "b"], 0)],
    ),
    "trailing and leading spaces are trimmed": (
        "  Spaces?  \n  A)   left  \nB)\tright\t\n  ANSWER:   B  \n",
        [("Spaces?", ["left", "right"], 1)],
    ),
    "no space after the label": (
        "Tight?\nA)one\nB.two\nANSWER:A\n",
        [("Tight?", ["one", "two"], 0)],
    ),
    "windows line ends": (
        "Crlf?\r\nA) a\r\nB) b\r\nANSWER: B\r\n",
        [("Crlf?", ["a", "b"], 1)],
    ),
    "old mac line ends": (
        "Cr?\rA) a\rB) b\rANSWER: A\r",
        [("Cr?", ["a", "b"], 0)],
    ),
    "byte order mark": (
        "\ufeffBom?\nA) a\nB) b\nANSWER: A\n",
        [("Bom?", ["a", "b"], 0)],
    ),
    "twenty-six choices": (
        "Letters?\n"
        + "".join(f"{chr(65 + i)}) choice {i}\n" for i in range(26))
        + "ANSWER: Z\n",
        [("Letters?", [f"choice {i}" for i in range(26)], 25)],
    ),
    "unicode stem and choices": (
        "¿Capital de España?\nA) Madrid\nB) Sevilla\nANSWER: A\n",
        [("¿Capital de España?", ["Madrid", "Sevilla"], 0)],
    ),
    "a one-character line is skipped": (
        "Short?\nA) a\n-\nB) b\nANSWER: A\n",
        [("Short?", ["a", "b"], 0)],
    ),
    "text after the answer letter (first letter counts)": (
        "Two right?\nA) a\nB) b\nC) c\nANSWER: B, C\n",
        [("Two right?", ["a", "b", "c"], 1)],
    ),
    "a trailing line after the last ANSWER": (
        "Last?\nA) a\nB) b\nANSWER: A\nFEEDBACK: because.\n",
        [("Last?", ["a", "b"], 0)],
    ),
    "a stem that is markup stays as written": (
        "Is <b> bold *here*?\nA) <i>yes</i>\nB) no & never\nANSWER: B\n",
        [("Is <b> bold *here*?", ["<i>yes</i>", "no & never"], 1)],
    ),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_files_moodle_accepts_are_read_as_moodle_reads_them(name):
    text, expected = ACCEPTED[name]

    questions = parse_aiken(text)

    assert [
        (q["text"], [o["text"] for o in q["options"]], _right(q)) for q in questions
    ] == expected
    assert all(q["type"] == "single" for q in questions)


def _right(question):
    (index,) = [i for i, o in enumerate(question["options"]) if o["fraction"] == 1.0]
    return index


# Files Moodle refuses: (file, [(line, words the message must contain)])
REFUSED = {
    "multi-line stem": (
        "First line of the stem\nsecond line?\nA) a\nB) b\nANSWER: A\n",
        [(2, ["line 1", "ANSWER"])],
    ),
    "missing ANSWER line before the next question": (
        "One?\nA) a\nB) b\n\nTwo?\nA) a\nB) b\nANSWER: A\n",
        [(5, ["line 1", "ANSWER"])],
    ),
    "lower-case Answer: is not an answer line": (
        "One?\nA) a\nB) b\nAnswer: A\n\nTwo?\nA) a\nB) b\nANSWER: A\n",
        [(4, ["'ANSWER:'", "capitals"]), (6, ["line 4", "ANSWER"])],
    ),
    "lower-case labels are not choices": (
        "One?\na) a\nb) b\nANSWER: A\n",
        [(2, ["capital"]), (3, ["capital"]), (4, ["choices"])],
    ),
    "answer letter not among the choices": (
        "One?\nA) a\nB) b\nANSWER: C\n",
        [(4, ["C", "A to B"])],
    ),
    "lower-case answer letter": (
        "One?\nA) a\nB) b\nANSWER: b\n",
        [(4, ["capital"])],
    ),
    "empty answer": (
        "One?\nA) a\nB) b\nANSWER:\n",
        [(4, ["letter"])],
    ),
    "fewer than two choices": (
        "One?\nA) only\nANSWER: A\n",
        [(3, ["2 choices"])],
    ),
    "a choice before any question": (
        "A) stray\nB) stray\nANSWER: A\n",
        [(1, ["outside"]), (2, ["outside"]), (3, ["outside"])],
    ),
    "a choice after the ANSWER line": (
        "One?\nA) a\nB) b\nANSWER: A\nC) late\n",
        [(5, ["ANSWER line", "line 4"])],
    ),
    "no ANSWER line at the end and no other question": (
        "One?\nA) a\nB) b\n",
        [(1, ["ANSWER"])],
    ),
    "empty file": ("\n\n", [(1, ["no question"])]),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_files_moodle_refuses_are_refused_whole_with_every_line(name):
    text, expected = REFUSED[name]

    with pytest.raises(AikenError) as caught:
        parse_aiken(text)

    errors = caught.value.errors
    assert [problem.line for problem in errors] == [line for line, _ in expected]
    for problem, (_, words) in zip(errors, expected, strict=True):
        for word in words:
            assert word in problem.message, (word, problem.message)


def test_an_aiken_error_is_a_gift_error_so_bank_pages_show_it_alike():
    with pytest.raises(GiftError):
        parse_aiken("One?\nA) a\nANSWER: A\n")


def test_an_unfinished_question_at_the_end_is_left_out_with_a_warning():
    bank = read_aiken("One?\nA) a\nB) b\nANSWER: A\nFEEDBACK: Paris.\n")

    assert len(bank.questions) == 1
    (warning,) = bank.warnings
    assert warning.line == 5 and "FEEDBACK: Paris." in warning.message


def test_extra_text_after_the_answer_letter_is_a_warning():
    bank = read_aiken("Two?\nA) a\nB) b\nC) c\nANSWER: B, C\n")

    (warning,) = bank.warnings
    assert warning.line == 5 and "B" in warning.message


def test_an_empty_choice_is_left_out_with_a_warning_as_moodle_skips_it():
    bank = read_aiken("Empty?\nA)\nB) b\nC) c\nANSWER: C\n")

    (question,) = bank.questions
    assert _choices(question.question) == [("b", 0.0), ("c", 1.0)]
    assert [w.line for w in bank.warnings] == [2]


def test_the_right_answer_on_an_empty_choice_is_an_error():
    with pytest.raises(AikenError) as caught:
        parse_aiken("Empty?\nA)\nB) b\nC) c\nANSWER: A\n")
    assert [p.line for p in caught.value.errors] == [5]


def test_each_question_knows_its_line():
    bank = read_aiken("\n" + CANONICAL)

    assert [q.line for q in bank.questions] == [2, 8]
    assert all(q.category is None for q in bank.questions)


def test_errors_are_capped_with_a_count():
    text = "Stem without answer\n" * (MAX_REPORTED + 51)

    with pytest.raises(AikenError) as caught:
        parse_aiken(text)

    assert len(caught.value.errors) == MAX_REPORTED
    assert caught.value.more == 50
    assert "50 more problems" in str(caught.value)
