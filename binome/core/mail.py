"""Every e-mail Binôme sends is built and sent here: in the recipient's language, after commit.

A mail is two templates, `<name>_subject.txt` and `<name>_body.txt`, rendered with the
recipient's language active; the subject is folded onto one line. Sending failures are logged
with what the caller names (a record id), never the address or the mail server's answer, which
may hold it. Opt-outs, the sent-log and retries belong to the notifications app, which builds
its messages here too.
"""

import email.policy
import logging
from collections.abc import Iterable
from email.message import EmailMessage as PythonEmailMessage
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# (file name, content, MIME type), as EmailMessage.attach takes them.
Attachment = tuple[str, bytes | str, str]


class Email(EmailMessage):
    """An e-mail whose long headers stay readable.

    Python folds a header word longer than 78 characters into encoded words, which turns the
    List-Unsubscribe URL into something mail clients do not offer as a button; RFC 5322 allows
    lines of up to 998 characters.
    """

    def message(
        self, *, policy: email.policy.Policy | None = email.policy.default
    ) -> PythonEmailMessage:
        # None is the default policy, as for Django's message() and Python's EmailMessage.
        policy = policy or email.policy.default
        return super().message(policy=policy.clone(max_line_length=998))


def language_of(code: str | None) -> str:
    """Return the code if the site speaks it, else the site's default language."""
    available = {code for code, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def email_build(
    *,
    template: str,
    language: str | None,
    to: str,
    context: dict[str, object],
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> Email:
    """Render `template`'s subject and body in the recipient's language into one e-mail."""
    language = language_of(language)
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    outgoing = Email(
        " ".join(subject.split()),
        body,
        None,
        [to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Content-Language": language, **(headers or {})},
    )
    for filename, content, mimetype in attachments:
        outgoing.attach(filename, content, mimetype)
    return outgoing


def email_send(outgoing: EmailMessage, *, what: str) -> bool:
    """Send now; on failure log `what` (never an address) and say so, without raising."""
    try:
        outgoing.send()
    except Exception as error:  # smtplib errors are OSErrors; a failed mail must not break a page
        logger.warning("%s not sent (%s)", what, type(error).__name__)
        return False
    return True


def email_send_on_commit(outgoing: EmailMessage, *, what: str) -> None:
    """Send once the surrounding transaction commits: a rolled-back write sends nothing."""
    transaction.on_commit(partial(email_send, outgoing, what=what))
