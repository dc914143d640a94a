"""Cloze (Moodle's "embedded answers", multianswer): gaps written inside the text.

The syntax, the gap dicts and grading live in the pure module ``quizzes.cloze``;
the controls in the text in ``quizzes.cloze_html``. This module wires them into
the registry:

- the bank question's ``text`` is the source, gaps written out; it has no answer
  rows. ``dict_from_rows`` adds ``gaps`` read from the text, and an attempt's
  snapshot keeps the text with ``{#1}`` markers (``page_text``), so the page
  never renders the answers;
- the attempt page shows each gap as a control named ``q<N>-gap-<id>`` in the
  rendered text (``page_html``); choice options are posted as tokens, as single
  and multiple choice do;
- the review describes the answer, the right answer and the feedback gap by gap
  (``describe_parts``), each only when the review policy shows it;
- GIFT has no embedded answers: exporting a cloze question to GIFT is refused,
  naming it (Moodle's GIFT export writes nothing for it either); Moodle XML
  reads ``type="cloze"`` (what Moodle writes) and ``type="multianswer"``, and
  writes ``type="cloze"`` with the source text as ``questiontext``, as Moodle
  does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.problems import more_problems
from quizzes import cloze
from quizzes.cloze_html import gap_field, public_gaps, render_gaps
from quizzes.grading import Grade, InvalidResponse
from quizzes.types import register
from quizzes.types.base import NOT_POSTED, QuestionType, is_blank

_CHOICES = ("choice", "multiresponse")


def gaps_of(question: Mapping[str, Any]) -> list[dict]:
    """The question's gaps: its ``gaps`` when it has them, else read from its
    text (a bank dict may leave them out). Raises ``cloze.ClozeError``."""
    gaps = question.get("gaps")
    if isinstance(gaps, list) and gaps:
        return gaps
    return cloze.parse_cloze(question.get("text") or "")[1]


def _folded(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _is_marked(question: Mapping[str, Any]) -> bool:
    """Whether the dict is a snapshot: text with markers, gaps beside it."""
    return "gaps" in question and bool(cloze.MARKER.search(question.get("text") or ""))


def _token_map(response, snapshot: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Every token the page may post for a choice option -> (gap id, option id),
    under the current secret key and its fallbacks."""
    from quizzes.presenting import option_token

    found: dict[str, tuple[str, str]] = {}
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        for gap in snapshot.get("gaps") or ():
            for option in gap.get("options") or ():
                token = option_token(
                    response.pk, f"{gap['id']}:{option['id']}", secret=secret
                )
                found.setdefault(token, (gap["id"], option["id"]))
    return found


class Cloze(QuestionType):
    name = "cloze"
    label = gettext_lazy("Cloze (embedded answers)")
    admin_help = gettext_lazy(
        "Write the gaps inside the question text, as in Moodle: "
        "{1:SHORTANSWER:=Lima#Right~%50%Callao#Its port} (SA; SAC is case "
        "sensitive), {1:NUMERICAL:=3:0.5} (a value and its tolerance; * is any "
        "other number), {1:MULTICHOICE:=right~wrong} (MC drop-down, MCV vertical, "
        "MCH horizontal, add S to shuffle) and {1:MULTIRESPONSE:=a~=b~c} (MR, MRH). "
        "The first number is the gap's weight; = marks the right answer, %50% a "
        "partial one, # a feedback. Write \\} \\# \\~ for those characters. No "
        "answer rows."
    )
    moodle_xml_names = ("cloze", "multianswer")
    moodle_xml_type = "cloze"

    # dict and grading
    def validate(self, question: Mapping[str, Any]) -> list[str]:
        text = question.get("text")
        if not isinstance(text, str) or not text.strip():
            return []  # grading reports the missing text
        if _is_marked(question):
            problems = cloze.validate_gaps(question.get("gaps"))
            ids = {
                gap.get("id") for gap in question["gaps"] if isinstance(gap, Mapping)
            }
            marked = set(cloze.MARKER.findall(text))
            problems += [
                f"Gap {gap_id} has no {{#{gap_id}}} in the text."
                for gap_id in sorted(ids - marked, key=str)
            ]
            return problems
        try:
            _, gaps = cloze.parse_cloze(text)
        except cloze.ClozeError as error:
            lines = [str(problem) for problem in error.errors]
            if error.more:
                lines.append(more_problems(error.more))
            return lines
        if "gaps" in question and question["gaps"] not in (gaps, None, []):
            return ["“gaps” differ from the gaps written in the text; leave them out."]
        return cloze.validate_gaps(gaps)

    def normalise(self, question: Mapping[str, Any], raw: Any) -> dict | None:
        return cloze.normalise_response(gaps_of(question), raw)

    def grade(self, question: Mapping[str, Any], response: Any) -> Grade:
        return cloze.grade(gaps_of(question), response)

    def parts(self, question: Mapping[str, Any]) -> list[str]:
        return [gap["id"] for gap in gaps_of(question)]

    def correct_response(self, question: Mapping[str, Any]) -> dict:
        return cloze.correct_response(gaps_of(question))

    def page_text(self, data: Mapping[str, Any]) -> str:
        if _is_marked(data):
            return data["text"]
        try:
            return cloze.parse_cloze(data.get("text") or "")[0]
        except cloze.ClozeError:
            # Never the source: it holds the answers. The admin refuses such a
            # text; this only guards rows written some other way.
            return _("This question cannot be shown: its gaps are not written well.")

    # the attempt page
    def read_post(self, post, key, snapshot, response):
        tokens = None
        answer: dict[str, Any] = {}
        for gap in snapshot.get("gaps") or ():
            name = gap_field(key, gap["id"])
            if gap["kind"] == "multiresponse":
                if name not in post and f"{name}-present" not in post:
                    continue
                values = post.getlist(name)
            elif name in post:
                values = post.getlist(name)
                if len(values) != 1:
                    raise InvalidResponse("One answer expected for each gap.")
            else:
                continue
            if gap["kind"] in _CHOICES:
                tokens = (
                    tokens if tokens is not None else _token_map(response, snapshot)
                )
                ids = []
                for value in values:
                    found = tokens.get(value)
                    # A value that is no token of this gap passes on as it is,
                    # for grading to refuse (or to take, if it is an option id).
                    ids.append(found[1] if found and found[0] == gap["id"] else value)
                values = ids
            answer[gap["id"]] = values if gap["kind"] == "multiresponse" else values[0]
        return answer if answer else NOT_POSTED

    def posted_value(self, post, key, snapshot, saved):
        shown = dict(saved) if isinstance(saved, Mapping) else {}
        for gap in snapshot.get("gaps") or ():
            name = gap_field(key, gap["id"])
            if gap["kind"] == "multiresponse":
                if name in post or f"{name}-present" in post:
                    shown[gap["id"]] = post.getlist(name)
            elif name in post:
                shown[gap["id"]] = post.get(name)
        return shown

    def page_fields(self, snapshot, answer, token) -> dict:
        gaps = snapshot.get("gaps") or []
        shown = public_gaps(gaps)
        saved = answer if isinstance(answer, Mapping) else {}
        values: dict[str, Any] = {}
        for gap in shown:
            value = saved.get(gap["id"])
            if gap["kind"] in _CHOICES:
                tokens = {
                    option["id"]: token(f"{gap['id']}:{option['id']}")
                    for option in gap["options"]
                }
                for option in gap["options"]:
                    option["id"] = tokens[option["id"]]
                # Saved answers hold option ids; a page shown again holds tokens.
                if isinstance(value, str):
                    value = tokens.get(value, value)
                elif isinstance(value, list):
                    value = [tokens.get(item, item) for item in value]
            if value is not None:
                values[gap["id"]] = value
        return {"cloze_gaps": shown, "cloze_values": values}

    def regrade_key(self, old, current, new) -> None:
        """The current gaps' answer key under the gaps and options the student
        saw. Options are matched by their text (their ids are their places in
        the text, which an edit may change); gaps by their place."""
        from quizzes.regrading import OPTIONS_CHANGED, Incompatible

        shown_gaps = old.get("gaps") or []
        try:
            key_gaps = gaps_of(current)
        except cloze.ClozeError:
            raise Incompatible(OPTIONS_CHANGED) from None
        if [g["kind"] for g in shown_gaps] != [g["kind"] for g in key_gaps]:
            raise Incompatible(OPTIONS_CHANGED)
        gaps = []
        for shown, key in zip(shown_gaps, key_gaps, strict=True):
            gap = {**shown, "weight": key.get("weight", 1)}
            if shown["kind"] in _CHOICES:
                by_text = {_folded(o["text"]): o for o in key["options"]}
                options = []
                for option in shown["options"]:
                    now = by_text.get(_folded(option["text"]))
                    if now is None:
                        raise Incompatible(OPTIONS_CHANGED)
                    options.append(
                        {
                            **option,
                            "fraction": now["fraction"],
                            "feedback": now["feedback"],
                        }
                    )
                gap["options"] = options
            else:
                gap["answers"] = [dict(answer) for answer in key["answers"]]
                if shown["kind"] == "shortanswer":
                    gap["case_sensitive"] = key.get("case_sensitive", False)
            gaps.append(gap)
        new["gaps"] = gaps

    def page_html(self, text_html, fields, *, field) -> str:
        return render_gaps(
            text_html,
            fields.get("cloze_gaps") or [],
            field=field,
            values=fields.get("cloze_values") or {},
        )

    def freeze(self, data: dict, rng, shuffle: bool) -> None:
        data["text"] = self.page_text(data)
        data.setdefault("gaps", [])
        # A gap written with S (MCS, MRHS...) shuffles when the quiz shuffles.
        if shuffle:
            for gap in data["gaps"]:
                if gap.get("shuffle") and gap.get("options"):
                    rng.shuffle(gap["options"])

    # review
    @staticmethod
    def _answer_words(gap: Mapping[str, Any], value: Any) -> str:
        if gap["kind"] in _CHOICES:
            texts = {option["id"]: option["text"] for option in gap["options"]}
            chosen = value if isinstance(value, list) else [value]
            return "; ".join(texts.get(item, "?") for item in chosen)
        return str(value)

    def describe_answer(self, snapshot, answer) -> list[str]:
        given = answer if isinstance(answer, Mapping) else {}
        lines = []
        for number, gap in enumerate(snapshot.get("gaps") or (), 1):
            value = given.get(gap["id"])
            words = "—" if is_blank(value) else self._answer_words(gap, value)
            lines.append(
                _("Gap %(number)s: %(answer)s") % {"number": number, "answer": words}
            )
        return lines

    def describe_right_answer(self, snapshot) -> list[str]:
        lines = []
        for number, gap in enumerate(snapshot.get("gaps") or (), 1):
            words = self._right_words(gap)
            lines.append(
                _("Gap %(number)s: %(answer)s") % {"number": number, "answer": words}
            )
        return lines

    @staticmethod
    def _right_words(gap: Mapping[str, Any]) -> str:
        if gap["kind"] == "shortanswer":
            return " | ".join(
                answer["text"]
                for answer in gap["answers"]
                if answer["fraction"] >= 1 and answer["text"] != "*"
            )
        if gap["kind"] == "numerical":
            shown = []
            for answer in gap["answers"]:
                if answer["fraction"] < 1 or "value" not in answer:
                    continue
                text = f"{answer['value']:g}"
                if answer.get("tolerance"):
                    text += f" ± {answer['tolerance']:g}"
                shown.append(text)
            return " | ".join(shown) or "*"
        right = [option["text"] for option in gap["options"] if option["fraction"] >= 1]
        if gap["kind"] == "multiresponse":
            right = [o["text"] for o in gap["options"] if o["fraction"] > 0]
        return "; ".join(right)

    def describe_parts(self, snapshot, answer, detail, items) -> list[dict]:
        """The review gap by gap: what the student answered, and (when the
        review policy's ``items`` show them) whether it was right, its feedback
        and the right answer."""
        from quizzes.presenting import correctness

        given = answer if isinstance(answer, Mapping) else {}
        graded = (detail or {}).get("gaps") or {}
        parts = []
        for number, gap in enumerate(snapshot.get("gaps") or (), 1):
            value = given.get(gap["id"])
            part: dict[str, Any] = {
                "label": _("Gap %(number)s") % {"number": number},
                "answer": None,
            }
            if "responses" in items:
                part["answer"] = (
                    "" if is_blank(value) else self._answer_words(gap, value)
                )
            result = graded.get(gap["id"]) or {}
            if "correctness" in items and result:
                part["correctness"] = correctness(result.get("fraction"))
            if "specific_feedback" in items:
                part["feedback"] = list(result.get("feedback") or ())
            if "right_answers" in items:
                part["right_answer"] = self._right_words(gap)
            parts.append(part)
        return parts

    def review_html(self, snapshot, text_html, answer, parts, *, field) -> str:
        gaps = snapshot.get("gaps") or []
        marks = {
            gap["id"]: part["correctness"]
            for gap, part in zip(gaps, parts or (), strict=False)
            if part.get("correctness")
        }
        return render_gaps(
            text_html,
            public_gaps(gaps),
            field=field,
            values=answer if isinstance(answer, Mapping) else {},
            disabled=True,
            marks=marks,
        )

    # stored rows: none, the gaps live in the text
    def dict_from_rows(self, question, rows) -> dict:
        try:
            return {"gaps": cloze.parse_cloze(question.text or "")[1]}
        except cloze.ClozeError:
            return {"gaps": []}

    # file formats
    def gift_write(self, question, fmt, out) -> str:
        title = (question.get("title") or question.get("key") or "").strip()
        named = f"“{title}”" if title else "without a title"
        raise ValueError(
            f"GIFT has no embedded answers: the cloze question {named} cannot be "
            "written in GIFT (export it to Moodle XML)"
        )

    def moodle_xml_read(self, reader, element, question, files):
        question["type"] = self.name
        try:
            question["gaps"] = cloze.parse_cloze(question["text"])[1]
        except cloze.ClozeError as error:
            from quizzes.moodle_xml import MoodleXmlProblem

            body = element.find("questiontext")
            start = reader.line(body if body is not None else element)
            title = question.get("title")
            for problem in error.errors:
                where = f", gap {problem.gap}" if problem.gap is not None else ""
                reader.problems.append(
                    MoodleXmlProblem(
                        start + problem.line - 1,
                        f"cloze question {title!r}{where}: {problem.message}",
                        "questiontext",
                    )
                )
            return False
        # Moodle's importer sets the mark to the sum of the gaps' weights,
        # whatever <defaultgrade> says.
        question["default_mark"] = float(
            sum(int(gap.get("weight", 1)) for gap in question["gaps"])
        )
        return None

    def moodle_xml_write(self, question, out) -> None:
        # The source text is the question text: nothing of the type's own.
        return None


register(Cloze())
