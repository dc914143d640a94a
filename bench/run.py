"""Run coursesite's benchmarks and print a report: ``make bench``.

    .venv/bin/python bench/run.py                   every default benchmark
    .venv/bin/python bench/run.py --quick           shorter rounds, fewer repeats
    .venv/bin/python bench/run.py --only pages      one benchmark (repeatable)
    .venv/bin/python bench/run.py --list            what there is

The report never fails on a timing: goals are printed as met or not met, and the
exit status is 0 unless a benchmark itself broke (then 1, with its traceback).
Figures are also written to bench/results/latest.json (not committed).
"""

import argparse
import datetime
import json
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402, F401  (register)
    bank_bench,
    corpus,
    docx_bench,
    imports,
    journey,
    markdown_bench,
    pages,
    profiling,
    queries,
    quiz_bench,
    teach_bench,
)
from bench.core import REGISTRY, ROOT, Context, resolve  # noqa: E402


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Run coursesite's benchmarks."
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter rounds and fewer repeats"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this benchmark, or group (quiz, teach): repeatable, or "
        "comma-separated",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (logs, DBs)"
    )
    args = parser.parse_args(argv)
    names = [n.strip() for item in args.only or () for n in item.split(",")]
    try:
        names = resolve(names)
    except KeyError as unknown:
        parser.error(
            f"unknown benchmark {unknown.args[0]}; "
            f"choose from {', '.join(REGISTRY)} (or a group: the part before '-')"
        )
    ordered = sorted(REGISTRY.values(), key=lambda b: b.order)
    args.names = names or [b.name for b in ordered if b.default]
    return args


def _environment() -> dict:
    import django

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    try:
        import gunicorn

        gunicorn_version = gunicorn.__version__
    except ImportError:
        gunicorn_version = "not installed"
    import os

    return {
        "commit": commit,
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "cpus": os.cpu_count(),
        "cache": (
            "redis (REDIS_URL)"
            if os.environ.get("REDIS_URL")
            else "file-based, shared by the workers (no REDIS_URL)"
        ),
    }


def main(argv: list[str]) -> int:
    args = _parse_args(argv)
    if args.list:
        width = max(len(name) for name in REGISTRY)
        for bench in sorted(REGISTRY.values(), key=lambda b: b.order):
            suffix = "" if bench.default else "  (only with --only)"
            print(f"{bench.name:{width}} {bench.title}{suffix}")
        return 0
    env = _environment()
    print(
        f"coursesite bench @ {env['commit']}  {'quick' if args.quick else 'full'} run"
        f"  | Python {env['python']}, Django {env['django']}, gunicorn "
        f"{env['gunicorn']}, {env['cpus']} CPUs, cache {env['cache']}"
    )
    ctx = Context(quick=args.quick, keep=args.keep)
    report = {"environment": env, "quick": args.quick, "benchmarks": {}}
    broken = []
    started = time.monotonic()
    try:
        for name in args.names:
            bench = REGISTRY[name]
            print(f"\n[{name}] {bench.title} ...", flush=True)
            t0 = time.monotonic()
            try:
                table = bench.run(ctx)
            except Exception:
                broken.append(name)
                print(f"!! benchmark {name!r} broke:", file=sys.stderr)
                traceback.print_exc()
                continue
            print(table.render(), flush=True)
            print(f"  ({time.monotonic() - t0:.0f} s)")
            report["benchmarks"][name] = {"title": table.title, "data": table.data}
    finally:
        ctx.close()
    print(f"\ntotal {time.monotonic() - started:.0f} s", end="")
    print(f"; BROKEN: {', '.join(broken)}" if broken else "")
    report["finished"] = datetime.datetime.now(datetime.UTC).isoformat()
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
