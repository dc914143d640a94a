"""Item analysis of a quiz's attempts, built on ``quizzes.statistics``. Pure:
plain tuples in, plain dicts out.

Rows are attempts and columns are questions (by question id, whatever their
position in each attempt). When every analysed attempt asked the same questions
the whole matrix goes to ``quiz_statistics`` once, which gives Cronbach's alpha
too. When attempts drew different questions (a quiz drawing at random from a
pool), a question is analysed over the attempts that asked it: its
discrimination is the correlation with the rest of *those* attempts' totals
(what ``quiz_statistics`` computes for a two-column matrix of the mark and the
rest), and the test-level figures are computed on the attempts' totals as a
percentage of each attempt's maximum, without alpha (undefined for a ragged
matrix).

Marks are scaled to the question's largest maximum when attempts gave the same
question different maxima (a changed quiz mark), so facility stays a fraction.

"Not enough data": figures are shown, and items flagged, only from
``MIN_ATTEMPTS_FOR_STATISTICS`` analysed attempts up (per question for random
draws), as Moodle's report warns below a handful of attempts.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from quizzes.statistics import (
    MIN_ATTEMPTS_FOR_STATISTICS,
    distractor_counts,
    flag_items,
    quiz_statistics,
)


@dataclass
class ItemAnalysis:
    question_id: int
    number: int  # 1-based column number
    max_mark: float
    n: int
    facility: float | None = None
    sd: float | None = None
    discrimination_index: float | None = None
    discriminative_efficiency: float | None = None
    enough: bool = False
    flags: list[str] = field(default_factory=list)
    # Choice questions: [{"id", "text", "fraction", "count"}] in snapshot order.
    options: list[dict] | None = None
    # Questions graded in parts (cloze gaps): [{"id", "n", "facility", "sd",
    # "discrimination_index", "discriminative_efficiency", "enough"}], in order.
    parts: list[dict] | None = None


@dataclass
class QuizAnalysis:
    test: dict[str, Any]
    items: list[ItemAnalysis]
    same_questions: bool  # every attempt asked the same questions
    percents: list[float]  # each attempt's total as a percentage, for the chart
    enough: bool

    @property
    def n(self) -> int:
        return self.test["n"]


def _scaled(score: float | None, max_mark: float, column_max: float) -> float:
    if not score:
        return 0.0
    if max_mark and max_mark != column_max:
        return score * column_max / max_mark
    return float(score)


def analyse_quiz(
    marks: Iterable[tuple],
    *,
    choices: Iterable[tuple] = (),
    options: Mapping[int, list[dict]] | None = None,
    parts: Iterable[tuple] = (),
    minimum: int = MIN_ATTEMPTS_FOR_STATISTICS,
) -> QuizAnalysis:
    """Test and item statistics of a quiz.

    ``marks``: ``(attempt id, question id, position, score, max mark)`` per
    response; ``choices``: ``(question id, answer)`` per response to a choice
    question, or ``(question id, answer, count)`` for ``count`` such
    responses; ``options``: question id -> the options shown (``id``,
    ``text``, ``fraction``) for distractor analysis; ``parts``: ``(attempt id, question
    id, {part id: fraction})`` per response graded in parts (cloze gaps), whose
    parts are analysed as Moodle's report analyses sub-questions: each part's
    fraction against the rest of that attempt's total.
    """
    marks = list(marks)
    # What each question was asked with, from the distinct pairs (C-level sets):
    # its first position (the column order) and its largest maximum.
    first_position: dict[int, int] = {}
    for question_id, position in set(map(itemgetter(1, 2), marks)):
        if position < first_position.get(question_id, position + 1):
            first_position[question_id] = position
    maxima = set(map(itemgetter(1, 4), marks))
    column_max: dict[int, float] = {}
    for question_id, max_mark in maxima:
        column_max[question_id] = max(column_max.get(question_id, 0.0), max_mark or 0)
    rescale = len(maxima) != len(column_max)  # some question had several maxima
    # attempt -> question -> mark, scaled to the question's largest maximum.
    by_attempt: dict[int, dict[int, float]] = defaultdict(dict)
    if rescale:
        for attempt_id, question_id, _position, score, max_mark in marks:
            by_attempt[attempt_id][question_id] = _scaled(
                score, max_mark or 0.0, column_max[question_id]
            )
    else:  # the usual case, as _scaled gives it: the mark, or 0.0
        for attempt_id, question_id, score in map(itemgetter(0, 1, 3), marks):
            by_attempt[attempt_id][question_id] = score or 0.0
    columns = sorted(first_position, key=lambda q: (first_position[q], q))
    attempts = list(by_attempt.values())
    asked = {frozenset(row) for row in attempts}
    same = len(asked) <= 1

    if same:
        maxes = [column_max[q] for q in columns]
        # (quiz_statistics makes every mark a float, in C)
        if len(columns) > 1:
            rows = list(map(itemgetter(*columns), attempts))
        else:
            rows = [[row[q] for q in columns] for row in attempts]
        result = quiz_statistics(rows, maxes)
        items = [
            ItemAnalysis(question_id=q, number=j + 1, max_mark=maxes[j], **stats)
            for j, (q, stats) in enumerate(zip(columns, result["items"], strict=True))
        ]
        test = {k: v for k, v in result.items() if k != "items"}
        test["unit"] = "marks"
        percents = [
            100 * sum(row) / result["max_total"] if result["max_total"] else 0.0
            for row in rows
        ]
    else:
        items, test, percents = _analyse_ragged(attempts, columns, column_max)

    enough = test["n"] >= minimum
    for item in items:
        item.enough = item.n >= minimum
    _add_distractors(items, choices, options or {})
    _add_parts(items, marks, column_max, parts, minimum)
    flagged = [item for item in items if item.enough]
    flags = flag_items(
        [item.__dict__ for item in flagged],
        option_counts=[
            {o["id"]: o["count"] for o in item.options} if item.options else None
            for item in flagged
        ],
    )
    for item, item_flags in zip(flagged, flags, strict=True):
        item.flags = item_flags
    return QuizAnalysis(
        test=test, items=items, same_questions=same, percents=percents, enough=enough
    )


def _analyse_ragged(attempts, columns, column_max):
    totals = []
    percents = []
    for scaled in attempts:
        maximum = sum(column_max[q] for q in scaled)
        total = sum(scaled.values())
        totals.append((scaled, total))
        percents.append(100 * total / maximum if maximum else 0.0)
    items = []
    for j, q in enumerate(columns):
        pairs = [[s[q], total - s[q]] for s, total in totals if q in s]
        rest_max = max((total for _, total in totals), default=0.0) or 1.0
        stats = quiz_statistics(pairs, [column_max[q], rest_max])["items"][0]
        items.append(
            ItemAnalysis(question_id=q, number=j + 1, max_mark=column_max[q], **stats)
        )
    result = quiz_statistics([[p] for p in percents], [100.0])
    test = {k: v for k, v in result.items() if k != "items"}
    test["unit"] = "percent"
    return items, test, percents


def _add_distractors(items, choices, options) -> None:
    answers: dict[int, list] = defaultdict(list)
    weights: dict[int, list] = defaultdict(list)
    for question_id, answer, *times in choices:
        answers[question_id].append(answer if isinstance(answer, (str, list)) else None)
        weights[question_id].append(times[0] if times else 1)
    for item in items:
        shown = options.get(item.question_id)
        if not shown:
            continue
        counts = distractor_counts(
            answers[item.question_id],
            [o["id"] for o in shown],
            weights=weights[item.question_id],
        )
        item.options = [
            {
                "id": o["id"],
                "text": o.get("text", ""),
                "fraction": o.get("fraction", 0.0),
                "count": counts[o["id"]],
            }
            for o in shown
        ]


def _add_parts(items, marks, column_max, parts, minimum) -> None:
    parts = list(parts)
    if not parts:
        return
    scored: dict[int, dict[int, float]] = defaultdict(dict)
    for attempt_id, question_id, _position, score, max_mark in marks:
        scored[attempt_id][question_id] = _scaled(
            score, max_mark or 0.0, column_max[question_id]
        )
    totals = {attempt: sum(row.values()) for attempt, row in scored.items()}
    rest_max = max(totals.values(), default=0.0) or 1.0
    by_question: dict[int, dict[str, list[list[float]]]] = defaultdict(dict)
    for attempt_id, question_id, fractions in parts:
        if attempt_id not in totals or not isinstance(fractions, Mapping):
            continue
        rest = totals[attempt_id] - scored[attempt_id].get(question_id, 0.0)
        for part_id, fraction in fractions.items():
            by_question[question_id].setdefault(str(part_id), []).append(
                [float(fraction or 0.0), rest]
            )
    for item in items:
        found = by_question.get(item.question_id)
        if not found:
            continue
        item.parts = []
        for part_id in sorted(found, key=lambda p: (len(p), p)):
            stats = quiz_statistics(found[part_id], [1.0, rest_max])["items"][0]
            item.parts.append({"id": part_id, **stats, "enough": stats["n"] >= minimum})


def histogram(percents: Iterable[float], *, bins: int = 10) -> list[int]:
    """How many attempts scored in each tenth: [0, 10), [10, 20) ... [90, 100]."""
    counts = [0] * bins
    width = 100 / bins
    for percent in percents:
        index = int(min(max(percent, 0.0), 100.0) // width)
        counts[min(index, bins - 1)] += 1
    return counts
