"""Ordering: items put in the right order ("absolute position" grading)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from quizzes.grading import Grade, InvalidResponse, clamp
from quizzes.regrading import OPTIONS_CHANGED, Incompatible, match_entries
from quizzes.types import register
from quizzes.types.base import (
    NOT_POSTED,
    QuestionType,
    check_ids,
    check_list,
    check_text,
    ids,
)


def opaque_id(row) -> str:
    """An item's id: a keyed hash of its row's primary key. The rows are written
    in the correct order, so their primary keys would give the answer away on the
    attempt page; this is just as stable and tells nothing."""
    digest = hashlib.blake2b(
        f"ordering-item:{row.pk}".encode(),
        key=settings.SECRET_KEY.encode()[:64],
        digest_size=6,
    )
    return digest.hexdigest()


class Ordering(QuestionType):
    name = "ordering"
    label = gettext_lazy("Ordering")
    answer_columns = ("text",)
    admin_help = gettext_lazy(
        "One row per item, in the correct order (by position); at least two items. "
        "Students see them shuffled."
    )
    moodle_xml_names = ("ordering",)
    moodle_xml_type = "ordering"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        items, problems = check_list(question, "items", "item", 2)
        return problems + check_ids(items, "item") + check_text(items, "text", "item")

    def normalise(self, question: Mapping[str, Any], raw: Any) -> list[str]:
        if not isinstance(raw, (list, tuple)):
            raise InvalidResponse("Put the items in order.", code="invalid_type")
        item_ids = ids(question["items"])
        seen: set[str] = set()
        for item_id in raw:
            if not isinstance(item_id, str) or item_id not in item_ids:
                raise InvalidResponse(
                    "That item is not part of this question.", code="unknown_item"
                )
            if item_id in seen:
                raise InvalidResponse("An item appears twice.", code="duplicate_item")
            seen.add(item_id)
        if len(seen) != len(item_ids):
            raise InvalidResponse(
                "Every item must appear exactly once.", code="incomplete_order"
            )
        return list(raw)

    def grade(self, question: Mapping[str, Any], response: list[str] | None) -> Grade:
        item_ids = ids(question["items"])
        given = response or [None] * len(item_ids)
        right = {
            item_id: item_id == at for item_id, at in zip(item_ids, given, strict=True)
        }
        fraction = sum(right.values()) / len(item_ids) if item_ids else 0.0
        return Grade(clamp(fraction), detail=right)

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return ids(question["items"])

    def regrade_key(self, old, current, new) -> None:
        if len(current["items"]) != len(old["items"]):
            raise Incompatible(OPTIONS_CHANGED)
        # The current items in their (correct) order, under the ids the student
        # ordered.
        matched = match_entries(current["items"], old["items"], "text")
        new["items"] = [dict(item) for item in matched]

    # the attempt page: "<key>-order", the item ids separated by commas
    def read_post(self, post, key, snapshot, response):
        if f"{key}-order" not in post:
            return NOT_POSTED
        order = [i for i in post.get(f"{key}-order", "").split(",") if i]
        # The shuffled order as first shown is not an answer (it is never the
        # right one): only a moved or earlier answer is saved.
        untouched = order == snapshot.get("display_order")
        if untouched and response.answer is None:
            return NOT_POSTED
        return order

    def posted_value(self, post, key, snapshot, saved):
        # Only a permutation of the items can be shown again: a forged order beside
        # an honest mistake elsewhere on the page must not break the page.
        order = (post.get(f"{key}-order") or "").split(",")
        item_ids = ids(snapshot["items"])
        return order if sorted(order) == sorted(item_ids) else saved

    def page_fields(self, snapshot, answer, token) -> dict:
        texts = {entry["id"]: entry["text"] for entry in snapshot["items"]}
        order = answer or snapshot["display_order"]
        return {
            "items": [{"id": i, "text": texts[i]} for i in order],
            "order": ",".join(order),
        }

    def freeze(self, data: dict, rng, shuffle: bool) -> None:
        # Items are stored in the correct order: the display order must differ.
        item_ids = ids(data["items"])
        shown = item_ids[:]
        while len(item_ids) > 1 and shown == item_ids:
            rng.shuffle(shown)
        data["display_order"] = shown

    def describe_answer(self, snapshot, answer) -> list[str]:
        texts = {i["id"]: i["text"] for i in snapshot["items"]}
        return [f"{n}. {texts.get(i, '?')}" for n, i in enumerate(answer, start=1)]

    def dict_from_rows(self, question, rows) -> dict:
        return {"items": [{"id": opaque_id(a), "text": a.text} for a in rows]}

    def rows_from_dict(self, data) -> list[dict]:
        return [{"text": item["text"]} for item in data.get("items", ())]

    # GIFT has no ordering question: gift_write refuses (the base's).

    def moodle_xml_read(self, reader, element, question, files):
        question["items"] = [
            {"id": reader.label(index), "text": reader.answer_text(answer)}
            for index, answer in enumerate(reader.answers(element, files))
        ]

    def moodle_xml_write(self, question, out) -> None:
        out.add("<layouttype>VERTICAL</layouttype>")
        out.add("<selecttype>ALL</selecttype>")
        out.add("<selectcount>0</selectcount>")
        out.add("<gradingtype>ABSOLUTE_POSITION</gradingtype>")
        for item in question.get("items") or ():
            out.answer(1, item["text"], "", "", "plain_text")


register(Ordering())
