"""What a question type is: the one home of everything that differs by type.

Each type is a module of this package defining a ``QuestionType`` subclass and
registering one instance (``quizzes.types.register``). Everything else in the app
asks the registry (``quizzes.types.get(name)``) instead of testing type names:

- ``grading`` (validate_question, normalise_response, grade, correct_response)
  checks what every question shares, then calls ``validate`` / ``normalise`` /
  ``grade`` / ``correct_response``;
- ``snapshots`` builds the question dict from rows with ``dict_from_rows`` and rows
  from a dict with ``rows_from_dict``; ``services`` freezes an attempt's display
  order with ``freeze``;
- ``forms`` reads a posted attempt page with ``read_post``; ``presenting`` shows a
  page with ``page_template`` / ``page_fields`` / ``posted_value`` and a review
  with ``describe_answer`` / ``describe_right_answer``; ``regrading`` puts a new
  answer key into an old snapshot with ``regrade_key``;
- ``admin_forms`` shows ``admin_fields`` and ``answer_columns`` for the chosen
  type (static/js/question-type-fields.js hides the others; the form clears them
  on save), explains the rows with ``admin_help`` and checks them with
  ``row_problems``;
- ``gift`` writes the answer block with ``gift_write`` (the GIFT parser still
  decides the type from the block's syntax, see gift.py); ``moodle_xml`` reads
  the type's own elements with ``moodle_xml_read`` and writes them with
  ``moodle_xml_write``.

The interface (all hooks take and return plain data; none touches the ORM):

``name``            the ``type`` of the question dict (docs/question-format.md).
``label``           translated name shown in menus.
``auto_graded``     False when a machine cannot score it (essay, description).
``takes_answer``    False when the student gives nothing (description).
``admin_fields``    Question model fields this type uses beyond ``COMMON_FIELDS``.
``answer_columns``  Answer row columns this type uses; empty: no answer rows.
``admin_help``      how to fill in the rows, shown under the question form.
``validate(question) -> list[str]``
                    problems of the type's own keys (English sentences); the
                    common keys (text, default_mark) are checked by grading.
                    Never raises on malformed data.
``normalise(question, raw)``
                    the canonical response for a raw one that is not blank (blank
                    answers never reach it: they are ``None``), or
                    ``grading.InvalidResponse``. Idempotent. A type with several
                    parts (cloze gaps) may use a dict ``{part id: value}``.
``grade(question, response) -> grading.Grade``
                    ``response`` is normalised (``None``: unanswered). A type with
                    several parts puts ``{part id: fraction}`` in
                    ``detail["parts"]`` (statistics per part read it).
``parts(question) -> list[str]``
                    the ids of the parts graded separately ([]: one part).
``correct_response(question)``
                    a canonical response worth full marks; None if there is none.
``read_post(post, key, snapshot, response) -> value | NOT_POSTED``
                    the raw answer of the attempt page's fields named ``key`` or
                    ``key-...`` (``post`` is a QueryDict; ``response`` the stored
                    Response, for option tokens and the saved answer).
``posted_value(post, key, snapshot, saved)``
                    what to show again in the fields when a page with an error
                    comes back (never raises).
``page_fields(snapshot, answer, token) -> dict``
                    the values the type's page template prints (``q.options``,
                    ``q.value``...); ``token(option_id)`` gives the page's opaque
                    token of a choice.
``incomplete(snapshot, answer) -> bool``
                    whether a saved answer is one Moodle calls an "incomplete
                    answer" (an essay outside its word limits): saved and
                    graded, but the summary before submitting says so.
``page_html(text_html, fields, field) -> str``
                    the question's text on the attempt page, given the item's
                    ``page_fields`` (default: ``text_html``; cloze puts a control
                    in each gap, named after ``field``).
``page_template``   the template of the type's fields on the attempt page,
                    included by templates/quizzes/_question.html as ``q``:
                    templates/quizzes/types/<name>.html ("" for description).
                    Field names start with ``q.field`` (``read_post``'s ``key``).
``describe_answer(snapshot, answer) -> list[str]``
                    a response in words, one line per part (never called with a
                    blank answer: that is no line at all).
``answer_note(snapshot, answer) -> str``
                    a note for whoever grades the answer ("": none), e.g. an
                    essay's word count against its limits, as Moodle's review
                    shows it.
``describe_right_answer(snapshot) -> list[str]``
                    the right answer in words.
``regrade_key(old, current, new)``
                    put ``current``'s answer key into ``new`` (a copy of the
                    ``old`` snapshot), keeping what the student saw and the ids
                    the answer refers to; raises ``regrading.Incompatible`` when
                    the two cannot be matched (``regrading.match_entries``).
``page_text(data) -> str``
                    the text an attempt's snapshot keeps and its pages render
                    (default: ``data["text"]``; cloze: the text with its gaps
                    replaced by markers, so the answers are not in it).
``describe_parts(snapshot, answer, detail, items) -> list[dict] | None``
                    the review part by part (cloze: gap by gap), each a dict with
                    "label", "answer" and, when the review policy's ``items`` show
                    them, "correctness", "feedback", "right_answer"; None: the
                    question is reviewed whole (default).
``review_html(snapshot, text_html, answer, parts, field) -> str``
                    the question's text as the review shows it (cloze: each gap
                    with the answer given, if ``answer`` is not None, and its
                    correctness if ``parts`` carry it); default: ``text_html``.
``freeze(data, rng, shuffle)``
                    fix the display order in an attempt's snapshot (in place).
``dict_from_rows(question, rows) -> dict``
                    the type's keys of the question dict from the Question (its
                    field values: ``case_sensitive``, ``max_length``...) and its
                    Answer rows in order (objects with the Answer attributes).
``rows_from_dict(data) -> list[dict]``
                    Answer field values for each row of a question dict.
``row_problems(rows) -> list[str]``
                    problems only the admin's answer rows can have (translated).
``gift_text(question) -> str``
                    the question text GIFT writes (default: ``text``; a type whose
                    text holds its answers, such as cloze, may put ``gift.BLANK``
                    where its one answer block goes).
``gift_write(question, fmt, out) -> str | None``
                    the GIFT answer block's inside (``out`` is gift's writing
                    helpers); None: a question with no block (description).
                    Raises ValueError if GIFT cannot hold the question.
``moodle_xml_names``
                    the Moodle XML ``type`` attributes this type reads (the first
                    type registered for a name reads it).
``moodle_xml_type`` the ``type`` attribute written ("": Moodle XML cannot hold it).
``moodle_xml_read(reader, element, question, files) -> bool | None``
                    fill the type's keys of ``question`` from the ``<question>``
                    element (``reader`` is moodle_xml's reader: lines, problems,
                    texts, numbers); False refuses the question (after
                    ``reader.error``).
``moodle_xml_write(question, out)``
                    the type's own elements (``out`` collects lines).

Adding a type (cloze, say): a module ``quizzes/types/cloze.py`` with a subclass
overriding what differs and ending with ``register(Cloze())``; its name in
``quizzes.types.BUILTIN``; its choice in ``models.QuestionType`` (and the
migration that adds it); its attempt page fields in
``templates/quizzes/types/cloze.html``. Nothing else tests type names, except:
the GIFT reader (which type a block is, decided by its syntax), item statistics
of choice options (``teach.selectors.CHOICE_TYPES``), the demo data's simulated
answers (``teach.demo``), the ordering question's move buttons
(``views._save_page``) and the description's zero mark in database queries
(``services``, ``banks``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

# grading imports this package: only its module here, its names at call time.
from quizzes import grading

# Question model fields every type shows in the admin.
COMMON_FIELDS = (
    "course",
    "lesson",
    "key",
    "type",
    "title",
    "text",
    "default_mark",
    "general_feedback",
    "is_published",
    "needs_review",
    "category",
    "tags",
)


class _NotPosted:
    def __repr__(self) -> str:
        return "NOT_POSTED"

    def __bool__(self) -> bool:
        return False


# What ``read_post`` returns when the page did not post this question's fields.
NOT_POSTED = _NotPosted()


class QuestionType:
    """Defaults for every hook; a type overrides what it needs."""

    name: str = ""
    label: Any = ""
    auto_graded: bool = True
    takes_answer: bool = True
    admin_fields: tuple[str, ...] = ()
    answer_columns: tuple[str, ...] = ()
    admin_help: Any = ""
    moodle_xml_names: tuple[str, ...] = ()
    moodle_xml_type: str = ""

    def __repr__(self) -> str:
        return f"<question type {self.name}>"

    @property
    def page_template(self) -> str:
        """The attempt page's fields of this type ("": none)."""
        return f"quizzes/types/{self.name}.html" if self.takes_answer else ""

    # dict and grading
    def validate(self, question: Mapping[str, Any]) -> list[str]:
        return []

    def normalise(self, question: Mapping[str, Any], raw: Any) -> Any:
        raise NotImplementedError

    def grade(self, question: Mapping[str, Any], response: Any) -> grading.Grade:
        raise NotImplementedError

    def parts(self, question: Mapping[str, Any]) -> list[str]:
        return []

    def correct_response(self, question: Mapping[str, Any]) -> Any:
        return None

    # the attempt page
    def read_post(self, post, key: str, snapshot: Mapping[str, Any], response):
        if key not in post:
            return NOT_POSTED
        values = post.getlist(key)
        if len(values) != 1:
            raise grading.InvalidResponse("One answer expected for this question.")
        return values[0]

    def posted_value(self, post, key: str, snapshot: Mapping[str, Any], saved):
        return post.get(key, saved)

    def page_fields(
        self, snapshot: Mapping[str, Any], answer: Any, token: Callable[[str], str]
    ) -> dict:
        return {"value": answer or ""}

    def incomplete(self, snapshot: Mapping[str, Any], answer: Any) -> bool:
        return False

    def page_text(self, data: Mapping[str, Any]) -> str:
        return data.get("text") or ""

    def page_html(self, text_html: str, fields: Mapping[str, Any], *, field) -> str:
        return text_html

    def freeze(self, data: dict, rng, shuffle: bool) -> None:
        return None

    def regrade_key(
        self, old: Mapping[str, Any], current: Mapping[str, Any], new: dict
    ) -> None:
        from quizzes.regrading import OPTIONS_CHANGED, Incompatible

        raise Incompatible(OPTIONS_CHANGED)  # a type that cannot say: left alone

    # review
    def describe_answer(self, snapshot: Mapping[str, Any], answer: Any) -> list[str]:
        return [str(answer)]

    def answer_note(self, snapshot: Mapping[str, Any], answer: Any) -> str:
        return ""

    def describe_right_answer(self, snapshot: Mapping[str, Any]) -> list[str]:
        right = self.correct_response(snapshot)
        return [] if is_blank(right) else self.describe_answer(snapshot, right)

    def describe_parts(self, snapshot, answer, detail, items) -> list[dict] | None:
        return None

    def review_html(self, snapshot, text_html: str, answer, parts, *, field) -> str:
        return text_html

    # stored rows
    def dict_from_rows(self, question, rows: list) -> dict:
        return {}

    def rows_from_dict(self, data: Mapping[str, Any]) -> list[dict]:
        return []

    def row_problems(self, rows: list[Mapping[str, Any]]) -> list[str]:
        return []

    # file formats
    def gift_text(self, question: Mapping[str, Any]) -> str:
        return question.get("text") or ""

    def gift_write(self, question: Mapping[str, Any], fmt: str, out) -> str | None:
        raise ValueError(f"GIFT cannot hold a question of type {self.name!r}")

    def moodle_xml_read(self, reader, element, question: dict, files: dict):
        return None

    def moodle_xml_write(self, question: Mapping[str, Any], out) -> None:
        raise ValueError(f"Moodle XML cannot hold a {self.name!r} question")


# ------------------------------------------------------------- shared by types


def is_blank(answer: Any) -> bool:
    return answer is None or answer in ("", [], {})


def ids(things: list[Mapping[str, Any]]) -> list[str]:
    return [thing["id"] for thing in things]


def feedback_texts(*texts: Any) -> tuple[str, ...]:
    """The non-empty feedback texts, in order (``Grade.feedback``)."""
    return tuple(text for text in texts if isinstance(text, str) and text.strip())


def distinct(lines, *, fold: bool = False) -> list[str]:
    """Lines as printed, each once (the first kept): two accepted answers that
    print alike ("Peru" and "Peru*") are one right answer to a student.
    ``fold``: lines differing only in case or spacing are alike too."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = " ".join(line.split())
        key = key.casefold() if fold else key
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


def best_answer(
    answers: list[Mapping[str, Any]], matches: Callable[[Mapping[str, Any]], bool]
) -> int | None:
    """The index of the matching answer worth the most (the first on a tie)."""
    best: int | None = None
    for index, answer in enumerate(answers):
        better = best is None or answer["fraction"] > answers[best]["fraction"]
        if better and matches(answer):
            best = index
    return best


def unknown_option() -> grading.InvalidResponse:
    return grading.InvalidResponse(
        "That choice is not one of this question's options.", code="unknown_option"
    )


def is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_full(fraction: Any) -> bool:
    return is_number(fraction) and abs(fraction - 1.0) < grading.SNAP


def percent(fraction: float) -> str:
    return f"{round(fraction * 100, 5):g}%"


def check_list(
    question: Mapping[str, Any], key: str, label: str, minimum: int
) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The entries of ``question[key]`` that are mappings, and problems found."""
    things = question.get(key)
    if not isinstance(things, list) or len(things) < minimum:
        wanted = f"{minimum} {label}s" if minimum > 1 else f"an {label}"
        return [], [f"Add at least {wanted}."]
    problems = [
        f"{label.capitalize()} {number} is malformed."
        for number, thing in enumerate(things, 1)
        if not isinstance(thing, Mapping)
    ]
    return [thing for thing in things if isinstance(thing, Mapping)], problems


def check_ids(things: list[Mapping[str, Any]], label: str) -> list[str]:
    problems = []
    seen: set[str] = set()
    for number, thing in enumerate(things, 1):
        thing_id = thing.get("id")
        if not isinstance(thing_id, str) or not thing_id:
            problems.append(f"{label.capitalize()} {number} has no id.")
        elif thing_id in seen:
            problems.append(f"The {label} id “{thing_id}” is used more than once.")
        else:
            seen.add(thing_id)
    return problems


def check_text(things: list[Mapping[str, Any]], key: str, label: str) -> list[str]:
    return [
        f"{label.capitalize()} {number} has no {key}."
        for number, thing in enumerate(things, 1)
        if not is_text(thing.get(key))
    ]


def check_fractions(
    things: list[Mapping[str, Any]], label: str, low: float
) -> list[str]:
    return [
        f"{label.capitalize()} {number}: the grade must be a number from "
        f"{percent(low)} to 100%."
        for number, thing in enumerate(things, 1)
        if not is_number(thing.get("fraction")) or not low <= thing["fraction"] <= 1.0
    ]
