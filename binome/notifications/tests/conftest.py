import pytest
from django.core import mail

from binome.notifications.dispatch import notifications_run

WORKING = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DOWN = {"default": {"BACKEND": "binome.notifications.tests.backends.DownEmailBackend"}}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the notification job once; the test's transaction stands in for each commit."""

    def go(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notifications_run(**kwargs)

    return go


def sent(kind: str | None = None) -> list:
    """The e-mails in the outbox, of one kind if given."""
    return [
        message
        for message in mail.outbox
        if kind is None or message.extra_headers.get("X-Binome-Notification") == kind
    ]


def to(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def by_address(messages) -> dict:
    return {message.to[0]: message for message in messages}
