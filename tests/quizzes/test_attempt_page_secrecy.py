"""The pages of an attempt in progress never give a right answer away: no feedback,
no general feedback, no accepted answer or number, no matching key, no ordering."""

import re

import pytest
from django.test import Client

from quizzes import services
from quizzes.models import Answer
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.helpers import html_elements
from tests.quizzes.samples import ALL_TYPES, SECRET_ANSWERS, SECRET_MARKERS, sample
from tests.quizzes.support import attempt_url, by_type, summary_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    """One question of every type, each hiding marker strings."""
    return make_quiz(
        course=course,
        shuffle_options=True,
        questions=[sample(kind) for kind in ALL_TYPES],
    )


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    return services.attempt_start(quiz=quiz, user=student)


def assert_no_secrets(html: str) -> None:
    for secret in SECRET_MARKERS + SECRET_ANSWERS:
        assert secret not in html, f"{secret!r} leaked into the page"


def selects(html: str) -> dict[str, list[str]]:
    """Each <select> of the page (by name) with its options, as written."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S
    ):
        found[name] = re.findall(r"<option([^>]*>[^<]*)</option>", body)
    return found


def ordering_texts(html: str) -> list[str]:
    """The ordering items' texts in the order the page lists them."""
    return re.findall(r'<span class="me-auto">([^<]+)</span>', html)


def test_the_attempt_page_shows_no_feedback_or_right_answer(enrolled_client, attempt):
    response = enrolled_client.get(attempt_url(attempt))

    assert response.status_code == 200
    assert_no_secrets(response.content.decode())


def test_the_summary_page_shows_no_feedback_or_right_answer(enrolled_client, attempt):
    html = enrolled_client.get(summary_url(attempt)).content.decode()

    assert_no_secrets(html)


def test_saved_answers_do_not_bring_feedback_onto_the_page(enrolled_client, attempt):
    rows = by_type(attempt)
    right_single = next(
        o["id"] for o in rows["single"].snapshot["options"] if o["text"] == "Lima"
    )
    enrolled_client.post(
        attempt_url(attempt),
        {
            "page": "1",
            f"q{rows['single'].position}": right_single,
            f"q{rows['truefalse'].position}": "true",
            f"q{rows['numerical'].position}": "12",
        },
    )

    html = enrolled_client.get(attempt_url(attempt)).content.decode()
    summary = enrolled_client.get(summary_url(attempt)).content.decode()

    assert_no_secrets(html)
    assert_no_secrets(summary)
    assert "Correct" not in html
    assert "Incorrect" not in html


def test_a_page_shown_again_with_an_error_shows_no_secrets(enrolled_client, attempt):
    rows = by_type(attempt)

    response = enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", f"q{rows['numerical'].position}": "twelve"},
    )

    html = response.content.decode()
    assert 'id="form-error"' in html
    assert_no_secrets(html)


def test_the_snapshot_data_never_reaches_the_page_as_such(enrolled_client, attempt):
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    for word in ("fraction", "feedback", "tolerance", "correct"):
        assert word not in html.lower().replace("incorrect", ""), word


def test_matching_shows_every_prompt_with_one_shared_list_of_choices(
    enrolled_client, attempt
):
    matching = by_type(attempt)["matching"]
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    lists = {
        name: choices
        for name, choices in selects(html).items()
        if name.startswith(f"q{matching.position}-")
    }

    prompts = {p["prompt"] for p in ALL_TYPES["matching"]["pairs"]}
    answers = {p["answer"] for p in ALL_TYPES["matching"]["pairs"]}
    assert len(lists) == len(prompts)
    for prompt in prompts:
        assert f">{prompt}</label>" in html
    first = next(iter(lists.values()))
    assert all(choices == first for choices in lists.values())
    assert first[0] == ' value="">Choose…'
    # Nothing pre-selected; each choice posts exactly its own text.
    assert set(first[1:]) == {
        f' value="{text}">{text}' for text in answers | {"Caracas"}
    }


def test_matching_choices_are_the_same_for_every_prompt_on_reload(
    enrolled_client, attempt
):
    first = selects(enrolled_client.get(attempt_url(attempt)).content.decode())

    again = selects(enrolled_client.get(attempt_url(attempt)).content.decode())

    assert first == again


def test_ordering_items_are_not_shown_in_the_correct_order(course, quiz):
    correct = [item["text"] for item in ALL_TYPES["ordering"]["items"]]
    for number in range(8):
        user = UserFactory(username=f"orderer{number}")
        EnrollmentFactory(user=user, course=course)
        attempt = services.attempt_start(quiz=quiz, user=user)
        client = Client()
        client.force_login(user)

        shown = ordering_texts(client.get(attempt_url(attempt)).content.decode())

        assert sorted(shown) == sorted(correct)
        assert shown != correct


def test_ordering_item_ids_are_not_the_database_ids(enrolled_client, attempt):
    """Row ids grow in the order the items were written, which is the right
    order: showing them would let a student sort the items by id."""
    ordering = by_type(attempt)["ordering"]
    row_ids = {
        str(pk)
        for pk in Answer.objects.filter(question=ordering.question).values_list(
            "pk", flat=True
        )
    }
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    order_field = next(
        e
        for e in html_elements(html)
        if e.attrs.get("name") == f"q{ordering.position}-order"
    )
    shown_ids = order_field.attrs["value"].split(",")
    assert len(shown_ids) == len(row_ids)
    assert not set(shown_ids) & row_ids
    moves = re.findall(rf'value="{ordering.position}:([^:"]+):(?:up|down)"', html)
    assert set(moves) == set(shown_ids)


def test_ordering_item_ids_are_the_same_in_every_attempt(course, quiz, student):
    other = UserFactory(username="other")
    first = by_type(services.attempt_start(quiz=quiz, user=student))["ordering"]
    second = by_type(services.attempt_start(quiz=quiz, user=other))["ordering"]

    assert [i["id"] for i in first.snapshot["items"]] == [
        i["id"] for i in second.snapshot["items"]
    ]
