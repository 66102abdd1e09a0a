"""Writes of the community app: activities, invitations and their answers, attendance, calendar
feeds and announcements.

Seats are counted under a row lock on the activity (select_for_update): of two people taking the
last seat at once, one gets it and the other is put on the waiting list.
"""

import datetime
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.community.models import Activity, Announcement, Audience, CalendarFeed, Invitation
from binome.core.audit import audit
from binome.core.errors import EditConflict, Refused
from binome.partners.models import PartnerContact
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme

# Who "the programme's people" are when the coordinator does not pick statuses.
CURRENT_STATUSES = (
    Participant.Status.APPLIED,
    Participant.Status.INTERVIEWED,
    Participant.Status.READY,
    Participant.Status.MATCHED,
    Participant.Status.ACTIVE,
)
# Rows written per INSERT when an audience is invited.
INVITE_BATCH = 1000


def audience_of(
    *, programmes: Iterable[Programme], audience: str, statuses: Sequence[str] = ()
) -> QuerySet[Participant]:
    """Return the participants an audience names, in the given programmes."""
    people = Participant.objects.filter(
        programme__in=list(programmes), status__in=list(statuses) or CURRENT_STATUSES
    )
    if audience == Audience.PARTNERS:
        return people.none()
    if audience == Audience.TEAMS:
        return people.filter(kind=Participant.Kind.TEAM)
    people = people.filter(kind=Participant.Kind.PERSON)
    if audience == Audience.MENTEES:
        return people.filter(role=Participant.Role.MENTEE)
    if audience == Audience.MENTORS:
        return people.filter(role=Participant.Role.MENTOR)
    return people


@dataclass(frozen=True)
class ActivityData:
    """What a coordinator types for an activity (shape already checked by the form)."""

    kind: str
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    address: str
    accessibility: str
    video_link: str
    capacity: int | None
    audience: str
    statuses: list[str]
    counts_as_training: bool
    programmes: list[Programme]
    translations: dict[str, dict[str, str]]


def coming_count(activity: Activity) -> int:
    return activity.invitations.filter(
        answer=Invitation.Answer.YES, waiting_since__isnull=True
    ).count()


def _check(data: ActivityData, organisation: Organisation, *, now: datetime.datetime) -> None:
    if data.starts_at <= now:
        raise Refused(_("The activity would start in the past: choose a date and time to come."))
    if data.ends_at <= data.starts_at:
        raise Refused(_("The activity must end after it starts."))
    if not data.address.strip() and not data.video_link.strip():
        raise Refused(_("Give a place (an address) or a video link, or both."))
    if not data.programmes:
        raise Refused(_("Choose at least one programme."))
    if any(programme.organisation_id != organisation.pk for programme in data.programmes):
        raise Refused(_("Choose programmes of your organisation only."))


def _apply(activity: Activity, data: ActivityData) -> None:
    for name in (
        "kind",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "address",
        "accessibility",
        "video_link",
        "capacity",
        "audience",
        "statuses",
        "counts_as_training",
        "translations",
    ):
        setattr(activity, name, getattr(data, name))


@transaction.atomic
def activity_create(*, actor: User, organisation: Organisation, data: ActivityData) -> Activity:
    """Plan an activity and invite its audience (the e-mails leave with the next run)."""
    _check(data, organisation, now=timezone.now())
    activity = Activity(organisation=organisation, created_by=actor)
    _apply(activity, data)
    activity.full_clean()
    activity.save()
    activity.programmes.set(data.programmes)
    invited = activity_invite(activity=activity)
    audit(
        actor=actor,
        organisation=organisation,
        action="community.activity_create",
        target=activity,
        invited=invited,
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: Activity, version: int, data: ActivityData
) -> Activity:
    """Change an activity; newcomers to its audience are invited, nobody is uninvited."""
    activity = (
        Activity.objects.select_for_update().select_related("organisation").get(pk=activity.pk)
    )
    if activity.version != version:
        raise EditConflict(
            _(
                "Someone saved this activity while you were editing. Nothing was saved: your "
                "input is kept below, check it and save again."
            ),
            current_version=activity.version,
        )
    now = timezone.now()
    if data.starts_at != activity.starts_at or data.starts_at <= now:
        _check(data, activity.organisation, now=now)
    coming = coming_count(activity)
    if data.capacity is not None and data.capacity < coming:
        raise Refused(
            _("%(coming)s people are already coming: the capacity cannot be below that.")
            % {"coming": coming}
        )
    old_capacity = activity.capacity
    _apply(activity, data)
    activity.version += 1
    activity.full_clean()
    activity.save()
    activity.programmes.set(data.programmes)
    activity_invite(activity=activity)
    if data.capacity is None or (old_capacity is not None and data.capacity > old_capacity):
        _promote(activity, now=now)
    audit(
        actor=actor,
        organisation=activity.organisation,
        action="community.activity_update",
        target=activity,
        version=activity.version,
    )
    return activity


def activity_invite(*, activity: Activity) -> int:
    """Create one invitation per person of the audience not invited yet; return how many.

    Idempotent: the unique (activity, participant) constraint lets a second call add nobody.
    """
    invited = set(activity.invitations.values_list("participant_id", flat=True))
    people = audience_of(
        programmes=activity.programmes.all(), audience=activity.audience, statuses=activity.statuses
    ).values_list("pk", flat=True)
    rows = [Invitation(activity=activity, participant_id=pk) for pk in people if pk not in invited]
    if activity.audience == Audience.PARTNERS:
        have = set(activity.invitations.values_list("contact_id", flat=True))
        contacts = partner_contacts_of(activity.organisation_id).values_list("pk", flat=True)
        rows += [Invitation(activity=activity, contact_id=pk) for pk in contacts if pk not in have]
    Invitation.objects.bulk_create(rows, batch_size=INVITE_BATCH, ignore_conflicts=True)
    Activity.objects.filter(pk=activity.pk).update(invited_at=timezone.now())
    return len(rows)


def partner_contacts_of(organisation_id: int) -> QuerySet[PartnerContact]:
    """The active contacts of an organisation's active partners."""
    return PartnerContact.objects.filter(
        partner__organisation_id=organisation_id, partner__active=True, active=True
    )


def _promote(activity: Activity, *, now: datetime.datetime) -> list[Invitation]:
    """Give free seats to the waiting list, first come first served (activity row locked)."""
    waiting = activity.invitations.filter(
        answer=Invitation.Answer.YES, waiting_since__isnull=False
    ).order_by("waiting_since", "pk")
    if activity.capacity is not None:
        free = activity.capacity - coming_count(activity)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for invitation in promoted:
        invitation.waiting_since = None
        invitation.promoted_at = now
        invitation.save(update_fields=["waiting_since", "promoted_at"])
    return promoted


@transaction.atomic
def invitation_answer(*, invitation: Invitation, answer: str, actor: User | None) -> Invitation:
    """Record yes, no or maybe; a yes past capacity waits in line; a seat freed goes to the next."""
    if answer not in (Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.MAYBE):
        raise Refused(_("Answer yes, no or maybe."))
    # The activity's row is the lock that serialises every seat taken or given back.
    activity = Activity.objects.select_for_update().get(pk=invitation.activity_id)
    now = timezone.now()
    if activity.cancelled_at is not None or activity.ends_at <= now:
        raise Refused(_("This activity is over or cancelled: answers are closed."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    was_coming = invitation.coming
    if answer == invitation.answer:
        return invitation
    invitation.answer = answer
    invitation.answered_at = now
    if answer == Invitation.Answer.YES:
        full = activity.capacity is not None and coming_count(activity) >= activity.capacity
        invitation.waiting_since = now if full else None
    else:
        invitation.waiting_since = None
    invitation.full_clean()
    invitation.save(update_fields=["answer", "answered_at", "waiting_since"])
    if was_coming and not invitation.coming:
        _promote(activity, now=now)
    audit(
        actor=actor,
        organisation=activity.organisation,
        action="community.invitation_answer",
        target=invitation,
        answer=answer,
        waiting=invitation.waiting_since is not None,
    )
    return invitation


# Apps above community that derive something from attendance (training counts sessions) register
# a callable (activity, ids of the participants whose attendance changed, actor) from ready().
type AttendanceListener = Callable[[Activity, set[int], User | None], None]
ATTENDANCE_LISTENERS: list[AttendanceListener] = []


def register_attendance_listener(listener: AttendanceListener) -> None:
    """Call `listener` inside every attendance_mark, after the attendance is written."""
    if listener not in ATTENDANCE_LISTENERS:
        ATTENDANCE_LISTENERS.append(listener)


@transaction.atomic
def attendance_mark(
    *, actor: User, activity: Activity, came: Iterable[int], extra: Iterable[int] = ()
) -> int:
    """Record who came: invitation ids, whatever the answer; `extra` are participants of the
    activity's programmes who came without an invitation."""
    newcomers = set(
        Participant.objects.filter(
            programme__in=activity.programmes.all(), pk__in=set(extra)
        ).values_list("pk", flat=True)
    ) - set(activity.invitations.values_list("participant_id", flat=True))
    added = Invitation.objects.bulk_create(
        [Invitation(activity=activity, participant_id=pk) for pk in newcomers]
    )
    present = set(activity.invitations.filter(pk__in=set(came)).values_list("pk", flat=True))
    present |= {invitation.pk for invitation in added}
    # Someone named among those who came counts as present, invited or not.
    present |= set(
        activity.invitations.filter(participant_id__in=set(extra)).values_list("pk", flat=True)
    )
    now = timezone.now()
    # The participants whose attendance changes (partner contacts have none), for the listeners.
    changed = set(
        activity.invitations.filter(pk__in=present, attended=False).values_list(
            "participant_id", flat=True
        )
    ) | set(
        activity.invitations.exclude(pk__in=present)
        .filter(attended=True)
        .values_list("participant_id", flat=True)
    )
    changed.discard(None)
    activity.invitations.filter(pk__in=present, attended=False).update(
        attended=True, attended_marked_at=now
    )
    activity.invitations.exclude(pk__in=present).filter(attended=True).update(
        attended=False, attended_marked_at=now
    )
    for listener in ATTENDANCE_LISTENERS:
        listener(activity, changed, actor)
    audit(
        actor=actor,
        organisation=activity.organisation,
        action="community.attendance_mark",
        target=activity,
        came=len(present),
    )
    return len(present)


@transaction.atomic
def activity_cancel(*, actor: User, activity: Activity) -> Activity:
    """Cancel an activity: it leaves the calendars' active list and takes no more answers."""
    activity.cancelled_at = timezone.now()
    activity.version += 1
    activity.save(update_fields=["cancelled_at", "version", "updated_at"])
    audit(
        actor=actor,
        organisation=activity.organisation,
        action="community.activity_cancel",
        target=activity,
    )
    return activity


@transaction.atomic
def feed_create(
    *, actor: User, participant: Participant | None = None, programme: Programme | None = None
) -> CalendarFeed:
    """Give a person or a programme a new private calendar address, revoking the previous one."""
    owner = Q(participant=participant) if participant is not None else Q(programme=programme)
    CalendarFeed.objects.filter(owner, revoked_at__isnull=True).update(revoked_at=timezone.now())
    feed = CalendarFeed(
        token=secrets.token_urlsafe(32),
        participant=participant,
        programme=programme,
        created_by=actor,
    )
    feed.full_clean()
    feed.save()
    organisation = (participant.programme if participant else programme).organisation  # type: ignore[union-attr]
    audit(actor=actor, organisation=organisation, action="community.feed_create", target=feed)
    return feed


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> None:
    """Stop a calendar address from working."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    owner = feed.participant.programme if feed.participant else feed.programme
    audit(
        actor=actor,
        organisation=owner.organisation if owner else None,
        action="community.feed_revoke",
        target=feed,
    )


@transaction.atomic
def announcement_publish(
    *,
    actor: User,
    organisation: Organisation,
    programmes: Sequence[Programme],
    audience: str,
    title: str,
    body: str,
    translations: dict[str, dict[str, str]],
) -> Announcement:
    """Publish an announcement: on the audience's space now, by e-mail with the next run."""
    if not programmes:
        raise Refused(_("Choose at least one programme."))
    if any(programme.organisation_id != organisation.pk for programme in programmes):
        raise Refused(_("Choose programmes of your organisation only."))
    announcement = Announcement(
        organisation=organisation,
        audience=audience,
        title=title,
        body=body,
        translations=translations,
        created_by=actor,
        published_at=timezone.now(),
    )
    announcement.full_clean()
    announcement.save()
    announcement.programmes.set(programmes)
    audit(
        actor=actor,
        organisation=organisation,
        action="community.announcement_publish",
        target=announcement,
    )
    return announcement
