"""The question editor shows Moodle's question options in a collapsed "Moodle
options" fieldset (combined feedback only for the types that have it), saves
them, and refuses what cannot be stored."""

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionType
from tests.admin.support import answer_row, question_change_post, question_post
from tests.factories import make_question
from tests.quizzes.samples import sample

pytestmark = pytest.mark.django_db

ADD = reverse("admin:quizzes_question_add")
CHOICE_ROWS = [answer_row("Lima", 1), answer_row("Quito", 0)]


def change_url(question) -> str:
    return reverse("admin:quizzes_question_change", args=[question.pk])


def fieldset(html: str) -> str:
    start = html.index("Moodle options")
    return html[html.rindex("<fieldset", 0, start) : html.index("</fieldset>", start)]


def test_the_options_are_in_a_collapsed_fieldset(instructor_client, course_a):
    question = make_question(course=course_a, data=sample("single", penalty=0.1))
    html = instructor_client.get(change_url(question)).content.decode()
    part = fieldset(html)
    assert "collapse" in part
    for name in (
        "idnumber",
        "penalty",
        "hints",
        "shuffle_answers",
        "answer_numbering",
        "correct_feedback",
        "partially_correct_feedback",
        "incorrect_feedback",
        "show_num_correct",
    ):
        assert f'name="{name}"' in part, name


def test_combined_feedback_is_shown_only_for_the_types_that_have_it(
    instructor_client, course_a
):
    essay = make_question(course=course_a, data=sample("essay"))
    html = instructor_client.get(change_url(essay)).content.decode()
    assert 'name="penalty"' in html
    assert 'name="correct_feedback"' not in html
    assert 'name="answer_numbering"' not in html


def test_the_options_are_saved(instructor_client, course_a):
    response = instructor_client.post(
        ADD,
        question_post(
            course=course_a,
            type=QuestionType.SINGLE,
            rows=CHOICE_ROWS,
            idnumber="PERU-01",
            penalty="0.1",
            hints='[{"text": "Think", "show_num_correct": true, "clear_wrong": false}]',
            correct_feedback="Well done.",
            shuffle_answers=False,
            answer_numbering="123",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(key="q-admin")
    assert (question.idnumber, question.penalty, question.answer_numbering) == (
        "PERU-01",
        0.1,
        "123",
    )
    assert question.hints == [
        {"text": "Think", "show_num_correct": True, "clear_wrong": False}
    ]
    assert (question.correct_feedback, question.shuffle_answers) == (
        "Well done.",
        False,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"penalty": "2"}, "&#x27;penalty&#x27; must be from 0 to 1"),
        ({"hints": '"Think"'}, "&#x27;hints&#x27; must be a list"),
    ],
)
def test_options_that_cannot_be_stored_are_refused(
    instructor_client, course_a, fields, message
):
    response = instructor_client.post(
        ADD,
        question_post(
            course=course_a, type=QuestionType.SINGLE, rows=CHOICE_ROWS, **fields
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.filter(key="q-admin").exists()


def test_combined_feedback_on_an_essay_is_refused(instructor_client, course_a):
    response = instructor_client.post(
        ADD,
        question_post(
            course=course_a, type=QuestionType.ESSAY, correct_feedback="Well done."
        ),
    )
    assert response.status_code == 200
    assert "correct_feedback" in response.content.decode()
    assert not Question.objects.filter(key="q-admin").exists()


def test_an_unchanged_question_keeps_its_options(instructor_client, course_a):
    question = make_question(
        course=course_a, data=sample("single", key="kept", penalty=0.1)
    )
    post = question_change_post(question)
    response = instructor_client.post(change_url(question), post)
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.penalty, question.version) == (0.1, 1)
