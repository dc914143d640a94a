"""The gaps of a cloze question as form controls inside its rendered text.

The question text is rendered once with its ``{#1}`` markers in place (Markdown
leaves them alone, and nh3 keeps them: tests/quizzes/test_cloze_html.py), then
``render_gaps`` puts a control where each marker is: a text box for short answer
and numerical gaps (sized from the longest accepted answer, as Moodle does), a
drop-down, a group of radio buttons (vertical or in a row) or a group of check
boxes. Each control is named ``q<N>-gap-<id>`` and labelled "Gap 1 of 3" for
screen readers.

What reaches this module is ``public_gaps(gaps)``: ids, kinds, sizes and option
texts, never a fraction, a feedback or an accepted answer, so nothing here can
put a right answer on the page before the review policy shows it. Markers are
replaced only in text, never inside a tag (a marker in a link's address is left
alone and its control added after the text, so the gap can still be answered).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from quizzes.cloze import ANY_NUMBER
from quizzes.grading import NUMERICAL_MAX_CHARS, SHORTANSWER_MAX_CHARS

__all__ = ["gap_field", "public_gaps", "render_gaps"]

MAX_SIZE = 60  # Moodle's widest gap
# A tag of nh3's output: attribute values are always double-quoted there.
_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_MARKER = re.compile(r"\{#([0-9]+)\}")


def gap_field(field: str, gap_id: str) -> str:
    """The form field of one gap of the question whose field is ``field``."""
    return f"{field}-gap-{gap_id}"


def _typed_length(gap: Mapping[str, Any]) -> int:
    if gap["kind"] == "shortanswer":
        return max(len(answer["text"].strip()) for answer in gap["answers"])
    lengths = [1]
    for answer in gap["answers"]:
        if answer.get("max") == ANY_NUMBER:
            continue  # "*": any number, nothing to type
        value = answer["value"] if "value" in answer else answer["max"]
        lengths.append(len(f"{value:g}"))
    return max(lengths)


def public_gaps(
    gaps: Iterable[Mapping[str, Any]], *, rng: random.Random | None = None
) -> list[dict]:
    """What the attempt page may know of each gap: no answers, no fractions,
    no feedback. A text gap's ``size`` is its longest answer's length (plus up
    to 15% from ``rng``, as Moodle adds to make guessing harder), at most 60."""
    shown = []
    for gap in gaps:
        item: dict[str, Any] = {"id": gap["id"], "kind": gap["kind"]}
        if gap["kind"] in ("shortanswer", "numerical"):
            size = max(1, _typed_length(gap))
            if rng is not None:
                size += rng.randint(0, int(size * 0.15))
            item["size"] = min(MAX_SIZE, size)
        else:
            item["display"] = gap["display"]
            item["options"] = [
                {"id": option["id"], "text": option["text"]}
                for option in gap["options"]
            ]
        shown.append(item)
    return shown


def _attrs(**attributes: Any) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if value is True:
            parts.append(name)
        else:
            parts.append(f'{name}="{escape(value)}"')
    return " ".join(parts)


class _Controls:
    def __init__(
        self,
        gaps: list[Mapping[str, Any]],
        *,
        field: str,
        values: Mapping[str, Any],
        option_value: Callable[[str, str], str],
        invalid: frozenset[str],
        disabled: bool,
        marks: Mapping[str, str],
    ) -> None:
        self.gaps = gaps
        self.field = field
        self.values = values
        self.option_value = option_value
        self.invalid = invalid
        self.disabled = disabled
        self.marks = marks

    def label(self, number: int) -> str:
        return _("Gap %(number)s of %(count)s") % {
            "number": number,
            "count": len(self.gaps),
        }

    def chosen(self, gap_id: str) -> set[str]:
        value = self.values.get(gap_id)
        if value is None:
            return set()
        if isinstance(value, str):
            return {value}
        return {item for item in value if isinstance(item, str)}

    def control(self, number: int, gap: Mapping[str, Any]) -> str:
        gap_id = gap["id"]
        name = gap_field(self.field, gap_id)
        mark = self.marks.get(gap_id, "")
        classes = ["cloze-gap", f"cloze-{gap['kind']}"]
        if mark:
            classes.append(f"cloze-{mark}")
        outer = _attrs(class_=" ".join(classes), data_gap=gap_id)
        if gap["kind"] in ("shortanswer", "numerical"):
            inner = self.text_box(number, gap, name)
        elif gap["kind"] == "choice" and gap["display"] == "dropdown":
            inner = self.dropdown(number, gap, name)
        else:
            inner = self.group(number, gap, name)
        return f"<span {outer}>{inner}</span>"

    def text_box(self, number: int, gap: Mapping[str, Any], name: str) -> str:
        value = self.values.get(gap["id"])
        value = value if isinstance(value, str) else ""
        numerical = gap["kind"] == "numerical"
        invalid = gap["id"] in self.invalid
        input_attrs = _attrs(
            class_="form-control form-control-sm d-inline-block w-auto"
            + (" is-invalid" if invalid else ""),
            type="text",
            name=name,
            id=name,
            value=value,
            size=max(gap["size"], len(value) + 1) if value else gap["size"],
            maxlength=NUMERICAL_MAX_CHARS if numerical else SHORTANSWER_MAX_CHARS,
            inputmode="decimal" if numerical else None,
            autocomplete="off",
            aria_invalid="true" if invalid else None,
            disabled=self.disabled,
        )
        label = _attrs(class_="visually-hidden", for_=name)
        return (
            f"<label {label}>{escape(self.label(number))}</label><input {input_attrs}>"
        )

    def dropdown(self, number: int, gap: Mapping[str, Any], name: str) -> str:
        chosen = self.chosen(gap["id"])
        options = [f'<option value="">{escape(_("Choose…"))}</option>']
        for option in gap["options"]:
            value = self.option_value(gap["id"], option["id"])
            selected = value in chosen or option["id"] in chosen
            options.append(
                f"<option {_attrs(value=value, selected=selected)}>"
                f"{escape(option['text'])}</option>"
            )
        select = _attrs(
            class_="form-select form-select-sm d-inline-block w-auto",
            name=name,
            id=name,
            disabled=self.disabled,
        )
        label = _attrs(class_="visually-hidden", for_=name)
        return (
            f"<label {label}>{escape(self.label(number))}</label>"
            f"<select {select}>{''.join(options)}</select>"
        )

    def group(self, number: int, gap: Mapping[str, Any], name: str) -> str:
        chosen = self.chosen(gap["id"])
        radio = gap["kind"] == "choice"
        inline = gap["display"] == "horizontal"
        items = []
        for position, option in enumerate(gap["options"]):
            value = self.option_value(gap["id"], option["id"])
            control_id = f"{name}-{position}"
            checked = value in chosen or option["id"] in chosen
            box = _attrs(
                class_="form-check-input",
                type="radio" if radio else "checkbox",
                name=name,
                id=control_id,
                value=value,
                checked=checked,
                disabled=self.disabled,
            )
            label = _attrs(class_="form-check-label", for_=control_id)
            wrapper = "form-check form-check-inline" if inline else "form-check"
            items.append(
                f'<span class="{wrapper}"><input {box}>'
                f"<label {label}>{escape(option['text'])}</label></span>"
            )
        group = _attrs(
            class_="cloze-options" + ("" if inline else " d-block"),
            role="radiogroup" if radio else "group",
            aria_label=self.label(number),
        )
        present = ""
        if not radio:
            # Unticking every box posts nothing: this says the gap was on the page.
            present = f'<input type="hidden" name="{escape(name)}-present" value="1">'
        return f"<span {group}>{present}{''.join(items)}</span>"


def render_gaps(
    html: str,
    gaps: list[Mapping[str, Any]],
    *,
    field: str,
    values: Mapping[str, Any] | None = None,
    option_value: Callable[[str, str], str] | None = None,
    invalid: Iterable[str] = (),
    disabled: bool = False,
    marks: Mapping[str, str] | None = None,
) -> str:
    """``html`` (sanitised, with ``{#id}`` markers) with each gap's control in
    place of its marker.

    ``gaps`` come from ``public_gaps``; ``values`` is the saved (or just posted)
    answer ``{gap_id: text, option id or token, or list of them}``;
    ``option_value(gap_id, option_id)`` is what a choice posts (default: the
    option id; the attempt page passes a keyed token so that the order of ids
    tells nothing); ``invalid`` are the gaps whose posted answer was refused;
    ``disabled`` shows the controls read-only (review) and ``marks`` gives a
    gap a class ``cloze-correct``, ``cloze-partial`` or ``cloze-incorrect``.
    A gap whose marker is missing from the text (or only inside a tag) gets
    its control in a paragraph after the text.
    """
    controls = _Controls(
        list(gaps),
        field=field,
        values=values or {},
        option_value=option_value or (lambda gap_id, option_id: option_id),
        invalid=frozenset(invalid),
        disabled=disabled,
        marks=marks or {},
    )
    numbers = {gap["id"]: number for number, gap in enumerate(controls.gaps, 1)}
    by_id = {gap["id"]: gap for gap in controls.gaps}
    placed: set[str] = set()

    def replace(match: re.Match) -> str:
        gap_id = match.group(1)
        if gap_id not in by_id or gap_id in placed:
            return match.group(0)
        placed.add(gap_id)
        return controls.control(numbers[gap_id], by_id[gap_id])

    pieces = []
    position = 0
    for tag in _TAG.finditer(html):
        pieces.append(_MARKER.sub(replace, html[position : tag.start()]))
        pieces.append(tag.group(0))
        position = tag.end()
    pieces.append(_MARKER.sub(replace, html[position:]))
    missing = [gap for gap in controls.gaps if gap["id"] not in placed]
    if missing:
        pieces.append(
            '<p class="cloze-unplaced">'
            + " ".join(controls.control(numbers[g["id"]], g) for g in missing)
            + "</p>"
        )
    return "".join(pieces)
