"""Reads of the community app, scoped to the acting user."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from binome.accounts.roles import STAFF_ROLES, organisation_ids
from binome.community.models import Activity, Announcement, Audience, Invitation
from binome.duos.models import Duo, Meeting
from binome.people.models import Participant
from binome.programmes.models import Programme


def activities_for_staff(user: object) -> QuerySet[Activity]:
    """Activities of the organisations the user coordinates, with their counts."""
    yes = Q(invitations__answer=Invitation.Answer.YES, invitations__waiting_since__isnull=True)
    return (
        Activity.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES))
        .select_related("organisation")
        .prefetch_related("programmes")
        .annotate(
            invited=Count("invitations"),
            coming=Count("invitations", filter=yes),
            came=Count("invitations", filter=Q(invitations__attended=True)),
        )
        .order_by("-starts_at", "pk")
    )


def invitations_of(activity: Activity) -> QuerySet[Invitation]:
    """Everyone invited to an activity, with what the activity page and attendance list show."""
    return (
        activity.invitations.select_related("participant")
        .prefetch_related("participant__members")
        .order_by("participant__first_name", "participant__team_name", "participant__pk")
    )


def invitations_for_participant(participant: Participant) -> QuerySet[Invitation]:
    """A participant's invitations to activities not cancelled."""
    return (
        Invitation.objects.filter(participant=participant, activity__cancelled_at__isnull=True)
        .select_related("activity__organisation")
        .order_by("activity__starts_at", "pk")
    )


def _audience_q(participant: Participant) -> Q:
    if participant.kind == Participant.Kind.TEAM:
        return Q(audience=Audience.TEAMS)
    role = Audience.MENTORS if participant.role == Participant.Role.MENTOR else Audience.MENTEES
    return Q(audience__in=[role, Audience.BOTH])


def announcements_for_participant(participant: Participant) -> QuerySet[Announcement]:
    """Published announcements whose audience includes the participant."""
    return (
        Announcement.objects.filter(
            _audience_q(participant),
            programmes=participant.programme_id,
            published_at__isnull=False,
        )
        .select_related("organisation")
        .distinct()
        .order_by("-published_at", "-pk")
    )


def announcements_for_staff(user: object) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES))
        .select_related("organisation")
        .prefetch_related("programmes")
        .order_by("-published_at", "-pk")
    )


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


def programme_activities(programme: Programme, start: datetime.datetime, end: datetime.datetime):
    return (
        Activity.objects.filter(
            programmes=programme,
            starts_at__lt=end,
            ends_at__gt=start,
            cancelled_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )


def programme_meetings(programme: Programme, start: datetime.datetime, end: datetime.datetime):
    """The duos' planned (and held) meetings of a programme in a period: no notes are read."""
    return (
        Meeting.objects.filter(
            duo__programme=programme,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("duo__mentor", "duo__mentee")
        .only(
            "pk",
            "starts_at",
            "duration_minutes",
            "status",
            "mode",
            "duo__id",
            "duo__mentor__first_name",
            "duo__mentor__last_name",
            "duo__mentor__team_name",
            "duo__mentor__kind",
            "duo__mentee__first_name",
            "duo__mentee__last_name",
            "duo__mentee__team_name",
            "duo__mentee__kind",
        )
        .order_by("starts_at", "pk")
    )


def participant_activities(
    participant: Participant, start: datetime.datetime, end: datetime.datetime
):
    """Activities a participant is invited to in a period (not those she declined)."""
    invited = Invitation.objects.filter(activity=OuterRef("pk"), participant=participant).exclude(
        answer=Invitation.Answer.NO
    )
    return (
        Activity.objects.filter(
            Exists(invited), starts_at__lt=end, ends_at__gt=start, cancelled_at__isnull=True
        )
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )


def participant_meetings(
    participant: Participant, start: datetime.datetime, end: datetime.datetime
):
    """The planned meetings of the participant's duos in a period."""
    duos = Duo.objects.filter(Q(mentor=participant) | Q(mentee=participant))
    return (
        Meeting.objects.filter(duo__in=duos, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("duo__mentor", "duo__mentee")
        .order_by("starts_at", "pk")
    )


def without_email(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Invitations no e-mail can reach: a person without address, a team without any."""
    person = Q(participant__kind=Participant.Kind.PERSON, participant__email="")
    team = Q(participant__kind=Participant.Kind.TEAM, participant__email="") & ~Q(
        participant__members__is_representative=True, participant__members__email__gt=""
    )
    return invitations.filter(person | team)


def to_phone_count(activities: QuerySet[Activity]) -> int:
    """How many invitations to coming activities must be phoned, not e-mailed."""
    from django.utils import timezone

    coming = Invitation.objects.filter(
        activity__in=activities.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True)
        .order_by()
        .values("pk"),
        answer=Invitation.Answer.PENDING,
    )
    return without_email(coming).count()
