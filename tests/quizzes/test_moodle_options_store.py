"""Moodle's question options in the bank: stored, carried by the question dict
(only when they differ from their defaults), by the JSON bank format and by
GIFT (the ID number only), and kept by a GIFT re-import, which cannot say them."""

import pytest

from quizzes.banks import bank_export_json, bank_import_json, gift_export, gift_import
from quizzes.models import Question
from quizzes.services import BankError
from quizzes.snapshots import question_to_dict
from tests.factories import CourseFactory, make_course, make_question
from tests.quizzes.samples import sample

pytestmark = pytest.mark.django_db

OPTIONS = {
    "idnumber": "PERU-01",
    "penalty": 0.1,
    "hints": [
        {"text": "Think of the coast", "show_num_correct": True, "clear_wrong": False}
    ],
    "correct_feedback": "Well done.",
    "partially_correct_feedback": "Nearly.",
    "incorrect_feedback": "Read the lesson again.",
    "show_num_correct": True,
    "shuffle_answers": False,
    "answer_numbering": "iii",
}


def test_the_question_dict_carries_the_options_that_differ_from_their_defaults():
    question = make_question(course=CourseFactory(), data=sample("single", **OPTIONS))
    data = question_to_dict(question)
    assert {name: data[name] for name in OPTIONS} == OPTIONS


def test_an_old_question_dict_has_none_of_them():
    data = question_to_dict(
        make_question(course=CourseFactory(), data=sample("single"))
    )
    assert not set(OPTIONS) & set(data)


def test_a_type_keeps_only_the_options_it_takes():
    data = question_to_dict(
        make_question(
            course=CourseFactory(),
            data=sample("shortanswer", penalty=0.5, idnumber="S1"),
        )
    )
    assert (data["penalty"], data["idnumber"]) == (0.5, "S1")
    assert "shuffle_answers" not in data


def test_the_json_bank_carries_them_and_an_old_file_means_the_defaults():
    source = make_course(slug="src")
    make_question(course=source, data=sample("single", key="peru", **OPTIONS))
    make_question(course=source, data=sample("matching", key="pairs"))
    exported = bank_export_json(source)
    copy = make_course(slug="copy")
    bank_import_json(course=copy, data=exported)
    peru = Question.objects.get(course=copy, key="peru")
    assert {name: getattr(peru, name) for name in OPTIONS} == OPTIONS
    pairs = Question.objects.get(course=copy, key="pairs")
    assert (pairs.penalty, pairs.shuffle_answers, pairs.hints) == (0.3333333, True, [])
    again = bank_import_json(course=copy, data=exported)
    assert again.questions_created == again.questions_updated == 0


def test_a_json_bank_with_a_wrong_option_is_refused_naming_it():
    course = make_course(slug="bad")
    bad = sample("single", key="peru", answer_numbering="xyz")
    with pytest.raises(BankError, match="answer_numbering"):
        bank_import_json(course=course, data={"questions": [bad]})
    essay = sample("essay", key="essay", correct_feedback="Well done")
    with pytest.raises(BankError, match="correct_feedback"):
        bank_import_json(course=course, data={"questions": [essay]})


def test_a_gift_reimport_keeps_them_and_reads_the_id_number():
    course = make_course(slug="gift")
    text = "// [id:PERU-01]\n::Capital::Capital of Peru? {=Lima ~Quito}\n"
    gift_import(course=course, text=text)
    question = Question.objects.get(course=course)
    assert question.idnumber == "PERU-01"
    Question.objects.filter(pk=question.pk).update(
        penalty=0.1, hints=OPTIONS["hints"], correct_feedback="Well done."
    )
    report = gift_import(course=course, text=text)
    assert [q.pk for q in report.unchanged] == [question.pk]
    question.refresh_from_db()
    assert (question.penalty, question.hints, question.correct_feedback) == (
        0.1,
        OPTIONS["hints"],
        "Well done.",
    )


def test_the_gift_export_writes_the_id_number():
    question = make_question(
        course=CourseFactory(), data=sample("single", idnumber="PERU-01")
    )
    question = Question.objects.prefetch_related("answers").get(pk=question.pk)
    assert "// [id:PERU-01]" in gift_export([question]).text
