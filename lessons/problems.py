"""Problem lists that importers report: the first ``MAX_REPORTED`` kept, the rest
only counted.

A file with a problem on every line (a GIFT upload of 900,000 broken questions)
would otherwise build hundreds of megabytes of messages and a page to match;
nobody reads past the first screenful, and fixing those usually fixes the rest.
"""

from collections.abc import Iterable

from django.utils.translation import ngettext

MAX_REPORTED = 100


class ProblemList(list):
    """A list that keeps its first ``limit`` items and counts the others in
    ``more``; true when it holds or counted any."""

    def __init__(self, items: Iterable = (), *, limit: int = MAX_REPORTED) -> None:
        super().__init__()
        self.limit = limit
        self.more = 0
        self.extend(items)

    @property
    def full(self) -> bool:
        """Whether further problems are only counted (callers may skip building
        their messages)."""
        return len(self) >= self.limit

    def append(self, item) -> None:
        if self.full:
            self.more += 1
        else:
            super().append(item)

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items: Iterable):
        self.extend(items)
        return self

    def __bool__(self) -> bool:
        return len(self) > 0 or self.more > 0

    @property
    def total(self) -> int:
        return len(self) + self.more

    def lines(self) -> list[str]:
        """The kept problems as text, then "… and N more problems" if any."""
        shown = [str(item) for item in self]
        if self.more:
            shown.append(more_problems(self.more))
        return shown


def more_problems(count: int) -> str:
    return ngettext(
        "… and %(count)d more problem.", "… and %(count)d more problems.", count
    ) % {"count": count}


class ProblemsError(ValueError):
    """A file refused whole: ``errors`` are its first problems (at most
    ``MAX_REPORTED``), ``more`` counts the others. Each reader's error (GIFT,
    Moodle XML, any bank format) is one of these."""

    def __init__(self, errors: Iterable, *, more: int = 0) -> None:
        self.errors = list(errors)
        self.more = more
        lines = [str(problem) for problem in self.errors]
        if more:
            lines.append(more_problems(more))
        super().__init__("\n".join(lines))

    @property
    def total(self) -> int:
        return len(self.errors) + self.more
