"""May this user touch this participant? 404 for missing and forbidden alike."""

from django.db.models import Q, QuerySet
from django.http import Http404

from binome.accounts.models import User
from binome.accounts.roles import is_staff_of
from binome.people.models import Consent, Guardian, Participant, TeamMember


def access_participant(user: object, participant_id: int) -> Participant:
    """Return a participant its organisation's coordinators and admins may work on."""
    participant = (
        Participant.objects.select_related("programme__organisation", "user")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    return participant


def own_participant(user: object) -> Participant:
    """Return the participant record of a logged-in mentor or mentee, or 404."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    participant = (
        Participant.objects.select_related("programme__organisation").filter(user=user).first()
    )
    if participant is None:
        raise Http404
    return participant


def access_programme_participant(
    user: object, programme_id: int, participant_id: int
) -> Participant:
    """Return a participant of this programme that the user may work on, or 404."""
    participant = access_participant(user, participant_id)
    if participant.programme_id != programme_id:
        raise Http404
    return participant


def access_consent(user: object, participant: Participant, consent_id: int) -> Consent:
    """Return one consent record of a participant the user may already work on, or 404."""
    consent = Consent.objects.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    if consent.participant_id != participant.pk:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    consent.participant = participant
    return consent


def speaks_for(user: object, participant: Participant) -> bool:
    """A person answers for themselves; a team through its representative's account if any."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if participant.kind == participant.Kind.TEAM:
        representatives = [m for m in participant.members.all() if m.is_representative]
        emails = [m.email.casefold() for m in representatives if m.email]
        if emails:
            return (user.email or "").casefold() in emails
    return participant.user_id is not None and participant.user_id == user.pk


def represented_teams(user: User) -> QuerySet[Participant]:
    """Return the teams whose representative logs in with this user's e-mail address."""
    email = (user.email or "").strip()
    if not email:
        return Participant.objects.none()
    return Participant.objects.filter(
        Q(members__is_representative=True, members__email__iexact=email),
        kind=Participant.Kind.TEAM,
    )


def member_teams(user: User) -> QuerySet[Participant]:
    """Return the teams that count this user among their members (an account given to them)."""
    if not user.is_authenticated:
        return Participant.objects.none()
    return Participant.objects.filter(members__user=user, kind=Participant.Kind.TEAM)


def access_guardian(user: object, participant: Participant, guardian_id: int) -> Guardian:
    """Return one family contact of a participant the user may already work on, or 404."""
    guardian = Guardian.objects.filter(pk=guardian_id, participant_id=participant.pk).first()
    if guardian is None:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    guardian.participant = participant
    return guardian


def access_team_member(user: object, participant: Participant, member_id: int) -> TeamMember:
    """Return one member of a team the user may already work on, or 404."""
    member = TeamMember.objects.filter(pk=member_id, participant_id=participant.pk).first()
    if member is None:
        raise Http404
    if not is_staff_of(user, participant.programme.organisation_id):
        raise Http404
    member.participant = participant
    return member
