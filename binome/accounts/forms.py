from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("This e-mail address and password do not match. Please try again."),
        "inactive": _("This account is inactive."),
    }


class DeferredPasswordResetForm(PasswordResetForm):
    """Django's reset form, doing the same work for every address and sending nothing itself.

    Django's form builds and sends the e-mail inside the request only when the address has an
    account, so known addresses were answered measurably later than unknown ones. Here an
    address without an account gets a stand-in whose link is made and whose e-mail is rendered
    all the same; the real e-mails wait in `prepared` for the view to send after the response.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: list[EmailMultiAlternatives] = []

    def get_users(self, email):
        users = list(super().get_users(email))
        # Never saved and never sent to: it only costs what a real account costs.
        return users or [get_user_model()(email=email)]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if context["user"].pk is not None:
            self.prepared.append(message)


class CodeForm(forms.Form):
    """The login's second step: the authenticator's six digits, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("Enter the 6 digits the app shows now, to check that it is set up."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordCheckForm(forms.Form):
    """The password asked again before a change that weakens the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
