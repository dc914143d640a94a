"""A post no honest form can produce gets a 400 and changes nothing; an honest
mistake (a word in a number field) is shown again with a message; CSRF holds."""

import re

import pytest
from django.test import Client

from quizzes import grading, services
from quizzes.models import Attempt, AttemptState, Response
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.quizzes.samples import sample, single
from tests.quizzes.support import (
    attempt_url,
    by_type,
    responses_state,
    right_option_id,
    start_url,
    submit_url,
)

pytestmark = pytest.mark.django_db

KINDS = ["single", "multiple", "truefalse", "numerical", "matching", "ordering"]


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        questions=[sample(kind) for kind in KINDS]
        + [sample("essay", max_length=None), sample("shortanswer")],
    )


@pytest.fixture
def attempt(quiz, student, enrolled_client):
    attempt = services.attempt_start(quiz=quiz, user=student)
    rows = by_type(attempt)
    # Something saved already, so "nothing changed" means something.
    services.attempt_save_answers(
        attempt=attempt,
        answers={
            rows["truefalse"].position: "false",
            rows["shortanswer"].position: "first try",
        },
    )
    return attempt


@pytest.fixture
def rows(attempt):
    return by_type(attempt)


def field(rows, kind: str) -> str:
    return f"q{rows[kind].position}"


def option(rows, kind: str, text: str) -> str:
    return right_option_id(rows[kind], text)


def pair_field(rows, pair_index: int) -> str:
    pair = rows["matching"].snapshot["pairs"][pair_index]
    return f"{field(rows, 'matching')}-{pair['id']}"


def item_ids(rows) -> list[str]:
    return [item["id"] for item in rows["ordering"].snapshot["items"]]


def valid_extra(rows) -> dict:
    """A valid answer that must not be saved alongside a tampered one."""
    return {field(rows, "shortanswer"): "second try"}


def post(client, attempt, data):
    """Post ``data`` as the page would: with the sequence of every question the
    post answers (the ``q<position>-seq`` hidden fields), unless given."""
    sequences = dict(
        Response.objects.filter(attempt=attempt).values_list("position", "sequence")
    )
    for name in list(data):
        match = re.fullmatch(r"q(\d+)(-.*)?", name)
        if match and int(match[1]) in sequences:
            data.setdefault(f"q{match[1]}-seq", str(sequences[int(match[1])]))
    return client.post(attempt_url(attempt), {"page": "1", "action": "save"} | data)


def assert_refused(client, attempt, data) -> None:
    before = responses_state(attempt)

    response = post(client, attempt, data)

    assert response.status_code == 400
    assert responses_state(attempt) == before
    Attempt.objects.get(pk=attempt.pk, state=AttemptState.IN_PROGRESS)


# --------------------------------------------------------------------------
# Tampered posts: 400, nothing saved


def test_an_option_of_another_question_is_refused(enrolled_client, attempt, rows):
    assert_refused(
        enrolled_client,
        attempt,
        {field(rows, "single"): option(rows, "multiple", "Chile"), **valid_extra(rows)},
    )


def test_an_option_of_another_attempts_question_is_refused(
    enrolled_client, attempt, rows, course
):
    other_quiz = make_quiz(course=course, questions=[single()])
    other = services.attempt_start(quiz=other_quiz, user=UserFactory())
    foreign = right_option_id(other.responses.get(), "Right")

    assert_refused(
        enrolled_client, attempt, {field(rows, "single"): foreign, **valid_extra(rows)}
    )


def test_an_answer_to_a_question_not_in_the_attempt_is_refused(
    enrolled_client, attempt, rows
):
    assert_refused(enrolled_client, attempt, {"q99": "anything", **valid_extra(rows)})


@pytest.mark.parametrize("name", ["qx", "q²", "q-1", "q0x"])
def test_a_non_numeric_position_is_refused(enrolled_client, attempt, rows, name):
    assert_refused(enrolled_client, attempt, {name: "anything", **valid_extra(rows)})


@pytest.mark.parametrize("page", ["abc", "1.5", "-1", "²", "１", " 1"])
def test_a_non_integer_page_is_refused(enrolled_client, attempt, rows, page):
    before = responses_state(attempt)

    response = enrolled_client.post(
        attempt_url(attempt), {"page": page, **valid_extra(rows)}
    )

    assert response.status_code == 400
    assert responses_state(attempt) == before


def test_a_non_integer_page_in_the_address_is_refused(enrolled_client, attempt):
    assert enrolled_client.get(attempt_url(attempt, page="x")).status_code == 400


def test_an_empty_page_field_is_the_first_page_not_an_error(
    enrolled_client, attempt, rows
):
    response = post(enrolled_client, attempt, {"page": "", **valid_extra(rows)})

    assert response.status_code == 302
    assert response.url == attempt_url(attempt, page=1)
    assert by_type(attempt)["shortanswer"].answer == "second try"


def test_an_answer_for_a_question_on_another_page_is_refused(
    enrolled_client, course, student
):
    quiz = make_quiz(
        course=course, questions=[single("One"), single("Two")], questions_per_page=1
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    second = attempt.responses.get(position=1)

    assert_refused(enrolled_client, attempt, {"q1": right_option_id(second, "Right")})


def test_the_attempt_of_another_student_is_not_found(enrolled_client, quiz, course):
    other = UserFactory(username="other")
    EnrollmentFactory(user=other, course=course)
    theirs = services.attempt_start(quiz=quiz, user=other)
    rows = by_type(theirs)
    before = responses_state(theirs)

    get = enrolled_client.get(attempt_url(theirs))
    posted = post(enrolled_client, theirs, {field(rows, "truefalse"): "true"})
    submitted = enrolled_client.post(submit_url(theirs))

    assert get.status_code == posted.status_code == submitted.status_code == 404
    assert responses_state(theirs) == before
    assert Attempt.objects.get(pk=theirs.pk).state == AttemptState.IN_PROGRESS


def test_a_multiple_response_list_with_an_unknown_id_is_refused(
    enrolled_client, attempt, rows
):
    assert_refused(
        enrolled_client,
        attempt,
        {
            field(rows, "multiple"): [option(rows, "multiple", "Chile"), "999999"],
            **valid_extra(rows),
        },
    )


def test_a_multiple_response_list_naming_an_option_twice_is_refused(
    enrolled_client, attempt, rows
):
    chile = option(rows, "multiple", "Chile")

    assert_refused(
        enrolled_client,
        attempt,
        {field(rows, "multiple"): [chile, chile], **valid_extra(rows)},
    )


def test_a_matching_answer_not_in_the_list_is_refused(enrolled_client, attempt, rows):
    assert_refused(
        enrolled_client,
        attempt,
        {
            pair_field(rows, 0): "Lima",
            pair_field(rows, 1): "Montevideo",
            **valid_extra(rows),
        },
    )


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda ids: ids[:-1], id="missing-item"),
        pytest.param(lambda ids: [*ids[:-1], ids[0]], id="repeated-item"),
        pytest.param(lambda ids: [*ids, "zzz"], id="unknown-item"),
        pytest.param(lambda ids: [*ids[:-1], "zzz"], id="swapped-for-unknown"),
    ],
)
def test_an_ordering_that_is_not_a_permutation_is_refused(
    enrolled_client, attempt, rows, order
):
    assert_refused(
        enrolled_client,
        attempt,
        {
            f"{field(rows, 'ordering')}-order": ",".join(order(item_ids(rows))),
            **valid_extra(rows),
        },
    )


def test_a_malformed_ordering_move_is_refused(enrolled_client, attempt, rows):
    position = rows["ordering"].position
    item = item_ids(rows)[0]

    for move in (
        f"{position}:{item}:sideways",
        f"{position}:nothing:up",
        f"{position}:{item}",
        "junk",
    ):
        assert_refused(enrolled_client, attempt, {"move": move})


def test_an_essay_over_the_length_cap_is_shown_again_and_the_rest_saved(
    enrolled_client, attempt, rows
):
    too_long = "x" * (grading.ESSAY_MAX_CHARS + 1)

    response = post(
        enrolled_client, attempt, {field(rows, "essay"): too_long, **valid_extra(rows)}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "too long" in html
    assert too_long in html
    assert by_type(attempt)["essay"].answer is None
    assert by_type(attempt)["shortanswer"].answer == "second try"


def test_an_essay_at_the_length_cap_is_saved(enrolled_client, attempt, rows):
    response = post(
        enrolled_client, attempt, {field(rows, "essay"): "x" * grading.ESSAY_MAX_CHARS}
    )

    assert response.status_code == 302
    assert len(by_type(attempt)["essay"].answer) == grading.ESSAY_MAX_CHARS


def test_an_essay_over_its_own_maximum_length_is_not_saved(
    enrolled_client, course, student
):
    quiz = make_quiz(course=course, questions=[sample("essay")])  # max_length 500
    attempt = services.attempt_start(quiz=quiz, user=student)
    before = responses_state(attempt)

    response = post(enrolled_client, attempt, {"q0": "y" * 501})

    assert response.status_code == 400
    assert 'id="q0-error"' in response.content.decode()
    assert responses_state(attempt) == before


def test_two_values_for_a_single_choice_are_refused(enrolled_client, attempt, rows):
    assert_refused(
        enrolled_client,
        attempt,
        {
            field(rows, "single"): [
                option(rows, "single", "Lima"),
                option(rows, "single", "Quito"),
            ],
            **valid_extra(rows),
        },
    )


def test_two_values_for_a_short_answer_are_refused(enrolled_client, attempt, rows):
    assert_refused(enrolled_client, attempt, {field(rows, "shortanswer"): ["a", "b"]})


def test_a_true_false_answer_that_is_neither_is_refused(enrolled_client, attempt, rows):
    assert_refused(
        enrolled_client,
        attempt,
        {field(rows, "truefalse"): "maybe", **valid_extra(rows)},
    )


def test_a_nul_character_in_a_text_answer_is_refused(enrolled_client, attempt, rows):
    assert_refused(enrolled_client, attempt, {field(rows, "shortanswer"): "a\x00b"})


# --------------------------------------------------------------------------
# Honest mistakes: the page again, with a message beside the question; the
# other answers are saved


@pytest.mark.parametrize(
    ("typed", "message"),
    [("twelve", "“twelve” is not a number."), ("1,234,567", "1,234,567")],
)
def test_a_word_in_a_number_field_shows_the_page_again_with_a_message(
    enrolled_client, attempt, rows, typed, message
):
    before_numerical = rows["numerical"].answer

    response = post(
        enrolled_client,
        attempt,
        {field(rows, "numerical"): typed, **valid_extra(rows)},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="form-error"' in html
    assert message in html
    assert "Every other answer on this page was saved" in html
    # What the student typed is kept, so they can correct it.
    assert f'value="{typed}"' in html
    assert 'value="second try"' in html
    assert by_type(attempt)["numerical"].answer == before_numerical
    assert by_type(attempt)["shortanswer"].answer == "second try"


def test_a_correct_number_with_a_comma_is_saved(enrolled_client, attempt, rows):
    response = post(enrolled_client, attempt, {field(rows, "numerical"): "12,5"})

    assert response.status_code == 302
    assert by_type(attempt)["numerical"].answer == "12,5"


# --------------------------------------------------------------------------
# CSRF


@pytest.fixture
def csrf_client(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    return client


def test_answers_posted_without_a_csrf_token_are_forbidden(csrf_client, attempt, rows):
    before = responses_state(attempt)

    response = post(csrf_client, attempt, valid_extra(rows))

    assert response.status_code == 403
    assert responses_state(attempt) == before


def test_a_submit_without_a_csrf_token_is_forbidden(csrf_client, attempt):
    response = csrf_client.post(submit_url(attempt))

    assert response.status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.IN_PROGRESS


def test_a_start_without_a_csrf_token_is_forbidden(csrf_client, course, student):
    quiz = make_quiz(course=course, slug="fresh", questions=[single()])

    response = csrf_client.post(start_url(quiz))

    assert response.status_code == 403
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_the_attempt_page_form_carries_a_csrf_token(enrolled_client, attempt):
    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert 'name="csrfmiddlewaretoken"' in html


def test_a_tampered_ordering_beside_a_word_in_a_number_field_is_no_crash(
    enrolled_client, attempt, rows
):
    """The number error shows the page again with what was posted: a forged
    ordering among it must not break that page."""
    before = responses_state(attempt)

    response = post(
        enrolled_client,
        attempt,
        {
            field(rows, "numerical"): "twelve",
            f"{field(rows, 'ordering')}-order": "forged,items",
        },
    )

    assert response.status_code == 400
    assert "forged" not in response.content.decode()
    assert responses_state(attempt) == before
