"""The item-writing checks (quizzes.item_checks): each check with a question that
trips it and one that does not."""

import pytest

from quizzes import item_checks
from quizzes.item_checks import (
    CHECKS,
    ERROR,
    INFO,
    WARNING,
    QuizPool,
    bank_findings,
    pools_from_bank,
    question_findings,
    quiz_findings,
)


def single(key, text, key_text, *others, **extra):
    options = [{"id": "k", "text": key_text, "fraction": 1.0, "feedback": ""}]
    options += [
        {"id": str(n), "text": other, "fraction": 0.0, "feedback": ""}
        for n, other in enumerate(others)
    ]
    return {"key": key, "type": "single", "text": text, "options": options, **extra}


def multiple(key, text, right, wrong):
    options = [
        {"id": f"r{n}", "text": t, "fraction": 1 / len(right), "feedback": ""}
        for n, t in enumerate(right)
    ] + [
        {"id": f"w{n}", "text": t, "fraction": -0.5, "feedback": ""}
        for n, t in enumerate(wrong)
    ]
    return {"key": key, "type": "multiple", "text": text, "options": options}


def truefalse(key, text, correct):
    return {"key": key, "type": "truefalse", "text": text, "correct": correct}


def short(key, *answers, text="Name it."):
    return {
        "key": key,
        "type": "shortanswer",
        "text": text,
        "answers": [
            {"text": a, "fraction": 1.0, "feedback": ""} if isinstance(a, str) else a
            for a in answers
        ],
    }


def numerical(key, value):
    return {
        "key": key,
        "type": "numerical",
        "text": "How many?",
        "answers": [{"value": value, "tolerance": 0, "fraction": 1.0, "feedback": ""}],
    }


def names(findings):
    return [f.check for f in findings]


def test_every_check_has_a_level_and_a_one_line_reason():
    for check in CHECKS.values():
        assert check.level in (INFO, WARNING, ERROR)
        assert str(check.reason) and "\n" not in str(check.reason)


def test_a_finding_carries_its_check_level_reason_and_evidence():
    (finding,) = question_findings(
        truefalse("tf", "Peru acts only through its navy.", False)
    )
    assert finding.check == "absolute-word-cue"
    assert finding.level == WARNING
    assert finding.reason == str(CHECKS["absolute-word-cue"].reason)
    assert "'only'" in finding.evidence
    assert finding.question == "tf"
    assert "WARNING absolute-word-cue" in finding.line()


# --- absolute words in true/false -----------------------------------------


@pytest.mark.parametrize("word", ["only", "never", "No", "exclusively", "all"])
def test_a_false_statement_with_an_absolute_word_is_a_cue(word):
    question = truefalse("tf", f"Brazil {word} trains with Argentina.", False)
    assert names(question_findings(question)) == ["absolute-word-cue"]


def test_a_true_statement_or_a_false_one_without_absolutes_is_fine():
    assert question_findings(truefalse("a", "Peru only trains at home.", True)) == []
    assert question_findings(truefalse("b", "Brazil trains with Chile.", False)) == []
    # A word that merely contains one ("knowledge", "notable") is no cue.
    assert question_findings(truefalse("c", "A notable, known fact.", False)) == []


# --- implausible distractors ------------------------------------------------


def test_a_distractor_with_an_extreme_word_is_implausible():
    question = single(
        "q", "What does it do?", "It trains", "Nothing at all", "It buys", "It sells"
    )
    found = question_findings(question)
    assert names(found) == ["absolute-word-distractor"]
    assert "Nothing at all" in found[0].evidence


def test_extreme_words_everywhere_give_no_cue():
    question = single(
        "q", "Which?", "Only trade", "Only arms", "Only aid", "Only training"
    )
    assert question_findings(question) == []


# --- longest option is the key ------------------------------------------------


def test_a_key_much_longer_than_every_distractor_is_flagged():
    question = single(
        "q",
        "Which?",
        "Joint exercises and training missions with local forces",
        "Arms sales",
        "Trade deals",
        "Loans",
    )
    found = question_findings(question)
    assert names(found) == ["longest-option-key"]
    assert "times the longest distractor" in found[0].evidence


def test_options_of_similar_length_pass():
    question = single("q", "Which?", "Joint exercises", "Arms purchases", "Trade deals")
    assert question_findings(question) == []


def test_a_quiz_where_most_keys_are_longest_is_flagged():
    questions = [
        single(f"q{n}", "Which?", "Joint drills abroad", "Arms sale", "Trade deal")
        for n in range(3)
    ]
    assert "longest-option-key-pattern" in names(quiz_findings(questions))
    balanced = [
        single(f"q{n}", "Which?", "Arms sale", "Joint drills abroad", "Trade deal")
        for n in range(3)
    ]
    assert quiz_findings(balanced) == []


# --- duplicates, all/none of the above -----------------------------------------


def test_two_options_saying_the_same_thing_are_an_error():
    question = single("q", "Which?", "Brazil", "Peru", "peru.", "Chile")
    found = question_findings(question)
    assert names(found) == ["duplicate-option"]
    assert found[0].level == ERROR


def test_matching_prompts_may_share_an_answer_but_a_distractor_may_not_repeat_one():
    pairs = [
        {"id": "1", "prompt": "Brazil", "answer": "South America"},
        {"id": "2", "prompt": "Peru", "answer": "South America"},
    ]
    fine = {"key": "m", "type": "matching", "text": "Match.", "pairs": pairs}
    assert question_findings(fine) == []
    bad = {**fine, "distractors": ["south america"]}
    assert names(question_findings(bad)) == ["duplicate-option"]


@pytest.mark.parametrize(
    "option", ["All of the above", "None of the above", "both A and B"]
)
def test_all_or_none_of_the_above_is_flagged(option):
    question = single("q", "Which?", "Brazil", "Peru", option)
    assert "all-none-of-the-above" in names(question_findings(question))


def test_an_option_mentioning_above_otherwise_is_fine():
    question = single(
        "q", "Which?", "Above sea level", "Below sea level", "At sea level"
    )
    assert question_findings(question) == []


# --- contradictory instructions ------------------------------------------------


def test_which_two_with_select_all_that_apply_is_an_error():
    question = multiple(
        "q", "Which two countries? Select all that apply.", ["Peru", "Chile"], ["Cuba"]
    )
    found = question_findings(question)
    assert names(found) == ["contradictory-instructions"]
    assert found[0].level == ERROR


def test_a_count_that_differs_from_the_keyed_options_is_an_error():
    question = multiple("q", "Which two countries?", ["Peru", "Chile", "Bolivia"], [])
    assert names(question_findings(question)) == ["contradictory-instructions"]


def test_select_all_that_apply_in_a_single_choice_is_an_error():
    question = single("q", "Which? Select all that apply.", "Peru", "Cuba", "Chile")
    assert names(question_findings(question)) == ["contradictory-instructions"]


def test_consistent_instructions_pass():
    assert (
        question_findings(
            multiple("a", "Which two countries?", ["Peru", "Chile"], ["Cuba"])
        )
        == []
    )
    assert (
        question_findings(
            multiple("b", "Which apply? Select all that apply.", ["Peru"], ["Cuba"])
        )
        == []
    )
    # A number that counts something else is no instruction.
    assert (
        question_findings(
            multiple("c", "Which two of the treaties?", ["Peru"], ["Cuba", "Chile"])
        )
        == []
    )


# --- short-answer wildcards and variants ----------------------------------------


@pytest.mark.parametrize(
    "pattern, wrong",
    [("*respect*", "disrespect"), ("*position*", "opposition"), ("*Amazon*", "Amazon")],
)
def test_a_wildcard_glued_to_a_word_accepts_wrong_words(pattern, wrong):
    found = question_findings(short("s", pattern))
    assert "wildcard-too-wide" in names(found)
    assert wrong in next(f for f in found if f.check == "wildcard-too-wide").evidence


def test_a_wildcard_apart_from_the_word_or_no_wildcard_passes():
    assert "wildcard-too-wide" not in names(
        question_findings(short("s", "* respect", "respect"))
    )
    assert question_findings(short("t", "Amazon", "the Amazon")) == []


def test_a_plural_that_scores_less_than_its_singular_is_a_missing_variant():
    found = question_findings(short("s", "defense mechanisms"))
    assert names(found) == ["missing-variant"]
    assert "'defense mechanism'" in found[0].evidence
    assert (
        question_findings(short("t", "defense mechanisms", "defense mechanism")) == []
    )


def test_an_expansion_without_the_acronym_the_question_uses_is_a_missing_variant():
    question = short("s", "United Nations missions", text="Which UN activity?")
    found = question_findings(question)
    assert set(names(found)) == {"missing-variant"}
    assert any("its acronym 'UN missions' scores 0" in f.evidence for f in found)
    fixed = short(
        "t",
        "United Nations mission*",
        "UN mission*",
        text="Which UN activity?",
    )
    assert question_findings(fixed) == []
    # Initials the question never uses are not expected.
    assert question_findings(short("u", "Southern Partnership Station")) == []


def test_a_hyphenated_form_scoring_less_is_a_missing_variant():
    question = short(
        "s",
        "technology transfer",
        {"text": "technology*", "fraction": 0.5, "feedback": ""},
    )
    found = question_findings(question)
    assert "missing-variant" in names(found)
    assert any("'technology-transfer' scores 0.5" in f.evidence for f in found)
    fixed = short("t", "technology transfer", "technology-transfer")
    assert question_findings(fixed) == []


# --- spelling ----------------------------------------------------------------


def test_british_spelling_is_noted_as_info():
    found = question_findings(
        truefalse("tf", "The organisation runs a programme for its neighbours.", True)
    )
    assert names(found) == ["british-spelling"]
    assert found[0].level == INFO
    assert found[0].evidence == "neighbours, organisation, programme"


def test_british_forms_among_accepted_short_answers_are_fine():
    question = short("s", "defense", "defence", text="Collective … mechanisms?")
    assert question_findings(question) == []
    question["answers"][0]["feedback"] = "Right: defence."
    assert names(question_findings(question)) == ["british-spelling"]


def test_acronyms_replace_part_of_an_answer_never_all_of_it():
    question = short("s", "the Conference of Defense Ministers", text="What is CDM?")
    assert question_findings(question) == []


def test_american_spelling_and_ordinary_ise_words_pass():
    text = "The organization's exercise otherwise runs a program; prices rise."
    assert question_findings(truefalse("tf", text, True)) == []


# --- one quiz: giveaways, context, essays, numeric keys --------------------------


def test_a_stem_stating_another_questions_key_is_a_giveaway():
    asked = short("asked", "technology transfer")
    telling = truefalse(
        "telling", "Brazil and Argentina agreed on technology transfer.", True
    )
    found = quiz_findings([asked, telling], quiz="check")
    assert names(found) == ["giveaway"]
    assert found[0].question == "asked"
    assert "telling" in found[0].evidence
    assert found[0].quiz == "check"


def test_an_ordering_listing_another_key_is_a_giveaway_but_an_unrelated_one_is_not():
    asked = single("asked", "Which trend?", "Cybersecurity", "Tourism", "Mining")
    ordering = {
        "key": "order",
        "type": "ordering",
        "text": "Put in order.",
        "items": [{"id": "1", "text": "Cybersecurity"}, {"id": "2", "text": "Trade"}],
    }
    assert names(quiz_findings([asked, ordering])) == ["giveaway"]
    ordering["items"][0]["text"] = "Space"
    assert quiz_findings([asked, ordering]) == []


def test_this_section_matters_only_when_the_quiz_draws_at_random():
    question = truefalse("tf", "This section names Peru first.", True)
    assert quiz_findings([question], drawn=False) == []
    found = quiz_findings([question], drawn=True, quiz="exam")
    assert names(found) == ["needs-context"]
    named = truefalse("tf2", "The lesson on Peru names it first.", True)
    assert quiz_findings([named], drawn=True) == []
    bare = truefalse("tf3", "The section lists three activities.", True)
    assert names(quiz_findings([bare], drawn=True)) == ["needs-context"]


def test_an_essay_in_a_random_pool_is_an_error():
    essay = {"key": "e", "type": "essay", "text": "Discuss."}
    found = quiz_findings([essay], drawn=True)
    assert names(found) == ["essay-in-random-pool"]
    assert found[0].level == ERROR
    assert quiz_findings([essay], drawn=False) == []


def test_numeric_keys_mostly_alike_are_flagged():
    alike = [numerical(f"n{n}", 3) for n in range(3)] + [numerical("x", 1994)]
    found = item_checks.numeric_key_findings(alike)
    assert names(found) == ["numeric-keys-alike"]
    assert "3 of the 4" in found[0].evidence
    varied = [numerical("a", 3), numerical("b", 4), numerical("c", 1994)]
    assert item_checks.numeric_key_findings(varied) == []


# --- a whole bank ----------------------------------------------------------------


def test_a_bank_file_pool_from_the_bank_is_every_published_question():
    tf = truefalse("tf", "This section names Peru.", True)
    essay = {"key": "e", "type": "essay", "text": "Discuss."}
    hidden = {**truefalse("h", "This section hides.", True), "is_published": False}
    data = {
        "quizzes": [
            {"slug": "check", "questions": [tf, essay, hidden]},
            {"slug": "exam", "from_bank": True, "draw": 1},
        ]
    }
    pools = pools_from_bank(data)
    assert [(p.slug, p.drawn) for p in pools] == [("check", False), ("exam", True)]
    assert [q["key"] for q in pools[1].questions] == ["tf", "e"]
    found = bank_findings(pools)
    assert sorted((f.quiz, f.question, f.check) for f in found) == [
        ("exam", "e", "essay-in-random-pool"),
        ("exam", "tf", "needs-context"),
    ]


def test_each_questions_own_findings_show_once_and_dismissed_ones_not_at_all():
    tf = truefalse("tf", "Peru only trains at home.", False)
    pools = [QuizPool("a", False, [tf]), QuizPool("b", False, [tf])]
    assert names(bank_findings(pools)) == ["absolute-word-cue"]
    assert bank_findings(pools, dismissed=[("tf", "absolute-word-cue")]) == []


def test_worst_level_and_above():
    tf = truefalse("tf", "Peru only trains; the organisation agrees.", False)
    found = question_findings(tf)
    assert item_checks.worst_level(found) == WARNING
    assert names(item_checks.above(found, INFO)) == ["absolute-word-cue"]
    assert item_checks.worst_level([]) is None
