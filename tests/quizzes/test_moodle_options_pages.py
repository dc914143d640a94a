"""Where students see Moodle's question options: combined feedback in the review
(by the response's fraction, only when the review policy shows feedback), answer
numbering on the attempt page and in the review, and a choice question that
keeps its options' order in a quiz that shuffles them."""

import re

import pytest

from quizzes import services
from quizzes.review import ITEMS
from tests.factories import make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import (
    attempt_url,
    result_url,
    right_option_id,
    submit_url,
    text_of,
)

pytestmark = pytest.mark.django_db

EVERYTHING = {moment: list(ITEMS) for moment in ("immediately", "open", "closed")}
COMBINED = {
    "correct_feedback": "COMBINED-RIGHT",
    "partially_correct_feedback": "COMBINED-PARTLY",
    "incorrect_feedback": "COMBINED-WRONG",
}


def answered(client, quiz, student, *choices: str) -> str:
    """The review page after choosing the options with these texts."""
    attempt = services.attempt_start(quiz=quiz, user=student)
    response = attempt.responses.get()
    value = [right_option_id(response, text) for text in choices]
    post = {"page": "1", "action": "save", "q0": value}
    if response.snapshot["type"] == "multiple":
        post["q0-present"] = "1"
    client.post(attempt_url(attempt), post)
    client.post(submit_url(attempt))
    return text_of(client.get(result_url(attempt)).content.decode())


@pytest.mark.parametrize(
    ("choices", "shown"),
    [
        (["Chile", "Bolivia"], "COMBINED-RIGHT"),
        (["Chile"], "COMBINED-PARTLY"),
        (["Uruguay"], "COMBINED-WRONG"),
    ],
)
def test_combined_feedback_follows_the_responses_fraction(
    enrolled_client, course, student, choices, shown
):
    quiz = make_quiz(
        course=course,
        review_options=EVERYTHING,
        questions=[sample("multiple", **COMBINED)],
    )
    text = answered(enrolled_client, quiz, student, *choices)
    assert shown in text
    assert [m for m in COMBINED.values() if m in text] == [shown]
    # Beside the general feedback.
    assert text.index(shown) < text.index("GENERAL-MARKER-MULTIPLE")


def test_combined_feedback_shows_only_when_the_policy_shows_feedback(
    enrolled_client, course, student
):
    options = {m: [i for i in ITEMS if i != "specific_feedback"] for m in EVERYTHING}
    quiz = make_quiz(
        course=course,
        review_options=options,
        questions=[sample("single", **COMBINED)],
    )
    text = answered(enrolled_client, quiz, student, "Lima")
    assert "COMBINED-" not in text
    assert "GENERAL-MARKER-SINGLE" in text


def option_labels(html: str) -> list[str]:
    return re.findall(r'<span class="option-number[^"]*">([^<]*)</span>', html)


@pytest.mark.parametrize(
    ("numbering", "labels"),
    [
        ("abc", ["a.", "b.", "c."]),
        ("ABCD", ["A.", "B.", "C."]),
        ("123", ["1.", "2.", "3."]),
        ("iii", ["i.", "ii.", "iii."]),
        ("IIII", ["I.", "II.", "III."]),
        ("none", []),
    ],
)
def test_answer_numbering_labels_the_options_on_the_attempt_page(
    enrolled_client, course, student, numbering, labels
):
    quiz = make_quiz(
        course=course,
        shuffle_options=True,
        questions=[sample("single", answer_numbering=numbering)],
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    html = enrolled_client.get(attempt_url(attempt)).content.decode()
    assert option_labels(html) == labels


def test_the_review_labels_the_chosen_option_as_the_attempt_page_did(
    enrolled_client, course, student
):
    quiz = make_quiz(
        course=course,
        shuffle_options=False,
        review_options=EVERYTHING,
        questions=[sample("single", answer_numbering="ABCD")],
    )
    text = answered(enrolled_client, quiz, student, "Lima")
    assert "Your answer B. Lima" in text
    assert "Right answer B. Lima" in text


def test_a_question_that_does_not_shuffle_keeps_its_order_in_a_shuffling_quiz(
    course, student
):
    letters = [chr(ord("A") + n) for n in range(8)]
    question = {
        "type": "single",
        "text": "Pick the first letter",
        "shuffle_answers": False,
        "options": [
            {"id": x, "text": f"Letter {x}", "fraction": float(x == "A")}
            for x in letters
        ],
    }
    quiz = make_quiz(course=course, shuffle_options=True, questions=[question])
    for n in range(4):
        user = type(student).objects.create(username=f"s{n}")
        attempt = services.attempt_start(quiz=quiz, user=user)
        shown = [o["text"] for o in attempt.responses.get().snapshot["options"]]
        assert shown == [f"Letter {x}" for x in letters]
