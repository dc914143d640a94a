"""Single choice: one option is chosen; its fraction is the grade.

The choice rules shared with ``multiple`` (options, rows, tokens on the page,
GIFT and Moodle XML ``multichoice``) live here; ``multiple.py`` overrides what
differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.grading import Grade, clamp
from quizzes.regrading import match_entries
from quizzes.types import register
from quizzes.types.base import (
    NOT_POSTED,
    QuestionType,
    check_fractions,
    check_ids,
    check_list,
    check_text,
    feedback_texts,
    ids,
    is_full,
    unknown_option,
)


class Single(QuestionType):
    name = "single"
    label = gettext_lazy("Single choice")
    answer_columns = ("text", "fraction", "feedback")
    admin_help = gettext_lazy(
        "One row per option: its text, its grade (1 = 100%) and feedback. Exactly "
        "one option is worth 100%; others may earn part marks (0.5) or lose marks "
        "(-0.5)."
    )
    moodle_xml_names = ("multichoice",)  # multiple is read here too (<single>)
    moodle_xml_type = "multichoice"

    # dict and grading
    def validate(self, question: Mapping[str, Any]) -> list[str]:
        options, problems = self.check_options(question)
        # Several 100% options are allowed (Moodle's several '=' answers): each is
        # right. The best option must be worth 100%.
        if options and not any(is_full(option.get("fraction")) for option in options):
            problems.append("At least one option must be worth 100%.")
        return problems

    @staticmethod
    def check_options(question: Mapping[str, Any]):
        options, problems = check_list(question, "options", "option", 2)
        problems += check_ids(options, "option")
        problems += check_text(options, "text", "option")
        problems += check_fractions(options, "option", -1.0)
        return options, problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> str:
        if not isinstance(raw, str) or raw not in ids(question["options"]):
            raise unknown_option()
        return raw

    def grade(self, question: Mapping[str, Any], response: str | None) -> Grade:
        if response is None:
            return Grade(0.0, detail={"chosen": None})
        option = next(opt for opt in question["options"] if opt["id"] == response)
        return Grade(
            clamp(option["fraction"]),
            feedback=feedback_texts(option.get("feedback")),
            detail={"chosen": response},
        )

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        options = question["options"]
        return max(options, key=lambda opt: opt["fraction"])["id"]

    def regrade_key(self, old, current, new) -> None:
        matched = match_entries(old["options"], current["options"], "text")
        new["options"] = [
            {**shown, "fraction": now["fraction"], "feedback": now.get("feedback", "")}
            for shown, now in zip(old["options"], matched, strict=True)
        ]

    # the attempt page: options are posted as tokens (presenting.option_token)
    @staticmethod
    def option_ids(response, values: list[str]) -> list[str]:
        from quizzes.presenting import option_ids

        return option_ids(response, values)

    def read_post(self, post, key, snapshot, response):
        value = super().read_post(post, key, snapshot, response)
        return value if value is NOT_POSTED else self.option_ids(response, [value])[0]

    def page_fields(self, snapshot, answer, token) -> dict:
        # Saved answers hold option ids; a page shown again holds tokens.
        chosen = set(answer if isinstance(answer, list) else [answer])
        return {
            "options": [
                {
                    "id": option_token,
                    "text": option["text"],
                    "checked": option["id"] in chosen or option_token in chosen,
                }
                for option in snapshot["options"]
                for option_token in [token(option["id"])]
            ]
        }

    def freeze(self, data: dict, rng, shuffle: bool) -> None:
        if shuffle:
            rng.shuffle(data["options"])

    # review
    def describe_answer(self, snapshot, answer) -> list[str]:
        texts = {o["id"]: o["text"] for o in snapshot["options"]}
        chosen = answer if isinstance(answer, list) else [answer]
        return [texts.get(i, "?") for i in chosen]

    # stored rows
    def dict_from_rows(self, question, rows) -> dict:
        return {
            "options": [
                {
                    "id": str(a.pk),
                    "text": a.text,
                    "fraction": a.fraction,
                    "feedback": a.feedback,
                }
                for a in rows
            ]
        }

    def rows_from_dict(self, data) -> list[dict]:
        return [
            {
                "text": option["text"],
                "fraction": option.get("fraction", 0.0),
                "feedback": option.get("feedback", ""),
            }
            for option in data.get("options", ())
        ]

    # file formats
    def gift_write(self, question, fmt, out) -> str:
        options = question.get("options") or []
        single = question["type"] == "single"
        if len(options) < 2:
            raise ValueError("a choice question needs at least 2 options")
        if single and not any(float(o["fraction"]) == 1.0 for o in options):
            raise ValueError("a single choice question needs a 100% option")
        # Several '=' are several right options; but with no '~' at all, '=a =b'
        # would read as a short answer, so all-right options use '~%100%' after one.
        all_right = all(float(o.get("fraction") or 0.0) == 1.0 for o in options)
        lines = []
        for index, option in enumerate(options):
            fraction = float(option.get("fraction") or 0.0)
            if single and fraction == 1.0 and not (all_right and index):
                marker = "="
            elif fraction == 0:
                marker = "~"
            else:
                marker = "~" + out.weight(fraction)
            lines.append(
                f"\t{marker}{out.text(option['text'], fmt)}"
                f"{out.feedback(option.get('feedback'), fmt)}\n"
            )
        return "\n" + "".join(lines)

    def moodle_xml_read(self, reader, element, question, files):
        single = reader.flag(reader.child_text(element, "single"), True)
        question["type"] = "single" if single else "multiple"
        question["options"] = [
            {
                "id": reader.label(index),
                "text": reader.answer_text(answer),
                "fraction": reader.fraction(answer),
                "feedback": reader.feedback(answer),
            }
            for index, answer in enumerate(reader.answers(element, files))
        ]

    def moodle_xml_write(self, question, out) -> None:
        single = question["type"] == "single"
        out.add(f"<single>{'true' if single else 'false'}</single>")
        out.add("<shuffleanswers>true</shuffleanswers>")
        out.add("<answernumbering>abc</answernumbering>")
        for option in question.get("options") or ():
            out.answer(
                option["fraction"],
                option["text"],
                option.get("feedback"),
                "",
                "plain_text",
            )


register(Single())
