"""Question bank import (services.question_bank_import and import_questions):
idempotent, all or nothing, and versioning only the questions that changed."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import Course
from quizzes.models import Answer, Question, QuestionVersion, Quiz, QuizQuestion
from quizzes.services import BankError, attempt_start, question_bank_import
from quizzes.snapshots import question_to_dict
from tests.factories import UserFactory
from tests.helpers import CONTENT_DIR, SEED, write_statements
from tests.quizzes.samples import ALL_TYPES, sample

pytestmark = pytest.mark.django_db

SEED_BANK = CONTENT_DIR / "military-diplomacy.questions.json"


@pytest.fixture
def bank(lessons) -> dict:
    """A lesson check holding one question of every type, and a module quiz."""
    return {
        "course": "demo",
        "quizzes": [
            {
                "slug": "check-one",
                "title": "Check one",
                "lesson": lessons[0].slug,
                "pass_mark": 0.6,
                "questions": [
                    sample(kind, key=f"one-{kind}") for kind in sorted(ALL_TYPES)
                ],
            },
            {
                "slug": "module-quiz",
                "title": "Module quiz",
                "module": lessons[0].module.slug,
                "time_limit_minutes": 20,
                "attempts_allowed": 2,
                "questions": [sample("single", key="mod-single")],
            },
        ],
    }


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Question, Answer, Quiz, QuizQuestion)
    }


def versions() -> dict[str, int]:
    return dict(Question.objects.values_list("key", "version"))


def write_bank(tmp_path, data) -> str:
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def answer_every_question(course) -> None:
    """Start an attempt at every quiz of the course: its questions are answered
    now, so an edit keeps their old version (as an admin edit does)."""
    student = UserFactory(username="answerer")
    for quiz in Quiz.objects.filter(course=course):
        attempt_start(quiz=quiz, user=student)


def import_command(path, **options) -> str:
    out = io.StringIO()
    call_command("import_questions", path, stdout=out, **options)
    return out.getvalue()


# --------------------------------------------------------------------------
# Creating


def test_import_creates_the_questions_and_quizzes(course, bank, lessons):
    report = question_bank_import(course=course, data=bank)

    assert report.questions_created == len(ALL_TYPES) + 1
    assert report.quizzes_created == 2
    check = Quiz.objects.get(course=course, slug="check-one")
    assert check.lesson == lessons[0]
    assert check.pass_mark == 0.6
    assert check.is_published
    assert [slot.question.key for slot in check.slots.order_by("position")] == [
        f"one-{kind}" for kind in sorted(ALL_TYPES)
    ]
    module_quiz = Quiz.objects.get(course=course, slug="module-quiz")
    assert module_quiz.module == lessons[0].module
    assert module_quiz.lesson is None
    assert module_quiz.time_limit.total_seconds() == 20 * 60
    assert module_quiz.attempts_allowed == 2


def test_questions_of_a_lesson_check_test_that_lesson(course, bank, lessons):
    question_bank_import(course=course, data=bank)

    assert set(
        Question.objects.filter(key__startswith="one-").values_list("lesson", flat=True)
    ) == {lessons[0].pk}


def test_imported_questions_start_at_version_one(course, bank):
    question_bank_import(course=course, data=bank)

    assert set(versions().values()) == {1}


# --------------------------------------------------------------------------
# Idempotence and versions


def test_importing_the_same_bank_twice_changes_nothing(course, bank):
    question_bank_import(course=course, data=bank)
    before_counts, before_versions = counts(), versions()

    with CaptureQueriesContext(connection) as captured:
        report = question_bank_import(course=course, data=bank)

    assert counts() == before_counts
    assert versions() == before_versions
    assert report.questions_created == report.questions_updated == 0
    assert report.questions_unchanged == len(ALL_TYPES) + 1
    assert report.quizzes_created == report.quizzes_updated == 0
    assert write_statements(captured) == []


def test_editing_one_option_bumps_only_that_questions_version(course, bank):
    question_bank_import(course=course, data=bank)
    answer_every_question(course)
    edited = copy.deepcopy(bank)
    single = next(q for q in edited["quizzes"][0]["questions"] if q["type"] == "single")
    single["options"][0]["text"] = "Guayaquil"

    report = question_bank_import(course=course, data=edited)

    assert report.questions_updated == 1
    assert report.questions_unchanged == len(ALL_TYPES)
    bumped = {key: v for key, v in versions().items() if v != 1}
    assert bumped == {"one-single": 2}
    question = Question.objects.get(key="one-single")
    assert [a.text for a in question.answers.order_by("position")] == [
        "Guayaquil",
        "Lima",
        "Cusco",
    ]


def test_editing_a_fraction_or_feedback_is_a_new_version_too(course, bank):
    question_bank_import(course=course, data=bank)
    answer_every_question(course)
    edited = copy.deepcopy(bank)
    multiple = next(
        q for q in edited["quizzes"][0]["questions"] if q["type"] == "multiple"
    )
    multiple["options"][2]["feedback"] = "Uruguay has no mountains to speak of."

    question_bank_import(course=course, data=edited)

    assert versions()["one-multiple"] == 2


def test_an_edited_question_imported_again_keeps_its_new_version(course, bank):
    question_bank_import(course=course, data=bank)
    answer_every_question(course)
    edited = copy.deepcopy(bank)
    edited["quizzes"][1]["questions"][0]["text"] = "A new wording"
    question_bank_import(course=course, data=edited)

    question_bank_import(course=course, data=edited)

    assert versions()["mod-single"] == 2


def _single(data) -> dict:
    return next(q for q in data["quizzes"][0]["questions"] if q["type"] == "single")


def _option_pks(key: str) -> dict[str, int]:
    question = Question.objects.get(key=key)
    return {a.text: a.pk for a in question.answers.all()}


def test_a_reimport_updates_answer_rows_in_place(course, bank):
    question_bank_import(course=course, data=bank)
    before = _option_pks("one-single")
    edited = copy.deepcopy(bank)
    options = _single(edited)["options"]
    options[0]["feedback"] = "Changed feedback."
    options.reverse()

    question_bank_import(course=course, data=edited)

    assert _option_pks("one-single") == before
    question = Question.objects.get(key="one-single")
    assert [a.text for a in question.answers.order_by("position")] == [
        o["text"] for o in options
    ]


def test_a_reimport_creates_only_added_options_and_deletes_only_removed_ones(
    course, bank
):
    question_bank_import(course=course, data=bank)
    before = _option_pks("one-single")
    edited = copy.deepcopy(bank)
    options = _single(edited)["options"]
    removed = options.pop(0)["text"]
    options.append({"id": "z", "text": "Arequipa", "fraction": 0.0, "feedback": ""})

    question_bank_import(course=course, data=edited)

    after = _option_pks("one-single")
    kept = {text: pk for text, pk in before.items() if text != removed}
    assert {text: after[text] for text in kept} == kept
    assert removed not in after
    assert after["Arequipa"] not in before.values()


def test_an_edit_of_an_unanswered_question_keeps_its_version_as_the_admin_does(
    course, bank
):
    question_bank_import(course=course, data=bank)
    edited = copy.deepcopy(bank)
    _single(edited)["text"] = "A new wording"

    report = question_bank_import(course=course, data=edited)

    assert report.questions_updated == 1
    assert versions()["one-single"] == 1
    assert not QuestionVersion.objects.exists()


def test_an_edit_of_an_answered_question_stores_its_old_version(course, bank):
    question_bank_import(course=course, data=bank)
    answer_every_question(course)
    question = Question.objects.get(key="one-single")
    old = question_to_dict(question)
    edited = copy.deepcopy(bank)
    _single(edited)["options"][0]["fraction"] = 0.5

    question_bank_import(course=course, data=edited)

    (kept,) = QuestionVersion.objects.all()
    assert (kept.question_id, kept.version, kept.data) == (question.pk, 1, old)
    question.refresh_from_db()
    assert question.version == 2
    assert _option_pks("one-single") == {
        o["text"]: int(o["id"]) for o in old["options"]
    }


def test_a_question_listed_in_two_quizzes_is_one_question_imported_once(course, bank):
    shared = sample("truefalse", key="shared-tf")
    bank["quizzes"][0]["questions"].append(shared)
    bank["quizzes"][1]["questions"].append(copy.deepcopy(shared))

    question_bank_import(course=course, data=bank)
    first = versions()
    question_bank_import(course=course, data=bank)

    assert Question.objects.filter(key="shared-tf").count() == 1
    assert QuizQuestion.objects.filter(question__key="shared-tf").count() == 2
    assert versions() == first


def test_a_key_listed_twice_with_different_content_is_rejected(course, bank):
    bank["quizzes"][0]["questions"].append(sample("single", key="twice"))
    bank["quizzes"][1]["questions"].append(
        sample("single", key="twice", text="Another question altogether")
    )

    with pytest.raises(BankError, match="listed twice"):
        question_bank_import(course=course, data=bank)

    assert counts() == dict.fromkeys(counts(), 0)


def test_a_question_dropped_from_a_quiz_leaves_the_quiz_but_stays_in_the_bank(
    course, bank
):
    question_bank_import(course=course, data=bank)
    bank["quizzes"][0]["questions"] = [
        q for q in bank["quizzes"][0]["questions"] if q["key"] != "one-essay"
    ]

    question_bank_import(course=course, data=bank)

    check = Quiz.objects.get(slug="check-one")
    assert not check.slots.filter(question__key="one-essay").exists()
    assert Question.objects.filter(key="one-essay").exists()


def test_reordering_questions_in_the_file_reorders_the_quiz(course, bank):
    question_bank_import(course=course, data=bank)
    bank["quizzes"][0]["questions"].reverse()

    question_bank_import(course=course, data=bank)

    check = Quiz.objects.get(slug="check-one")
    assert [s.question.key for s in check.slots.order_by("position")] == [
        f"one-{kind}" for kind in sorted(ALL_TYPES, reverse=True)
    ]
    assert set(versions().values()) == {1}


# --------------------------------------------------------------------------
# All or nothing


def test_a_bank_with_an_invalid_question_raises_and_writes_nothing(course, bank):
    broken = sample("single", key="broken")
    broken["options"][1]["fraction"] = 0.0  # no option is worth 100%
    bank["quizzes"][1]["questions"].append(broken)

    with pytest.raises(BankError, match="broken"):
        question_bank_import(course=course, data=bank)

    assert counts() == dict.fromkeys(counts(), 0)


def test_an_invalid_question_leaves_an_imported_bank_untouched(course, bank):
    question_bank_import(course=course, data=bank)
    before_counts, before_versions = counts(), versions()
    edited = copy.deepcopy(bank)
    edited["quizzes"][0]["questions"][0]["text"] = "Changed text"
    edited["quizzes"][1]["questions"].append({"type": "riddle", "key": "odd"})

    with pytest.raises(BankError):
        question_bank_import(course=course, data=edited)

    assert counts() == before_counts
    assert versions() == before_versions


def test_a_question_without_a_key_is_rejected(course, bank):
    del bank["quizzes"][0]["questions"][0]["key"]

    with pytest.raises(BankError, match="missing key"):
        question_bank_import(course=course, data=bank)

    assert Question.objects.count() == 0


def test_every_problem_is_reported_at_once(course, bank):
    bank["quizzes"][0]["questions"][0]["text"] = ""
    bank["quizzes"][1]["questions"][0]["options"] = []

    with pytest.raises(BankError) as raised:
        question_bank_import(course=course, data=bank)

    message = str(raised.value)
    assert "one-" in message
    assert "mod-single" in message


def test_a_quiz_for_an_unknown_lesson_is_rejected(course, bank):
    bank["quizzes"][0]["lesson"] = "no-such-lesson"

    with pytest.raises(BankError, match="no-such-lesson"):
        question_bank_import(course=course, data=bank)

    assert counts() == dict.fromkeys(counts(), 0)


def test_a_question_for_an_unknown_lesson_is_rejected(course, bank):
    bank["quizzes"][1]["questions"][0]["lesson"] = "no-such-lesson"

    with pytest.raises(BankError, match="no-such-lesson"):
        question_bank_import(course=course, data=bank)

    assert counts() == dict.fromkeys(counts(), 0)


def test_a_quiz_for_an_unknown_module_is_rejected(course, bank):
    bank["quizzes"][1]["module"] = "no-such-module"

    with pytest.raises(BankError, match="no-such-module"):
        question_bank_import(course=course, data=bank)

    assert counts() == dict.fromkeys(counts(), 0)


def test_a_lesson_of_another_course_is_unknown(course, bank):
    from tests.factories import make_course

    other = make_course(slug="other")
    bank["quizzes"][0]["lesson"] = other.lessons.first().slug

    with pytest.raises(BankError):
        question_bank_import(course=course, data=bank)


# --------------------------------------------------------------------------
# The command


def test_command_imports_into_the_course_named_in_the_file(course, bank, tmp_path):
    output = import_command(write_bank(tmp_path, bank))

    assert Quiz.objects.filter(course=course).count() == 2
    assert f"questions: {len(ALL_TYPES) + 1} created" in output
    assert "quizzes: 2 created" in output


def test_command_course_option_wins_over_the_file(course, bank, tmp_path):
    other = Course.objects.create(title="Other", slug="other")
    bank["quizzes"] = [bank["quizzes"][1]]
    del bank["quizzes"][0]["module"]

    import_command(write_bank(tmp_path, bank), course="other")

    assert Quiz.objects.get(slug="module-quiz").course == other


def test_command_run_twice_reports_everything_unchanged(course, bank, tmp_path):
    path = write_bank(tmp_path, bank)
    import_command(path)
    before = versions()

    output = import_command(path)

    assert "0 created, 0 updated" in output
    assert f"{len(ALL_TYPES) + 1} unchanged" in output
    assert versions() == before


def test_command_with_an_invalid_question_fails_and_writes_nothing(
    course, bank, tmp_path
):
    bank["quizzes"][1]["questions"].append({"type": "single", "key": "bad"})

    with pytest.raises(CommandError, match="nothing imported"):
        import_command(write_bank(tmp_path, bank))

    assert counts() == dict.fromkeys(counts(), 0)


def test_command_with_an_unknown_lesson_fails_and_writes_nothing(
    course, bank, tmp_path
):
    bank["quizzes"][0]["lesson"] = "nowhere"

    with pytest.raises(CommandError, match="nowhere"):
        import_command(write_bank(tmp_path, bank))

    assert counts() == dict.fromkeys(counts(), 0)


def test_command_for_an_unknown_course_fails_clearly(db, bank, tmp_path):
    bank["course"] = "nowhere"

    with pytest.raises(CommandError, match="no course with slug 'nowhere'"):
        import_command(write_bank(tmp_path, bank))


def test_command_with_a_file_that_is_not_json_fails_clearly(course, tmp_path):
    path = tmp_path / "bank.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        import_command(str(path))


def test_command_with_a_missing_file_fails_clearly(course, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        import_command(str(tmp_path / "missing.json"))


# --------------------------------------------------------------------------
# The shipped question bank


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


def test_the_shipped_bank_imports_whole_and_twice_changes_nothing(seed_course):
    data = json.loads(SEED_BANK.read_text(encoding="utf-8"))
    keys = {q["key"] for quiz in data["quizzes"] for q in quiz.get("questions", ())}

    import_command(str(SEED_BANK), course=seed_course.slug)
    first_counts, first_versions = counts(), versions()
    first_answers = set(Answer.objects.values_list("pk", flat=True))
    output = import_command(str(SEED_BANK), course=seed_course.slug)

    assert f"0 created, 0 updated, {len(keys)} unchanged" in output
    assert set(Answer.objects.values_list("pk", flat=True)) == first_answers

    assert set(first_versions) == keys
    assert Quiz.objects.filter(course=seed_course).count() == len(data["quizzes"])
    assert counts() == first_counts
    assert versions() == first_versions
