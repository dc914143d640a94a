"""The review: option feedback beside the option it answers, coloured by that
option's worth (never a grey "Correct." under an incorrect question), and right
answers that print alike listed once ("Peru / Peru")."""

import re

import pytest

from quizzes import presenting, services
from quizzes import types as question_types
from tests.factories import make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import attempt_url, result_url, right_option_id

pytestmark = pytest.mark.django_db


def _boxes(html: str) -> list[tuple[str, str]]:
    """(alert class, text) of each feedback box of the review."""
    return [
        (kind, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for kind, text in re.findall(
            r'<div class="alert alert-(\w+)[^"]*" data-feedback-tone="\w+">(.*?)</div>',
            html,
            re.S,
        )
    ]


def _answer_and_review(client, student, course, question, post):
    quiz = make_quiz(course=course, questions=[question])
    attempt = services.attempt_start(quiz=quiz, user=student)
    client.post(attempt_url(attempt), {"page": "1", **post(attempt)})
    services.attempt_submit(attempt=attempt)
    return attempt, client.get(result_url(attempt)).content.decode()


def test_a_right_option_chosen_beside_a_wrong_one_is_not_a_grey_correct_box(
    enrolled_client, student, course
):
    def post(attempt):
        response = attempt.responses.get()
        return {
            "q0-present": "1",
            "q0": [
                presenting.option_token(response.pk, right_option_id(response, text))
                for text in ("Chile", "Uruguay")
            ],
        }

    attempt, html = _answer_and_review(
        enrolled_client, student, course, sample("multiple"), post
    )

    assert attempt.responses.get().fraction == 0  # 0.5 - 1, clamped: incorrect
    boxes = _boxes(html)
    assert ("success", "Chile: FEEDBACK-MARKER-4") in boxes
    assert ("danger", "Uruguay: FEEDBACK-MARKER-6") in boxes
    assert not [box for box in boxes if box[0] == "secondary"]


def test_an_answer_s_feedback_takes_the_colour_of_the_question_s_result(
    enrolled_client, student, course
):
    attempt, html = _answer_and_review(
        enrolled_client,
        student,
        course,
        sample("truefalse"),
        lambda attempt: {"q0": "false"},
    )

    assert _boxes(html) == [("danger", "FEEDBACK-MARKER-8")]


def test_general_feedback_is_labelled_as_such(enrolled_client, student, course):
    _attempt, html = _answer_and_review(
        enrolled_client,
        student,
        course,
        sample("truefalse"),
        lambda attempt: {"q0": "true"},
    )

    assert re.search(r"General feedback.{0,200}GENERAL-MARKER-TRUEFALSE", html, re.S)


def test_short_answers_that_print_alike_are_listed_once():
    question = sample(
        "shortanswer",
        answers=[
            {"text": "Peru", "fraction": 1.0},
            {"text": "Peru*", "fraction": 1.0},
            {"text": "peru", "fraction": 1.0},
            {"text": "Lima", "fraction": 1.0},
            {"text": "Perú", "fraction": 0.5},
        ],
    )

    lines = question_types.get("shortanswer").describe_right_answer(question)

    assert lines == ["Peru", "Lima"]


def test_case_sensitive_short_answers_differing_in_case_are_both_listed():
    question = sample(
        "shortanswer",
        case_sensitive=True,
        answers=[{"text": "Peru", "fraction": 1.0}, {"text": "PERU", "fraction": 1.0}],
    )

    lines = question_types.get("shortanswer").describe_right_answer(question)

    assert lines == ["Peru", "PERU"]


def test_numerical_answers_that_print_alike_are_listed_once():
    question = sample(
        "numerical",
        answers=[
            {"value": 1500.0, "tolerance": 0.0, "fraction": 1.0},
            {"value": 1500.0, "tolerance": 0.0, "fraction": 1.0},
            {"value": 1500.0, "tolerance": 2.0, "fraction": 1.0},
        ],
    )

    lines = question_types.get("numerical").describe_right_answer(question)

    assert lines == ["1500", "1500 ± 2"]
