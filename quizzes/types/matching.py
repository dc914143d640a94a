"""Matching: each prompt is matched to one of the answers (plus distractors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    is_text,
)


class Matching(QuestionType):
    name = "matching"
    label = gettext_lazy("Matching")
    answer_columns = ("text", "match_text")
    admin_help = gettext_lazy(
        "One row per pair: the prompt in “text” and its answer in “matching "
        "answer”; at least two pairs. A row with only a matching answer is an extra "
        "wrong choice (a distractor). Grades are not used."
    )
    moodle_xml_names = ("matching", "match")
    moodle_xml_type = "matching"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        pairs, problems = check_list(question, "pairs", "pair", 2)
        problems += check_ids(pairs, "pair")
        problems += check_text(pairs, "prompt", "pair")
        problems += check_text(pairs, "answer", "pair")
        distractors = question.get("distractors", [])
        if not isinstance(distractors, list) or not all(map(is_text, distractors)):
            problems.append("Distractors must be non-empty texts.")
        else:
            answers = {pair.get("answer") for pair in pairs}
            problems += [
                f"The distractor “{text}” is also the answer of a pair."
                for text in distractors
                if text in answers
            ]
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> dict | None:
        if not isinstance(raw, Mapping):
            raise InvalidResponse("Match each item to an answer.", code="invalid_type")
        pairs = question["pairs"]
        pair_ids = ids(pairs)
        allowed = {pair["answer"] for pair in pairs}
        allowed.update(question.get("distractors") or ())
        given: dict[str, str] = {}
        for pair_id, answer in raw.items():
            if not isinstance(pair_id, str) or pair_id not in pair_ids:
                raise InvalidResponse(
                    "That item is not part of this question.", code="unknown_pair"
                )
            if answer is None or (isinstance(answer, str) and not answer.strip()):
                continue  # a select left on its empty choice: this pair is unanswered
            if not isinstance(answer, str) or answer not in allowed:
                raise InvalidResponse(
                    "That answer is not one of this question's choices.",
                    code="unknown_answer",
                )
            given[pair_id] = answer
        ordered = {pair_id: given[pair_id] for pair_id in pair_ids if pair_id in given}
        return ordered or None

    def grade(self, question: Mapping[str, Any], response: dict | None) -> Grade:
        given = response or {}
        pairs = question["pairs"]
        right = {pair["id"]: given.get(pair["id"]) == pair["answer"] for pair in pairs}
        fraction = sum(right.values()) / len(pairs) if pairs else 0.0
        return Grade(clamp(fraction), detail=right)

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return {pair["id"]: pair["answer"] for pair in question["pairs"]}

    def regrade_key(self, old, current, new) -> None:
        matched = match_entries(old["pairs"], current["pairs"], "prompt")
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

    # the attempt page: one select per pair, "<key>-<pair id>"
    def read_post(self, post, key, snapshot, response):
        pairs = {
            pair["id"]: post.get(f"{key}-{pair['id']}", "")
            for pair in snapshot["pairs"]
            if f"{key}-{pair['id']}" in post
        }
        if not pairs:
            return NOT_POSTED
        return {pair_id: value for pair_id, value in pairs.items() if value}

    def posted_value(self, post, key, snapshot, saved):
        return {p["id"]: post.get(f"{key}-{p['id']}", "") for p in snapshot["pairs"]}

    def page_fields(self, snapshot, answer, token) -> dict:
        chosen = answer or {}
        return {
            "pairs": [
                {
                    "id": pair["id"],
                    "prompt": pair["prompt"],
                    "selected": chosen.get(pair["id"], ""),
                }
                for pair in snapshot["pairs"]
            ],
            "choices": snapshot["choices"],
        }

    def freeze(self, data: dict, rng, shuffle: bool) -> None:
        choices = sorted(
            {pair["answer"] for pair in data["pairs"]} | set(data["distractors"])
        )
        rng.shuffle(choices)
        data["choices"] = choices

    def describe_answer(self, snapshot, answer) -> list[str]:
        prompts = {p["id"]: p["prompt"] for p in snapshot["pairs"]}
        return [f"{prompts.get(k, '?')} → {v}" for k, v in answer.items()]

    def describe_right_answer(self, snapshot) -> list[str]:
        return [f"{p['prompt']} → {p['answer']}" for p in snapshot["pairs"]]

    # stored rows: a row with a text is a pair, one without is a distractor
    def dict_from_rows(self, question, rows) -> dict:
        return {
            "pairs": [
                {"id": str(a.pk), "prompt": a.text, "answer": a.match_text}
                for a in rows
                if a.text.strip()
            ],
            "distractors": [a.match_text for a in rows if not a.text.strip()],
        }

    def rows_from_dict(self, data) -> list[dict]:
        rows = [
            {"text": pair["prompt"], "match_text": pair["answer"]}
            for pair in data.get("pairs", ())
        ]
        rows += [
            {"text": "", "match_text": distractor}
            for distractor in data.get("distractors", ())
        ]
        return rows

    def gift_write(self, question, fmt, out) -> str:
        lines = []
        for pair in question.get("pairs") or []:
            if "->" in pair["prompt"]:
                raise ValueError("GIFT cannot hold '->' in a matching prompt")
            answer = out.escape(pair["answer"].strip())
            lines.append(f"\t={out.text(pair['prompt'], fmt)} -> {answer}\n")
        for distractor in question.get("distractors") or []:
            lines.append(f"\t= -> {out.escape(distractor.strip())}\n")
        return "\n" + "".join(lines)

    def moodle_xml_read(self, reader, element, question, files):
        question["type"] = "matching"
        pairs, distractors = [], []
        for node in element.findall("subquestion"):
            reader.files(node, files)
            prompt = reader.answer_text(node)
            answer = (reader.child_text(node, "answer", "") or "").strip()
            if prompt:
                pairs.append(
                    {"id": reader.label(len(pairs)), "prompt": prompt, "answer": answer}
                )
            elif answer:
                distractors.append(answer)
        question["pairs"] = pairs
        question["distractors"] = distractors

    def moodle_xml_write(self, question, out) -> None:
        i = out.indent
        out.add("<shuffleanswers>true</shuffleanswers>")
        subs = [
            (pair["prompt"], pair["answer"]) for pair in question.get("pairs") or ()
        ]
        subs += [("", extra) for extra in question.get("distractors") or ()]
        for prompt, match in subs:
            out.add('<subquestion format="plain_text">')
            out.add(f"  <text>{out.cdata(prompt)}</text>")
            out.add(
                f"  <answer>\n{i}    <text>{out.cdata(match)}</text>\n{i}  </answer>"
            )
            out.add("</subquestion>")


register(Matching())
