"""Grading a stored answer again against the question's current answer key. Pure.

An attempt froze its questions (``Response.snapshot``); a regrade replaces the
*answer key* in that snapshot with the question's current one and grades the
stored answer again with ``quizzes.grading``. What the student saw stays as it
was: question and option texts, the option order, the ids their answer refers to.
What changes is what decides the marks: option fractions, the true/false answer,
accepted short and numerical answers, matching pairs' answers, the correct order
of an ordering question, and the feedback texts.

What each type's key is, and how its entries are matched, is the type's
``regrade_key`` (``quizzes/types/<type>.py``). Options, pairs and items are
matched by id, and by text when the id is gone (an option deleted and added
again; bank imports before they updated answer rows in place recreated them with
new ids). When the two versions cannot be matched (the type changed, an option
the student saw was deleted, an ordering gained or lost items) the response is
not regraded: ``Incompatible`` says why, and an instructor can override it by
hand. Essays and descriptions are never regraded: no machine scored them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizzes import grading
from quizzes import types as question_types

# Reasons a response is left as it is (codes; pages word them).
TYPE_CHANGED = "type_changed"
NOT_AUTO_GRADED = "not_auto_graded"
OPTIONS_CHANGED = "options_changed"
ANSWER_DOES_NOT_FIT = "answer_does_not_fit"


class Incompatible(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def match_entries(old: list[Mapping], current: list[Mapping], text_key: str) -> list:
    """For each old entry, the current entry with its id (or, failing that, its
    text); raises ``Incompatible`` when one has no counterpart."""
    by_id = {entry.get("id"): entry for entry in current}
    by_text = {_key(entry.get(text_key)): entry for entry in current}
    matched = []
    for entry in old:
        found = by_id.get(entry.get("id")) or by_text.get(_key(entry.get(text_key)))
        if found is None:
            raise Incompatible(OPTIONS_CHANGED)
        matched.append(found)
    if len({id(entry) for entry in matched}) != len(matched):
        raise Incompatible(OPTIONS_CHANGED)
    return matched


def regraded_snapshot(old: Mapping[str, Any], current: Mapping[str, Any]) -> dict:
    """The old snapshot carrying the current answer key (see the module docstring)."""
    kind = old.get("type")
    if current.get("type") != kind:
        raise Incompatible(TYPE_CHANGED)
    if kind not in grading.AUTO_GRADED_TYPES:
        raise Incompatible(NOT_AUTO_GRADED)
    new = dict(old)
    for name in ("general_feedback", "general_feedback_html"):
        if name in current:
            new[name] = current[name]
    question_types.get(kind).regrade_key(old, current, new)
    return new


@dataclass(frozen=True)
class Regraded:
    snapshot: dict
    fraction: float | None
    score: float | None
    feedback: list[str]
    detail: dict


def regrade(
    *, snapshot: Mapping[str, Any], current: Mapping[str, Any], answer: Any, max_mark
) -> Regraded:
    """Grade ``answer`` against ``current``'s key; raises ``Incompatible``."""
    new = regraded_snapshot(snapshot, current)
    try:
        result = grading.grade(new, answer)
    except grading.InvalidResponse:
        raise Incompatible(ANSWER_DOES_NOT_FIT) from None
    return Regraded(
        snapshot=new,
        fraction=result.fraction,
        score=grading.score(new, result, max_mark),
        feedback=list(result.feedback),
        detail=dict(result.detail),
    )
