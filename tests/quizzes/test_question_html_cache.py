"""A question's text is rendered from Markdown once: later attempts (another
request, another student) read its HTML from the cache, and an edited text is
rendered anew for the attempts that start after the edit."""

import pytest

from quizzes import services
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import start_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        questions=[
            sample("single", text="Which *capital* is the highest?"),
            sample("shortanswer", text="Name the **animal**."),
        ],
    )


def attempt_page(client, quiz) -> str:
    response = client.post(start_url(quiz))
    assert response.status_code == 302
    return client.get(response.url).content.decode()


def student_client(client, course, name: str):
    user = UserFactory(username=name)
    EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    return client


def test_a_later_attempt_reads_the_rendered_text(client, course, quiz, monkeypatch):
    first = attempt_page(student_client(client, course, "ana"), quiz)

    def refuse(text):
        raise AssertionError(f"rendered again: {text!r}")

    monkeypatch.setattr("quizzes.snapshots.render_markdown", refuse)
    client.logout()
    second = attempt_page(student_client(client, course, "ben"), quiz)

    for html in (first, second):
        assert "Which <em>capital</em> is the highest?" in html
        assert "Name the <strong>animal</strong>." in html


def test_an_edited_text_is_rendered_for_the_next_attempt(client, course, quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    question = quiz.slots.order_by("position").first().question
    question.text = "Which *city* is the highest?"
    question.save()

    html = attempt_page(student_client(client, course, "cy"), quiz)

    assert "Which <em>city</em> is the highest?" in html
    assert "capital" not in html
    # The attempt that started before the edit keeps the question it asked.
    snapshot = attempt.responses.get(position=0).snapshot
    assert snapshot["text_html"] == "<p>Which <em>capital</em> is the highest?</p>"


def test_the_cached_text_is_the_same_html_as_rendered(client, course, quiz):
    from lessons.rendering import render_markdown

    attempt_page(student_client(client, course, "dee"), quiz)
    client.logout()
    html = attempt_page(student_client(client, course, "eve"), quiz)

    assert render_markdown("Name the **animal**.") in html
