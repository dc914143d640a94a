"""True/false: a statement the student says is true or false."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quizzes.grading import Grade, InvalidResponse
from quizzes.types import register
from quizzes.types.base import QuestionType, feedback_texts

_WORDS = {"true": True, "1": True, "false": False, "0": False}


class TrueFalse(QuestionType):
    name = "truefalse"
    label = gettext_lazy("True/false")
    answer_columns = ("text", "fraction", "feedback")
    admin_help = gettext_lazy(
        "Exactly two rows, with texts “True” and “False”: the right one has grade 1, "
        "the other 0. Each row's feedback is shown to students who chose it."
    )
    moodle_xml_names = ("truefalse",)
    moodle_xml_type = "truefalse"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        if not isinstance(question.get("correct"), bool):
            return ["Say whether the statement is true or false."]
        return []

    def normalise(self, question: Mapping[str, Any], raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _WORDS:
            return _WORDS[raw.strip().lower()]
        raise InvalidResponse("Answer true or false.", code="invalid_choice")

    def grade(self, question: Mapping[str, Any], response: bool | None) -> Grade:
        if response is None:
            return Grade(0.0, detail={"answer": None})
        key = "feedback_true" if response else "feedback_false"
        return Grade(
            1.0 if response == question["correct"] else 0.0,
            feedback=feedback_texts(question.get(key)),
            detail={"answer": response},
        )

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return bool(question["correct"])

    def regrade_key(self, old, current, new) -> None:
        for name in ("correct", "feedback_true", "feedback_false"):
            new[name] = current.get(name, old.get(name))

    def posted_value(self, post, key, snapshot, saved):
        value = post.get(key)
        return saved if value is None else value == "true"

    def page_fields(self, snapshot, answer, token) -> dict:
        return {"value": "" if answer is None else ("true" if answer else "false")}

    def describe_answer(self, snapshot, answer) -> list[str]:
        return [_("True") if answer else _("False")]

    def describe_right_answer(self, snapshot) -> list[str]:
        return self.describe_answer(snapshot, self.correct_response(snapshot))

    # stored rows: two rows, "True" and "False", the right one worth 1
    def dict_from_rows(self, question, rows) -> dict:
        by_text = {a.text.strip().lower(): a for a in rows}
        true_row, false_row = by_text.get("true"), by_text.get("false")
        return {
            "correct": bool(true_row and true_row.fraction >= 1),
            "feedback_true": true_row.feedback if true_row else "",
            "feedback_false": false_row.feedback if false_row else "",
        }

    def rows_from_dict(self, data) -> list[dict]:
        correct = bool(data.get("correct"))
        return [
            {
                "text": "True",
                "fraction": 1.0 if correct else 0.0,
                "feedback": data.get("feedback_true", ""),
            },
            {
                "text": "False",
                "fraction": 0.0 if correct else 1.0,
                "feedback": data.get("feedback_false", ""),
            },
        ]

    def row_problems(self, rows) -> list[str]:
        texts = sorted((row.get("text") or "").strip().lower() for row in rows)
        if texts != ["false", "true"]:
            return [
                _(
                    "A true/false question needs exactly two answers, “True” and "
                    "“False”."
                )
            ]
        full = [row for row in rows if abs((row.get("fraction") or 0) - 1) < 1e-6]
        if len(full) != 1:
            return [
                _("Exactly one of “True” and “False” must be worth 100% (grade 1).")
            ]
        return []

    # file formats
    def gift_write(self, question, fmt, out) -> str:
        correct = question.get("correct")
        if not isinstance(correct, bool):
            raise ValueError("a true/false question needs 'correct': True or False")
        true_fb = question.get("feedback_true") or ""
        false_fb = question.get("feedback_false") or ""
        right, wrong = (true_fb, false_fb) if correct else (false_fb, true_fb)
        text = "TRUE" if correct else "FALSE"
        if wrong.strip() or right.strip():
            text += "#" + (out.text(wrong, fmt) if wrong.strip() else "")
        if right.strip():
            text += "#" + out.text(right, fmt)
        return text

    def moodle_xml_read(self, reader, element, question, files):
        answers = reader.answers(element, files)
        by_text = {reader.answer_text(a).lower(): a for a in answers}
        true, false = by_text.get("true"), by_text.get("false")
        if (true is None or false is None) and len(answers) == 2:
            reader.warn(
                element,
                "answers are not 'true' and 'false': the first is read as true "
                "and the second as false, as Moodle does",
            )
            true, false = answers
        if true is None or false is None:
            reader.error(
                element, "a true/false question needs a 'true' and a 'false' answer"
            )
            return False
        question["correct"] = reader.fraction(true) >= 1
        question["feedback_true"] = reader.feedback(true)
        question["feedback_false"] = reader.feedback(false)
        return None

    def moodle_xml_write(self, question, out) -> None:
        correct = bool(question.get("correct"))
        feedback_true = question.get("feedback_true")
        feedback_false = question.get("feedback_false")
        out.answer(1 if correct else 0, "true", feedback_true, "", "moodle_auto_format")
        out.answer(
            0 if correct else 1, "false", feedback_false, "", "moodle_auto_format"
        )


register(TrueFalse())
