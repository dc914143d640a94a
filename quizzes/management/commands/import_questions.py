"""python manage.py import_questions FILE --course SLUG: load a question bank (JSON)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from quizzes.services import BankError, question_bank_import


class Command(BaseCommand):
    help = (
        "Create or update a course's questions and quizzes from a JSON question bank "
        "(the 'quizzes' part of export_course). Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--course", help="course slug (default: the file's)")

    def handle(self, *args, path, course, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not valid JSON: {error}") from error
        slug = course or data.get("course") or data.get("slug")
        target = Course.objects.filter(slug=slug).first()
        if target is None:
            raise CommandError(f"no course with slug {slug!r}; import the course first")
        try:
            report = question_bank_import(course=target, data=data)
        except BankError as error:
            raise CommandError(f"{path}: nothing imported:\n{error}") from error
        self.stdout.write(
            f"questions: {report.questions_created} created, "
            f"{report.questions_updated} updated, "
            f"{report.questions_unchanged} unchanged; quizzes: "
            f"{report.quizzes_created} created, {report.quizzes_updated} updated"
        )
