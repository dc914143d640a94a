"""The table of a student's Grades page, cached by what it shows."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coursesite import cache as site_cache

register = template.Library()

GRADES_TABLE_TEMPLATE = "quizzes/_course_grades_table.html"


@register.simple_tag
def grades_table(grades):
    """``grades`` (``selectors.CourseGrades``) as a table, rendered once per
    state shown (``CourseGrades.shown_state``), language and template."""
    html = site_cache.markup_for_state(
        GRADES_TABLE_TEMPLATE,
        grades.shown_state(),
        get_language(),
        build=lambda: str(render_to_string(GRADES_TABLE_TEMPLATE, {"grades": grades})),
    )
    return mark_safe(html)  # noqa: S308 (rendered from our own template)
