import logging
from functools import partial

from django.contrib.auth import views as auth_views
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from binome.accounts import forms, roles, throttle
from binome.core.audit import audit
from binome.core.http import call_after_response

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if throttle.address_throttled(request):
            # Refused before the password is checked: from here on, guesses teach nothing.
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        throttle.address_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        # Who logged in and when: the trail an organisation reads after a suspected leak. Never
        # the address typed or the client's network address (personal data of its own).
        user = form.get_user()
        audit(actor=user, organisation=None, action="accounts.login", target=user)
        return response


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception as error:  # after the response: nobody to answer, so say it in the log
        # The error's class only: no address in the logs.
        logger.warning("password reset e-mail not sent (%s)", type(error).__name__)


class PasswordResetView(auth_views.PasswordResetView):
    """Answer known and unknown addresses alike, in the same time; send the e-mail afterwards."""

    form_class = forms.DeferredPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        # Sending (an SMTP conversation) would show in the response time, and only known
        # addresses are sent to: it happens once the response is out.
        for message in form.prepared:
            call_after_response(response, partial(_send, message))
        return response


def home(request: HttpRequest) -> HttpResponse:
    """Send each visitor where they work: staff to their programmes, participants to their space."""
    user = request.user
    if not user.is_authenticated:
        return redirect("programmes:directory")
    if roles.roles_by_organisation(user):
        return redirect("programmes:list")
    if hasattr(user, "participant"):
        return redirect("people:my_space")
    return render(request, "accounts/no_role.html")
