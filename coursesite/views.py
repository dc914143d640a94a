"""Site-wide pages: health check and sign-up."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
