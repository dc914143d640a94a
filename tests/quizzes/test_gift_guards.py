"""GIFT files with thousands of problems: the first 100 are reported with a count
of the rest (bounded memory and page size); question texts pass the Markdown
guard before anything is written."""

import io

import pytest
from django.core.management import CommandError, call_command

from lessons.problems import MAX_REPORTED
from quizzes.banks import gift_import
from quizzes.gift import GiftError, parse_gift
from quizzes.models import Question

# Each block is a question whose answers never close: one problem per block.
MANY_ERRORS = "::Q::Broken {=a ~b\n\n" * 5000
NESTED = "".join("    " * level + "- a\n" for level in range(100))


def test_the_parser_keeps_the_first_hundred_problems_and_counts_the_rest():
    with pytest.raises(GiftError) as caught:
        parse_gift(MANY_ERRORS)

    error = caught.value
    assert len(error.errors) == MAX_REPORTED
    assert error.more == 5000 - MAX_REPORTED
    assert error.total == 5000
    assert error.errors[0].line == 1
    assert "4900 more problems" in str(error)


@pytest.mark.django_db
def test_a_gift_question_nested_too_deeply_is_refused(course):
    text = "::Deep::" + NESTED.replace("\n", "\\n") + "{=a ~b}\n"
    # GIFT keeps a question on its lines: write the nesting with escaped newlines.
    with pytest.raises(GiftError, match="nested"):
        gift_import(course=course, text=text)
    assert not Question.objects.filter(course=course).exists()


@pytest.mark.django_db
def test_import_gift_prints_the_first_hundred_problems_and_the_count(tmp_path, course):
    path = tmp_path / "bank.gift"
    path.write_text(MANY_ERRORS, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("import_gift", str(path), course=course.slug, stdout=io.StringIO())

    message = str(caught.value)
    assert "5000 problem(s)" in message
    assert message.count("is never closed") == MAX_REPORTED
    assert "4900 more problems" in message
