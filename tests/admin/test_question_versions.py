"""Editing a question students have answered starts a new version; past attempts
keep the version they answered, and the admin lists the versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import selectors
from quizzes.models import Question, QuestionVersion, Response
from quizzes.services import (
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    question_save_with_version,
)
from quizzes.snapshots import question_to_dict
from tests.admin.support import SINGLE, answer_row, question_change_post
from tests.factories import EnrollmentFactory, UserFactory, make_question, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(course_a):
    return make_question(course=course_a, data={**SINGLE, "key": "treaty"})


@pytest.fixture
def quiz(course_a, question):
    return make_quiz(course=course_a, questions=[question])


def _take(quiz, username="student"):
    student = UserFactory(username=username)
    EnrollmentFactory(user=student, course=quiz.course)
    attempt = attempt_start(quiz=quiz, user=student)
    first = attempt.responses.get().snapshot["options"][0]["id"]
    attempt_save_answers(attempt=attempt, answers={0: first})
    attempt_submit(attempt=attempt)
    return attempt


def _edit(client, question, **changes):
    question.refresh_from_db()
    return client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]),
        question_change_post(question, **changes),
    )


def test_editing_an_unanswered_question_changes_it_in_place(
    instructor_client, question, quiz
):
    response = _edit(instructor_client, question, text="Which treaty, exactly?")

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Which treaty, exactly?"
    assert question.version == 1
    assert not QuestionVersion.objects.exists()


def test_editing_an_answered_question_keeps_the_old_version(
    instructor_client, instructor, question, quiz
):
    attempt = _take(quiz)
    before = question_to_dict(question)

    response = _edit(instructor_client, question, text="Which treaty, exactly?")

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Which treaty, exactly?"
    assert question.version == 2
    kept = QuestionVersion.objects.get(question=question)
    assert kept.version == 1
    assert kept.data == before
    assert kept.created_by == instructor
    response_row = Response.objects.get(attempt=attempt)
    assert response_row.question_version == 1
    assert response_row.snapshot["text"] == SINGLE["text"]


def test_an_attempt_after_the_edit_answers_the_new_version(
    instructor_client, question, quiz
):
    _take(quiz, "first")
    _edit(instructor_client, question, text="Which treaty, exactly?")

    later = _take(quiz, "second")

    answered = later.responses.get()
    assert answered.question_version == 2
    assert answered.snapshot["text"] == "Which treaty, exactly?"


def test_changing_only_an_answer_of_an_answered_question_is_a_new_version(
    instructor_client, question, quiz
):
    _take(quiz)
    question.refresh_from_db()
    data = question_change_post(question)
    data["answers-1-feedback"] = "Madrid came earlier."

    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]), data
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 2
    old = QuestionVersion.objects.get(question=question).data
    assert old["options"][1]["feedback"] == ""


def test_adding_an_option_to_an_answered_question_is_a_new_version(
    instructor_client, question, quiz
):
    _take(quiz)
    question.refresh_from_db()
    data = question_change_post(question)
    data.update(
        {
            "answers-TOTAL_FORMS": 4,
            **{
                f"answers-3-{key}": value
                for key, value in answer_row("Lima", 0, position=3).items()
                if value is not None
            },
        }
    )

    response = instructor_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]), data
    )

    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).version == 2
    assert len(QuestionVersion.objects.get().data["options"]) == 3


def test_saving_an_answered_question_unchanged_keeps_its_version(
    instructor_client, question, quiz
):
    _take(quiz)

    response = _edit(instructor_client, question)

    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).version == 1
    assert not QuestionVersion.objects.exists()


def test_publishing_or_flagging_is_not_a_new_version(instructor_client, question, quiz):
    _take(quiz)

    _edit(instructor_client, question, is_published=False, needs_review="on")

    question.refresh_from_db()
    assert (question.is_published, question.needs_review) == (False, True)
    assert question.version == 1


def test_each_answered_edit_is_one_more_version(instructor_client, question, quiz):
    _take(quiz, "first")
    _edit(instructor_client, question, text="Second wording")
    _take(quiz, "second")
    _edit(instructor_client, question, text="Third wording")

    question.refresh_from_db()
    assert question.version == 3
    kept = dict(QuestionVersion.objects.values_list("version", "data__text"))
    assert kept == {1: SINGLE["text"], 2: "Second wording"}


def test_the_service_edits_unanswered_questions_in_place(question):
    question.text = "Edited"

    kept = question_save_with_version(question=question, save_changes=question.save)

    assert kept is None
    assert Question.objects.get(pk=question.pk).text == "Edited"
    assert Question.objects.get(pk=question.pk).version == 1


def test_the_admin_lists_versions_and_the_attempts_that_answered_each(
    instructor_client, question, quiz
):
    _take(quiz, "first")
    _edit(instructor_client, question, text="Second wording")
    _take(quiz, "second")

    page = instructor_client.get(
        reverse("admin:quizzes_question_change", args=[question.pk])
    ).content.decode()

    assert 'data-testid="question-versions"' in page
    assert "v2 (current)" in page
    assert "v1" in page
    assert "first · #1" in page
    assert "second · #1" in page
    assert SINGLE["text"] in page  # the old version's data


def test_the_version_history_takes_three_queries_however_long(question, quiz):
    for n in range(3):
        _take(quiz, f"s{n}")
        question.refresh_from_db()
        question.text = f"Wording {n}"
        question_save_with_version(question=question, save_changes=question.save)
    question.refresh_from_db()

    with CaptureQueriesContext(connection) as queries:
        rows = selectors.question_version_history(question=question)

    assert [row.version for row in rows] == [4, 3, 2, 1]
    assert [row.attempt_count for row in rows] == [0, 1, 1, 1]
    assert len(queries) == 3
