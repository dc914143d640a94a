"""python manage.py import_quiz FILE --course SLUG: read back export_quiz's JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from quizzes.banks import quiz_import_json
from quizzes.services import BankError


class Command(BaseCommand):
    help = (
        "Create or update a quiz and its questions from JSON written by "
        "export_quiz --format json (schema: docs/quiz-json.md). Questions are "
        "matched by key and quizzes by slug; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--course", required=True, help="course slug")

    def handle(self, *args, path, course, **options):
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not valid JSON: {error}") from error
        try:
            report = quiz_import_json(course=target, data=data)
        except BankError as error:
            raise CommandError(f"{path}: nothing imported:\n{error}") from error
        self.stdout.write(
            f"questions: {report.questions_created} created, "
            f"{report.questions_updated} updated, "
            f"{report.questions_unchanged} unchanged; quizzes: "
            f"{report.quizzes_created} created, {report.quizzes_updated} updated"
        )
