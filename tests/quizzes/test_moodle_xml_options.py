# ruff: noqa: E501  (XML fixtures read best one element per line)
"""Moodle XML: the question options (quizzes.moodle_options) read as Moodle's
importer reads them and written as its exporter writes them.

The snippets are cut from Moodle's own tests, moodle/moodle
question/format/xml/tests/xmlformat_test.php at commit
894ee17f5323b602694cfadaeca8a7744783f2ec (test_import_multichoice_19,
test_export_match, test_import_numerical_19), GPL v3 or later: a few lines each,
with the expectations Moodle's test states for them."""

import pytest

from quizzes.moodle_xml import MoodleXmlError, parse_moodle_xml, write_moodle_xml
from tests.quizzes.test_moodle_xml import only, question, quiz

# test_import_multichoice_19 (answers cut to two).
MOODLE_MULTICHOICE = """  <question type="multichoice">
    <name>
      <text>Multiple choice question</text>
    </name>
    <questiontext format="html">
      <text>Which are the even numbers?</text>
    </questiontext>
    <generalfeedback>
      <text>The even numbers are 2 and 4.</text>
    </generalfeedback>
    <defaultgrade>2</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <single>false</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <correctfeedback>
      <text><![CDATA[<p>Your answer is correct.</p>]]></text>
    </correctfeedback>
    <partiallycorrectfeedback>
      <text><![CDATA[<p>Your answer is partially correct.</p>]]></text>
    </partiallycorrectfeedback>
    <incorrectfeedback>
      <text><![CDATA[<p>Your answer is incorrect.</p>]]></text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="0">
      <text>1</text>
      <feedback>
        <text></text>
      </feedback>
    </answer>
    <answer fraction="100">
      <text>2</text>
      <feedback>
        <text></text>
      </feedback>
    </answer>
    <hint>
      <text>Hint 1.</text>
    </hint>
    <hint>
      <text>Hint 2.</text>
    </hint>
  </question>"""

# test_export_match: its hints.
MOODLE_MATCH_HINTS = """    <hint format="html">
      <text>Hint 1</text>
      <shownumcorrect/>
    </hint>
    <hint format="html">
      <text></text>
      <shownumcorrect/>
      <clearwrong/>
    </hint>"""


def test_moodles_multichoice_keeps_combined_feedback_hints_and_shuffle():
    q = only(quiz(MOODLE_MULTICHOICE))
    assert q["correct_feedback"] == "<p>Your answer is correct.</p>"
    assert q["partially_correct_feedback"] == "<p>Your answer is partially correct.</p>"
    assert q["incorrect_feedback"] == "<p>Your answer is incorrect.</p>"
    assert q["show_num_correct"] is True
    assert q["shuffle_answers"] is False
    assert q["hints"] == [
        {"text": "Hint 1.", "show_num_correct": False, "clear_wrong": False},
        {"text": "Hint 2.", "show_num_correct": False, "clear_wrong": False},
    ]
    # Moodle's defaults are not written into the dict.
    assert "penalty" not in q and "answer_numbering" not in q


def test_hint_flags_are_elements_that_are_there_or_not():
    q = only(
        quiz(
            question(
                "matching",
                """<shuffleanswers>true</shuffleanswers>
<subquestion format="html"><text>A</text><answer><text>a</text></answer></subquestion>
<subquestion format="html"><text>B</text><answer><text>b</text></answer></subquestion>
"""
                + MOODLE_MATCH_HINTS,
            )
        )
    )
    assert q["hints"] == [
        {"text": "Hint 1", "show_num_correct": True, "clear_wrong": False},
        {"text": "", "show_num_correct": True, "clear_wrong": True},
    ]
    assert "shuffle_answers" not in q


def test_penalty_idnumber_and_answer_numbering():
    q = only(
        quiz(
            question(
                "multichoice",
                """<single>true</single><shuffleanswers>1</shuffleanswers>
<answernumbering>IIII</answernumbering>
<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>""",
            ).replace("<penalty>0.3333333</penalty>", "<penalty>0.1</penalty>")
        )
    )
    assert (q["penalty"], q["answer_numbering"], q["idnumber"]) == (0.1, "IIII", "q-1")


def test_old_files_rounding_of_the_penalty_is_fixed_as_moodle_does():
    data = quiz(
        question("essay").replace(
            "<penalty>0.3333333</penalty>", "<penalty>0.33</penalty>"
        )
    )
    assert "penalty" not in only(data)


def test_a_missing_shuffleanswers_is_false_as_in_moodle():
    data = quiz(
        question(
            "multichoice",
            '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>',
        )
    )
    assert only(data)["shuffle_answers"] is False


def test_an_unknown_answer_numbering_is_abc_with_a_warning():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "multichoice",
                """<shuffleanswers>true</shuffleanswers><answernumbering>greek</answernumbering>
<answer fraction="100"><text>a</text></answer>""",
            )
        )
    )
    assert "answer_numbering" not in parsed.questions[0].question
    assert "unknown answer numbering 'greek'" in str(parsed.warnings[0])


def test_combined_feedback_of_a_type_without_it_is_warned_as_not_kept():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "shortanswer",
                """<answer fraction="100"><text>a</text></answer>
<correctfeedback format="html"><text>Well done</text></correctfeedback>""",
            )
        )
    )
    assert "correct_feedback" not in parsed.questions[0].question
    assert "<correctfeedback> is not kept" in str(parsed.warnings[0])


def test_a_penalty_out_of_range_is_an_error():
    data = quiz(
        question("essay").replace(
            "<penalty>0.3333333</penalty>", "<penalty>3</penalty>"
        )
    )
    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(data)
    assert "penalty must be from 0 to 1" in str(caught.value.errors[0])


def test_written_as_moodle_writes_them():
    written = write_moodle_xml(
        [
            {
                "type": "multiple",
                "title": "T",
                "text": "x",
                "options": [{"id": "a", "text": "1", "fraction": 1.0, "feedback": ""}],
                "penalty": 0.1,
                "shuffle_answers": False,
                "answer_numbering": "123",
                "correct_feedback": "Yes",
                "show_num_correct": True,
                "hints": [
                    {"text": "H", "show_num_correct": False, "clear_wrong": True}
                ],
                "idnumber": "ID-1",
            }
        ]
    )
    for element in (
        "<penalty>0.1</penalty>",
        "<idnumber>ID-1</idnumber>",
        "<shuffleanswers>false</shuffleanswers>",
        "<answernumbering>123</answernumbering>",
        "<shownumcorrect/>",
        "<clearwrong/>",
    ):
        assert element in written
    assert '<correctfeedback format="markdown">\n      <text>Yes</text>' in written
