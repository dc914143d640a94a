"""The address of the client a request comes from, for throttling.

Behind the TLS proxy every request comes from the proxy's address. When the proxy
passes the client's in a header, CLIENT_IP_HEADER names it (e.g. ``X-Real-IP``, or
``X-Forwarded-For``, of which the right-most entry, the one our proxy added, is
taken: entries further left come from the client and could be anything).
Used by login throttling (django-axes) and the password-reset mail limit.
"""

import ipaddress

from django.conf import settings

# Without any usable address, all such requests share one counter.
UNKNOWN = "0.0.0.0"


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        entries = request.META.get(meta_key, "").split(",")
        from_proxy = _valid(entries[-1])
        if from_proxy:
            return from_proxy
    return _valid(request.META.get("REMOTE_ADDR") or "") or UNKNOWN
