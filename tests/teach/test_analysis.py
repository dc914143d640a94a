"""Item analysis on top of quizzes.statistics: matrix building, random draws,
distractors, flags and the threshold below which nothing is claimed."""

import pytest

from quizzes.statistics import quiz_statistics
from teach.analysis import analyse_quiz, histogram


def _marks(rows, maxes=None, questions=None):
    """[(attempt, question, position, score, max)] from a score matrix."""
    questions = questions or list(range(100, 100 + len(rows[0])))
    maxes = maxes or [1.0] * len(questions)
    return [
        (attempt, q, position, score, maxes[position])
        for attempt, row in enumerate(rows)
        for position, (q, score) in enumerate(zip(questions, row, strict=True))
    ]


ROWS = [
    [1, 1, 0],
    [1, 0, 0],
    [0, 1, 1],
    [1, 1, 1],
    [0, 0, 0],
    [1, 1, 0],
]


def test_a_fixed_quiz_gives_exactly_quiz_statistics():
    analysis = analyse_quiz(_marks(ROWS), minimum=3)
    expected = quiz_statistics(ROWS, [1, 1, 1])
    assert analysis.same_questions
    assert analysis.test["cic"] == pytest.approx(expected["cic"])
    assert analysis.test["unit"] == "marks"
    for item, stats in zip(analysis.items, expected["items"], strict=True):
        assert item.facility == pytest.approx(stats["facility"])
        assert item.discrimination_index == pytest.approx(stats["discrimination_index"])
        assert item.n == 6


def test_columns_are_questions_whatever_their_position():
    shuffled = [
        (0, 100, 0, 1, 1.0),
        (0, 200, 1, 0, 1.0),
        (1, 200, 0, 1, 1.0),
        (1, 100, 1, 1, 1.0),
    ]
    analysis = analyse_quiz(shuffled, minimum=1)
    assert [i.question_id for i in analysis.items] == [100, 200]
    assert [i.facility for i in analysis.items] == [1.0, 0.5]


def test_random_draws_analyse_each_question_over_the_attempts_that_asked_it():
    marks = []
    for attempt in range(12):
        asked = [1, 2] if attempt % 2 else [1, 3]
        for position, q in enumerate(asked):
            marks.append((attempt, q, position, (attempt + q) % 2, 1.0))
    analysis = analyse_quiz(marks, minimum=5)
    assert not analysis.same_questions
    by_id = {i.question_id: i for i in analysis.items}
    assert (by_id[1].n, by_id[2].n, by_id[3].n) == (12, 6, 6)
    assert analysis.test["cic"] is None
    assert analysis.test["unit"] == "percent"
    assert analysis.test["n"] == 12


def test_below_the_minimum_nothing_is_flagged():
    rows = [[1, 1]] * 4
    analysis = analyse_quiz(_marks(rows), minimum=10)
    assert not analysis.enough
    assert all(not item.enough and item.flags == [] for item in analysis.items)


def test_flags_and_distractors():
    rows = [[1, i % 2] for i in range(10)]
    options = {
        100: [
            {"id": "a", "text": "Right", "fraction": 1.0},
            {"id": "b", "text": "Never", "fraction": 0.0},
        ]
    }
    analysis = analyse_quiz(
        _marks(rows), choices=[(100, "a")] * 10, options=options, minimum=10
    )
    first = analysis.items[0]
    assert first.options == [
        {"id": "a", "text": "Right", "fraction": 1.0, "count": 10},
        {"id": "b", "text": "Never", "fraction": 0.0, "count": 0},
    ]
    assert first.flags == ["too_easy", "unused_option"]


def test_scores_are_scaled_when_a_questions_maximum_changed():
    marks = [(0, 1, 0, 2.0, 2.0), (1, 1, 0, 1.0, 1.0), (2, 1, 0, 0.0, 1.0)]
    analysis = analyse_quiz(marks, minimum=1)
    assert analysis.items[0].facility == pytest.approx((2 + 2 + 0) / 3 / 2)


def test_no_attempts():
    analysis = analyse_quiz([], minimum=10)
    assert analysis.n == 0 and analysis.items == [] and not analysis.enough


@pytest.mark.parametrize(
    ("percents", "expected"),
    [
        ([0, 9.99, 10, 55, 100, 100.0, 120, -3], [3, 1, 0, 0, 0, 1, 0, 0, 0, 3]),
        ([], [0] * 10),
    ],
)
def test_histogram_bins(percents, expected):
    assert histogram(percents) == expected


def test_parts_of_a_question_are_analysed_against_the_rest_of_the_test():
    # Question 100 is a cloze question of two gaps; 101 an ordinary one.
    gaps = [{"1": 1.0, "2": 0.0}, {"1": 1.0, "2": 1.0}, {"1": 0.0, "2": 0.0}]
    gaps += [{"1": 1.0, "2": 1.0}]
    other = [0, 1, 0, 1]
    marks = []
    parts = []
    for attempt, (fractions, score) in enumerate(zip(gaps, other, strict=True)):
        marks.append((attempt, 100, 0, sum(fractions.values()) / 2, 1.0))
        marks.append((attempt, 101, 1, score, 1.0))
        parts.append((attempt, 100, fractions))
    analysis = analyse_quiz(marks, parts=parts, minimum=3)
    cloze, plain = analysis.items
    assert plain.parts is None
    assert [part["id"] for part in cloze.parts] == ["1", "2"]
    first, second = cloze.parts
    assert first["facility"] == pytest.approx(0.75)
    assert second["facility"] == pytest.approx(0.5)
    assert first["n"] == second["n"] == 4
    assert first["enough"]
    # The rest of the test is question 101 alone: gap 2 follows it exactly.
    assert second["discrimination_index"] == pytest.approx(100.0)
    expected = quiz_statistics(
        [[f["1"], s] for f, s in zip(gaps, other, strict=True)], [1.0, 1.0]
    )["items"][0]
    assert first["discrimination_index"] == pytest.approx(
        expected["discrimination_index"]
    )
