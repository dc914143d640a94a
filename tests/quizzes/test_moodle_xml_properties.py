"""Property test: every question we have survives Moodle XML write -> parse.

Hypothesis generates question dicts (``docs/question-format.md``) of every type,
with texts full of XML's special characters and Moodle's question options
(idnumber, penalty, hints, combined feedback, shuffling, answer numbering), and
checks that
``parse_moodle_xml(write_moodle_xml([q]))`` gives the question back. The
category travels as a category question, so it is compared as one."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import moodle_options as options
from quizzes.banks import normalise_category
from quizzes.gift import FORMATS
from quizzes.moodle_xml import parse_moodle_xml, write_moodle_xml

ALPHABET = string.ascii_letters + string.digits + " \n\t<>&\"']]>[]/@%*é→"


# Texts that look like markup must come back as written, not as their text.
TRICKY = ["<p>x</p>", "a &amp; b", "x ]]> y", "<b>", "&lt;", "1 < 2 > 0"]


def texts(min_size: int = 0) -> st.SearchStrategy[str]:
    return (
        (st.text(ALPHABET, max_size=24) | st.sampled_from(TRICKY))
        .map(str.strip)
        .filter(lambda text: len(text) >= min_size)
    )


NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(float),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, -1.5, 3.14159, 2e-3, 1e20]),
)
FRACTIONS = st.sampled_from([1.0, 0.5, 0.25, 0.1, 0.0, 0.3333333, -0.5, -1.0])
TAGS = st.lists(
    texts(1).filter(lambda tag: not tag.startswith("category:")), max_size=3
)
CATEGORIES = st.none() | st.text(
    string.ascii_letters + string.digits + " -", min_size=1, max_size=20
).map(str.strip).filter(bool)


@st.composite
def choice(draw, kind: str) -> dict:
    options = [
        {"id": "x", "text": draw(texts(1)), "fraction": f, "feedback": draw(texts())}
        for f in draw(st.lists(FRACTIONS, min_size=1, max_size=5))
    ]
    return {"type": kind, "options": options}


@st.composite
def specific(draw) -> dict:
    kind = draw(
        st.sampled_from(
            [
                "single",
                "multiple",
                "truefalse",
                "shortanswer",
                "numerical",
                "matching",
                "ordering",
                "essay",
                "description",
            ]
        )
    )
    if kind in ("single", "multiple"):
        return draw(choice(kind))
    if kind == "truefalse":
        return {
            "type": kind,
            "correct": draw(st.booleans()),
            "feedback_true": draw(texts()),
            "feedback_false": draw(texts()),
        }
    if kind == "shortanswer":
        return {
            "type": kind,
            "case_sensitive": draw(st.booleans()),
            "answers": [
                {"text": draw(texts(1)), "fraction": f, "feedback": draw(texts())}
                for f in draw(st.lists(FRACTIONS, min_size=1, max_size=4))
            ],
        }
    if kind == "numerical":
        return {
            "type": kind,
            "answers": [
                {
                    "value": draw(NUMBERS),
                    "tolerance": abs(draw(NUMBERS)),
                    "fraction": f,
                    "feedback": draw(texts()),
                }
                for f in draw(st.lists(FRACTIONS, min_size=1, max_size=4))
            ],
        }
    if kind == "matching":
        return {
            "type": kind,
            "pairs": [
                {"id": "x", "prompt": draw(texts(1)), "answer": draw(texts())}
                for _ in range(draw(st.integers(1, 4)))
            ],
            "distractors": draw(st.lists(texts(1), max_size=2)),
        }
    if kind == "ordering":
        items = draw(st.lists(texts(1), min_size=1, max_size=5))
        return {"type": kind, "items": [{"id": "x", "text": t} for t in items]}
    if kind == "essay":
        essay = {"type": kind, "response_template": draw(texts())}
        grader_info = draw(texts())
        if grader_info:  # an empty <graderinfo> is none
            essay["grader_info"] = grader_info
        return essay
    return {"type": kind}


@st.composite
def moodle_options(draw, kind: str) -> dict:
    """Moodle's question options as a dict carries them: only those that
    differ from their defaults and that the type takes."""
    values = {
        "type": kind,
        "idnumber": draw(st.just("") | texts()),
        "penalty": draw(st.sampled_from([0.3333333, 0.0, 0.1, 0.5, 1.0])),
        "hints": [
            options.hint(draw(texts()), draw(st.booleans()), draw(st.booleans()))
            for _ in range(draw(st.integers(0, 2)))
        ],
        "show_num_correct": draw(st.booleans()),
        "shuffle_answers": draw(st.booleans()),
        "answer_numbering": draw(st.sampled_from(options.NUMBERINGS)),
    }
    for name in options.COMBINED_FEEDBACK:
        values[name] = draw(texts())
    return options.compact(options.stored(values), kind)


@st.composite
def questions(draw) -> dict:
    details = draw(specific())
    details.update(draw(moodle_options(details["type"])))
    category = draw(CATEGORIES)
    return {
        "title": draw(texts()),
        "text": draw(texts()),
        "format": draw(st.sampled_from(FORMATS)),
        "general_feedback": draw(texts()),
        "default_mark": 0.0
        if details["type"] == "description"
        else draw(st.sampled_from([1.0, 2.0, 0.5, 10.0])),
        "tags": ([f"category:{category}"] if category else []) + draw(TAGS),
        **details,
    }


def relabelled(question: dict) -> dict:
    question = {**question}
    for name in ("options", "pairs", "items"):
        if name in question:
            question[name] = [
                {**entry, "id": chr(ord("a") + index)}
                for index, entry in enumerate(question[name])
            ]
    return question


@settings(max_examples=300, deadline=None)
@given(questions())
def test_write_then_parse_gives_the_question_back(question):
    written = write_moodle_xml([question])
    (parsed,) = parse_moodle_xml(written.encode()).questions
    category = normalise_category(parsed.category)
    back = dict(parsed.question)
    back["tags"] = ([f"category:{category}"] if category else []) + back["tags"]
    assert back == relabelled(question), written
