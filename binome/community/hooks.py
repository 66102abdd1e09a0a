"""What community hands to the apps below it: its e-mail collectors and its next steps.

Invitations, reminders the day before, seats given from the waiting list and announcements go
through the notifications job (kinds `activity` and `announcement`): the same sent-log makes each
e-mail leave once, and the same opt-outs and languages apply.
"""

import datetime
from collections.abc import Iterator
from functools import partial

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from binome.community.models import Activity, Announcement, Invitation
from binome.core import next_steps
from binome.core.mail import Attachment, language_of
from binome.notifications import dispatch
from binome.notifications.models import Kind
from binome.notifications.services import Message, Recipient, absolute_url, url_in
from binome.reference import cldr

# Reminders leave the day before: an activity starting within this window is reminded of.
REMINDER_BEFORE = datetime.timedelta(days=1)
# Announcements older than this are not e-mailed to people who joined since.
ANNOUNCEMENT_WINDOW = datetime.timedelta(days=14)
# Announcements shown first on a participant's space.
ANNOUNCEMENT_SHOWN = datetime.timedelta(days=30)


def _ics(activity: Activity, language: str) -> list[Attachment]:
    from binome.community.ics import activity_ics

    return [("activity.ics", activity_ics(activity, language), "text/calendar")]


def _links(invitation: Invitation, language: str) -> dict[str, str]:
    from binome.community.tokens import answer_path

    with translation.override(language):
        return {
            answer: absolute_url(answer_path(invitation, answer))
            for answer in ("yes", "no", "maybe")
        }


def _message(what: str, key: str, invitation: Invitation, recipient) -> Message:
    activity = invitation.activity
    language = recipient.language
    context: dict[str, object] = {
        "what": what,
        "organisation": activity.organisation.name,
        "title": str(activity.localized("title", language)),
        "description": str(activity.localized("description", language)),
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "address": activity.address,
        "accessibility": activity.accessibility,
        "video_link": activity.video_link,
        "waiting": invitation.waiting_since is not None,
        "link": url_in(language, "community:invitation", invitation.pk)
        if invitation.participant_id
        else "",
    }
    if what == "invitation":
        context["answers"] = _links(invitation, language)
    return Message(
        Kind.ACTIVITY,
        key,
        recipient,
        context=context,
        attachments=partial(_ics, activity, language),
        reply_to=activity.organisation.contact_email,
    )


def _invitations(now: datetime.datetime):
    return (
        Invitation.objects.filter(activity__starts_at__gt=now, activity__cancelled_at__isnull=True)
        .select_related("activity__organisation", "participant", "contact")
        .prefetch_related("participant__members")
        .order_by("pk")
    )


def _recipient(invitation: Invitation) -> Recipient | None:
    """The participant's address, or the partner contact's (who has no account nor opt-out)."""
    if invitation.participant is not None:
        return dispatch.participant_recipient(invitation.participant)
    contact = invitation.contact
    if contact is None or not contact.email:
        return None
    return Recipient(contact.email, language_of(contact.language), contact.name)


def activities_due(now: datetime.datetime) -> Iterator[Message]:
    """Invitations not sent yet, reminders the day before, and seats given from the waiting list."""
    for invitation in _invitations(now).filter(answer=Invitation.Answer.PENDING).iterator(2000):
        recipient = _recipient(invitation)
        if recipient is not None:
            yield _message(
                "invitation", f"activity:invitation={invitation.pk}", invitation, recipient
            )
    soon = _invitations(now).filter(
        activity__starts_at__lte=now + REMINDER_BEFORE,
        answer=Invitation.Answer.YES,
        waiting_since__isnull=True,
    )
    for invitation in soon.iterator(2000):
        recipient = _recipient(invitation)
        if recipient is None:
            continue
        # The start is in the key: an activity moved to another day is reminded of again.
        starts = invitation.activity.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")
        yield _message(
            "reminder",
            f"activity_reminder:invitation={invitation.pk}:starts={starts}",
            invitation,
            recipient,
        )
    promoted = _invitations(now).filter(
        promoted_at__isnull=False, answer=Invitation.Answer.YES, waiting_since__isnull=True
    )
    for invitation in promoted.iterator(2000):
        recipient = _recipient(invitation)
        if recipient is None or invitation.promoted_at is None:
            continue
        yield _message(
            "promoted",
            f"activity_promoted:invitation={invitation.pk}"
            f":at={int(invitation.promoted_at.timestamp())}",
            invitation,
            recipient,
        )


def announcements_due(now: datetime.datetime) -> Iterator[Message]:
    """A recent announcement: each person of its audience gets it once, in her language."""
    from binome.community.services import audience_of

    recent = (
        Announcement.objects.filter(
            published_at__isnull=False, published_at__gte=now - ANNOUNCEMENT_WINDOW
        )
        .select_related("organisation")
        .prefetch_related("programmes")
        .order_by("pk")
    )
    for announcement in recent:
        people = (
            audience_of(programmes=announcement.programmes.all(), audience=announcement.audience)
            .prefetch_related("members")
            .order_by("pk")
        )
        for participant in people.iterator(2000):
            recipient = dispatch.participant_recipient(participant)
            if recipient is None:
                continue
            language = recipient.language
            yield Message(
                Kind.ANNOUNCEMENT,
                f"announcement:announcement={announcement.pk}:participant={participant.pk}",
                recipient,
                context={
                    "organisation": announcement.organisation.name,
                    "title": str(announcement.localized("title", language)),
                    "body": str(announcement.localized("body", language)),
                    "link": url_in(language, "community:announcement", announcement.pk),
                },
                reply_to=announcement.organisation.contact_email,
            )


def participant_steps(user: object) -> list[next_steps.NextStep]:
    """Activities to answer, and recent announcements, first on a participant's space."""
    from django.urls import reverse

    from binome.community import selectors
    from binome.community.models import Invitation as Inv
    from binome.people.models import Participant

    user_id = getattr(user, "pk", None)
    participant = Participant.objects.filter(user_id=user_id).first() if user_id else None
    if participant is None:
        return []
    now = timezone.now()
    steps = []
    pending = selectors.invitations_for_participant(participant).filter(
        answer=Inv.Answer.PENDING, activity__starts_at__gt=now
    )
    for invitation in pending[:5]:
        activity = invitation.activity
        steps.append(
            next_steps.NextStep(
                order=next_steps.ACTIVITY,
                title=str(activity.localized("title")),
                url=reverse("community:invitation", args=[invitation.pk]),
                action=_("Will you come?"),
                detail=_("On %(when)s") % {"when": cldr.format_datetime(activity.starts_at)},
            )
        )
    recent = selectors.announcements_for_participant(participant).filter(
        published_at__gte=now - ANNOUNCEMENT_SHOWN
    )
    for announcement in recent[:3]:
        steps.append(
            next_steps.NextStep(
                order=next_steps.OTHER,
                title=str(announcement.localized("title")),
                url=reverse("community:announcement", args=[announcement.pk]),
                action=_("Read"),
            )
        )
    return steps


def coordinator_todos(user: object) -> list[next_steps.NextStep]:
    """People to phone about a coming activity: they have no e-mail address."""
    from django.urls import reverse

    from binome.community.selectors import activities_for_staff, to_phone_count

    count = to_phone_count(activities_for_staff(user))
    if not count:
        return []
    return [
        next_steps.NextStep(
            order=next_steps.ACTIVITY,
            title=_("Invited people to phone (no e-mail)"),
            url=reverse("community:list"),
            action=_("See the activities"),
            count=count,
        )
    ]


def register_all() -> None:
    dispatch.register(activities_due)
    dispatch.register(announcements_due)
    next_steps.register_participant_steps(participant_steps)
    next_steps.register_coordinator_todos(coordinator_todos)
