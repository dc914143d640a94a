"""Pages of the staff area (``/teach/``): dashboard, grading queue and forms,
attempts, gradebook, per-student page, exports, item statistics and regrading.

Thin: each view checks access, parses input with a form, calls one selector or
service, and renders or redirects. Only staff get in (others: 403, anonymous
visitors: the login page); every object is looked up through the selectors'
``*_for_teacher`` functions, so anything outside the user's courses is a 404.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coursesite import jobs
from coursesite.models import Job
from lessons import access
from quizzes import check_services, grading_services, item_checks, statistics
from quizzes import selectors as quiz_selectors
from teach import charts, dry_run, exports, selectors, stored_statistics
from teach.forms import (
    CheckDismissForm,
    CheckRestoreForm,
    GradebookFilterForm,
    QueueFilterForm,
    RegradeApplyForm,
    RegradeTargetForm,
    ResponseGradeForm,
    ResponseOverrideForm,
    StatisticsForm,
)
from teach.jobs import job_summary, jobs_for_page
from teach.presenting import percent_text, response_summary, short_label

PAGE_SIZE = 50

GRADING_ERRORS = {
    grading_services.ATTEMPT_IN_PROGRESS: gettext_lazy(
        "This attempt is still in progress: it can be graded once it is submitted."
    ),
    grading_services.NOT_WAITING: gettext_lazy(
        "This answer was graded in the meantime (perhaps by someone else). To "
        "change its score, override it."
    ),
    grading_services.SCORE_OUT_OF_RANGE: gettext_lazy("The score is out of range."),
    grading_services.REASON_REQUIRED: gettext_lazy("Give a reason for the override."),
}

FLAG_LABELS = {
    statistics.FLAG_NEGATIVE_DISCRIMINATION: gettext_lazy(
        "Negative discrimination: students who do well on the rest of the quiz do "
        "worse on this question."
    ),
    statistics.FLAG_TOO_EASY: gettext_lazy("Very easy: facility above 95%."),
    statistics.FLAG_TOO_HARD: gettext_lazy("Very hard: facility below 20%."),
    statistics.FLAG_UNUSED_OPTION: gettext_lazy("An option nobody chose."),
}


def teacher_required(view):
    """Staff only: anonymous visitors log in first; other users get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message)


@require_GET
@teacher_required
def dashboard(request):
    rows = selectors.teacher_dashboard(user=request.user)
    return render(
        request,
        "teach/dashboard.html",
        {
            "rows": rows,
            "attention": [row for row in rows if row.needs_attention],
            "behind_days": selectors.FALLING_BEHIND_AFTER.days,
            "flag_days": selectors.FLAGS_SHOWN_FOR.days,
        },
    )


@require_GET
@teacher_required
def flagged(request, course_slug):
    """The course's recent attempts with questions the student flagged."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    attempts = selectors.flagged_attempts(course=course)
    page = Paginator(attempts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teach/flagged.html",
        {"course": course, "page": page, "days": selectors.FLAGS_SHOWN_FOR.days},
    )


# --- Grading ----------------------------------------------------------------------

_FILTER_KEYS = ("course", "quiz", "question", "student", "attempt")


def _queue_filters(params) -> selectors.QueueFilters | None:
    """The queue filters carried in a query string; None when one is not a number."""
    values = {}
    for key in _FILTER_KEYS:
        raw = params.get(key, "")
        if raw:
            if not raw.isdigit():
                return None
            values[key] = int(raw)
    return selectors.QueueFilters(**values)


def _with_query(url: str, query: dict) -> str:
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
@teacher_required
def queue(request):
    choices = selectors.queue_choices(user=request.user)
    form = QueueFilterForm(request.GET or None, choices=choices)
    if form.is_bound and not form.is_valid():
        return render(
            request, "teach/queue.html", {"form": form, "page": None}, status=400
        )
    filters = (
        selectors.QueueFilters(**form.cleaned_data)
        if form.is_bound
        else selectors.QueueFilters()
    )
    items = selectors.grading_queue(user=request.user, filters=filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.as_query()
    return render(
        request,
        "teach/queue.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(query),
            "rows": [response_summary(r) for r in page.object_list],
        },
    )


def _grade_url(response_id: int, query: dict) -> str:
    return _with_query(
        reverse("teach:response-grade", kwargs={"response_id": response_id}), query
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def response_grade(request, response_id):
    """Grade one answer; "Save and next" goes on through the filtered queue."""
    response = selectors.response_get_for_teacher(
        response_id=response_id, user=request.user
    )
    filters = _queue_filters(request.GET)
    if filters is None:
        return _bad_request(_("Bad filter."))
    query = filters.as_query()
    form = ResponseGradeForm(
        request.POST or None,
        max_mark=response.max_mark,
        initial={"score": response.score, "feedback": response.grader_comment},
    )
    if request.method == "POST":
        if not form.is_valid():
            return _grade_page(request, response, form, filters, status=400)
        try:
            grading_services.response_grade_manually(
                response=response,
                score=form.cleaned_data["score"],
                feedback=form.cleaned_data["feedback"],
                user=request.user,
            )
        except grading_services.GradingError as refused:
            messages.warning(request, GRADING_ERRORS[refused.code])
        else:
            messages.success(request, _("Grade saved."))
        if request.POST.get("action") == "save":
            return redirect("teach:attempt", attempt_id=response.attempt_id)
        following = selectors.queue_next(
            queue=selectors.grading_queue(user=request.user, filters=filters),
            after=response,
        )
        if following is None:
            messages.info(request, _("Nothing left to grade here."))
            return redirect(_with_query(reverse("teach:queue"), query))
        return redirect(_grade_url(following.pk, query))
    return _grade_page(request, response, form, filters)


def _grade_page(request, response, form, filters, status=200):
    query = filters.as_query()
    queue = selectors.grading_queue(user=request.user, filters=filters)
    following = selectors.queue_next(queue=queue, after=response)
    return render(
        request,
        "teach/response_grade.html",
        {
            "item": response_summary(response),
            "attempt": response.attempt,
            "form": form,
            "query": urlencode(query),
            "left": queue.count(),
            "skip_url": _grade_url(following.pk, query) if following else "",
            "queue_url": _with_query(reverse("teach:queue"), query),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def response_override(request, response_id):
    response = selectors.response_get_for_teacher(
        response_id=response_id, user=request.user
    )
    form = ResponseOverrideForm(
        request.POST or None,
        max_mark=response.max_mark,
        initial={"score": response.score},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grading_services.response_override(
                    response=response,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except grading_services.GradingError as refused:
                messages.error(request, GRADING_ERRORS[refused.code])
            else:
                messages.success(request, _("Score overridden."))
            return redirect("teach:attempt", attempt_id=response.attempt_id)
        status = 400
    return render(
        request,
        "teach/response_override.html",
        {
            "item": response_summary(response),
            "attempt": response.attempt,
            "form": form,
        },
        status=status,
    )


@require_POST
@teacher_required
def response_request_review(request, response_id):
    response = selectors.response_get_for_teacher(
        response_id=response_id, user=request.user
    )
    try:
        grading_services.response_request_review(response=response)
    except grading_services.GradingError as refused:
        messages.error(request, GRADING_ERRORS[refused.code])
    else:
        messages.success(request, _("The answer is in the grading queue."))
    return redirect("teach:attempt", attempt_id=response.attempt_id)


@require_GET
@teacher_required
def attempt_detail(request, attempt_id):
    attempt = selectors.attempt_get_for_teacher(
        attempt_id=attempt_id, user=request.user
    )
    items = [response_summary(r) for r in selectors.attempt_responses(attempt=attempt)]
    return render(
        request,
        "teach/attempt_detail.html",
        {
            "attempt": attempt,
            "course": attempt.quiz.course,
            "items": items,
            "flagged": [item for item in items if item["flagged"]],
            "waiting": [item for item in items if item["waiting"]],
            "changes": selectors.attempt_audit_trail(attempt=attempt),
        },
    )


# --- Gradebook and exports --------------------------------------------------------


def _gradebook_filters(request, book):
    """(form, cleaned filters), or (form, None) when the query string is invalid."""
    form = GradebookFilterForm(request.GET or None, book=book)
    if not form.is_bound:
        return form, {"search": "", "status": "", "sort": "name"}
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, {
        "search": data["q"].strip(),
        "status": data["status"],
        "sort": data["sort"] or "name",
    }


def _sort_links(request, book, sort: str) -> dict:
    """For each sortable column: the URL that sorts by it, and its aria-sort."""
    links = {}
    for key in ["name", "completion", "total", *[c.key for c in book.columns]]:
        params = request.GET.copy()
        params.pop("page", None)
        ascending = sort == key
        params["sort"] = f"-{key}" if ascending else key
        state = "none"
        if sort == key:
            state = "ascending"
        elif sort == f"-{key}":
            state = "descending"
        links[key] = {"url": f"?{params.urlencode()}", "aria": state}
    return links


@require_GET
@teacher_required
def gradebook(request, course_slug):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    book = selectors.gradebook_for(course=course)
    form, filters = _gradebook_filters(request, book)
    if filters is None:
        return render(
            request,
            "teach/gradebook.html",
            {"course": course, "book": book, "form": form, "page": None},
            status=400,
        )
    students = selectors.gradebook_students(book=book, **filters)
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    links = _sort_links(request, book, filters["sort"])
    return render(
        request,
        "teach/gradebook.html",
        {
            "course": course,
            "book": book,
            "form": form,
            "page": page,
            "rows": selectors.gradebook_rows(book=book, students=page.object_list),
            "query": params.urlencode(),
            "sort_links": links,
            "quiz_headers": [
                (c, links[c.key], short_label(c.title)) for c in book.columns
            ],
            "pass_percent": percent_text(book.pass_mark),
            "jobs": jobs_for_page(user=request.user, course=course, kinds=EXPORTS),
        },
    )


EXPORTS = (Job.Kind.GRADEBOOK_CSV, Job.Kind.RESPONSES_CSV)


def _export_in_background(request, course, kind, params):
    """Start (or find, if one is already under way) the export job, and go back
    to the gradebook, which shows its progress and then the file."""
    job = jobs.job_start(
        kind=kind, owner=request.user, course=course, params=params, reuse=True
    )
    if not job.finished:
        messages.info(
            request,
            _(
                "This export is large: it is being written to a file. Its progress "
                "shows below, and then a link to download it."
            ),
        )
    return redirect("teach:gradebook", course_slug=course.slug)


@require_GET
@teacher_required
def gradebook_csv(request, course_slug):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    book = selectors.gradebook_for(course=course)
    _form, filters = _gradebook_filters(request, book)
    if filters is None:
        return _bad_request(_("Bad filter."))
    students = selectors.gradebook_students(book=book, full=True, **filters)
    if students.count() > settings.EXPORT_DIRECT_MAX_ROWS:
        return _export_in_background(
            request,
            course,
            Job.Kind.GRADEBOOK_CSV,
            {"filters": filters, "filename": f"{course.slug}-gradebook.csv"},
        )
    return exports.gradebook_csv(book=book, students=students)


@require_GET
@teacher_required
def responses_csv(request, course_slug):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    if exports.responses_count(course=course) > settings.EXPORT_DIRECT_MAX_ROWS:
        return _export_in_background(
            request,
            course,
            Job.Kind.RESPONSES_CSV,
            {"filename": f"{course.slug}-responses.csv"},
        )
    return exports.responses_csv(course=course)


@require_GET
@teacher_required
def student_detail(request, course_slug, user_id):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    student = selectors.student_get_for_teacher(course=course, user_id=user_id)
    book = selectors.gradebook_for(course=course)
    overview = selectors.student_overview(book=book, student=student)
    return render(
        request,
        "teach/student_detail.html",
        {
            "course": course,
            "book": book,
            "overview": overview,
            "cells": list(zip(book.columns, overview.row.cells, strict=True))
            if overview.row
            else [],
        },
    )


# --- Item statistics --------------------------------------------------------------


def _statistics_charts(analysis, bins):
    labels = [f"{10 * i}–{10 * i + 10}" for i in range(len(bins))]
    chart = charts.histogram_svg(
        counts=bins,
        labels=labels,
        title=_("Score distribution"),
        desc=_(
            "Number of attempts in each band of 10 percentage points of the "
            "maximum score; %(n)d attempts."
        )
        % {"n": analysis.n},
        bar_title=_("{label}%: {count} attempts"),
        x_label=_("Score (% of the maximum)"),
        y_label=_("Attempts"),
        chart_id="score-histogram",
    )
    points = [
        (
            f"Q{item.number}",
            100 * item.facility,
            # None at 0% or 100% facility: drawn hollow on the zero line.
            item.discrimination_index,
            bool(item.flags),
        )
        for item in analysis.items
        if item.enough and item.facility is not None
    ]
    scatter = charts.scatter_svg(
        points=points,
        title=_("Facility and discrimination per question"),
        desc=_(
            "Each question placed by its facility (0 to 100%, across) and its "
            "discrimination index (-100 to 100, up). Flagged questions are red. "
            "Questions everyone or no one got right have no discrimination index: "
            "they are drawn hollow on the zero line."
        ),
        x_label=_("Facility (%)"),
        y_label=_("Discrimination index"),
        point_title=_("{label}: facility {x}%, discrimination {y}"),
        no_y_title=_("{label}: facility {x}%, no discrimination index"),
        chart_id="item-scatter",
    )
    return {
        "histogram": chart,
        "histogram_rows": list(zip(labels, bins, strict=True)),
        "scatter": scatter,
    }


def _statistics_which(request, quiz):
    """The choice of attempts from the query string (or the quiz's default);
    None for a tampered one."""
    form = StatisticsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    which = (
        form.cleaned_data.get("attempts") if form.is_bound else ""
    ) or selectors.default_attempts_analysed(quiz.grading_method)
    if not form.is_bound:
        form = StatisticsForm(initial={"attempts": which})
    return form, which


@require_GET
@teacher_required
def quiz_statistics(request, course_slug, quiz_slug):
    """The stored item statistics (teach/stored_statistics.py): never computed
    here. Nothing stored yet for this choice of attempts: its job is queued."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    form, which = _statistics_which(request, quiz)
    if which is None:
        return _bad_request(_("Bad choice of attempts."))
    stored = stored_statistics.stored_analysis(quiz=quiz, which=which)
    if stored.row is None or (stored.analysis is None and not stored.job):
        stored_statistics.statistics_request(quiz=quiz, attempts=which)
        stored = stored_statistics.stored_analysis(quiz=quiz, which=which)
    context = {
        "course": course,
        "quiz": quiz,
        "form": form,
        "which": which,
        "stored": stored,
        "job": stored.job,
        "progress_url": reverse(
            "teach:statistics-progress", args=[course.slug, quiz.slug]
        )
        + f"?attempts={which}",
        "refresh_url": reverse(
            "teach:statistics-refresh", args=[course.slug, quiz.slug]
        ),
        "checks_url": reverse("teach:checks", args=[course.slug, quiz.slug]),
        "minimum": statistics.MIN_ATTEMPTS_FOR_STATISTICS,
    }
    analysis = stored.analysis
    if analysis is not None:
        regrade = reverse("teach:regrade", kwargs={"course_slug": course.slug})
        checks = _checks_by_question(course, quiz)
        items = [
            {
                "item": item,
                "question": stored.questions.get(item.question_id),
                "flags": [FLAG_LABELS[flag] for flag in item.flags],
                "edit_url": reverse(
                    "admin:quizzes_question_change", args=[item.question_id]
                ),
                "regrade_url": f"{regrade}?question={item.question_id}",
                "checks": checks.get(item.question_id, []),
            }
            for item in analysis.items
        ]
        context.update(
            analysis=analysis,
            test=analysis.test,
            items=items,
            flagged=[row for row in items if row["flags"]],
            **_statistics_charts(analysis, stored.bins),
        )
    return render(request, "teach/quiz_statistics.html", context)


@require_GET
@never_cache
@teacher_required
def quiz_statistics_progress(request, course_slug, quiz_slug):
    """The progress of the job recomputing a quiz's statistics, as JSON for the
    progress bar (static/js/jobs.js): to whoever teaches the course."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    _form, which = _statistics_which(request, quiz)
    if which is None:
        return _bad_request(_("Bad choice of attempts."))
    job = stored_statistics.stored_analysis(quiz=quiz, which=which).job
    if job is None:
        raise Http404("No job.")
    return JsonResponse(jobs.job_progress_data(job))


@require_POST
@teacher_required
def quiz_statistics_refresh(request, course_slug, quiz_slug):
    """Compute a quiz's statistics again (after a failed job): queue the job,
    or join the one waiting, and go back to the page."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    form = StatisticsForm(request.POST)
    if not form.is_valid():
        return _bad_request(_("Bad choice of attempts."))
    which = form.cleaned_data.get("attempts") or selectors.default_attempts_analysed(
        quiz.grading_method
    )
    stored_statistics.statistics_refresh(quiz_id=quiz.pk, attempts=which)
    return redirect(
        reverse("teach:statistics", args=[course.slug, quiz.slug])
        + "?"
        + urlencode({"attempts": which})
    )


def _checks_by_question(course, quiz) -> dict[int, list]:
    """A quiz's item-writing findings by question id (the statistics page shows
    them beside each question's figures)."""
    by_question: dict[int, list] = {}
    for row in quiz_selectors.course_check_rows(course=course, quiz=quiz):
        if row.question_id is not None:
            by_question.setdefault(row.question_id, []).append(row.finding)
    return by_question


# --- Item-writing checks ----------------------------------------------------------


@require_GET
@teacher_required
def quiz_checks(request, course_slug, quiz_slug):
    """A quiz's "Question checks": every finding with a link to edit the question
    and a form to dismiss it with a reason; the dismissed ones, to restore."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    # Errors first, then warnings, then notes; each level in question order.
    rows = sorted(
        quiz_selectors.course_check_rows(course=course, quiz=quiz),
        key=lambda row: -item_checks.LEVELS.index(row.finding.level),
    )
    dismissed = quiz_selectors.active_dismissals(course=course)
    return render(
        request,
        "teach/quiz_checks.html",
        {
            "course": course,
            "quiz": quiz,
            "rows": [
                {
                    "finding": row.finding,
                    "question_id": row.question_id,
                    "edit_url": reverse(
                        "admin:quizzes_question_change", args=[row.question_id]
                    )
                    if row.question_id
                    else "",
                    "form": CheckDismissForm(
                        initial={
                            "question": row.question_id,
                            "check_name": row.finding.check,
                        },
                        prefix=f"d{index}",
                    ),
                    "prefix": f"d{index}",
                }
                for index, row in enumerate(rows)
            ],
            "dismissed": sorted(dismissed.values(), key=lambda d: d.question.key),
        },
    )


@require_POST
@teacher_required
def quiz_check_dismiss(request, course_slug, quiz_slug):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    form = CheckDismissForm(request.POST, prefix=request.POST.get("prefix") or None)
    if not form.is_valid():
        messages.error(request, _("Give a reason to dismiss a check."))
    else:
        question = selectors.question_get_for_teacher(
            course=course, question_id=form.cleaned_data["question"]
        )
        try:
            check_services.check_dismiss(
                question=question,
                check_name=form.cleaned_data["check_name"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except check_services.CheckDismissalError:
            return _bad_request(_("Unknown check."))
        messages.success(request, _("Check dismissed; the reason is kept."))
    return redirect("teach:checks", course_slug=course.slug, quiz_slug=quiz.slug)


@require_POST
@teacher_required
def quiz_check_restore(request, course_slug, quiz_slug):
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    quiz = selectors.quiz_get_for_teacher(course=course, slug=quiz_slug)
    form = CheckRestoreForm(request.POST)
    if not form.is_valid():
        return _bad_request(_("Bad request."))
    dismissal = quiz_selectors.active_dismissals(course=course)
    found = next(
        (d for d in dismissal.values() if d.pk == form.cleaned_data["dismissal"]),
        None,
    )
    if found is None:
        return _bad_request(_("No such dismissed check."))
    check_services.check_restore(dismissal=found, user=request.user)
    messages.success(request, _("The check shows again."))
    return redirect("teach:checks", course_slug=course.slug, quiz_slug=quiz.slug)


# --- Regrading --------------------------------------------------------------------

SKIP_LABELS = {
    grading_services.GRADED_BY_HAND: gettext_lazy(
        "graded by hand (override them instead)"
    ),
    "type_changed": gettext_lazy("the question's type changed or it was deleted"),
    "not_auto_graded": gettext_lazy("essays and descriptions (graded by hand)"),
    "options_changed": gettext_lazy(
        "options, pairs or items the student saw no longer exist"
    ),
    "answer_does_not_fit": gettext_lazy("the stored answer no longer fits"),
}


@require_http_methods(["GET", "POST"])
@teacher_required
def regrade(request, course_slug):
    """Pick a question or quiz, see the dry run, then apply it."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    target = RegradeTargetForm(request.GET)
    if not request.GET.get("question") and not request.GET.get("quiz"):
        if request.method == "POST":
            return _bad_request(_("Choose one question or one quiz."))
        return render(
            request,
            "teach/regrade_pick.html",
            {
                "course": course,
                "quizzes": course.quizzes.order_by("id"),
                "questions": course.questions.order_by("key"),
            },
        )
    if not target.is_valid():
        return _bad_request(_("Choose one question or one quiz."))
    question = quiz = None
    if target.cleaned_data["question"]:
        question = selectors.question_get_for_teacher(
            course=course, question_id=target.cleaned_data["question"]
        )
    else:
        quiz = selectors.quiz_get_for_teacher(
            course=course, slug=target.cleaned_data["quiz"]
        )
    form = RegradeApplyForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            if "action" in form.errors:
                return _bad_request(_("Bad request."))
            return _bad_request(_("The reason is too long."))
        if form.cleaned_data["action"] == RegradeApplyForm.DRY_RUN:
            dry_run.dry_run_start(
                user=request.user, course=course, question=question, quiz=quiz
            )
            return redirect(request.get_full_path())
        # In the background: a quiz of many attempts takes long (teach/jobs.py).
        job = jobs.job_start(
            kind=Job.Kind.REGRADE,
            owner=request.user,
            course=course,
            params={
                "question": question.pk if question else None,
                "quiz": quiz.slug if quiz else None,
                "reason": form.cleaned_data["reason"],
            },
        )
        # A finished job shows its summary or its error in the page (_jobs.html).
        if not job.finished:
            messages.info(
                request,
                _("The regrade runs in the background: its progress shows below."),
            )
        return redirect(request.get_full_path())
    found = dry_run.dry_run_for_page(
        user=request.user, course=course, question=question, quiz=quiz
    )
    report = found.report
    return render(
        request,
        "teach/regrade.html",
        {
            "course": course,
            "question": question,
            "quiz": quiz,
            "report": report,
            "dry_run_job": found.job,
            "dry_run_card": [(found.job, job_summary(found.job))]
            if found.job and found.job.status != Job.Status.DONE
            else [],
            "stale": found.stale,
            "form": form,
            "skipped": [
                (SKIP_LABELS.get(code, code), count)
                for code, count in (report or {}).get("skipped", {}).items()
            ],
            "edit_url": reverse("admin:quizzes_question_change", args=[question.pk])
            if question
            else "",
            "jobs": jobs_for_page(
                user=request.user, course=course, kinds=[Job.Kind.REGRADE]
            ),
        },
    )
