"""How failed logins are counted: per account by axes, per client address here.

Axes locks an account after AXES_FAILURE_LIMIT failures, whoever tries it. Guessing one common
password against many accounts (password spraying) stays under that lock, so the login view
also counts each address's failures and, past LOGIN_FAILURE_RATE, refuses that address's
logins for the rest of the window without checking the password. The account itself is never
locked by this count: the right password from another address still gets in.
"""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

GROUP = "accounts.login.failures"


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """Return the name axes counts failures under: the account's address however it was typed."""
    data = credentials if credentials else getattr(request, "POST", {})
    typed = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(typed, str):
        return typed
    typed = typed.strip()
    from binome.accounts.models import User

    # The same lookup the login does (email__iexact): Python's lower() and the database's
    # case-insensitive comparison disagree on a few letters (a dotless ı, say), and any spelling
    # the login accepts must meet the same counter.
    stored = User.objects.filter(email__iexact=typed).values_list("email", flat=True).first()
    return stored if stored is not None else typed.casefold()


def _usage(request: HttpRequest, *, increment: bool) -> dict | None:
    # key="ip" reads the client through binome.core.http.client_address (RATELIMIT_IP_META_KEY).
    return get_usage(
        request, group=GROUP, key="ip", rate=settings.LOGIN_FAILURE_RATE, increment=increment
    )


def address_throttled(request: HttpRequest) -> bool:
    """Say whether this client address has failed too often in the current window."""
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def address_failed(request: HttpRequest) -> None:
    """Count one failed login for this client address."""
    _usage(request, increment=True)
