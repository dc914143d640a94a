"""Description: an information block inside a quiz; no answer, no marks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.grading import Grade
from quizzes.types import register
from quizzes.types.base import NOT_POSTED, QuestionType


class Description(QuestionType):
    name = "description"
    label = gettext_lazy("Description")
    auto_graded = False
    takes_answer = False
    admin_help = gettext_lazy(
        "No answer rows and no marks: an information block shown inside a quiz."
    )
    moodle_xml_names = ("description",)
    moodle_xml_type = "description"

    def normalise(self, question: Mapping[str, Any], raw: Any) -> None:
        return None  # it takes no answer; anything posted is ignored

    def grade(self, question: Mapping[str, Any], response: None) -> Grade:
        return Grade(None)

    def read_post(self, post, key, snapshot, response):
        return NOT_POSTED

    def page_fields(self, snapshot, answer, token) -> dict:
        return {}

    def describe_right_answer(self, snapshot) -> list[str]:
        return []

    def gift_write(self, question, fmt, out) -> None:
        return None  # the text alone, with no answer block

    def moodle_xml_read(self, reader, element, question, files):
        question["default_mark"] = 0.0

    def moodle_xml_write(self, question, out) -> None:
        return None


register(Description())
