"""python manage.py export_course [SLUG]: print a course as JSON, or list the slugs."""

import json

from django.core.management.base import BaseCommand, CommandError

from lessons.exporting import course_export_data
from lessons.models import Course


class Command(BaseCommand):
    help = (
        "Print a course as JSON (re-importable with import_document); "
        "with no slug, list the courses' slugs."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="the course to export")

    def handle(self, *args, slug, **options):
        if not slug:
            for course_slug in Course.objects.order_by("slug").values_list(
                "slug", flat=True
            ):
                self.stdout.write(course_slug)
            return
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(
                f"no course with slug {slug!r}; run export_course without a slug to "
                "list them"
            )
        self.stdout.write(
            json.dumps(course_export_data(course=course), indent=2, ensure_ascii=False)
        )
