"""Plain text, such as an article copied from a web page: the structure is guessed.

Plain-text heuristics
---------------------
The text is split into *blocks* at blank lines. The guesses below are meant to
be right for ordinary articles; whatever they get wrong an instructor can fix in
the admin, or up front with hints (rule 7).

1. **Title.** The first non-empty line is the course title, with two
   exceptions for pages copied from a browser, whose first lines are the site's
   furniture. A post's title stands above its byline: among the lines before
   the article's text begins (a line of 15 words or more, or a sentence of four
   or more ending in ``.``; at most 40 lines), the longest one shaped like a
   heading (rule 2) that has a date (``March 10, 2015``, ``10 March 2015``,
   ``2015-03-10``) within the next three lines is the title; the lines before
   it and the rest of its block stay as text of the introduction. Otherwise,
   when the first block is two heading-like lines, the first of at most three
   words, followed by body text, the first is a site's name above the
   article's title, and stays as text of the introduction. A trailing site name
   is dropped: a final `` - X``, `` | X``, `` – X`` or `` — X`` segment whose
   ``X`` has at most five words and no sentence punctuation (``.``, ``!``, ``?``,
   ``:``, ``;`` or ``,`` followed by a space or ending the text; a dot inside
   ``Example.com`` does not count). Only separators with spaces on both sides
   count, so ``Cost-Benefit Analysis`` is never cut. If the next block repeats
   the title exactly (with or without the site name) it is the title again and
   is dropped, rather than being read as a heading or as body text.
2. **Headings.** A block is *heading-like* when it is exactly one line of at most
   12 words and 100 characters that does not end in ``.``, ``!``, ``?``, ``:``,
   ``;``, ``,`` or `` *`` (a form's required field), is not a bullet (rule 3),
   holds no tab (a table's row), is not a
   caption (``Figure 2: ...``, ``Table 1. ...``), a link line (``Read more about
   ...``, ``Learn more ...``), a callout box's title (``Note``, ``Tip``,
   ``Warning`` ...) or a web page's furniture (``Skip to content``, ``Posted by
   ...``, ``About the Author``, ``2 comments``, ``Next article ...``,
   ``Related posts``), and
   starts with an uppercase letter or a digit (after an
   emoji, if any) or is a name from code (``render_template``, ``fetch()``,
   ``json.dumps``, ``arrayBuffer``; a web address such as ``blog.example.com``
   is none). A heading-like block is a heading only when
   the block after it is body text, that is, not itself a heading, and does not
   start with a copyright or licence notice (a footer); this is decided
   from the end of the document backwards. So the last block can never be a
   heading. Two heading-like blocks in a row between body texts are both
   headings: a heading over an empty section, then its first sub-section (two
   such lines glued together in one block count as two blocks, unless the break
   falls next to a stop word: "Two Lines" / "Of Heading" is one wrapped line).
   In longer runs (a menu), every other line counting back from the last one is
   a heading, and the others stay body text. A heading-like line glued to the
   end of a block after a finished sentence (or one ending with words in
   brackets, "... (Bug 1202)"), code or a link line is a block of its own.
   Inside a block (a web page's list copied without its bullets), a
   run of one to three *short* lines (heading-like, at most six words, not a name
   from code) between lines of at least four words, and not after a line
   ending in ``:``, is a run of headings glued to the text; the line after the
   run must not start in lower case unless the run's last line is in title
   case (else it is a wrapped paragraph). Longer runs are a list of short items.
   The article ends at the first block that follows an article on its page
   (``Next article <title>``, ``2 comments on ...``, ``Leave a reply``, ``About
   the Author``, ``Related posts`` ...): from there on, and in the block right
   before it (a download or share link), nothing is a heading, unless no
   heading at all comes before it. Everything else is body text.

   Two signals from wikis override the guesses: a line ending in ``[edit]`` is
   a heading (without the ``[edit]``), wherever it stands; and when the text
   holds a numbered contents list (a block ``Contents`` followed only by lines
   such as ``1 History`` and ``1.1 Early years``), the headings are exactly the
   first lines after it that repeat one of its entries (with or without its
   number), whatever they look like, and the list itself stays body text; when
   no line repeats an entry, the list is just text and the usual rules apply.
3. **Body text.** Lines starting (after optional indentation) with ``•``, ``◦``,
   ``▪``, ``-`` or ``*`` and a space become Markdown bullet items (``- text``);
   lines starting with a number of up to three digits followed by ``.`` or ``)``
   and a space become numbered items (``1. text``, keeping the number).
   Consecutive items form one list, with a blank line before and after it so
   that it renders as a list. An item indented deeper than the item before it is
   nested under that one; an indented line that is not an item, directly after
   an item, continues that item. Paragraph lines are kept verbatim, apart from
   their leading and trailing whitespace (which Markdown would otherwise read
   as a code block or a line break): nothing is reflowed and no character is
   changed, except that a line starting with ``#`` (a shell comment) gets a
   backslash so that it is not read as a Markdown heading. A block of two or
   more lines, at least two thirds of them shaped like code (ending in ``;``,
   ``{``, ``}`` or a bracket, but not a sentence of four or more words ending
   with words in brackets such as ``(Bug 1202)``, an assignment, a call, a
   keyword such as ``const`` or ``def``...), is kept as it is in a fenced code
   block, so its line breaks survive.
4. **Introduction.** Body text before the first heading becomes a lesson titled
   "Introduction" (with an empty ``source_heading``) in a module of the same
   name.
5. **Nesting** (two levels only). Each heading starts a top-level section unless
   it is a sub-section of the most recent top-level section P. Stronger signals
   come first, and the structure stays flat when none is sure:

   a. A heading listed in a contents list (rule 2) takes its number from it; a
      numbered heading (``2.1 Scope``, ``2.1. Scope``) nests under P exactly
      when P is numbered with its parent number (``2``), and a third-level
      number (``2.1.1``) stays a heading (``###``) inside the lesson of the
      sub-section before it. A numbered heading never nests by words.
   b. A notice's title (``Important: Sync your profile``, ``Note: ...``) is a
      sub-section of P. A heading over an empty section (rule 2) holds the
      headings after it, up to the next heading over an empty section.
   c. Otherwise words decide, when they show that P's text introduces H. A
      heading's *content words* are its words, lowercased (``U.S.`` is the word
      ``u.s.`` and a possessive ``'s`` is dropped), less stop words and less the
      words that the course title mentions. A word is *mentioned* by a text
      when some word of the text shares its first five letters (or equals it,
      for words shorter than five letters), so a title with "America" drops
      "American" from headings too. A heading H nests under P when all hold:

      - H has at least one content word and no more content words than P's
        heading: a sub-topic is named at least as narrowly as its parent, and a
        heading longer than the section heading above it starts a new topic;
      - at least two thirds of H's content words are mentioned in P's *own*
        body (the paragraphs directly under P, not those of its sub-sections):
        a section usually introduces the sub-topics that follow it;
      - no earlier text (the introduction or one of the 50 section bodies
        before P) names both P's heading and H's heading, word for word: then
        they were introduced together, as peers ("Headers, Request and
        Response"), and H stays beside P.
   d. Or H's own text keeps returning to P's topic: P's heading has one or two
      content words, none shared with H's heading, P's own body mentions none
      of H's words and P has no sub-section yet; and one of P's words is
      mentioned at least twice in H's own body while the text before P
      mentioned it at most once (it is P's topic, not the article's
      vocabulary). The peer test of (c) applies too.

6. **Modules.** Every top-level section becomes a module with the same title.
   Its own body, when it has one, becomes the module's first lesson, titled like
   the section; its sub-sections follow as lessons. A top-level section without
   sub-sections is a module with that one lesson.
7. **Hints.** An optional dict such as ``{"headings": [{"before": "The role of",
   "title": "Conclusion", "level": 1}]}`` inserts a heading with that title
   before the first paragraph starting with the ``before`` text (compared
   case-insensitively, with runs of whitespace counted as one space). ``level``
   1 (the default) makes a top-level section, 2 a sub-section of the current
   top-level section; hinted headings skip rule 5, and count as headings for
   rule 2 (so a heading-like line right before one stays body text). Unknown
   keys, and a ``before`` that matches no paragraph, raise
   :class:`DocumentError`.
8. **No headings.** A document in which no heading is found raises
   :class:`DocumentError` explaining what a heading looks like.

Slugs are ASCII, at most ``SLUG_MAX_LENGTH`` characters, and unique within the
course (module slugs among modules, lesson slugs among all lessons), duplicates
getting ``-2``, ``-3`` and so on. Each lesson carries the SHA-256 of its body so
that a re-import can tell changed sections from unchanged ones
(:func:`diff_lessons`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import (
    DocumentError,
    NoHeadingsError,
    ParsedDocument,
    _assemble,
    _normalise_newlines,
    _Section,
    heading_number,
    message_format,
)

_SITE_NAME_SEPARATOR = re.compile(r"\s+[-|–—]\s+")
_SENTENCE_PUNCTUATION = re.compile(r"[.!?:;,](?:\s|$)")
_HEADING_FORBIDDEN_ENDINGS = (".", "!", "?", ":", ";", ",")
_BULLET = re.compile(
    r"^(?P<indent>\s*)(?:(?P<bullet>[•◦▪*-])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$"
)
# The title of a box about the author of a post: the author's name follows.
_AUTHOR_BOX = r"About the author\s*$"
# Short lines that look like headings but are captions, a callout box's title or
# a link line ("Read more about ...").
_NOT_A_HEADING = re.compile(
    r"^(?:(?:Figure|Fig\.|Table|Listing|Image|Chart|Diagram|Example)\s+\d+[\w.-]*"
    r"\s*[:.–—-]|(?:Read|Learn|Find out|See|Click) (?:more|here)\b|"
    r"(?:Note|Tip|Hint|Warning|Caution|Important|Info|Danger)\s*$|"
    # A web page's furniture around the article.
    r"\d+ (?:comments?|responses?|replies)\b|(?:Reply|Share|Go|Search)\s*$|"
    r"(?:Next|Previous|Older|Newer) (?:article|post)\b|Search this site\b|"
    r"Skip to (?:main )?content\s*$|(?:Post|Leave) (?:a|your) (?:comment|reply)\s*$|"
    rf"(?:Posted|Written|Published) (?:by|on|in)\b|{_AUTHOR_BOX}|"
    r"(?:Related|Recent) (?:posts|articles|stories)\s*$)",
    re.IGNORECASE,
)
# What follows an article on its page: links to the next one, the comments.
_ARTICLE_END = re.compile(
    r"^(?:(?:Previous|Next|Older|Newer) (?:article|post|entry)\s+\S|"
    r"\d+ (?:comments?|responses?|replies) (?:on|to)\b|"
    r"(?:Post|Leave) (?:a|your) (?:comment|reply)\s*$|"
    rf"{_AUTHOR_BOX}|(?:Related|Recent|More) (?:posts|articles|stories)\b)",
    re.IGNORECASE,
)
# The first line of a page's footer: a copyright or licence notice.
_FOOTER = re.compile(
    r"©|\(c\) \d|\bcopyright\b|\ball rights reserved\b|\blicen[cs]ed under\b",
    re.IGNORECASE,
)
# A web address on its own line, not a name from code.
_DOMAIN = re.compile(
    r"^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|edu|gov|dev|info|co|uk|de|fr|es|it|nl)$"
)
# Lines of code: what prose lines rarely end with or start with.
_CODE_ENDINGS = (";", "{", "}", "[", "(", ")", "=>", "):")
_CODE_START = re.compile(
    r"\s*(?:[})\]]|//|/\*|\*/|#!|\$ |>>> |"
    r"(?:const|let|var|function|def|class|import|from|return|if|for|while)\b"
    r"[^\n]*[(){=:]|[\w.]+\s*=\s*\S|[\w.]+\([^\n]*\)\s*;?\s*$)"
)


# A sentence ending with words in brackets: "Fixed the whistle (Bug 1202)".
_PROSE_BRACKETS = re.compile(r"^\s*[^\W\d_][^(){}\[\];=<>]*\s\([^(){};=]*\)\s*$")


def _is_code_line(line: str) -> bool:
    if _PROSE_BRACKETS.match(line) and len(line.split()) >= _LONG_LINE_WORDS:
        return False
    return line.rstrip().endswith(_CODE_ENDINGS) or bool(_CODE_START.match(line))


# A wiki's "[edit]" link after a heading: the line is a heading, without it.
_EDIT_LINK = "[edit]"
# A line of a numbered contents list ("2.1 Fresnel lens").
_CONTENTS_ENTRY = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\s+(\S.*)$")
_CONTENTS_TITLES = ("contents", "table of contents")


def _edit_heading(line: str) -> str | None:
    """The title of a line ending in a wiki's "[edit]" link, else None."""
    stripped = line.strip()
    if not stripped.endswith(_EDIT_LINK):
        return None
    return stripped.removesuffix(_EDIT_LINK).rstrip() or None


def _contents_list(blocks: list[_Block]) -> tuple[int, dict[str, tuple[int, ...]]]:
    """The index of a numbered contents list (rule 2) and its entries, by
    casefolded title; ``(-1, {})`` when there is none."""
    for index, block in enumerate(blocks):
        lines = [line.strip() for line in block.lines]
        if len(lines) < 3 or lines[0].casefold() not in _CONTENTS_TITLES:
            continue
        matches = [_CONTENTS_ENTRY.match(line) for line in lines[1:]]
        if all(matches):
            entries: dict[str, tuple[int, ...]] = {}
            for match in matches:
                if match:  # each entry with and without its number
                    number = tuple(int(part) for part in match[1].split("."))
                    entries[match[2].casefold()] = number
                    entries[match[0].casefold()] = number
            return index, entries
    return -1, {}


_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")

# Short function words that say nothing about a heading's topic.
# fmt: off
_STOP_WORDS = frozenset([
    "a", "about", "above", "across", "after", "against", "all", "along", "also", "am",
    "among", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "during", "each", "either", "for", "from", "had", "has", "have", "he",
    "her", "here", "hers", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "must", "my", "neither",
    "no", "nor", "not", "of", "off", "on", "once", "only", "onto", "or", "other", "our",
    "ours", "out", "over", "own", "per", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "toward", "towards", "under", "until", "up",
    "upon", "us", "versus", "very", "via", "vs", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "you", "your", "yours",
])
# fmt: on

_HINT_KEYS = frozenset({"headings"})
_HINT_HEADING_KEYS = frozenset({"before", "title", "level"})


@dataclass
class _Block:
    lines: list[str]
    glued_heading: bool = False  # cut out of a block as a heading (rule 2)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Heading:
    title: str
    level: int | None = None  # set by hints only
    number: tuple[int, ...] | None = None  # from a contents list


def clean_title(line: str) -> str:
    """The title without a trailing site name such as `` - Total Military Insight``."""
    title = line.strip()
    separators = list(_SITE_NAME_SEPARATOR.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    if (
        head
        and tail
        and len(tail.split()) <= 5
        and not _SENTENCE_PUNCTUATION.search(tail)
    ):
        return head
    return title


def _split_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


# A name from code on its own line ("render_template", "fetch()", "json.dumps",
# "arrayBuffer"): the heading of a reference section, lower case as it is.
_CODE_NAME = re.compile(r"^[a-z_][\w]*(?:\.[A-Za-z_]\w*)*(?:\(\))?$")


def _is_code_name(line: str) -> bool:
    return (
        bool(_CODE_NAME.match(line))
        and not _DOMAIN.match(line)
        and ("_" in line or "." in line or line.endswith("()") or line != line.lower())
    )


def _starts_like_a_heading(line: str) -> bool:
    """A capital or a digit first, after an emoji or symbol if any; or a name
    from code."""
    if _is_code_name(line):
        return True
    first = line[0]
    if unicodedata.category(first) in ("So", "Sk"):
        rest = line[1:].lstrip("\ufe0f\u200d ")
        return bool(rest) and (rest[0].isupper() or rest[0].isdigit())
    return first.isupper() or first.isdigit()


def _is_heading_like(block: _Block) -> bool:
    if len(block.lines) != 1:
        return False
    line = block.lines[0].strip()
    return (
        len(line) <= 100
        and len(line.split()) <= 12
        and not line.endswith(_HEADING_FORBIDDEN_ENDINGS)
        and not line.endswith(" *")  # a form's required field
        and not _BULLET.match(line)
        and "\t" not in line  # a table's row
        and not _NOT_A_HEADING.match(line)
        and _starts_like_a_heading(line)
    )


def _normalise_for_hint(text: str) -> str:
    return " ".join(text.split()).casefold()


def _validated_hints(hints: Mapping | None) -> list[tuple[str, _Heading]]:
    """The hinted headings as ``(before text, heading)`` pairs, after validation."""
    if not hints:
        return []
    if not isinstance(hints, Mapping):
        raise DocumentError("hints must be a JSON object")
    unknown = sorted(set(hints) - _HINT_KEYS)
    if unknown:
        raise DocumentError(f"unknown hint key(s): {', '.join(map(str, unknown))}")
    headings = hints.get("headings", [])
    if not isinstance(headings, list):
        raise DocumentError('hint "headings" must be a list')
    parsed = []
    for number, heading in enumerate(headings, start=1):
        where = f"heading hint {number}"
        if not isinstance(heading, Mapping):
            raise DocumentError(f"{where} must be an object")
        unknown = sorted(set(heading) - _HINT_HEADING_KEYS)
        if unknown:
            raise DocumentError(
                f"{where} has unknown key(s): {', '.join(map(str, unknown))}"
            )
        before, title = heading.get("before"), heading.get("title")
        level = heading.get("level", 1)
        if not isinstance(before, str) or not before.strip():
            raise DocumentError(f'{where} needs a non-empty "before" text')
        if not isinstance(title, str) or not title.strip():
            raise DocumentError(f'{where} needs a non-empty "title"')
        if level not in (1, 2) or isinstance(level, bool):
            raise DocumentError(f'{where} has "level" {level!r}; use 1 or 2')
        parsed.append((before, _Heading(title.strip(), level)))
    return parsed


def _apply_hints(
    blocks: list[_Block], hints: Mapping | None
) -> list[_Block | _Heading]:
    items: list[_Block | _Heading] = list(blocks)
    starts = [_normalise_for_hint(block.text) for block in blocks]
    inserts: dict[int, list[_Heading]] = {}
    for before, heading in _validated_hints(hints):
        wanted = _normalise_for_hint(before)
        index = next((i for i, s in enumerate(starts) if s.startswith(wanted)), None)
        if index is None:
            raise DocumentError(
                f'heading hint "{heading.title}": no paragraph starts with "{before}"'
            )
        inserts.setdefault(index, []).append(heading)
    for index in sorted(inserts, reverse=True):
        items[index:index] = inserts[index]
    return items


def _content_words(text: str, exclude: Iterable[str] = ()) -> list[str]:
    excluded = _MentionIndex(exclude)
    words = []
    for word in _words(text):
        if (
            word not in _STOP_WORDS
            and not excluded.mentions(word)
            and word not in words
        ):
            words.append(word)
    return words


def _words(text: str) -> list[str]:
    words = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        words.append(word)
    return words


class _MentionIndex:
    """Answers "is this word mentioned?" for a body of words (see rule 5)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = set(words)
        self.prefixes = {word[:5] for word in self.words if len(word) >= 5}

    def mentions(self, word: str) -> bool:
        return word in self.words or (len(word) >= 5 and word[:5] in self.prefixes)


def _nests_under(
    heading_words: list[str], parent_words: list[str], parent_body: _MentionIndex
) -> bool:
    if not heading_words or len(heading_words) > len(parent_words):
        return False
    mentioned = sum(1 for word in heading_words if parent_body.mentions(word))
    return mentioned * 3 >= len(heading_words) * 2


class _WordCounts:
    """How many times words were mentioned (in the sense of rule 5)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.exact: Counter[str] = Counter()
        self.prefixes: Counter[str] = Counter()
        self.add(words)

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            self.exact[word] += 1
            if len(word) >= 5:
                self.prefixes[word[:5]] += 1

    def mentions(self, word: str) -> int:
        return self.prefixes[word[:5]] if len(word) >= 5 else self.exact[word]


def _returns_to(
    parent_words: list[str],
    heading_words: list[str],
    body_words: list[str],
    before: Mapping[str, int],
) -> bool:
    """Rule 5d: a section's own text keeps naming its parent's topic, a topic
    the text before the parent hardly named."""
    if not parent_words or len(parent_words) > 2 or not body_words:
        return False
    own = _MentionIndex(heading_words)
    if any(own.mentions(word) for word in parent_words):
        return False  # the headings share a word: rule 5c's business
    for parent_word in parent_words:
        topic = _MentionIndex((parent_word,))
        here = sum(1 for word in body_words if topic.mentions(word))
        if here >= 2 and before.get(parent_word, 0) <= 1:
            return True
    return False


def _looks_like_code(lines: list[str]) -> bool:
    """Two or more lines, most of them shaped like code (see rule 3)."""
    if len(lines) < 2 or any(_BULLET.match(line) for line in lines):
        return False
    code = sum(1 for line in lines if _is_code_line(line))
    return code * 3 >= len(lines) * 2


def _split_trailing_headings(blocks: list[_Block]) -> list[_Block]:
    """A heading-like line glued to the end of a block (as web pages copy: no
    blank line before a heading) is a block of its own when what comes before
    it ends a thought: code, a finished sentence, a sentence ending with words
    in brackets ("... (Bug 1202)") or a "Learn more" line (rule 2)."""
    split: list[_Block] = []
    for block in blocks:
        lines = block.lines
        last = _Block(lines[-1:])
        before = lines[-2].strip() if len(lines) >= 2 else ""
        ends_a_thought = (
            (len(lines) >= 3 and _looks_like_code(lines[:-1]))
            or before.endswith((".", "!", "?"))
            or (
                bool(_PROSE_BRACKETS.match(before))
                and len(before.split()) >= _LONG_LINE_WORDS
            )
            or (
                bool(_NOT_A_HEADING.match(before))
                and not re.match(_AUTHOR_BOX, before, re.IGNORECASE)
            )
        )
        if (
            ends_a_thought
            and not _is_code_line(lines[-1])
            and not lines[-1][:1].isspace()
            and not _BULLET.match(lines[-2])
            and _is_heading_like(last)
        ):
            split += [_Block(lines[:-1]), last]
        else:
            split.append(block)
    return split


# The most words of a heading glued between the lines of a block, and the
# fewest of the lines around it.
_GLUED_HEADING_WORDS = 6
# The most glued headings in a row (a section, a sub-section, a sub-sub-section).
_GLUED_RUN = 3
_LONG_LINE_WORDS = 4


def _is_short_line(line: str) -> bool:
    """A line that could be a heading glued inside a block (rule 2)."""
    stripped = line.strip()
    return (
        not line[:1].isspace()
        and len(stripped.split()) <= _GLUED_HEADING_WORDS
        and not _is_code_name(stripped)
        and _is_heading_like(_Block([stripped]))
    )


def _title_case(line: str) -> bool:
    """Whether every word but the stop words starts with a capital letter (a
    line read as a heading even before a line that starts in lower case, which
    otherwise continues it)."""
    words = [word for word in line.split() if word.casefold() not in _STOP_WORDS]
    return bool(words) and all(not word[:1].islower() for word in words)


def _split_glued_headings(blocks: list[_Block]) -> list[_Block]:
    """Headings glued to the lines around them, as a web page's list copied
    without its bullets gives them: in a block, a run of one to three short
    heading-like lines followed by a longer line, and not after a line ending
    in ``:``, is a run of headings (rule 2). Longer runs are a list of short
    items, and so are short lines between lines of fewer than four words."""
    split: list[_Block] = []
    for block in blocks:
        lines = block.lines
        if len(lines) < 2 or _looks_like_code(lines) or _BULLET.match(lines[0]):
            split.append(block)
            continue
        short = [_is_short_line(line) for line in lines]
        cuts: set[int] = set()  # indexes of heading lines
        start = 0
        while start < len(lines):
            if not short[start]:
                start += 1
                continue
            end = start
            while end < len(lines) and short[end]:
                end += 1
            if (
                end - start <= _GLUED_RUN
                and end < len(lines)
                and len(lines[end].split()) >= _LONG_LINE_WORDS
                and (
                    start == 0
                    or (
                        len(lines[start - 1].split()) >= _LONG_LINE_WORDS
                        and not lines[start - 1].rstrip().endswith(":")
                    )
                )
                and (
                    not lines[end].lstrip()[:1].islower() or _title_case(lines[end - 1])
                )
            ):
                cuts.update(range(start, end))
            start = end
        if not cuts:
            split.append(block)
            continue
        current: list[str] = []
        for index, line in enumerate(lines):
            if index in cuts:
                if current:
                    split.append(_Block(current))
                split.append(_Block([line], glued_heading=True))
                current = []
            else:
                current.append(line)
        if current:
            split.append(_Block(current))
    return split


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A date in a byline: "March 10, 2015", "10 March 2015", "2015-03-10".
_DATE = re.compile(
    rf"\b(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? "
    rf"{_MONTH},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
# How far rule 1 looks for a post's title above its byline.
_BYLINE_SEARCH_LINES = 40
_BYLINE_DISTANCE = 3
_PARAGRAPH_WORDS = 15


def _title_above_byline(blocks: list[_Block]) -> tuple[int, int] | None:
    """Where a post's title stands above its byline (rule 1), as (block, line)
    indexes, when that is not the first line; else None."""
    lines: list[tuple[int, int, str]] = []
    positions = (
        (block_index, line_index, line)
        for block_index, block in enumerate(blocks)
        for line_index, line in enumerate(block.lines)
    )
    for block_index, line_index, line in positions:
        words = len(line.split())
        if words >= _PARAGRAPH_WORDS or (words >= 4 and line.endswith(".")):
            break  # the article's text has begun
        lines.append((block_index, line_index, line.strip()))
        if len(lines) >= _BYLINE_SEARCH_LINES:
            break
    best: tuple[int, int] | None = None
    best_words = 0
    for position, (block_index, line_index, line) in enumerate(lines):
        words = len(line.split())
        if (
            words > best_words
            and words <= 12
            and len(line) <= 100
            and not line.endswith((",", ";", ":"))
            and not _NOT_A_HEADING.match(line)
            and not _DATE.search(line)
            and not _is_code_name(line)
            and _starts_like_a_heading(line)
            and any(
                _DATE.search(after)
                for _, _, after in lines[position + 1 : position + 1 + _BYLINE_DISTANCE]
            )
        ):
            best, best_words = (block_index, line_index), words
    return None if best == (0, 0) else best


def _split_edit_headings(blocks: list[_Block]) -> list[_Block]:
    """A line ending in "[edit]" is a block of its own (rule 2)."""
    split: list[_Block] = []
    for block in blocks:
        if not any(_edit_heading(line) for line in block.lines):
            split.append(block)
            continue
        current: list[str] = []
        for line in block.lines:
            if _edit_heading(line):
                if current:
                    split.append(_Block(current))
                split.append(_Block([line]))
                current = []
            else:
                current.append(line)
        if current:
            split.append(_Block(current))
    return split


def _wraps(first: str, second: str) -> bool:
    """Whether two lines read as one heading broken in two ("Two Lines" / "Of
    Heading"): the break falls next to a stop word."""
    before, after = _words(first), _words(second)
    return bool(before and after) and (
        before[-1] in _STOP_WORDS or after[0] in _STOP_WORDS
    )


def _split_heading_pairs(blocks: list[_Block]) -> list[_Block]:
    """Two heading-like lines glued together between body texts are two
    blocks: a heading over an empty section and the heading of its first
    sub-section (rule 2)."""
    split: list[_Block] = []
    for index, block in enumerate(blocks):
        lines = block.lines
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            len(lines) == 2
            and bool(split)
            and not _is_heading_like(split[-1])
            and after is not None
            and not _is_heading_like(after)
            and all(_is_heading_like(_Block([line])) for line in lines)
            and not any(line[:1].isspace() for line in lines)
            and not _wraps(lines[0], lines[1])
        ):
            split += [_Block(lines[:1]), _Block(lines[1:])]
        else:
            split.append(block)
    return split


def _render_block(lines: list[str]) -> str:
    """A block of text as Markdown: paragraphs verbatim, bullets as lists."""
    if _looks_like_code(lines):
        fence = "```"
        while any(line.lstrip().startswith(fence) for line in lines):
            fence += "`"
        return "\n".join([fence, *lines, fence])
    groups: list[list[str]] = []
    in_list = False
    indents: list[int] = []
    item_indent = ""
    for raw in lines:
        match = _BULLET.match(raw)
        if match:
            if not in_list:
                groups.append([])
                in_list, indents = True, []
            indent = len(match["indent"].expandtabs(4))
            while len(indents) > 1 and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            depth = len(indents) - 1
            marker = f"{int(match['number'])}." if match["number"] else "-"
            groups[-1].append(f"{'    ' * depth}{marker} {match['text'].rstrip()}")
            item_indent = " " * (4 * depth + len(marker) + 1)
        elif in_list and raw[:1].isspace():
            groups[-1].append(item_indent + raw.strip())
        else:
            if in_list or not groups:
                groups.append([])
                in_list = False
            line = raw.strip()
            if line.startswith("#"):  # a comment, not a Markdown heading
                line = "\\" + line
            groups[-1].append(line)
    return "\n\n".join("\n".join(group) for group in groups)


def parse_plain_text(text: str, *, hints: dict | None = None) -> ParsedDocument:
    """Guess the structure of a plain-text document (see the module docstring)."""
    blocks = _split_trailing_headings(_split_blocks(_normalise_newlines(text)))
    blocks = _split_glued_headings(_split_heading_pairs(_split_edit_headings(blocks)))
    if not blocks:
        raise DocumentError(_("the document is empty"))

    first = blocks[0]
    site_name: list[_Block] = []
    above_byline = _title_above_byline(blocks)
    if above_byline is not None:
        # Page furniture, the title, a byline: all but the title stay as text.
        block_index, line_index = above_byline
        lines = blocks[block_index].lines
        site_name = blocks[:block_index]
        if len(lines) > 1:
            site_name.append(_Block(lines[:line_index] + lines[line_index + 1 :]))
        first, blocks = (
            _Block([lines[line_index]]),
            [_Block([]), *blocks[block_index + 1 :]],
        )
    elif (
        len(first.lines) == 2
        and len(first.lines[0].split()) <= 3
        and len(blocks) > 1
        and not _is_heading_like(blocks[1])
        and all(_is_heading_like(_Block([line])) for line in first.lines)
    ):
        # A site's name above the article's title: it stays as text.
        site_name, first = [_Block(first.lines[:1])], _Block(first.lines[1:])
    raw_title = first.lines[0].strip()
    title = clean_title(raw_title)
    rest = blocks[1:]
    if len(first.lines) > 1:
        rest.insert(0, _Block(first.lines[1:]))
    if rest and rest[0].text.strip() in (title, raw_title):
        rest = rest[1:]

    contents_index, contents = _contents_list(rest)
    items = _apply_hints(rest, hints)
    if contents:
        contents_index = next(
            index
            for index, item in enumerate(items)
            if isinstance(item, _Block) and item is rest[contents_index]
        )

    # Each entry of a contents list is a heading once, where it first comes.
    entry_at: set[int] = set()
    if contents:
        seen: set[tuple[int, ...]] = set()
        for index in range(contents_index + 1, len(items)):
            item = items[index]
            if isinstance(item, _Block) and len(item.lines) == 1:
                edited = _edit_heading(item.lines[0])
                number = contents.get((edited or item.lines[0].strip()).casefold())
                if number is not None and number not in seen:
                    seen.add(number)
                    entry_at.add(index)
        if not entry_at:  # a list of something else: the usual rules apply
            contents = {}

    def candidate(index: int, item: _Block) -> str | None:
        """The heading a block would be, by its looks alone; None if none."""
        if len(item.lines) != 1:
            return None
        edited = _edit_heading(item.lines[0])
        line = edited if edited is not None else item.lines[0].strip()
        if contents:  # only the entries of the contents list, after it
            return line if index in entry_at else None
        if edited is not None or _is_heading_like(item):
            return line
        return None

    def decide(end: int) -> tuple[list[bool], list[str | None]]:
        """Rule 2, decided backwards: a heading needs body text right after
        it; no block from ``end`` on (the page after the article), nor the one
        right before it, is a heading."""
        is_heading = [False] * len(items)
        titles: list[str | None] = [None] * len(items)
        for index in range(len(items) - 1, -1, -1):
            item = items[index]
            if isinstance(item, _Heading):
                is_heading[index] = True
                continue
            if index + 1 >= end:
                continue
            titles[index] = candidate(index, item)
            if titles[index] is None:
                continue
            after = items[index + 1] if index + 1 < len(items) else None
            if isinstance(after, _Block) and _FOOTER.search(after.lines[0]):
                continue  # the site's name over its footer
            if (
                contents
                or item.glued_heading
                or _edit_heading(item.lines[0]) is not None
                or (index + 1 < len(items) and not is_heading[index + 1])
            ):
                is_heading[index] = True
            elif (
                index + 2 < len(items)
                and isinstance(items[index + 1], _Block)
                and not is_heading[index + 2]
                and (
                    index == 0
                    or (
                        isinstance(items[index - 1], _Block)
                        and candidate(index - 1, items[index - 1]) is None
                    )
                )
            ):
                # Exactly two heading-like blocks between body texts: a heading
                # over an empty section, then its first sub-section.
                is_heading[index] = True
        return is_heading, titles

    end = next(
        (
            index
            for index, item in enumerate(items)
            if isinstance(item, _Block) and _ARTICLE_END.match(item.lines[0].strip())
        ),
        len(items),
    )
    is_heading, titles = decide(end)
    if end < len(items) and not any(is_heading[:end]):
        is_heading, titles = decide(len(items))  # the end came before the article

    intro_blocks: list[str] = [_render_block(block.lines) for block in site_name]
    intro_words: list[str] = []
    # Each entry: heading, rendered body blocks, raw words of the body.
    sections: list[tuple[_Heading, list[str], list[str]]] = []
    for index, (item, heading) in enumerate(zip(items, is_heading, strict=True)):
        if isinstance(item, _Heading):
            sections.append((item, [], []))
        elif heading:
            title_text = titles[index] or item.lines[0].strip()
            number = contents.get(title_text.casefold()) if contents else None
            sections.append((_Heading(title_text, number=number), [], []))
        else:
            rendered = _render_block(item.lines)
            if sections:
                sections[-1][1].append(rendered)
                if not _looks_like_code(item.lines):  # code introduces nothing
                    sections[-1][2].extend(_words(item.text))
            else:
                intro_blocks.append(rendered)
                intro_words.extend(_words(item.text))
    if not sections:
        raise NoHeadingsError(
            _(
                "no section headings found: a heading is a short line on its own "
                "(at most 12 words, starting with a capital letter or a digit, not "
                "ending in punctuation) with a blank line before it and a paragraph "
                "right after it"
            )
        )
    tree = _nest(title, sections, intro_words)
    guessed = [heading.title for heading, _, _ in sections if heading.level is None]
    warnings = []
    if guessed:
        warnings.append(
            message_format(
                _("%(count)s heading(s) guessed from the text's layout: %(titles)s"),
                {
                    "count": len(guessed),
                    "titles": "; ".join(guessed[:10])
                    + ("; ..." if len(guessed) > 10 else ""),
                },
            )
        )
    return _assemble(title, "\n\n".join(intro_blocks), tree, "text", warnings=warnings)


# A notice's title ("Important: Sync your profile"): part of the section above.
_NOTICE = re.compile(
    r"^(?:Note|Tip|Hint|Warning|Caution|Important|Info|Danger)\s*:\s*\S", re.IGNORECASE
)
# How many earlier bodies rule 5's sibling test looks back at (linear time).
_PEER_LOOKBACK = 50


def _nest(
    title: str,
    sections: list[tuple[_Heading, list[str], list[str]]],
    intro_words: list[str],
) -> list[_Section]:
    """Rule 5: each section is top-level or a sub-section of the last top one."""
    title_words = _words(title)
    tree: list[_Section] = []
    parent_words: list[str] = []
    parent_body = _MentionIndex(())
    parent_number: tuple[int, ...] | None = None
    parent_is_empty = False
    # Earlier bodies that name the parent's topic: they introduce its peers.
    earlier: deque[str] = deque(maxlen=_PEER_LOOKBACK)
    if intro_words:
        earlier.append(_phrase(intro_words))
    peers: list[str] = []
    seen = _WordCounts(intro_words)  # every body word so far
    before: dict[str, int] = {}  # the parent's words, named before it
    for position, (heading, body_blocks, body_words) in enumerate(sections):
        section = _Section(heading.title, heading.title, "\n\n".join(body_blocks))
        words = _content_words(heading.title, title_words)
        number = heading.number
        if number is None and heading.level is None:
            number = heading_number(heading.title)
        empty = not body_blocks and position + 1 < len(sections)
        if heading.number is not None and len(heading.number) > 2 and tree:
            holder = tree[-1].children[-1] if tree[-1].children else tree[-1]
            markup = f"{'#' * min(len(heading.number), 6)} {heading.title}"
            holder.body = "\n\n".join(
                part for part in (holder.body, markup, section.body) if part
            )
            continue
        if heading.level is not None:
            nested = heading.level == 2 and bool(tree)
        elif number is not None:  # rule 5: numbers decide
            nested = bool(tree) and len(number) > 1 and number[:-1] == parent_number
        elif _NOTICE.match(heading.title):
            nested = bool(tree)
        elif parent_is_empty:
            nested = not empty
        else:
            nested = (
                bool(tree)
                and (
                    _nests_under(words, parent_words, parent_body)
                    or (
                        not tree[-1].children
                        and not any(parent_body.mentions(word) for word in words)
                        and _returns_to(parent_words, words, body_words, before)
                    )
                )
                and not any(_phrase(_words(heading.title)) in peer for peer in peers)
            )
        if nested:
            tree[-1].children.append(section)
        else:
            tree.append(section)
            parent_words, parent_body = words, _MentionIndex(body_words)
            parent_number = number
            parent_is_empty = empty and heading.level is None and number is None
            before = {word: seen.mentions(word) for word in words}
            named = _phrase(_words(heading.title))
            peers = [body for body in earlier if named in body]
        if body_words:
            earlier.append(_phrase(body_words))
            seen.add(body_words)
    return tree


def _phrase(words: list[str]) -> str:
    """Words as a string in which a heading's words can be found as a phrase."""
    return f" {' '.join(words)} "
