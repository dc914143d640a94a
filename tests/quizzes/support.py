"""Helpers for the quiz tests: pages of an attempt, and what the database holds."""

import re

from django.urls import reverse

from quizzes.models import Attempt, Response


def attempt_url(attempt: Attempt, **query) -> str:
    url = reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def summary_url(attempt: Attempt) -> str:
    return reverse("quizzes:attempt-summary", kwargs={"attempt_id": attempt.pk})


def submit_url(attempt: Attempt) -> str:
    return reverse("quizzes:attempt-submit", kwargs={"attempt_id": attempt.pk})


def result_url(attempt: Attempt) -> str:
    return reverse("quizzes:attempt-result", kwargs={"attempt_id": attempt.pk})


def start_url(quiz) -> str:
    return reverse(
        "quizzes:quiz-start",
        kwargs={"course_slug": quiz.course.slug, "quiz_slug": quiz.slug},
    )


def responses_state(attempt: Attempt) -> list[tuple]:
    """Everything a post could change in an attempt's responses, in order."""
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "answer", "answered_at", "fraction", "score")
    )


def by_type(attempt: Attempt) -> dict[str, Response]:
    """The attempt's responses keyed by question type (one question per type)."""
    return {r.snapshot["type"]: r for r in attempt.responses.all()}


def right_option_id(response: Response, text: str) -> str:
    """The id of the option with this text in a choice question's snapshot."""
    return next(o["id"] for o in response.snapshot["options"] if o["text"] == text)


def text_of(html: str) -> str:
    """The visible text of a page, tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
