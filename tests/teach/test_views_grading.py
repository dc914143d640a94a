"""Grading pages: the queue and its filters, grading one answer with "Save and
next" through the filtered queue, overrides, review requests, the attempt page
with its audit trail; tampered posts are refused and change nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import AttemptState, GradeChange, Response
from tests.helpers import unlabelled_form_fields
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def essays(course, enrolled):
    """Three students' essays waiting, in the order they submitted."""
    quiz = make_quiz(course, questions=(SINGLE, ESSAY))
    attempts = []
    for student in enrolled("ana", "bo", "cy"):
        attempts.append(take(quiz, student, {"capital": "Lima", "essay": "Words"}))
    return quiz, attempts


def _essay(attempt) -> Response:
    return attempt.responses.get(snapshot__type="essay")


def _grade_url(response, **query):
    url = reverse("teach:response-grade", args=[response.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_the_queue_lists_every_essay_waiting(teacher_client, essays):
    page = teacher_client.get(reverse("teach:queue")).content.decode()
    assert "3 answers waiting" in page
    for name in ("ana", "bo", "cy"):
        assert f">{name}<" in page


def test_the_queue_filters_by_student_and_question(teacher_client, course, essays):
    quiz, attempts = essays
    bo = attempts[1].user
    page = teacher_client.get(reverse("teach:queue"), {"student": bo.pk}).content
    assert "1 answer waiting" in page.decode()
    essay_question = question(course, "check", "essay")
    page = teacher_client.get(reverse("teach:queue"), {"question": essay_question.pk})
    assert "3 answers waiting" in page.content.decode()


def test_save_and_next_goes_through_one_question_across_students(
    teacher_client, course, essays
):
    _quiz, attempts = essays
    essay_question = question(course, "check", "essay")
    first = _essay(attempts[0])

    response = teacher_client.post(
        _grade_url(first, question=essay_question.pk),
        {"score": "3", "feedback": "Good", "action": "next"},
    )

    assert response.status_code == 302
    assert response["Location"] == _grade_url(
        _essay(attempts[1]), question=essay_question.pk
    )
    first.refresh_from_db()
    assert (first.score, first.grader_comment, first.needs_manual) == (3, "Good", False)
    attempts[0].refresh_from_db()
    assert attempts[0].state == AttemptState.GRADED


def test_the_last_save_and_next_returns_to_the_queue(teacher_client, essays):
    _quiz, attempts = essays
    for attempt in attempts:
        response = teacher_client.post(
            _grade_url(_essay(attempt)), {"score": "1", "action": "next"}
        )
    assert response["Location"] == reverse("teach:queue")
    page = teacher_client.get(reverse("teach:queue")).content.decode()
    assert 'data-testid="queue-empty"' in page


def test_skip_leads_past_the_current_answer(teacher_client, essays):
    _quiz, attempts = essays
    page = teacher_client.get(_grade_url(_essay(attempts[0]))).content.decode()
    skip = re.search(r'href="([^"]+)">Skip<', page)[1]
    assert skip == _grade_url(_essay(attempts[1]))


def test_grading_a_whole_attempt_goes_through_its_answers(
    teacher_client, course, enrolled
):
    quiz = make_quiz(course, slug="two", questions=(ESSAY, {**ESSAY, "key": "essay2"}))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"essay": "One", "essay2": "Two"})
    first, second = attempt.responses.order_by("position")
    page = teacher_client.get(reverse("teach:attempt", args=[attempt.pk])).content
    assert _grade_url(first, attempt=attempt.pk).encode() in page.replace(
        b"&amp;", b"&"
    )

    response = teacher_client.post(
        _grade_url(first, attempt=attempt.pk), {"score": "2", "action": "next"}
    )
    assert response["Location"] == _grade_url(second, attempt=attempt.pk)


@pytest.mark.parametrize("score", ["-1", "4.5", "abc", "", "nan", "1e400"])
def test_a_tampered_score_is_a_400_and_changes_nothing(teacher_client, essays, score):
    _quiz, attempts = essays
    essay = _essay(attempts[0])
    response = teacher_client.post(
        _grade_url(essay), {"score": score, "action": "next"}
    )
    assert response.status_code == 400
    essay.refresh_from_db()
    assert essay.needs_manual and essay.score is None
    assert not GradeChange.objects.exists()


def test_posts_need_a_csrf_token(instructor, essays):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    _quiz, attempts = essays
    essay = _essay(attempts[0])
    assert client.post(_grade_url(essay), {"score": "1"}).status_code == 403
    essay.refresh_from_db()
    assert essay.needs_manual


def test_a_bad_queue_filter_in_the_grade_url_is_a_400(teacher_client, essays):
    _quiz, attempts = essays
    url = reverse("teach:response-grade", args=[_essay(attempts[0]).pk])
    assert teacher_client.get(url + "?question=x").status_code == 400


def test_an_answer_graded_meanwhile_is_not_graded_twice(
    teacher_client, essays, instructor
):
    _quiz, attempts = essays
    essay = _essay(attempts[0])
    teacher_client.post(_grade_url(essay), {"score": "2", "action": "save"})
    response = teacher_client.post(_grade_url(essay), {"score": "4", "action": "save"})
    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.score == 2
    assert GradeChange.objects.count() == 1


def test_an_override_needs_a_reason_on_the_page(teacher_client, course, enrolled):
    quiz = make_quiz(course)
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Quito", "amazon": "true"})
    single = attempt.responses.get(snapshot__type="single")
    url = reverse("teach:response-override", args=[single.pk])

    refused = teacher_client.post(url, {"score": "1", "reason": ""})
    assert refused.status_code == 400
    assert not GradeChange.objects.exists()

    done = teacher_client.post(url, {"score": "1", "reason": "Accepted on appeal"})
    assert done.status_code == 302
    page = teacher_client.get(reverse("teach:attempt", args=[attempt.pk])).content
    page = page.decode()
    assert 'data-testid="audit-trail"' in page
    assert "Accepted on appeal" in page
    assert "Override" in page


def test_a_review_request_puts_an_answer_in_the_queue(teacher_client, course, enrolled):
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Lima", "amazon": "true"})
    tf = attempt.responses.get(snapshot__type="truefalse")

    response = teacher_client.post(
        reverse("teach:response-request-review", args=[tf.pk])
    )

    assert response.status_code == 302
    page = teacher_client.get(reverse("teach:queue")).content.decode()
    assert "Review requested" in page


def test_review_requests_only_by_post(teacher_client, course, enrolled):
    quiz = make_quiz(course)
    (ana,) = enrolled("ana")
    attempt = take(quiz, ana, {"capital": "Lima"})
    url = reverse("teach:response-request-review", args=[attempt.responses.first().pk])
    assert teacher_client.get(url).status_code == 405


def test_grading_pages_label_every_field(teacher_client, course, essays):
    _quiz, attempts = essays
    essay = _essay(attempts[0])
    urls = [
        reverse("teach:queue"),
        _grade_url(essay),
        reverse("teach:response-override", args=[essay.pk]),
        reverse("teach:attempt", args=[attempts[0].pk]),
        reverse("teach:gradebook", args=[course.slug]),
        reverse("teach:statistics", args=[course.slug, "check"]),
        reverse("teach:regrade", args=[course.slug]),
        reverse("teach:regrade", args=[course.slug]) + "?quiz=check",
    ]
    for url in urls:
        page = teacher_client.get(url).content.decode()
        assert unlabelled_form_fields(page) == [], url
        assert "<caption" in page or "<table" not in page, url


def test_the_dashboard_counts(teacher_client, essays):
    page = teacher_client.get(reverse("teach:dashboard")).content.decode()
    assert 'data-testid="students">3<' in page
    assert 'data-testid="attempts-to-grade">3<' in page
    assert 'data-testid="responses-waiting">3<' in page
