"""python manage.py import_bank FILE --course SLUG [--quiz SLUG]
[--format auto|gift|moodle-xml|aiken|json] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from lessons.problems import more_problems
from quizzes.bank_formats import (
    AUTO,
    BankFileError,
    bank_file_findings,
    bank_import,
    import_format_names,
)
from quizzes.management.commands.check_bank import write_findings


class Command(BaseCommand):
    help = (
        "Import a question bank file (GIFT, Moodle XML, Aiken or coursesite JSON; "
        "sniffed from the content with --format auto) into a course's bank and, "
        "with --quiz, into that quiz (created as an unpublished draft if missing). "
        "All or nothing: a file with any error imports nothing and every error is "
        "listed with its line. Re-importing the same file creates nothing."
    )
    # Set by a command for one format (import_gift): no --format, and the
    # summary line without the format's name.
    fixed_format: str | None = None

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bank file")
        parser.add_argument("--course", required=True, help="course slug")
        parser.add_argument("--quiz", help="also add the questions to this quiz slug")
        if self.fixed_format is None:
            self._add_format_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes, write nothing"
        )

    def _add_format_argument(self, parser):
        parser.add_argument(
            "--format",
            dest="format_name",
            choices=[AUTO, *import_format_names()],
            default=AUTO,
            help="the file's format (default: sniffed from its content)",
        )

    def handle(self, *args, path, course, quiz, dry_run, format_name=AUTO, **options):
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        try:
            result = bank_import(
                course=target,
                data=data,
                format_name=self.fixed_format or format_name,
                quiz_slug=quiz,
                dry_run=dry_run,
            )
        except BankFileError as error:
            lines = [_located(path, problem) for problem in error.errors]
            if error.more:
                lines.append(more_problems(error.more))
            raise CommandError(
                f"{path}: nothing imported, {error.total} problem(s):\n"
                + "\n".join(lines)
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(_located(path, warning, "warning: "))
        named = "" if self.fixed_format else f" ({result.format})"
        self.stdout.write(f"{path}{named}: {result.summary}")
        if dry_run:
            # What an instructor should look at before importing: the item checks.
            write_findings(
                self.stdout,
                bank_file_findings(
                    data=data, format_name=result.format, quiz_slug=quiz
                ),
            )


def _located(path: str, problem, prefix: str = "") -> str:
    where = f"{path}:{problem.line}" if problem.line else path
    return f"{where}: {prefix}{problem.message}"
