"""python manage.py export_gift --course SLUG [--quiz SLUG]"""

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from quizzes.banks import gift_export, quiz_questions
from quizzes.models import Question, Quiz


class Command(BaseCommand):
    help = (
        "Print questions as Moodle GIFT: a quiz's questions (--quiz with --course) "
        "or a course's whole bank (--course alone). Questions GIFT cannot hold "
        "(ordering) are skipped and reported on stderr. import_gift reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="course slug (required)")
        parser.add_argument("--quiz", help="quiz slug: only this quiz's questions")

    def handle(self, *args, course, quiz, **options):
        if not course:
            raise CommandError(
                "give --course SLUG (the course's bank) and optionally --quiz SLUG"
            )
        target = Course.objects.filter(slug=course).first()
        if target is None:
            raise CommandError(f"no course with slug {course!r}")
        if quiz:
            found = Quiz.objects.filter(course=target, slug=quiz).first()
            if found is None:
                raise CommandError(f"no quiz {quiz!r} in course {course!r}")
            questions = quiz_questions(found)
        else:
            questions = (
                Question.objects.filter(course=target)
                .prefetch_related("answers")
                .order_by("category", "key")
            )
        exported = gift_export(questions)
        for question, reason in exported.skipped:
            self.stderr.write(f"skipped {question.key!r}: {reason}")
        for question, what in exported.lost:
            self.stderr.write(f"lost in {question.key!r}: {what}")
        self.stdout.write(exported.text, ending="")
