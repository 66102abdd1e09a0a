import logging
from functools import partial
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMessage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binome.accounts import forms, roles, sessions, throttle, two_factor
from binome.accounts.http import AuthenticatedHttpRequest
from binome.core import next_steps
from binome.core.audit import audit
from binome.core.http import call_after_response
from binome.core.mail import language_of

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

    def get_success_url(self) -> str:
        # The person's own language wins over the language of the page the login started from.
        url = super().get_success_url()
        if self.request.user.is_authenticated:
            return translate_url(url, language_of(self.request.user.language))
        return url

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language_of(form.get_user().language),
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        # Who logged in and when: the trail an organisation reads after a suspected leak. Never
        # the address typed or the client's network address (personal data of its own).
        user = form.get_user()
        audit(actor=user, organisation=None, action="accounts.login", target=user)
        if two_factor.pending_step(self.request) == "verify":
            # The password was right; the session is not verified until the code is given.
            query = urlencode({"next": self.get_success_url()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor_verify')}?{query}")
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
    if roles.organisation_ids(user):
        # A coordinator's home: what waits for her across her programmes, each with its list.
        todos = next_steps.coordinator_todos(user)
        return render(request, "accounts/home.html", {"todos": todos})
    if roles.roles_by_organisation(user):
        return redirect("programmes:list")
    if hasattr(user, "participant"):
        return redirect("people:my_space")
    return render(request, "accounts/no_role.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password chosen from an e-mailed link (invitation or reset) ends every session."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        sessions.sessions_revoke_all(user=form.user)
        return response


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _throttled(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**context, "throttled": True}, status=429)


@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The login's second step: a code from the app or a recovery code."""
    user = request.user
    if two_factor.is_verified(user):
        return redirect(_next_url(request))
    if not two_factor.has_device(user):
        request.session[two_factor.HAS_DEVICE_KEY] = False
        return redirect(_next_url(request))
    form = forms.CodeForm(request.POST or None)
    context = {"form": form, "next": _next_url(request)}
    if request.method == "POST":
        if throttle.address_throttled(request):
            return _throttled(request, "accounts/two_factor_verify.html", context)
        if form.is_valid():
            code = form.cleaned_data["code"]
            device = two_factor.code_device(user, code)
            if device is not None and two_factor.refused_for_now(device):
                throttle.address_failed(request)
                form.add_error("code", _("Too many wrong codes: wait a minute, then try again."))
            elif device is not None and two_factor.code_verify(
                request=request, user=user, device=device, code=code
            ):
                left = two_factor.recovery_codes_left(user)
                if left <= 3:
                    messages.warning(
                        request,
                        _("%(count)s recovery codes left: make new ones on your Security page.")
                        % {"count": left},
                    )
                return redirect(_next_url(request))
            else:
                throttle.address_failed(request)
                form.add_error("code", _("This code is not right. Try the newest one."))
    return render(request, "accounts/two_factor_verify.html", context)


def _qr_svg(device) -> str:
    # Drawn here as SVG paths with presentation attributes: no script, no inline style, which
    # the Content-Security-Policy would refuse, and no image fetched from anywhere.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=3, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )
    return mark_safe(svg)  # noqa: S308 (segno's own markup of our own URL, escaped by segno)


@login_required
def two_factor_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the secret), then give its code."""
    user = request.user
    if two_factor.has_device(user) and two_factor.is_verified(user):
        messages.info(request, _("Two-step login is already on."))
        return redirect("accounts:security")
    device = two_factor.pending_totp(user)
    form = forms.EnrolForm(request.POST or None)
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": two_factor.secret_text(device),
        "required": roles.two_factor_required(user),
        "next": _next_url(request, "accounts:security"),
    }
    if request.method == "POST":
        if throttle.address_throttled(request):
            return _throttled(request, "accounts/two_factor_enrol.html", context)
        if form.is_valid():
            if two_factor.refused_for_now(device):
                throttle.address_failed(request)
                form.add_error("code", _("Too many wrong codes: wait a minute, then try again."))
            else:
                codes = two_factor.totp_confirm(
                    request=request, user=user, device=device, code=form.cleaned_data["code"]
                )
                if codes:
                    return _show_codes(request, codes, first=True)
                throttle.address_failed(request)
                form.add_error(
                    "code",
                    _("This code is not right. Check the phone's time and try the newest one."),
                )
    return render(request, "accounts/two_factor_enrol.html", context)


def _show_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    # Shown once, in this response only: never stored readable, never sent by e-mail.
    context = {"codes": codes, "first": first, "next": _next_url(request, "accounts:security")}
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make ten new recovery codes (the old ones stop working) and show them once."""
    if not two_factor.has_device(request.user):
        raise Http404
    return _show_codes(request, two_factor.recovery_codes_generate(user=request.user), first=False)


@login_required
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-step login off, after the password is given again."""
    user = request.user
    if not two_factor.has_device(user):
        return redirect("accounts:security")
    form = forms.PasswordCheckForm(request.POST or None, user=user)
    context = {"form": form, "required": roles.two_factor_required(user)}
    if request.method == "POST":
        if throttle.address_throttled(request):
            return _throttled(request, "accounts/two_factor_disable.html", context)
        if form.is_valid():
            two_factor.two_factor_disable(request=request, user=user)
            messages.success(request, _("Two-step login is off."))
            return redirect("accounts:security")
        throttle.address_failed(request)
    return render(request, "accounts/two_factor_disable.html", context)


@login_required
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own account security: two-step login, password, sessions."""
    user = request.user
    current = request.session.session_key
    rows = [(record, record.session_id == current) for record in sessions.sessions_of(user)]
    context = {
        "sessions": rows,
        "others": sum(not is_current for _record, is_current in rows),
        "two_factor_on": two_factor.has_device(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "required": roles.two_factor_required(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def session_revoke(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    user = request.user
    record = sessions.sessions_of(user).filter(pk=session_id).first()
    if record is None:
        raise Http404
    audit(actor=user, organisation=None, action="accounts.session.revoke", target=user)
    if record.session_id == request.session.session_key:
        # This very session: an ordinary logout (its row is flushed, and no save meets it gone).
        auth_logout(request)
        return redirect("accounts:login")
    sessions.session_revoke(user=user, record_id=record.pk)
    messages.success(request, _("That session is logged out."))
    return redirect("accounts:security")


@login_required
@require_POST
def sessions_revoke_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = sessions.sessions_revoke_others(user=request.user, keep_key=request.session.session_key)
    audit(
        actor=request.user,
        organisation=None,
        action="accounts.session.revoke_others",
        target=request.user,
        count=count,
    )
    messages.success(request, _("Every other session is logged out."))
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; every other session is logged out."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session (under a new key)
        user = form.user
        count = sessions.sessions_revoke_others(
            user=user, keep_key=self.request.session.session_key
        )
        sessions.session_record(request=self.request, user=user)
        audit(
            actor=user,
            organisation=None,
            action="accounts.password_change",
            target=user,
            sessions_ended=count,
        )
        messages.success(
            self.request, _("Your password is changed; your other sessions are logged out.")
        )
        return response
