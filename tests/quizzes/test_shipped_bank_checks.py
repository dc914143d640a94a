"""The shipped question bank passes the item-writing checks (issue 15), keeps its
coverage, and imported over the bank it replaces (``data/...v1.json``, the bank
as shipped before) keeps every key, attempt and unchanged question as it was."""

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from lessons.models import Course
from quizzes import item_checks
from quizzes.models import (
    Answer,
    Attempt,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    Response,
)
from quizzes.selectors import course_check_findings
from quizzes.services import attempt_start, question_pool
from tests.factories import UserFactory
from tests.helpers import CONTENT_DIR, SEED

pytestmark = pytest.mark.django_db

SEED_BANK = CONTENT_DIR / "military-diplomacy.questions.json"
OLD_BANK = Path(__file__).parent / "data" / "military-diplomacy.questions.v1.json"
AUTO_GRADED = set(QuestionType.values) - {QuestionType.ESSAY, QuestionType.DESCRIPTION}


def _load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def seed_course(db) -> Course:
    call_command(
        "import_document",
        str(SEED),
        slug="military-diplomacy",
        publish=True,
        stdout=io.StringIO(),
    )
    return Course.objects.get(slug="military-diplomacy")


def _import(path, course) -> str:
    out = io.StringIO()
    call_command("import_questions", str(path), course=course.slug, stdout=out)
    return out.getvalue()


def test_the_shipped_bank_file_has_no_finding_above_info():
    pools = item_checks.pools_from_bank(_load(SEED_BANK))
    findings = item_checks.bank_findings(pools)
    assert [f.line() for f in item_checks.above(findings, item_checks.INFO)] == []


def test_check_bank_on_the_shipped_course_reports_nothing_above_info(seed_course):
    _import(SEED_BANK, seed_course)
    out = io.StringIO()
    call_command("check_bank", course=seed_course.slug, stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("checks: 0 error, 0 warning")


def test_the_bank_before_had_findings_the_rewrite_removed(seed_course):
    """The measure of the rewrite: the old bank fails check_bank."""
    _import(OLD_BANK, seed_course)
    levels = Counter(f.level for f in course_check_findings(course=seed_course))
    assert levels["error"] > 0 and levels["warning"] > 0


def test_every_lesson_keeps_six_questions_of_four_types_and_the_exam_is_auto_graded(
    seed_course,
):
    _import(SEED_BANK, seed_course)
    for quiz in Quiz.objects.filter(course=seed_course, lesson__isnull=False):
        asked = [question for question, _mark in question_pool(quiz)]
        assert len(asked) >= 6, quiz.slug
        assert len({q.type for q in asked}) >= 4, quiz.slug
    lessons = seed_course.lessons.count()
    assert Quiz.objects.filter(course=seed_course, lesson__isnull=False).count() == (
        lessons
    )
    exam = Quiz.objects.get(course=seed_course, slug="final-exam")
    pool = [question for question, _mark in question_pool(exam)]
    assert len(pool) >= exam.draw_count
    assert {q.type for q in pool} <= AUTO_GRADED


def test_the_new_bank_over_the_old_keeps_keys_attempts_and_unchanged_questions(
    seed_course,
):
    old, new = _load(OLD_BANK), _load(SEED_BANK)
    old_questions = {
        q["key"]: q for z in old["quizzes"] for q in z.get("questions", ())
    }
    new_questions = {
        q["key"]: q for z in new["quizzes"] for q in z.get("questions", ())
    }
    assert set(old_questions) == set(new_questions)  # no key lost or renamed
    unchanged = {k for k in old_questions if old_questions[k] == new_questions[k]}
    assert unchanged

    _import(OLD_BANK, seed_course)
    answered_quiz = Quiz.objects.get(course=seed_course, slug="check-conclusion")
    student = UserFactory(username="took-the-old-bank")
    attempt = attempt_start(quiz=answered_quiz, user=student)
    answered = set(attempt.responses.values_list("question__key", flat=True))
    before = {q.key: q for q in Question.objects.filter(course=seed_course)}
    answer_rows = {
        key: set(Answer.objects.filter(question__key=key).values_list("pk", flat=True))
        for key in unchanged
    }
    quiz_ids = dict(Quiz.objects.values_list("slug", "pk"))

    output = _import(SEED_BANK, seed_course)

    changed = len(old_questions) - len(unchanged)
    assert f"0 created, {changed} updated, {len(unchanged)} unchanged" in output
    after = {q.key: q for q in Question.objects.filter(course=seed_course)}
    assert {k: q.pk for k, q in after.items()} == {k: q.pk for k, q in before.items()}
    assert dict(Quiz.objects.values_list("slug", "pk")) == quiz_ids
    for key in unchanged:
        assert after[key].version == before[key].version
        assert (
            set(Answer.objects.filter(question__key=key).values_list("pk", flat=True))
            == answer_rows[key]
        )
    for key in set(old_questions) - unchanged:
        # As an admin edit: answered questions keep their old version, the
        # others change in place.
        expected = before[key].version + (1 if key in answered else 0)
        assert after[key].version == expected, key
    kept = set(QuestionVersion.objects.values_list("question__key", flat=True))
    assert kept == answered - unchanged
    attempt = Attempt.objects.get(pk=attempt.pk)
    responses = Response.objects.filter(attempt=attempt)
    assert {r.question.key for r in responses} == answered
    assert {r.question_version for r in responses} == {1}
