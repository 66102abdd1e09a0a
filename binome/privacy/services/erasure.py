"""Erasing a participant (GDPR article 17): her data deleted or irreversibly anonymised.

Who may erase: the organisation's coordinators and admins, the staff who already read and
change every field of her record, who receive her request and who know whether a duo is
still running. Erasure cannot be undone, so its page asks for an explicit confirmation, and the
audit row it leaves ("participant #id erased by X") is on the admins' audit trail.

What stays, for the programme's figures: the participant row named "#id" (id, role, kind,
programme, status and dates, the needs and support codes she was matched on; someone still in
the pipeline withdraws, so nobody matches or e-mails her again), her duos, meetings, check-ins,
proposals and consents as rows with their dates, codes and counts. Everything typed, everything
that names or locates her, goes:
- her profile's every text (names, e-mail, phone, birth year, origin, legal status, languages,
  city and coordinates, occupation, skills, interests, motivations, intake notes), her team's
  members (and the accounts given to them), her family contacts and guardians, the notes of her
  timeline, the text of her consents, the reasons and outcome notes of her referrals to
  partners (the referral stays: partner, dates, outcome code);
- her situation recorded for the funder report (employment, education level: ESF+ codes);
- her login account (deleted: its sessions with it) and the failed logins recorded for it;
- in every duo she was part of, all free text, the other side's included, since it tells of
  her: meetings' notes and places, the action plan and its history, visits, check-in comments,
  alerts' resolutions, supervision notes, closing feedback, follow-up answers, the outcome
  notes, the agreement's texts, its hash and her typed signature, and the paper scans;
- her name, e-mail and phone wherever staff typed them elsewhere in the organisation (another
  participant's notes, another duo's meetings): replaced word for word;
- e-mails queued for her and not sent (the sent-log holds no address or subject);
- what audit events recorded about her records (their details: fields, codes, hashes), with
  the trail's guard lowered for this transaction only (privacy's migration 0003); the events
  stay, for the counts;
- the admin's log entries about her records;
- spreadsheets kept between an import's steps that hold her row (the whole file);
- on SQLite, the free pages and write-ahead log that still hold the old text (secure_delete
  and a checkpoint, see `storage_compact`). PostgreSQL keeps old row versions until VACUUM
  reclaims them (autovacuum does, soon after); they are in no dump (`pg_dump`) or backup made
  from one, but a copy of the data directory made before then holds them.
Binôme has no search index beside the database.

Refused, with the reason, while the law or the programme needs her data: a signed agreement
within its retention period (the organisation's `agreement_retention_years` after the duo's
end: the screen says until when), or a duo still running (close it first).
Erasing someone already erased does nothing and says so.
"""

import datetime
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.community.models import Invitation
from binome.core.audit import audit
from binome.core.errors import Refused
from binome.core.models import AuditEvent
from binome.duos.models import (
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUpAnswer,
    Meeting,
    Objective,
    ObjectiveRevision,
    Signature,
    SupervisionNote,
    Visit,
)
from binome.encryption.fields import encrypted_fields
from binome.evaluation.models import EsfSituation
from binome.matching.models import Proposal
from binome.notifications.models import Notification
from binome.partners.models import ObjectivePartner, Referral
from binome.people.models import Consent, Guardian, Participant, StatusChange, TeamMember
from binome.privacy.models import Erasure
from binome.privacy.services import audit_guard_lowered
from binome.questionnaires.models import (
    Answer,
    AnswerCorrection,
    GoalScale,
    GoalScore,
    Response,
)
from binome.reference import cldr
from binome.training.models import Completion, ExternalTraining, ValidatedSkill

logger = logging.getLogger(__name__)

ERASE = "participant.erase"
# What replaces her name, e-mail or phone in text that others wrote and that stays.
REDACTED = "[…]"
# Shorter words are not searched for in others' text: "Al" would blank every "also".
MIN_NEEDLE = 3


class ErasureRefused(Refused):
    """Erasure refused: the law keeps her data for now, or a duo still runs."""

    def __init__(self, message: str, *, until: datetime.date | None = None):
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class ErasureReport:
    """What one erasure changed, in counts (no values): for the command and the tests."""

    participant_id: int
    already: bool = False
    duos: int = 0
    account_deleted: bool = False
    files_deleted: int = 0
    audit_events_blanked: int = 0


def agreement_kept_until(participant: Participant) -> datetime.date | None:
    """Return the day from which no signed agreement of hers is kept by law, or None if none."""
    years = participant.programme.organisation.agreement_retention_years
    until = None
    signed = Signature.objects.filter(agreement__duo__in=_duos_of(participant))
    for duo in Duo.objects.filter(pk__in=signed.values("agreement__duo")):
        end = duo.closed_on or timezone.localdate()
        kept = _add_years(end, years)
        until = max(until, kept) if until else kept
    return until


def erasure_refusal(
    participant: Participant, today: datetime.date | None = None
) -> ErasureRefused | None:
    """Return why her data cannot be erased today, or None if it can."""
    today = today or timezone.localdate()
    if _duos_of(participant).filter(status__in=Duo.OPEN_STATUSES).exists():
        return ErasureRefused(
            _("A duo of this participant is still running: close it first, then erase.")
        )
    until = agreement_kept_until(participant)
    if until is not None and today < until:
        return ErasureRefused(
            _(
                "A mentoring agreement this participant signed must be kept until %(day)s "
                "(legal retention): her data can be erased from that day."
            )
            % {"day": cldr.format_date(until)},
            until=until,
        )
    return None


@transaction.atomic
def participant_erase(
    *,
    participant: Participant,
    actor: User | None,
    reason: str = Erasure.Reason.REQUEST,
) -> ErasureReport:
    """Erase a participant's personal data everywhere it lives, or refuse (ErasureRefused)."""
    # Locked alone: PostgreSQL locks no row of an outer join (her account may be missing).
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("programme__organisation", "user")
        .get(pk=participant.pk)
    )
    if Erasure.objects.filter(participant=locked).exists():
        return ErasureReport(participant_id=locked.pk, already=True)
    refusal = erasure_refusal(locked)
    if refusal is not None:
        raise refusal
    organisation = locked.programme.organisation
    needles = _needles(locked)
    duos = list(_duos_of(locked))
    files = _erase_duos(duos)
    _erase_answers(locked)
    files += _erase_import_files(needles)
    account_deleted = _erase_accounts(locked)
    _erase_profile(locked)
    _erase_training(locked)
    # Her employment situation and education level, recorded for the funder report.
    EsfSituation.objects.filter(participant=locked).delete()
    _leave_programme(locked, actor)
    _scrub_organisation(organisation.pk, needles)
    blanked = _erase_audit(locked, duos, needles)
    _erase_admin_log(locked, duos, needles)
    Erasure.objects.create(participant=locked, at=timezone.now(), reason=reason, by=actor)
    # Who erased whom, by number: the event carries nothing of hers.
    audit(actor=actor, organisation=organisation, action=ERASE, target=locked, reason=reason)
    transaction.on_commit(storage_compact)
    participant.refresh_from_db()
    return ErasureReport(
        participant_id=locked.pk,
        duos=len(duos),
        account_deleted=account_deleted,
        files_deleted=files,
        audit_events_blanked=blanked,
    )


def _erase_training(participant: Participant) -> None:
    # Her progress, the team's notes about training done elsewhere and the skills recognised.
    Completion.objects.filter(participant=participant).delete()
    ExternalTraining.objects.filter(participant=participant).delete()
    ValidatedSkill.objects.filter(participant=participant).delete()


def storage_compact() -> None:
    """On SQLite, fold the write-ahead log into the file and empty it (old text lives there).

    With `secure_delete` on (config/settings.py), SQLite zeroes what it deletes or overwrites in
    the database file; the write-ahead log still holds earlier copies of the changed pages
    until a checkpoint truncates it. Nothing to do on PostgreSQL (see the module's docstring).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError as error:
        # Another connection reading: the next checkpoint (SQLite makes them itself) will do.
        logger.warning("checkpoint after an erasure not made (%s)", type(error).__name__)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, to a year without one
        return day.replace(year=day.year + years, day=28)


def _duos_of(participant: Participant) -> models.QuerySet[Duo]:
    return Duo.objects.filter(Q(mentor=participant) | Q(mentee=participant))


def _needles(participant: Participant) -> list[str]:
    """What names or reaches her, as typed in others' text: names, e-mails, phone, team."""
    found = {
        participant.display_name,
        participant.first_name,
        participant.last_name,
        participant.team_name,
        participant.email,
        participant.phone,
    }
    for member in participant.members.all():
        found.update({member.name, member.email})
    for guardian in participant.guardians.all():
        found.update({guardian.name, guardian.email, guardian.phone})
    if participant.user is not None:
        found.update({participant.user.full_name, participant.user.email})
    signatures = Signature.objects.filter(agreement__duo__in=_duos_of(participant))
    side_signatures = signatures.filter(
        Q(party=Signature.Party.MENTOR, agreement__duo__mentor=participant)
        | Q(party=Signature.Party.MENTEE, agreement__duo__mentee=participant)
    )
    found.update(side_signatures.values_list("typed_name", flat=True))
    cleaned = {" ".join(value.split()) for value in found if value}
    # Longest first, so that "Amina Haddad" goes before "Amina" leaves "Haddad" behind.
    return sorted((n for n in cleaned if len(n) >= MIN_NEEDLE), key=len, reverse=True)


def _pattern(needles: list[str]) -> re.Pattern[str] | None:
    if not needles:
        return None
    words = "|".join(re.escape(needle) for needle in needles)
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def _redact(text: str, pattern: re.Pattern[str] | None) -> str:
    return pattern.sub(REDACTED, text) if pattern else text


def _erase_profile(participant: Participant) -> None:
    participant.members.all().delete()
    Guardian.objects.filter(participant=participant).delete()
    # Kept for the figures: to which partner, when, and the outcome's code.
    Referral.objects.filter(participant=participant).update(reason="", outcome_note="")
    StatusChange.objects.filter(participant=participant).update(note="")
    Consent.objects.filter(participant=participant).update(text="")
    # Kept: role, kind, status and its dates, programme, needs and support codes, capacity.
    Participant.objects.filter(pk=participant.pk).update(
        first_name="",
        last_name=f"#{participant.pk}",
        team_name=f"#{participant.pk}" if participant.kind == Participant.Kind.TEAM else "",
        email="",
        phone="",
        gender="",
        gender_preference="any",
        birth_year=None,
        country_of_origin="",
        legal_status="",
        languages={},
        city="",
        latitude=None,
        longitude=None,
        availability=[],
        sector="",
        occupation="",
        skills="",
        interests=[],
        motivations="",
        intake_notes="",
        user=None,
        updated_at=timezone.now(),
    )
    Notification.objects.filter(participant=participant, sent_at=None).delete()
    Proposal.objects.filter(Q(mentor=participant) | Q(mentee=participant)).update(
        decline_reason="", explanation_parts=[]
    )


def _leave_programme(participant: Participant, actor: User | None) -> None:
    """Someone erased is matched and e-mailed no more: still in the pipeline, she withdraws."""
    gone = (Participant.Status.CLOSED, Participant.Status.WITHDRAWN, Participant.Status.REJECTED)
    if participant.status in gone:
        return
    StatusChange.objects.create(
        participant=participant,
        from_status=participant.status,
        to_status=Participant.Status.WITHDRAWN,
        by=actor,
    )
    Participant.objects.filter(pk=participant.pk).update(
        status=Participant.Status.WITHDRAWN, status_changed_at=timezone.now()
    )


def _erase_accounts(participant: Participant) -> bool:
    """Delete her login (and a team representative's), unless it is also a staff account."""
    emails = {member.email for member in TeamMember.objects.filter(participant=participant)}
    users = [participant.user] if participant.user is not None else []
    if participant.kind == Participant.Kind.TEAM and emails:
        users += User.objects.filter(email__in=[e.lower() for e in emails if e])
    # The accounts given to the team's members.
    users += User.objects.filter(team_memberships__participant=participant).exclude(
        pk__in=[user.pk for user in users]
    )
    deleted = False
    addresses = {participant.email}
    for user in users:
        if (
            user.memberships.exists()
            or Participant.objects.filter(user=user).exclude(pk=participant.pk).exists()
        ):
            continue
        _delete_sessions_of(user)
        addresses.add(user.email)
        # Audit events keep their row, their actor set to NULL (the trigger allows it).
        user.delete()
        deleted = True
    _delete_login_records(sorted(address for address in addresses if address))
    return deleted


def _delete_sessions_of(user: User) -> None:
    stale = []
    for session in Session.objects.iterator(chunk_size=500):
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) == str(user.pk):
            stale.append(session.session_key)
    Session.objects.filter(session_key__in=stale).delete()


def _delete_login_records(addresses: list[str]) -> None:
    """django-axes keeps the address typed at each login (attempts, successes, failures)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if not addresses:
        return
    typed = Q()
    for address in addresses:
        typed |= Q(username__iexact=address)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(typed).delete()


def _erase_duos(duos: list[Duo]) -> int:
    """Blank the free text of her duos (both sides' and the staff's) and delete the scans."""
    deleted = 0
    for signature in Signature.objects.filter(agreement__duo__in=duos).exclude(scan=""):
        if signature.scan.name:
            # Once the rows no longer name the file: a rollback keeps both.
            delete = partial(signature.scan.storage.delete, signature.scan.name)
            transaction.on_commit(delete)
            deleted += 1
    Signature.objects.filter(agreement__duo__in=duos).update(typed_name="", scan="", text_hash="")
    Agreement.objects.filter(duo__in=duos).update(texts={}, text_hash="")
    Duo.objects.filter(pk__in=[duo.pk for duo in duos]).update(outcome_notes="")
    Meeting.objects.filter(duo__in=duos).update(
        place="", method_notes={}, shared_notes="", private_notes=""
    )
    for objective in Objective.objects.filter(duo__in=duos):
        Objective.objects.filter(pk=objective.pk).update(
            title=_objective_title(objective), why="", steps=""
        )
    ObjectiveRevision.objects.filter(objective__duo__in=duos).update(data={})
    ObjectivePartner.objects.filter(objective__duo__in=duos).update(role="")
    Visit.objects.filter(duo__in=duos).update(
        city="", mentee_attendees="", mentor_attendees="", agenda="", outcomes=""
    )
    CheckIn.objects.filter(duo__in=duos).update(comment="")
    Alert.objects.filter(duo__in=duos).update(resolution="")
    SupervisionNote.objects.filter(duo__in=duos).update(text="")
    ClosingFeedback.objects.filter(duo__in=duos).update(best="", improve="")
    FollowUpAnswer.objects.filter(follow_up__duo__in=duos).update(comment="")
    GoalScale.objects.filter(objective__duo__in=duos).update(levels={})
    GoalScore.objects.filter(goal_scale__objective__duo__in=duos).update(note="")
    return deleted


def _erase_answers(participant: Participant) -> None:
    """Blank what she wrote in questionnaires; her numbers stay, tied to a record without her."""
    Answer.objects.filter(response__participant=participant).update(text="")
    AnswerCorrection.objects.filter(answer__response__participant=participant).update(previous={})


def _objective_title(objective: Objective) -> str:
    return f"#{objective.pk}"


# Text that staff or other participants typed in the organisation and that may name her.
# (model, path from the model to its organisation's id, fields)
ORGANISATION_TEXT: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (
        Participant,
        "programme__organisation",
        ("intake_notes", "motivations", "skills", "occupation"),
    ),
    (StatusChange, "participant__programme__organisation", ("note",)),
    (Duo, "programme__organisation", ("outcome_notes",)),
    (Meeting, "duo__programme__organisation", ("place", "shared_notes", "private_notes")),
    (Objective, "duo__programme__organisation", ("title", "why", "steps")),
    (
        Visit,
        "duo__programme__organisation",
        ("mentee_attendees", "mentor_attendees", "agenda", "outcomes"),
    ),
    (CheckIn, "duo__programme__organisation", ("comment",)),
    (Alert, "duo__programme__organisation", ("resolution",)),
    (SupervisionNote, "duo__programme__organisation", ("text",)),
    (ClosingFeedback, "duo__programme__organisation", ("best", "improve")),
    (FollowUpAnswer, "follow_up__duo__programme__organisation", ("comment",)),
    (Proposal, "programme__organisation", ("decline_reason",)),
    (Guardian, "participant__programme__organisation", ("notes",)),
    (Referral, "partner__organisation", ("reason", "outcome_note")),
    (ObjectivePartner, "partner__organisation", ("role",)),
    (Answer, "response__participant__programme__organisation", ("text",)),
    (GoalScore, "goal_scale__objective__duo__programme__organisation", ("note",)),
]


def _scrub_organisation(organisation_id: int, needles: list[str]) -> None:
    """Replace her name, e-mail and phone in the organisation's other texts."""
    pattern = _pattern(needles)
    if pattern is None:
        return
    for model, path, names in ORGANISATION_TEXT:
        # An encrypted column cannot be searched by the database: those rows are read (only the
        # non-empty ones) and matched here; plain columns are searched by the database.
        sealed = {field.name for field in encrypted_fields(model)} & set(names)
        mentions = Q()
        for name in names:
            if name in sealed:
                mentions |= ~Q(**{name: ""})
                continue
            for needle in needles:
                mentions |= Q(**{f"{name}__icontains": needle})
        rows = model._default_manager.filter(mentions, **{path: organisation_id})
        for row in rows.only("pk", *names).iterator(chunk_size=500):
            changes = {
                name: redacted
                for name in names
                if (redacted := _redact(getattr(row, name), pattern)) != getattr(row, name)
            }
            if changes:
                model._default_manager.filter(pk=row.pk).update(**changes)
    _scrub_json(
        Meeting.objects.filter(duo__programme__organisation=organisation_id),
        "method_notes",
        pattern,
    )


def _scrub_json(rows: models.QuerySet[Meeting], name: str, pattern: re.Pattern[str]) -> None:
    for row in rows.exclude(**{name: {}}).only("pk", name):
        value = getattr(row, name)
        if isinstance(value, dict):
            cleaned = {key: _redact(str(text), pattern) for key, text in value.items()}
            if cleaned != value:
                type(row)._default_manager.filter(pk=row.pk).update(**{name: cleaned})


def participant_records(participant: Participant, duos: list[Duo]) -> dict[str, list[str]]:
    """Her records, and her duos', by the model label audit events and admin log entries use."""

    def ids(queryset: models.QuerySet[Any]) -> list[str]:
        return [str(pk) for pk in queryset.values_list("pk", flat=True)]

    duo_ids = [duo.pk for duo in duos]
    records: dict[str, list[str]] = {
        "people.participant": [str(participant.pk)],
        "people.consent": ids(Consent.objects.filter(participant=participant)),
        "people.statuschange": ids(StatusChange.objects.filter(participant=participant)),
        "matching.proposal": ids(
            Proposal.objects.filter(Q(mentor=participant) | Q(mentee=participant))
        ),
        "duos.duo": [str(pk) for pk in duo_ids],
        "duos.agreement": ids(Agreement.objects.filter(duo__in=duo_ids)),
        "duos.signature": ids(Signature.objects.filter(agreement__duo__in=duo_ids)),
        "duos.meeting": ids(Meeting.objects.filter(duo__in=duo_ids)),
        "duos.objective": ids(Objective.objects.filter(duo__in=duo_ids)),
        "duos.visit": ids(Visit.objects.filter(duo__in=duo_ids)),
        "duos.checkin": ids(CheckIn.objects.filter(duo__in=duo_ids)),
        "duos.alert": ids(Alert.objects.filter(duo__in=duo_ids)),
        "duos.supervisionnote": ids(SupervisionNote.objects.filter(duo__in=duo_ids)),
        "people.guardian": ids(Guardian.objects.filter(participant=participant)),
        "partners.referral": ids(Referral.objects.filter(participant=participant)),
        "community.invitation": ids(Invitation.objects.filter(participant=participant)),
        "questionnaires.response": ids(Response.objects.filter(participant=participant)),
        "questionnaires.goalscale": ids(GoalScale.objects.filter(objective__duo__in=duo_ids)),
        "questionnaires.goalscore": ids(
            GoalScore.objects.filter(goal_scale__objective__duo__in=duo_ids)
        ),
    }
    if participant.user_id is not None:
        records["accounts.user"] = [str(participant.user_id)]
    return records


def _json_forms(needles: Iterable[str]) -> list[str]:
    """Each needle as typed, and as JSON spells it (SQLite stores "é" as "\\u00e9")."""
    forms = set()
    for needle in needles:
        forms.add(needle)
        forms.add(json.dumps(needle)[1:-1])
    return sorted(forms)


def _erase_audit(participant: Participant, duos: list[Duo], needles: list[str]) -> int:
    """Blank the details of the events about her records, and of any that names her."""
    about = Q()
    for label, ids in participant_records(participant, duos).items():
        if ids:
            about |= Q(target_type=label, target_id__in=ids)
    mentions = Q()
    for needle in _json_forms(needles):
        mentions |= Q(detail__icontains=needle)
    events = AuditEvent.objects.filter(about | mentions).exclude(detail={})
    with audit_guard_lowered():
        return events.update(detail={})


def _erase_admin_log(participant: Participant, duos: list[Duo], needles: list[str]) -> None:
    """The admin's log keeps each record's name as it was (object_repr) and what changed."""
    about = Q()
    for label, ids in participant_records(participant, duos).items():
        app_label, model = label.split(".")
        kind = ContentType.objects.filter(app_label=app_label, model=model).first()
        if kind is not None and ids:
            about |= Q(content_type=kind, object_id__in=ids)
    for needle in needles:
        about |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    for entry in LogEntry.objects.filter(about).only("pk", "object_id"):
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=f"#{entry.object_id}", change_message=""
        )


def _erase_import_files(needles: list[str]) -> int:
    """Delete the spreadsheets kept between an import's steps that hold her (the whole file)."""
    directory = Path(settings.MEDIA_ROOT) / "imports"
    if not directory.is_dir() or not needles:
        return 0
    forms = [form.casefold() for form in _json_forms(needles)]
    deleted = 0
    for path in directory.iterdir():
        try:
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
        except OSError:
            continue
        if any(form in text for form in forms):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
