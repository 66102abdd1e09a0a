"""Invite a mentor or mentee to log in: an account for their e-mail and a link to choose a password.

Without an account a participant cannot open "My duo", answer a proposal or sign online; the
coordinator sends the invitation from the participant's page when the person is ready for it.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.people.models import Participant

logger = logging.getLogger(__name__)


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


@transaction.atomic
def participant_invite(*, participant: Participant, actor) -> User:
    """Create (or find) the participant's account and e-mail them a link to set a password."""
    email, name = invitation_address(participant)
    if not email:
        if participant.kind == Participant.Kind.TEAM:
            raise ValidationError(_("Give the team's representative an e-mail address first."))
        raise ValidationError(_("Add an e-mail address to this participant first."))
    user = participant.user or User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=name, language=participant.language)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not user.is_active:
        raise ValidationError(_("This account is switched off: an administrator can restore it."))
    if participant.kind == Participant.Kind.PERSON and participant.user_id is None:
        if Participant.objects.filter(user=user).exists():
            raise ValidationError(_("This e-mail address already logs in for another participant."))
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


def invitation_send(*, participant_id: int, user_id: int) -> None:
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
            "name": invitation_address(participant)[1],
            "programme": participant.programme.name,
            "organisation": organisation.name,
            "email": user.email,
            "link": settings.SITE_URL.rstrip("/") + path,
        }
        subject = render_to_string("people/email/invitation_subject.txt", context)
        body = render_to_string("people/email/invitation_body.txt", context)
    message = EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [user.email],
        reply_to=[organisation.contact_email] if organisation.contact_email else None,
        headers={"Content-Language": participant.language},
    )
    try:
        message.send()
    except OSError as error:  # smtplib errors are OSErrors; their text may hold the address
        logger.warning(
            "invitation to participant %s not sent (%s)", participant.pk, type(error).__name__
        )
