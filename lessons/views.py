"""Pages students use: catalogue, syllabus, lessons, and "My learning"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lessons import hooks, selectors, services


@require_GET
def catalogue(request):
    courses = selectors.course_list_for_catalogue(user=request.user)
    return render(request, "lessons/course_list.html", {"courses": courses})


@require_GET
def course_detail(request, course_slug):
    course = selectors.course_get_for_user(slug=course_slug, user=request.user)
    outline = selectors.course_outline(course=course, user=request.user)
    state = selectors.learner_state(user=request.user, course=course)
    progress = state.progress
    return render(
        request,
        "lessons/course_detail.html",
        {
            "course": course,
            "outline": outline,
            "enrolled": state.enrolled,
            "manages": selectors.manages_course(request.user, course),
            "progress": progress,
            "summary": selectors.progress_summary(outline=outline, progress=progress),
            "next_lesson": selectors.next_unfinished_lesson(
                outline=outline, progress=progress
            ),
            "facts": selectors.course_facts(course=course, outline=outline),
            "badges": hooks.collect_outline_badges(request, course),
            "panels": hooks.collect_course_panels(request, course),
            "links": hooks.collect_course_links(request.user, [course]).get(
                course.pk, []
            )
            if state.enrolled
            else [],
        },
    )


@require_POST
@login_required
def course_enrol(request, course_slug):
    course = selectors.course_get_for_user(slug=course_slug, user=request.user)
    services.enrollment_create(user=request.user, course=course)
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course})
    outline = selectors.course_outline(course=course, user=request.user)
    progress = selectors.progress_by_lesson(user=request.user, course=course)
    lesson = selectors.next_unfinished_lesson(outline=outline, progress=progress)
    return redirect(lesson.url if lesson else course.get_absolute_url())


@require_GET
@login_required
def lesson_detail(request, course_slug, lesson_slug):
    lesson = selectors.lesson_page_get(
        course_slug=course_slug, lesson_slug=lesson_slug, user=request.user
    )
    course = lesson.course
    state = selectors.learner_state(user=request.user, course=course)
    manages = selectors.manages_course(request.user, course)
    if not state.enrolled and not manages:
        messages.info(request, _("Enrol in this course to open its lessons."))
        return redirect(course.get_absolute_url())
    progress = state.progress
    if state.enrolled and (
        lesson.pk not in progress or state.last_lesson_id != lesson.pk
    ):
        services.lesson_start(
            user=request.user,
            lesson=lesson,
            enrollment=selectors.enrollment_get(user=request.user, course=course),
        )
        progress = {**progress, lesson.pk: progress.get(lesson.pk, "started")}
    outline = selectors.course_outline(course=course, user=request.user)
    previous_lesson, next_lesson = selectors.lesson_neighbours(
        outline=outline, lesson_id=lesson.pk
    )
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "outline": outline,
            "progress": progress,
            "is_completed": progress.get(lesson.pk) == "completed",
            "summary": selectors.progress_summary(outline=outline, progress=progress),
            "previous_lesson": previous_lesson,
            "next_lesson": next_lesson,
            "enrolled": state.enrolled,
            "manages": manages,
            "panels": hooks.collect_panels(request, course, lesson),
            "completion_blocked": hooks.completion_block_reason(course, lesson),
        },
    )


@require_POST
@login_required
def lesson_complete(request, course_slug, lesson_slug):
    course = selectors.course_get_for_user(slug=course_slug, user=request.user)
    lesson = selectors.lesson_get_for_user(
        course=course, slug=lesson_slug, user=request.user
    )
    if not selectors.learner_state(user=request.user, course=course).enrolled:
        messages.info(request, _("Enrol in this course to track your progress."))
        return redirect(course.get_absolute_url())
    blocked = hooks.completion_block_reason(course, lesson)
    if blocked:
        messages.warning(request, blocked)
        return redirect(lesson.get_absolute_url())
    services.lesson_complete(user=request.user, lesson=lesson)
    messages.success(
        request, _("“%(lesson)s” marked complete.") % {"lesson": lesson.title}
    )
    outline = selectors.course_outline(course=course, user=request.user)
    _previous, next_lesson = selectors.lesson_neighbours(
        outline=outline, lesson_id=lesson.pk
    )
    return redirect(next_lesson.url if next_lesson else course.get_absolute_url())


@require_GET
@login_required
def my_learning(request):
    rows = selectors.enrollments_for_dashboard(user=request.user)
    courses = [row.course for row in rows]
    return render(
        request,
        "lessons/my_learning.html",
        {
            "rows": rows,
            "badges": hooks.collect_dashboard_badges(
                request.user, [course.pk for course in courses]
            ),
            "links": hooks.collect_course_links(request.user, courses),
        },
    )
