"""coursesite's own JSON course export, read back with its slugs kept as given."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from bisect import bisect_right

from lessons.importing.outline import (
    DocumentError,
    ParsedDocument,
    ParsedLesson,
    ParsedModule,
    checksum,
)


class _LocatedObject(dict):
    """A decoded JSON object that remembers the line its ``{`` was on."""

    line: int = 1


def _located_decoder(text: str) -> json.JSONDecoder:
    # The pure-Python scanner consults ``parse_object`` (the C one does not), so
    # hooking it lets every object carry its line number for error messages.
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, strict, scan_once, object_hook, pairs_hook, memo):
        line = bisect_right(line_starts, s_and_end[1] - 1)
        value, end = json.decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, pairs_hook, memo
        )
        located = _LocatedObject(value)
        located.line = line
        return located, end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder


def _field(obj: object, key: str, kind: type, where: str, line: int, default=None):
    if not isinstance(obj, dict):
        raise DocumentError(f"{where} must be a JSON object", line=line)
    if key not in obj:
        if default is not None:
            return default
        raise DocumentError(f'{where} is missing the key "{key}"', line=line)
    value = obj[key]
    if not isinstance(value, kind):
        expected = {str: "a string", list: "a list"}[kind]
        raise DocumentError(f'{where}: "{key}" must be {expected}', line=line)
    return value


def _line(obj: object, fallback: int) -> int:
    return getattr(obj, "line", fallback)


def parse_course_json(text: str) -> ParsedDocument:
    """Read back a course exported as JSON, keeping its titles, slugs and bodies.

    Keys other than the ones the outline needs (``description``, ``quizzes`` ...)
    are ignored. A lesson without ``source_heading`` gets an empty one.
    """
    try:
        data = _located_decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise DocumentError("not valid JSON: nested too deeply") from None
    course_line = _line(data, 1)
    title = _field(data, "title", str, "the course", course_line)
    modules_data = _field(data, "modules", list, "the course", course_line)

    lesson_slugs: set[str] = set()
    module_slugs: set[str] = set()
    modules = []
    position = 0
    for module_number, module_data in enumerate(modules_data, start=1):
        where = f"module {module_number}"
        line = _line(module_data, course_line)
        module_title = _field(module_data, "title", str, where, line)
        module_slug = _field(module_data, "slug", str, where, line)
        lessons_data = _field(module_data, "lessons", list, where, line)
        _claim_slug(module_slug, module_slugs, where, line)
        lessons = []
        for lesson_number, lesson_data in enumerate(lessons_data, start=1):
            where = f"lesson {lesson_number} of module {module_number}"
            line = _line(lesson_data, _line(module_data, course_line))
            body = _field(lesson_data, "body_markdown", str, where, line)
            lesson = ParsedLesson(
                title=_field(lesson_data, "title", str, where, line),
                slug=_field(lesson_data, "slug", str, where, line),
                body_markdown=body,
                source_heading=_field(
                    lesson_data, "source_heading", str, where, line, ""
                ),
                position=position,
                checksum=checksum(body),
            )
            _claim_slug(lesson.slug, lesson_slugs, where, line)
            lessons.append(lesson)
            position += 1
        modules.append(
            ParsedModule(
                title=module_title,
                slug=module_slug,
                source_heading=_module_source_heading(module_data, lessons),
                lessons=tuple(lessons),
            )
        )
    return ParsedDocument(
        title=title, modules=tuple(modules), source_format="json", export=data
    )


def _module_source_heading(module: dict, lessons: list[ParsedLesson]) -> str:
    """The export has no module heading; a module's own lesson carries it."""
    if isinstance(module.get("source_heading"), str):
        return module["source_heading"]
    if lessons and lessons[0].title == module["title"]:
        return lessons[0].source_heading
    return module["title"]


def _claim_slug(slug: str, taken: set[str], where: str, line: int) -> None:
    if not slug.strip():
        raise DocumentError(f'{where} has an empty "slug"', line=line)
    if slug in taken:
        raise DocumentError(f'{where} repeats the slug "{slug}"', line=line)
    taken.add(slug)
