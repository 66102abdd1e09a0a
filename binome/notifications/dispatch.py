"""What is due to be e-mailed now, kind by kind, and the run that sends it.

Each collector reads the current state and yields one Message per recipient with a key naming the
event; the sent-log (binome.notifications.services) turns the keys into "at most once". Collectors
only pick what both sides may read: never private meeting notes, supervision notes, outcome notes
or legal status.
"""

import datetime
import logging
from collections.abc import Callable, Iterator
from functools import partial

from django.conf import settings
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.core.mail import Attachment, language_of
from binome.duos.models import (
    SIDES,
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    Meeting,
    Signature,
)
from binome.matching.models import Proposal
from binome.notifications.models import Kind
from binome.notifications.services import (
    NOTIFICATIONS_JOB,
    Message,
    Outcome,
    Recipient,
    absolute_url,
    job_run_record,
    lease,
    notifications_send,
    url_in,
)
from binome.people.invitations import can_log_in
from binome.people.models import Guardian, Participant

logger = logging.getLogger(__name__)

# A side that has said nothing for this long is asked how it is going.
CHECKIN_EVERY = datetime.timedelta(days=30)
# Questionnaires are worth sending only while the duo is fresh in mind; the window also keeps an
# old backlog (a job that was stopped for months, imported history) from flooding people.
QUESTIONNAIRE_WINDOW = datetime.timedelta(days=60)


def participant_recipient(participant: Participant) -> Recipient | None:
    """The participant's own address; a team's is its representative's (else the team's)."""
    language = language_of(participant.language)
    if participant.kind == participant.Kind.TEAM:
        for member in participant.members.all():
            if member.is_representative and member.email:
                return Recipient(member.email, language, member.name, participant=participant)
    if not participant.email:
        return None
    name = participant.first_name or participant.display_name
    return Recipient(participant.email, language, name, participant=participant)


def user_recipient(user: User | None) -> Recipient | None:
    if user is None or not user.is_active or not user.email:
        return None
    return Recipient(user.email, language_of(user.language), user.get_short_name(), user=user)


def _reply_to(duo: Duo) -> str:
    coordinator = duo.acting_coordinator
    if coordinator is not None and coordinator.email:
        return coordinator.email
    return duo.programme.organisation.contact_email


def _duo_message(kind: str, key: str, duo: Duo, recipient: Recipient, **context: object) -> Message:
    context.setdefault("programme", duo.programme.localized("name", recipient.language).text)
    context.setdefault("organisation", duo.programme.organisation.name)
    return Message(kind, key, recipient, context=context, reply_to=_reply_to(duo))


def _sides(duo: Duo, *, logged_in: bool = False) -> Iterator[tuple[str, Participant, Recipient]]:
    for side in SIDES:
        participant = getattr(duo, side)
        if logged_in and not can_log_in(participant):
            continue
        recipient = participant_recipient(participant)
        if recipient is not None:
            yield side, participant, recipient


# What a message about a duo reads: its programme, organisation, sides and coordinator.
DUO_RELATED = ("programme__organisation", "mentor", "mentee", "coordinator")
DUO_PREFETCH = ("mentor__members", "mentee__members", "coordinator__memberships")


def _duos[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    return queryset.select_related(*DUO_RELATED).prefetch_related(*DUO_PREFETCH)


def _with_duo[M: Model](queryset: QuerySet[M], *prefetch: str) -> QuerySet[M]:
    """A queryset of records that belong to a duo (meetings, alerts…), with what _duos loads."""
    return queryset.select_related(*(f"duo__{name}" for name in DUO_RELATED)).prefetch_related(
        *(f"duo__{name}" for name in DUO_PREFETCH), *prefetch
    )


def proposals_due(now: datetime.datetime) -> Iterator[Message]:
    """A pending proposal not answered yet by a side: that side is asked to answer."""
    pending = (
        Proposal.objects.filter(status=Proposal.Status.PENDING)
        .select_related("programme__organisation", "mentee", "mentor")
        .prefetch_related("mentee__members", "mentor__members")
        .order_by("pk")
    )
    for proposal in pending:
        for side in SIDES:
            if proposal.answer_of(side):
                continue
            participant = getattr(proposal, side)
            recipient = participant_recipient(participant) if can_log_in(participant) else None
            if recipient is None:
                continue
            yield Message(
                Kind.PROPOSAL,
                f"proposal:proposal={proposal.pk}:participant={participant.pk}",
                recipient,
                context={
                    "programme": proposal.programme.localized("name", recipient.language).text,
                    "organisation": proposal.programme.organisation.name,
                    "link": url_in(recipient.language, "matching:proposal", proposal.pk),
                },
                reply_to=proposal.programme.organisation.contact_email,
            )


def agreements_due(now: datetime.datetime) -> Iterator[Message]:
    """An agreement not yet signed by all: each party that has not signed is asked to."""
    agreements = _with_duo(
        Agreement.objects.filter(frozen_at__isnull=True, duo__status__in=Duo.OPEN_STATUSES),
        "signatures",
    ).order_by("pk")
    for agreement in agreements:
        duo = agreement.duo
        signed = {signature.party for signature in agreement.signatures.all()}
        for side, participant, recipient in _sides(duo, logged_in=True):
            if side in signed:
                continue
            yield _duo_message(
                Kind.AGREEMENT,
                f"agreement:duo={duo.pk}:participant={participant.pk}",
                duo,
                recipient,
                link=url_in(recipient.language, "duos:agreement", duo.pk),
            )
        acting = duo.acting_coordinator
        coordinator = user_recipient(acting)
        if (
            acting is not None
            and coordinator is not None
            and Signature.Party.COORDINATOR not in signed
        ):
            yield _duo_message(
                Kind.AGREEMENT,
                f"agreement:duo={duo.pk}:user={acting.pk}",
                duo,
                coordinator,
                link=url_in(coordinator.language, "duos:agreement", duo.pk),
                for_coordinator=True,
                duo_name=str(duo),
            )


def _meeting_ics(meeting: Meeting, language: str) -> list[Attachment]:
    from binome.duos.ics import meeting_ics

    return [("meeting.ics", meeting_ics(meeting, language), "text/calendar")]


def meetings_due(now: datetime.datetime) -> Iterator[Message]:
    """A planned meeting starting soon: both sides get a reminder with the calendar file."""
    horizon = now + datetime.timedelta(hours=settings.MEETING_REMINDER_HOURS)
    meetings = _with_duo(
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=horizon,
            duo__status__in=Duo.OPEN_STATUSES,
        ),
        "duo__mentee__guardians",
    ).order_by("starts_at", "pk")
    for meeting in meetings:
        duo = meeting.duo
        # The start is in the key: a meeting moved to another time is reminded of again.
        starts = meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")
        video = meeting.mode == Meeting.Mode.VIDEO
        for side, participant, recipient in _sides(duo):
            other = duo.mentee if side == "mentor" else duo.mentor
            yield Message(
                Kind.MEETING_REMINDER,
                f"meeting_reminder:meeting={meeting.pk}:starts={starts}"
                f":participant={participant.pk}",
                recipient,
                context={
                    "programme": duo.programme.localized("name", recipient.language).text,
                    "organisation": duo.programme.organisation.name,
                    "starts_at": meeting.starts_at,
                    "duration": meeting.duration_minutes,
                    "mode": meeting.mode,
                    "mode_label": Meeting.Mode(meeting.mode).label,
                    "place": meeting.place if meeting.mode == Meeting.Mode.IN_PERSON else "",
                    "video_link": duo.video_link if video else "",
                    "other": other.display_name,
                    "link": url_in(recipient.language, "duos:meetings", duo.pk),
                },
                attachments=partial(_meeting_ics, meeting, recipient.language),
                reply_to=_reply_to(duo),
            )
        yield from _guardian_reminders(meeting, starts)


def guardian_recipients(participant: Participant) -> Iterator[tuple[Guardian, Recipient]]:
    """The family contacts of a mentee who agreed to get the duo's practical e-mails."""
    for guardian in participant.guardians.all():
        if guardian.practical_emails and guardian.consent and guardian.email:
            language = language_of(guardian.language)
            yield guardian, Recipient(guardian.email, language, guardian.name)


def _guardian_reminders(meeting: Meeting, starts: str) -> Iterator[Message]:
    """The mentee's family contacts get the reminder too, in their language, without a link.

    They have no account and no opt-out of their own: the coordinator switches their practical
    e-mails off on the mentee's page.
    """
    duo = meeting.duo
    for guardian, recipient in guardian_recipients(duo.mentee):
        yield Message(
            Kind.MEETING_REMINDER,
            f"meeting_reminder:meeting={meeting.pk}:starts={starts}:guardian={guardian.pk}",
            recipient,
            context={
                "programme": duo.programme.name,
                "organisation": duo.programme.organisation.name,
                "starts_at": meeting.starts_at,
                "duration": meeting.duration_minutes,
                "mode": meeting.mode,
                "mode_label": Meeting.Mode(meeting.mode).label,
                "place": meeting.place if meeting.mode == Meeting.Mode.IN_PERSON else "",
                "video_link": "",
                "mentee": duo.mentee.first_name or duo.mentee.display_name,
                "other": duo.mentor.display_name,
                "link": "",
            },
            attachments=partial(_meeting_ics, meeting, recipient.language),
            reply_to=_reply_to(duo),
        )


def _last_checkin(side: str) -> Subquery:
    checkins = CheckIn.objects.filter(duo=OuterRef("pk"), side=side).order_by("-created_at")
    return Subquery(checkins.values("created_at")[:1])


def checkins_due(now: datetime.datetime) -> Iterator[Message]:
    """An active duo's side silent for a month, or since the last meeting: ask how it goes."""
    held = Meeting.objects.filter(
        duo=OuterRef("pk"), status=Meeting.Status.HELD, starts_at__lte=now
    ).order_by("-starts_at")
    duos = _duos(
        Duo.objects.filter(status=Duo.Status.ACTIVE).annotate(
            last_held=Subquery(held.values("starts_at")[:1]),
            last_checkin_mentor=_last_checkin("mentor"),
            last_checkin_mentee=_last_checkin("mentee"),
        )
    ).order_by("pk")
    today = timezone.localdate(now)
    for duo in duos:
        if duo.paused_on(today):
            continue  # on a break (illness, travel): nobody is asked how it goes
        start = duo.activated_at or _midnight(duo.started_on) or duo.created_at
        for side, participant, recipient in _sides(duo, logged_in=True):
            since = getattr(duo, f"last_checkin_{side}") or start
            silent = now - since >= CHECKIN_EVERY
            met_since = duo.last_held is not None and duo.last_held > since
            if not (silent or met_since):
                continue
            # One request per meeting (or per stretch of silence), and one more for every
            # month it stays unanswered; not per calendar month, which asked on the 31st of
            # January and again on the 1st of February.
            anchor = duo.last_held if met_since else since
            periods = (now - anchor) // CHECKIN_EVERY
            yield _duo_message(
                Kind.CHECKIN,
                f"checkin:duo={duo.pk}:participant={participant.pk}"
                f":after={int(anchor.timestamp())}:n={periods}",
                duo,
                recipient,
                link=url_in(recipient.language, "duos:checkin", duo.pk),
            )


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def overdue_due(now: datetime.datetime) -> Iterator[Message]:
    """An open "no meeting for too long" alert: a gentle nudge to both sides."""
    alerts = _with_duo(
        Alert.objects.filter(
            kind=Alert.Kind.NO_MEETING,
            resolved_at__isnull=True,
            duo__status__in=Duo.OPEN_STATUSES,
        )
    ).order_by("pk")
    for alert in alerts:
        duo = alert.duo
        for _side, participant, recipient in _sides(duo):
            yield _duo_message(
                Kind.OVERDUE,
                f"overdue:alert={alert.pk}:participant={participant.pk}",
                duo,
                recipient,
                link=url_in(recipient.language, "duos:meeting_new", duo.pk),
            )


def closures_due(now: datetime.datetime) -> Iterator[Message]:
    """A recently closed duo: each side that has not given its feedback gets the questionnaire."""
    today = timezone.localdate(now)
    duos = _duos(
        Duo.objects.filter(
            status=Duo.Status.CLOSED,
            closed_on__lte=today,
            closed_on__gte=today - QUESTIONNAIRE_WINDOW,
        )
    ).order_by("pk")
    answered = set(
        ClosingFeedback.objects.filter(duo__in=duos).values_list("duo_id", "side").distinct()
    )
    for duo in duos:
        for side, participant, recipient in _sides(duo, logged_in=True):
            if (duo.pk, side) in answered:
                continue
            yield _duo_message(
                Kind.CLOSURE,
                f"closure:duo={duo.pk}:participant={participant.pk}",
                duo,
                recipient,
                link=url_in(recipient.language, "duos:feedback", duo.pk),
            )


def follow_ups_due(now: datetime.datetime) -> Iterator[Message]:
    """A follow-up whose day has come: each side that has not answered gets the questionnaire."""
    from binome.duos.tokens import follow_up_path

    today = timezone.localdate(now)
    follow_ups = _with_duo(
        FollowUp.objects.filter(due_on__lte=today, due_on__gte=today - QUESTIONNAIRE_WINDOW),
        "answers",
    ).order_by("pk")
    for follow_up in follow_ups:
        duo = follow_up.duo
        answered = {answer.side for answer in follow_up.answers.all()}
        for side, participant, recipient in _sides(duo):
            if side in answered:
                continue
            with translation.override(recipient.language):
                link = absolute_url(follow_up_path(follow_up, side))
            yield _duo_message(
                Kind.FOLLOW_UP,
                f"follow_up:follow_up={follow_up.pk}:participant={participant.pk}",
                duo,
                recipient,
                link=link,
            )


type Collector = Callable[[datetime.datetime], Iterator[Message]]

COLLECTORS: list[Collector] = [
    proposals_due,
    agreements_due,
    meetings_due,
    checkins_due,
    overdue_due,
    closures_due,
    follow_ups_due,
]


def register(collector: Collector) -> Collector:
    """Add a collector of an app above this one (called from its AppConfig.ready()).

    The apps above notifications (activities, questionnaires…) cannot be imported from here; they
    hand their collectors in, and the same job, sent-log and opt-outs serve them.
    """
    if collector not in COLLECTORS:
        COLLECTORS.append(collector)
    return collector


def messages_due(now: datetime.datetime) -> Iterator[Message]:
    """Every e-mail due now, of every kind."""
    for collect in COLLECTORS:
        yield from collect(now)


def refresh_alerts(today: datetime.date) -> None:
    # Imported here: supervision imports much of the duos app, and the nudges read its alerts.
    from binome.duos.services.supervision import alerts_refresh

    alerts_refresh(today=today)


def notifications_run(*, now: datetime.datetime | None = None) -> Outcome:
    """Refresh the alerts, then send every e-mail that is due and was not sent yet."""
    now = now or timezone.now()
    refresh_alerts(timezone.localdate(now))
    outcome = notifications_send(messages_due(now))
    job_run_record(name=NOTIFICATIONS_JOB)
    # Counts only, never addresses; quiet when there was nothing to send (the loop runs often).
    logger.log(
        logging.INFO if outcome.claimed or outcome.failed else logging.DEBUG,
        "notifications: %s queued, %s already done, %s opted out, %s failed",
        outcome.claimed,
        outcome.skipped,
        outcome.opted_out,
        outcome.failed,
    )
    return outcome


# Longer than any run; a run whose machine died frees the job after this time.
LEASE_TTL = datetime.timedelta(minutes=15)


def notifications_job(*, holder: str = "") -> Outcome | None:
    """Run the notifications if no other run holds the job; None when another one does.

    The one way in for cron (send_notifications), the task workers (tasks.send_notifications)
    and the tests: whatever records that a run happened belongs here.
    """
    with lease("send_notifications", LEASE_TTL, holder=holder) as alone:
        if not alone:
            logger.info("send_notifications: another run is in progress, nothing done")
            return None
        return notifications_run()
