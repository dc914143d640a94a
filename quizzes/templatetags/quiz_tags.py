from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


QUESTIONS_TEMPLATE = "quizzes/_questions.html"


def render_questions(questions) -> str:
    """The markup of a page of questions (``presenting.questions_for_page``), in
    one rendering: each included template is looked up once, not per question."""
    return str(render_to_string(QUESTIONS_TEMPLATE, {"questions": questions}))


@register.simple_tag
def attempt_questions(questions_html: str) -> SafeString:
    """Print markup rendered from our own templates (the attempt page's questions
    and its navigation panel, cached by ``quizzes.views._page_html``)."""
    return mark_safe(questions_html)  # noqa: S308


@register.simple_tag
def review_questions(review_html: str) -> SafeString:
    """Print the review's questions, rendered from our own template (cached by
    ``quizzes.views.attempt_result``)."""
    return mark_safe(review_html)  # noqa: S308
