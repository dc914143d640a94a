"""python manage.py export_bank --course SLUG [--quiz SLUG]
--format gift|moodle-xml|json"""

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from quizzes.bank_formats import BankFileError, bank_export, export_format_names
from quizzes.models import Quiz


class Command(BaseCommand):
    help = (
        "Print a course's question bank (or, with --quiz, one quiz's questions) "
        "as GIFT, Moodle XML or coursesite JSON. Questions a format cannot hold "
        "are skipped and reported on stderr. import_bank reads the output back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, help="course slug")
        parser.add_argument("--quiz", help="quiz slug: only this quiz's questions")
        parser.add_argument(
            "--format", dest="format_name", required=True, choices=export_format_names()
        )

    def handle(self, *args, course, quiz, format_name, **options):
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        found = None
        if quiz:
            found = Quiz.objects.filter(course=target, slug=quiz).first()
            if found is None:
                raise CommandError(f"no quiz {quiz!r} in course {course!r}")
        try:
            exported = bank_export(course=target, quiz=found, format_name=format_name)
        except BankFileError as error:
            raise CommandError(str(error)) from error
        for question, reason in exported.skipped:
            self.stderr.write(f"skipped {question.key!r}: {reason}")
        for question, what in exported.lost:
            self.stderr.write(f"lost in {question.key!r}: {what}")
        self.stdout.write(exported.text, ending="")
