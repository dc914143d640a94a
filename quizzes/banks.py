"""Question-bank services for authors: GIFT import and export, a quiz as JSON,
and draft questions from a lesson's text. Each write is one atomic function.

GIFT (``quizzes.gift`` parses and writes; this module stores)
-------------------------------------------------------------
``gift_import`` is all or nothing: a file with any problem raises ``GiftError``
listing every problem with its line number and what was expected, and nothing
is written. Problems are those of the parser plus the ones only the bank can
see: a title longer than the 200 characters a question title holds, a category
path longer than 255 characters, two questions of the file that would be the
same bank question (see "Re-importing"), and any problem
``grading.validate_question`` finds.

Categories. ``$CATEGORY: a/b`` puts the questions after it in the category
path ``a/b``: ``Question.category`` is ``"a/b"`` and ``Question.tags`` holds
``"category:a/b"`` followed by the question's ``// [tag:...]`` tags. The
category field is what the admin filters on; the tag is how the question format
(``docs/question-format.md``) carries it. Moodle's context prefixes are dropped
(``$course$/``, ``$system$/``, ``$module$/``, ``$coursecategory$/``,
``$cat1$/``...) and so is its root ``top``: ``$CATEGORY: $course$/top/Week 1``
is the category ``Week 1``, and ``$course$/top`` alone is no category. Export
writes the category back, and writes ``$course$/top`` for an uncategorised
question that follows a categorised one (GIFT cannot otherwise leave a
category), which reads back as no category.

Keys. A new question's key is the slug of its title, or of its text when it has
no title (at most 60 characters), with ``-2``, ``-3``... added when the course
already has that key.

Re-importing. A question's identity is its category and its title, or, for a
question without a title, its category and its text. The n-th question of the
file with an identity is the n-th oldest bank question (creation order) with
that identity; an occurrence the bank does not have yet is created. Matching by
key cannot work (GIFT carries no key), and matching by text alone would make a
fixed typo in a titled question a new question. So importing the same file
twice creates nothing, whether its questions have titles or not, and two
questions of a file with the same text and no title (Moodle imports both) are
two questions; importing an edited file updates the edited questions in place
(their version goes up, as for any import) and leaves the others unchanged.
Editing the text of an untitled question makes it a new identity: the edited
question is created and the old one stays in the bank. What GIFT cannot say is
kept from the bank question: its lesson, mark, case sensitivity, essay options
(maximum length, response template, information for graders, Moodle's
response options),
published state, and a description's general feedback.

Warnings. What Moodle imports but is probably a mistake (``{True}`` read as a
short answer, a brace inside the answers, an unknown ``[format]``...) is
imported the way Moodle reads it, and each case is a ``GiftProblem`` in
``GiftImportReport.warnings`` naming its line.

Formats. Our question text is Markdown. A GIFT text is stored as written for
``[markdown]``, ``[html]`` (HTML inside Markdown is rendered, and sanitised, as
HTML; nothing of it is dropped) and ``[moodle]`` (Moodle's auto-format is close
enough to Markdown). A ``[plain]`` question text and general feedback are
escaped (``plain_to_markdown``) so that they show as written. Answer texts and
answer feedback are shown as plain text anyway and are stored as written.
Export writes ``[markdown]``.

Ordering questions cannot come from GIFT, and are left out of a GIFT export
(reported as skipped), as is anything else ``write_gift`` cannot hold. What an
exported essay loses (grader information, response template, word limits and
the other Moodle response options: ``gift.losses``) is reported as ``lost``.

With ``quiz_slug`` the imported questions are also added (at the end, once) to
that quiz of the course; a missing quiz is created as an unpublished draft
titled after its slug.

JSON
----
``quiz_export_json`` / ``quiz_import_json``: one quiz with its settings and
questions, in the schema of ``docs/quiz-json.md``, which is the question-bank
format of ``services.question_bank_import`` (so ``import_questions`` reads it
too). Questions are matched by key, quizzes by slug.

Drafts
------
``questions_draft_for_lesson`` stores the drafts of ``quizzes.drafting`` as
unpublished questions linked to the lesson, in the category
``drafts/<lesson slug>``. Drafts never reach students: attempts only ask
published questions (``services.question_pool``). Keys are derived from the
drafted content, so running it again creates nothing new; a draft an
instructor deleted comes back if asked for again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from lessons.access import user_teaches_course
from lessons.models import Course, Lesson
from lessons.problems import ProblemList
from quizzes import bank_checks, drafting, gift, grading, moodle_options, moodle_xml
from quizzes.exporting import quiz_export
from quizzes.models import Answer, Question, QuestionType, Quiz, QuizQuestion
from quizzes.services import (
    BankError,
    BankReport,
    _question_upsert,
    question_bank_import,
)
from quizzes.snapshots import answers_from_dict, options_of, question_to_dict

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "GiftExport",
    "GiftImportReport",
    "MoodleXmlImportReport",
    "gift_export",
    "gift_import",
    "moodle_xml_export",
    "moodle_xml_import",
    "questions_draft_for_lesson",
    "quiz_export_json",
    "quiz_import_json",
]

KEY_BASE_LENGTH = 60
TITLE_MAX = Question._meta.get_field("title").max_length
CATEGORY_MAX = Question._meta.get_field("category").max_length
JSON_FORMAT = "coursesite-quiz"
JSON_VERSION = 1
MOODLE_TOP = "$course$/top"
_CONTEXT_PREFIX = re.compile(r"^\$[a-z0-9]+\$(?:/|$)")


def _check_author(user, course: Course) -> None:
    """Only a course's instructors (and superusers) write into its bank."""
    if user is not None and not user_teaches_course(user, course):
        raise PermissionDenied("You do not teach this course.")


# ---------------------------------------------------------------- GIFT import


def normalise_category(path: str | None) -> str:
    """A GIFT category path without Moodle's context prefix and ``top`` root."""
    path = (path or "").strip()
    path = _CONTEXT_PREFIX.sub("", path)
    parts = [part.strip() for part in path.split("/")]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(part for part in parts if part)


@dataclass
class GiftImportReport:
    """What a GIFT import did (or, for a dry run, would do)."""

    created: list[Question] = field(default_factory=list)
    updated: list[Question] = field(default_factory=list)
    unchanged: list[Question] = field(default_factory=list)
    quiz: Quiz | None = None
    quiz_created: bool = False
    added_to_quiz: int = 0
    dry_run: bool = False
    # What Moodle accepts but is probably a mistake; imported anyway.
    warnings: list[gift.GiftProblem] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [*self.created, *self.updated, *self.unchanged]

    def summary(self) -> str:
        text = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.quiz is not None:
            verb = "created as a draft" if self.quiz_created else "updated"
            text += (
                f"; quiz {self.quiz.slug!r} {verb}, "
                f"{self.added_to_quiz} question(s) added"
            )
        if self.warnings:
            text += f"; {len(self.warnings)} warning(s)"
        return ("[dry run] " if self.dry_run else "") + text


def _identity(category: str, question: Mapping) -> tuple[str, str, str]:
    title = (question.get("title") or "").strip()
    if title:
        return (category, "title", title)
    return (category, "text", (question.get("text") or "").strip())


# Python-Markdown's backslash escapes; '<' and '&' become entities instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|~])")


def plain_to_markdown(text: str) -> str:
    """Markdown that renders ``text`` as written: a GIFT ``[plain]`` text.

    Every Markdown character is escaped, ``<`` and ``&`` are entities (so no tag
    is made) and each line break is a hard break, as Moodle shows plain text.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "  \n".join(line.strip() for line in text.split("\n"))


def _as_stored(question: Mapping) -> dict:
    """The question as the bank stores it: its texts in Markdown."""
    data = dict(question)
    if data.get("format") == "plain":
        for name in ("text", "general_feedback"):
            if data.get(name):
                data[name] = plain_to_markdown(data[name])
    return data


def _bank_problems(parsed: list[gift.GiftQuestion]) -> ProblemList:
    """What the bank cannot store, for questions the parser accepted."""
    problems = ProblemList()
    for item in parsed:
        question = _as_stored(item.question)
        category = normalise_category(item.category)
        if len(question.get("title", "")) > TITLE_MAX:
            problems.append(
                gift.GiftProblem(
                    item.line,
                    f"title longer than {TITLE_MAX} characters (expected a "
                    "shorter '::title::')",
                )
            )
        if len(category) > CATEGORY_MAX:
            problems.append(
                gift.GiftProblem(
                    item.line,
                    f"category path longer than {CATEGORY_MAX} characters "
                    "(expected a shorter '$CATEGORY:')",
                )
            )
        for message in grading.validate_question(question):
            problems.append(gift.GiftProblem(item.line, message))
        for message in bank_checks.question_markdown_problems(question):
            problems.append(gift.GiftProblem(item.line, message))
    return problems


def _key_base(question: Mapping) -> str:
    source = question.get("title") or question.get("text") or ""
    base = slugify(source.replace("_", " "))[:KEY_BASE_LENGTH].strip("-")
    return base or "question"


def _new_key(question: Mapping, taken: set[str]) -> str:
    base = _key_base(question)
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    taken.add(key)
    return key


def _gift_tags(category: str, tags: Iterable[str]) -> list[str]:
    """The category tag first (if any), then the question's other tags."""
    others = [tag for tag in tags if not tag.startswith(gift.CATEGORY_TAG)]
    head = [gift.CATEGORY_TAG + category] if category else []
    return head + others


def _merge_existing(data: dict, existing: Question | None) -> dict:
    """Keep what GIFT cannot say from the bank question being updated."""
    if existing is None:
        data.setdefault("is_published", True)
        return data
    data["default_mark"] = existing.default_mark
    data["case_sensitive"] = existing.case_sensitive
    data["max_length"] = existing.max_length
    data["response_template"] = existing.response_template
    data["grader_info"] = existing.grader_info
    data["is_published"] = existing.is_published
    options = options_of(existing)
    options.pop("idnumber")  # GIFT says it (// [id:...])
    data.update(options)
    if data["type"] == QuestionType.DESCRIPTION:
        data["general_feedback"] = existing.general_feedback
    return data


def _quiz_for_import(course: Course, slug: str) -> tuple[Quiz, bool]:
    if slugify(slug) != slug:
        raise ValueError(f"{slug!r} is not a valid quiz slug (expected e.g. 'week-1')")
    quiz = Quiz.objects.filter(course=course, slug=slug).first()
    if quiz is not None:
        return quiz, False
    title = slug.replace("-", " ").strip().capitalize() or slug
    quiz = Quiz(course=course, slug=slug, title=title, is_published=False)
    quiz.full_clean()
    quiz.save()
    return quiz, True


def gift_import(
    *,
    course: Course,
    text: str,
    quiz_slug: str | None = None,
    user=None,
    dry_run: bool = False,
) -> GiftImportReport:
    """Import a GIFT file into the course's bank (and into a quiz); all or nothing.

    Raises ``GiftError`` (every problem with its line) and writes nothing when
    the file has any problem, ``ValueError`` for a bad quiz slug, and
    ``PermissionDenied`` when ``user`` (if given) does not teach the course.
    """
    _check_author(user, course)
    return parsed_bank_import(
        course=course,
        parsed=gift.parse_gift(text),
        quiz_slug=quiz_slug,
        user=user,
        dry_run=dry_run,
    )


def _store_begin(course: Course, quiz_slug: str | None, report) -> list[Question]:
    """The first step of every bank store: the quiz to add to (created as a draft
    when missing, noted on ``report``) and the course's bank as it stands."""
    if quiz_slug:
        report.quiz, report.quiz_created = _quiz_for_import(course, quiz_slug)
    return list(
        Question.objects.filter(course=course)
        .select_related("lesson")
        .prefetch_related("answers")
        .order_by("key")
    )


def _gift_store(
    course: Course,
    parsed: list[gift.GiftQuestion],
    quiz_slug: str | None,
    *,
    user=None,
) -> GiftImportReport:
    report = GiftImportReport()
    bank = _store_begin(course, quiz_slug, report)
    # The n-th question of the file with an identity is the n-th oldest bank
    # question with it (see "Re-importing").
    by_identity: dict[tuple, list[Question]] = {}
    for question in sorted(bank, key=lambda question: question.pk):
        identity = _identity(
            question.category, {"title": question.title, "text": question.text}
        )
        by_identity.setdefault(identity, []).append(question)
    occurrences: dict[tuple, int] = {}
    taken = {question.key for question in bank}
    counts = BankReport()
    stored: list[Question] = []
    for item in parsed:
        category = normalise_category(item.category)
        data = _as_stored(item.question)
        identity = _identity(category, data)
        index = occurrences.get(identity, 0)
        occurrences[identity] = index + 1
        matches = by_identity.get(identity, [])
        existing = matches[index] if index < len(matches) else None
        data["category"] = category
        data["tags"] = _gift_tags(category, data.get("tags") or [])
        data["key"] = existing.key if existing else _new_key(data, taken)
        data = _merge_existing(data, existing)
        _store_one(course, data, existing, report, stored, counts, user=user)
    return _store_end(report, stored)


def _append_to_quiz(quiz: Quiz, questions: list[Question]) -> int:
    slots = list(quiz.slots.all())
    present = {slot.question_id for slot in slots}
    position = max((slot.position for slot in slots), default=-1) + 1
    new = []
    for question in questions:
        if question.pk in present:
            continue
        present.add(question.pk)
        new.append(QuizQuestion(quiz=quiz, question=question, position=position))
        position += 1
    QuizQuestion.objects.bulk_create(new)
    return len(new)


# ---------------------------------------------------------------- GIFT export


@dataclass(frozen=True)
class GiftExport:
    text: str
    skipped: list[tuple[Question, str]]  # (question, why GIFT cannot hold it)
    # (question, what of it the file leaves out: ``gift.losses``, in a sentence)
    lost: list[tuple[Question, str]] = field(default_factory=list)


def gift_loss_text(losses: list[str]) -> str:
    """``gift.losses`` as the sentence an export reports (English, as the
    reasons of ``skipped``)."""
    what = (
        losses[0] if len(losses) == 1 else ", ".join(losses[:-1]) + " and " + losses[-1]
    )
    return (
        f"GIFT has no place for {what}, left out of the file (importing it back "
        "into this bank keeps what the bank has)"
    )


def _gift_data(question: Question) -> dict:
    data = question_to_dict(question, answers=question.answers.all())
    data["tags"] = _gift_tags(question.category, question.tags or [])
    return data


def gift_export(questions: Iterable[Question]) -> GiftExport:
    """GIFT text for questions (their ``answers`` prefetched), in the given order."""
    written: list[dict] = []
    skipped: list[tuple[Question, str]] = []
    lost: list[tuple[Question, str]] = []
    categorised = False
    for question in questions:
        data = _gift_data(question)
        if question.category:
            categorised = True
        elif categorised:
            data["tags"] = [gift.CATEGORY_TAG + MOODLE_TOP, *data["tags"]]
        try:
            gift.write_gift([data])
        except ValueError as error:
            skipped.append((question, str(error)))
            continue
        written.append(data)
        if losses := gift.losses(data):
            lost.append((question, gift_loss_text(losses)))
    return GiftExport(text=gift.write_gift(written), skipped=skipped, lost=lost)


def quiz_questions(quiz: Quiz) -> list[Question]:
    """A quiz's questions in slot order, with their answers."""
    slots = (
        QuizQuestion.objects.filter(quiz=quiz)
        .select_related("question", "question__lesson")
        .prefetch_related("question__answers")
        .order_by("position", "id")
    )
    return [slot.question for slot in slots]


# ---------------------------------------------------------------------- JSON


def _relabel(question: dict) -> dict:
    """Option and pair ids as "a", "b", ... (database ids mean nothing elsewhere)."""
    for name in ("options", "pairs", "items"):
        for index, entry in enumerate(question.get(name) or ()):
            entry["id"] = _label(index)
    return question


def _label(index: int) -> str:
    label = ""
    while True:
        label = chr(ord("a") + index % 26) + label
        index = index // 26 - 1
        if index < 0:
            return label


def quiz_export_json(quiz: Quiz) -> dict:
    """The quiz, its settings and its questions (schema: ``docs/quiz-json.md``)."""
    questions = {question.pk: question for question in quiz_questions(quiz)}
    quiz = (
        Quiz.objects.select_related("course", "lesson", "module")
        .prefetch_related("slots")
        .get(pk=quiz.pk)
    )
    entry = quiz_export(quiz, questions)
    entry["questions"] = [_relabel(question) for question in entry["questions"]]
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "course": quiz.course.slug,
        "quizzes": [entry],
    }


def _json_problems(data) -> ProblemList:
    if not isinstance(data, Mapping):
        return ProblemList(["expected a JSON object"])
    problems = ProblemList()
    if data.get("format") != JSON_FORMAT:
        problems.append(f"'format' must be {JSON_FORMAT!r}")
    if data.get("version") != JSON_VERSION:
        problems.append(f"'version' must be {JSON_VERSION}")
    quizzes = data.get("quizzes")
    if not isinstance(quizzes, list) or not quizzes:
        problems.append("'quizzes' must be a non-empty list")
        return problems
    for index, quiz in enumerate(quizzes):
        if not isinstance(quiz, Mapping):
            problems.append(f"quizzes[{index}] must be an object")
            continue
        slug = quiz.get("slug")
        if not isinstance(slug, str) or slugify(slug) != slug or not slug:
            problems.append(f"quizzes[{index}]: 'slug' must be a slug such as 'week-1'")
        if not isinstance(quiz.get("title"), str) or not quiz.get("title"):
            problems.append(f"quizzes[{index}]: 'title' is required")
        questions = quiz.get("questions", [])
        if not isinstance(questions, list) or not all(
            isinstance(q, Mapping) for q in questions
        ):
            problems.append(f"quizzes[{index}]: 'questions' must be a list of objects")
    return problems


def quiz_import_json(*, course: Course, data, user=None) -> BankReport:
    """Create or update quizzes and their questions from ``quiz_export_json`` data.

    All or nothing: raises ``BankError`` listing every problem.
    """
    _check_author(user, course)
    problems = _json_problems(data)
    if problems:
        raise BankError("\n".join(problems.lines()))
    return question_bank_import(course=course, data=data, user=user)


# ---------------------------------------------------------------------- drafts


def _lesson_text(lesson: Lesson) -> drafting.LessonText:
    return drafting.LessonText(
        slug=lesson.slug, title=lesson.title, markdown=lesson.body_markdown
    )


@transaction.atomic
def questions_draft_for_lesson(
    *, lesson: Lesson, count: int = 6, seed: int = 0, user=None, dry_run: bool = False
) -> list[Question]:
    """Store up to ``count`` unpublished draft questions drafted from the lesson.

    Drafts whose key the course already has are skipped, so calling this again
    creates nothing. Returns the questions created (unsaved ones on a dry run).
    """
    course = lesson.course
    _check_author(user, course)
    lessons = Lesson.objects.filter(course=course).only(
        "slug", "title", "body_markdown"
    )
    drafts = drafting.draft_questions(
        _lesson_text(lesson),
        [_lesson_text(other) for other in lessons],
        count=count,
        seed=seed,
    )
    keys = [draft["key"] for draft in drafts]
    known = set(
        Question.objects.filter(course=course, key__in=keys).values_list(
            "key", flat=True
        )
    )
    category = f"drafts/{lesson.slug}"[:CATEGORY_MAX]
    created: list[Question] = []
    counts = BankReport()
    for draft in drafts:
        if draft["key"] in known or grading.validate_question(draft):
            continue
        data = {
            **draft,
            "is_published": False,
            "category": category,
            "tags": _gift_tags(category, draft.get("tags") or []),
        }
        created.append(_question_upsert(course, lesson, data, None, counts))
    if dry_run:
        transaction.set_rollback(True)
    return created


# ------------------------------------------------ any format (bank_formats.py)
# Added for ``import_bank`` / ``export_bank`` and the admin upload, which reach
# these through ``quizzes.bank_formats``.


def parsed_bank_import(
    *,
    course: Course,
    parsed: list,
    quiz_slug: str | None = None,
    user=None,
    dry_run: bool = False,
) -> GiftImportReport:
    """Store questions another format's parser read, as ``gift_import`` stores
    GIFT: same checks, same re-import identity, all or nothing, dry run.

    ``parsed`` items have ``question``, ``category`` and ``line`` (what
    ``gift.parse_gift``, ``aiken.read_aiken`` and the Moodle XML parser give).
    Raises ``GiftError`` with every problem's line and writes nothing.
    """
    _check_author(user, course)
    problems = _bank_problems(parsed)
    if problems:
        raise gift.GiftError(sorted(problems, key=lambda p: p.line), more=problems.more)
    with transaction.atomic():
        report = _gift_store(course, parsed, quiz_slug, user=user)
        report.dry_run = dry_run
        report.warnings = [
            problem for item in parsed for problem in getattr(item, "warnings", ())
        ]
        if dry_run:
            transaction.set_rollback(True)
    return report


def bank_export_json(course: Course) -> dict:
    """A course's whole bank as JSON: its quizzes (as ``export_course`` writes
    them) and, under ``"questions"``, the questions no exported quiz lists.
    ``bank_import_json`` reads it back (into this course or another)."""
    from quizzes.exporting import course_quizzes_export, question_export

    quizzes = course_quizzes_export(course=course)
    for entry in quizzes:
        entry["questions"] = [_relabel(question) for question in entry["questions"]]
    listed = {q["key"] for entry in quizzes for q in entry["questions"]}
    loose = (
        Question.objects.filter(course=course)
        .exclude(key__in=listed)
        .select_related("lesson")
        .prefetch_related("answers")
        .order_by("category", "key")
    )
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "course": course.slug,
        "questions": [_relabel(question_export(question)) for question in loose],
        "quizzes": quizzes,
    }


def _loose_problems(course: Course, data: Mapping) -> ProblemList:
    """What is wrong with a bank file's envelope and its ``"questions"``."""
    problems = ProblemList()
    if "format" in data or "version" in data:
        if data.get("format") != JSON_FORMAT:
            problems.append(f"'format' must be {JSON_FORMAT!r}")
        if data.get("version") != JSON_VERSION:
            problems.append(f"'version' must be {JSON_VERSION}")
    quizzes = data.get("quizzes", [])
    if not isinstance(quizzes, list) or not all(
        isinstance(quiz, Mapping) for quiz in quizzes
    ):
        problems.append("'quizzes' must be a list of objects")
        quizzes = []
    questions = data.get("questions", [])
    if not isinstance(questions, list) or not all(
        isinstance(question, Mapping) for question in questions
    ):
        problems.append("'questions' must be a list of objects")
        return problems
    if not quizzes and not questions:
        problems.append("the file has no 'questions' and no 'quizzes'")
    listed = {
        question.get("key"): question
        for quiz in quizzes
        for question in quiz.get("questions", ()) or ()
        if isinstance(question, Mapping)
    }
    lessons = set(Lesson.objects.filter(course=course).values_list("slug", flat=True))
    seen: dict[str, Mapping] = {}
    for question in questions:
        label = question.get("key") or question.get("title") or "?"
        problems += [
            f"question {label!r}: {p}" for p in grading.validate_question(question)
        ]
        problems += [
            f"question {label!r}: {p}"
            for p in bank_checks.question_markdown_problems(question)
        ]
        key = question.get("key")
        if not key:
            problems.append(f"question {label!r}: missing key")
        elif (
            seen.setdefault(key, question) != question
            or listed.get(key, question) != question
        ):
            problems.append(f"question {label!r}: listed twice with different content")
        if question.get("lesson") and question["lesson"] not in lessons:
            problems.append(f"question {label!r}: no lesson {question['lesson']!r}")
    return problems


def bank_import_json(
    *, course: Course, data, user=None, dry_run: bool = False
) -> BankReport:
    """Import a JSON bank: ``bank_export_json``'s, ``export_quiz``'s or
    ``import_questions``' (no envelope). Quizzes go through
    ``question_bank_import``; ``"questions"`` outside quizzes are matched by key
    too. All or nothing: ``BankError`` lists every problem, nothing is written.
    """
    _check_author(user, course)
    if not isinstance(data, Mapping):
        raise BankError("expected a JSON object")
    problems = _loose_problems(course, data)
    quizzes = data.get("quizzes") if isinstance(data.get("quizzes"), list) else []
    with transaction.atomic():
        try:
            report = question_bank_import(
                course=course, data={"quizzes": quizzes}, user=user
            )
        except BankError as error:
            raise BankError("\n".join([*problems.lines(), str(error)])) from error
        if problems:
            raise BankError("\n".join(problems.lines()))
        listed = {q["key"] for quiz in quizzes for q in quiz.get("questions", ())}
        loose = [q for q in data.get("questions", ()) if q["key"] not in listed]
        existing = {
            question.key: question
            for question in Question.objects.filter(
                course=course, key__in=[q["key"] for q in loose]
            ).prefetch_related("answers")
        }
        lessons = {lesson.slug: lesson for lesson in course.lessons.all()}
        for question in {q["key"]: q for q in loose}.values():
            _question_upsert(
                course,
                lessons.get(question.get("lesson") or ""),
                question,
                existing.get(question["key"]),
                report,
                user=user,
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


# ---------------------------------------------------------------- Moodle XML
#
# ``quizzes.moodle_xml`` parses and writes; this stores, as ``gift_import``
# does (all or nothing, the same bank problems, the same re-import identity),
# with three differences: a question's ``<idnumber>`` is its key when it is a
# slug and free (so a re-import finds it by key first, whatever its title),
# else it is stored as ``Question.idnumber`` (found by it on re-import; export
# writes it, else the key), the mark, case sensitivity, essay template and
# Moodle's question options come from the file (Moodle XML says them), and
# embedded files are saved to the default storage under
# ``questions/<course pk>/<sha256>.<ext>`` with the ``@@PLUGINFILE@@/name``
# links of the texts rewritten to their URL. Files are content-addressed, so
# saving one twice is harmless; a dry run saves none.

QUESTION_FILES_DIR = "questions"


@dataclass
class MoodleXmlImportReport(GiftImportReport):
    warnings: list = field(default_factory=list)
    files_saved: int = 0


def _file_path(course: Course, name: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    ext = PurePosixPath(name).suffix.lower()
    ext = ext if re.fullmatch(r"\.[a-z0-9]{1,10}", ext) else ""
    return f"{QUESTION_FILES_DIR}/{course.pk}/{digest}{ext}"


def _store_files(course: Course, files: Mapping[str, bytes], *, save: bool):
    """Save the files (unless ``save`` is false); their URLs by name and the
    number of files written."""
    urls: dict[str, str] = {}
    written = 0
    for name, content in files.items():
        path = _file_path(course, name, content)
        if save and not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))
            written += 1
        urls[name] = default_storage.url(path)
    return urls, written


def _rewrite_links(value, urls: Mapping[str, str]):
    if isinstance(value, str):
        return moodle_xml.rewrite_pluginfile_links(value, urls)
    if isinstance(value, list):
        return [_rewrite_links(item, urls) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite_links(item, urls) for key, item in value.items()}
    return value


def _moodle_by_text(parsed: moodle_xml.ParsedMoodleXml) -> set[int]:
    """Lines of questions whose category and name an earlier question of the
    file has: Moodle takes such files (names need not be unique), so they are
    told apart, and found again on re-import, by their text (with a warning)."""
    first: dict[tuple[str, str], int] = {}
    lines: set[int] = set()
    for item in parsed.questions:
        title = (item.question.get("title") or "").strip()
        if not title:
            continue
        seen = (normalise_category(item.category), title)
        if seen in first:
            lines.add(item.line)
            parsed.warnings.append(
                moodle_xml.MoodleXmlProblem(
                    item.line,
                    f"same name as the question on line {first[seen]}: it is "
                    "matched by its text on re-import",
                    "question",
                )
            )
        else:
            first[seen] = item.line
    return lines


def _moodle_xml_bank_problems(
    parsed: moodle_xml.ParsedMoodleXml,
) -> tuple[ProblemList, set[int]]:
    """The bank's problems with a parsed file, and the lines of the questions
    told apart by their text (``_moodle_by_text``)."""
    by_text = _moodle_by_text(parsed)
    as_gift = [
        gift.GiftQuestion(
            {**item.question, "title": ""} if item.line in by_text else item.question,
            item.category,
            item.line,
        )
        for item in parsed.questions
    ]
    return _bank_problems(as_gift), by_text


def _idnumber_key(idnumber: str) -> str | None:
    return idnumber if idnumber and slugify(idnumber) == idnumber else None


def moodle_xml_import(
    *,
    course: Course,
    data: bytes,
    quiz_slug: str | None = None,
    user=None,
    dry_run: bool = False,
) -> MoodleXmlImportReport:
    """Import a Moodle XML file into the course's bank (and a quiz); all or nothing.

    Raises ``MoodleXmlError`` (every problem with its line and element) and
    writes nothing when the file has any problem, ``ValueError`` for a bad quiz
    slug, and ``PermissionDenied`` when ``user`` does not teach the course.
    """
    _check_author(user, course)
    parsed = moodle_xml.parse_moodle_xml(data)
    problems, by_text = _moodle_xml_bank_problems(parsed)
    if problems:
        raise moodle_xml.MoodleXmlError(
            [
                moodle_xml.MoodleXmlProblem(p.line, p.message, "question")
                for p in sorted(problems, key=lambda p: p.line)
            ],
            more=problems.more,
        )
    with transaction.atomic():
        report = _moodle_xml_store(
            course,
            parsed.questions,
            quiz_slug,
            user=user,
            save_files=not dry_run,
            by_text=by_text,
        )
        report.warnings = parsed.warnings
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


def _moodle_xml_store(
    course: Course,
    parsed: list[moodle_xml.MoodleQuestion],
    quiz_slug: str | None,
    *,
    user=None,
    save_files: bool,
    by_text: set[int] = frozenset(),
) -> MoodleXmlImportReport:
    report = MoodleXmlImportReport()
    bank = _store_begin(course, quiz_slug, report)
    by_key = {question.key: question for question in bank}
    by_identity: dict[tuple, Question] = {}
    for question in bank:
        by_identity.setdefault(
            _identity(
                question.category, {"title": question.title, "text": question.text}
            ),
            question,
        )
        by_identity.setdefault(
            _identity(question.category, {"title": "", "text": question.text}),
            question,
        )
    # An ID number is a question's key when it has none stored, else the
    # stored one. Moodle's are unique per category only: a file may repeat one,
    # and each occurrence is the question with its identity, else the first
    # one not matched yet.
    by_idnumber: dict[str, list[Question]] = {}
    for question in sorted(bank, key=lambda question: question.pk):
        if question.idnumber:
            by_idnumber.setdefault(question.idnumber, []).append(question)
    taken = set(by_key)
    counts = BankReport()
    stored: list[Question] = []
    used: set[int] = set()
    for item in parsed:
        category = normalise_category(item.category)
        key = _idnumber_key(item.idnumber)
        by_its_key = by_key.get(key) if key else None
        candidates = [by_its_key] if by_its_key and not by_its_key.idnumber else []
        candidates += by_idnumber.get(item.idnumber, []) if item.idnumber else []
        candidates = [q for q in candidates if q.pk not in used]
        same = _identity(category, item.question)
        existing = next(
            (
                q
                for q in candidates
                if _identity(q.category, {"title": q.title, "text": q.text}) == same
            ),
            candidates[0] if candidates else None,
        )
        if existing is not None:
            used.add(existing.pk)
        else:
            same = item.question
            if item.line in by_text:
                same = {"title": "", "text": same.get("text")}
            existing = by_identity.get(_identity(category, same))
        data = dict(item.question)
        if item.files:
            urls, written = _store_files(course, item.files, save=save_files)
            report.files_saved += written
            data = _rewrite_links(data, urls)
        data["category"] = category
        data["tags"] = _gift_tags(category, data.get("tags") or [])
        if existing is not None:
            data["key"] = existing.key
            data["is_published"] = existing.is_published
            data.setdefault("max_length", existing.max_length)
        else:
            data["key"] = key if key and key not in taken else _new_key(data, taken)
            taken.add(data["key"])
            data["is_published"] = not item.hidden
        if data.get("idnumber") == data["key"]:
            # Export writes the key when there is no ID number: not stored twice.
            data.pop("idnumber")
        _store_one(course, data, existing, report, stored, counts, user=user)
    return _store_end(report, stored)


def _store_one(course, data, existing, report, stored, counts, *, user) -> None:
    """Store one question of a bank file: an existing one updated in place, a
    new one kept for ``_store_end``, which inserts them together (a 10 MB bank
    holds ten thousand questions, and one INSERT each took a minute)."""
    if existing is None:
        question = _unsaved_question(course, data)
        report.created.append(question)
    else:
        before = counts.questions_updated
        question = _question_upsert(
            course, existing.lesson, data, existing, counts, user=user
        )
        if counts.questions_updated > before:
            report.updated.append(question)
        else:
            report.unchanged.append(question)
    stored.append(question)


def _store_end(report, stored: list[Question]):
    _insert_questions(report.created)
    if report.quiz is not None:
        report.added_to_quiz = _append_to_quiz(report.quiz, stored)
    return report


def _unsaved_question(course: Course, data: dict) -> Question:
    """The Question row ``services._question_upsert`` would create, unsaved,
    with its unsaved answer rows in ``_new_answers``."""
    question = Question(
        course=course,
        key=data["key"],
        type=data["type"],
        title=data.get("title", ""),
        text=data.get("text", ""),
        general_feedback=data.get("general_feedback", ""),
        default_mark=float(data.get("default_mark", 1.0)),
        case_sensitive=bool(data.get("case_sensitive", False)),
        max_length=data.get("max_length"),
        response_template=data.get("response_template", ""),
        grader_info=data.get("grader_info", ""),
        is_published=bool(data.get("is_published", True)),
        category=data.get("category") or "",
        tags=list(data.get("tags") or []),
        **moodle_options.columns(moodle_options.stored(data)),
    )
    question._new_answers = answers_from_dict(data)
    return question


def _insert_questions(questions: list[Question]) -> None:
    Question.objects.bulk_create(questions, batch_size=500)
    rows = []
    for question in questions:
        for row in question.__dict__.pop("_new_answers"):
            row.question = question
            rows.append(row)
    Answer.objects.bulk_create(rows, batch_size=1000)


def moodle_xml_export(*, course: Course, quiz: Quiz | None = None) -> str:
    """Moodle XML for the course's bank (by category, then key), or for one
    quiz's questions in slot order. Every question type we have is written."""
    if quiz is not None:
        questions = quiz_questions(quiz)
    else:
        questions = list(
            Question.objects.filter(course=course)
            .prefetch_related("answers")
            .order_by("category", "key")
        )
    folder = f"{QUESTION_FILES_DIR}/{course.pk}"
    return moodle_xml.write_moodle_xml(
        [
            {**_with_files(_gift_data(q), folder), "hidden": not q.is_published}
            for q in questions
        ]
    )


def _with_files(data: dict, folder: str) -> dict:
    """The question with the files it links to in our storage (``folder``)
    embedded, and those links written as ``@@PLUGINFILE@@/name``, as Moodle
    exports them. A link to a missing file is left as it is."""
    prefix = default_storage.url(f"{folder}/")
    pattern = re.compile(re.escape(prefix) + r"([0-9a-f]{64}(?:\.[a-z0-9]{1,10})?)")
    found: dict[str, bytes] = {}

    def embed(match: re.Match) -> str:
        name = match.group(1)
        if name not in found:
            try:
                with default_storage.open(f"{folder}/{name}") as handle:
                    found[name] = handle.read()
            except OSError:
                return match.group(0)
        return f"{moodle_xml.PLUGINFILE}/{name}"

    def walk(value):
        if isinstance(value, str):
            return pattern.sub(embed, value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    data = walk(data)
    if found:
        data["files"] = found
    return data
