"""coursesite.db.update_rows writes the given fields of many rows in one query,
as QuerySet.bulk_update would, and refuses what it cannot write as a value."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from coursesite.db import update_rows
from quizzes import services
from quizzes.models import Response
from tests.factories import make_quiz
from tests.quizzes.samples import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses(course, student):
    quiz = make_quiz(
        course=course,
        questions=[sample("single"), sample("shortanswer"), sample("truefalse")],
    )
    attempt = services.attempt_start(quiz=quiz, user=student)
    return list(attempt.responses.order_by("position"))


def stored(responses) -> list[tuple]:
    return list(
        Response.objects.filter(pk__in=[r.pk for r in responses])
        .order_by("position")
        .values_list("answer", "fraction", "feedback", "detail", "needs_manual")
    )


def test_every_row_gets_its_own_values_in_one_query(responses):
    values = [
        ("Lima", 1.0, ["Right."], {"why": "capital"}, False),
        (None, None, [], {}, True),
        ({"a": [1, 2]}, 0.5, ["Half", "way"], {"n": 2}, False),
    ]
    for response, (answer, fraction, feedback, detail, manual) in zip(
        responses, values, strict=True
    ):
        response.answer, response.fraction = answer, fraction
        response.feedback, response.detail = feedback, detail
        response.needs_manual = manual
    untouched = Response.objects.get(pk=responses[0].pk).snapshot

    with CaptureQueriesContext(connection) as captured:
        sent = update_rows(
            responses, ["answer", "fraction", "feedback", "detail", "needs_manual"]
        )

    assert sent == 3
    assert len(captured) == 1
    assert stored(responses) == values
    assert Response.objects.get(pk=responses[0].pk).snapshot == untouched


def test_no_rows_no_query(responses):
    with CaptureQueriesContext(connection) as captured:
        assert update_rows([], ["answer"]) == 0
    assert len(captured) == 0


def test_an_expression_is_refused_and_nothing_written(responses):
    responses[0].sequence = F("sequence") + 1

    with pytest.raises(TypeError):
        update_rows(responses, ["sequence"])

    assert Response.objects.get(pk=responses[0].pk).sequence == 0


def test_an_unsaved_row_is_refused(responses):
    with pytest.raises(ValueError):
        update_rows([*responses, Response()], ["answer"])
