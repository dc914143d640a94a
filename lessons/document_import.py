"""Turning an uploaded document into a course, from the staff area or the shell.

One engine for both shells (the ``teach`` pages and ``import_document``): the
document is decoded and parsed by ``lessons.importing``, the instructor's
adjustments (course title, a section's level, merging a section into the one
before, renaming) are applied to the parsed outline, and ``course_import``
writes it.

The first half of this module is pure (plain data in, plain data out):
:func:`outline_sections` flattens a ``ParsedDocument`` into the list of
sections the preview shows, :func:`outline_adjust` applies adjustments to it and
builds the adjusted ``ParsedDocument`` again, :func:`document_warnings` lists
what the instructor should check. The second half reads and writes:
:func:`document_preview` (writes nothing: the diff against an existing course is
a dry run of ``course_import``), :func:`document_import_apply`, and the holding
of an upload between the preview and the import (Django's default storage,
under ``imports/<token>/``). A preview and adjustments also go to and from plain
data (:func:`preview_as_data`, :func:`adjustments_as_data`): what a background
job reading a large document keeps on its row and gets as input.

Adjustments keep every lesson's slug (its URL): a renamed or moved lesson is
still matched by a later "Update from a new version" of the same document.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lessons import hooks
from lessons.importing import (
    DocumentError,
    ParsedDocument,
    checksum,
    diff_lessons,
    parse_file,
)
from lessons.media import (
    course_images_attach,
    document_images_check,
    document_images_resolve,
    image_key,
    image_references,
    remote_image_references,
)
from lessons.models import Course
from lessons.rendering import count_words

#: Formats the instructor may choose ("auto" guesses from the name and content).
FORMATS = ("auto", "text", "markdown", "rst", "html", "docx", "zip")
#: How many words of a lesson the preview shows.
FIRST_WORDS = 12

MODULE, LESSON = 1, 2
LEVELS = (MODULE, LESSON)


class OutlineError(ValueError):
    """An adjustment that cannot be applied (the message says why)."""


# --------------------------------------------------------------------------
# The outline as a flat list of sections (pure)


@dataclass(frozen=True)
class Section:
    """One heading of the document: a module (level 1) or a lesson (level 2).

    ``lesson`` is the ParsedLesson holding its text (a module heading with no
    text of its own has none); ``module`` the ParsedModule a level-1 section
    was read from.
    """

    level: int
    title: str
    lesson: object | None = None
    module: object | None = None

    @property
    def body(self) -> str:
        return self.lesson.body_markdown if self.lesson is not None else ""


def outline_sections(parsed: ParsedDocument) -> list[Section]:
    """The document's headings in order, each with its level and text."""
    sections = []
    for module in parsed.modules:
        lessons = list(module.lessons)
        own = None
        if lessons and lessons[0].title == module.title:
            own = lessons.pop(0)
        sections.append(Section(MODULE, module.title, lesson=own, module=module))
        sections.extend(
            Section(LESSON, lesson.title, lesson=lesson) for lesson in lessons
        )
    return sections


@dataclass(frozen=True)
class Adjustments:
    """What the instructor changed in the preview; indexes are those of
    :func:`outline_sections` on the document as uploaded."""

    title: str = ""
    levels: Mapping[int, int] = field(default_factory=dict)
    merges: frozenset[int] = frozenset()
    renames: Mapping[int, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.title or self.levels or self.merges or self.renames)


def _unique(base: str, taken: set[str]) -> str:
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def outline_adjust(parsed: ParsedDocument, adjustments: Adjustments) -> ParsedDocument:
    """The document with the adjustments applied.

    Raises :class:`OutlineError` for an adjustment that names no section, a
    level other than 1 or 2, an empty title, merging the first section, or an
    outline whose first section would not be a module.
    """
    sections = outline_sections(parsed)
    count = len(sections)
    for index in (*adjustments.levels, *adjustments.merges, *adjustments.renames):
        if not isinstance(index, int) or not 0 <= index < count:
            raise OutlineError(_("There is no section %(number)s.") % {"number": index})
    if adjustments.empty:
        return parsed
    if not sections:
        return dataclasses.replace(
            parsed, title=adjustments.title.strip() or parsed.title
        )
    if 0 in adjustments.merges:
        raise OutlineError(
            _("The first section has no section before it to merge into.")
        )

    adjusted: list[Section] = []
    for index, section in enumerate(sections):
        level = adjustments.levels.get(index, section.level)
        if level not in LEVELS:
            raise OutlineError(_("A section's level is 1 (module) or 2 (lesson)."))
        title = adjustments.renames.get(index, section.title).strip()
        if not title:
            raise OutlineError(_("A section needs a title."))
        adjusted.append(dataclasses.replace(section, level=level, title=title))

    # Merges: a section's text (under its heading) goes to the end of the
    # nearest section before it that is kept; what stays nested keeps its level.
    kept: list[Section] = []
    for index, section in enumerate(adjusted):
        if index not in adjustments.merges:
            kept.append(section)
            continue
        previous = kept[-1]
        text = f"### {section.title}\n\n{section.body}".strip()
        body = f"{previous.body}\n\n{text}" if previous.body else text
        if previous.lesson is not None:
            lesson = previous.lesson
        elif section.lesson is not None:
            # A module heading without text of its own gets the merged text.
            lesson = dataclasses.replace(
                section.lesson, source_heading=previous.module.source_heading
            )
        else:
            lesson = _empty_lesson(parsed, previous, set(_all_slugs(parsed, kept)))
        kept[-1] = dataclasses.replace(
            previous,
            lesson=dataclasses.replace(
                lesson, body_markdown=body, checksum=checksum(body)
            ),
        )
    if kept[0].level != MODULE:
        raise OutlineError(_("The first section must be a module (level 1)."))
    return _rebuild(parsed, kept, title=adjustments.title.strip() or parsed.title)


# --------------------------------------------------------------------------
# Adjustments kept for a new version (pure)
#
# Indexes only mean something for the document as uploaded; a course keeps its
# adjustments by heading instead (``Course.import_adjustments``):
# ``{"title": "...", "sections": [{"heading": "...", "level": 1, "title":
# "...", "merge": true}]}``, each section entry holding only what changed. A new
# version gets them back on the sections with the same heading (the first one
# not taken yet, in order).


def adjustments_record(sections: list[Section], adjustments: Adjustments) -> dict:
    """The adjustments as a course keeps them (JSON), by heading."""
    entries = []
    for index, section in enumerate(sections):
        entry: dict = {}
        if index in adjustments.levels:
            entry["level"] = adjustments.levels[index]
        if index in adjustments.renames:
            entry["title"] = adjustments.renames[index].strip()
        if index in adjustments.merges:
            entry["merge"] = True
        if entry:
            entries.append({"heading": section.title, **entry})
    record: dict = {}
    if adjustments.title.strip():
        record["title"] = adjustments.title.strip()
    if entries:
        record["sections"] = entries
    return record


@dataclass(frozen=True)
class KeptAdjustments:
    """Kept adjustments mapped onto a new version: what applies, described for
    the preview, and the headings the new version no longer has."""

    adjustments: Adjustments
    record: dict  # what the course keeps after this version
    described: tuple[str, ...]
    missing: tuple[str, ...]
    # Why they cannot be applied to this version at all ("" when they can).
    problem: str = ""


def adjustments_for_version(record, sections: list[Section]) -> KeptAdjustments:
    """A course's kept adjustments (``adjustments_record``) on a new version's
    sections. Malformed entries are ignored."""
    record = record if isinstance(record, Mapping) else {}
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    described = [_("Course title: “%(title)s”") % {"title": title}] if title else []
    levels, merges, renames, kept, missing = {}, set(), {}, [], []
    taken: set[int] = set()
    entries = record.get("sections")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("heading"), str):
            continue
        heading = entry["heading"]
        index = next(
            (
                i
                for i, section in enumerate(sections)
                if section.title == heading and i not in taken
            ),
            None,
        )
        if index is None:
            missing.append(heading)
            continue
        taken.add(index)
        kept.append(entry)
        level = entry.get("level")
        if level in LEVELS:
            levels[index] = level
            described.append(
                (
                    _("“%(heading)s” made a module")
                    if level == MODULE
                    else _("“%(heading)s” made a lesson")
                )
                % {"heading": heading}
            )
        new_title = entry.get("title")
        if isinstance(new_title, str) and new_title.strip():
            renames[index] = new_title.strip()
            described.append(
                _("“%(heading)s” renamed “%(title)s”")
                % {"heading": heading, "title": new_title.strip()}
            )
        if entry.get("merge") is True:
            merges.add(index)
            described.append(
                _("“%(heading)s” merged into the section before") % {"heading": heading}
            )
    kept_record: dict = {}
    if title:
        kept_record["title"] = title
    if kept:
        kept_record["sections"] = kept
    return KeptAdjustments(
        adjustments=Adjustments(
            title=title, levels=levels, merges=frozenset(merges), renames=renames
        ),
        record=kept_record,
        described=tuple(described),
        missing=tuple(missing),
    )


def _empty_lesson(parsed: ParsedDocument, section: Section, taken: set[str]):
    """A lesson without text for a heading that has none, as the parser makes
    of a heading with nothing under it."""
    lessons = parsed.lessons()
    if not lessons:
        raise OutlineError(_("This document has no lesson to adjust."))
    heading = (
        section.module.source_heading if section.module is not None else section.title
    )
    return dataclasses.replace(
        lessons[0],
        slug=_unique(slugify(section.title) or "lesson", taken),
        body_markdown="",
        checksum=checksum(""),
        source_heading=heading,
    )


def _all_slugs(parsed: ParsedDocument, sections: list[Section]):
    yield from (lesson.slug for lesson in parsed.lessons())
    yield from (s.lesson.slug for s in sections if s.lesson is not None)


def _rebuild(parsed: ParsedDocument, sections: list[Section], *, title: str):
    """A ParsedDocument from sections (the first one a module)."""
    taken = set(_all_slugs(parsed, sections))
    # Modules read from the document keep their slugs; a lesson moved up to
    # head a module gets one of its own.
    module_slugs = {s.module.slug for s in sections if s.module is not None}
    groups: list[tuple[Section, list]] = []
    for section in sections:
        if section.level == MODULE:
            groups.append((section, []))
        lesson = section.lesson
        if lesson is None and section.level == LESSON:
            lesson = _empty_lesson(parsed, section, taken)
        if lesson is not None:
            groups[-1][1].append(dataclasses.replace(lesson, title=section.title))
    modules = []
    position = 0
    for section, lessons in groups:
        if not lessons:
            lesson = _empty_lesson(parsed, section, taken)
            lessons.append(dataclasses.replace(lesson, title=section.title))
        numbered = []
        for lesson in lessons:
            numbered.append(dataclasses.replace(lesson, position=position))
            position += 1
        if section.module is not None:
            origin, slug = section.module, section.module.slug
        else:
            origin = dataclasses.replace(
                parsed.modules[0], source_heading=section.lesson.source_heading
            )
            slug = _unique(section.lesson.slug, module_slugs)
        modules.append(
            dataclasses.replace(
                origin, title=section.title, slug=slug, lessons=tuple(numbered)
            )
        )
    return dataclasses.replace(parsed, title=title, modules=tuple(modules))


# --------------------------------------------------------------------------
# What the preview shows (pure)


@dataclass(frozen=True)
class LessonSummary:
    title: str
    slug: str
    words: int
    first_words: str


@dataclass(frozen=True)
class ModuleSummary:
    title: str
    lessons: tuple[LessonSummary, ...]


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[#*_`>|~\[\]]|\(\S+?\)")


def first_words(body: str, count: int = FIRST_WORDS) -> str:
    """The first words of a lesson's text, its Markdown markup dropped."""
    words = _MARKUP.sub(" ", body).split()
    text = " ".join(words[:count])
    return f"{text} …" if len(words) > count else text


def outline_summary(parsed: ParsedDocument) -> list[ModuleSummary]:
    return [
        ModuleSummary(
            title=module.title,
            lessons=tuple(
                LessonSummary(
                    title=lesson.title,
                    slug=lesson.slug,
                    words=count_words(lesson.body_markdown),
                    first_words=first_words(lesson.body_markdown),
                )
                for lesson in module.lessons
            ),
        )
        for module in parsed.modules
    ]


def document_warnings(parsed: ParsedDocument) -> list[str]:
    """What the instructor should check before importing: the parser's own
    warnings, headings guessed from a plain-text layout, images that are not
    in the upload, sections without text."""
    # The readers' warnings are lazy: shown in the request's language, told
    # apart by their English words.
    warnings = [str(warning) for warning in getattr(parsed, "warnings", ())]
    with translation.override("en"):
        english = [str(warning) for warning in getattr(parsed, "warnings", ())]
    images = {image_key(name) for name in getattr(parsed, "images", {})}
    guessed = any("heading guessed" in warning for warning in english)
    if parsed.source_format == "text" and not guessed:
        warnings.append(
            _(
                "Headings guessed: the document is plain text, so its sections were "
                "guessed from its layout. Check the outline."
            )
        )
    for lesson in parsed.lessons():
        for source in remote_image_references(lesson.body_markdown):
            warnings.append(
                _(
                    'Image on another site, shown as a link: "%(image)s" in '
                    '"%(section)s".'
                )
                % {"image": source, "section": lesson.title}
            )
        for source in image_references(lesson.body_markdown):
            refused = any(f'"{source}"' in warning for warning in warnings)
            if image_key(source) not in images and not refused:
                warnings.append(
                    _('Image not found: "%(image)s" in "%(section)s".')
                    % {"image": source, "section": lesson.title}
                )
        if not lesson.body_markdown.strip():
            warnings.append(
                _('The section "%(section)s" has no text.') % {"section": lesson.title}
            )
    return list(dict.fromkeys(warnings))


# --------------------------------------------------------------------------
# Reading an upload (pure)


def document_read(*, data: bytes, name: str, fmt: str = "auto") -> ParsedDocument:
    """Decode and parse an upload; every problem is a :class:`DocumentError`.

    The result is a ``ParsedFile``: its ``images`` are those the site accepts
    (see ``lessons.media``), the refused ones named in its warnings.
    """
    if fmt not in FORMATS:
        raise DocumentError(_("Unknown format: %(format)s.") % {"format": fmt})
    too_large = document_too_large(len(data))
    if too_large:
        raise DocumentError(too_large)
    return _checked(parse_file(data, filename=name, format=fmt))


def _checked(parsed: ParsedDocument) -> ParsedDocument:
    problems = parsed.markdown_problems()
    if problems:
        raise DocumentError(
            _("%(count)d section(s) cannot be displayed: %(problems)s")
            % {"count": problems.total, "problems": "; ".join(problems.lines())}
        )
    return document_images_check(parsed)


def document_too_large(size: int) -> str | None:
    """The message refusing a document of ``size`` bytes, or None if it is fine."""
    limit = settings.DOCUMENT_MAX_BYTES
    if size <= limit:
        return None
    return _(
        "The document is %(size)s MB; documents of at most %(limit)s MB can be "
        "imported."
    ) % {"size": _megabytes(size), "limit": _megabytes(limit)}


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


# --------------------------------------------------------------------------
# Preview and import (read, write)


@dataclass(frozen=True)
class CourseChanges:
    """How a new version would change an existing course (titles, in order)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    restructured: bool
    flagged: tuple[str, ...]  # what hooks would flag "source changed"

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.restructured)


@dataclass(frozen=True)
class Preview:
    parsed: ParsedDocument  # adjusted
    sections: list[Section]  # as uploaded: what adjustments refer to
    outline: list[ModuleSummary]
    warnings: list[str]
    changes: CourseChanges | None = None
    # On an update: the course's kept adjustments, applied (or dropped).
    kept: KeptAdjustments | None = None
    source_title: str = ""  # the title as uploaded

    @property
    def title(self) -> str:
        return self.parsed.title

    @property
    def lesson_count(self) -> int:
        return sum(len(module.lessons) for module in self.outline)


def document_preview(
    *,
    data: bytes,
    name: str,
    fmt: str = "auto",
    adjustments: Adjustments | None = None,
    course: Course | None = None,
    keep_adjustments: bool = True,
) -> Preview:
    """What importing the document would make (or, with ``course``, change).

    With ``course`` and ``keep_adjustments``, the adjustments the course keeps
    from its import are applied to the new version (``adjustments`` is then
    ignored). Writes nothing. Raises ``DocumentError`` for a document that
    cannot be read and ``OutlineError`` for adjustments that cannot be applied.
    """
    uploaded = document_read(data=data, name=name, fmt=fmt)
    changes, kept = None, None
    if course is not None:
        parsed, kept = _version_adjusted(uploaded, course, keep_adjustments)
        changes = _course_changes(course=course, parsed=parsed, name=name)
    else:
        parsed = outline_adjust(uploaded, adjustments or Adjustments())
    return Preview(
        parsed=parsed,
        sections=outline_sections(uploaded),
        outline=outline_summary(parsed),
        warnings=document_warnings(uploaded),
        changes=changes,
        kept=kept,
        source_title=uploaded.title,
    )


# --------------------------------------------------------------------------
# A preview and adjustments as plain data (pure): what a background job
# (``teach/jobs.py``) keeps on its row for the page to show, and gets as input.


@dataclass(frozen=True)
class SectionHeading:
    level: int
    title: str


@dataclass(frozen=True)
class PreviewSummary:
    """What a preview page shows, without the parsed document: a preview read
    back from :func:`preview_as_data`."""

    title: str
    source_title: str
    sections: list[SectionHeading]
    outline: list[ModuleSummary]
    warnings: list[str]
    changes: CourseChanges | None = None
    kept: KeptAdjustments | None = None

    @property
    def lesson_count(self) -> int:
        return sum(len(module.lessons) for module in self.outline)


def preview_as_data(preview: Preview) -> dict:
    """A preview as JSON-ready data (:func:`preview_from_data` reads it back)."""
    data = {
        "title": preview.title,
        "source_title": preview.source_title,
        "sections": [[s.level, s.title] for s in preview.sections],
        "outline": [
            {
                "title": module.title,
                "lessons": [dataclasses.asdict(lesson) for lesson in module.lessons],
            }
            for module in preview.outline
        ],
        "warnings": [str(warning) for warning in preview.warnings],
        "changes": None,
        "kept": None,
    }
    if preview.changes is not None:
        changes = dataclasses.asdict(preview.changes)
        changes["flagged"] = [str(item) for item in changes["flagged"]]
        data["changes"] = changes
    if preview.kept is not None:
        data["kept"] = {
            "described": [str(line) for line in preview.kept.described],
            "missing": list(preview.kept.missing),
            "problem": str(preview.kept.problem),
        }
    return data


def preview_from_data(data: dict) -> PreviewSummary:
    changes = kept = None
    if data.get("changes") is not None:
        changes = CourseChanges(
            **{
                key: tuple(value) if isinstance(value, list) else value
                for key, value in data["changes"].items()
            }
        )
    if data.get("kept") is not None:
        kept = KeptAdjustments(
            adjustments=Adjustments(),
            record={},
            described=tuple(data["kept"]["described"]),
            missing=tuple(data["kept"]["missing"]),
            problem=data["kept"]["problem"],
        )
    return PreviewSummary(
        title=data["title"],
        source_title=data["source_title"],
        sections=[SectionHeading(level, title) for level, title in data["sections"]],
        outline=[
            ModuleSummary(
                title=module["title"],
                lessons=tuple(LessonSummary(**lesson) for lesson in module["lessons"]),
            )
            for module in data["outline"]
        ],
        warnings=list(data["warnings"]),
        changes=changes,
        kept=kept,
    )


def adjustments_as_data(adjustments: Adjustments) -> dict:
    return {
        "title": adjustments.title,
        "levels": sorted(adjustments.levels.items()),
        "merges": sorted(adjustments.merges),
        "renames": sorted(adjustments.renames.items()),
    }


def adjustments_from_data(data: dict | None) -> Adjustments:
    data = data or {}
    return Adjustments(
        title=data.get("title", ""),
        levels={int(index): int(level) for index, level in data.get("levels", [])},
        merges=frozenset(int(index) for index in data.get("merges", [])),
        renames={int(index): str(title) for index, title in data.get("renames", [])},
    )


def _version_adjusted(uploaded: ParsedDocument, course: Course, keep: bool):
    """A new version with the course's kept adjustments applied (when ``keep``),
    and those adjustments; an outline they no longer fit raises OutlineError."""
    if not keep or not course.import_adjustments:
        return uploaded, None
    kept = adjustments_for_version(
        course.import_adjustments, outline_sections(uploaded)
    )
    try:
        return outline_adjust(uploaded, kept.adjustments), kept
    except OutlineError as error:  # they no longer fit: the version as it is
        return uploaded, dataclasses.replace(
            kept,
            adjustments=Adjustments(),
            record={},
            described=(),
            problem=str(error),
        )


def _course_changes(*, course: Course, parsed: ParsedDocument, name: str):
    from lessons.services import course_import

    parsed = document_images_resolve(parsed, course=course, store=False)

    existing = {
        lesson.slug: lesson
        for lesson in course.lessons.only("pk", "slug", "title", "source_checksum")
    }
    report = course_import(
        parsed=parsed,
        slug=course.slug,
        source_name=name,
        dry_run=True,
        raw_export=parsed.export,
    )
    titles = {lesson.slug: lesson.title for lesson in parsed.lessons()}
    source_diff = diff_lessons(
        {slug: lesson.source_checksum for slug, lesson in existing.items()},
        {lesson.slug: lesson.checksum for lesson in parsed.lessons()},
    )
    changed_lessons = [existing[slug] for slug in source_diff.changed]
    flagged = [
        item
        for hook in hooks.lesson_source_change_preview
        for item in hook(course, changed_lessons)
    ]
    return CourseChanges(
        added=tuple(titles[slug] for slug in report.added),
        changed=tuple(titles[slug] for slug in report.changed),
        removed=tuple(existing[slug].title for slug in report.removed),
        unchanged=len(report.unchanged),
        restructured=report.restructured,
        flagged=tuple(flagged),
    )


def _free_slug(title: str) -> str:
    base = slugify(title)[:190] or "course"
    taken = set(
        Course.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    return _unique(base, taken)


@transaction.atomic
def document_import_apply(
    *,
    data: bytes,
    name: str,
    fmt: str = "auto",
    adjustments: Adjustments | None = None,
    user,
    course: Course | None = None,
    keep_adjustments: bool = True,
):
    """Create a course from the document (unpublished, ``user`` its instructor)
    or, with ``course``, update it from a new version (progress and lesson URLs
    kept, as ``course_import`` does). Returns ``(course, ImportReport)``.

    A new course keeps ``adjustments`` (by heading, see
    :func:`adjustments_record`); an update re-applies them to the new version,
    or, without ``keep_adjustments``, drops them (``adjustments`` is ignored).
    """
    from lessons.services import course_add_instructor, course_import

    uploaded = document_read(data=data, name=name, fmt=fmt)
    if course is None:
        adjustments = adjustments or Adjustments()
        parsed = outline_adjust(uploaded, adjustments)
        slug = _free_slug(parsed.title)
        report = course_import(
            parsed=parsed, slug=slug, source_name=name, raw_export=parsed.export
        )
        if not report.created:  # another import took the slug meanwhile
            raise DocumentError(_("Another course was created meanwhile; try again."))
        course = Course.objects.get(slug=slug)
        record = adjustments_record(outline_sections(uploaded), adjustments)
        if record:
            course.import_adjustments = record
            course.save(update_fields=["import_adjustments"])
        course_add_instructor(course=course, user=user)
        course_images_attach(course=course, images=getattr(parsed, "images", {}))
        return course, report
    course = Course.objects.select_for_update().get(pk=course.pk)
    parsed, kept = _version_adjusted(uploaded, course, keep_adjustments)
    report = course_import(
        parsed=document_images_resolve(parsed, course=course),
        slug=course.slug,
        source_name=name,
        raw_export=parsed.export,
    )
    record = kept.record if kept is not None and keep_adjustments else {}
    if course.import_adjustments != record:
        Course.objects.filter(pk=course.pk).update(import_adjustments=record)
        course.import_adjustments = record
    return course, report


# --------------------------------------------------------------------------
# Holding an upload between the preview and the import


UPLOAD_FOLDER = "imports"


def document_upload_store(*, data: bytes, name: str) -> str:
    """Keep an upload; returns its token (a random hex string)."""
    token = uuid.uuid4().hex
    default_storage.save(_upload_path(token), ContentFile(data))
    return token


def document_upload_read(*, token: str) -> bytes | None:
    path = _upload_path(token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as upload:
        return upload.read()


def document_upload_discard(*, token: str) -> None:
    path = _upload_path(token)
    if default_storage.exists(path):
        default_storage.delete(path)


def document_uploads_purge(*, older_than) -> int:
    """Delete held uploads stored before ``older_than`` (an aware datetime):
    those of previews nobody finished. Returns how many were deleted."""
    try:
        tokens, _files = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for token in tokens:
        try:
            path = _upload_path(token)
            stale = default_storage.get_modified_time(path) < older_than
        except (ValueError, FileNotFoundError):
            continue  # not one of ours, or deleted meanwhile
        if stale:
            default_storage.delete(path)
            deleted += 1
    return deleted


def _upload_path(token: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        raise ValueError("bad upload token")
    return f"{UPLOAD_FOLDER}/{token}/document"
