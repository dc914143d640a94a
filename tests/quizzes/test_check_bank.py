"""``check_bank`` prints every item-writing finding of a course (or one quiz) and
fails when one is at error level; ``import_bank --dry-run`` lists a file's."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import CheckDismissal
from quizzes.selectors import course_check_findings
from quizzes.services import question_bank_import

pytestmark = pytest.mark.django_db


def _tf(key, text, correct):
    return {"key": key, "type": "truefalse", "text": text, "correct": correct}


ESSAY = {"key": "essay", "type": "essay", "text": "Discuss the treaty."}


def _bank(lesson, *questions, exam=True) -> dict:
    quizzes = [
        {
            "slug": "check",
            "title": "Check",
            "lesson": lesson.slug,
            "questions": list(questions),
        }
    ]
    if exam:
        quizzes.append(
            {
                "slug": "exam",
                "title": "Exam",
                "scope": "course",
                "draw": 1,
                "from_bank": True,
            }
        )
    return {"quizzes": quizzes}


def _run(*args):
    out = io.StringIO()
    try:
        call_command("check_bank", *args, stdout=out)
    except SystemExit as stop:
        return stop.code, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_bank_prints_no_finding_and_succeeds(course, lesson):
    question_bank_import(
        course=course, data=_bank(lesson, _tf("tf", "Peru borders Chile.", True))
    )
    code, out = _run("--course", course.slug)
    assert code == 0
    assert out.strip().splitlines() == ["checks: 0 error, 0 warning, 0 info"]


def test_warnings_are_printed_and_the_command_still_succeeds(course, lesson):
    question_bank_import(
        course=course, data=_bank(lesson, _tf("tf", "Peru only trains.", False))
    )
    code, out = _run("--course", course.slug)
    assert code == 0
    assert "WARNING absolute-word-cue: question tf:" in out
    assert "Found: false statement says 'only'" in out
    assert "checks: 0 error, 1 warning, 0 info" in out


def test_an_error_level_finding_exits_non_zero(course, lesson):
    question_bank_import(course=course, data=_bank(lesson, ESSAY))
    code, out = _run("--course", course.slug)
    assert code == 1
    assert "ERROR essay-in-random-pool: quiz exam question essay:" in out


def test_one_quiz_only(course, lesson):
    question_bank_import(course=course, data=_bank(lesson, ESSAY))
    code, out = _run("--course", course.slug, "--quiz", "check")
    assert code == 0
    assert "essay-in-random-pool" not in out
    with pytest.raises(CommandError, match="no quiz 'nope'"):
        _run("--course", course.slug, "--quiz", "nope")
    with pytest.raises(CommandError, match="no course"):
        _run("--course", "nope")


def test_a_dismissed_check_is_not_printed(course, lesson, staff):
    question_bank_import(course=course, data=_bank(lesson, ESSAY))
    CheckDismissal.objects.create(
        question=course.questions.get(key="essay"),
        check_name="essay-in-random-pool",
        reason="graded the same day",
        question_version=1,
        dismissed_by=staff,
        dismissed_at="2026-01-01T00:00:00Z",
    )
    code, out = _run("--course", course.slug)
    assert code == 0
    assert "essay" not in out.splitlines()[0]


def test_course_findings_take_a_fixed_number_of_queries(
    course, lesson, django_assert_max_num_queries
):
    questions = [_tf(f"tf{n}", f"Statement {n} only.", False) for n in range(12)]
    question_bank_import(course=course, data=_bank(lesson, *questions))
    with django_assert_max_num_queries(5):
        findings = course_check_findings(course=course)
    assert len(findings) == 12


def test_import_bank_dry_run_lists_the_files_findings(tmp_path, course, lesson):
    path = tmp_path / "bank.json"
    path.write_text(
        json.dumps(_bank(lesson, _tf("tf", "Peru never trains.", False), ESSAY)),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_bank", str(path), course=course.slug, dry_run=True, stdout=out)
    text = out.getvalue()
    assert "[dry run]" in text
    assert "WARNING absolute-word-cue: question tf:" in text
    assert "ERROR essay-in-random-pool: quiz exam question essay:" in text
    assert not course.questions.exists()


def test_import_bank_dry_run_of_a_gift_file_names_questions_by_title(tmp_path, course):
    path = tmp_path / "bank.gift"
    path.write_text("::Peru::Peru never trains abroad. {F}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_bank", str(path), course=course.slug, dry_run=True, stdout=out)
    assert "absolute-word-cue: question Peru (line 1):" in out.getvalue()
