"""Numerical: a typed number within a tolerance or a range of an answer."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.gift import ANY_NUMBER  # Moodle's "any other answer" (``*``)
from quizzes.grading import NUMERICAL_MAX_CHARS, Grade, clamp, clean_text, parse_number
from quizzes.types import register
from quizzes.types.base import (
    QuestionType,
    best_answer,
    distinct,
    feedback_texts,
    is_number,
)
from quizzes.types.shortanswer import check_answers


def is_any_number(answer: Mapping) -> bool:
    return answer.get("min") == -ANY_NUMBER and answer.get("max") == ANY_NUMBER


def _dec(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


# The float error a tolerance absorbs (1.6 - 1.5 = 0.10000000000000009).
_RELATIVE_SLACK = 1e-9


def answer_matches(answer: Mapping[str, Any], value: float) -> bool:
    """Whether ``value`` is within the answer's tolerance or its range."""
    if "min" in answer or "max" in answer:
        return float(answer["min"]) <= value <= float(answer["max"])
    target = float(answer["value"])
    tolerance = float(answer.get("tolerance") or 0.0)
    slack = _RELATIVE_SLACK * max(abs(target), tolerance)
    return abs(value - target) <= tolerance + slack


class Numerical(QuestionType):
    name = "numerical"
    label = gettext_lazy("Numerical")
    answer_columns = ("number", "tolerance", "number_max", "fraction", "feedback")
    admin_help = gettext_lazy(
        "One row per accepted answer: the number and a tolerance (± how much), or "
        "a range from “number” to “range maximum”. At least one answer is worth "
        "100% (grade 1)."
    )
    moodle_xml_names = ("numerical",)
    moodle_xml_type = "numerical"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        answers, problems = check_answers(question)
        for number, answer in enumerate(answers, 1):
            if "min" in answer or "max" in answer:
                if "value" in answer:
                    problems.append(
                        f"Answer {number} has both a value and a range; keep one."
                    )
                if not (is_number(answer.get("min")) and is_number(answer.get("max"))):
                    problems.append(
                        f"Answer {number}: the range needs a minimum and a maximum "
                        "number."
                    )
                elif answer["min"] > answer["max"]:
                    problems.append(
                        f"Answer {number}: the minimum is greater than the maximum."
                    )
            elif not is_number(answer.get("value")):
                problems.append(f"Answer {number} needs a number.")
            else:
                tolerance = answer.get("tolerance", 0)
                if not is_number(tolerance) or tolerance < 0:
                    problems.append(
                        f"Answer {number}: the tolerance must be a number of 0 or more."
                    )
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> str | None:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)
        if isinstance(raw, str):
            raw = raw.strip()
        text = clean_text(raw, limit=NUMERICAL_MAX_CHARS)
        parse_number(text)
        return text

    def grade(self, question: Mapping[str, Any], response: str | None) -> Grade:
        if response is None:
            return Grade(0.0, detail={"value": None, "matched": None})
        value = parse_number(response)
        answers = question["answers"]
        best = best_answer(answers, lambda answer: answer_matches(answer, value))
        if best is None:
            return Grade(0.0, detail={"value": value, "matched": None})
        return Grade(
            clamp(answers[best]["fraction"]),
            feedback=feedback_texts(answers[best].get("feedback")),
            detail={"value": value, "matched": best},
        )

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        best = max(question["answers"], key=lambda answer: answer["fraction"])
        if "min" in best or "max" in best:
            return str((float(best["min"]) + float(best["max"])) / 2)
        return str(float(best["value"]))

    def regrade_key(self, old, current, new) -> None:
        new["answers"] = [dict(answer) for answer in current["answers"]]

    def describe_right_answer(self, snapshot) -> list[str]:
        lines = []
        for a in snapshot["answers"]:
            if a.get("fraction", 0) < 1:
                continue
            if "min" in a:
                lines.append(f"{a['min']:g} – {a['max']:g}")
            elif a.get("tolerance"):
                lines.append(f"{a['value']:g} ± {a['tolerance']:g}")
            else:
                lines.append(f"{a['value']:g}")
        return distinct(lines)

    def dict_from_rows(self, question, rows) -> dict:
        answers = []
        for a in rows:
            if a.number_max is not None:
                answer = {"min": a.number, "max": a.number_max}
            else:
                answer = {"value": a.number, "tolerance": a.tolerance or 0.0}
            answer.update(fraction=a.fraction, feedback=a.feedback)
            answers.append(answer)
        return {"answers": answers}

    def rows_from_dict(self, data) -> list[dict]:
        rows = []
        for answer in data.get("answers", ()):
            if "min" in answer:
                row = {"number": answer["min"], "number_max": answer["max"]}
            else:
                row = {
                    "number": answer["value"],
                    "tolerance": answer.get("tolerance", 0.0),
                }
            row["fraction"] = answer.get("fraction", 1.0)
            row["feedback"] = answer.get("feedback", "")
            rows.append(row)
        return rows

    def gift_write(self, question, fmt, out) -> str:
        def any_number(answer: Mapping[str, Any]) -> bool:
            return (
                answer.get("min") == -out.ANY_NUMBER
                and answer.get("max") == out.ANY_NUMBER
                and float(answer.get("fraction", 1.0)) == 0.0
            )

        lines = []
        answers = list(question.get("answers") or [])
        anything = next((a for a in answers if any_number(a)), None)
        if anything is not None and anything is not answers[-1]:
            anything = None  # only a last catch-all reads back in place
        for answer in answers:
            if answer is anything:
                feedback = out.feedback(anything.get("feedback"), fmt) or "#"
                lines.append(f"\t~{feedback}\n")
                continue
            if "min" in answer or "max" in answer:
                value = f"{out.number(answer['min'])}..{out.number(answer['max'])}"
            else:
                value = out.number(answer["value"])
                tolerance = float(answer.get("tolerance") or 0.0)
                if tolerance:
                    value += ":" + out.number(tolerance)
            fraction = float(answer.get("fraction", 1.0))
            weight = "" if fraction == 1.0 else out.weight(fraction)
            feedback = out.feedback(answer.get("feedback"), fmt)
            lines.append(f"\t={weight}{value}{feedback}\n")
        return "#\n" + "".join(lines)

    def moodle_xml_read(self, reader, element, question, files):
        if element.find("units/unit") is not None:
            reader.warn(
                element.find("units"), "units are ignored (answers are numbers)"
            )
        answers = []
        for answer in reader.answers(element, files):
            raw = reader.answer_text(answer)
            if raw == "*":
                # Moodle's "any other answer": ours is the widest range (as
                # GIFT's ``~#feedback`` reads).
                answers.append(
                    {
                        "min": -ANY_NUMBER,
                        "max": ANY_NUMBER,
                        "fraction": reader.fraction(answer),
                        "feedback": reader.feedback(answer),
                    }
                )
                continue
            value = reader.number(answer, raw, "a numerical answer", 0.0)
            tolerance = reader.number(
                answer, reader.child_text(answer, "tolerance"), "tolerance", 0.0
            )
            answers.append(
                {
                    "value": value,
                    "tolerance": abs(tolerance),
                    "fraction": reader.fraction(answer),
                    "feedback": reader.feedback(answer),
                }
            )
        question["answers"] = answers

    def moodle_xml_write(self, question, out) -> None:
        for entry in question.get("answers") or ():
            if is_any_number(entry):
                # Moodle writes (and reads) "any other answer" as ``*``.
                value, tolerance = "*", "0"
            elif "min" in entry:
                # Moodle stores a range as its mid point and half width;
                # decimal arithmetic keeps 3.141..3.142 as 3.1415 +- 0.0005.
                low, high = Decimal(repr(entry["min"])), Decimal(repr(entry["max"]))
                value, tolerance = _dec((low + high) / 2), _dec((high - low) / 2)
            else:
                value = out.num(entry["value"])
                tolerance = out.num(entry.get("tolerance", 0))
            extra = f"{out.indent}  <tolerance>{tolerance}</tolerance>"
            out.answer(
                entry["fraction"],
                value,
                entry.get("feedback"),
                extra,
                "plain_text",
            )


register(Numerical())
