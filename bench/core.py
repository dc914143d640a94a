"""What every benchmark shares: the registry, the run context and the report table.

A benchmark is a function ``(ctx) -> Table`` registered under a short name with
:func:`benchmark`. The :class:`Context` hands out the expensive shared pieces
lazily (a seeded gunicorn server, an in-process Django), so ``--only NAME`` pays
only for what NAME uses, and several benchmarks reuse one server.
"""

import os
import shutil
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENT = ROOT / "content" / "military-diplomacy-in-south-america.txt"
SEED_SLUG = "military-diplomacy"
SEED_QUESTIONS = ROOT / "content" / "military-diplomacy.questions.json"

# The environment as the bench found it, before the in-process Django (if any)
# writes its own settings into os.environ; servers are started from this.
BASE_ENV = dict(os.environ)


@dataclass
class Table:
    """One benchmark's report: printed as an aligned table, saved as JSON data."""

    title: str
    columns: Sequence[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def add(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def render(self) -> str:
        grid = [list(self.columns), *self.rows]
        widths = [max(len(row[i]) for row in grid) for i in range(len(self.columns))]

        def line(row: list[str]) -> str:
            cells = [
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            return "  ".join(cells).rstrip()

        rule = "-" * len(line(list(self.columns)))
        out = [f"== {self.title}", line(list(self.columns)), rule]
        out += [line(row) for row in self.rows]
        out += [f"  {note}" for note in self.notes]
        return "\n".join(out)


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    run: Callable[["Context"], Table]
    default: bool
    order: int


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, title: str, default: bool = True, order: int = 100):
    """Register ``func(ctx) -> Table`` as the benchmark NAME.

    ``default=False`` benchmarks run only when asked for with ``--only NAME``;
    benchmarks run (and are listed) by ascending ``order``.
    """

    def register(func: Callable[["Context"], Table]):
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(
            name=name, title=title, run=func, default=default, order=order
        )
        return func

    return register


def resolve(names: Sequence[str]) -> list[str]:
    """Benchmark names for ``--only``: a registered name, or a group, i.e. the
    part before the first "-": ``quiz`` means the default benchmarks named
    ``quiz-*`` (``quiz-page``, ``quiz-submit``; not the opt-in ``quiz-profile``).

    Raises ``KeyError`` naming what matched nothing.
    """
    ordered = sorted(REGISTRY.values(), key=lambda b: b.order)
    chosen: list[str] = []
    for name in names:
        matches = [name] if name in REGISTRY else [
            b.name for b in ordered if b.default and b.name.startswith(f"{name}-")
        ]  # fmt: skip
        if not matches:
            raise KeyError(name)
        chosen += [match for match in matches if match not in chosen]
    return chosen


class Context:
    """Settings of this run, and the shared fixtures benchmarks ask for."""

    def __init__(self, *, quick: bool, keep: bool) -> None:
        self.quick = quick
        self.keep = keep
        self.workdir = Path(tempfile.mkdtemp(prefix="coursesite-bench-"))
        self._site = None
        self._django = None

    def pick(self, full, quick):
        """The full-run value, or the ``--quick`` one."""
        return quick if self.quick else full

    def site(self):
        """A gunicorn server over a seeded database, with a logged-in student."""
        if self._site is None:
            from bench.server import Site

            self._site = Site.start(self.workdir / "site")
        return self._site

    def django(self):
        """Django configured in this process, on its own throwaway database."""
        if self._django is None:
            from bench.inprocess import InProcessDjango

            self._django = InProcessDjango.setup(self.workdir / "inprocess")
        return self._django

    def close(self) -> None:
        if self._site is not None:
            self._site.stop()
            self._site = None
        if self.keep:
            print(f"(kept {self.workdir})")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
