"""May this user work on this partner, contact or referral? 404 for missing and forbidden alike.

Partners, their contacts and referrals are for the organisation's coordinators and admins only:
viewers see figures, participants and partner contacts have no page here.
"""

from django.http import Http404

from binome.accounts.roles import is_staff_of
from binome.partners.models import Partner, PartnerContact, Referral


def access_partner(user: object, partner_id: int) -> Partner:
    """Return a partner its organisation's coordinators and admins may work on."""
    partner = Partner.objects.select_related("organisation").filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    if not is_staff_of(user, partner.organisation_id):
        raise Http404
    return partner


def access_contact(user: object, partner_id: int, contact_id: int) -> PartnerContact:
    """Return one contact of a partner the user may work on, or 404."""
    partner = access_partner(user, partner_id)
    contact = PartnerContact.objects.filter(pk=contact_id, partner=partner).first()
    if contact is None:
        raise Http404
    contact.partner = partner
    return contact


def access_referral(user: object, referral_id: int) -> Referral:
    """Return a referral its organisation's coordinators and admins may work on, or 404."""
    referral = (
        Referral.objects.select_related(
            "partner__organisation", "participant__programme__organisation", "contact"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    if not is_staff_of(user, referral.partner.organisation_id):
        raise Http404
    if referral.participant.programme.organisation_id != referral.partner.organisation_id:
        raise Http404
    return referral
