"""An ordering question left as first shown is unanswered, not a guess."""

import pytest

from quizzes import services
from tests.factories import make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.support import attempt_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(enrolled_client, student, course):
    quiz = make_quiz(course=course, questions=[sample("ordering")])
    return services.attempt_start(quiz=quiz, user=student)


def _shown(attempt) -> list[str]:
    return attempt.responses.get(position=0).snapshot["display_order"]


def test_saving_a_page_with_the_order_untouched_leaves_it_unanswered(
    enrolled_client, attempt
):
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0-order": ",".join(_shown(attempt))}
    )

    assert attempt.responses.get(position=0).answer is None


def test_moving_an_item_saves_the_new_order(enrolled_client, attempt):
    shown = _shown(attempt)
    enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", "q0-order": ",".join(shown), "move": f"0:{shown[1]}:up"},
    )

    assert attempt.responses.get(position=0).answer == [shown[1], shown[0], *shown[2:]]
