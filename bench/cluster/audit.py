"""The load test's audit: the cluster's database against what the clients sent.

Reads the clients' record (JSON lines from locustfile.py) and checks, with the
cluster's settings:

- answers lost: a save the site acknowledged whose answer (the last acknowledged
  one for that question) is not the one stored;
- attempts lost: a start acknowledged with no attempt row, a submit acknowledged
  whose attempt is still in progress;
- attempts graded twice: more than one attempt per student at the exam (a start
  repeated), or an attempt whose grading time is after the client's first
  acknowledged submit (graded again by a repeated submit);
- grades differing from a regrade: every response graded again from its stored
  answer (the grading the submit ran), and every attempt's total summed again;
- the regrade the task worker was killed in (``regrade.json`` beside the record,
  written by loadtest.py): its job must end done once the worker is back (waited
  for, at most ``REGRADE_WAIT`` seconds), a fresh regrade of the quiz must change
  nothing, and every answer ``prepare.py`` made stale must have been changed
  exactly once (one audit row each, as many as the job counted); a worker kill
  that missed the job (it ended first, or never started) counts too.

Prints the figures and exits 1 when one of them is not 0.

    python bench/cluster/audit.py var/cluster/load/sent.jsonl
"""

import json
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings")

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402

from coursesite.models import Job  # noqa: E402
from quizzes import grading, grading_services  # noqa: E402
from quizzes.forms import answers_from_post  # noqa: E402
from quizzes.models import Attempt, AttemptState, GradeChange, Quiz  # noqa: E402

REGRADE_WAIT = 300  # seconds the audit waits for the regrade job to end


def regrade_figures(load: Path) -> dict[str, int]:
    """The regrade run during the load (none: no figures)."""
    path = load / "regrade.json"
    if not path.exists():
        return {}
    regrade = json.loads(path.read_text())
    users = json.loads((load / "users.json").read_text())
    print(
        f"\nRegrade during the load: job {regrade['job']}, worker killed at "
        f"{regrade['killed_at'] or 'never (not caught mid-way)'}"
    )
    if regrade["job"] is None:
        return {"regrade: worker kill missed": 1, "regrade jobs not done": 1}
    deadline = time.monotonic() + REGRADE_WAIT
    job = Job.objects.get(pk=regrade["job"])
    while not job.finished and time.monotonic() < deadline:
        time.sleep(1)
        job.refresh_from_db()
    quiz = Quiz.objects.select_related("course").get(
        course__slug=users["course"], slug=users["quiz"]
    )
    fresh = grading_services.regrade_preview(course=quiz.course, quiz=quiz)
    rows = Counter(
        GradeChange.objects.filter(
            kind=GradeChange.Kind.REGRADE, reason=regrade["reason"]
        ).values_list("response_id", flat=True)
    )
    expected = users["regrade"]["stale_responses"]
    counted = job.result.get("responses_changed", 0)
    for name, value in (
        ("job status, tries", f"{job.status}, {job.tries}"),
        ("attempts regraded", f"{job.done} of {job.total}"),
        ("answers made stale by prepare.py", expected),
        ("answers the job counted as changed", counted),
        ("audit rows of the regrade", sum(rows.values())),
    ):
        print(f"  {name:<34} {value}")
    return {
        # The fault did not happen: the run did not test what it says.
        "regrade: worker kill missed": int(regrade["killed_at"] is None),
        "regrade jobs not done": int(job.status != Job.Status.DONE),
        "regrade: answers changed twice": sum(n - 1 for n in rows.values() if n > 1),
        "regrade: stale answers not changed": max(0, expected - len(rows)),
        "regrade: changes counted != rows": abs(counted - sum(rows.values())),
        "answers a fresh regrade changes": fresh.responses_changed,
    }


def _posted(fields: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    for name, values in fields.items():
        post.setlist(name, values)
    return post


def main() -> int:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines()]
    starts = {r["attempt"]: r["user"] for r in rows if r["kind"] == "start"}
    last_acked: dict[tuple[int, int], dict] = {}
    sent = Counter()
    for r in rows:
        if r["kind"] == "save":
            sent["saves sent"] += 1
            if r["acked"]:
                sent["saves acknowledged"] += 1
                last_acked[(r["attempt"], r["position"])] = r["fields"]
        elif r["kind"] == "retry":
            sent["requests retried"] += 1
        elif r["kind"] == "error":
            sent["client errors"] += 1
    submits = {}
    for r in rows:
        if r["kind"] == "submit" and r["acked"]:
            submits.setdefault(r["attempt"], r["at"])
    attempts = {
        a.pk: a
        for a in Attempt.objects.filter(pk__in=starts).prefetch_related("responses")
    }
    users = {a.user_id for a in attempts.values()}
    quiz_ids = {a.quiz_id for a in attempts.values()}
    per_student = Counter(
        Attempt.objects.filter(user_id__in=users, quiz_id__in=quiz_ids).values_list(
            "user_id", flat=True
        )
    )

    lost = 0
    for (attempt_id, position), fields in last_acked.items():
        attempt = attempts.get(attempt_id)
        response = (
            next((r for r in attempt.responses.all() if r.position == position), None)
            if attempt
            else None
        )
        if response is None:
            lost += 1
            continue
        raw = answers_from_post(_posted(fields), [response]).get(position)
        expected = grading.normalise_response(response.snapshot, raw)
        if response.answer != expected:
            lost += 1

    attempts_lost = sum(1 for pk in starts if pk not in attempts)
    submits_lost = sum(
        1
        for pk in submits
        if pk in attempts and attempts[pk].state == AttemptState.IN_PROGRESS
    )
    twice = sum(n - 1 for n in per_student.values() if n > 1)
    for pk, at in submits.items():
        attempt = attempts.get(pk)
        if attempt and attempt.submitted_at:
            acked_at = datetime.fromtimestamp(at, tz=UTC)
            if attempt.submitted_at > acked_at:
                twice += 1

    differ = 0
    graded = 0
    for attempt in attempts.values():
        if attempt.state != AttemptState.GRADED:
            continue
        graded += 1
        total = 0.0
        same = True
        for response in attempt.responses.all():
            result = grading.grade(response.snapshot, response.answer)
            score = grading.score(response.snapshot, result, response.max_mark)
            total += score or 0
            if abs((score or 0) - (response.score or 0)) > 1e-9:
                same = False
        if not same or abs(round(total, 7) - (attempt.score or 0)) > 1e-6:
            differ += 1

    states = Counter(a.state for a in attempts.values())
    print("\nAudit (database against what the clients sent)")
    for name in (
        "saves sent",
        "saves acknowledged",
        "requests retried",
        "client errors",
    ):
        print(f"  {name:<34} {sent[name]}")
    print(f"  {'attempts started':<34} {len(starts)}")
    print(f"  {'attempts submitted (acknowledged)':<34} {len(submits)}")
    print(f"  {'attempts by state':<34} {dict(states)}")
    print(f"  {'attempts graded, regraded here':<34} {graded}")
    figures = {
        "answers lost": lost,
        "attempts lost": attempts_lost,
        "submits lost": submits_lost,
        "attempts graded twice": twice,
        "grades differing from a regrade": differ,
    }
    for name, value in figures.items():
        print(f"  {name:<34} {value}")
    regrade = regrade_figures(Path(sys.argv[1]).parent)
    for name, value in regrade.items():
        print(f"  {name:<34} {value}")
    figures.update(regrade)
    bad = {k: v for k, v in figures.items() if v}
    print("  audit: " + ("PASSED (all 0)" if not bad else f"FAILED {bad}"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
