"""Shuffled options and questions are fixed per attempt; drawing N questions from a
pool or from the whole bank gives N distinct ones."""

import re

import pytest

from quizzes import services
from quizzes.models import Question
from tests.factories import UserFactory, make_question, make_quiz
from tests.quizzes.samples import sample, single
from tests.quizzes.support import attempt_url

pytestmark = pytest.mark.django_db

LETTERS = [chr(ord("A") + n) for n in range(8)]


def eight_options() -> dict:
    return {
        "type": "single",
        "text": "Pick the first letter",
        "options": [
            {"id": letter, "text": f"Letter {letter}", "fraction": float(n == 0)}
            for n, letter in enumerate(LETTERS)
        ],
    }


def shown_letters(html: str) -> list[str]:
    return re.findall(r">Letter ([A-H])</label>", html)


def option_texts(attempt) -> list[str]:
    return [o["text"] for o in attempt.responses.get().snapshot["options"]]


def question_texts(attempt) -> list[str]:
    return [r.snapshot["text"] for r in attempt.responses.order_by("position")]


def attempts_for(quiz, count: int) -> list:
    return [
        services.attempt_start(quiz=quiz, user=UserFactory(username=f"s{n}"))
        for n in range(count)
    ]


def test_without_shuffling_options_keep_their_authored_order(course, student):
    quiz = make_quiz(course=course, shuffle_options=False, questions=[eight_options()])

    attempt = services.attempt_start(quiz=quiz, user=student)

    assert option_texts(attempt) == [f"Letter {letter}" for letter in LETTERS]


def test_shuffled_options_differ_between_attempts(course):
    quiz = make_quiz(course=course, shuffle_options=True, questions=[eight_options()])

    orders = {tuple(option_texts(a)) for a in attempts_for(quiz, 6)}

    # Six attempts all in the same one of 8! orders would be a broken shuffle.
    assert len(orders) > 1
    assert all(sorted(order) == [f"Letter {x}" for x in LETTERS] for order in orders)


def test_shuffled_options_stay_in_the_same_order_on_reload(
    enrolled_client, course, student
):
    quiz = make_quiz(course=course, shuffle_options=True, questions=[eight_options()])
    attempt = services.attempt_start(quiz=quiz, user=student)

    first = shown_letters(enrolled_client.get(attempt_url(attempt)).content.decode())
    again = shown_letters(enrolled_client.get(attempt_url(attempt)).content.decode())
    resumed = services.attempt_start(quiz=quiz, user=student)

    assert sorted(first) == LETTERS
    assert first == again
    assert [f"Letter {letter}" for letter in first] == option_texts(resumed)


def test_matching_prompts_are_not_shuffled(course, student):
    quiz = make_quiz(
        course=course, shuffle_options=True, questions=[sample("matching")]
    )

    attempt = services.attempt_start(quiz=quiz, user=student)

    snapshot = attempt.responses.get().snapshot
    assert [p["prompt"] for p in snapshot["pairs"]] == [
        "Peru",
        "Chile",
        "Brazil",
        "Bolivia",
    ]


def test_shuffled_questions_differ_between_attempts_and_keep_their_order(course):
    texts = [f"Question {n}" for n in range(8)]
    quiz = make_quiz(
        course=course,
        shuffle_questions=True,
        questions=[single(text) for text in texts],
    )

    attempts = attempts_for(quiz, 6)

    orders = {tuple(question_texts(a)) for a in attempts}
    assert len(orders) > 1
    for attempt in attempts:
        assert sorted(question_texts(attempt)) == sorted(texts)
        assert [r.position for r in attempt.responses.order_by("position")] == list(
            range(8)
        )


def test_shuffled_questions_keep_their_order_when_the_student_resumes(
    enrolled_client, course, student
):
    quiz = make_quiz(
        course=course,
        shuffle_questions=True,
        questions_per_page=0,
        questions=[single(f"Question text {n}") for n in range(8)],
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    first = re.findall(
        r"Question text \d", enrolled_client.get(attempt_url(attempt)).content.decode()
    )

    resumed = services.attempt_start(quiz=quiz, user=student)
    again = re.findall(
        r"Question text \d", enrolled_client.get(attempt_url(resumed)).content.decode()
    )

    assert first == again == question_texts(attempt)


def test_without_shuffling_questions_keep_the_quiz_order(course, student):
    texts = [f"Question {n}" for n in range(8)]
    quiz = make_quiz(course=course, questions=[single(text) for text in texts])

    assert question_texts(services.attempt_start(quiz=quiz, user=student)) == texts


def test_drawing_from_the_pool_asks_n_distinct_questions(course):
    texts = [f"Pool question {n}" for n in range(10)]
    quiz = make_quiz(
        course=course, draw_count=4, questions=[single(text) for text in texts]
    )

    for attempt in attempts_for(quiz, 5):
        asked = question_texts(attempt)
        assert len(asked) == len(set(asked)) == 4
        assert set(asked) <= set(texts)
        assert attempt.max_score == 4


def test_drawing_more_than_the_pool_asks_the_whole_pool(course, student):
    quiz = make_quiz(
        course=course, draw_count=10, questions=[single(f"Q{n}") for n in range(3)]
    )

    asked = question_texts(services.attempt_start(quiz=quiz, user=student))

    assert asked == ["Q0", "Q1", "Q2"]


def test_drawn_questions_differ_between_attempts(course):
    quiz = make_quiz(
        course=course, draw_count=3, questions=[single(f"Q{n}") for n in range(12)]
    )

    drawn = {frozenset(question_texts(a)) for a in attempts_for(quiz, 6)}

    assert len(drawn) > 1


def test_drawing_from_the_bank_asks_n_distinct_published_questions(course):
    for n in range(12):
        make_question(course=course, data=single(f"Bank question {n}"))
    make_question(course=course, data=single("Draft question"), is_published=False)
    make_question(course=course, data=sample("description"))
    quiz = make_quiz(course=course, draw_from_bank=True, draw_count=5)

    for attempt in attempts_for(quiz, 5):
        asked = question_texts(attempt)
        assert len(asked) == len(set(asked)) == 5
        assert all(text.startswith("Bank question") for text in asked)


def test_the_bank_of_another_course_is_never_drawn(course, student):
    from tests.factories import CourseFactory

    other = CourseFactory()
    make_question(course=other, data=single("Elsewhere"))
    make_question(course=course, data=single("Here"))
    quiz = make_quiz(course=course, draw_from_bank=True, draw_count=5)

    assert question_texts(services.attempt_start(quiz=quiz, user=student)) == ["Here"]


def test_a_drawn_attempt_reloads_the_same_questions(enrolled_client, course, student):
    for n in range(10):
        make_question(course=course, data=single(f"Bank question {n}"))
    quiz = make_quiz(course=course, draw_from_bank=True, draw_count=3)
    attempt = services.attempt_start(quiz=quiz, user=student)

    first = re.findall(
        r"Bank question \d", enrolled_client.get(attempt_url(attempt)).content.decode()
    )
    again = re.findall(
        r"Bank question \d", enrolled_client.get(attempt_url(attempt)).content.decode()
    )

    assert len(first) == 3
    assert first == again
    assert Question.objects.filter(course=course).count() == 10
