"""Who is on the other end of a request, for the rate limits and the login lockout records."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """Return the client's IP address: REMOTE_ADDR, or the one the trusted proxies saw."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        # Without a proxy in front, X-Forwarded-For is whatever the client chose to send.
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    # Each proxy appends the address it was reached from: the right-most entries are the trusted
    # proxies' own, and anything further left may have been typed by the client. REMOTE_ADDR is
    # the last proxy, so the client is the proxies-th entry from the right.
    address = forwarded[-min(proxies, len(forwarded))]
    # A malformed entry must not break the rate limits (they build a network from it).
    return address if _valid(address) else remote
