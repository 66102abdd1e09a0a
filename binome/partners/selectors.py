"""Reads of partners, scoped to one organisation (the caller has checked access to it)."""

from django.db.models import Count, Q, QuerySet

from binome.partners.models import ObjectivePartner, Partner, PartnerContact, Referral
from binome.people.models import Participant
from binome.programmes.models import Organisation


def partners_of(organisation: Organisation, *, active_only: bool = False) -> QuerySet[Partner]:
    """Return the organisation's partners with their counts of contacts and open referrals."""
    partners = Partner.objects.filter(organisation=organisation)
    if active_only:
        partners = partners.filter(active=True)
    return partners.annotate(
        contact_count=Count("contacts", filter=Q(contacts__active=True), distinct=True),
        open_referrals=Count(
            "referrals",
            filter=Q(
                referrals__outcome__in=[
                    Referral.Outcome.PENDING,
                    Referral.Outcome.IN_PROGRESS,
                ]
            ),
            distinct=True,
        ),
    ).order_by("name", "pk")


def partner_contacts_of(organisation: Organisation) -> QuerySet[PartnerContact]:
    """Return the active contacts of the organisation's active partners (to invite, to refer)."""
    return (
        PartnerContact.objects.filter(
            partner__organisation=organisation, partner__active=True, active=True
        )
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )


def referrals_of_participant(participant: Participant) -> QuerySet[Referral]:
    """Return a participant's referrals, newest first (for coordinators)."""
    return Referral.objects.filter(participant=participant).select_related(
        "partner", "contact", "by"
    )


def referrals_to_partner(partner: Partner) -> QuerySet[Referral]:
    """Return the referrals made to a partner, newest first (for coordinators)."""
    return Referral.objects.filter(partner=partner).select_related(
        "participant__programme", "contact"
    )


def objective_partners_of_duo(duo_id: int) -> dict[int, ObjectivePartner]:
    """Return {objective id: its partner link} for a duo's action plan."""
    links = ObjectivePartner.objects.filter(objective__duo_id=duo_id).select_related(
        "partner", "contact"
    )
    return {link.objective_id: link for link in links}


def objectives_carried_by(partner: Partner) -> QuerySet[ObjectivePartner]:
    """Return the action-plan objectives a partner carries, with their duos (coordinators)."""
    return ObjectivePartner.objects.filter(partner=partner).select_related(
        "objective__duo__mentor", "objective__duo__mentee", "contact"
    )
