from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

QUESTION_HTML_SECONDS = 60 * 60


def question_html(q: dict) -> str:
    """One question of an attempt page. Its markup only changes when the student's
    saved answer does, so it is cached under a key naming the response, the time of
    its last answer and the language (``presenting.questions_for_page``, which
    hands back cached markup as ``{"html": ...}``)."""
    if "html" in q:
        return q["html"]
    html = str(render_to_string("quizzes/_question.html", {"q": q}))
    if q.get("cache_key"):
        cache.set(q["cache_key"], html, QUESTION_HTML_SECONDS)
    return html


@register.simple_tag
def attempt_questions(questions) -> SafeString:
    """All the questions of the page, joined (one tag call, not one per question)."""
    return mark_safe("".join(question_html(q) for q in questions))  # noqa: S308
