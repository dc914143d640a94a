"""quizzes.snapshots: stored questions (Question + Answer rows) <-> question dicts.

Every type survives the round trip: the dict built from the rows validates, and
its right answer scores full marks.
"""

import pytest

from lessons.rendering import render_markdown
from quizzes import grading
from quizzes.services import question_bank_import
from quizzes.snapshots import answers_from_dict, question_to_dict
from tests.factories import CourseFactory, make_question
from tests.quizzes.samples import ALL_TYPES, sample

pytestmark = pytest.mark.django_db

AUTO_GRADED = sorted(grading.AUTO_GRADED_TYPES)


def answer_values(rows) -> list[tuple]:
    return [
        (r.position, r.text, r.match_text, r.fraction, r.feedback, r.number,
         r.tolerance, r.number_max)
        for r in sorted(rows, key=lambda r: r.position)
    ]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(ALL_TYPES))
def test_a_stored_question_of_every_type_validates(kind):
    question = make_question(course=CourseFactory(), data=sample(kind))

    assert grading.validate_question(question_to_dict(question)) == []


@pytest.mark.parametrize("kind", AUTO_GRADED)
def test_the_right_answer_of_a_stored_question_scores_full_marks(kind):
    data = question_to_dict(make_question(course=CourseFactory(), data=sample(kind)))

    result = grading.grade(data, grading.correct_response(data))

    assert result.fraction == 1
    assert not result.needs_manual


@pytest.mark.parametrize("kind", sorted(ALL_TYPES))
def test_rows_built_back_from_the_dict_equal_the_stored_rows(kind):
    question = make_question(course=CourseFactory(), data=sample(kind))

    rebuilt = answers_from_dict(question_to_dict(question))

    assert answer_values(rebuilt) == answer_values(question.answers.all())


@pytest.mark.parametrize("kind", sorted(ALL_TYPES))
def test_question_dict_keeps_the_authored_content(kind):
    original = sample(kind)
    data = question_to_dict(make_question(course=CourseFactory(), data=original))

    for key in ("type", "title", "text", "general_feedback"):
        assert data[key] == original[key]
    if kind in ("single", "multiple"):
        assert [(o["text"], o["fraction"], o["feedback"]) for o in data["options"]] == [
            (o["text"], o["fraction"], o["feedback"]) for o in original["options"]
        ]
    elif kind == "truefalse":
        assert (data["correct"], data["feedback_true"], data["feedback_false"]) == (
            original["correct"],
            original["feedback_true"],
            original["feedback_false"],
        )
    elif kind == "shortanswer":
        assert data["answers"] == original["answers"]
        assert data["case_sensitive"] == original["case_sensitive"]
    elif kind == "numerical":
        assert data["answers"] == original["answers"]
    elif kind == "matching":
        assert [(p["prompt"], p["answer"]) for p in data["pairs"]] == [
            (p["prompt"], p["answer"]) for p in original["pairs"]
        ]
        assert data["distractors"] == original["distractors"]
    elif kind == "ordering":
        assert [i["text"] for i in data["items"]] == [
            i["text"] for i in original["items"]
        ]
    elif kind == "essay":
        assert data["max_length"] == original["max_length"]
        assert data["response_template"] == original["response_template"]


def test_a_false_statement_round_trips_as_false():
    data = question_to_dict(
        make_question(course=CourseFactory(), data=sample("truefalse", correct=False))
    )

    assert data["correct"] is False
    assert grading.grade(data, False).fraction == 1
    assert grading.grade(data, True).fraction == 0


def test_ids_are_unique_within_a_question_and_stable_between_calls():
    question = make_question(course=CourseFactory(), data=sample("matching"))

    first, second = question_to_dict(question), question_to_dict(question)

    ids = [p["id"] for p in first["pairs"]]
    assert len(set(ids)) == len(ids)
    assert ids == [p["id"] for p in second["pairs"]]


def test_html_snapshot_carries_sanitised_renderings():
    question = make_question(
        course=CourseFactory(),
        data=sample(
            "single",
            text="Pick *one* <script>alert(1)</script>",
            general_feedback="See **the lesson**",
        ),
    )

    data = question_to_dict(question, html=True)

    assert data["text_html"] == render_markdown(question.text)
    assert "<script>" not in data["text_html"]
    assert "<strong>the lesson</strong>" in data["general_feedback_html"]


@pytest.mark.parametrize("kind", sorted(ALL_TYPES))
def test_every_type_survives_a_bank_import(kind):
    course = CourseFactory()
    bank = {
        "quizzes": [
            {"slug": "all", "title": "All", "questions": [sample(kind, key="k1")]}
        ]
    }

    question_bank_import(course=course, data=bank)

    data = question_to_dict(course.questions.get(key="k1"))
    assert grading.validate_question(data) == []
    right = grading.correct_response(data)
    if right is not None:
        assert grading.grade(data, right).fraction == 1
