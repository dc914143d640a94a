"""Flags and the question navigation of the attempt page.

A student flags a question to come back to it: a button that posts the page
without JavaScript (saving it), or the flag endpoint that attempt-nav.js calls.
The flag is stored on the response and shown in the navigation panel and on the
summary; a forged flag gets a 4xx and changes nothing. The panel lists every
question with its state and reaches one on another page, saving this one first.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.models import Response
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import attempt_url, summary_url, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    # Two per page: single, truefalse | description, shortanswer | essay
    return make_quiz(
        course=course,
        questions=[
            sample("single"),
            sample("truefalse"),
            sample("description"),
            sample("shortanswer"),
            sample("essay", max_length=None),
        ],
        questions_per_page=2,
    )


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    return services.attempt_start(quiz=quiz, user=student)


def flag_url(attempt) -> str:
    return reverse("quizzes:attempt-flag", kwargs={"attempt_id": attempt.pk})


def flags(attempt) -> list[bool]:
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("flagged", flat=True)
    )


def state(attempt) -> list[tuple]:
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("flagged", "answer", "sequence")
    )


def nav_items(html: str) -> dict[int, str]:
    """position -> the classes of its item in the navigation panel."""
    return {
        int(position): classes
        for classes, position in re.findall(
            r'class="attempt-nav-item([^"]*)"\s+data-nav-item="(\d+)"', html
        )
    }


# The flag button without JavaScript


def test_the_flag_button_flags_the_question_and_saves_the_page(
    enrolled_client, attempt
):
    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q1": "true", "flag": "1:1"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?page=1#q1")
    assert flags(attempt) == [False, True, False, False, False]
    assert attempt.responses.get(position=1).answer is True


def test_the_flag_button_of_a_flagged_question_takes_the_flag_off(
    enrolled_client, attempt
):
    services.response_flag_set(attempt=attempt, position=0, flagged=True)

    page = enrolled_client.get(attempt_url(attempt)).content.decode()
    assert re.search(r'value="0:0"\s+class="[^"]*"\s+aria-pressed="true"', page)

    enrolled_client.post(attempt_url(attempt), {"page": "1", "flag": "0:0"})

    assert flags(attempt) == [False] * 5


@pytest.mark.parametrize(
    "flag",
    [
        "3:1",  # a question of another page
        "2:1",  # the description: nothing to come back to
        "9:1",  # not in the attempt
        "0:2",
        "0:yes",
        "0",
        "x:1",
        "",
    ],
)
def test_a_forged_flag_on_the_page_is_refused_and_changes_nothing(
    enrolled_client, attempt, flag
):
    before = state(attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q1": "true", "flag": flag}
    )

    assert response.status_code == 400
    assert state(attempt) == before


# The flag endpoint (attempt-nav.js)


def test_the_flag_endpoint_flags_and_unflags_without_touching_the_answer(
    enrolled_client, attempt
):
    services.attempt_save_answers(attempt=attempt, answers={1: "true"})
    before = attempt.responses.get(position=1)

    flagged = enrolled_client.post(
        flag_url(attempt),
        {"position": "1", "flagged": "1"},
        headers={"accept": "application/json"},
    )
    assert flagged.json() == {"position": 1, "number": 2, "flagged": True}
    after = attempt.responses.get(position=1)
    assert (after.flagged, after.answer, after.sequence) == (
        True,
        before.answer,
        before.sequence,
    )

    enrolled_client.post(
        flag_url(attempt),
        {"position": "1", "flagged": "0"},
        headers={"accept": "application/json"},
    )
    assert flags(attempt) == [False] * 5


def test_the_flag_endpoint_without_json_goes_back_to_the_question(
    enrolled_client, attempt
):
    response = enrolled_client.post(
        flag_url(attempt), {"position": "3", "flagged": "1"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#q3")
    assert flags(attempt)[3] is True


@pytest.mark.parametrize(
    "post",
    [
        {"position": "2", "flagged": "1"},  # the description
        {"position": "5", "flagged": "1"},
        {"position": "-1", "flagged": "1"},
        {"position": "1", "flagged": "true"},
        {"position": "1"},
        {"position": "١", "flagged": "1"},
        {},
    ],
)
def test_a_forged_flag_post_is_refused_and_changes_nothing(
    enrolled_client, attempt, post
):
    before = state(attempt)

    response = enrolled_client.post(
        flag_url(attempt), post, headers={"accept": "application/json"}
    )

    assert response.status_code == 400
    assert "error" in response.json()
    assert state(attempt) == before


def test_nobody_else_can_flag_a_student_s_question(client, attempt, course):
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    client.force_login(other)

    response = client.post(flag_url(attempt), {"position": "0", "flagged": "1"})

    assert response.status_code == 404
    assert flags(attempt) == [False] * 5


def test_the_flag_endpoint_needs_the_csrf_token(student, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post(flag_url(attempt), {"position": "0", "flagged": "1"})

    assert response.status_code == 403
    assert flags(attempt) == [False] * 5


def test_a_submitted_attempt_s_flags_do_not_change(enrolled_client, attempt):
    services.attempt_submit(attempt=attempt)

    response = enrolled_client.post(
        flag_url(attempt),
        {"position": "0", "flagged": "1"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 409
    assert flags(attempt) == [False] * 5


def test_a_get_does_not_flag(enrolled_client, attempt):
    assert (
        enrolled_client.get(flag_url(attempt) + "?position=0&flagged=1").status_code
        == 405
    )
    assert flags(attempt) == [False] * 5


# The navigation panel


def test_the_panel_lists_every_question_with_its_state(enrolled_client, attempt):
    single = attempt.responses.get(position=0)
    services.attempt_save_answers(
        attempt=attempt, answers={0: single.snapshot["options"][0]["id"], 1: "true"}
    )
    services.response_flag_set(attempt=attempt, position=3, flagged=True)

    html = enrolled_client.get(attempt_url(attempt, page=2)).content.decode()
    items = nav_items(html)

    assert sorted(items) == [0, 1, 3, 4]  # the description has no number to visit
    assert "is-answered" in items[0] and "is-answered" in items[1]
    assert "is-flagged" in items[3] and "is-current" in items[3]
    assert "is-answered" not in items[3] and "is-current" not in items[0]
    assert "is-current" not in items[4]
    # What a screen reader hears: the states that do not hold are hidden.
    block = html[html.index('data-nav-item="3"') :]
    block = block[: block.index("</li>")]
    assert "<span data-nav-answered hidden>" in block
    assert "<span data-nav-unanswered>" in block
    assert "<span data-nav-flagged>" in block
    assert "on this page" in block


def test_a_question_of_this_page_is_a_link_and_one_of_another_a_saving_button(
    enrolled_client, attempt
):
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert re.search(
        r'<a href="#q1" aria-current="true"\s+class="attempt-nav-item', html
    )
    assert re.search(r'<button type="submit" name="goto" value="3"', html)


def test_going_to_a_question_on_another_page_saves_this_one_first(
    enrolled_client, attempt
):
    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q1": "false", "goto": "4"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?page=3#q4")
    assert attempt.responses.get(position=1).answer is False


@pytest.mark.parametrize("goto", ["9", "-1", "x", "", "²"])
def test_a_forged_jump_is_refused_and_changes_nothing(enrolled_client, attempt, goto):
    before = state(attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q1": "false", "goto": goto}
    )

    assert response.status_code == 400
    assert state(attempt) == before


def test_a_flag_shows_on_the_page_after_it_was_cached_without_it(
    enrolled_client, attempt
):
    enrolled_client.get(attempt_url(attempt))  # the markup is cached unflagged
    services.response_flag_set(attempt=attempt, position=0, flagged=True)

    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert re.search(r'value="0:0"\s+class="[^"]*"\s+aria-pressed="true"', html)


# The summary


def test_the_summary_shows_the_flagged_questions(enrolled_client, attempt):
    services.response_flag_set(attempt=attempt, position=4, flagged=True)

    html = enrolled_client.get(summary_url(attempt)).content.decode()

    rows = re.findall(r"<tr.*?</tr>", html, re.S)
    flagged = [row for row in rows if 'data-testid="summary-flagged"' in row]
    assert len(flagged) == 1
    assert "Question 5" in text_of(flagged[0])
