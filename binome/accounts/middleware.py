"""Every logged-in request: its session's record kept current, and the second factor enforced."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from binome.accounts import sessions, two_factor
from binome.accounts.models import User


class AccountSecurityMiddleware:
    """After django-otp's OTPMiddleware: enforcement in one place, for every view there is.

    A view added later is covered without a decorator of its own: a session that owes a code,
    or an enrolment its organisation requires, reaches nothing but that step and the logout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if SESSION_KEY not in request.session:
            return None  # anonymous: no query at all
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if sessions.touch_due(request):
            # At most once a minute: the session's "last seen", and whether a device was added
            # or removed elsewhere meanwhile.
            sessions.session_touch(request=request, user=user)
            two_factor.remember_device(request, user)
        return two_factor.gate(request)
