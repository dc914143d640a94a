"""`make loadtest`: a class-sized load on the running cluster (`make cluster`), with
faults, then the audit.

1. prepare.py makes the accounts (students with sessions, staff who teach);
2. Locust (headless, bounded in time, loopback only) runs locustfile.py: the
   students start within ``--spawn-seconds``, answer every question with an
   autosave each and submit; the staff browse at the same time;
3. faults, at fixed shares of the planned run: app server 1 is killed (SIGKILL,
   master and workers) and started again, the cluster's Redis is restarted, and,
   when the cluster runs a task worker, it is killed during a regrade: a staff
   member applies a regrade of the final exam (through the regrade page, as a
   person would: a background job over ``prepare.py``'s graded attempts and the
   students' submitted ones), the worker is killed (SIGKILL) once the job has
   committed a batch and before its last, and started again (``requeue_jobs``
   first: the job resumes after its last committed batch);
4. the figures per kind of request (requests/s, p50/p95/p99, errors), then
   audit.py against the database.

    python bench/cluster/loadtest.py [--students 500] [--staff 20]
        [--spawn-seconds 60] [--think 1] [--time 300] [--no-faults]

Exit status: 0 when the audit finds nothing, 1 otherwise.
"""

import argparse
import csv
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "cluster"
LOAD = VAR / "load"
CLUSTER = ROOT / "ops" / "cluster.sh"
HERE = Path(__file__).resolve().parent


def cluster_env() -> dict[str, str]:
    env = dict(os.environ)
    env_file = VAR / "env"
    if not env_file.exists():
        sys.exit("loadtest: no cluster is running: start it with `make cluster`")
    for line in env_file.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value
    return env


def stamp(start: float) -> str:
    return f"[{time.monotonic() - start:6.1f}s]"


def cluster(*args: str) -> bool:
    env = {**os.environ, "PYTHON_BIN": sys.executable}
    done = subprocess.run([str(CLUSTER), *args], env=env)
    if done.returncode:
        print(f"loadtest: ops/cluster.sh {' '.join(args)} failed", flush=True)
    return done.returncode == 0


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
JOB_ID = re.compile(r'data-job-id="(\d+)"')


class StaffBrowser:
    """One staff member's cookies, for the scripted regrade: pages are fetched
    and forms posted (with their CSRF token) as a browser does."""

    def __init__(self, host: str):
        self.host = host
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.host + path, timeout=60) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict) -> str:
        """Open the page at ``path`` and post its form with ``fields``."""
        token = CSRF_INPUT.search(self.get(path))
        if token is None:
            raise RuntimeError(f"no form at {path}")
        data = urlencode({"csrfmiddlewaretoken": token[1], **fields}).encode()
        with self.opener.open(self.host + path, data=data, timeout=120) as response:
            return response.read().decode()


def start_regrade(host: str, users: dict, reason: str) -> tuple[StaffBrowser, int]:
    """A staff member applies a regrade of the final exam; returns its job's id."""
    staff = users["staff"][0]
    browser = StaffBrowser(host)
    browser.post_form(
        "/accounts/login/",
        {"username": staff["username"], "password": staff["password"]},
    )
    page = browser.post_form(
        f"/teach/courses/{users['course']}/regrade/?quiz={users['quiz']}",
        {"reason": reason},
    )
    found = JOB_ID.search(page)  # the newest of the page's jobs comes first
    if found is None:
        raise RuntimeError("the regrade page shows no job")
    return browser, int(found[1])


def job_progress(browser: StaffBrowser, job: int) -> dict:
    return json.loads(browser.get(f"/jobs/{job}/progress"))


def kill_worker_during_regrade(
    host: str, users: dict, note, stop: threading.Event
) -> None:
    """Start the regrade, kill the worker once the job has committed a batch and
    has more to do, start the worker again. What happened is kept in
    ``regrade.json`` for the audit."""
    reason = f"load test regrade {time.strftime('%Y-%m-%dT%H:%M:%S')}"
    record = {"reason": reason, "job": None, "killed_at": None}
    try:
        browser, job = start_regrade(host, users, reason)
    except (OSError, RuntimeError) as error:
        note(f"regrade not started ({error}); task worker not killed")
        (LOAD / "regrade.json").write_text(json.dumps(record))
        return
    record["job"] = job
    note(f"regrade of the final exam applied: job {job}")
    # The job may wait behind others (the staff's large exports are jobs too).
    deadline = time.monotonic() + 300
    progress = {}
    while time.monotonic() < deadline:
        try:
            progress = job_progress(browser, job)
        except (OSError, ValueError):
            progress = {}
        if progress.get("finished"):
            break
        if (
            progress.get("status") == "running"
            and 0 < progress["done"] < progress["total"]
        ):
            cluster("kill-worker")
            record["killed_at"] = f"{progress['done']}/{progress['total']}"
            note(
                f"task worker killed during the regrade (job {job}: "
                f"{record['killed_at']} attempts done)"
            )
            break
        time.sleep(0.05)
    if record["killed_at"] is None:
        note(
            f"the regrade (job {job}) was not caught mid-way "
            f"({progress.get('status', 'no answer')}): the worker was not killed"
        )
    (LOAD / "regrade.json").write_text(json.dumps(record))
    if record["killed_at"] is not None:
        stop.wait(3)
        cluster("start-worker")
        note("task worker started again (requeue_jobs, then db_worker)")


def faults(
    start: float,
    planned: float,
    stop: threading.Event,
    log: list,
    host: str = "",
    users: dict | None = None,
) -> None:
    """The scripted faults, each at a share of the planned run."""

    def at(share: float) -> bool:
        return not stop.wait(max(0.0, start + share * planned - time.monotonic()))

    def note(text: str) -> None:
        line = f"{stamp(start)} fault: {text}"
        log.append(line)
        print(line, flush=True)

    if at(0.30):
        cluster("kill-app", "1")
        note("app server 1 killed (SIGKILL, master and workers)")
    if at(0.45):
        cluster("start-app", "1")
        note("app server 1 started again")
    if at(0.60):
        if os.environ.get("CLUSTER_REDIS_URL"):
            note(
                "Redis not restarted: CLUSTER_REDIS_URL names a Redis not the cluster's"
            )
        else:
            note("Redis stopped, for 5 s")
            cluster("restart-redis", "5")
            note(
                "Redis started again (empty: the cluster's Redis keeps nothing on disk)"
            )
    if (VAR / "worker.pid").exists() and users and at(0.66):
        kill_worker_during_regrade(host, users, note, stop)


def print_stats(prefix: Path) -> None:
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
    print(
        f"\n{'kind of request':<28}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        print(
            f"{name:<28}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>9}{row['95%']:>9}"
            f"{row['99%']:>9}{float(row['Max Response Time']):>9.0f}"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = list(csv.DictReader(failures.read_text().splitlines()))
        if lines:
            print("\nerrors (each failed try; retried ones included):")
            for row in lines:
                print(f"  {row['Occurrences']:>6} x {row['Name']}: {row['Error']}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--spawn-seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--time", type=int, default=300, help="upper bound, seconds")
    parser.add_argument(
        "--regrade-students",
        type=int,
        default=450,
        help="graded attempts the regrade walks besides the students' (prepare.py)",
    )
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8080))
    )
    args = parser.parse_args()

    env = cluster_env()
    host = f"http://127.0.0.1:{args.port}"
    try:
        urllib.request.urlopen(f"{host}/healthz", timeout=5).read()
    except OSError as error:
        sys.exit(f"loadtest: the cluster does not answer on {host} ({error})")
    LOAD.mkdir(parents=True, exist_ok=True)
    users, record, prefix = LOAD / "users.json", LOAD / "sent.jsonl", LOAD / "stats"
    record.unlink(missing_ok=True)
    (LOAD / "regrade.json").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, str(HERE / "prepare.py"), "--students", str(args.students),
         "--staff", str(args.staff), "--regrade-students",
         str(args.regrade_students), "--out", str(users)],
        check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    users_total = args.students + args.staff
    rate = max(1.0, users_total / args.spawn_seconds)
    # The faults fall while students are answering: within the spawn and the
    # answering time (20 questions, THINK seconds apart on average).
    planned = args.spawn_seconds + 20 * args.think + 10
    print(
        f"loadtest: {args.students} students and {args.staff} staff on {host}, "
        f"spawned at {rate:.1f}/s, {args.think}s between answers, at most "
        f"{args.time}s; faults: {'none' if args.no_faults else 'on'}",
        flush=True,
    )
    locust_env = {
        **os.environ,
        "LOAD_USERS": str(users),
        "LOAD_RECORD": str(record),
        "LOAD_THINK": str(args.think),
        "LOAD_STAFF": str(args.staff),
    }
    start = time.monotonic()
    stop = threading.Event()
    log: list[str] = []
    thread = None
    if not args.no_faults:
        thread = threading.Thread(
            target=faults,
            args=(start, planned, stop, log, host, json.loads(users.read_text())),
        )
        thread.start()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
             "--headless", "--only-summary", "--host", host,
             "-u", str(users_total), "-r", f"{rate:.2f}", "-t", f"{args.time}s",
             "--csv", str(prefix), "--loglevel", "WARNING", "--stop-timeout", "10"],
            env=locust_env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        stop.set()
        if thread:
            thread.join()
    elapsed = time.monotonic() - start
    regrade_done = (LOAD / "regrade.json").exists()
    if thread and (VAR / "worker.pid").exists() and not regrade_done:
        # The students finished before the regrade's turn (a short run): the fault
        # runs now, after the load, so no run passes its audit without the task
        # worker killed during a regrade.
        def note(text: str) -> None:
            line = f"{stamp(start)} fault (after the load): {text}"
            log.append(line)
            print(line, flush=True)

        kill_worker_during_regrade(
            host, json.loads(users.read_text()), note, threading.Event()
        )
    (LOAD / "locust.log").write_text(run.stdout + run.stderr)
    # A fault not reached (a short run) is undone: the cluster is left whole.
    cluster("start-app", "1")
    if (VAR / "worker.pid").exists() or "task worker killed" in "".join(log):
        cluster("start-worker")
    print(
        f"\nlocust ran {elapsed:.0f}s (exit {run.returncode}: 1 when a request "
        f"failed, retried ones included); its output: {LOAD / 'locust.log'}"
    )
    print_stats(prefix)
    if log:
        print("\nfaults:\n  " + "\n  ".join(log))
    audit = subprocess.run(
        [sys.executable, str(HERE / "audit.py"), str(record)], env=env, cwd=ROOT
    )
    return audit.returncode


if __name__ == "__main__":
    sys.exit(main())
