"""Importing the seed loses nothing: every sentence of the source document ends up in
exactly one lesson, in the document's order, and no sentence is invented."""

from collections import Counter

import pytest

from lessons.models import Lesson
from tests.helpers import SEED, source_body_sentences, sentences


@pytest.fixture
def source_sentences(seed_course) -> list[str]:
    headings = set(
        Lesson.objects.filter(course=seed_course)
        .exclude(source_heading="")
        .values_list("source_heading", flat=True)
    )
    found = source_body_sentences(SEED.read_text(encoding="utf-8"), headings=headings)
    # Guard the helper itself: the seed has about 170 sentences, none repeated.
    assert len(found) > 150
    assert not [s for s, n in Counter(found).items() if n > 1]
    return found


@pytest.fixture
def lesson_bodies(seed_course) -> list[str]:
    return list(
        Lesson.objects.filter(course=seed_course)
        .order_by("module__position", "position", "id")
        .values_list("body_markdown", flat=True)
    )


def test_every_source_sentence_appears_exactly_once_across_lessons(
    source_sentences, lesson_bodies
):
    counts = Counter(s for body in lesson_bodies for s in sentences(body))

    missing = [s for s in source_sentences if counts[s] == 0]
    repeated = [s for s in source_sentences if counts[s] > 1]
    assert missing == []
    assert repeated == []


def test_lessons_hold_the_source_sentences_in_order_and_nothing_else(
    source_sentences, lesson_bodies
):
    in_lessons = [s for body in lesson_bodies for s in sentences(body)]

    assert in_lessons == source_sentences


def test_no_heading_is_left_in_a_lesson_body(seed_course):
    lessons = Lesson.objects.filter(course=seed_course)
    titles = set(lessons.values_list("title", flat=True))

    for lesson in lessons:
        assert not titles & set(lesson.body_markdown.splitlines()), lesson.slug


def test_every_published_lesson_has_a_body(seed_course):
    for lesson in Lesson.objects.filter(course=seed_course):
        assert lesson.is_published
        assert lesson.body_markdown.strip(), lesson.slug
