"""python manage.py export_quiz SLUG --course SLUG --format gift|json"""

import json

from django.core.management.base import BaseCommand, CommandError

from quizzes.banks import gift_export, quiz_export_json, quiz_questions
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Print a quiz with its questions: as GIFT (questions only; ordering "
        "questions cannot be written and are reported on stderr) or as JSON "
        "(settings too, schema in docs/quiz-json.md; read back by import_quiz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="quiz slug")
        parser.add_argument("--course", required=True, help="course slug")
        parser.add_argument(
            "--format", dest="output_format", choices=["gift", "json"], default="json"
        )

    def handle(self, *args, slug, course, output_format, **options):
        quiz = (
            Quiz.objects.filter(course__slug=course, slug=slug)
            .select_related("course")
            .first()
        )
        if quiz is None:
            raise CommandError(f"no quiz {slug!r} in course {course!r}")
        if output_format == "json":
            data = quiz_export_json(quiz)
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        exported = gift_export(quiz_questions(quiz))
        for question, reason in exported.skipped:
            self.stderr.write(f"skipped {question.key!r}: {reason}")
        for question, what in exported.lost:
            self.stderr.write(f"lost in {question.key!r}: {what}")
        self.stdout.write(exported.text, ending="")
