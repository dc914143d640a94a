"""Grading a stored answer again against the question's current answer key. Pure.

An attempt froze its questions (``Response.snapshot``); a regrade replaces the
*answer key* in that snapshot with the question's current one and grades the
stored answer again with ``quizzes.grading``. What the student saw stays as it
was: question and option texts, the option order, the ids their answer refers to.
What changes is what decides the marks: option fractions, the true/false answer,
accepted short and numerical answers, matching pairs' answers, the correct order
of an ordering question, and the feedback texts (the combined feedback too).

Options, pairs and items are matched by id, and by text when the id is gone (an
option deleted and added again; bank imports before they updated answer rows in
place recreated them with new ids). When the two versions
cannot be matched (the type changed, an option the student saw was deleted, an
ordering gained or lost items) the response is not regraded: ``Incompatible``
says why, and an instructor can override it by hand. Essays and descriptions are
never regraded: no machine scored them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizzes import grading, moodle_options

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


def _match(old: list[Mapping], current: list[Mapping], text_key: str) -> list:
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
    for name in moodle_options.COMBINED_FEEDBACK:  # absent: none
        new.pop(name, None)
        if current.get(name):
            new[name] = current[name]
    if kind in ("single", "multiple"):
        matched = _match(old["options"], current["options"], "text")
        new["options"] = [
            {**shown, "fraction": now["fraction"], "feedback": now.get("feedback", "")}
            for shown, now in zip(old["options"], matched, strict=True)
        ]
    elif kind == "truefalse":
        for name in ("correct", "feedback_true", "feedback_false"):
            new[name] = current.get(name, old.get(name))
    elif kind in ("shortanswer", "numerical"):
        new["answers"] = [dict(answer) for answer in current["answers"]]
        if kind == "shortanswer":
            new["case_sensitive"] = current.get("case_sensitive", False)
    elif kind == "matching":
        matched = _match(old["pairs"], current["pairs"], "prompt")
        if len(current["pairs"]) != len(old["pairs"]):
            raise Incompatible(OPTIONS_CHANGED)
        new["pairs"] = [
            {**shown, "answer": now["answer"]}
            for shown, now in zip(old["pairs"], matched, strict=True)
        ]
        # Every answer the student could pick stays allowed (a wrong one now).
        answers = {pair["answer"] for pair in new["pairs"]}
        offered = list(current.get("distractors") or ())
        offered += [
            choice
            for choice in old.get("choices") or ()
            if choice not in answers and choice not in offered
        ]
        new["distractors"] = offered
    elif kind == "ordering":
        if len(current["items"]) != len(old["items"]):
            raise Incompatible(OPTIONS_CHANGED)
        # The current items in their (correct) order, under the ids the student
        # ordered.
        matched = _match(current["items"], old["items"], "text")
        new["items"] = [dict(item) for item in matched]
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
