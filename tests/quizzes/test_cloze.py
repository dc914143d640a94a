"""Cloze questions (quizzes/cloze.py): Moodle's embedded-answers syntax read into
gaps, written back, and graded gap by gap.

The real texts are short question strings quoted from Moodle's own tests:
- HELPER: moodle/moodle, question/type/multianswer/tests/helper.php, commit
  2d00328603b5401a3248bae0135461e268cc77bb (twosubq, fourmc, numericalzero,
  dollarsigns, multiple);
- TYPE_TEST: moodle/moodle, question/type/multianswer/tests/question_type_test.php,
  commit 4929d6c3d17227aee736efe8500e61c8edfb2575
  (test_questiontext_extraction_of_multiplechoice_subquestions_variants).
"""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.problems import MAX_REPORTED
from quizzes import cloze, grading
from quizzes.cloze import ClozeError, parse_cloze, write_cloze
from quizzes.gift import ANY_NUMBER

# HELPER, get_multianswer_question_form_data_twosubq.
TWOSUBQ = (
    'Complete this opening line of verse: "The '
    "{1:SHORTANSWER:Dog#Wrong, silly!~=Owl#Well done!~*#Wrong answer} "
    "and the {1:MULTICHOICE:Bow-wow#You seem to have a dog obsessions!"
    "~Wiggly worm#Now you are just being ridiculous!~=Pussy-cat#Well done!}"
    ' went to sea".'
)
# HELPER, make_multianswer_question_multiple.
FRUITS = (
    "Please select the fruits {1:MULTIRESPONSE:=Apple#Good~%-50%Burger~%-50%Hot "
    "dog#Not a fruit~%-50%Pizza~=Orange#Correct~=Banana} and vegetables "
    "{1:MULTIRESPONSE:=Raddish#Good~%-50%Chocolate~%-50%Biscuit#Not a vegetable"
    "~%-50%Cheese~=Carrot#Correct}"
)
# TYPE_TEST: every multiple-choice variant, "%33,33333%" with a decimal comma.
SAN_FRANCISCO = "=California#OK~%33.33333%Ohio#Not really~Arizona#Wrong"
TUCSON = "%0%California#Wrong~%33,33333%Ohio#Not really~=Arizona#OK"
VARIANTS = [
    ("MULTICHOICE", "dropdown", False),
    ("MC", "dropdown", False),
    ("MULTICHOICE_S", "dropdown", True),
    ("MCS", "dropdown", True),
    ("MULTICHOICE_H", "horizontal", False),
    ("MCH", "horizontal", False),
    ("MULTICHOICE_HS", "horizontal", True),
    ("MCHS", "horizontal", True),
    ("MULTICHOICE_V", "vertical", False),
    ("MCV", "vertical", False),
    ("MULTICHOICE_VS", "vertical", True),
    ("MCVS", "vertical", True),
]


def problems(text: str) -> list[str]:
    with pytest.raises(ClozeError) as caught:
        parse_cloze(text)
    return [str(problem) for problem in caught.value.errors]


# ------------------------------------------------------------ Moodle's texts


def test_moodle_twosubq_reads_as_a_short_answer_and_a_dropdown():
    text, gaps = parse_cloze(TWOSUBQ)
    assert text == (
        'Complete this opening line of verse: "The {#1} and the {#2} went to sea".'
    )
    short, choice = gaps
    assert short == {
        "id": "1",
        "kind": "shortanswer",
        "weight": 1,
        "case_sensitive": False,
        "answers": [
            {"text": "Dog", "fraction": 0.0, "feedback": "Wrong, silly!"},
            {"text": "Owl", "fraction": 1.0, "feedback": "Well done!"},
            {"text": "*", "fraction": 0.0, "feedback": "Wrong answer"},
        ],
    }
    assert choice["kind"] == "choice"
    assert (choice["display"], choice["shuffle"]) == ("dropdown", False)
    assert [(o["id"], o["text"], o["fraction"]) for o in choice["options"]] == [
        ("a", "Bow-wow", 0.0),
        ("b", "Wiggly worm", 0.0),
        ("c", "Pussy-cat", 1.0),
    ]
    assert cloze.validate_gaps(gaps) == []


@pytest.mark.parametrize("code, display, shuffle", VARIANTS)
@pytest.mark.parametrize("alternatives", [SAN_FRANCISCO, TUCSON])
def test_moodle_multichoice_variants_give_layout_and_shuffle(
    code, display, shuffle, alternatives
):
    _, [gap] = parse_cloze(f"<li>1 San Francisco:{{1:{code}:{alternatives}}}</li>")
    assert (gap["kind"], gap["display"], gap["shuffle"]) == ("choice", display, shuffle)
    by_feedback = {o["feedback"]: o["fraction"] for o in gap["options"]}
    assert by_feedback == {"OK": 1.0, "Wrong": 0.0, "Not really": 0.3333333}


def test_moodle_multiresponse_weights_are_rescaled_as_moodle_stores_them():
    # HELPER gives Apple, Orange, Banana 0.3333333 and the others -0.5;
    # Raddish and Carrot 0.5.
    _, (fruits, vegetables) = parse_cloze(FRUITS)
    assert [o["fraction"] for o in fruits["options"]] == [
        0.3333333, -0.5, -0.5, -0.5, 0.3333333, 0.3333333
    ]  # fmt: skip
    assert [o["fraction"] for o in vegetables["options"]] == [
        0.5, -0.5, -0.5, -0.5, 0.5
    ]  # fmt: skip
    assert fruits["display"] == "vertical"
    assert cloze.validate_gaps([fruits, vegetables]) == []


def test_multiresponse_without_weights_lets_each_wrong_answer_cancel_a_right_one():
    _, [gap] = parse_cloze("{1:MR:=a~=b~c~d}")
    assert [o["fraction"] for o in gap["options"]] == [0.5, 0.5, -0.5, -0.5]


def test_moodle_numerical_zero_with_zero_tolerance():
    # HELPER, make_multianswer_question_numericalzero.
    text, [gap] = parse_cloze("Enter zero: {1:NUMERICAL:=0:0}.")
    assert text == "Enter zero: {#1}."
    assert gap["answers"] == [
        {"value": 0.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}
    ]
    assert cloze.grade([gap], {"1": "0"}).fraction == 1.0


def test_moodle_dollar_signs_stay_in_the_options():
    # HELPER, get_multianswer_question_data_dollarsigns.
    _, [gap] = parse_cloze("Which is the right order? {1:MULTICHOICE:=y,y,$3~$3,y,y}")
    assert [o["text"] for o in gap["options"]] == ["y,y,$3", "$3,y,y"]


def test_html_text_keeps_its_tags_and_markers_take_the_gaps_place():
    # HELPER, make_multianswer_question_fourmc (the first two places).
    text, gaps = parse_cloze(
        "<p>Match the following cities with the correct state:</p>\n<ul>\n"
        "<li>San Francisco: {1:MULTICHOICE:=California#OK~Arizona#Wrong}</li>\n"
        "<li>Tucson: {1:MULTICHOICE:%0%California#Wrong~=Arizona#OK}</li>\n</ul>"
    )
    assert "<li>San Francisco: {#1}</li>" in text
    assert "<li>Tucson: {#2}</li>" in text
    assert [g["options"][1]["fraction"] for g in gaps] == [0.0, 1.0]


# ------------------------------------------------------------------ syntax


def test_numerical_tolerance_partial_answers_and_any_other_number():
    _, [gap] = parse_cloze("{2:NM:=3:0.5#Good~%50%3:1.5~*#Far off}")
    assert gap["weight"] == 2
    assert gap["answers"] == [
        {"value": 3.0, "tolerance": 0.5, "fraction": 1.0, "feedback": "Good"},
        {"value": 3.0, "tolerance": 1.5, "fraction": 0.5, "feedback": ""},
        {"min": -ANY_NUMBER, "max": ANY_NUMBER, "fraction": 0.0, "feedback": "Far off"},
    ]
    grades = [cloze.grade([gap], {"1": typed}) for typed in ("2.6", "4,4", "100")]
    assert [g.fraction for g in grades] == [1.0, 0.5, 0.0]
    assert grades[2].feedback == ("Far off",)


def test_numbers_with_decimal_commas_and_exponents():
    _, [gap] = parse_cloze("{1:NUMERICAL:=1,5e3:0,5~-2.5}")
    assert [(a["value"], a["tolerance"]) for a in gap["answers"]] == [
        (1500.0, 0.5),
        (-2.5, 0.0),
    ]


@pytest.mark.parametrize(
    "code, case_sensitive",
    [("SHORTANSWER", False), ("SA", False), ("MW", False)]
    + [("SHORTANSWER_C", True), ("SAC", True), ("MWC", True)],
)
def test_short_answer_codes_and_case(code, case_sensitive):
    _, [gap] = parse_cloze(f"{{1:{code}:=Lima}}")
    assert gap["case_sensitive"] is case_sensitive
    right = cloze.grade([gap], {"1": "lima"}).fraction
    assert right == (0.0 if case_sensitive else 1.0)


@pytest.mark.parametrize(
    "code, display, shuffle",
    [
        ("MULTIRESPONSE", "vertical", False),
        ("MR", "vertical", False),
        ("MRH", "horizontal", False),
        ("MULTIRESPONSE_S", "vertical", True),
        ("MRS", "vertical", True),
        ("MRHS", "horizontal", True),
    ],
)
def test_multiresponse_codes(code, display, shuffle):
    _, [gap] = parse_cloze(f"{{1:{code}:=a~b}}")
    assert (gap["kind"], gap["display"], gap["shuffle"]) == (
        "multiresponse",
        display,
        shuffle,
    )


def test_weight_defaults_to_one_when_left_empty():
    _, [gap] = parse_cloze("{:SA:=x}")
    assert gap["weight"] == 1


def test_escaped_characters_are_literal_in_answers_and_feedback():
    source = r"{1:SA:=a\}b\#c\~d\/e\"f\\g#fb \} \# \~ \\~x}"
    _, [gap] = parse_cloze(source)
    assert gap["answers"][0] == {
        "text": 'a}b#c~d/e"f\\g',
        "fraction": 1.0,
        "feedback": "fb } # ~ \\",
    }
    assert gap["answers"][1]["text"] == "x"


def test_character_references_are_decoded_and_do_not_end_an_answer():
    # Moodle's HTML editor writes these; "&#39;" must not start a feedback.
    _, [gap] = parse_cloze("{1:MC:=O&#39;Brien&amp;Co#it&#39;s right~Smith}")
    assert gap["options"][0]["text"] == "O'Brien&Co"
    assert gap["options"][0]["feedback"] == "it's right"


def test_a_gap_may_run_over_several_lines():
    text, [gap] = parse_cloze("A\n{1:MC:=yes\n#right~no}\nB")
    assert text == "A\n{#1}\nB"
    assert gap["options"][0] == {
        "id": "a",
        "text": "yes",
        "fraction": 1.0,
        "feedback": "right",
    }


def test_text_that_is_not_a_gap_is_left_alone():
    text, gaps = parse_cloze("Sets {a, b} and {x:y} at 12:30 {1:SA:=x} {#a}")
    assert text == "Sets {a, b} and {x:y} at 12:30 {#1} {#a}"
    assert len(gaps) == 1


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "Capital: {1:SHORTANSWER:=Lima",
            "line 1, gap 1: the gap is never closed; expected “}” after its last "
            "answer",
        ),
        (
            "{1:SA:=a}\n{1:FOO:=x}",
            "line 2, gap 2: unknown type “FOO”; expected SHORTANSWER (SA, MW), "
            "SHORTANSWER_C (SAC, MWC), NUMERICAL (NM), MULTICHOICE (MC, MCV, MCH, "
            "MCS, MCVS, MCHS) or MULTIRESPONSE (MR, MRH, MRS, MRHS)",
        ),
        (
            "{1:SHORTANSWER:Lima~Callao}",
            "line 1, gap 1: SHORTANSWER (short answer): no answer is worth 100%; "
            "mark the right one with “=”",
        ),
        (
            "{1:MULTICHOICE:}",
            "line 1, gap 1: MULTICHOICE (multiple choice): the gap is empty; write "
            "its answers, the right one with “=”",
        ),
        (
            "{1:MC:=only}",
            "line 1, gap 1: MULTICHOICE (multiple choice): a choice needs at least "
            "2 options, separated by “~”; only “only” is written",
        ),
        (
            "{1:NUMERICAL:=three}",
            "line 1, gap 1: NUMERICAL (numerical): answer 1: “three” is not a "
            "number; expected a number such as 3 or -1.5, a number and its "
            "tolerance such as 3:0.5, or * for any other number",
        ),
        (
            "{1:MR:a~b}",
            "line 1, gap 1: MULTIRESPONSE (multiple response): no option is right; "
            "mark the right ones with “=” (or a positive %N%)",
        ),
        (
            "{1:SA:=a~~b}",
            "line 1, gap 1: SHORTANSWER (short answer): answer 2 is empty",
        ),
        (
            "{1:SA:=a~%-50%b}",
            "line 1, gap 1: SHORTANSWER (short answer): answer 2: a typed answer "
            "cannot be worth less than 0% (-50%)",
        ),
        (
            "{1:MC:=a~%150%b}",
            "line 1, gap 1: MULTICHOICE (multiple choice): answer 2: the weight "
            "150% is out of range; expected -100% to 100%",
        ),
        (
            "{1:sa:=a}",
            "line 1, gap 1: unknown type “sa” (types are written in capitals); "
            "expected SHORTANSWER (SA, MW), SHORTANSWER_C (SAC, MWC), NUMERICAL "
            "(NM), MULTICHOICE (MC, MCV, MCH, MCS, MCVS, MCHS) or MULTIRESPONSE "
            "(MR, MRH, MRS, MRHS)",
        ),
        (
            "See {#1} and {1:SA:=a}",
            "line 1: “{#1}” is how a gap is marked once read; it cannot be part of "
            "the text (write it with a space, “{ #1}”)",
        ),
        (
            "No gaps here.",
            "line 1: the text has no gap; write one such as {1:SHORTANSWER:=answer}",
        ),
    ],
)
def test_broken_texts_are_refused_with_the_gap_and_what_was_expected(source, expected):
    assert problems(source) == [expected]


def test_every_problem_is_reported_with_its_line():
    found = problems("{1:SA:a}\nok {1:MC:=x}\n{1:NM:=y}")
    assert [p.split(":")[0] for p in found] == ["line 1, gap 1", "line 2, gap 2"] + [
        "line 3, gap 3"
    ]


def test_errors_are_capped_and_the_rest_counted():
    with pytest.raises(ClozeError) as caught:
        parse_cloze(" ".join(["{1:SA:wrong}"] * (MAX_REPORTED + 5)))
    assert len(caught.value.errors) == MAX_REPORTED
    assert caught.value.more == 5
    assert "5 more problems" in str(caught.value)


# ----------------------------------------------------------------- writing


def test_write_gives_moodle_syntax_back():
    text, gaps = parse_cloze(TWOSUBQ)
    assert write_cloze(text, gaps) == TWOSUBQ


def test_write_spells_weights_types_and_escapes_out():
    text, gaps = parse_cloze(
        "{3:MCHS:=a#x~%50%=b~%-25%c} {1:SAC:=A\\}&amp;lt;} {1:MR:=x~y} {1:NM:=2:1~*}"
    )
    assert write_cloze(text, gaps) == (
        "{3:MULTICHOICE_HS:=a#x~%50%=b~%-25%c} {1:SHORTANSWER_C:=A\\}&amp;lt;} "
        "{1:MULTIRESPONSE:%100%x~%-100%y} {1:NUMERICAL:=2:1~*}"
    )


@pytest.mark.parametrize("answer", ["AT&", "a&amp;", "&lt;&", "x&amp"])
def test_an_answer_ending_in_an_ampersand_is_written_so_moodle_ends_it(answer):
    gap = {
        "id": "1",
        "kind": "shortanswer",
        "weight": 1,
        "case_sensitive": False,
        "answers": [{"text": answer, "fraction": 1.0, "feedback": "f"}],
    }
    written = write_cloze("{#1}", [gap])
    assert not written.endswith(("&#f}", "&amp;#f}"))
    assert parse_cloze(written) == ("{#1}", [gap])


def test_write_refuses_markers_without_gaps_and_text_that_reads_as_a_gap():
    _, gaps = parse_cloze("{1:SA:=a}")
    with pytest.raises(ValueError, match="has no gap"):
        write_cloze("{#1} {#2}", gaps)
    with pytest.raises(ValueError, match="no marker"):
        write_cloze("nothing", gaps)
    with pytest.raises(ValueError, match="reads as a gap"):
        write_cloze("{#1} {2:SA:x}", gaps)


FREE = string.ascii_letters + string.digits + " \n{}#~=%:*&;\\/\"'<>é"
PIECE = st.text(FREE, max_size=12).filter(
    lambda t: cloze._START.search(t) is None and cloze.MARKER.search(t) is None
)
WORD = (
    st.text(FREE, min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
    .filter(lambda t: t != "*")
)
FEEDBACK = st.text(FREE, max_size=12).map(str.strip)
FRACTIONS = st.sampled_from(
    [0.0, 0.5, 0.25, 0.1, 0.3333333, 0.6666667, 0.9, 0.05, 0.1428571]
)
NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(float),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, -1.5, 3.14159, 2e-3, 1e20]),
)


@st.composite
def typed_gap(draw, kind: str) -> dict:
    fractions = draw(st.permutations([1.0, *draw(st.lists(FRACTIONS, max_size=3))]))
    answers = []
    for fraction in fractions:
        if kind == "shortanswer":
            answer = {"text": draw(WORD)}
        else:
            answer = {"value": draw(NUMBERS), "tolerance": abs(draw(NUMBERS))}
        answer.update(fraction=fraction, feedback=draw(FEEDBACK))
        answers.append(answer)
    if draw(st.booleans()):
        if kind == "shortanswer":
            answers.append({"text": "*", "fraction": 0.0, "feedback": draw(FEEDBACK)})
        else:
            answers.append(
                {"min": -ANY_NUMBER, "max": ANY_NUMBER, "fraction": 0.0}
                | {"feedback": draw(FEEDBACK)}
            )
    gap = {"kind": kind, "answers": answers}
    if kind == "shortanswer":
        gap["case_sensitive"] = draw(st.booleans())
    return gap


@st.composite
def choice_gap(draw, kind: str) -> dict:
    if kind == "choice":
        others = draw(
            st.lists(FRACTIONS | st.sampled_from([-0.5, -1.0]), min_size=1, max_size=5)
        )
        fractions = [1.0, *others]
        displays = ["dropdown", "vertical", "horizontal"]
    else:
        fractions = draw(
            st.sampled_from([[1.0], [0.5, 0.5], [0.25, 0.75], [0.3333333] * 3])
        ) + draw(st.lists(st.sampled_from([0.0, -0.5, -1.0, -0.3333333]), max_size=3))
        if len(fractions) < 2:
            fractions.append(0.0)
        displays = ["vertical", "horizontal"]
    options = [
        {"id": "x", "text": draw(WORD), "fraction": f, "feedback": draw(FEEDBACK)}
        for f in draw(st.permutations(fractions))
    ]
    return {
        "kind": kind,
        "display": draw(st.sampled_from(displays)),
        "shuffle": draw(st.booleans()),
        "options": options,
    }


GAP = st.one_of(
    typed_gap("shortanswer"),
    typed_gap("numerical"),
    choice_gap("choice"),
    choice_gap("multiresponse"),
)


@st.composite
def cloze_texts(draw) -> tuple[str, list[dict]]:
    gaps = draw(st.lists(GAP, min_size=1, max_size=4))
    pieces = [draw(PIECE) for _ in range(len(gaps) + 1)]
    text = pieces[0]
    numbered = []
    for number, (gap, piece) in enumerate(zip(gaps, pieces[1:], strict=True), 1):
        gap = {"id": str(number), "weight": draw(st.integers(1, 5)), **gap}
        if "options" in gap:
            gap["options"] = [
                {**option, "id": chr(ord("a") + index)}
                for index, option in enumerate(gap["options"])
            ]
        numbered.append(gap)
        text += f"{{#{number}}}{piece}"
    return text, numbered


def test_a_marker_written_inside_a_gap_is_only_text():
    # Found by the property below: an answer "{" with feedback "0" is written
    # "\\{#0", which holds "{#0}" — a marker only outside the gaps.
    gaps = [
        {
            "id": "1",
            "weight": 1,
            "kind": "shortanswer",
            "answers": [{"text": "{", "fraction": 1.0, "feedback": "0"}],
            "case_sensitive": False,
        }
    ]
    written = write_cloze("{#1}", gaps)
    assert "{#0}" in written
    assert parse_cloze(written) == ("{#1}", gaps)
    with pytest.raises(cloze.ClozeError, match="is how a gap is marked"):
        parse_cloze("Before {#2} {1:SA:=a}")


@settings(max_examples=300, deadline=None)
@given(cloze_texts())
def test_write_then_parse_gives_the_text_and_gaps_back(example):
    text, gaps = example
    assert cloze.validate_gaps(gaps) == []
    written = write_cloze(text, gaps)
    assert parse_cloze(written) == (text, gaps), written


# --------------------------------------------------------- gap dict checks


def test_validate_names_the_gap_and_the_problem():
    _, gaps = parse_cloze("{1:SA:=a} {1:MC:=b~c}")
    gaps[1]["options"][0]["fraction"] = 0.5
    gaps[0]["weight"] = -1
    assert cloze.validate_gaps(gaps) == [
        "Gap 1: the weight must be a whole number of 0 or more.",
        "Gap 2: At least one option must be worth 100%.",
    ]
    assert cloze.validate_gaps([]) == ["A cloze question needs at least one gap."]
    assert cloze.validate_gaps([{"id": "1", "kind": "essay"}]) == [
        "Gap 1: unknown kind 'essay'; expected one of shortanswer, numerical, "
        "choice, multiresponse."
    ]


def test_gaps_of_weight_zero_only_are_refused():
    _, gaps = parse_cloze("{0:SA:=a}")
    assert cloze.validate_gaps(gaps) == [
        "Every gap has weight 0: give one a weight of 1 or more."
    ]


# ------------------------------------------------------ responses, grading

OWL = parse_cloze(TWOSUBQ)[1]


def test_normalise_keeps_answered_gaps_in_canonical_form():
    assert cloze.normalise_response(OWL, {"1": "  Owl ", "2": ""}) == {"1": "Owl"}
    assert cloze.normalise_response(OWL, {"1": " ", "2": ""}) is None
    assert cloze.normalise_response(OWL, None) is None
    assert cloze.normalise_response(OWL, {}) is None


@pytest.mark.parametrize(
    "raw, code",
    [
        ({"3": "x"}, "unknown_gap"),
        ({"2": "zz"}, "unknown_option"),
        ("Owl", "invalid_type"),
    ],
)
def test_tampered_responses_are_refused(raw, code):
    with pytest.raises(grading.InvalidResponse) as caught:
        cloze.normalise_response(OWL, raw)
    assert caught.value.code == code


def test_a_typing_mistake_names_its_gap():
    _, gaps = parse_cloze("{1:SA:=a} {1:NM:=3}")
    with pytest.raises(grading.InvalidResponse) as caught:
        cloze.normalise_response(gaps, {"2": "three"})
    assert caught.value.code == "not_a_number"
    assert caught.value.params == {"value": "three", "gap": "2"}
    assert str(caught.value).startswith("Gap 2: ")


def test_grade_is_the_weighted_mean_of_the_gaps():
    _, gaps = parse_cloze("{1:SA:=a#yes~*#no} {3:MC:=sure~%50%maybe#half~never}")
    result = cloze.grade(gaps, {"1": "wrong", "2": "a"})
    assert result.fraction == pytest.approx(0.75)
    assert result.feedback == ("no",)
    parts = result.detail["gaps"]
    assert [parts[i]["fraction"] for i in ("1", "2")] == [0.0, 1.0]
    assert parts["1"]["feedback"] == ["no"]
    assert result.detail["parts"] == {"1": 0.0, "2": 1.0}
    half = cloze.grade(gaps, {"1": "A", "2": "b"})
    assert half.fraction == pytest.approx(0.625)
    assert half.feedback == ("yes", "half")
    assert cloze.grade(gaps, None).fraction == 0.0
    assert cloze.grade(gaps, {"1": "a", "2": "a"}).fraction == 1.0


def test_multiresponse_gap_is_graded_as_a_multiple_response():
    _, gaps = parse_cloze(FRUITS)
    result = cloze.grade(gaps, {"1": ["a", "e", "f"], "2": ["a", "b"]})
    assert result.detail["gaps"]["1"]["fraction"] == 1.0
    assert result.detail["gaps"]["2"]["fraction"] == 0.0
    assert result.fraction == 0.5


def test_correct_response_scores_full_marks():
    for source in (TWOSUBQ, FRUITS, "{1:NM:=3:0.5} {2:SAC:=Lima}"):
        _, gaps = parse_cloze(source)
        right = cloze.correct_response(gaps)
        assert cloze.grade(gaps, right).fraction == 1.0
    assert cloze.correct_response(OWL) == {"1": "Owl", "2": "c"}


def test_a_tilde_right_after_the_type_is_allowed_as_moodle_does():
    # Seen in pycloze's test file PyClz00 (tests/corpus/banks/SOURCES.md, cloze/04);
    # Moodle's ANSWER_START_REGEX takes an optional "~" after the type.
    text, gaps = parse_cloze("The eldest is {1:SHORTANSWER:~=Lawrence}.")
    assert [a["text"] for a in gaps[0]["answers"]] == ["Lawrence"]
    _text, gaps = parse_cloze("{1:MULTICHOICE:~=Lawrence~Sebastian}")
    assert [o["text"] for o in gaps[0]["options"]] == ["Lawrence", "Sebastian"]
