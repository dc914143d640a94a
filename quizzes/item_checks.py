"""Item-writing checks: what makes a question easier to guess than to know (pure).

``quizzes.bank_checks`` says whether a question can be stored and graded; this module
says whether it is a good question. The rules follow the item-writing guidelines of
Haladyna, Downing and Rodriguez (2002, "A review of multiple-choice item-writing
guidelines"), with the checks a question bank needs that they do not name (a random
draw, short-answer wildcards). Each :class:`Finding` names its check, a level, a
one-line reason and the evidence it found, so an instructor can judge it.

Levels: ``error`` (the question misleads or cannot be answered as asked; the
``check_bank`` command fails), ``warning`` (a cue or a flaw a student can exploit;
fix or dismiss it with a reason), ``info`` (worth a look, often fine).

- :func:`question_findings`: one question on its own (the admin editor shows these);
- :func:`quiz_findings`: the questions of one quiz together (giveaways, numeric keys
  all alike) and what a random draw loses (stems that need their lesson, essays);
- :func:`bank_findings`: every quiz of a course and the bank as a whole, each
  question's own findings once however many quizzes list it.

Questions are the plain dicts of ``docs/question-format.md`` with their ``key``.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from quizzes import grading

INFO, WARNING, ERROR = "info", "warning", "error"
LEVELS = (INFO, WARNING, ERROR)
_RANK = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Check:
    name: str
    level: str
    reason: Any  # a lazy translation: one line


CHECKS = {
    check.name: check
    for check in (
        Check(
            "absolute-word-cue",
            WARNING,
            _(
                "A false true/false statement with an absolute word (only, never, "
                "all, no ...) can be answered without knowing the subject."
            ),
        ),
        Check(
            "absolute-word-distractor",
            WARNING,
            _(
                "A wrong option with an absolute or extreme word is implausible; "
                "students rule it out unread."
            ),
        ),
        Check(
            "longest-option-key",
            WARNING,
            _(
                "The key is clearly the longest option: test-wise students pick "
                "the longest."
            ),
        ),
        Check(
            "longest-option-key-pattern",
            WARNING,
            _(
                "In most single-choice questions of this quiz the key is the "
                "longest option."
            ),
        ),
        Check(
            "duplicate-option",
            ERROR,
            _("Two options say the same thing: one of them tests nothing."),
        ),
        Check(
            "all-none-of-the-above",
            WARNING,
            _(
                "'All of the above' and 'none of the above' reward partial "
                "knowledge and break when options are shuffled."
            ),
        ),
        Check(
            "contradictory-instructions",
            ERROR,
            _("The stem's instructions contradict each other or the question type."),
        ),
        Check(
            "giveaway",
            WARNING,
            _("Another question of the same quiz states this question's answer."),
        ),
        Check(
            "needs-context",
            WARNING,
            _(
                "The stem refers to 'this section' or similar, which means nothing "
                "when the question is drawn into a mixed exam."
            ),
        ),
        Check(
            "wildcard-too-wide",
            WARNING,
            _("A short-answer wildcard also accepts a word that means otherwise."),
        ),
        Check(
            "missing-variant",
            WARNING,
            _(
                "An obvious variant of an accepted answer (plural, acronym, hyphen) "
                "scores less than the answer itself."
            ),
        ),
        Check(
            "numeric-keys-alike",
            WARNING,
            _(
                "Most numerical questions have the same key: a student who guesses "
                "it scores without knowing."
            ),
        ),
        Check(
            "essay-in-random-pool",
            ERROR,
            _(
                "An essay (hand-graded) in a randomly drawn pool makes some exams "
                "wait for a grader and weigh differently."
            ),
        ),
        Check(
            "british-spelling",
            INFO,
            _("British spelling in an American English course."),
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    """One check's verdict on one question (``question`` is its key; "" for a
    finding about a whole quiz or bank)."""

    check: str
    question: str
    evidence: str
    field: str = ""
    quiz: str = ""

    @property
    def level(self) -> str:
        return CHECKS[self.check].level

    @property
    def reason(self) -> str:
        return str(CHECKS[self.check].reason)

    def line(self) -> str:
        where = (
            " ".join(
                part
                for part in (
                    f"quiz {self.quiz}" if self.quiz else "",
                    f"question {self.question}" if self.question else "",
                )
                if part
            )
            or "bank"
        )
        return (
            f"{self.level.upper()} {self.check}: {where}: {self.reason} "
            f"Found: {self.evidence}"
        )


def worst_level(findings: Iterable[Finding]) -> str | None:
    levels = [finding.level for finding in findings]
    return max(levels, key=_RANK.__getitem__) if levels else None


def above(findings: Iterable[Finding], level: str) -> list[Finding]:
    """The findings strictly above ``level`` (``above(fs, INFO)``: what must go)."""
    return [f for f in findings if _RANK[f.level] > _RANK[level]]


# ------------------------------------------------------------------------ text


def _fold(text: str) -> str:
    """Text compared for sameness: accents, case, punctuation and spacing aside."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.replace("*", " "))
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.casefold())


def _contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words (both folded)."""
    return bool(needle) and f" {needle} " in f" {haystack} "


def _full(fraction: Any) -> bool:
    return isinstance(fraction, int | float) and fraction >= 1 - 1e-9


# ----------------------------------------------------------- one question's checks

ABSOLUTE_WORDS = frozenset(
    {
        "all",
        "always",
        "completely",
        "entirely",
        "every",
        "exclude",
        "excluded",
        "excludes",
        "excluding",
        "exclusively",
        "never",
        "no",
        "none",
        "nothing",
        "only",
        "purely",
        "solely",
        "totally",
        "wholly",
    }
)


def _absolutes(text: str) -> list[str]:
    return sorted({word for word in _words(text) if word in ABSOLUTE_WORDS})


def _check_truefalse_absolutes(question: Mapping) -> list[Finding]:
    if question.get("type") != "truefalse" or question.get("correct", True):
        return []
    found = _absolutes(question.get("text", ""))
    if not found:
        return []
    return [
        Finding(
            "absolute-word-cue",
            question.get("key", ""),
            f"false statement says {', '.join(repr(w) for w in found)}",
            field="text",
        )
    ]


def _choice_options(question: Mapping) -> list[Mapping]:
    if question.get("type") not in ("single", "multiple"):
        return []
    return [o for o in question.get("options") or () if isinstance(o, Mapping)]


def _check_absolute_distractors(question: Mapping) -> list[Finding]:
    options = _choice_options(question)
    keyed = [o for o in options if (o.get("fraction") or 0) > 0]
    if any(_absolutes(o.get("text", "")) for o in keyed):
        return []  # the key says it too: no cue
    findings = []
    for option in options:
        if (option.get("fraction") or 0) > 0:
            continue
        found = _absolutes(option.get("text", ""))
        if found:
            findings.append(
                Finding(
                    "absolute-word-distractor",
                    question.get("key", ""),
                    f"{option.get('text', '')!r} ({', '.join(found)})",
                    field="options",
                )
            )
    return findings


def _longest_key(question: Mapping) -> tuple[str, float] | None:
    """The key's text and how much longer it is than the longest distractor, when
    the (only) key of a single-choice question is the longest option."""
    if question.get("type") != "single":
        return None
    options = _choice_options(question)
    keys = [o for o in options if _full(o.get("fraction"))]
    others = [o for o in options if not _full(o.get("fraction"))]
    if len(keys) != 1 or len(others) < 2:
        return None
    key_length = len(keys[0].get("text", "").strip())
    longest = max(len(o.get("text", "").strip()) for o in others)
    if key_length <= longest or not longest:
        return None
    return keys[0].get("text", ""), key_length / longest


LONGEST_MARGIN = 1.25


def _check_longest_key(question: Mapping) -> list[Finding]:
    found = _longest_key(question)
    if found is None or found[1] < LONGEST_MARGIN:
        return []
    text, ratio = found
    return [
        Finding(
            "longest-option-key",
            question.get("key", ""),
            f"key {text!r} is {ratio:.1f} times the longest distractor",
            field="options",
        )
    ]


def _check_duplicate_options(question: Mapping) -> list[Finding]:
    kind = question.get("type")
    if kind in ("single", "multiple"):
        texts = [o.get("text", "") for o in _choice_options(question)]
    elif kind == "matching":
        texts = [
            p.get("answer", "")
            for p in question.get("pairs") or ()
            if isinstance(p, Mapping)
        ]
        # Several prompts may share an answer; a distractor equal to an answer may not.
        texts = list(dict.fromkeys(texts)) + list(question.get("distractors") or ())
    elif kind == "ordering":
        texts = [
            i.get("text", "")
            for i in question.get("items") or ()
            if isinstance(i, Mapping)
        ]
    else:
        return []
    seen: dict[str, str] = {}
    findings = []
    for text in texts:
        folded = _fold(text)
        if not folded:
            continue
        if folded in seen:
            findings.append(
                Finding(
                    "duplicate-option",
                    question.get("key", ""),
                    f"{seen[folded]!r} and {text!r}",
                    field="options",
                )
            )
        else:
            seen[folded] = text
    return findings


_ABOVE = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|the options)\b"
    r"|\b(both|neither) [a-d] (and|nor) [a-d]\b",
    re.IGNORECASE,
)


def _check_all_none(question: Mapping) -> list[Finding]:
    return [
        Finding(
            "all-none-of-the-above",
            question.get("key", ""),
            repr(option.get("text", "")),
            field="options",
        )
        for option in _choice_options(question)
        if _ABOVE.search(option.get("text", ""))
    ]


_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTED = re.compile(
    r"\b(?:which|select|choose|pick|name|identify|mark|tick)\s+(?:the\s+)?"
    r"(one|two|three|four|five|six|[1-6])\b(?!\s*(?:of|percent|%|years?|decades?))",
    re.IGNORECASE,
)
_ALL_THAT_APPLY = re.compile(
    r"\b(?:all|each|every\s+one)\s+(?:that|which|those that)\s+appl(?:y|ies)\b"
    r"|\bone or more\b",
    re.IGNORECASE,
)


def _check_instructions(question: Mapping) -> list[Finding]:
    kind = question.get("type")
    if kind not in ("single", "multiple"):
        return []
    text = question.get("text", "")
    key = question.get("key", "")
    counted = _COUNTED.search(text)
    every = _ALL_THAT_APPLY.search(text)
    findings = []
    if counted and every:
        findings.append(
            Finding(
                "contradictory-instructions",
                key,
                f"{counted.group(0)!r} and {every.group(0)!r}",
                field="text",
            )
        )
    if kind == "single" and every:
        findings.append(
            Finding(
                "contradictory-instructions",
                key,
                f"{every.group(0)!r} in a single-choice question",
                field="text",
            )
        )
    if counted:
        word = counted.group(1).lower()
        wanted = _NUMBERS.get(word) or int(word)
        options = _choice_options(question)
        right = (
            sum(1 for o in options if (o.get("fraction") or 0) > 0)
            if kind == "multiple"
            else 1
        )
        if wanted != right:
            findings.append(
                Finding(
                    "contradictory-instructions",
                    key,
                    f"{counted.group(0)!r} but {right} option(s) earn marks",
                    field="text",
                )
            )
    return findings


# A leading wildcard glued to a word accepts the word with any prefix, its
# opposites among them; a trailing one after a name accepts other names.
ANTONYMS = {
    "agree": "disagree",
    "position": "opposition",
    "respect": "disrespect",
    "security": "insecurity",
    "stability": "instability",
    "stable": "unstable",
    "legal": "illegal",
    "formal": "informal",
    "dependence": "independence",
    "balance": "imbalance",
    "trust": "distrust",
    "armament": "disarmament",
    "alignment": "nonalignment",
    "aligned": "non-aligned",
    "regular": "irregular",
    "effective": "ineffective",
    "cooperation": "noncooperation",
}


def _wildcard_findings(question: Mapping) -> list[Finding]:
    key = question.get("key", "")
    findings = []
    for answer in _accepted(question):
        pattern = answer["text"]
        core = pattern.strip("*").strip()
        if not core or "*" in core:
            continue
        tries = []
        if pattern.startswith("*") and core[0].isalpha():
            first = core.split()[0]
            known = ANTONYMS.get(first.lower())
            tries.append(core.replace(first, known, 1) if known else "non-" + core)
        # "mission*" for "missions" is the usual use; "Amazon*" also takes
        # "Amazon Basin", another place.
        if pattern.endswith("*") and core.split()[-1][:1].isupper():
            tries.append(core + " Basin")
        for wrong in tries:
            if _shortanswer_score(question, wrong) >= answer["fraction"]:
                findings.append(
                    Finding(
                        "wildcard-too-wide",
                        key,
                        f"{pattern!r} accepts {wrong!r}",
                        field="answers",
                    )
                )
                break
    return findings


def _accepted(question: Mapping) -> list[dict]:
    if question.get("type") != "shortanswer":
        return []
    return [
        {"text": a["text"], "fraction": a.get("fraction") or 0}
        for a in question.get("answers") or ()
        if isinstance(a, Mapping)
        and isinstance(a.get("text"), str)
        and (a.get("fraction") or 0) > 0
    ]


def _shortanswer_score(question: Mapping, response: str) -> float:
    try:
        return grading.grade(question, response).fraction
    except (grading.InvalidResponse, KeyError, TypeError, ValueError):
        return 0.0


def _plural_variants(text: str) -> list[str]:
    """The singular of a plural last word (``defense mechanisms`` ->
    ``defense mechanism``): a student naming one of them is right too."""
    match = re.search(r"([A-Za-z]+)$", text)
    if not match or len(match.group(1)) < 4 or not match.group(1).islower():
        return []  # a name ("the Americas") has no singular to expect
    word, stem = match.group(1), text[: match.start(1)]
    if word.endswith("ies"):
        return [stem + word[:-3] + "y"]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [stem + word[:-1]]
    return []


_SMALL = {"of", "and", "the", "for", "de", "del", "&"}


def _acronym_variants(text: str, known: set[str]) -> list[str]:
    """``United Nations missions`` -> ``UN missions``: each run of two or more
    capitalized words (small words inside allowed) replaced by its initials, when
    the question itself uses those initials (``known``): an acronym nobody uses
    is no variant to expect."""
    tokens = text.split()
    variants = []
    start = 0
    while start < len(tokens):
        if not tokens[start][:1].isupper():
            start += 1
            continue
        end = start
        capitals = []
        while end < len(tokens) and (
            tokens[end][:1].isupper()
            or (tokens[end].lower() in _SMALL and end + 1 < len(tokens))
        ):
            if tokens[end][:1].isupper():
                capitals.append(tokens[end])
            end += 1
        while end > start and tokens[end - 1].lower() in _SMALL:
            end -= 1
        if len(capitals) >= 2 and not any(t.isupper() and len(t) > 1 for t in capitals):
            initials = "".join(t[0] for t in capitals)
            # The whole answer as initials is often what the question gives
            # ("What does CDMA stand for?"): only a part replaced is a variant.
            rest = tokens[:start] + tokens[end:]
            if initials not in known or all(t.lower() in _SMALL for t in rest):
                start = max(end, start + 1)
                continue
            variants.append(" ".join([*tokens[:start], initials, *tokens[end:]]))
        start = max(end, start + 1)
    return variants


def _hyphen_variants(text: str) -> list[str]:
    variants = []
    if re.search(r"\w-\w", text):
        variants.append(re.sub(r"(?<=\w)-(?=\w)", " ", text))
    words = text.split()
    if len(words) == 2 and all(w.isalpha() and w.islower() for w in words):
        variants.append("-".join(words))
    return variants


def _variant_findings(question: Mapping) -> list[Finding]:
    key = question.get("key", "")
    findings = []
    seen = set()
    known = {
        word
        for _field, text in _all_texts(question)
        for word in re.findall(r"\b[A-Z]{2,6}\b", text)
    }
    for answer in _accepted(question):
        if not _full(answer["fraction"]):
            continue
        plain = answer["text"].replace("*", "").strip()
        if not plain or _shortanswer_score(question, plain) < answer["fraction"]:
            continue
        for kind, variants in (
            ("plural/singular", _plural_variants(plain)),
            ("acronym", _acronym_variants(plain, known)),
            ("hyphen/space", _hyphen_variants(plain)),
        ):
            for variant in variants:
                if variant in seen:
                    continue
                seen.add(variant)
                got = _shortanswer_score(question, variant)
                # Joining two words with a hyphen is a variant to expect only when
                # the answers already half-accept it ("technology-transfer": 0.5).
                joined = kind == "hyphen/space" and "-" not in plain
                if got < answer["fraction"] and (got > 0 or not joined):
                    findings.append(
                        Finding(
                            "missing-variant",
                            key,
                            f"{plain!r} scores {answer['fraction']:g} but its "
                            f"{kind} {variant!r} scores {got:g}",
                            field="answers",
                        )
                    )
    return findings


# A short list of the British forms that appear in course material; "-ise" alone
# is no rule (exercise, otherwise, enterprise, rise).
BRITISH = {
    "behaviour": "behavior",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
    "favour": "favor",
    "honour": "honor",
    "labour": "labor",
    "programme": "program",
    "programmes": "programs",
    "analyse": "analyze",
    "catalogue": "catalog",
    "colour": "color",
    "neighbour": "neighbor",
    "neighbouring": "neighboring",
    "neighbours": "neighbors",
    "travelled": "traveled",
    "whilst": "while",
    "licence": "license",
    "practise": "practice",
    "towards": "toward",
    "endeavour": "endeavor",
    "endeavours": "endeavors",
}
_BRITISH_PATTERN = re.compile(
    r"\b[a-z]+(?:is(?:e|ed|es|ing|ation|ations))\b", re.IGNORECASE
)
_ISE_ROOTS = (
    "organis", "recognis", "emphasis", "prioritis", "realis", "modernis",
    "stabilis", "mobilis", "militaris", "demilitaris", "specialis",
    "professionalis", "institutionalis", "characteris", "maximis", "minimis",
    "utilis", "civilis", "harmonis", "standardis", "criticis", "summaris",
    "legitimis", "formalis", "normalis", "capitalis", "jeopardis", "authoris",
    "symbolis", "apologis", "industrialis", "globalis", "internationalis",
    "democratis", "centralis", "decentralis", "localis", "operationalis",
    "regionalis",
)  # fmt: skip


def british_words(text: str) -> list[str]:
    """The British forms in ``text``, lowercased and sorted."""
    words = {w for w in _words(text) if w in BRITISH}
    for match in _BRITISH_PATTERN.finditer(text):
        if match.group(0).lower().startswith(_ISE_ROOTS):
            words.add(match.group(0).lower())
    return sorted(words)


def _all_texts(question: Mapping) -> Iterable[tuple[str, str]]:
    for field in ("text", "general_feedback", "feedback_true", "feedback_false"):
        if isinstance(question.get(field), str):
            yield field, question[field]
    for group in ("options", "answers", "items", "pairs"):
        for row in question.get(group) or ():
            if isinstance(row, Mapping):
                for field in ("text", "feedback", "prompt", "answer"):
                    if isinstance(row.get(field), str):
                        yield f"{group}.{field}", row[field]
    for text in question.get("distractors") or ():
        if isinstance(text, str):
            yield "distractors", text


def _check_spelling(question: Mapping) -> list[Finding]:
    found: dict[str, str] = {}
    for field, text in _all_texts(question):
        if field == "answers.text" and question.get("type") == "shortanswer":
            continue  # accepted answers: what students type, in either spelling
        for word in british_words(text):
            found.setdefault(word, field)
    if not found:
        return []
    return [
        Finding(
            "british-spelling",
            question.get("key", ""),
            ", ".join(sorted(found)),
            field=next(iter(found.values())).split(".")[0],
        )
    ]


_QUESTION_CHECKS = (
    _check_truefalse_absolutes,
    _check_absolute_distractors,
    _check_longest_key,
    _check_duplicate_options,
    _check_all_none,
    _check_instructions,
    _wildcard_findings,
    _variant_findings,
    _check_spelling,
)


def question_findings(question: Mapping) -> list[Finding]:
    """Every check of one question on its own."""
    return [finding for check in _QUESTION_CHECKS for finding in check(question)]


# --------------------------------------------------------------- a quiz's checks

_CONTEXT = re.compile(
    r"\b(?:this|the|above|previous|preceding|following) "
    r"(?:section|lesson|chapter|passage|text|paragraph|reading|unit)\b"
    # "the lesson on Brazil" names its context: that is self-contained.
    r"(?! (?:on|about|titled|called|named)\b| [\"“‘'])"
    r"|\b(?:the )?(?:previous|last) question\b"
    r"|\b(?:section|passage|text) above\b",
    re.IGNORECASE,
)


def _keyed_texts(question: Mapping) -> list[str]:
    """What a student must produce or pick to answer: the texts another question
    may not state. Too short or common texts (under two words and 5 letters) and
    true/false statements are left out."""
    kind = question.get("type")
    texts: list[str] = []
    if kind == "single":
        texts = [
            o.get("text", "")
            for o in _choice_options(question)
            if _full(o.get("fraction"))
        ]
    elif kind == "shortanswer":
        texts = [a["text"] for a in _accepted(question) if _full(a["fraction"])][:1]
    elif kind == "numerical":
        for answer in question.get("answers") or ():
            value = answer.get("value") if isinstance(answer, Mapping) else None
            if (
                _full(answer.get("fraction"))
                and isinstance(value, int | float)
                and float(value).is_integer()
                and abs(value) >= 100
            ):
                texts.append(str(int(value)))
    keyed = []
    for text in texts:
        folded = _fold(text)
        if folded.isdigit() or len(folded) >= 5:
            keyed.append(folded)
    return keyed


def _shown_texts(question: Mapping) -> Iterable[tuple[str, str]]:
    """What a question shows a student as true: the stem, the items of an
    ordering (all in the answer), the prompts and answers of a matching."""
    yield "text", question.get("text", "")
    if question.get("type") == "ordering":
        for item in question.get("items") or ():
            if isinstance(item, Mapping):
                yield "items", item.get("text", "")
    if question.get("type") == "matching":
        for pair in question.get("pairs") or ():
            if isinstance(pair, Mapping):
                yield "pairs", f"{pair.get('prompt', '')} {pair.get('answer', '')}"


def _giveaways(questions: Sequence[Mapping], quiz: str) -> list[Finding]:
    findings = []
    shown = [
        (other, [(field, _fold(text)) for field, text in _shown_texts(other)])
        for other in questions
    ]
    for question in questions:
        for keyed in _keyed_texts(question):
            for other, texts in shown:
                if other is question:
                    continue
                for field, text in texts:
                    if _contains(text, keyed):
                        findings.append(
                            Finding(
                                "giveaway",
                                question.get("key", ""),
                                f"question {other.get('key', '?')} ({field}) "
                                f"states the key {keyed!r}",
                                field="text",
                                quiz=quiz,
                            )
                        )
                        break
                else:
                    continue
                break
    return findings


def _numeric_key(question: Mapping) -> float | None:
    for answer in question.get("answers") or ():
        if isinstance(answer, Mapping) and _full(answer.get("fraction")):
            if "value" in answer:
                return answer["value"]
            if "min" in answer and "max" in answer:
                return (answer["min"] + answer["max"]) / 2
    return None


def numeric_key_findings(
    questions: Sequence[Mapping], *, quiz: str = ""
) -> list[Finding]:
    """At least three numerical questions and one key for more than half of them."""
    keys = [_numeric_key(q) for q in questions if q.get("type") == "numerical"]
    keys = [k for k in keys if k is not None]
    if len(keys) < 3:
        return []
    value, count = Counter(keys).most_common(1)[0]
    if count * 2 <= len(keys):
        return []
    return [
        Finding(
            "numeric-keys-alike",
            "",
            f"{count} of the {len(keys)} numerical keys are {value:g}",
            quiz=quiz,
        )
    ]


def _longest_pattern(questions: Sequence[Mapping], quiz: str) -> list[Finding]:
    singles = [q for q in questions if q.get("type") == "single"]
    longest = [q for q in singles if _longest_key(q) is not None]
    if len(singles) < 3 or len(longest) * 2 <= len(singles):
        return []
    return [
        Finding(
            "longest-option-key-pattern",
            "",
            f"{len(longest)} of {len(singles)}: "
            + ", ".join(q.get("key", "?") for q in longest),
            quiz=quiz,
        )
    ]


def quiz_findings(
    questions: Sequence[Mapping], *, drawn: bool = False, quiz: str = ""
) -> list[Finding]:
    """The checks that need the quiz: ``questions`` are all it may ask (its pool
    when it draws at random, ``drawn``). Each question's own checks are not
    repeated here (:func:`question_findings`)."""
    findings = []
    if drawn:
        for question in questions:
            match = _CONTEXT.search(question.get("text", ""))
            if match:
                findings.append(
                    Finding(
                        "needs-context",
                        question.get("key", ""),
                        repr(match.group(0)),
                        field="text",
                        quiz=quiz,
                    )
                )
            if question.get("type") == "essay":
                findings.append(
                    Finding(
                        "essay-in-random-pool",
                        question.get("key", ""),
                        "an essay in the pool of a quiz that draws at random",
                        quiz=quiz,
                    )
                )
    else:
        findings += _giveaways(questions, quiz)
    findings += numeric_key_findings(questions, quiz=quiz)
    findings += _longest_pattern(questions, quiz)
    return findings


@dataclass(frozen=True)
class QuizPool:
    """A quiz as the checks see it: its slug, whether it draws at random, and
    the questions it may ask."""

    slug: str
    drawn: bool
    questions: Sequence[Mapping]


def bank_findings(
    quizzes: Sequence[QuizPool],
    *,
    questions: Sequence[Mapping] = (),
    dismissed: Iterable[tuple[str, str]] = (),
) -> list[Finding]:
    """Every finding for a course: each question's own checks once (``questions``,
    the whole bank, and every question of a quiz), each quiz's checks, and the
    bank's numeric keys.
    ``dismissed`` holds (question key, check name) pairs an instructor set aside."""
    seen: dict[str, Mapping] = {}
    for question in questions:
        seen.setdefault(question.get("key", ""), question)
    for pool in quizzes:
        for question in pool.questions:
            seen.setdefault(question.get("key", ""), question)
    findings = [f for q in seen.values() for f in question_findings(q)]
    for pool in quizzes:
        findings += quiz_findings(pool.questions, drawn=pool.drawn, quiz=pool.slug)
    # The bank as a whole (numeric keys across every quiz), when it is given.
    findings += numeric_key_findings(list(questions))
    dismissed = set(dismissed)
    return [f for f in findings if (f.question, f.check) not in dismissed]


def pools_from_bank(data: Mapping) -> list[QuizPool]:
    """The quizzes of a bank file (``import_questions``' JSON) as the checks see
    them; a quiz drawing from the whole bank gets every published question."""
    everything: dict[str, Mapping] = {}
    for quiz in data.get("quizzes") or ():
        for question in quiz.get("questions") or ():
            if question.get("is_published", True):
                everything.setdefault(question.get("key", ""), question)
    pools = []
    for quiz in data.get("quizzes") or ():
        from_bank = bool(quiz.get("from_bank") or quiz.get("draw_from_bank"))
        listed = list(quiz.get("questions") or ())
        if from_bank:
            keys = {q.get("key") for q in listed}
            listed += [q for k, q in everything.items() if k not in keys]
        draw = quiz.get("draw", quiz.get("draw_count"))
        drawn = from_bank or (bool(draw) and draw < len(listed))
        pools.append(QuizPool(quiz.get("slug", ""), drawn, listed))
    return pools
