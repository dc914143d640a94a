"""How long importing a course document takes: parse, then write to the database."""

import json
import time

from bench.core import SEED_DOCUMENT, SEED_SLUG, Context, Table, benchmark, median
from bench.docgen import generate

GENERATED_SECTIONS = 2000
GENERATED_GOAL_SECONDS = 5.0


def _import_once(dj, *, data: bytes, filename: str, hints, slug: str):
    """Decode + parse, then ``course_import``, into a fresh database; timed apart."""
    from lessons.importing import decode_document, parse_document
    from lessons.services import course_import

    dj.fresh_database()
    start = time.perf_counter()
    parsed = parse_document(decode_document(data), filename=filename, hints=hints)
    parsed_at = time.perf_counter()
    course_import(parsed=parsed, slug=slug, publish=True, source_name=filename)
    return parsed, parsed_at - start, time.perf_counter() - parsed_at


def _row(table: Table, label: str, data: bytes, runs: list, goal: float | None):
    parsed = runs[0][0]
    parse = median([r[1] for r in runs])
    write = median([r[2] for r in runs])
    total = median([r[1] + r[2] for r in runs])
    verdict = ""
    if goal is not None:
        verdict = f"< {goal:.0f} s {'met' if total < goal else 'NOT met'}"
    table.add(
        label,
        f"{len(data) / 1024:,.0f} KB",
        f"{len(parsed.modules)} / {len(parsed.lessons())}",
        len(runs),
        f"{parse:.3f}",
        f"{write:.3f}",
        f"{total:.3f}",
        verdict,
    )
    return {
        "parse_s": parse,
        "import_s": write,
        "total_s": total,
        "runs": [r[1] + r[2] for r in runs],
        "modules": len(parsed.modules),
        "lessons": len(parsed.lessons()),
    }


@benchmark(
    "import", title="Course import time (seed, generated 2,000 sections)", order=20
)
def imports(ctx: Context) -> Table:
    dj = ctx.django()
    table = Table(
        "Import time, in process, fresh SQLite DB each run (seconds, median)",
        ["document", "size", "modules / lessons", "runs", "parse", "write",
         "total", "goal"],
    )  # fmt: skip
    # The seed as `import_document` reads it: with its sidecar hints file.
    seed = SEED_DOCUMENT.read_bytes()
    hints_path = SEED_DOCUMENT.with_suffix(".hints.json")
    hints = json.loads(hints_path.read_text()) if hints_path.exists() else None
    runs = [
        _import_once(dj, data=seed, filename=SEED_DOCUMENT.name, hints=hints,
                     slug=SEED_SLUG)
        for _ in range(ctx.pick(7, 3))
    ]  # fmt: skip
    table.data["seed"] = _row(table, SEED_DOCUMENT.name, seed, runs, None)

    generated = generate(sections=GENERATED_SECTIONS).encode("utf-8")
    runs = [
        _import_once(dj, data=generated, filename="generated.txt", hints=None,
                     slug="generated")
        for _ in range(ctx.pick(3, 1))
    ]  # fmt: skip
    table.data["generated"] = _row(
        table,
        f"generated, {GENERATED_SECTIONS:,} sections",
        generated,
        runs,
        GENERATED_GOAL_SECONDS,
    )
    table.notes.append(
        "parse = decode + parse_document (pure); write = course_import (Markdown "
        "rendering + inserts, one transaction)"
    )
    return table
