"""The grade across attempts has one definition (``quizzes.rules.GRADE_RULES``):
the gradebook's SQL and ``rules.quiz_grade`` (the student's quiz page) agree on
every grading method, with ties, attempts still waiting for a grade, attempts in
progress, previews, zero marks and no attempt at all."""

import pytest

from quizzes import rules
from quizzes.models import GradingMethod
from teach import selectors
from tests.teach.conftest import TRUEFALSE, attempt_row, make_quiz

pytestmark = pytest.mark.django_db

G, WAIT, OPEN, PREVIEW = "graded", "needs_grading", "in_progress", "preview"

# Each student's attempts in number order: (kind, fraction).
HISTORIES = {
    "none": [],
    "one": [(G, 0.4)],
    "rising": [(G, 0.2), (G, 0.5), (G, 0.9)],
    "falling": [(G, 0.9), (G, 0.5), (G, 0.2)],
    "tied-best": [(G, 0.3), (G, 0.8), (G, 0.8), (G, 0.1)],
    "all-equal": [(G, 0.6), (G, 0.6)],
    "zeros": [(G, 0.0), (G, 0.0)],
    "thirds": [(G, 1 / 3), (G, 2 / 3), (G, 1.0)],
    "waiting-first": [(WAIT, None), (G, 0.7), (G, 0.4)],
    "waiting-last": [(G, 0.3), (G, 0.6), (WAIT, None)],
    "only-waiting": [(WAIT, None), (OPEN, None)],
    "previews-around": [(PREVIEW, 1.0), (G, 0.5), (PREVIEW, 0.0), (G, 0.25)],
    "in-progress-last": [(G, 0.8), (OPEN, None)],
}


def _write(quiz, user, history):
    for number, (kind, fraction) in enumerate(history, start=1):
        if kind == PREVIEW:
            attempt_row(quiz, user, number=number, fraction=fraction, is_preview=True)
        else:
            attempt_row(quiz, user, number=number, fraction=fraction, state=kind)


def _python_grade(history, method):
    counted = [fraction for kind, fraction in history if kind == G]
    return rules.quiz_grade(counted, method)


@pytest.mark.parametrize("method", [m.value for m in GradingMethod])
def test_the_gradebook_and_quiz_grade_agree_on_every_history(course, enrolled, method):
    quiz = make_quiz(course, questions=(TRUEFALSE,), grading_method=method)
    students = dict(zip(HISTORIES, enrolled(*HISTORIES), strict=True))
    for name, history in HISTORIES.items():
        _write(quiz, students[name], history)

    book = selectors.gradebook_for(course=course)
    rows = selectors.gradebook_rows(
        book=book, students=selectors.gradebook_students(book=book)
    )

    sql = {row.username: row.cells[0].grade for row in rows}
    python = {name: _python_grade(h, method) for name, h in HISTORIES.items()}
    assert sql.keys() == python.keys()
    for name in HISTORIES:
        if python[name] is None:
            assert sql[name] is None, name
        else:
            assert sql[name] == pytest.approx(python[name], abs=1e-12), name


def test_every_grading_method_has_one_rule():
    assert set(rules.GRADE_RULES) == {m.value for m in GradingMethod}


@pytest.mark.parametrize("which", ["first", "last", "highest"])
def test_statistics_analyse_the_attempt_the_grading_method_picks(
    course, enrolled, which
):
    quiz = make_quiz(course, questions=(TRUEFALSE,))
    students = dict(zip(HISTORIES, enrolled(*HISTORIES), strict=True))
    for name, history in HISTORIES.items():
        _write(quiz, students[name], history)

    analysed = selectors.analysed_attempts(quiz=quiz, which=which)

    picked = {a.user.username: a.fraction for a in analysed.select_related("user")}
    expected = {
        name: _python_grade(history, which)
        for name, history in HISTORIES.items()
        if _python_grade(history, which) is not None
    }
    assert picked == pytest.approx(expected)
