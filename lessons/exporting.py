"""A course as plain data, in the JSON format that import_document reads back."""

from lessons import hooks
from lessons.models import Course, Lesson


def course_export_data(*, course: Course) -> dict:
    lessons_by_module: dict[int, list[dict]] = {}
    for lesson in Lesson.objects.filter(course=course, is_published=True).order_by(
        "position", "id"
    ):
        lessons_by_module.setdefault(lesson.module_id, []).append(
            {
                "title": lesson.title,
                "slug": lesson.slug,
                "body_markdown": lesson.body_markdown,
                "source_heading": lesson.source_heading,
            }
        )
    data = {
        "title": course.title,
        "slug": course.slug,
        "description": course.description,
        "modules": [
            {
                "title": module.title,
                "slug": module.slug,
                "lessons": lessons_by_module[module.pk],
            }
            for module in course.modules.order_by("position", "id")
            if module.pk in lessons_by_module
        ],
    }
    for exporter in hooks.course_exporters:
        data.update(exporter(course))
    return data
