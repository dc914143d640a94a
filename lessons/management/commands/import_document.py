"""python manage.py import_document PATH [--format] [--slug] [--title] [--publish]
[--dry-run]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from lessons import importing
from lessons.importing import DocumentError, parse_file
from lessons.media import (
    course_images_attach,
    document_images_check,
    document_images_resolve,
    image_references,
)
from lessons.models import Course
from lessons.services import course_import

#: What ``--format`` offers: the readers of ``lessons.importing``.
FORMAT_CHOICES = tuple(dict.fromkeys((*importing.FORMATS, *importing.FILE_FORMATS)))


class Command(BaseCommand):
    help = (
        "Import a plain-text, Markdown, reStructuredText, HTML or Word (.docx) "
        "document, a .zip holding a Markdown or HTML document and its images (or a "
        "course exported as JSON) as a course. Re-importing updates changed lessons in "
        "place. A sidecar file NAME.hints.json next to the document, if present, "
        "adds structure hints."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="the document: .txt, .md, .rst, .html, .docx, .zip or .json"
        )
        parser.add_argument(
            "--format",
            choices=FORMAT_CHOICES,
            default="auto",
            help="how to read the document (default: auto, from the file's "
            "extension, then its content)",
        )
        parser.add_argument("--slug", help="course slug (default: from the title)")
        parser.add_argument("--title", help="course title (default: from the document)")
        parser.add_argument(
            "--publish", action="store_true", help="publish the course to students"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes, write nothing"
        )
        parser.add_argument(
            "--hints", help="structure hints JSON (default: NAME.hints.json if present)"
        )

    def handle(self, *args, path, slug, title, publish, dry_run, hints, **options):
        source = Path(path)
        document_format = options.get("format", "auto")
        if document_format not in FORMAT_CHOICES:
            raise CommandError(
                f"--format {document_format}: not supported; use one of "
                f"{', '.join(FORMAT_CHOICES)}"
            )
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        hint_data = self._read_hints(source, hints)
        try:
            parsed = parse_file(
                data, filename=source.name, hints=hint_data, format=document_format
            )
        except DocumentError as error:
            raise CommandError(f"{source.name}: {error}") from error
        problems = parsed.markdown_problems()
        if problems:
            raise CommandError(
                f"{source.name}: nothing imported, {problems.total} section(s) "
                "cannot be displayed:\n" + "\n".join(problems.lines())
            )
        parsed = document_images_check(parsed)
        for warning in parsed.warnings:
            self.stderr.write(f"{source.name}: {warning}")
        raw_export = parsed.export
        if raw_export is not None and not slug:
            # A course export names its own slug: re-importing it updates that course.
            slug = raw_export.get("slug") or None
        has_images = parsed.images or any(
            image_references(lesson.body_markdown) for lesson in parsed.lessons()
        )
        existing = None
        if has_images:
            # A new version of a course's document: its lessons point at the
            # stored images before they are compared (see lessons.media).
            target = slug or slugify(title or parsed.title)[:200] or "course"
            existing = Course.objects.filter(slug=target).first()
            if existing is not None:
                parsed = document_images_resolve(
                    parsed, course=existing, store=not dry_run
                )
        try:
            with transaction.atomic():
                report = course_import(
                    parsed=parsed,
                    slug=slug,
                    title=title,
                    publish=publish,
                    source_name=source.name,
                    dry_run=dry_run,
                    raw_export=raw_export,
                )
                if has_images and existing is None and not dry_run:
                    course_images_attach(
                        course=Course.objects.get(slug=report.course_slug),
                        images=parsed.images,
                    )
        except ValueError as error:  # a registered importer rejected its part
            raise CommandError(f"{source.name}: {error}") from error
        prefix = "[dry run] " if dry_run else ""
        verb = "would create" if dry_run else "created"
        if report.created:
            self.stdout.write(
                f"{prefix}{verb} course {report.course_slug!r} with "
                f"{len(report.added)} lessons"
            )
        elif not report.has_changes:
            self.stdout.write(f"{prefix}course {report.course_slug!r} is up to date")
        else:
            self.stdout.write(f"{prefix}course {report.course_slug!r}:")
        if not report.created:
            for label, slugs in (
                ("added", report.added),
                ("changed", report.changed),
                ("removed", report.removed),
            ):
                for item in slugs:
                    self.stdout.write(f"  {label}: {item}")
            if report.restructured:
                self.stdout.write("  titles or order of sections changed")
            self.stdout.write(
                f"  {len(report.added)} added, {len(report.changed)} changed, "
                f"{len(report.removed)} removed, {len(report.unchanged)} unchanged"
            )

    def _read_hints(self, source: Path, hints: str | None) -> dict | None:
        hint_path = Path(hints) if hints else source.with_suffix(".hints.json")
        if not hint_path.exists():
            if hints:
                raise CommandError(f"hints file {hints} does not exist")
            return None
        try:
            return json.loads(hint_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{hint_path.name}: not valid JSON: {error}") from error
