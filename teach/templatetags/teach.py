"""Filters for the staff area's templates: numbers written as ``teach.presenting``
writes them, so pages and CSV exports agree."""

from django import template

from quizzes.models import GradingMethod
from teach import presenting

register = template.Library()


@register.filter
def percent(fraction):
    """0.8333 -> "83.3" (no "%" sign: the template adds it)."""
    return presenting.percent_text(fraction)


@register.filter
def duration(value):
    return presenting.duration_text(value)


@register.filter
def grading_method(value):
    return GradingMethod(value).label if value in GradingMethod.values else value


@register.filter
def display_name(user):
    """A student as the staff area names them: "Ana Castro (ana)"."""
    return presenting.display_name(user)
