"""A mail backend for the tests: a mail server that is down."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class DownEmailBackend(EmailBackend):
    """Refuse every message as an unreachable SMTP server does."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
