"""The address a request really came from, for login throttling.

With no proxy in front (PROXY_COUNT=0) that is REMOTE_ADDR. Behind N
trusted proxies, it is the N-th address from the right of
X-Forwarded-For: the left-hand entries are whatever the client claimed and
cannot be trusted.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
