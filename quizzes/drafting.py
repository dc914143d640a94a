"""Draft questions from a lesson's text, by text statistics and rules (pure).

``draft_questions(lesson, course, count=6, seed=0)`` reads one lesson's Markdown
and the texts of the course's lessons and returns up to ``count`` draft question
dicts in the question format (``docs/question-format.md``), best first. Nothing
here touches the database, the network or a language model; the same input and
seed always give the same drafts. ``quizzes.banks.questions_draft_for_lesson``
stores them as unpublished questions for an instructor to review.

The rules below were tuned by drafting for the 19 lessons of the seed course and
reading every draft as an instructor would; where a rule is there because of a
kind of draft that had to be discarded, it says so. Fewer, better drafts were
preferred to more: a lesson that says nothing testable gets no draft.

Kinds of draft
--------------
- **cloze** (``shortanswer``): a name blanked in a sentence. Accepted answers:
  the name as written plus its other spellings (the expansion of an acronym and
  the acronym of a name, "US"/"United States"/"American" for "U.S.", the
  accent-free spelling, hyphens as spaces). Grading already ignores case and
  accents; the accent-free spelling is listed anyway so that the question still
  works when exported to Moodle, which does not. Only names: blanked lower-case
  phrases tested the lesson's wording ("fostering _____" for "security
  dialogues"), which no student can be expected to type.
- **multiple choice** (``single``): a key term blanked, with three distractors of
  the same kind, each occurring in another lesson of the course.
- **true/false**: a sentence about a name, as written (True), or with that name
  swapped for another of the same kind and class from another lesson (False).

Text
----
Markdown is reduced to paragraphs and list items (headings, code, tables, HTML
and link targets are dropped; emphasis markers removed). Sentences end at
``.``, ``!`` or ``?`` followed by a space and a capital, a digit or a quote;
"U.S." and the usual abbreviations do not end one.

Terms and their kinds ("same kind")
-----------------------------------
1. **acronym**: a word of two or more capitals (``UNASUR``, ``CSD``). "Name
   (ACR)" defines it: the name and the acronym are one term, and a blank covers
   both. An acronym made of a name's initials ("UN", "United Nations") is the
   same term as the name.
2. **country**: a name from the built-in list (``COUNTRIES``), with aliases
   ("U.S.", "US", "USA"); the countries of the Americas are one group, the others
   another, and distractors come from the same group first. Swaps keep grammar:
   "the" is added or dropped for names that take it ("the United States").
3. **demonym**: the adjective of a country ("Peruvian", "Chinese"), and "U.S."
   used as an adjective ("the U.S. military").
4. **name**: a run of two or more capitalised words (with "of", "the", "for" or
   "de" inside), e.g. "Peruvian Armed Forces", "Amazon Cooperation Treaty". The
   first word of a sentence only counts when it is never written in lower case
   in the course. A run whose words all occur in lower case elsewhere ("UN
   Peacekeeping Missions") is a heading written in title case, not a name; a
   lone capitalised word (a city? a bloc?) is too vague to be a term. Class: the
   head word's (organisation, armed force, agreement, exercise or mission,
   other). Organisations and armed forces are close classes (actors), as are
   agreements and exercises (deeds): distractors have the same head word
   ("Forces") first, then the same class, then a close one ("the actions of the
   Amazon Cooperation Treaty" was absurd); a swap keeps the class.
5. **phrase**: a lower-case noun phrase of one to three words, found by cutting
   sentences at stop words, punctuation, adverbs in ``-ly``, and verbs: a
   built-in list of verbs of expository writing with their inflections, any
   ``-ed`` word, an ``-ing`` word or a listed verb starting a phrase unless an
   article or a preposition makes it a noun ("the training", "by promoting" is a
   verb), a word after "to" that the course never uses as a noun ("to deepen"),
   and a word after a plural that is not a noun ("nations engage", "members
   trade"). Leading evaluative adjectives and numbers are dropped ("significant",
   "various", "six"), and a phrase must end in a noun (not "-al", "-ive", ...).
   Distractors for a phrase have the same grammatical number, a similar length,
   and no word in common with it ("multilateral agreements" for "multilateral
   efforts" could be right too).

Regions ("South America", "the Americas", "South American") are recognised so
that they are never read as names, but are never asked about.

Key terms of a lesson
---------------------
Names, acronyms, countries and demonyms occurring in the lesson are key terms.
Lower-case phrases are key terms when they are specific: they occur in at most a
quarter of the lessons and are not generic ("challenges", "regional security":
``GENERIC_WORDS``); a single word must also be long and occur twice. Terms are
ranked by TF-IDF of the term in this lesson against the course's lessons (names
and acronyms weigh more).

A term is not blanked or swapped when:

- the lesson's title mentions it, or the country of a demonym in it (the title
  would give the answer away);
- it is an example ("such as X", "including X", "like X") or one item of a list
  ("X and Y", "X, Y and Z"): another item would be right too;
- the sentence names it twice, names another term of its kind ("Peru and
  _____"), or names its country or demonym ("_____ ... Peruvian");
- it is a phrase that ends a longer noun phrase ("operational _____"): the blank
  would test the collocation;
- for a swap, it modifies the next word ("UN peacekeeping" -> "CSD
  peacekeeping" is nonsense, not a false statement).

Sentences
---------
A sentence can carry a question when it is declarative (ends in "."), has 8 to
40 words and a finite verb (not a list item's fragment such as "Expansion of
joint exercises."), does not open with a word pointing back ("This", "These",
"It", "Such", "They", ...), and points back nowhere else either ("these
advancements", "this strategic goal", "are prominent examples").

False per the course
--------------------
A distractor or a swapped-in term must make the sentence false according to the
course. An alternative is rejected when a sentence of the course that mentions
it, or the country or demonym it names ("Brazilian Armed Forces": "Brazil"),
says much of the same: the shared content words (compared by their first five
letters, the words of the two terms left out) carry ``SUPPORT_THRESHOLD`` of the
sentence's IDF weight, or include two of its three rarest words, or three words
that are not common in the course. A cloze whose blank another term of its kind
could fill in this way is dropped. A swap also comes from another lesson: a
lesson that names both terms often says the same of both ("Argentina and Brazil
sent troops as well"), and "not said" is not "false".

Choosing
--------
Candidates are ranked by the term's weight and by sentence length (12 to 30
words preferred). Drafts are taken in turn cloze, multiple choice, true/false,
each from a sentence not used yet and preferably a term not used yet; a kind
without a candidate left is skipped. True statements are at most a third of the
drafts, need a key phrase (a sentence of names and praise is a platitude:
"Brazil plays a significant role in military diplomacy"), and are taken most
specific first (the IDF of their key phrases). The seed only picks among equally
good alternatives (which distractors and swaps, the order of options, whether
the first true/false draft is true or false), so the drafts for ``count=n`` are
the first ``n`` of those for a larger count.

Every draft carries ``general_feedback`` pointing to the lesson's section ("See
the section “X”: <the sentence>"), the tags ``draft`` and ``draft:<kind>``, and a
stable ``key``: ``draft-<lesson slug>-<hash of kind, sentence and terms>``.

Known weak spots (what an instructor still discards): true statements that are
platitudes in other words ("engage in bilateral and multilateral endeavors"),
phrase questions that test wording ("requires _____ that some nations may
struggle to implement"), and a country's armed forces blanked where the course
says much the same of another country's in other words.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "COUNTRIES",
    "LessonText",
    "draft_questions",
    "find_terms",
    "plain_sentences",
]

BLANK = "_____"  # as in quizzes.gift: a missing-word question's blank
MIN_WORDS, MAX_WORDS = 8, 40
SUPPORT_THRESHOLD = 0.3
KEY_MAX_LENGTH = 100

# ------------------------------------------------------------------ lexicons


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text."""
    return frozenset(text.split())


# Country | demonyms. Names that take "the" start with "the ". The countries of
# the Americas come first, up to and including the United States.
_COUNTRY_TABLE = """
Argentina|Argentine,Argentinian
Bolivia|Bolivian
Brazil|Brazilian
Chile|Chilean
Colombia|Colombian
Ecuador|Ecuadorian,Ecuadoran
Guyana|Guyanese
Paraguay|Paraguayan
Peru|Peruvian
Suriname|Surinamese
Uruguay|Uruguayan
Venezuela|Venezuelan
Mexico|Mexican
Cuba|Cuban
Guatemala|Guatemalan
Honduras|Honduran
El Salvador|Salvadoran
Nicaragua|Nicaraguan
Costa Rica|Costa Rican
Panama|Panamanian
Haiti|Haitian
the Dominican Republic|Dominican
Jamaica|Jamaican
Canada|Canadian
the United States|American
the United Kingdom|British
France|French
Germany|German
Spain|Spanish
Portugal|Portuguese
Italy|Italian
the Netherlands|Dutch
Belgium|Belgian
Switzerland|Swiss
Austria|Austrian
Poland|Polish
Sweden|Swedish
Norway|Norwegian
Denmark|Danish
Finland|Finnish
Ireland|Irish
Greece|Greek
Turkey|Turkish
Ukraine|Ukrainian
Russia|Russian
China|Chinese
Japan|Japanese
India|Indian
Pakistan|Pakistani
Indonesia|Indonesian
South Korea|South Korean
North Korea|North Korean
Vietnam|Vietnamese
Thailand|Thai
the Philippines|Filipino,Philippine
Malaysia|Malaysian
Singapore|Singaporean
Australia|Australian
New Zealand|New Zealander
Iran|Iranian
Iraq|Iraqi
Israel|Israeli
Saudi Arabia|Saudi
Egypt|Egyptian
Nigeria|Nigerian
South Africa|South African
Kenya|Kenyan
Ethiopia|Ethiopian
Morocco|Moroccan
Algeria|Algerian
"""

_COUNTRY_ALIASES = {
    "United States": ["U.S.", "US", "USA", "U.S.A.", "United States"],
    "United Kingdom": ["U.K.", "UK", "United Kingdom", "Britain"],
    "Peru": ["Perú"],
    "Panama": ["Panamá"],
    "Mexico": ["México"],
}

#: Country name (without "the") -> its demonyms.
COUNTRIES: dict[str, list[str]] = {}
_COUNTRY_TAKES_THE: set[str] = set()
_AMERICAS: set[str] = set()
for _line in _COUNTRY_TABLE.strip().splitlines():
    _name, _demonyms = _line.split("|")
    if _name.startswith("the "):
        _name = _name[4:]
        _COUNTRY_TAKES_THE.add(_name)
    COUNTRIES[_name] = _demonyms.split(",")
    if "United States" not in _AMERICAS:
        _AMERICAS.add(_name)

_REGIONS = {
    "South America", "Latin America", "North America", "Central America",
    "America", "Americas", "South American", "Latin American", "North American",
    "Central American", "Western", "Eastern", "Europe", "European", "Asia",
    "Asian", "Africa", "African", "Caribbean", "Amazon", "Andes", "Andean",
    "Pacific", "Atlantic", "Antarctica", "Middle East", "Global South",
    "Southern Cone",
}  # fmt: skip

# Head words of names, by class: "same kind" for names prefers the same class.
_NAME_CLASSES = {
    "organisation": _words(
        """
        Council Union Organization Organisation Conference College Nations
        Ministry Agency Alliance Community Command Bank Fund Court Association
        Committee Commission Institute University Group Board Secretariat
        Parliament Congress Assembly Department Office Center Centre School
        Academy Forum Summit
        """
    ),
    "force": _words("Forces Force Army Navy Guard Corps Marines"),
    "agreement": _words(
        """
        Treaty Pact Agreement Accord Accords Convention Protocol Charter
        Declaration Plan Initiative Program Programme Strategy Doctrine Act
        """
    ),
    "event": _words(
        "Exercise Exercises Station Operation Mission Missions War Crisis Partnership"
    ),
}
_HEAD_CLASS = {word: cls for cls, words in _NAME_CLASSES.items() for word in words}

_CONNECTORS = _words("of the for de del da do dos la las los")

STOP_WORDS = _words(
    """
    a about above across after again against all almost along also although
    always among amongst an and another any are around as at be became because
    become becomes been before being below between both but by can cannot could
    did do does doing done down during each either else enough especially etc
    even ever every few for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just
    least less like made make many may me might more most much must my myself
    near neither never no nor not now of off often on once one only onto or
    other others otherwise our ours ourselves out over own per perhaps rather
    same several shall she should since so some such than that the their theirs
    them themselves then there therefore these they this those though through
    throughout thus to together too toward towards under until up upon us very
    via was we well were what whatever when where whereas whether which while
    who whom whose why will with within without would yet you your yours
    yourself including include includes included e.g i.e versus vs moreover
    additionally furthermore conversely ultimately lastly notably first second
    third finally instance example namely particularly primarily mainly largely
    increasingly actively effectively significantly new various certain way
    ways part later earlier thereby following due
    """
)

# Words that point back to an earlier sentence: a sentence opening with one is
# unclear on its own.
_ANAPHORIC_OPENERS = _words(
    """
    this these that those such it its they their them both together he she his
    her there here another other similarly likewise also however conversely
    instead then
    """
)

# Terms introduced by one of these are examples: another example of the same
# kind would be right too, so they are never blanked or swapped.
_EXAMPLE_MARKERS = (
    "such as",
    "including",
    "like",
    "e.g.",
    "for example",
    "for instance",
    "namely",
)

# Leading adjectives that say how much something matters, not what it is (and
# numbers): they are trimmed off noun phrases.
_EVALUATIVE = _words(
    """
    various significant vital pivotal crucial essential key major notable
    several numerous common broader broad unique important critical active
    effective potential further different diverse other many multiple specific
    particular new more most greater overall growing increasing increased
    established enhanced improved valuable complex comprehensive proactive
    robust strong stronger closer close lasting shared mutual collective
    emerging evolving modern advanced vast largest large strategic prominent
    delicate unified cohesive primary main wider wide recent contemporary intricate
    traditional traditionally alternative cooperative collaborative regional
    national international global local military operational diplomatic
    political economic such certain whole entire same one two three four five
    six seven eight nine ten eleven twelve twenty hundred thousand million
    """
)

#: Phrases too general to test (they fit almost any sentence of the course).
GENERIC_WORDS = _words(
    """
    region regions nation nations country countries effort efforts role roles
    approach approaches challenge challenges capability capabilities security
    cooperation stability initiative initiatives framework frameworks landscape
    dynamics partnership partnerships engagement involvement participation
    commitment importance interest interests influence relationship
    relationships threat threats strategy strategies issue issues area areas
    activity activities matter matters goal goals need needs tie ties mechanism
    mechanisms component components spirit culture focus example examples
    instance part parts way ways number variety range kind kinds type types
    aspect aspects factor factors response responses practice practices
    environment context level levels power powers actor actors player players
    forces force agreements agreement organizations organization programs
    program arrangements measures measure platform platforms concerns concern
    objective objectives purpose purposes years year era time times world
    members member state states ability capacity peace defense defence
    military diplomacy relations development trust confidence support
    resources collaboration dialogue balance presence impact effect effects
    advancements trend trends operations operation exercises exercise location
    understanding significance
    """
)

# Verbs common in expository writing. Their inflections are derived below.
_VERBS = _words(
    """
    accept achieve act adapt add address adopt advance affect aid aim align
    allow alter anticipate appear apply arise articulate assist assume attend
    avoid balance be become begin believe benefit bolster bring build
    calculate call carry cause challenge change choose claim collaborate
    combine come commit compete complete complicate comprise conduct confront
    connect consider consist constitute contain continue contribute coordinate
    counter counterbalance create cultivate deal decide decline define
    deliver demonstrate deploy depend describe design develop diversify drive
    ease emerge emphasize emphasise enable encompass encourage engage enhance
    ensure establish evolve examine exemplify exist expand experience explain
    explore expose extend face facilitate fall feel find focus follow foster
    gain generate get give go grow guide handle happen help highlight hold
    host identify illustrate impact implement imply improve increase indicate
    influence inform integrate intend involve join keep know lack lead learn
    leave leverage lie limit live look lose maintain make manage manifest
    mark matter mean meet mitigate move navigate note obtain occur offer
    open operate oppose organize organise participate pass pave perform
    permit place play pose position possess prepare present prevent
    prioritize prioritise produce promote protect prove provide pursue
    raise reach receive recognize recognise reduce refer reflect reinforce
    rely remain replace represent require reshape resolve respond restrict
    result reveal rise run see seek seem select send serve set shape share
    shift show showcase signal solidify stand start stay stem strengthen
    support combat incorporate complement persist strive struggle submit
    suggest supply surround sustain tackle take tend thrive transcend
    transform try turn undermine underline underscore understand unite use
    view work yield
    """
)


def _inflections(verb: str) -> dict[str, str]:
    """form -> "base" | "s" | "ed" | "ing" for a regular verb."""
    forms = {verb: "base"}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms[verb[:-1] + "ies"] = "s"
        forms[verb[:-1] + "ied"] = "ed"
    elif verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms[verb + "es"] = "s"
        forms[verb + "ed"] = "ed"
    else:
        forms[verb + "s"] = "s"
        forms[verb + ("d" if verb.endswith("e") else "ed")] = "ed"
    stem = verb[:-1] if verb.endswith("e") and verb != "be" else verb
    forms[stem + "ing"] = "ing"
    if (
        len(verb) <= 4
        and verb[-1] in "bdglmnprt"
        and verb[-2] in "aeiou"
        and verb[-3:-2] not in ("", "a", "e", "i", "o", "u")
    ):
        forms[verb + verb[-1] + "ed"] = "ed"
        forms[verb + verb[-1] + "ing"] = "ing"
    return forms


_VERB_FORMS: dict[str, str] = {}
for _verb in sorted(_VERBS):
    for _form, _kind in _inflections(_verb).items():
        _VERB_FORMS.setdefault(_form, _kind)
_VERB_FORMS.update(
    {
        "is": "s", "are": "s", "was": "ed", "were": "ed", "been": "ed",
        "has": "s", "have": "base", "had": "ed", "made": "ed", "held": "ed",
        "led": "ed", "built": "ed", "brought": "ed", "sought": "ed",
        "grown": "ed", "taken": "ed", "given": "ed", "seen": "ed",
        "known": "ed", "became": "ed", "began": "ed", "found": "ed",
        "sent": "ed", "kept": "ed",
    }
)  # fmt: skip

# Words after which a word that could be a verb is a noun ("the training",
# "its focus"). Prepositions also cue nouns, except before "-ing" words, where
# they introduce a verb ("by promoting dialogue").
_DETERMINERS = _words(
    """
    the a an its their his her our these those this some many several various
    such numerous multiple other any each every no ’s 's
    """
)
_PREPOSITIONS = _words(
    "of in on for with by from into among between across within about"
)
_ADJECTIVE_ENDINGS = (
    "al", "ic", "ive", "ous", "ary", "ful", "less", "able", "ible", "ent",
    "ant", "ian", "ese", "ish",
)  # fmt: skip
# "these advancements", "this goal": a statement pointing back is unclear alone.
_POINTS_BACK = re.compile(
    r"(?i)\b(?:this|these|those)\s+[a-z]|\bsuch\s+(?!as\b)[a-z]"
    r"|\bexamples?\b(?!\s+of\b)"
)

_AUXILIARIES = _words(
    "is are was were has have had can will may might must should could would does "
    "do did"
)


# ------------------------------------------------------------------ text


@dataclass(frozen=True)
class LessonText:
    """One lesson: its slug, title and Markdown body."""

    slug: str
    title: str
    markdown: str


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_HTML_TAG = re.compile(r"<[^>]+>")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|No|vs|etc|Inc|Ltd|Jr|Sr|Gen|Col|"
    r"Lt|Adm|Gov|Sen|Rep|approx|e\.g|i\.e)\.)$"
)


def _strip_markdown(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REF_LINK.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    for _ in range(2):
        line = _MD_EMPHASIS.sub(r"\2", line)
    return " ".join(line.split())


def _blocks(markdown: str) -> list[str]:
    """Paragraphs and list items as plain text, without headings, code or tables."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False

    def flush():
        if current:
            blocks.append(_strip_markdown(" ".join(current)))
            current.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            flush()
            fenced = not fenced
            continue
        if fenced or raw.startswith(("    ", "\t")) and not current:
            continue
        if not line:
            flush()
            continue
        if line.startswith(("#", "|", ">", "---", "***", "===")):
            flush()
            if line.startswith(">"):
                current.append(line.lstrip("> "))
            continue
        if _LIST_ITEM.match(line):
            flush()
            current.append(_LIST_ITEM.sub("", line))
            flush()
            continue
        current.append(line)
    flush()
    return [block for block in blocks if block]


def _split_sentences(text: str) -> list[str]:
    found: list[str] = []
    pending = ""
    for part in _SENTENCE_END.split(text):
        pending = f"{pending} {part}" if pending else part
        if not _ABBREVIATION.search(pending):
            found.append(pending.strip())
            pending = ""
    if pending:
        found.append(pending.strip())
    return found


def plain_sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown text, in order, as plain text."""
    return [s for block in _blocks(markdown) for s in _split_sentences(block)]


# ------------------------------------------------------------------ tokens

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|\w+(?:[-‐]\w+)*"  # words, hyphenated words
    r"|[’'](?:s\b)?"  # possessive 's, apostrophes
    r"|[^\w\s]",  # punctuation
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return (
            len(letters) >= 2
            and all(c.isupper() for c in letters)
            and not re.fullmatch(r"[IVXLC]+", self.text)
        )


def _tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lower case without accents: how terms are compared."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    return _fold(word)[:5]


def _word_count(text: str) -> int:
    return sum(1 for t in _tokens(text) if t.is_word)


# ------------------------------------------------------------------ terms


@dataclass
class Term:
    """A key-term candidate: one concept with its spellings and where it occurs."""

    key: str
    kind: str  # acronym | country | demonym | name | region | phrase
    group: str  # finer class within the kind, for the closest distractors
    display: str  # the spelling shown as an option or written in a swap
    answers: list[str] = field(default_factory=list)
    takes_the: bool = False
    lessons: Counter = field(default_factory=Counter)  # lesson slug -> count
    full: str = ""  # "Name (ACR)" for a defined acronym

    def spellings(self) -> list[str]:
        return _unique([self.display, *self.answers])


@dataclass(frozen=True)
class Occurrence:
    """A term in a sentence: the character span it covers."""

    key: str
    start: int
    end: int
    surface: str
    attributive: bool = False  # "U.S." used as an adjective


def _unique(items: Iterable[str], *, same=_fold) -> list[str]:
    """The non-empty items, without repeats (``same`` says which are equal)."""
    seen, out = set(), []
    for item in items:
        if item and same(item) not in seen:
            seen.add(same(item))
            out.append(item)
    return out


class _Lexicon:
    """Course-wide facts the term finder needs.

    ``lower_words``: the words written in lower case somewhere (a capitalised
    first word of a sentence that is one of them is an ordinary word, not a
    name). ``nouns``: words the course uses as nouns somewhere, right after an
    article, a possessive or a preposition other than "to" ("the conflict",
    "at conflict"); after "to", any other word is read as a verb ("to deepen").
    """

    def __init__(self, sentences: Iterable[str]):
        self.lower_words: set[str] = set()
        self.nouns: set[str] = set()
        for sentence in sentences:
            tokens = _tokens(sentence)
            for i, token in enumerate(tokens):
                if not (token.is_word and token.text.islower()):
                    continue
                self.lower_words.add(token.text)
                cue = tokens[i - 1].text.lower() if i else ""
                if cue in _DETERMINERS or cue in _PREPOSITIONS:
                    self.nouns.add(token.text)


_COUNTRY_SPELLINGS: dict[str, str] = {}  # folded spelling -> country name
for _name in COUNTRIES:
    _COUNTRY_SPELLINGS[_fold(_name)] = _name
for _name, _aliases in _COUNTRY_ALIASES.items():
    for _alias in _aliases:
        _COUNTRY_SPELLINGS[_fold(_alias)] = _name
_DEMONYMS: dict[str, str] = {
    _fold(d): country for country, ds in COUNTRIES.items() for d in ds
}
_REGION_SPELLINGS = {_fold(r) for r in _REGIONS}


def _country_term(name: str) -> Term:
    aliases = _COUNTRY_ALIASES.get(name, [])
    return Term(
        key="country:" + _fold(name),
        kind="country",
        group="country:americas" if name in _AMERICAS else "country:world",
        display=name,
        answers=_unique([name, *aliases, _ascii(name)]),
        takes_the=name in _COUNTRY_TAKES_THE,
    )


def _demonym_term(demonym: str) -> Term:
    country = _DEMONYMS[_fold(demonym)]
    return Term(
        key="demonym:" + _fold(COUNTRIES[country][0]),
        kind="demonym",
        group="demonym:americas" if country in _AMERICAS else "demonym:world",
        display=COUNTRIES[country][0],
        answers=_unique(COUNTRIES[country]),
    )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plural(word: str) -> bool:
    w = word.lower()
    return w.endswith("s") and not w.endswith(("ss", "us", "is", "ics"))


class _TermFinder:
    """Finds the terms of every sentence and keeps one ``Term`` per concept."""

    def __init__(self, lexicon: _Lexicon):
        self.lexicon = lexicon
        self.terms: dict[str, Term] = {}
        self.acronyms: dict[str, str] = {}  # folded name -> acronym, once defined
        self.expansions: dict[str, str] = {}  # acronym -> name, from initials

    def _term(self, term: Term) -> Term:
        known = self.terms.get(term.key)
        if known is None:
            self.terms[term.key] = term
            return term
        for answer in term.answers:
            if _fold(answer) not in {_fold(a) for a in known.answers}:
                known.answers.append(answer)
        if term.full and not known.full:
            known.full = term.full
        return known

    # -- capitalised runs

    def _runs(self, tokens: list[Token], text: str) -> list[tuple[int, int]]:
        """(first, last) token indexes of runs of capitalised words."""
        runs = []
        i = 0
        while i < len(tokens):
            if not (tokens[i].is_word and tokens[i].is_capitalised):
                i += 1
                continue
            j = i
            while j + 1 < len(tokens):
                nxt = tokens[j + 1]
                if not _adjacent(text, tokens[j], nxt):
                    break
                if nxt.is_word and nxt.is_capitalised:
                    j += 1
                    continue
                # "of the" inside a name: a connector followed by a capital.
                k = j + 1
                while (
                    k < len(tokens)
                    and tokens[k].text in _CONNECTORS
                    and _adjacent(text, tokens[k - 1], tokens[k])
                ):
                    k += 1
                if (
                    k > j + 1
                    and k < len(tokens)
                    and tokens[k].is_word
                    and tokens[k].is_capitalised
                    and _adjacent(text, tokens[k - 1], tokens[k])
                ):
                    j = k
                    continue
                break
            runs.append((i, j))
            i = j + 1
        return runs

    def _classify_run(
        self, words: list[Token], text: str, sentence_start: bool
    ) -> list[tuple[Term, int, int, bool]]:
        """Terms in one run of capitalised words: (term, first, last, attributive)."""
        if sentence_start and words:
            first = words[0].text
            if (
                first.lower() in self.lexicon.lower_words
                or first.lower() in STOP_WORDS
                or first.lower() in _ANAPHORIC_OPENERS
                or first.endswith("ly")
            ) and _fold(first) not in _COUNTRY_SPELLINGS:
                words = words[1:]
        while words and words[0].text.lower() in _CONNECTORS:
            words = words[1:]
        while words and words[-1].text.lower() in _CONNECTORS:
            words = words[:-1]
        if not words:
            return []
        surface = text[words[0].start : words[-1].end]
        folded = _fold(surface)
        if folded in _REGION_SPELLINGS:
            return [
                (Term("region:" + folded, "region", "region", surface), 0, -1, False)
            ]
        if folded in _COUNTRY_SPELLINGS:
            return [(_country_term(_COUNTRY_SPELLINGS[folded]), 0, -1, False)]
        if len(words) == 1:
            word = words[0]
            if folded in _DEMONYMS:
                return [(_demonym_term(word.text), 0, -1, False)]
            if word.is_acronym:
                return [(self._acronym(word.text), 0, -1, False)]
            return []  # a lone capitalised word: too vague to be a term
        # A title-cased heading: every ordinary word also occurs in lower case.
        ordinary = [
            w for w in words if not w.is_acronym and w.text.lower() not in _CONNECTORS
        ]
        if ordinary and all(
            w.text.lower() in self.lexicon.lower_words for w in ordinary
        ):
            return [
                (self._acronym(w.text), index, index, False)
                for index, w in enumerate(words)
                if w.is_acronym
            ]
        if (
            _fold(" ".join(w.text for w in words[:2])) in _REGION_SPELLINGS
            and len(words) == 2
        ):
            return [
                (Term("region:" + folded, "region", "region", surface), 0, -1, False)
            ]
        return [(self._name(surface, words[-1].text), 0, -1, False)]

    def link_initials(self) -> None:
        acronyms = {t.display for t in self.terms.values() if t.kind == "acronym"}
        for term in list(self.terms.values()):
            if term.kind != "name":
                continue
            words = [w for w in term.display.split() if w.lower() not in _CONNECTORS]
            initials = "".join(w[0] for w in words)
            if initials in acronyms and _fold(term.display) not in self.acronyms:
                self.acronyms[_fold(term.display)] = initials
                self.expansions.setdefault(initials, term.display)

    def _acronym(self, acronym: str) -> Term:
        if _fold(acronym) in _COUNTRY_SPELLINGS:
            return _country_term(_COUNTRY_SPELLINGS[_fold(acronym)])
        expansion = self.expansions.get(acronym, "")
        return self._term(
            Term(
                key="acronym:" + acronym,
                kind="acronym",
                group="acronym",
                display=acronym,
                answers=_unique([acronym, expansion]),
            )
        )

    def _name(self, surface: str, head: str) -> Term:
        acronym = self.acronyms.get(_fold(surface))
        if acronym:
            return self._acronym(acronym)
        cls = _HEAD_CLASS.get(head, "other")
        return self._term(
            Term(
                key="name:" + _fold(surface),
                kind="name",
                group=f"{cls}:{head}",
                display=surface,
                answers=_unique([surface, _ascii(surface), surface.replace("-", " ")]),
            )
        )

    def find(self, sentence: str) -> list[Occurrence]:
        tokens = _tokens(sentence)
        words_only = [t for t in tokens if t.is_word]
        found: list[Occurrence] = []
        taken: set[int] = set()
        first_word = words_only[0].start if words_only else -1

        # "Name (ACR)": the name and the acronym are one term; the blank covers both.
        for match in re.finditer(r"\(([A-Z][A-Z0-9&]{1,9})\)", sentence):
            acronym = match.group(1)
            before = [t for t in tokens if t.end <= match.start()]
            runs = self._runs(before, sentence)
            if not runs or runs[-1][1] != len(before) - 1:
                continue
            first, last = runs[-1]
            words = before[first : last + 1]
            if words and words[0].start == first_word:
                first = words[0].text.lower()
                if first in self.lexicon.lower_words or first in STOP_WORDS:
                    words = words[1:]  # "The", "Moreover": not part of the name
            while words and words[0].text.lower() in _CONNECTORS:
                words = words[1:]
            if len(words) < 2:
                continue
            name = sentence[words[0].start : words[-1].end]
            self.acronyms[_fold(name)] = acronym
            term = self._term(
                Term(
                    key="acronym:" + acronym,
                    kind="acronym",
                    group="acronym",
                    display=acronym,
                    answers=[acronym, name, _ascii(name)],
                    full=f"{name} ({acronym})",
                )
            )
            start, end = words[0].start, match.end()
            found.append(Occurrence(term.key, start, end, sentence[start:end]))
            taken.update(range(start, end))

        for first, last in self._runs(tokens, sentence):
            words = tokens[first : last + 1]
            if words[0].start in taken:
                continue
            for term, a, b, _ in self._classify_run(
                words, sentence, words[0].start == first_word
            ):
                term = self._term(term)
                span = words[a : (b + 1) if b >= 0 else None]
                if term.kind in ("country", "demonym", "region", "acronym", "name"):
                    span = self._trim_span(span, words, term)
                start, end = span[0].start, span[-1].end
                if any(i in taken for i in range(start, end)):
                    continue
                attributive = False
                if term.kind == "country":
                    attributive = self._attributive(tokens, span[-1])
                found.append(
                    Occurrence(term.key, start, end, sentence[start:end], attributive)
                )
                taken.update(range(start, end))

        found += self._phrases(tokens, sentence, taken)
        return sorted(found, key=lambda o: o.start)

    def _trim_span(self, span, words, term):
        # Drop a sentence-initial common word kept out of the classification.
        target = _fold(term.display)
        for size in range(len(span), 0, -1):
            for offset in range(0, len(span) - size + 1):
                part = span[offset : offset + size]
                text = " ".join(t.text for t in part)
                if _fold(text) in {_fold(s) for s in term.spellings()} or (
                    _fold(text) == target
                ):
                    return part
        # Classification already trimmed the run; keep its tail of the same length.
        length = len(term.display.split())
        return span[-length:] if length <= len(span) else span

    def _attributive(self, tokens: list[Token], last: Token) -> bool:
        """A country written as an adjective: "the U.S. military presence".

        Only abbreviations ("U.S.", "UK") and "United States" are read so; a
        country name before a lower-case word is usually the subject of a verb.
        """
        if last.text not in ("U.S.", "US", "U.K.", "UK", "States"):
            return False
        index = tokens.index(last)
        if index + 1 >= len(tokens):
            return False
        nxt = tokens[index + 1]
        return (
            nxt.is_word
            and nxt.text.islower()
            and nxt.text not in STOP_WORDS
            and nxt.text not in _VERB_FORMS
        )

    # -- lower-case noun phrases

    def _phrases(
        self, tokens: list[Token], sentence: str, taken: set[int]
    ) -> list[Occurrence]:
        chunks: list[list[Token]] = []
        current: list[Token] = []
        for i, token in enumerate(tokens):
            word = token.text
            form = _VERB_FORMS.get(word)
            if word.endswith("ing") and len(word) > 5 and form is None:
                form = "ing"  # forging, posing: verbs unless used as nouns
            elif word.endswith("ed") and len(word) > 4 and form is None:
                form = "ed"  # suspended: a verb, or a participle before a noun
            cue = tokens[i - 1].text.lower() if i else ""
            if (
                cue == "to"
                and form is None
                and word not in self.lexicon.nouns
                and not _plural(word)
            ):
                form = "base"  # "to deepen trade": an infinitive
            noun_cue = cue in _DETERMINERS or (form != "ing" and cue in _PREPOSITIONS)
            breaks = (
                not token.is_word
                or token.start in taken
                or not word.islower()
                or word in STOP_WORDS
                or word.isdigit()
                or (word.endswith("ly") and word not in ("supply", "family", "ally"))
                or form == "ed"
                # "collaboration fosters", "to contribute", "by promoting": verbs;
                # "the focus", "of needs", "drug trafficking": nouns.
                or (form == "s" and not noun_cue)
                or (form in ("base", "ing") and not current and not noun_cue)
                # "nations engage", "missions illustrate": a plural subject's verb.
                or (form in ("base", "ing") and current and _plural(current[-1].text))
                # "disaster relief involve": a verb unless the course uses the
                # word as a noun somewhere ("logistics support" after "of support").
                or (form == "base" and current and word not in self.lexicon.nouns)
                # "members trade": after a plural, a singular word the course
                # never uses as a noun is the verb.
                or (
                    form is None
                    and current
                    and _plural(current[-1].text)
                    and not _plural(word)
                    and word not in self.lexicon.nouns
                )
                or (current and not _adjacent(sentence, tokens[i - 1], token))
            )
            if breaks:
                if current:
                    chunks.append(current)
                current = []
                continue
            current.append(token)
        if current:
            chunks.append(current)
        found = []
        for chunk in chunks:
            while chunk and (
                chunk[0].text in _EVALUATIVE or chunk[0].text.endswith("ed")
            ):
                chunk = chunk[1:]
            if len(chunk) > 3:
                chunk = chunk[-3:]
            if not chunk or chunk[-1].text.endswith(_ADJECTIVE_ENDINGS):
                continue  # no noun at the end: not a noun phrase
            text = sentence[chunk[0].start : chunk[-1].end]
            if len(text) < 5:
                continue
            term = self._term(
                Term(
                    key="phrase:" + _fold(text),
                    kind="phrase",
                    group="plural" if _plural(chunk[-1].text) else "singular",
                    display=text,
                    answers=_unique([text, text.replace("-", " "), _ascii(text)]),
                )
            )
            found.append(Occurrence(term.key, chunk[0].start, chunk[-1].end, text))
        return found


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Only spaces between two tokens (no punctuation, no line break)."""
    between = text[left.end : right.start]
    return between == "" or between.isspace()


def find_terms(sentences: Sequence[str]) -> tuple[list[list[Occurrence]], dict]:
    """The term occurrences of each sentence, and the terms by key."""
    finder = _TermFinder(_Lexicon(sentences))
    # Two passes: a "Name (ACR)" definition late in the text still names the
    # same organisation when the name appears alone earlier, and an acronym made
    # of a name's initials ("UN", "United Nations") is the same term.
    for sentence in sentences:
        finder.find(sentence)
    finder.link_initials()
    finder.terms = {}
    occurrences = [finder.find(sentence) for sentence in sentences]
    return occurrences, finder.terms


# ------------------------------------------------------------------ drafting


@dataclass(frozen=True)
class _Sentence:
    lesson: str
    index: int
    text: str
    occurrences: tuple[Occurrence, ...]
    content: frozenset[str]  # stems of its content words


def _content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content (no stop words, no short words)."""
    return frozenset(
        _stem(token.text)
        for token in _tokens(text)
        if token.is_word
        and len(token.text) >= 3
        and token.text.lower() not in STOP_WORDS
    )


class _Course:
    """Every sentence of the course with its terms, and the statistics over them."""

    def __init__(self, lessons: Sequence[LessonText]):
        self.lessons = {lesson.slug: lesson for lesson in lessons}
        raw: list[tuple[str, int, str]] = []
        for lesson in lessons:
            for index, text in enumerate(plain_sentences(lesson.markdown)):
                raw.append((lesson.slug, index, text))
        occurrences, self.terms = find_terms([text for _, _, text in raw])
        self.sentences: list[_Sentence] = []
        for (slug, index, text), found in zip(raw, occurrences, strict=True):
            sentence = _Sentence(slug, index, text, tuple(found), _content_stems(text))
            self.sentences.append(sentence)
            for occurrence in found:
                self.terms[occurrence.key].lessons[slug] += 1
        self.by_term: dict[str, list[_Sentence]] = defaultdict(list)
        for sentence in self.sentences:
            for key in {o.key for o in sentence.occurrences}:
                self.by_term[key].append(sentence)
        count = len(self.sentences) or 1
        df: Counter = Counter()
        for sentence in self.sentences:
            df.update(sentence.content)
        self.stem_idf = {stem: math.log(count / n) + 0.1 for stem, n in df.items()}
        # Words in more than one sentence in ten say little about a sentence.
        self.common = {stem for stem, n in df.items() if n > count / 10}
        self.lesson_count = max(1, len(self.lessons))

    def idf(self, term: Term) -> float:
        return math.log(self.lesson_count / max(1, len(term.lessons))) + 0.1

    def supported(
        self, sentence: _Sentence, occurrence: Occurrence, alternative: str
    ) -> bool:
        """Does the course say what ``sentence`` says, of ``alternative``?

        True when a sentence mentioning ``alternative`` shares at least
        ``SUPPORT_THRESHOLD`` of the IDF weight of this sentence's content words,
        or two of its three rarest content words, or three of its words that are
        not common in the course (the words of the term and of the alternative
        left out): "The Argentine Armed
        Forces actively engage in various bilateral and multilateral military
        agreements" supports "The _____ actively engage in bilateral and
        multilateral endeavors".
        """
        weights = self.stem_idf
        base = sentence.content - _content_stems(occurrence.surface)
        total = sum(weights.get(stem, 0.0) for stem in base)
        if total <= 0:
            return True
        rarest = set(sorted(base, key=lambda stem: (-weights.get(stem, 0.0), stem))[:3])
        spelled = frozenset().union(
            *(_content_stems(s) for s in self.terms[alternative].spellings())
        )
        for other in self.by_term.get(alternative, ()):
            if other is sentence:
                continue
            shared = base & (other.content - spelled)
            if len(shared & rarest) >= 2 or len(shared - self.common) >= 3:
                return True
            if sum(weights.get(stem, 0.0) for stem in shared) >= (
                SUPPORT_THRESHOLD * total
            ):
                return True
        return False


def _is_key(term: Term, course: _Course) -> bool:
    """Names and the like always are; a phrase when specific to a few lessons."""
    if term.kind == "region":
        return False
    if term.kind != "phrase":
        return True
    words = _fold(term.display).replace("-", " ").split()
    if all(word in GENERIC_WORDS or word in _EVALUATIVE for word in words):
        return False
    if len(term.lessons) > max(2, math.ceil(course.lesson_count / 4)):
        return False
    if len(words) == 1:
        # A single word must be a specific one the course uses more than once.
        return len(words[0]) >= 8 and sum(term.lessons.values()) >= 2
    return True


def _term_weight(term: Term, lesson: str, course: _Course) -> float:
    tf = term.lessons.get(lesson, 0)
    bonus = {"acronym": 1.5, "name": 1.5, "country": 1.0, "demonym": 0.8}.get(
        term.kind, 1.0
    )
    return (1 + math.log(tf)) * course.idf(term) * bonus if tf else 0.0


def _sentence_weight(sentence: _Sentence) -> float:
    words = _word_count(sentence.text)
    if 12 <= words <= 30:
        return 1.0
    return 0.8


def _in_title(term: Term, title: str) -> bool:
    folded = _fold(title)
    for spelling in term.spellings():
        if re.search(rf"(?<!\w){re.escape(_fold(spelling))}(?!\w)", folded):
            return True
    # "Peruvian Armed Forces" in a lesson titled "Peru".
    words = {_fold(w) for w in re.findall(r"\w+", term.display)}
    for word in (t.text for t in _tokens(title) if t.is_word):
        country = _COUNTRY_SPELLINGS.get(_fold(word))
        if country and any(_fold(d) in words for d in COUNTRIES[country]):
            return True
        country = _DEMONYMS.get(_fold(word))
        if country and _fold(country) in words:
            return True
    return False


def _has_finite_verb(text: str) -> bool:
    """A sentence, not a list item's fragment ("Expansion of joint exercises.").

    A finite verb: an auxiliary, a verb in "-s" or "-ed", or a verb's base form
    after a plural subject ("The Armed Forces actively engage").
    """
    words = [t.text for t in _tokens(text) if t.is_word]
    for index, word in enumerate(words[1:], 1):
        form = _VERB_FORMS.get(word)
        if word in _AUXILIARIES or form in ("s", "ed"):
            return True
        if form == "base":
            before = index - 1
            while before > 0 and words[before].endswith("ly"):
                before -= 1
            subject = words[before]
            if _plural(subject) or subject.lower() in ("they", "we", "who", "which"):
                return True
    return False


def _usable_sentence(sentence: _Sentence) -> bool:
    text = sentence.text
    if not text.endswith(".") or text.endswith("..."):
        return False
    if _POINTS_BACK.search(text):
        return False  # "shaping these advancements": unclear on its own
    if not _has_finite_verb(text):
        return False
    words = _word_count(text)
    if not MIN_WORDS <= words <= MAX_WORDS:
        return False
    first = text.split(None, 1)[0].strip(",;:").lower()
    if first in _ANAPHORIC_OPENERS:
        return False
    return not re.match(r"(?i)^(?:the|this|such)\s+(?:latter|former)\b", text)


def _is_example(sentence: _Sentence, occurrence: Occurrence) -> bool:
    """Is the term an example ("such as X") or one item of a list ("X and Y")?"""
    text = sentence.text
    before = _fold(text[: occurrence.start])
    after = _fold(text[occurrence.end :])
    lead = re.sub(r"\b(?:the|a|an)\s*$", "", before.rstrip()).rstrip(" ,")
    if any(lead.endswith(marker) for marker in _EXAMPLE_MARKERS):
        return True
    if re.match(r"\s*,?\s*(?:and|or|as well as)\s", after):
        return True
    if re.match(r"\s*,\s*[^,.;:]{1,40},?\s+(?:and|or)\s", after):
        return True  # "X, Y, and Z"
    if re.search(r"(?:\band|\bor|\bas well as)\s+(?:the\s+)?$", before):
        return True
    return bool(re.search(r",\s*(?:the\s+)?$", before) and re.match(r"\s*,", after))


# Classes of names close to each other: actors, and things actors do or sign.
_AFFINE = {
    "force": "actor",
    "organisation": "actor",
    "agreement": "deed",
    "event": "deed",
}


def _modified(text: str, occurrence: Occurrence) -> bool:
    """Is the phrase the tail of a longer noun phrase ("operational readiness")?

    Blanking it would test the collocation, not the concept.
    """
    before = re.search(r"(\w[\w-]*)\s+$", text[: occurrence.start])
    if before is None:
        return False
    word = before.group(1)
    return (
        word.islower()
        and word not in STOP_WORDS
        and _VERB_FORMS.get(word) is None
        and not word.endswith(("ing", "ed"))
    )


def _modifies(text: str, occurrence: Occurrence) -> bool:
    """Is the term a modifier of the noun after it ("UN peacekeeping missions")?"""
    after = re.match(r"\s+([a-z][\w-]*)", text[occurrence.end :])
    if after is None:
        return False
    word = after.group(1)
    return not (
        word in STOP_WORDS or word in _VERB_FORMS or word.endswith(("ly", "ed"))
    )


def _related_keys(term: Term) -> set[str]:
    """The term's key, and those of the countries and demonyms it names."""
    countries: set[str] = set()
    for token in _tokens(term.display):
        folded = _fold(token.text)
        if folded in _DEMONYMS:
            countries.add(_DEMONYMS[folded])
        elif folded in _COUNTRY_SPELLINGS:
            countries.add(_COUNTRY_SPELLINGS[folded])
    keys = {term.key}
    for country in countries:
        keys.add("country:" + _fold(country))
        keys.add("demonym:" + _fold(COUNTRIES[country][0]))
    return keys


def _closeness(group: str, other: str) -> int:
    """0: same head word ("Forces"); 1: same class; 2: affine class; 3: other."""
    if group == other:
        return 0
    mine, theirs = group.split(":")[0], other.split(":")[0]
    if mine == theirs:
        return 1
    if _AFFINE.get(mine, mine) == _AFFINE.get(theirs, theirs):
        return 2
    return 3


def _occurrence_kind(occurrence: Occurrence, term: Term) -> str:
    return "demonym" if occurrence.attributive else term.kind


class _Drafter:
    def __init__(self, lesson: LessonText, course: _Course, seed: int):
        self._blankable: set[tuple[int, int]] = set()
        self._true_statements = 0
        self._true_limit = 1
        self.lesson = lesson
        self.course = course
        self.seed = seed
        self.sentences = [s for s in course.sentences if s.lesson == lesson.slug]

    def rng(self, *parts: object) -> random.Random:
        material = "\x1f".join(str(p) for p in (self.seed, self.lesson.slug, *parts))
        return random.Random(hashlib.sha256(material.encode()).hexdigest())

    # -- which terms a sentence may blank

    def candidates(self, sentence: _Sentence) -> list[tuple[Occurrence, float, bool]]:
        """(key term, weight, whether it may be blanked or swapped).

        A term that may not be blanked still makes its sentence a candidate
        true statement: "The Brazilian Armed Forces are recognized for their
        size" is a fine true/false question in the lesson "Brazil".
        """
        if not _usable_sentence(sentence):
            return []
        result = []
        counts = Counter(o.key for o in sentence.occurrences)
        for occurrence in sentence.occurrences:
            term = self.course.terms[occurrence.key]
            kind = _occurrence_kind(occurrence, term)
            if not _is_key(term, self.course):
                continue
            # Another term of the same kind in the sentence would be a give-away
            # among the options ("Peru and _____"); lower-case phrases are many
            # in every sentence, and only the distractors must differ from them.
            others = [
                o
                for o in sentence.occurrences
                if o is not occurrence
                and kind != "phrase"
                and _occurrence_kind(o, self.course.terms[o.key]) == kind
            ]
            blankable = not (
                counts[occurrence.key] != 1
                or _in_title(term, self.lesson.title)
                or _is_example(sentence, occurrence)
                or others
                or self._mentions_relative(sentence, occurrence, term)
                or (kind == "phrase" and _modified(sentence.text, occurrence))
            )
            weight = _term_weight(term, self.lesson.slug, self.course)
            result.append((occurrence, weight * _sentence_weight(sentence), blankable))
        return result

    def _mentions_relative(
        self, sentence: _Sentence, occurrence: Occurrence, term: Term
    ) -> bool:
        """ "Peru ... Peruvian": the country or demonym gives the blank away."""
        rest = _fold(
            sentence.text[: occurrence.start] + sentence.text[occurrence.end :]
        )
        related: list[str] = []
        if term.kind == "country":
            related = COUNTRIES.get(term.display, [])
        elif term.kind == "demonym":
            country = _DEMONYMS.get(_fold(term.display))
            related = [country] if country else []
        elif term.kind == "acronym" and term.full:
            related = [term.display]
        return any(
            re.search(rf"(?<!\w){re.escape(_fold(r))}(?!\w)", rest) for r in related
        )

    # -- alternatives of the same kind

    def alternatives(self, sentence: _Sentence, occurrence: Occurrence) -> list[Term]:
        """Terms that could replace the occurrence and make the sentence false."""
        term = self.course.terms[occurrence.key]
        kind = _occurrence_kind(occurrence, term)
        present = {o.key for o in sentence.occurrences}
        own = _related_keys(term)
        pool = []
        for other in self.course.terms.values():
            if other.key == term.key or other.key in present:
                continue
            if other.kind != kind or own & _related_keys(other):
                continue
            if not any(slug != self.lesson.slug for slug in other.lessons):
                continue  # distractors come from elsewhere in the course
            if other.kind == "phrase" and not self._phrase_matches(term, other):
                continue
            if other.kind == "region":
                continue
            if kind == "demonym" and term.key == other.key:
                continue
            if _fold(other.display) in _fold(term.display) or _fold(
                term.display
            ) in _fold(other.display):
                continue
            if self._supported(sentence, occurrence, other):
                continue
            pool.append(other)
        # Closest first: the same head word, then the same group, then the rest;
        # the seed shuffles within each rank.
        head = term.group
        rng = self.rng("alternatives", sentence.index, occurrence.key)
        ranked: dict[int, list[Term]] = defaultdict(list)
        for other in sorted(pool, key=lambda t: t.key):
            ranked[_closeness(head, other.group)].append(other)
        ordered: list[Term] = []
        for rank in sorted(ranked):
            group = ranked[rank]
            rng.shuffle(group)
            ordered += group
        if kind == "demonym" and term.kind == "country":
            # "U.S." as an adjective: also not its own demonym ("American").
            own = COUNTRIES.get(term.display, [])
            ordered = [t for t in ordered if _fold(t.display) not in map(_fold, own)]
        return ordered

    def _phrase_matches(self, term: Term, other: Term) -> bool:
        if term.group != other.group:
            return False
        if not _is_key(other, self.course):
            return False
        # A shared word makes a near-synonym ("multilateral efforts" and
        # "multilateral agreements"): it could be right too.
        words = {_stem(w) for w in re.findall(r"\w+", term.display)}
        if words & {_stem(w) for w in re.findall(r"\w+", other.display)}:
            return False
        return abs(len(term.display.split()) - len(other.display.split())) <= 1

    def _supported(
        self, sentence: _Sentence, occurrence: Occurrence, other: Term
    ) -> bool:
        """Does the course say the sentence of ``other`` or of its country?

        "Brazilian Armed Forces" is said of whatever the course says of Brazil
        or of the Brazilians; a demonym of whatever it says of its country.
        """
        return any(
            key in self.course.terms
            and self.course.supported(sentence, occurrence, key)
            for key in sorted(_related_keys(other))
        )

    def ambiguous(self, sentence: _Sentence, occurrence: Occurrence) -> bool:
        """Could another term of the same kind fill the blank, per the course?

        Checked for names, acronyms, countries and demonyms. A lower-case phrase
        shares words with half the course, so the check would refuse them all;
        a phrase cloze asks for the lesson's wording, which the reviewer judges.
        """
        term = self.course.terms[occurrence.key]
        kind = _occurrence_kind(occurrence, term)
        if kind == "phrase":
            return False
        present = {o.key for o in sentence.occurrences}
        own = _related_keys(term)
        for other in self.course.terms.values():
            if other.key in present or other.kind != kind:
                continue
            if own & _related_keys(other):
                continue  # "American" for "U.S.": the same country
            if self._supported(sentence, occurrence, other):
                return True
        return False

    # -- building the question dicts

    def blanked(self, sentence: _Sentence, occurrence: Occurrence) -> str:
        return (
            sentence.text[: occurrence.start] + BLANK + sentence.text[occurrence.end :]
        )

    def swapped(self, sentence: _Sentence, occurrence: Occurrence, other: Term) -> str:
        text = sentence.text
        start, end = occurrence.start, occurrence.end
        term = self.course.terms[occurrence.key]
        replacement = self._option_text(other, occurrence, term)
        before = text[:start]
        has_the = re.search(r"(?i)\bthe\s+$", before)
        if other.kind == "country" and not occurrence.attributive:
            if other.takes_the and not has_the:
                replacement = "the " + replacement
            elif not other.takes_the and has_the and term.takes_the:
                before = before[: has_the.start()]
        out = before + replacement + text[end:]
        return out[0].upper() + out[1:]

    def _option_text(self, other: Term, occurrence: Occurrence, term: Term) -> str:
        """How an alternative is written in the place of the occurrence."""
        if (
            other.kind == "acronym"
            and other.full
            and occurrence.surface != term.display
        ):
            return other.full
        return other.display

    def general_feedback(self, sentence: _Sentence) -> str:
        return f"See the section “{self.lesson.title}”: {sentence.text}"

    def key(self, kind: str, sentence: _Sentence, *parts: str) -> str:
        digest = hashlib.sha1(
            "\x1f".join([kind, sentence.text, *parts]).encode("utf-8")
        ).hexdigest()[:10]
        slug = self.lesson.slug[: KEY_MAX_LENGTH - len("draft--") - len(digest)]
        return f"draft-{slug}-{digest}"

    def base(self, kind: str, qtype: str, sentence: _Sentence, key: str) -> dict:
        return {
            "type": qtype,
            "title": "",
            "text": "",
            "format": "markdown",
            "general_feedback": self.general_feedback(sentence),
            "default_mark": 1.0,
            "tags": ["draft", f"draft:{kind}"],
            "key": key,
            "lesson": self.lesson.slug,
        }

    def specific(self, sentence: _Sentence) -> bool:
        """Does the sentence say something specific, beyond names and praise?

        "Brazil plays a significant role in military diplomacy ... through its
        robust military capabilities" is true of every country of the course: a
        true statement needs a key phrase of the course as well.
        """
        return any(
            self.course.terms[o.key].kind == "phrase"
            and _is_key(self.course.terms[o.key], self.course)
            for o in sentence.occurrences
        )

    def specificity(self, sentence: _Sentence) -> float:
        """How much the sentence says beyond names: the IDF of its key phrases."""
        return sum(
            self.course.idf(term)
            for term in {
                self.course.terms[o.key].key: self.course.terms[o.key]
                for o in sentence.occurrences
            }.values()
            if term.kind == "phrase" and _is_key(term, self.course)
        )

    def blankable(self, sentence: _Sentence, occurrence: Occurrence) -> bool:
        return (sentence.index, occurrence.start) in self._blankable

    def cloze(self, sentence: _Sentence, occurrence: Occurrence) -> dict | None:
        if not self.blankable(sentence, occurrence):
            return None
        term = self.course.terms[occurrence.key]
        # A typed answer needs one spelling a student can be expected to give:
        # a name. A lower-case phrase tested the lesson's wording ("fostering
        # _____" for "security dialogues"), so phrases are asked with choices.
        if _occurrence_kind(occurrence, term) == "phrase":
            return None
        if self.ambiguous(sentence, occurrence):
            return None
        spellings = [occurrence.surface, *term.spellings()]
        if occurrence.attributive:
            spellings += COUNTRIES.get(term.display, [])
        # Grading ignores case and accents; Moodle (after a GIFT export) does not.
        answers = _unique(
            [
                variant
                for spelling in spellings
                for variant in (spelling, _ascii(spelling), spelling.replace("-", " "))
            ],
            same=str.casefold,
        )
        question = self.base(
            "cloze", "shortanswer", sentence, self.key("cloze", sentence, term.key)
        )
        question["title"] = _title(
            "Fill in the blank", self.blanked(sentence, occurrence)
        )
        question["text"] = (
            f"Fill in the blank (lesson “{self.lesson.title}”):\n\n"
            + self.blanked(sentence, occurrence)
        )
        question["answers"] = [
            {"text": answer, "fraction": 1.0, "feedback": ""} for answer in answers
        ]
        question["case_sensitive"] = False
        return question

    def truefalse(
        self, sentence: _Sentence, occurrence: Occurrence, want_false: bool
    ) -> dict | None:
        term = self.course.terms[occurrence.key]
        statement = sentence.text
        other = None
        # A statement must be about a name: swapping lower-case phrases gave odd
        # or debatable statements ("requires transnational threats that..."),
        # and true ones were platitudes ("Training ... encompasses programs").
        if _occurrence_kind(occurrence, term) == "phrase":
            return None
        if want_false and not self.blankable(sentence, occurrence):
            return None
        if want_false and _modifies(sentence.text, occurrence):
            # "UN peacekeeping missions" -> "CSD peacekeeping missions": a name
            # used as a modifier swaps into nonsense, not into a false statement.
            return None
        if not want_false and (
            self._true_statements >= self._true_limit or not self.specific(sentence)
        ):
            return None
        if want_false:
            # From another lesson: a lesson that names both terms often says the
            # same of both, and "not said" is not "false".
            # Of the same class too: "the Inter-American Defense College have
            # participated" for "the Peruvian Armed Forces" was neither English
            # nor clearly false.
            options = [
                alternative
                for alternative in self.alternatives(sentence, occurrence)
                if _closeness(term.group, alternative.group) <= 1
                and not any(
                    self.lesson.slug in self.course.terms[key].lessons
                    for key in _related_keys(alternative)
                    if key in self.course.terms
                )
            ]
            if not options:
                return None
            other = options[0]
            statement = self.swapped(sentence, occurrence, other)
        parts = [term.key, other.key if other else ""]
        question = self.base(
            "truefalse", "truefalse", sentence, self.key("truefalse", sentence, *parts)
        )
        question["title"] = _title("True or false", statement)
        question["text"] = (
            f"According to the lesson “{self.lesson.title}”, is this statement "
            f"true or false?\n\n{statement}"
        )
        question["correct"] = other is None
        if other is None:
            question["feedback_true"] = "Right: the lesson says so."
            question["feedback_false"] = "The lesson says exactly this."
        else:
            shown = self._option_text(other, occurrence, term)
            question["feedback_true"] = (
                f"No: the lesson says {occurrence.surface}, not {shown}."
            )
            question["feedback_false"] = (
                f"Right: the lesson says {occurrence.surface}, not {shown}."
            )
        return question

    def single(self, sentence: _Sentence, occurrence: Occurrence) -> dict | None:
        if not self.blankable(sentence, occurrence):
            return None
        term = self.course.terms[occurrence.key]
        # Names of an unrelated class make absurd options ("the actions of the
        # Amazon Cooperation Treaty"): actors stay actors.
        distractors = [
            alternative
            for alternative in self.alternatives(sentence, occurrence)
            if _closeness(term.group, alternative.group) <= 2
        ][:3]
        if len(distractors) < 3:
            return None
        correct = occurrence.surface
        texts = [correct] + [
            self._option_text(d, occurrence, term) for d in distractors
        ]
        if len({_fold(t) for t in texts}) < 4:
            return None
        rng = self.rng("options", sentence.index, occurrence.key)
        order = list(range(4))
        rng.shuffle(order)
        question = self.base(
            "single",
            "single",
            sentence,
            self.key("single", sentence, term.key, *sorted(d.key for d in distractors)),
        )
        question["title"] = _title(
            "Choose the term", self.blanked(sentence, occurrence)
        )
        question["text"] = (
            f"Which term completes this sentence from the lesson "
            f"“{self.lesson.title}”?\n\n" + self.blanked(sentence, occurrence)
        )
        question["options"] = []
        for label, index in zip("abcd", order, strict=True):
            text = texts[index]
            question["options"].append(
                {
                    "id": label,
                    "text": text,
                    "fraction": 1.0 if index == 0 else 0.0,
                    "feedback": "Right."
                    if index == 0
                    else f"The lesson says {correct}.",
                }
            )
        return question

    def draft(self, count: int) -> list[dict]:
        # True statements are the easiest drafts to make and the likeliest to be
        # platitudes ("engage in bilateral and multilateral agreements"): a
        # third of the drafts at most, the most specific sentences first.
        self._true_limit = max(1, count // 3)
        ranked = []
        for sentence in self.sentences:
            for occurrence, weight, blankable in self.candidates(sentence):
                ranked.append(
                    (-weight, sentence.index, occurrence.start, sentence, occurrence)
                )
                if blankable:
                    self._blankable.add((sentence.index, occurrence.start))
        ranked.sort(key=lambda item: item[:3])
        self._ranked = [(s, o) for *_, s, o in ranked]
        self._ranked_specific = sorted(
            self._ranked, key=lambda pair: -self.specificity(pair[0])
        )
        self._used_sentences: set[int] = set()
        self._used_terms: Counter = Counter()
        drafts: list[dict] = []
        # Choices before statements: a sentence with a specific phrase makes the
        # better multiple-choice question, and true statements want one too.
        makers = {
            "cloze": [lambda: self._pick(self.cloze)],
            "single": [lambda: self._pick(self.single)],
            "truefalse": [
                lambda: self._pick(lambda s, o: self.truefalse(s, o, want_false=True)),
                lambda: self._pick(
                    lambda s, o: self.truefalse(s, o, want_false=False),
                    self._ranked_specific,
                ),
            ],
        }
        # Whether the first true/false draft is false; they alternate after it.
        false_first = self.rng("truefalse").random() < 0.5
        exhausted: set[str] = set()
        turn = 0
        while len(drafts) < count and len(exhausted) < len(makers):
            kind = list(makers)[turn % len(makers)]
            turn += 1
            if kind in exhausted:
                continue
            options = makers[kind]
            if kind == "truefalse" and not false_first:
                options = options[::-1]
            made = None
            for make in options:
                made = make()
                if made is not None:
                    break
            if made is None:
                exhausted.add(kind)
                continue
            if kind == "truefalse":
                false_first = not false_first
                self._true_statements += made["correct"]
            drafts.append(made)
        return drafts

    def _pick(self, make, ranked=None) -> dict | None:
        """The best candidate ``make`` turns into a question, marked as used."""
        # Prefer terms not used yet; then allow a second question on a term.
        for reuse in (0, 1):
            for sentence, occurrence in ranked or self._ranked:
                if sentence.index in self._used_sentences:
                    continue
                if self._used_terms[occurrence.key] > reuse:
                    continue
                made = make(sentence, occurrence)
                if made is not None:
                    self._used_sentences.add(sentence.index)
                    self._used_terms[occurrence.key] += 1
                    return made
        return None


def _title(label: str, text: str, words: int = 8) -> str:
    parts = text.split()
    snippet = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return f"{label}: {snippet}"[:200]


def draft_questions(
    lesson: LessonText,
    course: Sequence[LessonText],
    *,
    count: int = 6,
    seed: int = 0,
) -> list[dict]:
    """Up to ``count`` draft question dicts for ``lesson``, best first.

    ``course`` holds the course's lessons (the lesson itself may be among them);
    distractors and swapped terms come from the others.
    """
    lessons = [other for other in course if other.slug != lesson.slug]
    stats = _Course([lesson, *lessons])
    return _Drafter(lesson, stats, seed).draft(count)
