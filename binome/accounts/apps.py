from typing import Any

from django.apps import AppConfig


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from binome.accounts import sessions, two_factor

    if request is None or not hasattr(request, "session"):
        return
    sessions.session_record(request=request, user=user)
    two_factor.remember_device(request, user)


class AccountsConfig(AppConfig):
    name = "binome.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Django's own hook on every login, whatever logs in (the login form, a password set,
        # the tests' force_login): the session is recorded for the Security page, and whether
        # its user has a second factor is noted, so that the next request asks for the code.
        user_logged_in.connect(_logged_in, dispatch_uid="binome.accounts.logged_in")
