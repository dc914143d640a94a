from django import template

register = template.Library()


@register.simple_tag
def lesson_status(progress, lesson_id):
    """The user's status for a lesson ("started", "completed" or "")."""
    return progress.get(lesson_id, "") if progress else ""


@register.simple_tag
def lesson_badge(badges, key):
    """The badge(s) registered for a lesson or course id, if any."""
    return badges.get(key) if badges else None
