"""Property test: a bank exported to Moodle XML and imported into another
course is the same bank (every field our questions have, category, tags and
Moodle's question options included). Numerical ranges (``min..max``, from
GIFT) travel as value and tolerance, which Moodle XML has instead, so answers
are compared as intervals."""

import itertools
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes import moodle_options as options
from quizzes.banks import moodle_xml_export, moodle_xml_import
from quizzes.models import Question
from quizzes.moodle_xml import write_moodle_xml
from quizzes.snapshots import question_to_dict
from tests.factories import make_course

WORDS = (
    st.text(string.ascii_letters + " <>&'\"é", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_courses = itertools.count()


@st.composite
def question(draw, index: int) -> dict:
    kind = draw(
        st.sampled_from(
            ["single", "multiple", "truefalse", "shortanswer", "numerical"]
            + ["matching", "ordering", "essay", "description"]
        )
    )
    base = {
        "type": kind,
        "title": f"Q{index} " + draw(WORDS),
        "text": draw(WORDS),
        "general_feedback": draw(WORDS | st.just("")),
        "default_mark": 0.0
        if kind == "description"
        else draw(st.sampled_from([1.0, 2.5])),
        "tags": draw(
            st.sampled_from([[], ["category:Week 1"], ["category:A/B", "hard"]])
        ),
    }
    # Moodle's options; an ID number may be a slug (then the key) or not, and
    # may repeat (not as a slug: the first question of a file with one gets the
    # key, so a repeated slug ID number can give other keys in another order).
    base.update(
        options.compact(
            options.stored(
                {
                    "type": kind,
                    "idnumber": draw(st.sampled_from(["", "", f"q-{index}", "ID 7"])),
                    "penalty": draw(st.sampled_from([0.3333333, 0.1])),
                    "hints": [options.hint(draw(WORDS), draw(st.booleans()))]
                    if draw(st.booleans())
                    else [],
                    "correct_feedback": draw(WORDS | st.just("")),
                    "incorrect_feedback": draw(WORDS | st.just("")),
                    "shuffle_answers": draw(st.booleans()),
                    "answer_numbering": draw(st.sampled_from(options.NUMBERINGS)),
                }
            ),
            kind,
        )
    )
    distinct = st.lists(WORDS, min_size=2, max_size=4, unique=True)
    if kind in ("single", "multiple"):
        texts = draw(distinct)
        fractions = [1.0] + [0.0] * (len(texts) - 1)
        if kind == "multiple":
            fractions = [0.5, 0.5] + [-1.0] * (len(texts) - 2)
        base["options"] = [
            {"id": "x", "text": t, "fraction": f, "feedback": draw(WORDS | st.just(""))}
            for t, f in zip(texts, fractions, strict=True)
        ]
    elif kind == "truefalse":
        base.update(correct=draw(st.booleans()), feedback_true="yes", feedback_false="")
    elif kind == "shortanswer":
        base["case_sensitive"] = draw(st.booleans())
        base["answers"] = [{"text": draw(WORDS), "fraction": 1.0, "feedback": ""}]
    elif kind == "numerical":
        answer = draw(
            st.sampled_from(
                [{"value": 3.5, "tolerance": 0.25}, {"min": 1.0, "max": 2.0}]
            )
        )
        base["answers"] = [{**answer, "fraction": 1.0, "feedback": "ok"}]
    elif kind == "matching":
        prompts, answers = draw(distinct), draw(distinct)
        base["pairs"] = [
            {"id": "x", "prompt": p, "answer": a}
            for p, a in zip(prompts, answers, strict=False)
        ]
        base["distractors"] = []
    elif kind == "ordering":
        base["items"] = [{"id": "x", "text": t} for t in draw(distinct)]
    elif kind == "essay":
        base["response_template"] = draw(WORDS | st.just(""))
        base["grader_info"] = draw(WORDS | st.just(""))
    return base


@st.composite
def banks(draw) -> list[dict]:
    return [draw(question(index)) for index in range(draw(st.integers(1, 5)))]


def _interval(answer: dict) -> tuple:
    if "min" in answer:
        return (answer["min"], answer["max"])
    return (
        answer["value"] - answer["tolerance"],
        answer["value"] + answer["tolerance"],
    )


def bank(course) -> list[dict]:
    rows = Question.objects.filter(course=course).prefetch_related("answers")
    out = []
    for row in rows.order_by("key"):
        data = question_to_dict(row)
        data.pop("lesson_id")
        for name in ("options", "pairs", "items"):
            for entry in data.get(name) or ():
                entry.pop("id")
        if data["type"] == "numerical":
            data["answers"] = [
                (tuple(round(x, 9) for x in _interval(a)), a["fraction"], a["feedback"])
                for a in data["answers"]
            ]
        data.update(category=row.category, tags=row.tags, published=row.is_published)
        out.append(data)
    return out


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(banks(), st.lists(st.booleans(), min_size=5, max_size=5))
def test_a_bank_exported_and_imported_back_is_the_same_bank(
    settings_media, questions, published
):
    number = next(_courses)
    source = make_course(modules=1, lessons_per_module=1, slug=f"src-{number}")
    for question, shown in zip(questions, published, strict=False):
        question["hidden"] = not shown
    moodle_xml_import(course=source, data=write_moodle_xml(questions).encode())
    copy = make_course(modules=1, lessons_per_module=1, slug=f"copy-{number}")
    moodle_xml_import(course=copy, data=moodle_xml_export(course=source).encode())
    assert bank(copy) == bank(source)
    again = moodle_xml_import(
        course=source, data=moodle_xml_export(course=source).encode()
    )
    assert again.created == again.updated == []


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
