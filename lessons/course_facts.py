"""What the catalogue and the course page say about a course before anyone takes
it: a summary taken from the document, and a time estimate from its word count
(pure: plain values in, plain values out).
"""

import html as html_module
import re

# Reading speed for the estimates: 200 words a minute, the figure every lesson's
# "N minutes read" already used (``Lesson.reading_minutes``).
WORDS_PER_MINUTE = 200
SUMMARY_WORDS = 45

_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` words at ``WORDS_PER_MINUTE``: at least one for
    any text, none for none."""
    if words <= 0:
        return 0
    return max(1, round(words / WORDS_PER_MINUTE))


def split_minutes(minutes: int) -> tuple[int, int]:
    """(hours, minutes) for showing a long estimate as "2 h 15 min"."""
    return divmod(max(0, minutes), 60)


def summary_from_html(body_html: str, *, max_words: int = SUMMARY_WORDS) -> str:
    """The opening of a document as plain text: its first paragraphs (the text
    before the first section, which the importer keeps as the first lesson), cut
    at a sentence end when one falls within ``max_words``, else at ``max_words``
    with an ellipsis. Empty when the body has no paragraph text.

    The HTML is the stored, sanitised lesson body: tags are dropped and entities
    decoded; the template escapes the result again.
    """
    words: list[str] = []
    for match in _PARAGRAPH.finditer(body_html or ""):
        text = html_module.unescape(_TAG.sub(" ", match.group(1)))
        words += _SPACE.sub(" ", text).strip().split(" ") if text.strip() else []
        if len(words) >= max_words:
            break
    if not words:
        return ""
    if len(words) <= max_words:
        return " ".join(words)
    kept = words[:max_words]
    # The last sentence end within the limit, if it keeps at least half of it.
    for index in range(len(kept) - 1, max_words // 2 - 1, -1):
        if kept[index].endswith((".", "!", "?", "…")):
            return " ".join(kept[: index + 1])
    return " ".join(kept).rstrip(",;:") + "…"
