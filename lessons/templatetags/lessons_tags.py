from django import template

register = template.Library()


@register.simple_tag
def lesson_status(progress, lesson_id):
    """The user's status for a lesson ("started", "completed" or "")."""
    return progress.get(lesson_id, "") if progress else ""
