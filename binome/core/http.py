"""Who is on the other end of a request, and work done once it has its answer."""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


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


def call_after_response(response: HttpResponseBase, func: Callable[[], object]) -> None:
    """Run func once the response has been sent, so that the client does not wait for it.

    WSGI and ASGI servers call the response's close() after its last byte is written (Django's
    test client does too), and close() runs the response's resource closers: the hook Django
    itself uses to close a FileResponse's file. No background worker is needed. The closers'
    exceptions are swallowed, so func must report its own failures.
    """
    # A private attribute, which the stubs do not declare.
    response._resource_closers.append(func)  # type: ignore[attr-defined]
