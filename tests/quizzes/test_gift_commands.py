"""Tests for the authoring commands: import_gift, export_quiz, import_quiz and
draft_questions. Every GIFT construct imports through the command and round-trips:
import -> export_quiz --format gift -> import into another course gives equal
questions, and importing the export into the first course changes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from quizzes.banks import quiz_questions
from quizzes.models import Question, Quiz
from quizzes.snapshots import question_to_dict
from tests.factories import LessonFactory, ModuleFactory, make_course

# One GIFT file per construct of the grammar (Moodle's format.php).
CONSTRUCTS = {
    "comments": "// A comment line\n::Commented::Is this read? {T}\n// after\n",
    "category": "$CATEGORY: $course$/top/Week 1/Rivers\n\n::In a category::Q? {T}\n",
    "tags": "// [tag:rivers] [tag:hard]\n::Tagged::A tagged question. {F}\n",
    "title": "::My title::The question text. {=yes ~no}\n",
    "no title": "A question without a title. {=yes ~no}\n",
    "html format": "::Html::[html]<p>Which is <b>largest</b>?</p> {=Amazon ~Nile}\n",
    "markdown format": "::Md::[markdown]Which is **largest**? {=Amazon ~Nile}\n",
    "plain format": "::Plain::[plain]Plain *stars* stay. {T}\n",
    "moodle format": "::Moodle::[moodle]Auto-format text. {T}\n",
    "single choice": (
        "::Single::Capital of Peru? {\n\t=Lima\n\t~Cusco\n\t~Arequipa\n}\n"
    ),
    "single choice with partial credit": (
        "::Partial::Best answer? {=Lima ~%50%Callao ~%-25%Quito}\n"
    ),
    "multiple response": (
        "::Multi::Andean countries? {\n\t~%50%Peru\n\t~%50%Bolivia\n"
        "\t~%-100%Brazil\n}\n"
    ),
    "multiple response with decimal weights": (
        "::Thirds::Pick three. {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-50%d}\n"
    ),
    "true T": "::T::Lima is the capital. {T}\n",
    "true TRUE": "::TRUE::Lima is the capital. {TRUE}\n",
    "false F": "::F::Quito is in Peru. {F}\n",
    "false FALSE": "::FALSE::Quito is in Peru. {FALSE}\n",
    "true/false with both feedbacks": (
        "::TF feedback::The Amazon flows west. {FALSE#It flows east.#Right.}\n"
    ),
    "short answer": "::Short::Who freed Peru? {=San Martín =Bolívar}\n",
    "short answer with weights": (
        "::Short weights::Who? {=José de San Martín =%50%San Martín#Half.}\n"
    ),
    "short answer with a wildcard": "::Wild::Name a river. {=*Amazon*}\n",
    "numerical": "::Num::Year of independence? {#1821}\n",
    "numerical with tolerance": "::Tol::Pi? {#3.14159:0.0005}\n",
    "numerical range": "::Range::A year in the 1820s. {#1820..1829}\n",
    "numerical with weighted answers": (
        "::Num weights::When? {#\n\t=1821#Exact.\n\t=%50%1821:5#Close.\n}\n"
    ),
    "matching": (
        "::Match::Capitals. {\n\t=Peru -> Lima\n\t=Chile -> Santiago\n"
        "\t=Bolivia -> Sucre\n}\n"
    ),
    "matching with a distractor": (
        "::Match more::Capitals. {=Peru -> Lima =Chile -> Santiago = -> Quito}\n"
    ),
    "essay": "::Essay::Discuss the causes of the war. {}\n",
    "description": "::Intro::The next questions are about rivers.\n",
    "missing word": "::Missing::The Amazon is the {=largest ~shortest} river.\n",
    "answer feedback": "::Fb::Capital? {=Lima#Yes! ~Cusco#The Inca capital.}\n",
    "general feedback": "::General::Capital? {=Lima ~Cusco ####Lima since 1535.}\n",
    "escapes": (
        "::Esc\\: title::Escaped \\: \\~ \\= \\# \\{ \\} \\\\ and a\\nbreak "
        "{=a\\{b ~c\\}d ~e\\=f}\n"
    ),
    "url with slashes": "::Url::See https://example.com//x first. {T}\n",
}


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def comparable(question: Question) -> dict:
    """A stored question without what differs between two copies (ids, keys)."""
    data = question_to_dict(question)
    data.pop("lesson_id")
    data.pop("key")
    for name in ("options", "pairs"):
        for entry in data.get(name, ()):
            entry.pop("id")
    data["category"] = question.category
    data["tags"] = question.tags
    return data


@pytest.fixture
def courses(db):
    return make_course(slug="first"), make_course(slug="second")


@pytest.mark.parametrize("construct", list(CONSTRUCTS))
def test_every_gift_construct_imports_and_round_trips(tmp_path, courses, construct):
    first, second = courses
    source = write(tmp_path, "in.gift", CONSTRUCTS[construct])
    output = run("import_gift", source, "--course", "first", "--quiz", "q")
    assert "1 created" in output
    exported = run("export_quiz", "q", "--course", "first", "--format", "gift")

    again = write(tmp_path, "out.gift", exported)
    run("import_gift", again, "--course", "second", "--quiz", "q")
    originals = quiz_questions(Quiz.objects.get(course=first, slug="q"))
    copies = quiz_questions(Quiz.objects.get(course=second, slug="q"))
    assert [comparable(q) for q in copies] == [comparable(q) for q in originals]
    # The copy exports to the same text, and the export changes nothing at home.
    assert run("export_quiz", "q", "--course", "second", "--format", "gift") == exported
    assert "0 created, 0 updated, 1 unchanged" in run(
        "import_gift", again, "--course", "first", "--quiz", "q"
    )


def test_a_file_with_every_construct_round_trips_as_one(tmp_path, courses):
    text = "\n".join(CONSTRUCTS.values())
    source = write(tmp_path, "all.gift", text)
    run("import_gift", source, "--course", "first", "--quiz", "all")
    exported = run("export_quiz", "all", "--course", "first", "--format", "gift")
    run("import_gift", write(tmp_path, "out.gift", exported), "--course", "second")
    originals = Question.objects.filter(course__slug="first").order_by("key")
    copies = Question.objects.filter(course__slug="second").order_by("key")
    assert len(originals) == len(CONSTRUCTS)
    assert [comparable(q) for q in copies] == [comparable(q) for q in originals]


def test_each_construct_gives_the_expected_question(tmp_path, courses):
    text = "\n".join(CONSTRUCTS.values())
    run("import_gift", write(tmp_path, "all.gift", text), "--course", "first")
    by_title = {q.title: q for q in Question.objects.filter(course__slug="first")}
    assert by_title["In a category"].category == "Week 1/Rivers"
    assert by_title["Tagged"].tags == ["category:Week 1/Rivers", "rivers", "hard"]
    assert by_title["Multi"].type == "multiple"
    assert [a.fraction for a in by_title["Multi"].answers.all()] == [0.5, 0.5, -1.0]
    assert question_to_dict(by_title["TF feedback"])["feedback_false"] == "Right."
    assert by_title["Range"].answers.get().number_max == 1829
    assert by_title["Match more"].answers.filter(text="").get().match_text == "Quito"
    assert by_title["Intro"].type == "description"
    assert by_title["Essay"].type == "essay"
    assert by_title["Missing"].text == "The Amazon is the _____ river."
    assert by_title["General"].general_feedback == "Lima since 1535."
    assert by_title["Esc: title"].text == "Escaped : ~ = # { } \\ and a\nbreak"
    assert by_title["Html"].text == "<p>Which is <b>largest</b>?</p>"


def test_a_bad_file_imports_nothing_and_names_every_problem(tmp_path, courses):
    text = (
        "::Fine::A good question. {=a ~b}\n"
        "\n"
        "::Weights::Bad weights {~%150%a ~%50%b}\n"
        "\n"
        "::Empty::An empty choice {=a ~}\n"
        "\n"
        "::Open::Never closed {=a ~b\n"
        "\n"
        "::Numbers::Not a number {#abc}\n"
    )
    source = write(tmp_path, "bad.gift", text)
    with pytest.raises(CommandError) as info:
        run("import_gift", source, "--course", "first", "--quiz", "q")
    message = str(info.value)
    assert "nothing imported, 4 problem(s)" in message
    for line, what in [
        (3, "weight %150% is out of range"),
        (5, "a multiple choice question needs at least 2 choices"),
        (7, "'{' is never closed"),
        (9, "bad number 'abc'"),
    ]:
        assert f"{source}:{line}: {what}" in message
    assert not Question.objects.exists()
    assert not Quiz.objects.exists()


def test_import_gift_with_quiz_creates_an_unpublished_draft_quiz(tmp_path, courses):
    source = write(tmp_path, "q.gift", CONSTRUCTS["single choice"])
    output = run("import_gift", source, "--course", "first", "--quiz", "week-2")
    assert "quiz 'week-2' created as a draft, 1 question(s) added" in output
    quiz = Quiz.objects.get(course__slug="first", slug="week-2")
    assert not quiz.is_published
    assert quiz.title == "Week 2"


def test_import_gift_dry_run_writes_nothing(tmp_path, courses):
    source = write(tmp_path, "q.gift", CONSTRUCTS["single choice"])
    output = run("import_gift", source, "--course", "first", "--quiz", "q", "--dry-run")
    assert output.startswith(f"{source}: [dry run] 1 created")
    assert not Question.objects.exists()
    assert not Quiz.objects.exists()


def test_import_gift_reports_a_missing_course_or_file(tmp_path, courses):
    with pytest.raises(CommandError, match="no course with slug 'nope'"):
        run("import_gift", write(tmp_path, "q.gift", "x {T}"), "--course", "nope")
    with pytest.raises(CommandError, match="cannot read"):
        run("import_gift", str(tmp_path / "missing.gift"), "--course", "first")
    (tmp_path / "latin1.gift").write_bytes(b"Caf\xe9 {T}")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("import_gift", str(tmp_path / "latin1.gift"), "--course", "first")


def test_export_quiz_reports_questions_gift_cannot_hold(tmp_path, courses):
    first, _ = courses
    run(
        "import_gift",
        write(tmp_path, "q.gift", "Q {T}"),
        "--course",
        "first",
        "--quiz",
        "q",
    )
    ordering = Question.objects.create(
        course=first, key="steps", type="ordering", text="Order these."
    )
    quiz = Quiz.objects.get(slug="q")
    quiz.slots.create(question=ordering, position=5)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_quiz",
        "q",
        "--course",
        "first",
        "--format",
        "gift",
        stdout=out,
        stderr=err,
    )
    assert "skipped 'steps': GIFT cannot hold a question of type 'ordering'" in (
        err.getvalue()
    )
    assert out.getvalue() == "[markdown]Q{TRUE}\n"


def test_export_quiz_reports_an_unknown_quiz(courses):
    with pytest.raises(CommandError, match="no quiz 'nope' in course 'first'"):
        run("export_quiz", "nope", "--course", "first")


# ------------------------------------------------------------------ JSON


def test_export_and_import_quiz_as_json_round_trip(tmp_path, courses):
    text = "\n".join(CONSTRUCTS.values())
    run(
        "import_gift",
        write(tmp_path, "all.gift", text),
        "--course",
        "first",
        "--quiz",
        "all",
    )
    exported = run("export_quiz", "all", "--course", "first", "--format", "json")
    data = json.loads(exported)
    assert data["format"] == "coursesite-quiz"
    output = run(
        "import_quiz", write(tmp_path, "all.json", exported), "--course", "second"
    )
    assert f"questions: {len(CONSTRUCTS)} created" in output
    again = run("export_quiz", "all", "--course", "second", "--format", "json")
    assert json.loads(again)["quizzes"] == data["quizzes"]
    assert "0 created, 0 updated" in run(
        "import_quiz", write(tmp_path, "again.json", again), "--course", "second"
    )


def test_import_quiz_refuses_bad_json_and_writes_nothing(tmp_path, courses):
    with pytest.raises(CommandError, match="not valid JSON"):
        run("import_quiz", write(tmp_path, "x.json", "{"), "--course", "first")
    bad = {"format": "coursesite-quiz", "version": 1, "quizzes": [{"slug": "q"}]}
    with pytest.raises(CommandError, match="'title' is required"):
        run(
            "import_quiz",
            write(tmp_path, "y.json", json.dumps(bad)),
            "--course",
            "first",
        )
    assert not Quiz.objects.exists()


# ------------------------------------------------------------------ drafts


@pytest.fixture
def drafting_course(db):
    course = make_course(modules=0, slug="blocs", title="Trade blocs")
    module = ModuleFactory(course=course, position=0)
    texts = {
        "unasur": (
            "The Union of South American Nations (UNASUR) was founded by the "
            "Brasília Treaty in 2008 to unite the two existing trade blocs.\n\n"
            "Ecuador hosted the headquarters of the union in a large building "
            "near Quito."
        ),
        "andean": (
            "The Andean Community (CAN) was founded by the Cartagena Agreement in "
            "1969 to promote trade among its members.\n\nChile withdrew from the "
            "Andean Community in 1976 after a dispute over foreign investment."
        ),
        "mercosur": (
            "The founding members were Argentina, Brazil, Paraguay and Uruguay.\n\n"
            "Venezuela joined the bloc in 2012, but its membership was suspended "
            "in 2016."
        ),
    }
    for position, (slug, text) in enumerate(texts.items()):
        LessonFactory(
            course=course,
            module=module,
            slug=slug,
            body_markdown=text,
            position=position,
        )
    return course


def test_draft_questions_stores_unpublished_drafts_once(drafting_course):
    output = run("draft_questions", "--lesson", "unasur", "--count", "3")
    created = Question.objects.filter(course=drafting_course)
    assert created.exists()
    assert not created.filter(is_published=True).exists()
    assert f"{created.count()} draft question(s) created for 'unasur'" in output
    again = run("draft_questions", "--lesson", "unasur", "--count", "3")
    assert "0 draft question(s) created" in again
    assert Question.objects.filter(course=drafting_course).count() == created.count()


def test_draft_questions_dry_run_stores_nothing(drafting_course):
    output = run("draft_questions", "--lesson", "unasur", "--dry-run")
    assert output.startswith("[dry run] draft-unasur-")
    assert not Question.objects.exists()


def test_draft_questions_needs_the_course_when_the_lesson_slug_is_shared(
    drafting_course,
):
    other = make_course(modules=0, slug="other")
    LessonFactory(course=other, module=ModuleFactory(course=other), slug="unasur")
    with pytest.raises(CommandError, match="name one with --course"):
        run("draft_questions", "--lesson", "unasur")
    run("draft_questions", "--lesson", "unasur", "--course", "blocs")
    assert Question.objects.filter(course=drafting_course).exists()
    assert not Question.objects.filter(course=other).exists()


def test_draft_questions_reports_an_unknown_lesson(drafting_course):
    with pytest.raises(CommandError, match="no lesson 'nope' in course 'blocs'"):
        run("draft_questions", "--lesson", "nope", "--course", "blocs")
    with pytest.raises(CommandError, match="--count must be at least 1"):
        run("draft_questions", "--lesson", "unasur", "--count", "0")


def test_warnings_are_printed_with_their_line(tmp_path, courses):
    """What Moodle accepts is imported; what is probably a mistake is named."""
    source = write(tmp_path, "warn.gift", "::Tf::Is it?\n{True}\n\n::Ok::Fine {T}\n")
    err = io.StringIO()
    call_command(
        "import_gift", source, "--course", "first", stdout=io.StringIO(), stderr=err
    )
    assert f"{source}:2: warning: 'True' is read as a short answer" in err.getvalue()
    assert Question.objects.filter(course__slug="first").count() == 2
