"""How quizzes show up on lesson pages, the syllabus, "My learning" and exports.

Registered into ``lessons.hooks`` by ``QuizzesConfig.ready``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from lessons.hooks import Badge, Link, Panel
from quizzes import selectors
from quizzes.exporting import course_quizzes_export
from quizzes.models import Question, Quiz
from quizzes.presenting import minutes
from quizzes.services import (
    attempts_close_for_unpublished,
    question_bank_import,
    questions_flag_source_changed,
)


def _lesson_quiz(course, lesson):
    return selectors.lesson_quiz_map(course=course).get(lesson.pk)


def lesson_panels(request, course, lesson):
    quiz = _lesson_quiz(course, lesson)
    if quiz is None:
        return []
    status = selectors.quiz_statuses_cached(user=request.user, course=course)
    return [
        Panel(
            "quizzes/_lesson_quiz_panel.html",
            {
                "quiz": quiz,
                "status": status.get(quiz.pk),
                "course": course,
                # Said once: a check named after its lesson ("Check: Peru") is
                # headed "Check your understanding", without its name again.
                "named": not _names_its_lesson(quiz.title, lesson.title),
                "questions": selectors.question_counts(course=course).get(quiz.pk),
            },
        )
    ]


def _names_its_lesson(quiz_title: str, lesson_title: str) -> bool:
    """Whether a quiz's title only says it checks the lesson: the lesson's title,
    alone or after a short label ("Check: Peru", "Quiz - Peru")."""
    title, lesson = quiz_title.strip().casefold(), lesson_title.strip().casefold()
    if title == lesson:
        return True
    if not title.endswith(lesson):
        return False
    label = title[: -len(lesson)].strip().rstrip(":-–—").strip()
    return len(label.split()) <= 2


def course_panels(request, course):
    # The course's quizzes and the student's figures, both cached.
    quizzes = [
        quiz for quiz in selectors.course_quizzes(course=course) if not quiz.lesson_id
    ]
    if not quizzes:
        return []
    statuses = selectors.quiz_statuses_cached(user=request.user, course=course)
    counts = selectors.question_counts(course=course)
    return [
        Panel(
            "quizzes/_course_quizzes_panel.html",
            {
                "rows": [
                    (
                        quiz,
                        statuses.get(quiz.pk),
                        counts.get(quiz.pk, 0),
                        minutes(quiz.time_limit),
                    )
                    for quiz in quizzes
                ]
            },
        )
    ]


def completion_gate(course, lesson):
    if course.completion_requires_quiz and _lesson_quiz(course, lesson) is not None:
        return _("Pass this lesson's quiz to complete the lesson.")
    return None


def _badge(status) -> Badge | None:
    """A lesson's quiz as the syllabus shows it: its score or state once the
    student has tried it; nothing before (a "Quiz" label on every line said
    nothing)."""
    url = status.quiz.get_absolute_url()
    if status.best is not None:
        text = _("Quiz: %(percent)s%%") % {"percent": status.best_percent}
        return Badge(text, url, "success" if status.passed else "warning")
    if status.pending:
        return Badge(_("Quiz: awaiting grading"), url, "info")
    if status.in_progress:
        return Badge(_("Quiz: in progress"), url, "info")
    return None


def outline_badges(request, course):
    if not request.user.is_authenticated:
        return {}
    statuses = selectors.quiz_statuses_cached(user=request.user, course=course)
    badges = {
        status.quiz.lesson_id: _badge(status)
        for status in statuses.values()
        if status.quiz.lesson_id
    }
    return {lesson_id: badge for lesson_id, badge in badges.items() if badge}


def course_links(user, courses):
    """A "Grades" page for each course the student is enrolled in (the caller
    asks only for those). Every course has one, even before its first quiz, so
    the link costs no query."""
    if not user.is_authenticated:
        return {}
    return {
        course.pk: [
            Link(
                _("Grades"),
                reverse("quizzes:course-grades", kwargs={"course_slug": course.slug}),
            )
        ]
        for course in courses
    }


def dashboard_badges(user, course_ids):
    badges = {}
    quizzes = list(
        Quiz.objects.published()
        .filter(course_id__in=course_ids)
        .exclude(lesson__is_published=False)
        .select_related("course", "lesson")
    )
    by_course: dict[int, list[Quiz]] = {}
    for quiz in quizzes:
        by_course.setdefault(quiz.course_id, []).append(quiz)
    statuses = selectors.quiz_statuses(user=user, course=None, quizzes=quizzes)
    for course_id, course_quizzes in by_course.items():
        passed = sum(1 for q in course_quizzes if statuses[q.pk].passed)
        items = [
            Badge(
                _("Quizzes passed: %(passed)d of %(total)d")
                % {"passed": passed, "total": len(course_quizzes)},
                "",
                "success" if passed == len(course_quizzes) else "secondary",
            )
        ]
        for quiz in course_quizzes:
            status = statuses[quiz.pk]
            if quiz.lesson_id is None and status.best is not None:
                items.append(
                    Badge(
                        _("%(quiz)s: best %(percent)s%%")
                        % {"quiz": quiz.title, "percent": status.best_percent},
                        reverse(
                            "quizzes:quiz-detail",
                            kwargs={
                                "course_slug": quiz.course.slug,
                                "quiz_slug": quiz.slug,
                            },
                        ),
                        "success" if status.passed else "warning",
                    )
                )
        badges[course_id] = items
    return badges


def course_exporter(course):
    return {"quizzes": course_quizzes_export(course=course)}


def course_importer(course, data):
    if data.get("quizzes"):
        question_bank_import(course=course, data=data)


def lesson_source_changed(course, lessons):
    """A re-import changed these lessons' text: their questions need a look."""
    questions_flag_source_changed(lessons=lessons)


def lesson_source_change_preview(course, lessons):
    """The questions ``lesson_source_changed`` would flag, for a re-import's
    preview (those already flagged stay as they are)."""
    return [
        str(question)
        for question in Question.objects.filter(
            lesson__in=lessons, needs_review=False
        ).order_by("lesson__position", "pk")
    ]


def content_unpublished(lesson_ids, course_ids):
    """Lessons or courses were unpublished: their quizzes' open attempts end."""
    attempts_close_for_unpublished(lesson_ids=lesson_ids, course_ids=course_ids)
