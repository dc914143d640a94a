"""import_bank and export_bank: one entry point for every bank format (the
registry in quizzes.bank_formats), all or nothing, dry runs that write nothing,
exports to stdout that import back to the same bank."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lessons.problems import MAX_REPORTED
from quizzes.bank_formats import FORMATS, sniff_format
from quizzes.models import Question, Quiz, QuizQuestion
from quizzes.snapshots import question_to_dict
from tests.factories import make_course

GIFT = "$CATEGORY: rivers\n\n::Amazon::Longest river? {=Amazon ~Nile}\n\nTrue? {T}\n"
AIKEN = (
    "Which river flows through Lima?\nA) Rimac\nB) Amazon\nANSWER: A\n\n"
    "How many sides has a pentagon?\nA. four\nB. five\nC. six\nANSWER: B\n"
)
XML = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n</quiz>\n'
MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer">
    <name><text>Capital of Peru</text></name>
    <questiontext format="html"><text>What is the capital of Peru?</text></questiontext>
    <idnumber>capital-of-peru</idnumber>
    <answer fraction="100"><text>Lima</text></answer>
  </question>
</quiz>
"""


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def comparable(question: Question) -> dict:
    data = question_to_dict(question)
    for name in ("lesson_id", "key"):
        data.pop(name)
    for name in ("options", "pairs", "items"):
        for entry in data.get(name, ()):
            entry.pop("id")
    data["category"] = question.category
    data["tags"] = question.tags
    return data


def bank(course) -> list[dict]:
    questions = Question.objects.filter(course=course).prefetch_related("answers")
    return sorted(
        (comparable(q) for q in questions), key=lambda d: (d["category"], d["text"])
    )


@pytest.fixture
def courses(db):
    return make_course(slug="first"), make_course(slug="second")


# ----------------------------------------------------------------- sniffing

SNIFFED = {
    "json object": ('{"quizzes": []}', "json"),
    "json after a BOM and spaces": ('\ufeff \n {"format": "x"}', "json"),
    "moodle xml": (XML, "moodle-xml"),
    "moodle xml with a comment first": ("<!-- hi -->\n<quiz>\n</quiz>", "moodle-xml"),
    "aiken": (AIKEN, "aiken"),
    "aiken with braces in a stem": ("Is {x} a set?\nA) yes\nB) no\nANSWER: A", "aiken"),
    "gift answer block": ("Capital? {=Lima ~Cusco}", "gift"),
    "gift title only": ("::Intro::A description.", "gift"),
    "gift category": ("$CATEGORY: a/b\n", "gift"),
    "plain prose": ("Just some notes.\nNothing to import.", None),
    "other xml": ("<html><body/></html>", None),
}


@pytest.mark.parametrize("name", list(SNIFFED))
def test_the_format_is_sniffed_from_the_content(name):
    text, expected = SNIFFED[name]
    assert sniff_format(text.encode()) == expected


def test_every_format_is_registered_once_with_what_it_can_do():
    assert list(FORMATS) == ["json", "moodle-xml", "aiken", "gift"]
    assert FORMATS["aiken"].write is None
    assert all(entry.read is not None for entry in FORMATS.values())


# ------------------------------------------------------------------- import


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [("bank.gift", GIFT, "gift"), ("bank.txt", AIKEN, "aiken")],
)
@pytest.mark.parametrize("given", ["auto", "explicit"])
def test_import_bank_reads_each_format(tmp_path, courses, name, text, fmt, given):
    path = write(tmp_path, name, text)
    args = ["--format", fmt] if given == "explicit" else []

    out, _ = run("import_bank", path, "--course", "first", "--quiz", "week-1", *args)

    assert "2 created" in out and fmt in out
    assert Question.objects.filter(course__slug="first").count() == 2
    assert QuizQuestion.objects.filter(quiz__slug="week-1").count() == 2


def test_an_aiken_bank_imports_single_choice_questions(tmp_path, courses):
    run("import_bank", write(tmp_path, "a.txt", AIKEN), "--course", "first")

    question = Question.objects.get(text="How many sides has a pentagon?")
    data = question_to_dict(question)
    assert data["type"] == "single"
    assert [(o["text"], o["fraction"]) for o in data["options"]] == [
        ("four", 0.0),
        ("five", 1.0),
        ("six", 0.0),
    ]


def test_importing_the_same_aiken_file_again_changes_nothing(tmp_path, courses):
    path = write(tmp_path, "a.txt", AIKEN)
    run("import_bank", path, "--course", "first")

    out, _ = run("import_bank", path, "--course", "first")

    assert "0 created, 0 updated, 2 unchanged" in out


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (GIFT, "gift"),
        (AIKEN, "aiken"),
        (json.dumps({"course": "x", "quizzes": []}), "json"),
    ],
)
def test_a_dry_run_reports_and_writes_nothing(tmp_path, courses, text, fmt):
    path = write(tmp_path, "bank.any", text)
    if fmt == "json":
        run("import_bank", write(tmp_path, "g.gift", GIFT), "--course", "second")
        exported, _ = run("export_bank", "--course", "second", "--format", "json")
        path = write(tmp_path, "bank.json", exported)
    args = ["--quiz", "new-quiz"] if fmt != "json" else []

    out, _ = run("import_bank", path, "--course", "first", "--dry-run", *args)

    assert out.startswith(f"{path} ({fmt}): [dry run]")
    assert "2 created" in out
    assert not Question.objects.filter(course__slug="first").exists()
    assert not Quiz.objects.filter(course__slug="first").exists()


def test_a_broken_aiken_file_is_refused_whole_with_every_line(tmp_path, courses):
    text = (
        "Good?\nA) a\nB) b\nANSWER: A\n\nBad stem\nover two lines?\nA) a\nANSWER: A\n"
    )
    path = write(tmp_path, "bad.txt", text)

    with pytest.raises(CommandError) as caught:
        run("import_bank", path, "--course", "first", "--format", "aiken")

    message = str(caught.value)
    assert "nothing imported, 2 problem(s)" in message
    assert f"{path}:7:" in message and f"{path}:9:" in message
    assert not Question.objects.exists()


def test_errors_are_capped_at_the_first_hundred_with_a_count(tmp_path, courses):
    path = write(tmp_path, "many.gift", "::Q::Broken {=a ~b\n\n" * (MAX_REPORTED + 7))

    with pytest.raises(CommandError) as caught:
        run("import_bank", path, "--course", "first")

    message = str(caught.value)
    assert f"{MAX_REPORTED + 7} problem(s)" in message
    assert message.count(f"{path}:") == MAX_REPORTED + 1  # the heading too
    assert "7 more problems" in message


def test_warnings_name_their_line_on_stderr(tmp_path, courses):
    path = write(tmp_path, "w.txt", "Q?\nA) a\nB) b\nANSWER: A\nFEEDBACK: why\n")

    out, err = run("import_bank", path, "--course", "first")

    assert "1 created" in out
    assert f"{path}:5: warning:" in err


def test_a_file_of_unknown_format_is_refused_clearly(tmp_path, courses):
    path = write(tmp_path, "notes.txt", "Just some notes.\n")

    with pytest.raises(CommandError, match="cannot tell the file's format"):
        run("import_bank", path, "--course", "first")


def test_a_moodle_xml_bank_goes_through_import_bank_and_export_bank(tmp_path, courses):
    """Moodle XML is read and written by the one entry point, with its own store
    (the idnumber is the question's key), and the export imports back unchanged."""
    path = write(tmp_path, "bank.xml", MOODLE_XML)

    out, _ = run("import_bank", path, "--course", "first")

    question = Question.objects.get(course__slug="first")
    assert "1 created" in out
    assert question.key == "capital-of-peru"
    exported, _ = run("export_bank", "--course", "first", "--format", "moodle-xml")
    assert "<idnumber>capital-of-peru</idnumber>" in exported
    again, _ = run(
        "import_bank", write(tmp_path, "again.xml", exported), "--course", "first"
    )
    assert "0 created, 0 updated, 1 unchanged" in again


def test_a_broken_moodle_xml_bank_names_the_line(tmp_path, courses):
    path = write(tmp_path, "bad.xml", MOODLE_XML.replace("<text>Lima</text>", ""))

    with pytest.raises(
        CommandError, match=r"bad\.xml:3: <question>: Answer 1 has no text"
    ):
        run("import_bank", path, "--course", "first", "--format", "moodle-xml")
    assert not Question.objects.filter(course__slug="first").exists()


def test_an_unknown_course_or_file_is_a_clear_error(tmp_path, courses):
    with pytest.raises(CommandError, match="no course with slug 'nope'"):
        run("import_bank", write(tmp_path, "a.txt", AIKEN), "--course", "nope")
    with pytest.raises(CommandError, match="cannot read"):
        run("import_bank", str(tmp_path / "missing.gift"), "--course", "first")


def test_a_file_that_is_not_utf8_is_refused(tmp_path, courses):
    path = tmp_path / "latin1.txt"
    path.write_bytes("¿Qué?\nA) sí\nB) no\nANSWER: A\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run("import_bank", str(path), "--course", "first", "--format", "aiken")


def test_a_quiz_with_a_json_bank_is_refused(tmp_path, courses):
    path = write(tmp_path, "b.json", json.dumps({"quizzes": []}))

    with pytest.raises(CommandError, match="names its own quizzes"):
        run("import_bank", path, "--course", "first", "--quiz", "x")


# ------------------------------------------------------------------- export


def test_export_bank_prints_gift_to_stdout(tmp_path, courses):
    run("import_bank", write(tmp_path, "g.gift", GIFT), "--course", "first")

    out, _ = run("export_bank", "--course", "first", "--format", "gift")

    assert "$CATEGORY: rivers" in out and "::Amazon::" in out


def test_export_bank_prints_json_to_stdout(tmp_path, courses):
    run("import_bank", write(tmp_path, "g.gift", GIFT), "--course", "first")

    data = json.loads(run("export_bank", "--course", "first", "--format", "json")[0])

    assert data["format"] == "coursesite-quiz"
    assert len(data["questions"]) == 2  # in no quiz, still in the bank


def test_export_bank_of_one_quiz(tmp_path, courses):
    run("import_bank", write(tmp_path, "a.txt", AIKEN), "--course", "first")
    run("import_bank", write(tmp_path, "g.gift", GIFT), "--course", "first")
    run(
        "import_bank",
        write(tmp_path, "a.txt", AIKEN),
        "--course",
        "first",
        "--quiz",
        "q",
    )

    quiz = ["--course", "first", "--quiz", "q"]
    gift_out, _ = run("export_bank", *quiz, "--format", "gift")
    data = json.loads(run("export_bank", *quiz, "--format", "json")[0])

    assert "Longest river" not in gift_out and "pentagon" in gift_out
    assert [len(entry["questions"]) for entry in data["quizzes"]] == [2]


@pytest.mark.parametrize("fmt", ["gift", "json"])
def test_an_exported_bank_imports_back_to_the_same_bank(tmp_path, courses, fmt):
    first, second = courses
    run("import_bank", write(tmp_path, "g.gift", GIFT), "--course", "first")
    run(
        "import_bank",
        write(tmp_path, "a.txt", AIKEN),
        "--course",
        "first",
        "--quiz",
        "q",
    )
    exported, _ = run("export_bank", "--course", "first", "--format", fmt)
    path = write(tmp_path, f"out.{fmt}", exported)

    run("import_bank", path, "--course", "second")

    assert bank(second) == bank(first)
    assert len(bank(first)) == 4
    again, _ = run("import_bank", path, "--course", "first")
    assert "0 created" in again and "0 updated" in again


def test_export_bank_needs_a_known_quiz(courses):
    with pytest.raises(CommandError, match="no quiz 'nope'"):
        run("export_bank", "--course", "first", "--quiz", "nope", "--format", "gift")
