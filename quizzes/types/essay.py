"""Essay: a text a teacher grades by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.grading import ESSAY_MAX_CHARS, Grade, clean_text, is_essay_template
from quizzes.types import register
from quizzes.types.base import QuestionType, is_number


class Essay(QuestionType):
    name = "essay"
    label = gettext_lazy("Essay")
    auto_graded = False
    admin_fields = ("max_length", "response_template", "grader_info")
    admin_help = gettext_lazy(
        "No answer rows: a teacher grades the essay. Set a maximum length, a "
        "response template or information for graders in Grading if you like."
    )
    moodle_xml_names = ("essay",)
    moodle_xml_type = "essay"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        problems = []
        if not isinstance(question.get("grader_info", ""), str):
            problems.append("The information for graders must be text.")
        max_length = question.get("max_length")
        if max_length is None:
            return problems
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= ESSAY_MAX_CHARS
        ):
            problems.append(
                f"The maximum length must be from 1 to {ESSAY_MAX_CHARS:,} characters."
            )
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> str | None:
        limit = ESSAY_MAX_CHARS
        max_length = question.get("max_length")
        # A bad max_length is validate's to report; fall back to the cap.
        if is_number(max_length) and isinstance(max_length, int) and max_length >= 1:
            limit = min(limit, max_length)
        text = clean_text(raw, limit=limit)
        return text if text.strip() and not is_essay_template(question, text) else None

    def grade(self, question: Mapping[str, Any], response: str | None) -> Grade:
        # A template saved before it counted as no answer still must not wait.
        if response is None or is_essay_template(question, response):
            return Grade(0.0)
        return Grade(None, needs_manual=True)

    def page_fields(self, snapshot, answer, token) -> dict:
        return {
            "value": (
                answer if answer is not None else snapshot.get("response_template", "")
            ),
            "max_length": snapshot.get("max_length") or ESSAY_MAX_CHARS,
        }

    def describe_right_answer(self, snapshot) -> list[str]:
        return []

    def dict_from_rows(self, question, rows) -> dict:
        data: dict[str, Any] = {}
        if question.max_length:
            data["max_length"] = question.max_length
        data["response_template"] = question.response_template
        # For whoever grades (teach's grading page); no student page shows it.
        if question.grader_info:
            data["grader_info"] = question.grader_info
        return data

    def gift_write(self, question, fmt, out) -> str:
        return ""

    def moodle_xml_read(self, reader, element, question, files):
        question["response_template"] = reader.child_text(
            element, "responsetemplate", ""
        )
        # Moodle's information for graders: HTML with its own files, kept as
        # written (HTML in our Markdown is rendered and sanitised).
        grader_info = reader.text_of(element.find("graderinfo"), files).strip()
        if grader_info:
            question["grader_info"] = grader_info

    def moodle_xml_write(self, question, out) -> None:
        out.add("<responseformat>editor</responseformat>")
        out.add("<responserequired>1</responserequired>")
        out.add("<responsefieldlines>15</responsefieldlines>")
        out.add("<attachments>0</attachments>")
        out.text_element(
            "graderinfo", question.get("grader_info") or "", out.fmt, own_files=True
        )
        template = question.get("response_template") or ""
        out.add('<responsetemplate format="plain_text">')
        out.add(f"  <text>{out.cdata(template)}</text>")
        out.add("</responsetemplate>")


register(Essay())
