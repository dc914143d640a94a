"""Questions are edited with their answers inline, and a question that would grade
wrongly is not saved: the form comes back naming the problem."""

import pytest
from django.urls import reverse

from quizzes.admin_forms import question_dict_from_forms
from quizzes.grading import validate_question
from quizzes.models import Answer, Question, QuestionType
from tests.admin.support import (
    SINGLE,
    answer_row,
    question_change_post,
    question_post,
)
from tests.factories import make_question

pytestmark = pytest.mark.django_db

ADD = reverse("admin:quizzes_question_add")


def _add(client, course, qtype, rows, **fields):
    return client.post(
        ADD, question_post(course=course, type=qtype, rows=rows, **fields)
    )


def _answer_errors(response) -> list[str]:
    formsets = response.context["inline_admin_formsets"]
    return list(formsets[0].formset.non_form_errors())


def _assert_refused(response, message: str) -> None:
    assert response.status_code == 200, "the form should have come back"
    assert any(message in error for error in _answer_errors(response)), _answer_errors(
        response
    )
    assert message in response.content.decode()
    assert not Question.objects.filter(key="q-admin").exists()
    assert not Answer.objects.filter(question__key="q-admin").exists()


# --------------------------------------------------------------------------
# Each rule, through the admin


@pytest.mark.parametrize(
    ("qtype", "rows", "message"),
    [
        pytest.param(
            QuestionType.SINGLE,
            [answer_row("A", 0.5), answer_row("B", 0)],
            "At least one option must be worth 100%.",
            id="single-none-right",
        ),
        pytest.param(
            QuestionType.SINGLE,
            [answer_row("A", 1)],
            "Add at least 2 options.",
            id="single-one-option",
        ),
        pytest.param(
            QuestionType.SINGLE,
            [answer_row("A", 1), answer_row("", 0, feedback="empty option")],
            "Option 2 has no text.",
            id="single-blank-option",
        ),
        pytest.param(
            QuestionType.MULTIPLE,
            [answer_row("A", 0.5), answer_row("B", 0.4), answer_row("C", -1)],
            "The positive option weights add up to 90%; they must add up to 100%.",
            id="multiple-weights-90",
        ),
        pytest.param(
            QuestionType.TRUEFALSE,
            [answer_row("True", 1)],
            "A true/false question needs exactly two answers, “True” and “False”.",
            id="truefalse-one-row",
        ),
        pytest.param(
            QuestionType.TRUEFALSE,
            [answer_row("True", 1), answer_row("False", 1)],
            "Exactly one of “True” and “False” must be worth 100% (grade 1).",
            id="truefalse-both-right",
        ),
        pytest.param(
            QuestionType.SHORTANSWER,
            [answer_row("Rosas", 0.5)],
            "At least one answer must be worth 100%.",
            id="shortanswer-no-full-answer",
        ),
        pytest.param(
            QuestionType.SHORTANSWER,
            [],
            "Add at least an answer.",
            id="shortanswer-no-answers",
        ),
        pytest.param(
            QuestionType.NUMERICAL,
            [answer_row(fraction=1, tolerance=0.5)],
            "Answer 1 needs a number.",
            id="numerical-no-number",
        ),
        pytest.param(
            QuestionType.NUMERICAL,
            [answer_row(fraction=1, number=10, number_max=5)],
            "Answer 1: the minimum is greater than the maximum.",
            id="numerical-range-backwards",
        ),
        pytest.param(
            QuestionType.NUMERICAL,
            [answer_row(fraction=1, number=1828, tolerance=-1)],
            "Answer 1: the tolerance must be a number of 0 or more.",
            id="numerical-negative-tolerance",
        ),
        pytest.param(
            QuestionType.MATCHING,
            [answer_row("Brazil", match_text="Rio")],
            "Add at least 2 pairs.",
            id="matching-one-pair",
        ),
        pytest.param(
            QuestionType.MATCHING,
            [
                answer_row("Brazil", match_text="Rio"),
                answer_row("Argentina", match_text="Buenos Aires"),
                answer_row("", match_text="Rio"),
            ],
            "The distractor “Rio” is also the answer of a pair.",
            id="matching-distractor-is-an-answer",
        ),
        pytest.param(
            QuestionType.MATCHING,
            [
                answer_row("Brazil", match_text="Rio"),
                answer_row("Argentina"),
            ],
            "Pair 2 has no answer.",
            id="matching-pair-without-answer",
        ),
        pytest.param(
            QuestionType.ORDERING,
            [answer_row("First")],
            "Add at least 2 items.",
            id="ordering-one-item",
        ),
        pytest.param(
            QuestionType.ESSAY,
            [answer_row("A model answer", 1)],
            "A question of type “Essay” takes no answers: delete the answer rows.",
            id="essay-with-rows",
        ),
        pytest.param(
            QuestionType.DESCRIPTION,
            [answer_row("x")],
            "A question of type “Description” takes no answers",
            id="description-with-rows",
        ),
    ],
)
def test_a_question_that_would_grade_wrongly_is_refused_naming_the_problem(
    instructor_client, course_a, qtype, rows, message
):
    response = _add(instructor_client, course_a, qtype, rows)

    _assert_refused(response, message)


def test_a_negative_default_mark_is_refused(instructor_client, course_a):
    response = _add(
        instructor_client,
        course_a,
        QuestionType.SINGLE,
        [answer_row("A", 1), answer_row("B", 0)],
        default_mark=-1,
    )

    _assert_refused(response, "The default mark must be a number of 0 or more.")


def test_every_problem_is_listed_at_once(instructor_client, course_a):
    response = _add(
        instructor_client,
        course_a,
        QuestionType.SINGLE,
        [answer_row("A", 0.5), answer_row("", 0.5)],
    )

    errors = _answer_errors(response)
    assert "Option 2 has no text." in errors
    assert "At least one option must be worth 100%." in errors


@pytest.mark.parametrize(
    ("qtype", "rows"),
    [
        (QuestionType.SINGLE, [answer_row("A", 1), answer_row("B", -0.5)]),
        (
            QuestionType.MULTIPLE,
            [answer_row("A", 0.5), answer_row("B", 0.5), answer_row("C", -1)],
        ),
        (QuestionType.TRUEFALSE, [answer_row("True", 0), answer_row("False", 1)]),
        (QuestionType.SHORTANSWER, [answer_row("Rosas", 1), answer_row("Ros*", 0.5)]),
        (
            QuestionType.NUMERICAL,
            [
                answer_row(fraction=1, number=1828, tolerance=0),
                answer_row(fraction=0.5, number=1820, number_max=1830),
            ],
        ),
        (
            QuestionType.MATCHING,
            [
                answer_row("Brazil", match_text="Rio"),
                answer_row("Argentina", match_text="Buenos Aires"),
                answer_row("", match_text="Lima"),
            ],
        ),
        (QuestionType.ORDERING, [answer_row("First"), answer_row("Second")]),
        (QuestionType.ESSAY, []),
        (QuestionType.DESCRIPTION, []),
    ],
)
def test_a_sound_question_of_each_type_is_saved_with_its_answers(
    instructor_client, course_a, qtype, rows
):
    response = _add(instructor_client, course_a, qtype, rows)

    assert response.status_code == 302, _answer_errors(response)
    question = Question.objects.get(key="q-admin")
    assert question.type == qtype
    assert question.answers.count() == len(rows)


def test_empty_extra_rows_of_a_new_question_are_ignored(instructor_client, course_a):
    rows = [answer_row("A", 1), answer_row("B", 0), answer_row(), answer_row()]

    response = _add(instructor_client, course_a, QuestionType.SINGLE, rows)

    assert response.status_code == 302
    assert Question.objects.get(key="q-admin").answers.count() == 2


def test_deleted_rows_do_not_count(instructor_client, course_a):
    question = make_question(course=course_a, data={**SINGLE, "key": "q-admin"})
    data = question_change_post(question)
    data["answers-0-DELETE"] = "on"  # the only right option

    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]), data
    )

    assert response.status_code == 200
    assert "At least one option must be worth 100%." in _answer_errors(response)
    assert question.answers.count() == 3


def test_an_edit_that_breaks_a_question_changes_nothing(instructor_client, course_a):
    question = make_question(course=course_a, data={**SINGLE, "key": "q-admin"})
    data = question_change_post(question, text="Changed text")
    data["answers-0-fraction"] = 0

    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]), data
    )

    assert response.status_code == 200
    assert "At least one option must be worth 100%." in _answer_errors(response)
    question.refresh_from_db()
    assert question.text == SINGLE["text"]
    assert sorted(question.answers.values_list("fraction", flat=True)) == [0, 0, 1]


def test_changing_the_type_is_checked_against_the_answers(instructor_client, course_a):
    question = make_question(course=course_a, data={**SINGLE, "key": "q-admin"})

    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]),
        question_change_post(question, type=QuestionType.ESSAY),
    )

    assert response.status_code == 200
    assert Question.objects.get(pk=question.pk).type == QuestionType.SINGLE


def test_a_blank_question_text_is_reported_once_by_the_form(
    instructor_client, course_a
):
    response = _add(
        instructor_client,
        course_a,
        QuestionType.SINGLE,
        [answer_row("A", 1), answer_row("B", 0)],
        text="",
    )

    assert response.status_code == 200
    assert "text" in response.context["adminform"].form.errors
    assert "Write the question text." not in _answer_errors(response)


def test_the_question_form_explains_the_answers_for_each_type(
    instructor_client, course_a
):
    page = instructor_client.get(ADD).content.decode()

    assert 'class="question-type-help"' in page
    for value in QuestionType.values:
        assert f'data-question-type="{value}"' in page
    assert "js/question-type-help.js" in page
    assert 'name="answers-3-text"' in page  # four rows ready to fill in


# --------------------------------------------------------------------------
# The dict built from the form is the dict grading would use


def test_the_dict_from_form_rows_matches_the_saved_questions(course_a):
    question = make_question(course=course_a, data=SINGLE)
    rows = [
        {
            "text": a.text,
            "fraction": a.fraction,
            "feedback": a.feedback,
            "match_text": "",
            "number": None,
            "tolerance": None,
            "number_max": None,
        }
        for a in question.answers.order_by("position")
    ]

    built = question_dict_from_forms(question, rows)

    assert [o["text"] for o in built["options"]] == [
        o["text"] for o in SINGLE["options"]
    ]
    assert [o["id"] for o in built["options"]] == ["row-1", "row-2", "row-3"]
    assert validate_question(built) == []
