"""Writes of the notifications app: the sent-log, one e-mail at a time, and people's opt-outs.

An e-mail is sent at most once: its Notification row (unique key) is claimed inside a transaction
and the message leaves in `transaction.on_commit`, so a rolled-back transaction sends nothing. A
failed send leaves `sent_at` empty, counts a failure, and is claimed again by a later run, up to
MAX_ATTEMPTS times. A send that was interrupted (its process killed between the claim and the
answer of the mail server) has neither: it may have left, so it is never sent again.
"""

import contextlib
import datetime
import itertools
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.mail import Attachment, email_build, email_send
from binome.notifications.models import JobRun, Kind, Lease, Notification, OptOut
from binome.people.models import Participant
from binome.programmes.models import Organisation

logger = logging.getLogger(__name__)

# After this many failed sends the e-mail is given up: a bad address must not be retried forever.
MAX_ATTEMPTS = 5
UNSUBSCRIBE_SALT = "binome.notifications.unsubscribe"


@dataclass(frozen=True)
class Recipient:
    """Who an e-mail goes to: a participant (a team through its representative) or a user."""

    email: str
    language: str
    name: str
    participant: Participant | None = None
    user: User | None = None


@dataclass
class Message:
    """One e-mail to one recipient, before it is rendered."""

    kind: str
    key: str
    recipient: Recipient
    # Template context; "link" is the page the e-mail points to (absolute URL).
    context: dict[str, object] = field(default_factory=dict)
    # Called in the recipient's language when the e-mail is rendered: [(filename, bytes, type)].
    attachments: Callable[[], list[Attachment]] | None = None
    reply_to: str = ""


@dataclass
class Outcome:
    """What one run did: counts, and the keys queued (record ids, never addresses or names)."""

    claimed: int = 0
    skipped: int = 0
    opted_out: int = 0
    failed: int = 0
    keys: list[str] = field(default_factory=list)


def absolute_url(path: str) -> str:
    site: str = settings.SITE_URL
    return site.rstrip("/") + path


def url_in(language: str, viewname: str, *args: int | str) -> str:
    """Return the absolute URL of a page with the recipient's language prefix (/ar/…)."""
    with translation.override(language):
        return absolute_url(reverse(viewname, args=args))


# Who an opt-out belongs to: ("participant", id) or ("user", id), as in OptOut's two columns.
Person = tuple[str, int]


def person_of(recipient: Recipient) -> Person | None:
    if recipient.participant is not None:
        return ("participant", recipient.participant.pk)
    if recipient.user is not None:
        return ("user", recipient.user.pk)
    return None


def unsubscribe_token(participant_id: int | None, kind: str, *, user_id: int | None = None) -> str:
    """Sign (person, kind): the token alone lets its holder stop that kind of e-mail."""
    person = {"p": participant_id} if user_id is None else {"u": user_id}
    return signing.dumps({**person, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[Person, str]:
    """Return (person, kind) of a token, or raise signing.BadSignature (expired ones too)."""
    lifetime = datetime.timedelta(days=settings.UNSUBSCRIBE_LINK_DAYS)
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=lifetime)
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        raise signing.BadSignature("unknown kind")
    if "u" in data:
        return ("user", int(data["u"])), data["k"]
    return ("participant", int(data["p"])), data["k"]


def _opt_outs_of(people: Iterable[Person]) -> QuerySet[OptOut]:
    """The opt-outs of these people, as a queryset."""
    by_column: dict[str, set[int]] = {"participant": set(), "user": set()}
    for column, pk in people:
        by_column[column].add(pk)
    return OptOut.objects.filter(
        Q(participant_id__in=by_column["participant"]) | Q(user_id__in=by_column["user"])
    )


def _refusals(opt_outs: QuerySet[OptOut]) -> set[tuple[Person, str]]:
    return {
        (("participant", participant) if participant else ("user", user), kind)
        for participant, user, kind in opt_outs.values_list("participant_id", "user_id", "kind")
    }


def opted_out(recipient: Recipient, kind: str) -> bool:
    person = person_of(recipient)
    return person is not None and _opt_outs_of([person]).filter(kind=kind).exists()


def _render(message: Message) -> EmailMessage:
    recipient = message.recipient
    language = recipient.language
    context = {**message.context, "recipient": recipient, "kind": message.kind}
    if recipient.participant is not None:
        token = unsubscribe_token(recipient.participant.pk, message.kind)
        context["unsubscribe_url"] = url_in(language, "notifications:unsubscribe", token)
        if recipient.participant.user_id:
            # The preferences page needs an account; the unsubscribe link works without one.
            context["preferences_url"] = url_in(language, "notifications:preferences")
    elif recipient.user is not None:
        token = unsubscribe_token(None, message.kind, user_id=recipient.user.pk)
        context["unsubscribe_url"] = url_in(language, "notifications:unsubscribe", token)
        context["preferences_url"] = url_in(language, "notifications:preferences")
    with translation.override(language):
        attachments = message.attachments() if message.attachments else []
    # The kind lets mail filters (and the tests) sort the e-mails without reading them.
    headers = {"X-Binome-Notification": str(message.kind)}
    if "unsubscribe_url" in context:
        # One-click unsubscribe from the mail client (RFC 8058): the view accepts a bare POST.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email_build(
        template=f"notifications/email/{message.kind}",
        language=language,
        to=recipient.email,
        context=context,
        reply_to=message.reply_to,
        headers=headers,
        attachments=attachments,
    )


def _claim(message: Message) -> Notification | None:
    """Insert the sent-log row, or take over a failed one; None when there is nothing to do."""
    recipient = message.recipient
    try:
        # A savepoint, so that a duplicate key leaves the surrounding transaction usable.
        with transaction.atomic():
            return Notification.objects.create(
                kind=message.kind,
                key=message.key,
                participant=recipient.participant,
                user=recipient.user,
                created_at=timezone.now(),
                attempts=1,
            )
    except IntegrityError:
        pass
    row = Notification.objects.filter(key=message.key).first()
    if row is None or row.sent_at is not None or row.attempts >= MAX_ATTEMPTS:
        return None
    if row.failures < row.attempts:
        # Being sent, or interrupted while it was: it may have left, never send it twice.
        return None
    # Compare-and-set on the attempts counter: of two concurrent runs only one retries.
    taken = Notification.objects.filter(
        pk=row.pk, sent_at__isnull=True, attempts=row.attempts, failures=row.attempts
    ).update(attempts=F("attempts") + 1)
    return row if taken else None


def _deliver(notification_id: int, key: str, outgoing: EmailMessage) -> None:
    """Send after commit; on success record when, on failure count it for the next run."""
    if email_send(outgoing, what=f"notification {key}"):
        Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now())
    else:
        Notification.objects.filter(pk=notification_id).update(failures=F("failures") + 1)


QUEUED, OPTED_OUT, DONE = "queued", "opted_out", "done"


@transaction.atomic
def notification_send(*, message: Message) -> str:
    """Record one e-mail and send it once the transaction commits; say whether it was queued."""
    if opted_out(message.recipient, message.kind):
        # Not recorded: opting back in lets later events through.
        return OPTED_OUT
    notification = _claim(message)
    if notification is None:
        # Sent already, being sent by another run, or given up after MAX_ATTEMPTS.
        return DONE
    outgoing = _render(message)
    transaction.on_commit(partial(_deliver, notification.pk, message.key, outgoing))
    return QUEUED


# Messages looked up together in the sent-log and the opt-outs.
BATCH = 500


def _settled(messages: Sequence[Message]) -> tuple[set[str], set[tuple[Person, str]]]:
    """The keys already sent or given up, and the (person, kind) pairs opted out."""
    keys = [message.key for message in messages]
    done = Notification.objects.filter(key__in=keys).filter(
        Q(sent_at__isnull=False) | Q(attempts__gte=MAX_ATTEMPTS) | Q(failures__lt=F("attempts"))
    )
    people = {
        person for message in messages if (person := person_of(message.recipient)) is not None
    }
    return set(done.values_list("key", flat=True)), _refusals(_opt_outs_of(people))


def notifications_send(messages: Iterable[Message]) -> Outcome:
    """Send each due message in its own transaction, so one failure does not hold back others."""
    outcome = Outcome()
    # Most of what a run collects went out on an earlier run (a check-in request stays due all
    # month): two queries per batch skip those, instead of a failed insert each.
    for batch in itertools.batched(messages, BATCH):
        done, refused = _settled(batch)
        for message in batch:
            if (person_of(message.recipient), message.kind) in refused:
                outcome.opted_out += 1
                continue
            if message.key in done:
                outcome.skipped += 1
                continue
            try:
                result = notification_send(message=message)
            except Exception as error:
                # One e-mail that cannot be prepared (a record changed under it, a template
                # bug) is rolled back and retried next run; it must not hold back the others.
                logger.error("notification %s failed (%s)", message.key, type(error).__name__)
                outcome.failed += 1
                continue
            if result == QUEUED:
                outcome.claimed += 1
                outcome.keys.append(message.key)
            elif result == OPTED_OUT:
                outcome.opted_out += 1
            else:
                outcome.skipped += 1
    return outcome


class OwnerColumn(TypedDict, total=False):
    """OptOut's column for its owner: one of the two."""

    participant: Participant
    user: User


def _owner(owner: Participant | User) -> tuple[OwnerColumn, Organisation | None]:
    """OptOut's column for a participant or a user, and the organisation its audit goes to."""
    if isinstance(owner, Participant):
        return {"participant": owner}, owner.programme.organisation
    return {"user": owner}, None


@transaction.atomic
def opt_out_add(
    *, owner: Participant | User, kind: str, actor: User | AnonymousUser | None = None
) -> OptOut:
    """Stop one kind of e-mail to a participant or a staff user (idempotent)."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    column, organisation = _owner(owner)
    opt_out, created = OptOut.objects.get_or_create(**column, kind=kind)
    if created:
        audit(
            actor=actor,
            organisation=organisation,
            action="notifications.opt_out",
            target=owner,
            kind=kind,
        )
    return opt_out


@transaction.atomic
def preferences_save(
    *,
    owners: Sequence[Participant | User],
    kinds: Iterable[str],
    wanted: Iterable[str],
    actor: User,
) -> None:
    """Set which of `kinds` the owners get: a person, the teams they speak for, their staff self."""
    kinds, wanted = list(kinds), set(wanted)
    unknown = wanted - set(kinds)
    if unknown:
        raise ValueError(f"unknown notification kinds {sorted(unknown)!r}")
    refused = [kind for kind in kinds if kind not in wanted]
    for owner in owners:
        column, organisation = _owner(owner)
        OptOut.objects.filter(**column, kind__in=wanted).delete()
        have = set(OptOut.objects.filter(**column).values_list("kind", flat=True))
        OptOut.objects.bulk_create(
            [OptOut(**column, kind=kind) for kind in refused if kind not in have]
        )
        audit(
            actor=actor,
            organisation=organisation,
            action="notifications.preferences",
            target=owner,
            refused=refused,
        )


# A free lease's expiry: long past, whatever the clock says later (it may be set back).
LEASE_FREE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@contextlib.contextmanager
def lease(name: str, ttl: datetime.timedelta, *, holder: str = "") -> Iterator[bool]:
    """Yield True if this run holds the job's lease, False if another run holds it.

    Two runs at once (cron on two machines, or two task workers) would both work through the
    same due e-mails: one run at a time spares that. The lease lapses after `ttl` if its holder
    dies without giving it back; a `holder` named after a task takes back its own lease at once
    when the task runs again after its worker died.
    """
    holder = holder or secrets.token_hex(16)
    now = timezone.now()
    with contextlib.suppress(IntegrityError), transaction.atomic():
        Lease.objects.get_or_create(name=name, defaults={"expires_at": LEASE_FREE})
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(expires_at__lte=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + ttl)
    )
    if not taken:
        yield False
        return
    try:
        yield True
    finally:
        Lease.objects.filter(name=name, holder=holder).update(expires_at=LEASE_FREE)


# The notification job's name in JobRun (and its lease's).
NOTIFICATIONS_JOB = "send_notifications"


def job_run_record(*, name: str, finished_at: datetime.datetime | None = None) -> None:
    """Record that a run of the job finished now (or at finished_at): /healthz reads its age."""
    JobRun.objects.update_or_create(
        name=name, defaults={"finished_at": finished_at or timezone.now()}
    )


def job_last_finished(name: str) -> datetime.datetime | None:
    """Return when the job last finished a run, or None if it never did."""
    return JobRun.objects.filter(name=name).values_list("finished_at", flat=True).first()
