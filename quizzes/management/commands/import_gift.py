"""python manage.py import_gift FILE --course SLUG [--quiz SLUG] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from lessons.problems import more_problems
from quizzes.banks import gift_import
from quizzes.gift import GiftError


class Command(BaseCommand):
    help = (
        "Import a Moodle GIFT file into a course's question bank (and, with --quiz, "
        "into that quiz, created as an unpublished draft if missing). All or "
        "nothing: a file with any error imports nothing. Re-importing the same "
        "file creates nothing (see quizzes.banks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the GIFT file (UTF-8)")
        parser.add_argument("--course", required=True, help="course slug")
        parser.add_argument("--quiz", help="also add the questions to this quiz slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes, write nothing"
        )

    def handle(self, *args, path, course, quiz, dry_run, **options):
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path}: not UTF-8 text (byte {error.start})"
            ) from error
        try:
            report = gift_import(
                course=target, text=text, quiz_slug=quiz, dry_run=dry_run
            )
        except GiftError as error:
            lines = [f"{path}:{p.line}: {p.message}" for p in error.errors]
            if error.more:
                lines.append(more_problems(error.more))
            raise CommandError(
                f"{path}: nothing imported, {error.total} problem(s):\n"
                + "\n".join(lines)
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        for warning in report.warnings:
            self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")
        self.stdout.write(f"{path}: {report.summary()}")
