"""python manage.py check_bank --course SLUG [--quiz SLUG]: the item-writing checks."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from quizzes import item_checks
from quizzes.models import Quiz
from quizzes.selectors import course_check_findings


class Command(BaseCommand):
    help = (
        "Print every item-writing finding (quizzes/item_checks.py) for a course's "
        "question bank and quizzes, or one quiz; dismissed checks are left out. "
        "Exits with status 1 when any finding is at error level."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, help="course slug")
        parser.add_argument("--quiz", help="only this quiz (slug)")

    def handle(self, *args, course, quiz, **options):
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        only = None
        if quiz:
            only = Quiz.objects.filter(course=target, slug=quiz).first()
            if only is None:
                raise CommandError(f"no quiz {quiz!r} in course {course!r}")
        findings = course_check_findings(course=target, quiz=only)
        write_findings(self.stdout, findings)
        if item_checks.worst_level(findings) == item_checks.ERROR:
            raise SystemExit(1)


def write_findings(stream, findings) -> None:
    """One line per finding, then the count per level (shared with import_bank)."""
    for finding in findings:
        stream.write(finding.line())
    counts = Counter(finding.level for finding in findings)
    stream.write(
        "checks: "
        + ", ".join(
            f"{counts[level]} {level}" for level in reversed(item_checks.LEVELS)
        )
    )
