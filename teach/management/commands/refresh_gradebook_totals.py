"""python manage.py refresh_gradebook_totals [--course SLUG]"""

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Course
from teach.gradebook_totals import enrolment_totals_refresh


class Command(BaseCommand):
    help = (
        "Store every enrolment's course total again (the gradebook sorts by it): "
        "after attempts loaded in bulk, or once after upgrading."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="course slug (default: every course)")

    def handle(self, *args, course=None, **options):
        courses = Course.objects.all()
        if course:
            courses = courses.filter(slug=course)
            if not courses.exists():
                raise CommandError(f"No course {course!r}.")
        written = sum(enrolment_totals_refresh(course=c) for c in courses)
        self.stdout.write(f"{written} enrolment totals stored.")
