"""Site-wide pages: health check, sign-up, the login lockout page and the
throttled password reset."""

import math

from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from coursesite.forms import SignupForm
from coursesite.health import databases_answer

# A load balancer gives up on a health check after a few seconds; answer before.
HEALTHZ_TIMEOUT_SECONDS = 1.5


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
