"""Short answer: a typed text compared with accepted answers (``*`` wildcards)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.grading import (
    SHORTANSWER_MAX_CHARS,
    Grade,
    clamp,
    clean_text,
    normalise_text,
    wildcard_match,
)
from quizzes.types import register
from quizzes.types.base import (
    QuestionType,
    best_answer,
    check_fractions,
    check_list,
    distinct,
    feedback_texts,
    is_full,
    is_text,
)


def check_answers(question: Mapping[str, Any]):
    """The answers that are mappings and the problems every answer list has
    (shared with numerical)."""
    answers, problems = check_list(question, "answers", "answer", 1)
    if not answers:
        return answers, problems
    problems += check_fractions(answers, "answer", 0.0)
    if not any(is_full(answer.get("fraction")) for answer in answers):
        problems.append("At least one answer must be worth 100%.")
    return answers, problems


class ShortAnswer(QuestionType):
    name = "shortanswer"
    label = gettext_lazy("Short answer")
    admin_fields = ("case_sensitive",)
    answer_columns = ("text", "fraction", "feedback")
    admin_help = gettext_lazy(
        "One row per accepted answer in “text”, with its grade (at least one at 1). "
        "A * matches any run of characters; case is ignored unless “case "
        "sensitive” is ticked."
    )
    moodle_xml_names = ("shortanswer",)
    moodle_xml_type = "shortanswer"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        answers, problems = check_answers(question)
        if not answers:
            return problems
        problems += [
            f"Answer {number} has no text."
            for number, answer in enumerate(answers, 1)
            if not is_text(answer.get("text"))
        ]
        if not isinstance(question.get("case_sensitive", False), bool):
            problems.append("“case_sensitive” must be true or false.")
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> str | None:
        if isinstance(raw, str):
            raw = raw.strip()
        return clean_text(raw, limit=SHORTANSWER_MAX_CHARS) or None

    def grade(self, question: Mapping[str, Any], response: str | None) -> Grade:
        if response is None:
            return Grade(0.0, detail={"matched": None})
        case_sensitive = bool(question.get("case_sensitive", False))
        given = normalise_text(response, case_sensitive=case_sensitive)
        answers = question["answers"]
        best = best_answer(
            answers,
            lambda answer: wildcard_match(
                normalise_text(answer["text"], case_sensitive=case_sensitive), given
            ),
        )
        if best is None:
            return Grade(0.0, detail={"matched": None})
        return Grade(
            clamp(answers[best]["fraction"]),
            feedback=feedback_texts(answers[best].get("feedback")),
            detail={"matched": best},
        )

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return max(question["answers"], key=lambda answer: answer["fraction"])["text"]

    def regrade_key(self, old, current, new) -> None:
        new["answers"] = [dict(answer) for answer in current["answers"]]
        new["case_sensitive"] = current.get("case_sensitive", False)

    def describe_right_answer(self, snapshot) -> list[str]:
        # A wildcard pattern ("*disaster*") is shown as the words it looks for;
        # answers that then print alike (or differ only in case, when case does
        # not count) are listed once.
        return distinct(
            (
                " ".join(a["text"].replace("*", " ").split()) or a["text"]
                for a in snapshot["answers"]
                if a.get("fraction", 0) >= 1
            ),
            fold=not snapshot.get("case_sensitive", False),
        )

    def dict_from_rows(self, question, rows) -> dict:
        return {
            "case_sensitive": question.case_sensitive,
            "answers": [
                {"text": a.text, "fraction": a.fraction, "feedback": a.feedback}
                for a in rows
            ],
        }

    def rows_from_dict(self, data) -> list[dict]:
        return [
            {
                "text": answer["text"],
                "fraction": answer.get("fraction", 1.0),
                "feedback": answer.get("feedback", ""),
            }
            for answer in data.get("answers", ())
        ]

    def gift_write(self, question, fmt, out) -> str:
        lines = []
        for answer in question.get("answers") or []:
            feedback = answer.get("feedback") or ""
            if "->" in answer["text"] or "->" in feedback:
                raise ValueError(
                    "GIFT cannot hold '->' in a short answer or its feedback"
                )
            fraction = float(answer.get("fraction", 1.0))
            weight = "" if fraction == 1.0 else out.weight(fraction)
            lines.append(
                f"\t={weight}{out.text(answer['text'], fmt)}"
                f"{out.feedback(feedback, fmt)}\n"
            )
        return "\n" + "".join(lines)

    def moodle_xml_read(self, reader, element, question, files):
        question["case_sensitive"] = reader.flag(
            reader.child_text(element, "usecase"), False
        )
        question["answers"] = [
            {
                "text": reader.answer_text(answer),
                "fraction": reader.fraction(answer),
                "feedback": reader.feedback(answer),
            }
            for answer in reader.answers(element, files)
        ]

    def moodle_xml_write(self, question, out) -> None:
        out.add(f"<usecase>{1 if question.get('case_sensitive') else 0}</usecase>")
        for entry in question.get("answers") or ():
            out.answer(
                entry["fraction"],
                entry["text"],
                entry.get("feedback"),
                "",
                "plain_text",
            )


register(ShortAnswer())
