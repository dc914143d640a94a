"""python manage.py requeue_jobs: queue again the background jobs a worker left.

A worker killed or restarted in the middle of a job leaves it "running" with no one
running it. Run this when a worker starts and every minute (cron, beside
close_overdue_attempts): a job waiting or running that has not moved for
JOB_STALE_SECONDS is queued again, and resumes (its work is idempotent).
"""

from django.core.management.base import BaseCommand

from coursesite.jobs import jobs_requeue_stale


class Command(BaseCommand):
    help = "Queue again the background jobs that have not moved for a while."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-seconds",
            type=float,
            default=None,
            help="how long a job may stay still (default: JOB_STALE_SECONDS)",
        )

    def handle(self, *args, stale_seconds, **options):
        requeued = jobs_requeue_stale(stale_seconds=stale_seconds)
        self.stdout.write(
            f"{len(requeued)} job(s) queued again"
            + (f": {', '.join(map(str, requeued))}" if requeued else "")
        )
