"""The cloze question type (quizzes/types/cloze.py) end to end on the server:
stored from its source text, asked with a control in each gap and never its
answers, graded gap by gap, reviewed gap by gap as the review policy allows, and
carried by Moodle XML (refused by GIFT, which has no embedded answers)."""

import re

import pytest

from quizzes import grading, services
from quizzes.gift import write_gift
from quizzes.moodle_xml import parse_moodle_xml, write_moodle_xml
from quizzes.snapshots import question_to_dict
from quizzes.types import get
from tests.factories import make_question, make_quiz
from tests.quizzes.support import attempt_url, result_url, submit_url, text_of

pytestmark = pytest.mark.django_db

SOURCE = (
    "The capital of Peru is {1:SHORTANSWER:=Lima#LIMA-FEEDBACK~*#ANY-FEEDBACK}, "
    "its port is {2:MULTICHOICE:=Callao#PORT-FEEDBACK~Cusco~Arequipa} and Cusco "
    "lies at {1:NUMERICAL:=3400:100#HEIGHT-FEEDBACK} metres."
)
CLOZE = {
    "type": "cloze",
    "title": "Peru in gaps",
    "text": SOURCE,
    "general_feedback": "",
}
SECRETS = ["Lima", "FEEDBACK", "3400", "SHORTANSWER", "{1:"]


@pytest.fixture
def quiz(course):
    return make_quiz(course=course, questions=[CLOZE])


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    return services.attempt_start(quiz=quiz, user=student)


def test_the_bank_dict_keeps_the_source_and_reads_the_gaps(course):
    question = make_question(course=course, data=CLOZE)
    data = question_to_dict(question)
    assert data["text"] == SOURCE
    assert [gap["kind"] for gap in data["gaps"]] == [
        "shortanswer",
        "choice",
        "numerical",
    ]
    assert grading.validate_question(data) == []
    assert question.answers.count() == 0


def test_the_snapshot_holds_markers_not_answers(attempt):
    snapshot = attempt.responses.get().snapshot
    assert snapshot["text"] == (
        "The capital of Peru is {#1}, its port is {#2} and Cusco lies at {#3} metres."
    )
    assert "Lima" not in snapshot["text_html"]
    assert grading.validate_question(snapshot) == []


def test_a_broken_source_is_refused_with_the_gap(course):
    data = {**CLOZE, "text": "Capital: {1:SHORTANSWER:Lima}"}
    assert grading.validate_question(data) == [
        "line 1, gap 1: SHORTANSWER (short answer): no answer is worth 100%; mark "
        "the right one with “=”"
    ]


def test_the_attempt_page_has_a_control_in_each_gap_and_no_answer(
    enrolled_client, attempt
):
    html = enrolled_client.get(attempt_url(attempt)).content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    assert 'name="q0-gap-1"' in html
    assert re.search(r'<select [^>]*name="q0-gap-2"', html)
    assert 'name="q0-gap-3"' in html and 'inputmode="decimal"' in html
    assert "Gap 2 of 3" in html
    assert "{#" not in html
    # Options are posted as tokens, not as their ids in written order.
    assert 'value="a"' not in html


def post_answers(client, attempt, **gaps) -> object:
    html = client.get(attempt_url(attempt)).content.decode()
    seq = re.search(r'name="q0-seq" value="(\d+)"', html).group(1)
    options = {
        text: value
        for value, text in re.findall(r'<option value="([^"]+)">([^<]+)</option>', html)
    }
    form = {"page": "1", "q0-seq": seq}
    for gap, value in gaps.items():
        form[f"q0-gap-{gap[1:]}"] = options.get(value, value)
    return client.post(attempt_url(attempt), form)


def test_answers_are_saved_per_gap_and_shown_again(enrolled_client, attempt):
    post_answers(enrolled_client, attempt, g1="lima", g2="Callao", g3="3,450")
    response = attempt.responses.get()
    assert response.answer == {"1": "lima", "2": "a", "3": "3,450"}
    html = enrolled_client.get(attempt_url(attempt)).content.decode()
    assert 'value="lima"' in html
    assert re.search(r"<option value=\"[0-9a-f]+\" selected>Callao</option>", html)


def test_a_word_in_a_number_gap_is_shown_with_its_gap(enrolled_client, attempt):
    response = post_answers(enrolled_client, attempt, g1="Lima", g3="high")
    assert response.status_code == 400
    assert "Gap 3: “high” is not a number." in text_of(response.content.decode())


def test_a_forged_option_is_refused(enrolled_client, attempt):
    response = post_answers(enrolled_client, attempt, g2="not-a-token")
    assert response.status_code == 400


def test_submitting_grades_by_gap_weight_and_the_review_shows_each_gap(
    enrolled_client, attempt
):
    post_answers(enrolled_client, attempt, g1="Lima", g2="Cusco", g3="3450")
    enrolled_client.post(submit_url(attempt))
    response = attempt.responses.get()
    # Weights 1, 2 and 1: gaps 1 and 3 right, gap 2 wrong.
    assert response.fraction == pytest.approx(0.5)
    assert response.detail["parts"] == {"1": 1.0, "2": 0.0, "3": 1.0}

    html = enrolled_client.get(result_url(attempt)).content.decode()
    text = text_of(html)
    assert "Gap 1 : Lima Correct LIMA-FEEDBACK Right answer: Lima" in text
    assert "Gap 2 : Cusco Incorrect Right answer: Callao" in text
    assert "Gap 3 : 3450 Correct HEIGHT-FEEDBACK Right answer: 3400 ± 100" in text
    assert re.search(r'name="q0-gap-1" id="q0-gap-1" value="Lima" [^>]*disabled', html)
    assert 'class="cloze-gap cloze-choice cloze-incorrect"' in html
    assert "{#" not in html


def test_the_review_hides_what_the_policy_hides(enrolled_client, attempt, quiz):
    quiz.review_options = {
        "during": [],
        "immediately": ["responses"],
        "open": ["responses"],
        "closed": ["responses"],
    }
    quiz.save(update_fields=["review_options"])
    post_answers(enrolled_client, attempt, g1="Lima", g2="Cusco")
    enrolled_client.post(submit_url(attempt))
    html = enrolled_client.get(result_url(attempt)).content.decode()
    text = text_of(html)
    assert "Gap 1 : Lima" in text
    for hidden in ("Correct", "Incorrect", "FEEDBACK", "Right answer", "3400"):
        assert hidden not in text
    assert "cloze-correct" not in html and "cloze-incorrect" not in html


def test_the_right_answer_scores_full_marks(course):
    data = question_to_dict(make_question(course=course, data=CLOZE))
    right = grading.correct_response(data)
    assert right == {"1": "Lima", "2": "a", "3": "3400.0"}
    result = grading.grade(data, right)
    assert result.fraction == 1.0
    assert get("cloze").parts(data) == ["1", "2", "3"]


def test_gift_refuses_a_cloze_question_by_name(course):
    data = question_to_dict(make_question(course=course, data=CLOZE))
    with pytest.raises(ValueError, match="GIFT has no embedded answers.*Peru in gaps"):
        write_gift([data])


def test_moodle_xml_writes_type_cloze_with_the_source_and_reads_it_back(course):
    data = question_to_dict(make_question(course=course, data=CLOZE))
    written = write_moodle_xml([data])
    assert '<question type="cloze">' in written
    [parsed] = parse_moodle_xml(written.encode()).questions
    assert parsed.question["type"] == "cloze"
    assert parsed.question["text"] == SOURCE
    assert parsed.question["gaps"] == data["gaps"]


MOODLE_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multianswer">
    <name><text>Simple multianswer</text></name>
    <questiontext format="html"><text><![CDATA[<p>The
{1:SHORTANSWER:Dog#Wrong, silly!~=Owl#Well done!~*#Wrong answer} and the
{1:MULTICHOICE:Bow-wow#Dog~=Pussy-cat#Well done!}</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>2</defaultgrade>
  </question>
  <question type="cloze">
    <name><text>Broken</text></name>
    <questiontext format="html"><text>{1:SHORTANSWER:Dog}</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_reads_multianswer_and_refuses_a_broken_cloze_by_line():
    from quizzes.moodle_xml import MoodleXmlError

    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(MOODLE_XML)
    [problem] = caught.value.errors
    assert str(problem) == (
        "line 13, <questiontext>: cloze question 'Broken', gap 1: SHORTANSWER "
        "(short answer): no answer is worth 100%; mark the right one with “=”"
    )
    good = MOODLE_XML.split(b'  <question type="cloze">')[0] + b"</quiz>"
    [parsed] = parse_moodle_xml(good).questions
    assert [gap["kind"] for gap in parsed.question["gaps"]] == ["shortanswer", "choice"]
    assert parsed.question["format"] == "html"


# --------------------------------------------------------- authoring, banks


def test_the_admin_saves_a_cloze_question_and_shows_gap_errors(admin_client, course):
    from django.urls import reverse

    from quizzes.models import Question
    from tests.admin.support import question_post

    url = reverse("admin:quizzes_question_add")
    broken = admin_client.post(
        url, question_post(course=course, type="cloze", text="Capital: {1:SA:Lima}")
    )
    assert broken.status_code == 200
    assert "no answer is worth 100%; mark the right one with" in text_of(
        broken.content.decode()
    )
    saved = admin_client.post(
        url, question_post(course=course, type="cloze", text=SOURCE)
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    question = Question.objects.get(key="q-admin")
    assert question.text == SOURCE
    assert question.answers.count() == 0


def test_a_regrade_takes_the_new_key_and_matches_options_by_text(course):
    from quizzes import regrading

    question = make_question(course=course, data=CLOZE)
    snapshot = question_to_dict(question, html=True)
    answer = {"1": "Callao", "2": "c", "3": "3400"}  # gap 2: "Arequipa"
    before = regrading.regrade(
        snapshot=snapshot, current=snapshot, answer=answer, max_mark=1.0
    )
    assert before.detail["parts"] == {"1": 0.0, "2": 0.0, "3": 1.0}
    # The teacher accepts Callao in gap 1, and reorders gap 2 making Arequipa right.
    question.text = SOURCE.replace("=Lima#LIMA-FEEDBACK", "=Lima~=Callao").replace(
        "=Callao#PORT-FEEDBACK~Cusco~Arequipa", "=Arequipa~Callao~Cusco"
    )
    question.save()
    current = question_to_dict(question, html=True)
    after = regrading.regrade(
        snapshot=snapshot, current=current, answer=answer, max_mark=1.0
    )
    assert after.detail["parts"] == {"1": 1.0, "2": 1.0, "3": 1.0}
    # What the student saw stays: the text and the option ids.
    assert after.snapshot["text"] == snapshot["text"]
    assert [o["text"] for o in after.snapshot["gaps"][1]["options"]] == [
        "Callao",
        "Cusco",
        "Arequipa",
    ]


def test_a_regrade_refuses_gaps_that_changed_kind(course):
    from quizzes import regrading

    question = make_question(course=course, data=CLOZE)
    snapshot = question_to_dict(question, html=True)
    question.text = "Only {1:NUMERICAL:=1}."
    question.save()
    with pytest.raises(regrading.Incompatible):
        regrading.regrade(
            snapshot=snapshot,
            current=question_to_dict(question, html=True),
            answer={"1": "Lima"},
            max_mark=1.0,
        )


def test_a_gift_export_skips_a_cloze_question_naming_it(course):
    from quizzes import banks

    cloze = make_question(course=course, data=CLOZE)
    exported = banks.gift_export([cloze])
    assert exported.text.strip() == ""
    [(question, reason)] = exported.skipped
    assert question == cloze
    assert reason.startswith("GIFT has no embedded answers: the cloze question “Peru")


def test_a_moodle_xml_bank_with_cloze_imports_and_exports_the_same(course):
    from quizzes import bank_formats
    from quizzes.models import Question

    good = MOODLE_XML.split(b'  <question type="cloze">')[0] + b"</quiz>"
    bank_formats.bank_import(course=course, data=good, format_name="moodle-xml")
    question = Question.objects.get(course=course, type="cloze")
    assert question.title == "Simple multianswer"
    assert "{1:MULTICHOICE:Bow-wow#Dog~=Pussy-cat#Well done!}" in question.text
    exported = bank_formats.bank_export(course=course, format_name="moodle-xml")
    [parsed] = parse_moodle_xml(exported.text.encode()).questions
    assert parsed.question["text"] == question.text
    assert parsed.question["type"] == "cloze"


def test_moodle_xml_cloze_mark_is_the_sum_of_its_gap_weights_as_moodle_reads_it():
    # Moodle's importer sets the mark from the gaps, whatever <defaultgrade> says
    # (seen on the real cloze files of tests/corpus/banks, e.g. cloze/02).
    data = MOODLE_XML.replace(b"{1:MULTICHOICE:", b"{3:MULTICHOICE:")
    good = data.split(b'  <question type="cloze">')[0] + b"</quiz>"
    [parsed] = parse_moodle_xml(good).questions
    assert parsed.question["default_mark"] == 4.0
