import re

from django import template
from django.template.loader import get_template, render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from coursesite import cache as site_cache
from lessons.course_facts import split_minutes

register = template.Library()

# Per-user spots in the cached outline HTML. Titles are escaped in the fragment, so
# no course content can forge one of these comments.
_SLOT = re.compile(r"<!--slot:(tick|current|open):(\d+)-->")


@register.simple_tag
def duration(minutes):
    """A time estimate as people say it: "45 min", "1 h", "2 h 15 min"."""
    hours, rest = split_minutes(int(minutes or 0))
    if not hours:
        return ngettext("%(n)d min", "%(n)d min", rest) % {"n": rest}
    if not rest:
        return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


@register.simple_tag
def lesson_badge(badges, key):
    """The badge(s) registered for a lesson or course id, if any."""
    return badges.get(key) if badges else None


@register.simple_tag(takes_context=True)
def course_outline_nav(context, course, outline, progress, current_id=None):
    """The side outline of a course, rendered once per content generation,
    template version and language, and cached; the user's ticks and the current
    lesson are filled in per request."""
    staff = bool(context.get("manages", False))
    html = site_cache.course_fragment(
        course.pk,
        site_cache.OUTLINE_TEMPLATE,
        get_language(),
        "staff" if staff else "pub",
        build=lambda: str(
            render_to_string(site_cache.OUTLINE_TEMPLATE, {"outline": outline})
        ),
    )
    tick = format_html(
        '<span class="tick" title="{0}">✓'
        '<span class="visually-hidden">{0}</span></span>',
        _("Completed"),
    )

    # The module holding the current lesson is the one shown open.
    open_module = next(
        (module.id for module in outline if module.holds(current_id)), None
    )

    def fill(match):
        kind, number = match.group(1), int(match.group(2))
        if kind == "tick":
            return tick if progress.get(number) == "completed" else ""
        if kind == "open":
            return " open" if number == open_module else ""
        return ' aria-current="page"' if number == current_id else ""

    return mark_safe(_SLOT.sub(fill, html))  # noqa: S308 (the fragment is ours)


_SYLLABUS_SLOT = re.compile(r"<!--slot:(tick|badge):(\d+)-->")


@register.simple_tag(takes_context=True)
def course_syllabus(context, course, outline, progress, badges):
    """The course page's syllabus, rendered once per content generation, template
    version, language, outline (staff or published) and links (shown to enrolled
    students and staff), and cached; the user's ticks and quiz badges are filled
    in per request."""
    staff = bool(context.get("manages", False))
    linked = staff or bool(context.get("enrolled", False))
    html = site_cache.course_fragment(
        course.pk,
        site_cache.SYLLABUS_TEMPLATE,
        get_language(),
        "staff" if staff else "pub",
        "linked" if linked else "plain",
        build=lambda: str(
            render_to_string(
                site_cache.SYLLABUS_TEMPLATE, {"outline": outline, "linked": linked}
            )
        ),
    )
    tick = format_html(
        '<span class="tick" aria-hidden="true">✓</span>'
        '<span class="visually-hidden">({})</span>',
        _("completed"),
    )
    badge_template = get_template("includes/_badge.html")

    def fill(match):
        kind, number = match.group(1), int(match.group(2))
        if kind == "tick":
            return tick if progress.get(number) == "completed" else ""
        badge = badges.get(number) if badges else None
        if not badge:
            return ""
        return badge_template.render({"badge": badge, "plain": True})

    return mark_safe(_SYLLABUS_SLOT.sub(fill, html))  # noqa: S308 (the fragment is ours)
