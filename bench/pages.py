"""Throughput of the pages a student spends their time on, relative to /healthz."""

from bench.core import Context, Table, benchmark
from bench.loadgen import measure_interleaved

CONNECTIONS = 4  # enough to keep both workers busy while the client parses answers
LESSON_GOAL = 0.5  # lesson page >= 0.5 x healthz


def measure_pages(ctx: Context, site, targets) -> tuple[object, dict]:
    """Interleave ``targets`` with /healthz on ``site``, with this run's round sizes.

    Shared by every throughput benchmark so their figures are comparable.
    """
    return measure_interleaved(
        site.host,
        site.port,
        site.target("healthz", "/healthz", logged_in=False),
        targets,
        rounds=ctx.pick(5, 3),
        seconds=ctx.pick(2.0, 1.0),
        connections=CONNECTIONS,
    )


def throughput_table(title: str, site, base, results, goals: dict[str, float]) -> Table:
    table = Table(
        title,
        ["page", "req/s (median)", "x healthz (median)", "ratio range", "goal",
         "failed"],
    )  # fmt: skip
    table.add(
        "/healthz", f"{base.median_rps:,.0f}", "1.00", "", "", base.failures
    )
    for name, result in results.items():
        goal = goals.get(name)
        verdict = ""
        if goal is not None:
            met = "met" if result.median_ratio >= goal else "NOT met"
            verdict = f">= {goal:.2f} {met}"
        table.add(
            name,
            f"{result.median_rps:,.0f}",
            f"{result.median_ratio:.2f}",
            f"{min(result.ratios):.2f}-{max(result.ratios):.2f}",
            verdict,
            result.failures,
        )
    rounds = len(next(iter(results.values())).rounds)
    seconds = next(iter(results.values())).rounds[0].seconds
    table.notes.append(
        f"{site.description}, DEBUG off, SQLite; {CONNECTIONS} connections; "
        f"{rounds} rounds of ~{seconds:.0f} s per page, each between two /healthz "
        "rounds"
    )
    table.notes.append(
        f"load generator used {base.client_cpu_share:.0%} of a core on /healthz, "
        + ", ".join(
            f"{r.client_cpu_share:.0%} on {name}" for name, r in results.items()
        )
    )
    table.data = {
        "healthz_rps": base.median_rps,
        **{
            name: {
                "rps": r.median_rps,
                "ratio": r.median_ratio,
                "ratios": r.ratios,
                "failures": r.failures,
            }
            for name, r in results.items()
        },
    }
    return table


@benchmark("pages", title="Lesson and syllabus page throughput")
def pages(ctx: Context) -> Table:
    site = ctx.site()
    lesson = site.target("lesson", site.info["lesson_path"])
    syllabus = site.target("syllabus", site.info["syllabus_path"])
    base, results = measure_pages(ctx, site, [lesson, syllabus])
    table = throughput_table(
        "Throughput, logged-in student (ratio to /healthz, higher is better)",
        site,
        base,
        results,
        {"lesson": LESSON_GOAL},
    )
    table.notes.insert(
        0,
        f"lesson = {site.info['lesson_path']} ; syllabus = "
        f"{site.info['syllabus_path']} ({site.info['lesson_count']} lessons)",
    )
    return table
