"""Real question banks written elsewhere, read as Moodle's importer reads them.

Every ``tests/corpus/banks/<format>/<name>.expected.json`` records what Moodle
makes of one real GIFT, Moodle XML, Aiken or cloze file (``SOURCES.md`` names
its repository, path, commit and licence; ``MOODLE-NOTES.md`` how Moodle
decides). The files themselves are not committed: they are read from the
folder ``COURSESITE_CORPUS_BANKS`` names, else ``../shared/corpus/banks``
beside the checkout, else ``/work/corpus/banks``; without one the tests skip.

For each expectation: our reader accepts or refuses the file as Moodle does,
with the same number of questions, types and the key fields the expectation
records (those our questions hold, Moodle's question options included; see
``NOT_HELD``). Each accepted file is then stored in a course (dry run, real,
re-import: nothing new) and round tripped: exported to Moodle XML and to GIFT
(the types GIFT can express), imported into another course, the same bank.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from quizzes import bank_formats, moodle_options
from quizzes.gift import ANY_NUMBER
from quizzes.models import Question
from quizzes.snapshots import question_to_dict
from tests.corpus import material_missing
from tests.factories import make_course

HERE = Path(__file__).parent / "banks"
REPO = Path(__file__).resolve().parents[2]
SKIP_REASON = "real corpus not present: see tests/corpus/README.md"

# Expectation folder -> our format name.
FORMAT_OF = {
    "gift": "gift",
    "xml": "moodle-xml",
    "cloze": "moodle-xml",
    "aiken": "aiken",
}

# Moodle types we refuse by name, number and line (issue 12 allows it: "Types
# we do not support are refused by name and number with the file's line").
UNSUPPORTED = {"gapselect", "ddwtos"}

# Fields of the expectations that our questions do not hold (quiz settings for
# us, or read and dropped with a warning: quizzes/moodle_xml.py docstring).
NOT_HELD = (
    "responseformat",
    "embedded_files",
    "penalty_in_file",
)

# GIFT cannot write these (quizzes/gift.py docstring): left out of the GIFT
# round trip's comparison.
GIFT_LOSES = ("default_mark", "case_sensitive", "response_template", "grader_info")
# GIFT has no place for Moodle's question options but the ID number.
GIFT_LOSES += tuple(name for name in moodle_options.DEFAULTS if name != "idnumber")
GIFT_TYPES = {"single", "multiple", "truefalse", "shortanswer", "numerical"}
GIFT_TYPES |= {"matching", "essay", "description"}


def corpus_dir() -> Path | None:
    candidates = [
        os.environ.get("COURSESITE_CORPUS_BANKS"),
        REPO.parent / "shared" / "corpus" / "banks",
        "/work/corpus/banks",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _expectations() -> list:
    params = []
    for path in sorted(HERE.glob("*/*.expected.json")):
        folder = path.parent.name
        params.append(pytest.param(path, id=f"{folder}/{path.name[:-14]}"))
    return params


EXPECTATIONS = _expectations()
ACCEPTED = [
    p
    for p in EXPECTATIONS
    if json.loads(p.values[0].read_text())["accepted_by_moodle"]
    and not {q["type"] for q in json.loads(p.values[0].read_text())["questions"]}
    & UNSUPPORTED
]


def _material(expected_path: Path) -> tuple[bytes, str]:
    root = corpus_dir()
    if root is None:
        material_missing(SKIP_REASON)
    stem = expected_path.name[: -len(".expected.json")]
    found = sorted((root / expected_path.parent.name).glob(stem + ".*"))
    found = [p for p in found if not p.name.endswith(".json")]
    if not found:
        material_missing(SKIP_REASON)
    return found[0].read_bytes(), FORMAT_OF[expected_path.parent.name]


# ------------------------------------------------------------- comparisons


def _our_type(expected: dict) -> str:
    kind = expected["type"]
    if kind == "multichoice":
        return "single" if expected.get("single", True) else "multiple"
    return {"multianswer": "cloze"}.get(kind, kind)


def _answers_count(question: dict) -> int:
    kind = question["type"]
    if kind in ("single", "multiple"):
        return len(question["options"])
    if kind == "truefalse":
        return 2
    if kind == "matching":
        return len(question["pairs"]) + len(question.get("distractors") or ())
    if kind == "ordering":
        return len(question["items"])
    return len(question.get("answers") or ())


def _fractions(question: dict) -> list[float]:
    return [
        float(entry["fraction"])
        for entry in question.get("options") or question.get("answers") or ()
    ]


def _numeric(answer: dict) -> tuple[float, float]:
    """An answer as Moodle stores it: value and tolerance (a range by its mid
    point and half width)."""
    if "min" in answer:
        return (answer["min"] + answer["max"]) / 2, (answer["max"] - answer["min"]) / 2
    return answer["value"], answer.get("tolerance", 0.0)


def _moodle_numeric(text: str) -> tuple[float, float]:
    value, _, tolerance = text.partition("±")
    return float(value), float(tolerance or 0)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def compare(expected: dict, question: dict, fmt: str) -> list[str]:
    """What differs between Moodle's reading (``expected``) and ours."""
    want = _our_type(expected)
    if question["type"] != want:
        return [f"type {question['type']!r}, Moodle {want!r}"]
    pairs = []  # (what, ours, Moodle's)
    explicit = fmt != "gift" or expected.get("name_source", "").startswith("explicit")
    if fmt != "aiken" and explicit:
        pairs.append(("name", question.get("title"), expected["name"]))
    if "answers_count" in expected and want != "cloze":
        pairs.append(("answers", _answers_count(question), expected["answers_count"]))
    if "fractions" in expected:
        ours = _fractions(question)
        theirs = [float(f) for f in expected["fractions"]]
        if len(ours) == len(theirs) and all(map(_close, ours, theirs)):
            ours = theirs
        pairs.append(("fractions", ours, theirs))
    if expected.get("questiontext_format"):
        theirs = expected["questiontext_format"].split()[0]
        pairs.append(("format", question.get("format"), theirs))
    if "numerical_answers" in expected:
        theirs = [_moodle_numeric(t) for t in expected["numerical_answers"]]
        pairs.append(("numbers", _numbers(question, theirs), theirs))
    elif want == "numerical" and "answers" in expected:
        theirs = [(float(v), float(t)) for v, t in expected["answers"]]
        pairs.append(("numbers", _numbers(question, theirs), theirs))
    if "correct_answer" in expected:
        pairs.append(("correct", question["correct"], expected["correct_answer"]))
    for ours, theirs in (
        ("feedback_true", "feedback_when_student_answers_true"),
        ("feedback_false", "feedback_when_student_answers_false"),
    ):
        if theirs in expected:
            pairs.append((ours, question[ours], expected[theirs]))
    if "idnumber" in expected:
        pairs.append(("idnumber", question.get("idnumber"), expected["idnumber"]))
    if "tags" in expected:
        tags = [t for t in question.get("tags") or () if not t.startswith("category:")]
        pairs.append(("tags", tags, expected["tags"]))
    if "usecase" in expected:
        theirs = expected["usecase"] == "1"
        pairs.append(("case_sensitive", question.get("case_sensitive"), theirs))
    mark = expected.get("defaultgrade", expected.get("defaultmark"))
    if mark is not None and want != "description":
        ours = float(question.get("default_mark", 1.0))
        if _close(ours, float(mark)):
            ours = float(mark)
        pairs.append(("default_mark", ours, float(mark)))
    options = moodle_options.stored(question)
    if "answernumbering" in expected and want in ("single", "multiple"):
        theirs = expected["answernumbering"] or "abc"
        pairs.append(("answer_numbering", options["answer_numbering"], theirs))
    if "penalty" in expected:
        theirs = float(expected["penalty"])
        ours = options["penalty"]
        pairs.append(("penalty", theirs if _close(ours, theirs) else ours, theirs))
    if "combined_feedback" in expected:
        names = {
            "correctfeedback": "correct_feedback",
            "partiallycorrectfeedback": "partially_correct_feedback",
            "incorrectfeedback": "incorrect_feedback",
        }
        ours = [tag for tag, name in names.items() if options[name]]
        pairs.append(("combined_feedback", ours, expected["combined_feedback"]))
    if "subquestions_with_text" in expected:
        theirs = expected["subquestions_with_text"]
        pairs.append(("pairs", len(question["pairs"]), theirs))
    return [
        f"{what} {ours!r}, Moodle {theirs!r}"
        for what, ours, theirs in pairs
        if ours != theirs
    ]


def _numbers(question: dict, theirs: list) -> list:
    """Our numerical answers as Moodle's (value, tolerance), or ``theirs`` when
    they are equal but for float rounding."""
    ours = [_numeric(a) for a in question["answers"]]
    if len(ours) == len(theirs) and all(
        _close(a[0], b[0]) and _close(a[1], b[1])
        for a, b in zip(ours, theirs, strict=True)
    ):
        return theirs
    return ours


def _read(data: bytes, fmt: str):
    return bank_formats.FORMATS[fmt].read(data).questions


# ------------------------------------------------------------------- tests


@pytest.mark.parametrize("expected_path", EXPECTATIONS)
def test_our_reader_does_what_moodles_importer_does(expected_path):
    data, fmt = _material(expected_path)
    expected = json.loads(expected_path.read_text())
    moodle = [q for q in expected["questions"] if q["type"] != "category"]
    unsupported = {q["type"] for q in moodle} & UNSUPPORTED
    if not expected["accepted_by_moodle"] or unsupported:
        with pytest.raises(bank_formats.BankFileError) as refused:
            _read(data, fmt)
        assert refused.value.errors, "refused without saying why"
        assert all(problem.line for problem in refused.value.errors)
        for kind in unsupported:
            assert any(f"type {kind!r}" in str(p) for p in refused.value.errors)
        return
    parsed = _read(data, fmt)
    assert len(parsed) == expected["count"] == len(moodle)
    differences = [
        f"question {n} (line {item.line}): {difference}"
        for n, (theirs, item) in enumerate(zip(moodle, parsed, strict=True), start=1)
        for difference in compare(theirs, item.question, fmt)
    ]
    assert differences == []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def _bank(course) -> list[dict]:
    """A course's questions as comparable dicts (ids and paths left out)."""
    out = []
    for question in (
        Question.objects.filter(course=course)
        .prefetch_related("answers")
        .order_by("category", "key")
    ):
        data = question_to_dict(question)
        for name in ("options", "pairs", "items"):
            for entry in data.get(name) or ():
                entry.pop("id", None)
        data.pop("lesson_id", None)
        data.update(category=question.category, tags=question.tags)
        data["text"] = data["text"].replace(f"/questions/{course.pk}/", "/questions/N/")
        out.append(data)
    return out


def _ranges_as_moodle_stores(bank: list[dict]) -> list[dict]:
    for question in bank:
        if question["type"] != "numerical":
            continue
        for answer in question["answers"]:
            if "min" in answer and answer["max"] != ANY_NUMBER:
                value, tolerance = _numeric(answer)
                del answer["min"], answer["max"]
                answer.update(value=value, tolerance=tolerance)
            if "value" in answer:
                answer["value"] = round(answer["value"], 9)
                answer["tolerance"] = round(answer["tolerance"], 9)
    return bank


def _course(slug):
    return make_course(modules=1, lessons_per_module=1, slug=slug, title=slug)


@pytest.mark.django_db
@pytest.mark.parametrize("expected_path", ACCEPTED)
def test_an_accepted_file_is_stored_whole_and_reimports_as_unchanged(
    expected_path, media
):
    data, fmt = _material(expected_path)
    count = json.loads(expected_path.read_text())["count"]
    course = _course("bank")
    dry = bank_formats.bank_import(
        course=course, data=data, format_name=fmt, dry_run=True
    )
    assert len(dry.created) == count
    assert not Question.objects.filter(course=course).exists()
    stored = bank_formats.bank_import(course=course, data=data, format_name=fmt)
    assert len(stored.created) == count
    assert Question.objects.filter(course=course).count() == count
    # Re-import identity does not depend on titles (many files have none, and
    # some repeat a question text).
    again = bank_formats.bank_import(course=course, data=data, format_name=fmt)
    assert (len(again.created), len(again.unchanged)) == (0, count)


@pytest.mark.django_db
@pytest.mark.parametrize("expected_path", ACCEPTED)
@pytest.mark.parametrize("through", ["moodle-xml", "gift"])
def test_an_imported_file_exported_and_imported_back_is_the_same_bank(
    expected_path, through, media
):
    data, fmt = _material(expected_path)
    course = _course("bank")
    bank_formats.bank_import(course=course, data=data, format_name=fmt)
    exported = bank_formats.bank_export(course=course, format_name=through)
    copy = _course("copy")
    if exported.text.strip():
        bank_formats.bank_import(
            course=copy, data=exported.text.encode(), format_name=through
        )
    before, after = _bank(course), _bank(copy)
    if through == "moodle-xml":
        # Moodle XML has no range: 1..5 is stored as 3 +- 2, as Moodle does.
        before, after = (
            _ranges_as_moodle_stores(before),
            _ranges_as_moodle_stores(after),
        )
        # Moodle XML carries one identifier per question, <idnumber>: the
        # question's Moodle ID number when it has one, else our key.
        before, after = _identity_as_moodle_xml(before), _identity_as_moodle_xml(after)
    if through == "gift":
        skipped = {question.pk for question, _ in getattr(exported, "skipped", ())}
        assert all(
            q.type not in GIFT_TYPES for q in Question.objects.filter(pk__in=skipped)
        )
        before = [q for q in before if q["type"] in GIFT_TYPES]
        for question in before + after:
            for name in GIFT_LOSES:
                question.pop(name, None)
    assert _sorted(after) == _sorted(before)


def _identity_as_moodle_xml(bank: list[dict]) -> list[dict]:
    for question in bank:
        question["key"] = question.pop("idnumber", None) or question["key"]
    return bank


def _sorted(bank: list[dict]) -> list[dict]:
    return sorted(bank, key=lambda q: json.dumps(q, sort_keys=True, default=str))
