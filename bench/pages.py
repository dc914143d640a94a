"""Throughput of the pages a student spends their time on, relative to /livez.

/livez answers without the database, the cache or the session: what every request
costs in the framework and its middleware, the floor no page can go below. Every
page, /healthz (the readiness check) included, is a ratio to it (issue 14's goals
beside each figure).
"""

from bench.core import Context, Table, benchmark
from bench.loadgen import measure_interleaved

CONNECTIONS = 4  # enough to keep both workers busy while the client parses answers
# Goals, as ratios to /livez (issue 14).
HEALTHZ_GOAL = 0.8  # no connection set-up per request
LESSON_GOAL = 0.5  # lesson and syllabus pages
SYLLABUS_GOAL = 0.5
GRADES_GOAL = 0.3  # the student's Grades page of the course
BASELINE = "/livez"


def measure_pages(ctx: Context, site, targets) -> tuple[object, dict]:
    """Interleave ``targets`` with /livez on ``site``, with this run's round sizes.

    Shared by every throughput benchmark so their figures are comparable.
    """
    return measure_interleaved(
        site.host,
        site.port,
        site.target("livez", BASELINE, logged_in=False),
        targets,
        rounds=ctx.pick(12, 6),
        seconds=ctx.pick(1.0, 0.5),
        connections=CONNECTIONS,
        server_cpu=site.worker_cpu,
    )


def throughput_table(title: str, site, base, results, goals: dict[str, float]) -> Table:
    """The shared report layout of throughput benchmarks.

    The goal verdict uses the requests/second ratio; the CPU columns (server
    worker CPU per request, and /livez's over the page's) are a cross-check that
    other programs on the machine cannot skew.
    """
    table = Table(
        title,
        ["page", "req/s", "x livez", "range", "goal", "CPU ms/req",
         "x livez by CPU", "failed"],
    )  # fmt: skip
    base_cpu = base.server_cpu_ms
    table.add(
        BASELINE,
        f"{base.median_rps:,.0f}",
        "1.00",
        "",
        "",
        "n/a" if base_cpu is None else f"{base_cpu:.2f}",
        "1.00" if base_cpu else "n/a",
        base.failures,
    )
    for name, result in results.items():
        goal = goals.get(name)
        verdict = ""
        if goal is not None:
            met = "met" if result.median_ratio >= goal else "NOT met"
            verdict = f">= {goal:.2f} {met}"
        cpu = result.server_cpu_ms
        table.add(
            name,
            f"{result.median_rps:,.0f}",
            f"{result.median_ratio:.2f}",
            f"{min(result.ratios):.2f}-{max(result.ratios):.2f}",
            verdict,
            "n/a" if cpu is None else f"{cpu:.2f}",
            f"{base_cpu / cpu:.2f}" if cpu and base_cpu else "n/a",
            result.failures,
        )
    first = next(iter(results.values()))
    table.notes.append(
        f"{site.description}, DEBUG off, SQLite; {CONNECTIONS} connections; "
        f"{len(first.rounds)} rounds of ~{first.rounds[0].seconds:.1f} s per page, "
        f"each between two {BASELINE} rounds; req/s and ratios are medians over rounds"
    )
    table.notes.append(
        f"the load generator used {base.client_cpu_share:.0%} of a core on "
        f"{BASELINE}, "
        + ", ".join(
            f"{r.client_cpu_share:.0%} on {name}" for name, r in results.items()
        )
    )
    table.data = {
        "livez": {"rps": base.median_rps, "cpu_ms": base_cpu},
        **{
            name: {
                "rps": r.median_rps,
                "ratio": r.median_ratio,
                "ratios": r.ratios,
                "cpu_ms": r.server_cpu_ms,
                "failures": r.failures,
            }
            for name, r in results.items()
        },
    }
    return table


@benchmark("pages", title="Lesson, syllabus and Grades page throughput", order=10)
def pages(ctx: Context) -> Table:
    site = ctx.site()
    healthz = site.target("/healthz", "/healthz", logged_in=False)
    lesson = site.target("lesson", site.info["lesson_path"])
    syllabus = site.target("syllabus", site.info["syllabus_path"])
    grades = site.target("grades", site.info["grades_path"])
    base, results = measure_pages(ctx, site, [healthz, lesson, syllabus, grades])
    table = throughput_table(
        "Throughput, logged-in student (ratio to /livez, higher is better)",
        site,
        base,
        results,
        {
            "/healthz": HEALTHZ_GOAL,
            "lesson": LESSON_GOAL,
            "syllabus": SYLLABUS_GOAL,
            "grades": GRADES_GOAL,
        },
    )
    table.notes.insert(
        0,
        f"lesson = {site.info['lesson_path']} ; syllabus = "
        f"{site.info['syllabus_path']} ({site.info['lesson_count']} lessons); "
        f"grades = {site.info['grades_path']} ({site.info['grades_quizzes']} quizzes)",
    )
    return table
