"""Multiple response: any options are chosen; their weights add up."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.grading import SNAP, WEIGHT_SUM_TOLERANCE, Grade, InvalidResponse, clamp
from quizzes.types import register
from quizzes.types.base import (
    NOT_POSTED,
    feedback_texts,
    ids,
    is_number,
    percent,
    unknown_option,
)
from quizzes.types.single import Single


class Multiple(Single):
    name = "multiple"
    label = gettext_lazy("Multiple response")
    admin_help = gettext_lazy(
        "One row per option. The grades of the correct options add up to 100% "
        "(1): e.g. two correct options at 0.5 each; wrong options at 0 or "
        "negative (-1 cancels a correct choice)."
    )
    # <question type="multichoice"> is read by single (its <single> says which).
    moodle_xml_names = ()

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        options, problems = self.check_options(question)
        if options:
            total = math.fsum(
                option["fraction"]
                for option in options
                if is_number(option.get("fraction")) and option["fraction"] > 0
            )
            if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE + SNAP:  # 0.5 + 0.49 is fine
                problems.append(
                    f"The positive option weights add up to {percent(total)}; "
                    "they must add up to 100%."
                )
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> list[str]:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, (list, tuple)):
            raise InvalidResponse(
                "Choose from the listed options.", code="invalid_type"
            )
        option_ids = ids(question["options"])
        chosen: set[str] = set()
        for option_id in raw:
            if not isinstance(option_id, str) or option_id not in option_ids:
                raise unknown_option()
            if option_id in chosen:
                raise InvalidResponse(
                    "The same option was chosen twice.", code="duplicate_option"
                )
            chosen.add(option_id)
        return [option_id for option_id in option_ids if option_id in chosen]

    def grade(self, question: Mapping[str, Any], response: list[str] | None) -> Grade:
        chosen = set(response or ())
        options = [opt for opt in question["options"] if opt["id"] in chosen]
        total = math.fsum(float(opt["fraction"]) for opt in options)
        return Grade(
            clamp(total),
            feedback=feedback_texts(*(opt.get("feedback") for opt in options)),
            detail={"chosen": ids(options), "sum": total},
        )

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return [opt["id"] for opt in question["options"] if opt["fraction"] > 0]

    def read_post(self, post, key, snapshot, response):
        # "<key>-present" tells a page with every box unticked from no page.
        if f"{key}-present" in post or key in post:
            return self.option_ids(response, post.getlist(key))
        return NOT_POSTED

    def posted_value(self, post, key, snapshot, saved):
        return post.getlist(key)


register(Multiple())
