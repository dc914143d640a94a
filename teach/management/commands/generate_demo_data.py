"""python manage.py generate_demo_data --students N [--seed S] [--course SLUG]"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lessons.models import Course
from teach.demo import demo_data_generate


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create demo students in a course: enrolments, lesson progress and graded "
        "attempts with a mix of abilities (see teach/demo.py). Adds to any demo "
        "students already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--course", help="course slug (default: the only course there is)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="simulate and report, then roll everything back",
        )

    def handle(self, *args, students, seed, course, dry_run, **options):
        if students < 1:
            raise CommandError("--students must be at least 1")
        target = self._course(course)
        started = time.monotonic()
        try:
            with transaction.atomic():
                report = demo_data_generate(course=target, students=students, seed=seed)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        self.stdout.write(
            f"{'would create' if dry_run else 'created'} in {target.slug}: "
            f"{report.students} students, {report.lessons_completed} lessons "
            f"completed, {report.attempts} attempts, {report.responses} answers "
            f"({report.waiting} essays waiting for grading) in "
            f"{time.monotonic() - started:.1f} s"
        )

    def _course(self, slug):
        if slug:
            course = Course.objects.filter(slug=slug).first()
            if course is None:
                raise CommandError(f"no course with slug {slug!r}")
            return course
        courses = list(Course.objects.order_by("slug")[:2])
        if len(courses) != 1:
            raise CommandError(
                "no course yet: import one first"
                if not courses
                else "there are several courses: choose one with --course SLUG"
            )
        return courses[0]
