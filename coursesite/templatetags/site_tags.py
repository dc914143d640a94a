"""The page chrome every page shares (``base.html``): its head links, navigation
bar and footer, rendered once per process for each template version, language
and kind of visitor, and cached; the values of the request (the user's name,
the CSRF token, the page's path) fill their slots per request."""

import re

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coursesite import cache as site_cache

register = template.Library()

# Slots in the cached chrome. What fills them is escaped, and so is everything
# the chrome's templates print, so no value can forge one.
_SLOT = re.compile(r"<!--slot:(username|csrf|path)-->")


@register.simple_tag(takes_context=True)
def site_chrome(context, template_name):
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    staff = bool(authenticated and user.is_staff)
    html = site_cache.site_fragment(
        template_name,
        get_language(),
        get_script_prefix(),
        "staff" if staff else "user" if authenticated else "visitor",
        build=lambda: str(
            render_to_string(
                template_name, {"authenticated": authenticated, "staff": staff}
            )
        ),
    )
    request = context.get("request")
    values = {}

    def fill(match):
        kind = match.group(1)
        if kind not in values:
            if kind == "username":
                values[kind] = escape(user.get_username()) if authenticated else ""
            elif kind == "csrf":
                token = str(context.get("csrf_token") or "")
                values[kind] = "" if token == "NOTPROVIDED" else escape(token)
            else:
                values[kind] = escape(request.get_full_path()) if request else ""
        return values[kind]

    return mark_safe(_SLOT.sub(fill, html))  # noqa: S308 (the fragment is ours)
