"""Invite a mentor or mentee to log in: an account for their e-mail and a link to choose a password.

Without an account a participant cannot open "My duo", answer a proposal or sign online; the
coordinator sends the invitation from the participant's page when the person is ready for it.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from binome.accounts.models import Membership, User
from binome.core.audit import audit
from binome.core.errors import Refused
from binome.core.mail import email_build, email_send
from binome.people.models import Participant, TeamMember


def can_log_in(participant: Participant) -> bool:
    """Whether the participant has an account to open a page that needs one.

    Proposals, agreements, check-ins and closing feedback are answered logged in: a person
    without an account would land on a login page they cannot pass, so their coordinator
    records their answer instead (or invites them) and no e-mail is sent.
    """
    if participant.user_id is not None:
        return True
    if participant.kind != Participant.Kind.TEAM:
        return False
    emails = [m.email for m in participant.members.all() if m.is_representative and m.email]
    return bool(emails) and User.objects.filter(email__in=emails, is_active=True).exists()


def invitation_address(participant: Participant) -> tuple[str, str]:
    """Return the (e-mail, name) that logs in for the participant: a team's representative."""
    if participant.kind == Participant.Kind.TEAM:
        for member in participant.members.all():
            if member.is_representative and member.email:
                return member.email, member.name
        return "", ""
    return participant.email, participant.display_name


def address_unusable_message() -> str:
    # One message for every address that cannot log in here, so that a refusal never tells the
    # coordinator whether the address is known to Binôme elsewhere.
    return _(
        "This address cannot be used for a login here; ask the person for another address or "
        "contact your administrator."
    )


def account_elsewhere(user: User, organisation_id: int) -> bool:
    """Whether the account belongs to anyone but this organisation (so it must not be linked)."""
    if user.is_superuser or user.is_staff:
        return True
    if Membership.objects.filter(user=user).exclude(organisation_id=organisation_id).exists():
        return True
    if (
        Participant.objects.filter(user=user)
        .exclude(programme__organisation_id=organisation_id)
        .exists()
    ):
        return True
    if (
        TeamMember.objects.filter(user=user)
        .exclude(participant__programme__organisation_id=organisation_id)
        .exists()
    ):
        return True
    # A team elsewhere is recognised by its representative's address rather than a link.
    return (
        TeamMember.objects.filter(is_representative=True, email__iexact=user.email)
        .exclude(participant__programme__organisation_id=organisation_id)
        .exists()
    )


def account_known_here(user: User, organisation_id: int) -> bool:
    """Whether the account is already one of this organisation's (a member or a participant)."""
    return (
        Membership.objects.filter(user=user, organisation_id=organisation_id).exists()
        or Participant.objects.filter(
            user=user, programme__organisation_id=organisation_id
        ).exists()
        or TeamMember.objects.filter(
            user=user, participant__programme__organisation_id=organisation_id
        ).exists()
    )


@transaction.atomic
def participant_invite(*, participant: Participant, actor: User) -> User:
    """Create (or find) the participant's account and e-mail them a link to set a password.

    An existing account with the participant's address is used only if it is this
    organisation's alone: not a member of another organisation, not the account (or team
    representative's address) of a participant of another organisation, not a site
    administrator. Any other account is refused with the same neutral message as every address
    that cannot be used, so an invitation never reveals that an address is known elsewhere;
    nothing is linked and no e-mail is sent. Inside one organisation the refusals stay precise
    (a switched-off account, an account that already logs in for another participant here).
    """
    email, name = invitation_address(participant)
    if not email:
        if participant.kind == Participant.Kind.TEAM:
            raise Refused(_("Give the team's representative an e-mail address first."))
        raise Refused(_("Add an e-mail address to this participant first."))
    organisation_id = participant.programme.organisation_id
    user = participant.user or User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=name, language=participant.language)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif account_elsewhere(user, organisation_id):
        raise Refused(address_unusable_message())
    elif not user.is_active:
        if not account_known_here(user, organisation_id):
            raise Refused(address_unusable_message())
        raise Refused(_("This account is switched off: an administrator can restore it."))
    if participant.kind == Participant.Kind.PERSON and participant.user_id is None:
        if Participant.objects.filter(user=user).exists():
            raise Refused(_("This e-mail address already logs in for another participant."))
        participant.user = user
        participant.save(update_fields=["user", "updated_at"])
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="participant.invite",
        target=participant,
    )
    transaction.on_commit(partial(invitation_send, participant_id=participant.pk, user_id=user.pk))
    return user


@transaction.atomic
def team_member_invite(*, member: TeamMember, actor: User) -> User:
    """Give a member of a city-to-city team an account and e-mail them a link to set a password.

    The member then sees the team's duo, its visits and its action plan; the representative
    alone answers and signs for the team. The same rules as `participant_invite` keep an
    account of another organisation from being linked, with the same neutral refusal.
    """
    participant = member.participant
    if not member.email:
        raise Refused(_("Add an e-mail address to this team member first."))
    organisation_id = participant.programme.organisation_id
    user = member.user or User.objects.filter(email__iexact=member.email).first()
    if user is None:
        user = User(email=member.email, full_name=member.name, language=participant.language)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif account_elsewhere(user, organisation_id):
        raise Refused(address_unusable_message())
    elif not user.is_active:
        if not account_known_here(user, organisation_id):
            raise Refused(address_unusable_message())
        raise Refused(_("This account is switched off: an administrator can restore it."))
    if member.user_id != user.pk:
        member.user = user
        member.save(update_fields=["user"])
    audit(
        actor=actor,
        organisation=participant.programme.organisation,
        action="team_member.invite",
        target=participant,
        member=member.pk,
    )
    transaction.on_commit(
        partial(invitation_send, participant_id=participant.pk, user_id=user.pk, name=member.name)
    )
    return user


def invitation_send(*, participant_id: int, user_id: int, name: str = "") -> None:
    """Send the invitation in the participant's language (after the account is committed)."""
    participant = Participant.objects.select_related("programme__organisation").get(
        pk=participant_id
    )
    user = User.objects.get(pk=user_id)
    organisation = participant.programme.organisation
    with translation.override(participant.language):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "name": name or invitation_address(participant)[1],
            "programme": participant.programme.localized("name", participant.language).text,
            "organisation": organisation.name,
            "email": user.email,
            "link": settings.SITE_URL.rstrip("/") + path,
        }
    outgoing = email_build(
        template="people/email/invitation",
        language=participant.language,
        to=user.email,
        context=context,
        reply_to=organisation.contact_email,
    )
    email_send(outgoing, what=f"invitation to participant {participant.pk}")
