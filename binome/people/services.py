"""Every write to participants goes through here: validated, atomic, audited."""

import datetime
from typing import Required, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.errors import EditConflict, Refused
from binome.people.models import Consent, Guardian, Participant, StatusChange, TeamMember
from binome.programmes.models import Programme
from binome.programmes.selectors import current_edition_id
from binome.reference.geography import city_coordinates

Status = Participant.Status

# The pipeline: where a participant may go from each status.
TRANSITIONS: dict[str, set[str]] = {
    Status.APPLIED: {Status.INTERVIEWED, Status.READY, Status.WITHDRAWN, Status.REJECTED},
    Status.INTERVIEWED: {Status.READY, Status.APPLIED, Status.WITHDRAWN, Status.REJECTED},
    Status.READY: {Status.MATCHED, Status.INTERVIEWED, Status.WITHDRAWN, Status.REJECTED},
    Status.MATCHED: {Status.ACTIVE, Status.READY, Status.WITHDRAWN, Status.CLOSED},
    Status.ACTIVE: {Status.CLOSED, Status.WITHDRAWN},
    Status.CLOSED: {Status.READY},
    Status.WITHDRAWN: {Status.APPLIED},
    Status.REJECTED: {Status.APPLIED},
}


class TransitionError(Refused):
    """A status change the pipeline does not allow."""


class ProfileFields(TypedDict, total=False):
    """A participant's profile, as the profile, intake and application forms clean it."""

    first_name: str
    last_name: str
    team_name: str
    email: str
    phone: str
    gender: str
    gender_preference: str
    birth_year: int | None
    country_of_origin: str
    legal_status: str
    languages: dict[str, str]
    city: str
    latitude: float | None
    longitude: float | None
    mode_preference: str
    max_distance_km: int
    availability: list[str]
    sector: str
    occupation: str
    skills: str
    interests: list[str]
    needs: list[str]
    offers: list[str]
    motivations: str
    capacity: int
    engagement: str
    training_done: bool
    intake_notes: str


class ParticipantFields(ProfileFields, total=False):
    """The profile and what is set beside it: role, kind, status, account, language for messages."""

    role: str
    kind: str
    status: str
    user: User | None
    language: str


class MemberFields(TypedDict, total=False):
    """One member of a team, as the team member forms clean it."""

    name: Required[str]
    function: str
    member_organisation: str
    email: str
    is_representative: bool


def allowed_transitions(participant: Participant) -> list[str]:
    """List the statuses this participant may move to, in pipeline order."""
    allowed = TRANSITIONS.get(participant.status, set())
    return [value for value in Status.values if value in allowed]


def _fill_coordinates(participant: Participant) -> None:
    if participant.city and participant.latitude is None and participant.longitude is None:
        found = city_coordinates(participant.city)
        if found:
            participant.latitude, participant.longitude = found


@transaction.atomic
def participant_set_language(*, participant: Participant, actor: User, language: str) -> None:
    """Set the language a participant reads the site, e-mails and PDFs in, and her account's."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the languages offered."))
    if participant.language != language:
        participant.language = language
        participant.full_clean()
        participant.save(update_fields=["language"])
    if participant.user_id and actor.pk == participant.user_id and actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="participant.language",
        target=participant,
        language=language,
    )


@transaction.atomic
def participant_create(
    *,
    programme: Programme,
    actor: User | None = None,
    members: list[MemberFields] | None = None,
    note: str = "",
    **fields: Unpack[ParticipantFields],
) -> Participant:
    """Create a participant (and its team members) with its first timeline entry."""
    participant = Participant(programme=programme, **fields)
    if participant.edition_id is None:
        participant.edition_id = current_edition_id(programme)
    if participant.role == Participant.Role.MENTOR and "capacity" not in fields:
        participant.capacity = programme.default_mentor_capacity
    _fill_coordinates(participant)
    participant.full_clean()
    participant.save()
    for member in members or []:
        TeamMember.objects.create(participant=participant, **member)
    StatusChange.objects.create(
        participant=participant, from_status="", to_status=participant.status, by=actor, note=note
    )
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="participant.create",
        target=participant,
    )
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, actor: User, **fields: Unpack[ParticipantFields]
) -> Participant:
    """Change profile fields (not the status, which has its own service)."""
    if "status" in fields:
        raise TransitionError("use participant_set_status to change a status")
    for name, value in fields.items():
        setattr(participant, name, value)
    if {"city"} & fields.keys() and not {"latitude", "longitude"} & fields.keys():
        participant.latitude = participant.longitude = None
    _fill_coordinates(participant)
    participant.full_clean()
    changed = [*fields.keys(), "latitude", "longitude", "updated_at", "version"]
    participant.version = F("version") + 1
    participant.save(update_fields=sorted(set(changed)))
    participant.refresh_from_db(fields=["version"])
    # Field names only: the audit log never stores the values of sensitive fields.
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="participant.update",
        target=participant,
        fields=sorted(fields.keys()),
    )
    return participant


@transaction.atomic
def participant_set_status(
    *, participant: Participant, to_status: str, actor: User, note: str = ""
) -> Participant:
    """Move a participant along the pipeline and record who did it, when, on the timeline."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if to_status not in TRANSITIONS.get(locked.status, set()):
        raise TransitionError(
            _("A participant cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(locked.status).label, "to": Status(to_status).label}
        )
    now = timezone.now()
    StatusChange.objects.create(
        participant=locked, from_status=locked.status, to_status=to_status, by=actor, note=note
    )
    locked.status = to_status
    locked.status_changed_at = now
    locked.version += 1
    update = ["status", "status_changed_at", "updated_at", "version"]
    if to_status == Status.INTERVIEWED and locked.interviewed_at is None:
        locked.interviewed_at = now
        update.append("interviewed_at")
    locked.save(update_fields=update)
    audit(
        actor=actor,
        organisation=locked.programme.organisation,
        action="participant.status",
        target=locked,
        to=to_status,
    )
    participant.status, participant.status_changed_at = locked.status, locked.status_changed_at
    participant.interviewed_at = locked.interviewed_at
    return locked


@transaction.atomic
def consent_record(
    *,
    participant: Participant,
    purpose: str,
    text: str,
    method: str,
    actor: User | None = None,
    given_at: datetime.datetime | None = None,
) -> Consent:
    """Record what the participant agreed to, when and how."""
    consent = Consent(
        participant=participant,
        purpose=purpose,
        text=text,
        method=method,
        given_at=given_at or timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    consent.full_clean()
    consent.save()
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="consent.record",
        target=consent,
        purpose=purpose,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User) -> Consent:
    """Mark a consent as withdrawn now; the record itself is kept as proof."""
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit(
            actor=actor,
            organisation=consent.participant.programme.organisation,
            action="consent.withdraw",
            target=consent,
        )
    return consent


@transaction.atomic
def team_members_replace(
    *, participant: Participant, members: list[MemberFields], actor: User
) -> list[TeamMember]:
    """Replace a team's members with the given rows (name, function, organisation, e-mail)."""
    # A member who keeps their e-mail address keeps the account they were given.
    accounts = {
        member.email.casefold(): member.user_id
        for member in participant.members.all()
        if member.email and member.user_id
    }
    participant.members.all().delete()
    created = []
    for data in members:
        member = TeamMember(participant=participant, **data)
        member.user_id = accounts.get((member.email or "").casefold())
        member.full_clean()
        member.save()
        created.append(member)
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="participant.members",
        target=participant,
        count=len(created),
    )
    return created


@transaction.atomic
def participant_edit(
    *,
    participant: Participant,
    actor: User,
    version: int | None,
    members: list[MemberFields] | None = None,
    **fields: Unpack[ParticipantFields],
) -> Participant:
    """Save a profile form, refusing if the record was saved since `version`."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if version is None or locked.version != version:
        raise EditConflict(
            gettext(
                "Someone else saved this participant while you were editing. Nothing was saved."
            ),
            current_version=locked.version,
        )
    participant.status = locked.status
    participant.version = locked.version
    participant_update(participant=participant, actor=actor, **fields)
    if members is not None:
        team_members_replace(participant=participant, members=members, actor=actor)
    return participant


@transaction.atomic
def participant_intake_record(
    *,
    participant: Participant,
    actor: User,
    version: int | None,
    consents: list[str],
    consent_method: str,
    ready: bool = False,
    **fields: Unpack[ParticipantFields],
) -> Participant:
    """Save the intake interview: profile, consents given, applied → interviewed (→ ready)."""
    participant_edit(participant=participant, actor=actor, version=version, **fields)
    for purpose in consents:
        consent_record(
            participant=participant,
            purpose=purpose,
            text=str(Consent.Purpose(purpose).label),
            method=consent_method,
            actor=actor,
        )
    note = str(_("Intake interview"))
    if participant.status == Status.APPLIED:
        participant_set_status(
            participant=participant, to_status=Status.INTERVIEWED, actor=actor, note=note
        )
    if ready and participant.status == Status.INTERVIEWED:
        participant_set_status(participant=participant, to_status=Status.READY, actor=actor)
    return participant


def participant_sensitive_read(*, participant: Participant, actor: User, page: str) -> None:
    """Record that a staff member opened a page showing the person's legal status and notes."""
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="participant.sensitive_read",
        target=participant,
        page=page,
    )


class GuardianFields(TypedDict, total=False):
    """A family member's or guardian's details, as the guardian form cleans them."""

    name: str
    relation: str
    is_legal_guardian: bool
    language: str
    phone: str
    email: str
    consent: bool
    consent_on: datetime.date | None
    consent_method: str
    practical_emails: bool
    notes: str


def _check_guardian(guardian: Guardian) -> None:
    if guardian.participant.role != Participant.Role.MENTEE:
        raise Refused(gettext("Family members and guardians are recorded for mentees only."))
    if guardian.practical_emails and not guardian.consent:
        raise Refused(
            {
                "practical_emails": gettext(
                    "Practical e-mails go only to someone who agreed to be contacted: record "
                    "their consent first."
                )
            }
        )
    if guardian.practical_emails and not guardian.email:
        raise Refused({"email": gettext("Give an e-mail address to send practical e-mails to.")})
    if guardian.consent and guardian.consent_on and guardian.consent_on > timezone.localdate():
        raise Refused({"consent_on": gettext("Consent cannot be given in the future.")})
    if not guardian.consent:
        guardian.consent_on, guardian.consent_method = None, ""


@transaction.atomic
def guardian_create(
    *, participant: Participant, actor: User, **fields: Unpack[GuardianFields]
) -> Guardian:
    """Record a family member or legal guardian of a mentee (coordinators only)."""
    guardian = Guardian(participant=participant, **fields)
    _check_guardian(guardian)
    guardian.full_clean()
    guardian.save()
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="guardian.create",
        target=guardian,
        participant=participant.pk,
    )
    return guardian


@transaction.atomic
def guardian_update(
    *, guardian: Guardian, actor: User, version: int | None, **fields: Unpack[GuardianFields]
) -> Guardian:
    """Save a guardian's form, refusing if it was saved since `version`."""
    locked = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if version is None or locked.version != version:
        raise EditConflict(
            gettext("Someone else saved this contact while you were editing. Nothing was saved."),
            current_version=locked.version,
        )
    locked.participant = guardian.participant
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_guardian(locked)
    locked.version += 1
    locked.full_clean()
    locked.save(
        update_fields=[*fields.keys(), "consent_on", "consent_method", "version", "updated_at"]
    )
    audit(
        actor=actor,
        organisation=guardian.participant.programme.organisation,
        action="guardian.update",
        target=locked,
        fields=sorted(fields),
        version=locked.version,
    )
    return locked


@transaction.atomic
def guardian_delete(*, guardian: Guardian, actor: User) -> None:
    """Remove a family member's or guardian's contact (no trace of their details is kept)."""
    participant = guardian.participant
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="guardian.delete",
        target=guardian,
        participant=participant.pk,
    )
    guardian.delete()
