"""The attempt page's markup (questions and navigation panel) is cached per state
of the attempt: a later request reads it without rendering, and an answer or a
flag saved since, on this page or another, is shown at once."""

import re

import pytest

from quizzes import services
from tests.factories import make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import attempt_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(course, student, enrolled_client):
    quiz = make_quiz(
        course=course,
        questions=[sample("single"), sample("truefalse"), sample("shortanswer")],
        questions_per_page=1,
    )
    return services.attempt_start(quiz=quiz, user=student)


def nav_classes(html: str) -> dict[int, str]:
    return {
        int(position): classes
        for classes, position in re.findall(
            r'class="attempt-nav-item([^"]*)"\s+data-nav-item="(\d+)"', html
        )
    }


def test_a_second_request_reads_the_markup_without_rendering_it(
    enrolled_client, attempt, monkeypatch
):
    first = enrolled_client.get(attempt_url(attempt)).content.decode()

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr("quizzes.views.render_questions", refuse)
    monkeypatch.setattr("quizzes.presenting.navigation", refuse)
    second = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert nav_classes(second) == nav_classes(first)
    assert 'name="q0"' in second


def test_an_answer_saved_on_another_page_shows_in_the_cached_panel(
    enrolled_client, attempt
):
    before = enrolled_client.get(attempt_url(attempt, page=1)).content.decode()
    services.attempt_save_answers(attempt=attempt, answers={2: "an answer"})

    after = enrolled_client.get(attempt_url(attempt, page=1)).content.decode()

    assert "is-answered" not in nav_classes(before)[2]
    assert "is-answered" in nav_classes(after)[2]


def test_a_flag_set_on_another_page_shows_in_the_cached_panel(enrolled_client, attempt):
    enrolled_client.get(attempt_url(attempt, page=1))
    services.response_flag_set(attempt=attempt, position=1, flagged=True)

    html = enrolled_client.get(attempt_url(attempt, page=1)).content.decode()

    assert "is-flagged" in nav_classes(html)[1]


def test_each_page_has_its_own_markup(enrolled_client, attempt):
    enrolled_client.get(attempt_url(attempt, page=1))

    html = enrolled_client.get(attempt_url(attempt, page=2)).content.decode()

    assert 'name="q1"' in html and 'name="q0"' not in html
    assert "is-current" in nav_classes(html)[1]
    assert "is-current" not in nav_classes(html)[0]
