"""A regrade's dry run as the regrade page shows it: what a regrade of a question or
a quiz would change, per attempt and question.

One computation (``quizzes.grading_services.regrade_preview``, the same one the
regrade itself runs), two places to run it, and one rule to choose:

- a regrade touching at most ``REGRADE_DIRECT_MAX_ATTEMPTS`` attempts: in the
  page's request;
- a larger one: by a background job (``teach/jobs.py``, kind "regrade dry run"),
  started by the first visit of the page; the page shows its progress, then the
  report kept on the job. The job keeps the target's state token
  (``grading_services.regrade_target_state``) it was computed at: when answers
  or questions have changed since, the page says so and offers to run it again
  (never automatically, so a quiz whose attempts keep arriving still shows one).

Either way the page renders ``report_of(plan)``, plain data a job keeps as JSON.
The report and the progress are the job owner's only (``coursesite.jobs``), and
the page that shows them is scoped to the courses its user teaches.
"""

from dataclasses import dataclass

from django.conf import settings

from coursesite import jobs
from coursesite.models import Job
from quizzes import grading_services
from teach import presenting

# The report lists this many changed attempts at most (its counts count all).
ROWS_SHOWN = 500


def report_of(plan: grading_services.RegradePlan) -> dict:
    """What the page shows of a dry run, as plain data (JSON for a job)."""
    return {
        "checked": plan.checked,
        "unchanged": plan.unchanged,
        "responses_changed": plan.responses_changed,
        "attempts_changed": len(plan.changed),
        "pass_flips": plan.pass_flips,
        "skipped": dict(plan.skipped),
        "rows": [
            {
                "attempt_id": change.attempt_id,
                "student": presenting.display_name(change.user),
                "quiz_title": change.quiz_title,
                "number": change.number,
                "max_score": change.max_score,
                "old_score": change.old_score,
                "new_score": change.new_score,
                "new_passed": change.new_passed,
                "pass_flipped": change.pass_flipped,
                "responses": [
                    {
                        "position": r.position,
                        "old_score": r.old_score,
                        "new_score": r.new_score,
                    }
                    for r in change.responses
                ],
            }
            for change in plan.changed[:ROWS_SHOWN]
        ],
    }


def _target_params(question, quiz) -> dict:
    return {
        "question": question.pk if question else None,
        "quiz": quiz.slug if quiz else None,
    }


@dataclass
class DryRun:
    """What the page shows: the report (once there is one) and, when a job
    computes it, that job and whether the data changed since."""

    report: dict | None
    job: Job | None = None
    stale: bool = False


def dry_run_for_page(*, user, course, question=None, quiz=None) -> DryRun:
    """The dry run of a regrade of ``question`` or ``quiz`` for ``user``'s page:
    computed now (small), or the user's last job for it (started if there is
    none yet)."""
    attempts, state = grading_services.regrade_target_state(
        course=course, question=question, quiz=quiz
    )
    if attempts <= settings.REGRADE_DIRECT_MAX_ATTEMPTS:
        plan = grading_services.regrade_preview(
            course=course, question=question, quiz=quiz
        )
        return DryRun(report=report_of(plan))
    target = _target_params(question, quiz)
    found = jobs.jobs_recent(
        user=user,
        course=course,
        kinds=[Job.Kind.REGRADE_DRY_RUN],
        limit=1,
        params__question=target["question"],
        params__quiz=target["quiz"],
    )
    job = found[0] if found else _start(user, course, target, state)
    report = job.result.get("report") if job.status == Job.Status.DONE else None
    return DryRun(report=report, job=job, stale=job.params.get("state") != state)


def dry_run_start(*, user, course, question=None, quiz=None) -> Job | None:
    """Run the dry run again by a job (the page's "Run it again"); ``None`` when
    the regrade is small enough for the page to compute it itself."""
    attempts, state = grading_services.regrade_target_state(
        course=course, question=question, quiz=quiz
    )
    if attempts <= settings.REGRADE_DIRECT_MAX_ATTEMPTS:
        return None
    return _start(user, course, _target_params(question, quiz), state)


def _start(user, course, target: dict, state: str) -> Job:
    # Reused while one with the same state is under way: a double click, or two
    # tabs, start one job.
    return jobs.job_start(
        kind=Job.Kind.REGRADE_DRY_RUN,
        owner=user,
        course=course,
        params={**target, "state": state},
        reuse=True,
    )
