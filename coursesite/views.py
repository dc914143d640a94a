"""Site-wide pages: liveness and health checks, sign-up, the login lockout page,
the throttled password reset, and the progress and files of background jobs."""

import math

from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from coursesite import jobs
from coursesite.forms import SignupForm
from coursesite.health import databases_answer
from coursesite.models import Job

# A load balancer gives up on a health check after a few seconds; answer before.
HEALTHZ_TIMEOUT_SECONDS = 1.5


@require_GET
@never_cache
def livez(request):
    """200 "ok" whenever the process serves requests: no database, no cache, no
    session (the framework and middleware floor). For liveness probes and as the
    baseline of ``make bench``; /healthz is the readiness check."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def healthz(request):
    """200 "ok" once the database answers; 503 when it does not answer in time.
    Used by load balancers and benchmarks."""
    if not databases_answer(timeout=HEALTHZ_TIMEOUT_SECONDS):
        return HttpResponse(
            "database unavailable", content_type="text/plain", status=503
        )
    return HttpResponse("ok", content_type="text/plain")


def signup(request):
    if request.user.is_authenticated:
        return redirect("lessons:my-learning")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="coursesite.auth.CachedModelBackend")
        messages.success(request, _("Welcome, %(name)s!") % {"name": user.username})
        return redirect("lessons:catalogue")
    return render(request, "registration/signup.html", {"form": form})


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out login (AXES_LOCKOUT_CALLABLE): what
    happened, how long to wait, what else to do. 429, on the site's and the admin's
    login alike."""
    cool_off = axes_helpers.get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": axes_helpers.get_failure_limit(request, credentials),
            "minutes": minutes,
        },
        status=429,
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, with its mail limited per e-mail address and per
    client address an hour (PASSWORD_RESET_MAILS_PER_ADDRESS, ..._PER_CLIENT).

    Every valid request counts, whether an account has the address or not, so
    being refused tells nothing about which addresses have accounts.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # Both counters move on every request: evaluate both, then decide.
        over_client = is_ratelimited(
            self.request,
            group="password-reset-client",
            key="ip",
            rate=f"{settings.PASSWORD_RESET_MAILS_PER_CLIENT}/h",
            increment=True,
        )
        over_address = is_ratelimited(
            self.request,
            group="password-reset-address",
            key=lambda group, request: email,
            rate=f"{settings.PASSWORD_RESET_MAILS_PER_ADDRESS}/h",
            increment=True,
        )
        if over_client or over_address:
            form.add_error(
                None,
                _(
                    "Too many password reset requests. No e-mail was sent; please "
                    "try again in an hour."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


# --- Background jobs (coursesite/jobs.py) -----------------------------------------


@require_GET
@never_cache
@login_required
def job_progress(request, job_id):
    """How far a job got, as JSON, for the progress bar (static/js/jobs.js). Only
    to the user who started it: anyone else gets a 404."""
    job = jobs.job_get_for_owner(job_id=job_id, user=request.user)
    return JsonResponse(jobs.job_progress_data(job))


@require_GET
@login_required
def job_download(request, job_id):
    """The file a finished job wrote, to the user who started it."""
    job = jobs.job_get_for_owner(job_id=job_id, user=request.user)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404("No file.")
    path = jobs.result_path(job.result_file)
    if not path.is_file():
        raise Http404("No file.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.result.get("filename") or path.name,
        content_type="text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response
