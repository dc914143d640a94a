"""Quiz pages: the quiz's front page, the attempt (answer, resume), the summary
before submitting, and the review of a finished attempt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coursesite import cache as site_cache
from lessons.selectors import (
    course_get_for_user,
    enrollment_get,
    is_enrolled,
    learner_state,
    manages_course,
)
from quizzes import presenting, rules, selectors, services
from quizzes.forms import (
    answers_from_post,
    apply_move,
    posted_positions,
    posted_sequences,
)
from quizzes.grading import InvalidResponse
from quizzes.models import AttemptState
from quizzes.templatetags.quiz_tags import render_questions

REFUSALS = {
    rules.NOT_OPEN_YET: gettext_lazy("This quiz is not open yet."),
    rules.CLOSED: gettext_lazy("This quiz is closed."),
    rules.NO_ATTEMPTS_LEFT: gettext_lazy(
        "You have used all your attempts at this quiz."
    ),
    rules.TOO_SOON: gettext_lazy("You must wait before starting another attempt."),
    "no_questions": gettext_lazy("This quiz has no questions yet."),
    services.ATTEMPT_CLOSED: gettext_lazy("This attempt has already been submitted."),
    services.TIME_UP: gettext_lazy(
        "Time was up: your attempt was submitted with the answers saved before the "
        "deadline. Answers sent after it were not counted."
    ),
}


def _refusal_text(code: str) -> str:
    return str(REFUSALS.get(code, _("This action is not allowed now.")))


@require_GET
@login_required
def quiz_detail(request, course_slug, quiz_slug):
    quiz = selectors.quiz_get_for_user(
        course_slug=course_slug, quiz_slug=quiz_slug, user=request.user
    )
    manages = manages_course(request.user, quiz.course)
    effective = services.settings_for(quiz=quiz, user=request.user, cached=True)
    overview = presenting.quiz_overview(
        quiz=quiz,
        attempts=selectors.attempts_for_user_cached(quiz=quiz, user=request.user),
        settings=effective,
        now=timezone.now(),
    )
    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "course": quiz.course,
            "introduction": selectors.quiz_introduction_html(quiz=quiz),
            "question_count": selectors.question_counts(course=quiz.course).get(
                quiz.pk, 0
            ),
            "review_policy": presenting.review_policy(
                quiz.review_options, close_at=effective.close_at
            ),
            "settings": effective,
            "time_limit_minutes": overview.time_limit_minutes,
            "rows": overview.rows,
            "in_progress": overview.in_progress,
            "refusal": _refusal_text(overview.refusal) if overview.refusal else "",
            "grade_percent": overview.grade_percent,
            "manages": manages,
            "enrolled": manages or is_enrolled(user=request.user, course=quiz.course),
            "attempts_left": overview.attempts_left,
        },
    )


@require_POST
@login_required
def quiz_start(request, course_slug, quiz_slug):
    quiz = selectors.quiz_get_for_user(
        course_slug=course_slug, quiz_slug=quiz_slug, user=request.user
    )
    # The course's instructors (and superusers) preview: not counted anywhere.
    manages = manages_course(request.user, quiz.course)
    if not manages and enrollment_get(user=request.user, course=quiz.course) is None:
        messages.info(request, _("Enrol in the course to take its quizzes."))
        return redirect(quiz.course.get_absolute_url())
    effective = services.settings_for(quiz=quiz, user=request.user)
    if effective.time_limit and request.POST.get("confirm") != "1":
        # As Moodle's "Start attempt" dialog: a timed attempt starts only once
        # the student has read that its clock cannot be paused. A page of its
        # own, so it works without JavaScript. Resuming needs no confirmation.
        current = selectors.attempt_in_progress(quiz=quiz, user=request.user)
        if current is None:
            return render(
                request,
                "quizzes/quiz_start_confirm.html",
                {
                    "quiz": quiz,
                    "course": quiz.course,
                    "settings": effective,
                    "time_limit_minutes": presenting.minutes(effective.time_limit),
                    "manages": manages,
                },
            )
        return redirect("quizzes:attempt", attempt_id=current.pk)
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user, preview=manages)
    except services.AttemptError as error:
        messages.error(request, _refusal_text(error.code))
        return redirect(quiz.get_absolute_url())
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def _page_number(request, pages: int) -> int:
    raw = request.POST.get("page") or request.GET.get("page") or "1"
    # Not isdigit(): it accepts "²", which int() then rejects (a 500). ASCII only:
    # a page number is never written in another script's digits.
    if not (raw.isascii() and raw.isdecimal()):
        raise InvalidResponse("Bad page number.")
    return min(max(int(raw), 1), max(pages, 1))


def _wants_json(request) -> bool:
    """An autosave from attempt-autosave.js: it marks its posts (a beacon cannot
    set headers) and asks for JSON."""
    return request.method == "POST" and (
        request.POST.get("autosave") == "1"
        or "application/json" in request.headers.get("Accept", "")
    )


@require_http_methods(["GET", "POST"])
@login_required
def attempt_page(request, attempt_id):
    attempt = selectors.attempt_get_for_user(
        attempt_id=attempt_id,
        user=request.user,
        related=("quiz", "quiz__course", "quiz__lesson"),
    )
    attempt = services.attempt_close_if_stale(attempt=attempt, user=request.user)
    if attempt.state != AttemptState.IN_PROGRESS:
        overdue = rules.is_overdue(
            deadline=attempt.deadline,
            grace_period=attempt.quiz.grace_period,
            now=timezone.now(),
        )
        return _closed(
            request, attempt, services.TIME_UP if overdue else services.ATTEMPT_CLOSED
        )
    if request.method == "POST":
        responses = list(attempt.responses.all())
    else:
        # Questions whose markup is cached need no snapshot: load those lazily.
        responses = selectors.attempt_page_responses(attempt)
    pages = presenting.paginate(responses, attempt.quiz.questions_per_page)
    result = None
    try:
        page = _page_number(request, len(pages))
        on_page = pages[page - 1]
        if request.method == "POST":
            # A flag or a jump is checked before anything is saved: a forged one
            # changes nothing.
            flag = _posted_flag(request.POST, on_page)
            goto = _posted_goto(request.POST, pages)
            result = _save_page(request, attempt, on_page, responses)
            if flag is not None and not _wants_json(request):
                services.response_flag_set(
                    attempt=attempt, position=flag[0], flagged=flag[1]
                )
    except InvalidResponse as invalid:
        reason = _("The answers could not be saved: %(reason)s") % {"reason": invalid}
        if _wants_json(request):
            return JsonResponse({"error": reason}, status=400)
        return HttpResponseBadRequest(reason)
    except services.AttemptError as refused:
        return _closed(request, attempt, refused.code)
    errors = {}
    if result is not None:
        errors = {
            position: presenting.user_error_message(mistake)
            for position, mistake in result.mistakes.items()
        }
        if _wants_json(request):
            return JsonResponse(
                presenting.autosave_reply(result, on_page, errors, now=timezone.now())
            )
        # When time is up what was saved is submitted, whatever was refused.
        time_up = request.POST.get("action") == "finish" and _submitted_by_timer(
            request, attempt
        )
        if time_up or not (errors or result.conflicts):
            return _after_save(request, attempt, page, goto=goto)
        if not errors:
            # Shown again from the database: the answers as they now stand.
            messages.warning(request, presenting.conflict_message(result.conflicts))
            anchor = f"#q{result.conflicts[0]}"
            return redirect(f"{attempt.get_absolute_url()}?page={page}{anchor}")
        on_page = [result.responses[r.position] for r in on_page]
    return render(
        request,
        "quizzes/attempt_page.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            **_page_html(request, responses, pages, page, on_page, errors),
            "page": page,
            "pages": len(pages),
            "error": bool(errors),
            "conflicts": (
                presenting.conflict_message(result.conflicts)
                if result and result.conflicts
                else ""
            ),
            "deadline_iso": attempt.deadline.isoformat() if attempt.deadline else "",
            "autosave_seconds": AUTOSAVE_SECONDS,
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def course_grades(request, course_slug):
    """The signed-in student's grades in one course: each quiz, the total, and
    whether it passes."""
    course = course_get_for_user(slug=course_slug, user=request.user)
    manages = manages_course(request.user, course)
    if not manages and not learner_state(user=request.user, course=course).enrolled:
        messages.info(request, _("Enrol in this course to see your grades."))
        return redirect(course.get_absolute_url())
    return render(
        request,
        "quizzes/course_grades.html",
        {
            "course": course,
            "grades": selectors.course_grades_cached(user=request.user, course=course),
            "manages": manages,
        },
    )


# How often the page saves by itself while the student works (attempt-autosave.js).
AUTOSAVE_SECONDS = 30


def _closed(request, attempt, code: str):
    """The attempt is over (time up, submitted elsewhere, quiz withdrawn)."""
    url = reverse("quizzes:attempt-result", kwargs={"attempt_id": attempt.pk})
    if request.method == "POST":
        if _wants_json(request):
            message = _refusal_text(code)
            return JsonResponse({"closed": True, "redirect": url, "message": message},
                                status=409)  # fmt: skip
        messages.warning(request, _refusal_text(code))
    return redirect(url)


def _page_html(request, responses, pages, page, on_page, errors) -> dict[str, str]:
    """The page's questions and its navigation panel. Their markup only changes
    when a saved answer or a flag does, so it is cached per state of the attempt;
    a page shown again with mistakes keeps what the student typed in those
    questions and is never cached."""

    def build(items) -> dict[str, str]:
        return {
            "questions_html": render_questions(items),
            "navigation_html": render_to_string(
                site_cache.NAV_TEMPLATE,
                {"navigation": presenting.navigation(pages, page)},
            ),
        }

    if errors:
        return build(
            presenting.questions_for_page(on_page, posted=request.POST, errors=errors)
        )
    return site_cache.attempt_page_html(
        responses,
        page,
        get_language(),
        build=lambda: build(
            presenting.questions_for_page(
                on_page, load_snapshots=selectors.response_snapshots
            )
        ),
    )


def _submitted_by_timer(request, attempt) -> bool:
    """The countdown posts ``timeout=1`` when it reaches zero; believed only when
    the deadline has (about) come."""
    return request.POST.get("timeout") == "1" and rules.time_is_up(
        deadline=attempt.deadline, now=timezone.now()
    )


def _save_page(request, attempt, on_page, responses):
    """Save the posted page (with an ordering move applied); the save's result.
    ``responses`` (all of the attempt's, as read for this page) lend the save
    their frozen questions."""
    page_positions = {r.position for r in on_page}
    if not posted_positions(request.POST) <= page_positions:
        raise InvalidResponse("An answer was sent for a question not on this page.")
    answers = answers_from_post(request.POST, on_page)
    sequences = posted_sequences(request.POST, on_page)
    move = request.POST.get("move")
    if move and not _wants_json(request):
        for response in on_page:
            if response.snapshot["type"] == "ordering":
                order = answers.get(response.position) or list(
                    response.answer or response.snapshot["display_order"]
                )
                moved = apply_move(order, move, response.position)
                if moved is not None:
                    answers[response.position] = moved
    return services.attempt_save_answers(
        attempt=attempt, answers=answers, sequences=sequences, asked=responses
    )


def _posted_flag(post, on_page) -> tuple[int, bool] | None:
    """The flag button a student pressed without JavaScript: "<position>:1" to
    flag a question of this page, "<position>:0" to take the flag off."""
    raw = post.get("flag")
    if raw is None:
        return None
    position, _sep, value = raw.partition(":")
    flagged = _flag_value(value)
    response = next((r for r in on_page if str(r.position) == position), None)
    if (
        response is None
        or flagged is None
        or not presenting.takes_answer(response.snapshot)
    ):
        raise InvalidResponse("Bad flag.")
    return response.position, flagged


def _flag_value(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _posted_goto(post, pages) -> tuple[int, int] | None:
    """The navigation panel's button for a question on another page: its page
    and position, once this page is saved."""
    raw = post.get("goto")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdecimal()):
        raise InvalidResponse("Bad question number.")
    page = presenting.page_of(pages, int(raw))
    if page is None:
        raise InvalidResponse("Bad question number.")
    return page, int(raw)


def _after_save(request, attempt, page: int, *, goto=None):
    """Where the button the student pressed leads once the page is saved."""
    move = request.POST.get("move")
    if move:
        return redirect(
            f"{attempt.get_absolute_url()}?page={page}#q{move.split(':')[0]}"
        )
    flag = request.POST.get("flag")
    if flag:
        return redirect(
            f"{attempt.get_absolute_url()}?page={page}#q{flag.split(':')[0]}"
        )
    if goto is not None:
        return redirect(f"{attempt.get_absolute_url()}?page={goto[0]}#q{goto[1]}")
    action = request.POST.get("action", "save")
    if action == "next":
        return redirect(f"{attempt.get_absolute_url()}?page={page + 1}")
    if action == "previous":
        return redirect(f"{attempt.get_absolute_url()}?page={max(page - 1, 1)}")
    if action == "finish":
        if _submitted_by_timer(request, attempt):
            services.attempt_submit(attempt=attempt, auto=True)
            messages.info(request, _("Time is up: your attempt was submitted."))
            return redirect("quizzes:attempt-result", attempt_id=attempt.pk)
        return redirect("quizzes:attempt-summary", attempt_id=attempt.pk)
    messages.success(request, _("Your answers are saved."))
    return redirect(f"{attempt.get_absolute_url()}?page={page}")


@require_POST
@login_required
def attempt_flag(request, attempt_id):
    """Flag or unflag a question without reloading the page (attempt-nav.js):
    ``position`` and ``flagged`` ("1" or "0"). Answers JSON when asked for it,
    else goes back to the question."""
    attempt = selectors.attempt_get_for_user(
        attempt_id=attempt_id, user=request.user, related=("quiz",)
    )
    attempt = services.attempt_close_if_stale(attempt=attempt, user=request.user)
    raw = request.POST.get("position", "")
    flagged = _flag_value(request.POST.get("flagged", ""))
    try:
        if not (raw.isascii() and raw.isdecimal()) or flagged is None:
            raise InvalidResponse("Bad flag.")
        response = services.response_flag_set(
            attempt=attempt, position=int(raw), flagged=flagged
        )
    except InvalidResponse:
        message = _("This question cannot be flagged.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message)
    except services.AttemptError as refused:
        return _closed(request, attempt, refused.code)
    if _wants_json(request):
        return JsonResponse(
            {
                "position": response.position,
                "number": response.position + 1,
                "flagged": response.flagged,
            }
        )
    return redirect(f"{attempt.get_absolute_url()}#q{response.position}")


@require_GET
@login_required
def attempt_summary(request, attempt_id):
    attempt = selectors.attempt_get_for_user(attempt_id=attempt_id, user=request.user)
    attempt = services.attempt_close_if_stale(attempt=attempt, user=request.user)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("quizzes:attempt-result", attempt_id=attempt.pk)
    responses = list(attempt.responses.all())
    pages = presenting.paginate(responses, attempt.quiz.questions_per_page)
    return render(
        request,
        "quizzes/attempt_summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": attempt.quiz.course,
            "rows": presenting.summary_rows(pages),
            "deadline_iso": attempt.deadline.isoformat() if attempt.deadline else "",
        },
    )


@require_POST
@login_required
def attempt_submit(request, attempt_id):
    attempt = selectors.attempt_get_for_user(attempt_id=attempt_id, user=request.user)
    now = timezone.now()
    late = rules.is_overdue(
        deadline=attempt.deadline, grace_period=attempt.quiz.grace_period, now=now
    )
    result = services.attempt_submit(
        attempt=attempt, now=now, auto=late or _submitted_by_timer(request, attempt)
    )
    if late and result.graded_now:
        messages.warning(request, _refusal_text(services.TIME_UP))
    elif not result.graded_now:
        messages.info(request, _("This attempt had already been submitted."))
    return redirect("quizzes:attempt-result", attempt_id=attempt.pk)


@require_GET
@login_required
def attempt_result(request, attempt_id):
    attempt = selectors.attempt_get_for_user(attempt_id=attempt_id, user=request.user)
    attempt = services.attempt_close_if_stale(attempt=attempt, user=request.user)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    now = timezone.now()
    # The result and policy without the questions; their markup is cached.
    review = presenting.attempt_review(attempt, now=now, responses=[])

    def build() -> str:
        responses = list(attempt.responses.all())
        full = presenting.attempt_review(
            attempt,
            now=now,
            responses=responses,
            lesson_urls=selectors.lesson_urls(
                course=attempt.quiz.course,
                lesson_ids={r.snapshot.get("lesson_id") for r in responses},
            ),
        )
        return render_to_string(site_cache.REVIEW_TEMPLATE, {"review": full})

    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": attempt.quiz.course,
            "review": review,
            "review_html": site_cache.attempt_review_html(
                course_id=attempt.quiz.course_id,
                attempt_id=attempt.pk,
                state=selectors.attempt_review_state(attempt),
                visible=(review.moment, sorted(review.items)),
                language=get_language(),
                build=build,
            ),
        },
    )
