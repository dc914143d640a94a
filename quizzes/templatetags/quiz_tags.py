from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

QUESTION_HTML_SECONDS = 60 * 60


@register.simple_tag
def attempt_question(q):
    """One question of an attempt page. Its markup only changes when the student's
    saved answer does, so it is cached under a key naming the response, the time of
    its last answer and the language (``presenting.questions_for_page``)."""
    if "html" in q:  # found in the cache by presenting.questions_for_page
        return mark_safe(q["html"])  # noqa: S308
    key = q.get("cache_key")
    html = str(render_to_string("quizzes/_question.html", {"q": q}))
    if key:
        cache.set(key, html, QUESTION_HTML_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered from our own template)
