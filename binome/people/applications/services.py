"""Applications: the applicant recorded with their consents, and the confirmation e-mail."""

from functools import partial
from typing import Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from binome.core.mail import email_build, email_send
from binome.people import services as people_services
from binome.people.models import Consent, Participant
from binome.people.services import MemberFields, ProfileFields
from binome.programmes.models import Programme


@transaction.atomic
def application_submit(
    *,
    programme: Programme,
    role: str,
    consents: list[tuple[str, str]],
    language: str,
    members: list[MemberFields] | None = None,
    **fields: Unpack[ProfileFields],
) -> Participant:
    """Create an applicant with status "applied", record its consents, e-mail a confirmation."""
    if not programme.applications_open:
        raise ValidationError(_("Applications to this programme are closed."))
    kind = Participant.Kind.TEAM if programme.has_teams else Participant.Kind.PERSON
    participant = people_services.participant_create(
        programme=programme,
        role=role,
        kind=kind,
        status=Participant.Status.APPLIED,
        language=language,
        members=members,
        note="online application",
        **fields,
    )
    for purpose, text in consents:
        people_services.consent_record(
            participant=participant,
            purpose=purpose,
            text=text,
            method=Consent.Method.ONLINE_FORM,
        )
    if participant.email:
        transaction.on_commit(partial(application_confirm, participant_id=participant.pk))
    return participant


def application_confirm(*, participant_id: int) -> None:
    """Send the applicant, in their own language, the confirmation that we received them."""
    participant = (
        Participant.objects.select_related("programme__organisation")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None or not participant.email:
        return
    organisation = participant.programme.organisation
    # The address is not verified: anyone can type someone else's, so the mail says only what
    # the organisation wrote. A typed name (with line breaks, links) would turn Binôme, with the
    # organisation as reply-to, into a relay for whatever text a stranger wants delivered.
    context = {
        "programme": participant.programme,
        "organisation": organisation,
        "site_url": settings.SITE_URL,
    }
    outgoing = email_build(
        template="people/applications/confirmation",
        language=participant.language,
        to=participant.email,
        context=context,
        reply_to=organisation.contact_email,
    )
    # The application is saved already: a mail server that is down must not turn it into an
    # error page.
    email_send(outgoing, what=f"confirmation e-mail to participant {participant.pk}")
