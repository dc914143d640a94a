"""python manage.py draft_questions --lesson SLUG [--course SLUG] [--count N]"""

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Lesson
from quizzes.banks import questions_draft_for_lesson


class Command(BaseCommand):
    help = (
        "Draft questions (cloze, true/false, multiple choice) from a lesson's text "
        "and store them unpublished for review. Running it again creates nothing "
        "new. Rules: quizzes/drafting.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lesson", required=True, help="lesson slug")
        parser.add_argument(
            "--course", help="course slug (needed when several courses have the lesson)"
        )
        parser.add_argument("--count", type=int, default=6, help="drafts wanted")
        parser.add_argument(
            "--seed", type=int, default=0, help="another seed, other choices"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show the drafts, store nothing"
        )

    def handle(self, *args, lesson, course, count, seed, dry_run, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        lessons = Lesson.objects.filter(slug=lesson).select_related("course")
        if course:
            lessons = lessons.filter(course__slug=course)
        found = list(lessons[:2])
        if not found:
            where = f" in course {course!r}" if course else ""
            raise CommandError(f"no lesson {lesson!r}{where}")
        if len(found) > 1:
            raise CommandError(
                f"several courses have a lesson {lesson!r}: name one with --course"
            )
        created = questions_draft_for_lesson(
            lesson=found[0], count=count, seed=seed, dry_run=dry_run
        )
        prefix = "[dry run] " if dry_run else ""
        for question in created:
            text = " ".join(question.text.split())
            self.stdout.write(f"{prefix}{question.key}  {question.type}  {text}")
        self.stdout.write(
            f"{prefix}{len(created)} draft question(s) "
            f"{'would be ' if dry_run else ''}created for {found[0].slug!r} "
            "(unpublished)"
        )
