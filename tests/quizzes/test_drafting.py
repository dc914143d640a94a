"""Tests for quizzes.drafting (questions drafted from lesson text, pure) and for
storing the drafts (quizzes.banks.questions_draft_for_lesson): drafts are never
published and never reach students."""

import copy
import json
import re

import pytest

from lessons.importing import parse_document
from quizzes import drafting
from quizzes.banks import questions_draft_for_lesson
from quizzes.drafting import BLANK, LessonText, draft_questions, plain_sentences
from quizzes.grading import validate_question
from quizzes.models import Attempt, Question, Quiz, QuizQuestion
from quizzes.services import attempt_start
from tests.factories import LessonFactory, ModuleFactory, UserFactory, make_course
from tests.helpers import SEED, SEED_HINTS

# A small course of four lessons about trade blocs: each has names, acronyms and
# countries that the other lessons also mention.
COURSE = [
    LessonText(
        "mercosur",
        "Mercosur",
        """
Mercosur was created by the Treaty of Asunción in 1991 to build a common market
in the south of the continent.

The founding members were Argentina, Brazil, Paraguay and Uruguay.

Venezuela joined the bloc in 2012, but its membership was suspended in 2016 over
democratic concerns.

The Common Market Council is the highest decision-making body of Mercosur and
meets every six months.

Bolivia signed its accession protocol in 2015 after long negotiations with the bloc.
""",
    ),
    LessonText(
        "andean-community",
        "The Andean Community",
        """
The Andean Community (CAN) was founded by the Cartagena Agreement in 1969 to
promote trade among its members.

Chile withdrew from the Andean Community in 1976 after a dispute over foreign
investment rules.

The Andean Court of Justice settles trade disputes between member states in Quito.

Today the CAN removes most tariffs on goods traded between its four member countries.
""",
    ),
    LessonText(
        "pacific-alliance",
        "The Pacific Alliance",
        """
The Pacific Alliance was launched by the Lima Declaration in 2011 to deepen trade
with Asia.

Mexico brought the largest economy into the alliance and opened its ports to Asian
shipping lines.

Colombia hosts the secretariat rotation this year and chairs the council of ministers.

The alliance abolished visas for tourists travelling between its member states in 2012.

Its members trade mainly through the ports of the Pacific coast, which face the
markets of Asia.
""",
    ),
    LessonText(
        "unasur",
        "Union of South American Nations",
        """
The Union of South American Nations (UNASUR) was founded by the Brasília Treaty in
2008 to unite the two existing trade blocs.

The South American Defense Council (CSD) coordinated defence policy among the member
states until 2018.

Ecuador hosted the headquarters of the union in a large building near Quito.

Several members suspended their participation in 2018, and the union largely
stopped working.
""",
    ),
]
BY_SLUG = {lesson.slug: lesson for lesson in COURSE}


_DRAFTS: dict[tuple, list[dict]] = {}


def drafts_for(slug: str, *, count: int = 6, seed: int = 0) -> list[dict]:
    """The drafts of a lesson of COURSE (computed once per arguments)."""
    key = (slug, count, seed)
    if key not in _DRAFTS:
        _DRAFTS[key] = draft_questions(BY_SLUG[slug], COURSE, count=count, seed=seed)
    return copy.deepcopy(_DRAFTS[key])


def all_drafts(*, seed: int = 0) -> list[dict]:
    return [d for lesson in COURSE for d in drafts_for(lesson.slug, seed=seed)]


def statement(draft: dict) -> str:
    """The sentence a draft asks about (after its instruction line)."""
    return draft["text"].split("\n\n", 1)[1]


def lessons_mentioning(text: str) -> set[str]:
    return {
        lesson.slug
        for lesson in COURSE
        if re.search(
            rf"(?<!\w){re.escape(text)}(?!\w)", " ".join(lesson.markdown.split())
        )
    }


# ------------------------------------------------------------- text handling


def test_sentences_come_from_paragraphs_and_items_without_markdown():
    text = (
        "# Heading\n\nThe *Andean* Community [CAN](https://x.org) met. It agreed.\n\n"
        "- An item in a list.\n\n```\ncode. Not text.\n```\n\nThe U.S. military left."
    )
    assert plain_sentences(text) == [
        "The Andean Community CAN met.",
        "It agreed.",
        "An item in a list.",
        "The U.S. military left.",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Andean Community (CAN) was founded in 1969.",
            ("acronym", "Andean Community (CAN)"),
        ),
        ("Peru joined the bloc in 1969.", ("country", "Peru")),
        ("The Peruvian Armed Forces joined it.", ("name", "Peruvian Armed Forces")),
        ("The Chinese government sent aid.", ("demonym", "Chinese")),
        ("The U.S. military presence grew.", ("country", "U.S.")),
        ("Aid reached South America quickly.", ("region", "South America")),
    ],
)
def test_terms_are_recognised_by_kind(sentence, expected):
    occurrences, terms = drafting.find_terms([sentence])
    found = {(terms[o.key].kind, o.surface) for o in occurrences[0]}
    assert expected in found


def test_a_name_defined_with_its_acronym_is_one_term_with_both_spellings():
    occurrences, terms = drafting.find_terms(
        [
            "The Union of South American Nations (UNASUR) was founded in 2008.",
            "UNASUR later stopped working.",
        ]
    )
    keys = {
        o.key for found in occurrences for o in found if terms[o.key].kind != "phrase"
    }
    assert keys == {"acronym:UNASUR"}
    assert {"UNASUR", "Union of South American Nations"} <= set(
        terms["acronym:UNASUR"].answers
    )


def test_lower_case_noun_phrases_stop_at_verbs_and_stop_words():
    occurrences, terms = drafting.find_terms(
        ["This collaboration fosters interoperability among military units."]
    )
    phrases = {o.surface for o in occurrences[0] if terms[o.key].kind == "phrase"}
    assert "interoperability" in phrases
    assert not any("fosters" in phrase for phrase in phrases)


# ------------------------------------------------------------------- drafts


def test_every_kind_of_draft_is_produced():
    kinds = {draft["type"] for draft in all_drafts()}
    assert kinds == {"shortanswer", "truefalse", "single"}
    answers = {d["correct"] for d in all_drafts() if d["type"] == "truefalse"}
    assert answers == {True, False}


def test_drafting_is_deterministic_for_a_seed():
    assert all_drafts(seed=3) == all_drafts(seed=3)
    assert all_drafts() == all_drafts(seed=0)


def test_a_smaller_count_gives_the_first_drafts_of_a_larger_one():
    many = drafts_for("mercosur", count=6)
    assert drafts_for("mercosur", count=2) == many[:2]


def test_every_draft_is_a_valid_question_with_feedback_and_a_stable_key():
    for lesson in COURSE:
        for draft in draft_questions(lesson, COURSE):
            assert validate_question(draft) == [], draft
            assert draft["key"].startswith(f"draft-{lesson.slug}-")
            assert len(draft["key"]) <= 100
            assert re.fullmatch(r"[-a-z0-9]+", draft["key"])
            assert draft["general_feedback"].startswith(
                f"See the section “{lesson.title}”: "
            )
            assert draft["tags"][0] == "draft"
            assert draft["lesson"] == lesson.slug
            assert lesson.title in draft["text"]


def test_keys_do_not_depend_on_the_seed_for_cloze_and_true_statements():
    stable = {
        d["key"]
        for d in all_drafts(seed=1)
        if d["type"] == "shortanswer" or d.get("correct") is True
    }
    assert stable <= {d["key"] for d in all_drafts(seed=1)}
    other = {d["key"]: d for d in all_drafts(seed=2)}
    for draft in all_drafts(seed=1):
        if draft["key"] in other:
            assert other[draft["key"]]["type"] == draft["type"]


def test_a_cloze_blanks_one_term_and_accepts_its_spellings():
    clozes = [d for d in all_drafts() if d["type"] == "shortanswer"]
    assert clozes
    for draft in clozes:
        sentence = statement(draft)
        assert sentence.count(BLANK) == 1
        original = draft["general_feedback"].split(": ", 1)[1]
        first = draft["answers"][0]["text"]
        assert sentence.replace(BLANK, first) == original
        assert all(answer["fraction"] == 1.0 for answer in draft["answers"])
        assert draft["case_sensitive"] is False


def test_a_cloze_on_an_accented_name_also_accepts_it_without_accents():
    cloze = next(
        d
        for d in drafts_for("mercosur")
        if d["type"] == "shortanswer" and "Treaty of Asunción" in d["general_feedback"]
    )
    assert [a["text"] for a in cloze["answers"]][:2] == [
        "Treaty of Asunción",
        "Treaty of Asuncion",
    ]


def test_a_cloze_on_an_acronym_accepts_its_expansion():
    occurrences, terms = drafting.find_terms(
        [s for lesson in COURSE for s in plain_sentences(lesson.markdown)]
    )
    assert "South American Defense Council" in terms["acronym:CSD"].answers


def test_a_true_statement_is_the_sentence_as_written():
    for draft in all_drafts():
        if draft["type"] == "truefalse" and draft["correct"]:
            assert statement(draft) == draft["general_feedback"].split(": ", 1)[1]


def test_a_false_statement_swaps_one_term_for_one_of_the_same_kind_from_elsewhere():
    falses = [d for d in all_drafts() if d["type"] == "truefalse" and not d["correct"]]
    assert falses
    for draft in falses:
        original = draft["general_feedback"].split(": ", 1)[1]
        swapped = statement(draft)
        assert swapped != original
        said, shown = re.search(
            r"says (.+), not (.+)\.$", draft["feedback_false"]
        ).groups()
        assert swapped.replace(shown, said, 1) == original
        assert lessons_mentioning(shown) - {draft["lesson"]}, shown
        occurrences, terms = drafting.find_terms([original, swapped])
        old = next(terms[o.key] for o in occurrences[0] if o.surface == said)
        new = next(terms[o.key] for o in occurrences[1] if o.surface == shown)
        assert old.kind == new.kind
        assert new.kind in {"acronym", "country", "demonym", "name"}


def test_multiple_choice_distractors_come_from_other_lessons_and_are_the_same_kind():
    singles = [d for d in all_drafts() if d["type"] == "single"]
    assert singles
    for draft in singles:
        assert len(draft["options"]) == 4
        right = [o for o in draft["options"] if o["fraction"] == 1.0]
        assert len(right) == 1
        sentences = [
            statement(draft).replace(BLANK, o["text"]) for o in draft["options"]
        ]
        occurrences, terms = drafting.find_terms(sentences)
        kinds = set()
        for option, found in zip(draft["options"], occurrences, strict=True):
            term = next(terms[o.key] for o in found if o.surface == option["text"])
            kinds.add(term.kind)
            if option["fraction"] == 0:
                assert lessons_mentioning(option["text"]) - {draft["lesson"]}
        assert len(kinds) == 1, (draft["options"], kinds)


def test_country_distractors_are_countries_of_the_same_region_first():
    singles = [
        d
        for d in all_drafts()
        if d["type"] == "single"
        and any(o["text"] in drafting.COUNTRIES for o in d["options"])
    ]
    assert singles
    americas = {"Argentina", "Bolivia", "Brazil", "Chile", "Colombia", "Ecuador"}
    americas |= {"Mexico", "Paraguay", "Peru", "Uruguay", "Venezuela"}
    for draft in singles:
        assert {o["text"] for o in draft["options"]} <= americas


@pytest.mark.parametrize(
    "sentence",
    [
        "Did Chile leave the Andean Community in 1976 after a long dispute?",
        "Chile left in 1976.",  # too short
        "This meant that Chile left the Andean Community in 1976 after a dispute.",
        "Founding members such as Chile left the bloc in 1976 after a long dispute.",
    ],
)
def test_sentences_that_make_poor_questions_are_not_used(sentence):
    lesson = LessonText("x", "X", sentence)
    other = LessonText(
        "y", "Y", "Peru joined the Andean Community in 1969 with Bolivia and Chile."
    )
    assert draft_questions(lesson, [lesson, other]) == []


def test_a_term_in_the_lesson_title_is_never_blanked_or_swapped():
    for draft in drafts_for("mercosur"):
        if draft["type"] == "shortanswer":
            assert "Mercosur" not in [a["text"] for a in draft["answers"]]
        if draft["type"] == "single":
            right = next(o for o in draft["options"] if o["fraction"] == 1)
            assert right["text"] != "Mercosur"


def test_a_lesson_with_nothing_to_ask_gives_no_drafts():
    lesson = LessonText("empty", "Empty", "")
    assert draft_questions(lesson, [lesson, *COURSE]) == []


def test_the_seed_course_drafts_every_kind_and_valid_questions():
    text = SEED.read_text(encoding="utf-8")
    parsed = parse_document(
        text, filename=SEED.name, hints=json.loads(SEED_HINTS.read_text())
    )
    lessons = [
        LessonText(lesson.slug, lesson.title, lesson.body_markdown)
        for module in parsed.modules
        for lesson in module.lessons
    ]
    drafts = [d for lesson in lessons for d in draft_questions(lesson, lessons)]
    assert {d["type"] for d in drafts} == {"shortanswer", "truefalse", "single"}
    assert len({d["key"] for d in drafts}) == len(drafts)
    assert all(validate_question(d) == [] for d in drafts)


# ------------------------------------------------------------ storing drafts


@pytest.fixture
def trade_course(db):
    course = make_course(modules=0, slug="trade", title="Trade blocs")
    module = ModuleFactory(course=course, position=0)
    for position, lesson in enumerate(COURSE):
        LessonFactory(
            course=course,
            module=module,
            slug=lesson.slug,
            title=lesson.title,
            body_markdown=lesson.markdown,
            position=position,
        )
    return course


def test_stored_drafts_are_unpublished_and_linked_to_their_lesson(trade_course):
    lesson = trade_course.lessons.get(slug="unasur")
    created = questions_draft_for_lesson(lesson=lesson, count=6)
    assert created
    stored = Question.objects.filter(course=trade_course)
    assert stored.count() == len(created)
    assert not stored.filter(is_published=True).exists()
    assert set(stored.values_list("lesson_id", flat=True)) == {lesson.pk}
    assert set(stored.values_list("category", flat=True)) == {"drafts/unasur"}
    for question in stored:
        assert question.tags[:2] == ["category:drafts/unasur", "draft"]


def test_drafting_again_creates_nothing_new(trade_course):
    lesson = trade_course.lessons.get(slug="mercosur")
    first = questions_draft_for_lesson(lesson=lesson, count=4)
    assert questions_draft_for_lesson(lesson=lesson, count=4) == []
    assert Question.objects.filter(course=trade_course).count() == len(first)


def test_a_dry_run_stores_nothing(trade_course):
    lesson = trade_course.lessons.get(slug="mercosur")
    assert questions_draft_for_lesson(lesson=lesson, dry_run=True)
    assert not Question.objects.exists()


def test_a_draft_never_appears_in_an_attempt(trade_course):
    """Drafts in a quiz's list or in the bank it draws from are never asked."""
    student = UserFactory(username="student")
    lessons = {lesson.slug: lesson for lesson in trade_course.lessons.all()}
    drafts = []
    for lesson in lessons.values():
        drafts += questions_draft_for_lesson(lesson=lesson, count=6)
    published = Question.objects.create(
        course=trade_course, key="published", type="truefalse", text="Published."
    )
    listed = Quiz.objects.create(course=trade_course, slug="listed", title="Listed")
    QuizQuestion.objects.create(quiz=listed, question=published, position=0)
    for position, draft in enumerate(drafts, 1):
        QuizQuestion.objects.create(quiz=listed, question=draft, position=position)
    bank = Quiz.objects.create(
        course=trade_course, slug="bank", title="Bank", draw_from_bank=True
    )
    for quiz in (listed, bank):
        attempt = attempt_start(quiz=quiz, user=student)
        asked = set(attempt.responses.values_list("question_id", flat=True))
        assert asked == {published.pk}
    assert Attempt.objects.count() == 2


def test_a_quiz_of_drafts_only_cannot_be_started(trade_course):
    from quizzes.services import AttemptError

    lesson = trade_course.lessons.get(slug="unasur")
    quiz = Quiz.objects.create(course=trade_course, slug="drafts", title="Drafts")
    for position, draft in enumerate(questions_draft_for_lesson(lesson=lesson)):
        QuizQuestion.objects.create(quiz=quiz, question=draft, position=position)
    with pytest.raises(AttemptError):
        attempt_start(quiz=quiz, user=UserFactory(username="student"))
