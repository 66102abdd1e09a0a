"""The request a view behind `@login_required` receives, typed as such (see django-stubs' docs).

Typing only: Django builds a plain HttpRequest, and the middlewares set what is declared here.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from binome.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    # Set by AuthenticationMiddleware; @login_required lets through a logged-in user only.
    user: User
    # Set on every request by django_htmx's HtmxMiddleware (see config/settings.py).
    htmx: HtmxDetails
