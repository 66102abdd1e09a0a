"""Every write to partners, their contacts, referrals and carried objectives: validated, atomic,
audited."""

import datetime
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.core.audit import audit
from binome.core.content import merge_translations
from binome.core.errors import EditConflict, Refused, conflict_message
from binome.duos.models import Objective
from binome.partners.models import ObjectivePartner, Partner, PartnerContact, Referral
from binome.people.models import Participant
from binome.programmes.models import Organisation


class PartnerFields(TypedDict, total=False):
    name: str
    kind: str
    description: str
    address: str
    website: str
    email: str
    phone: str
    active: bool


class ContactFields(TypedDict, total=False):
    name: str
    function: str
    email: str
    phone: str
    language: str
    active: bool


def _refuse_duplicate_name(organisation: Organisation, name: str, partner_id: int | None) -> None:
    same = Partner.objects.filter(organisation=organisation, name__iexact=name.strip())
    if partner_id is not None:
        same = same.exclude(pk=partner_id)
    if same.exists():
        raise Refused({"name": _("This organisation already has a partner of this name.")})


@transaction.atomic
def partner_create(
    *,
    organisation: Organisation,
    actor: User,
    translations: dict[str, dict[str, str]] | None = None,
    **fields: Unpack[PartnerFields],
) -> Partner:
    """Add a partner organisation to an organisation's list."""
    partner = Partner(organisation=organisation, **fields)
    _refuse_duplicate_name(organisation, partner.name, None)
    partner.translations = merge_translations(
        {},
        translations or {},
        fields=Partner.TRANSLATED,
        languages=organisation.content_languages,
    )
    partner.full_clean()
    partner.save()
    audit(actor=actor, organisation=organisation, action="partner.create", target=partner)
    return partner


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    actor: User,
    version: int | None,
    translations: dict[str, dict[str, str]] | None = None,
    **fields: Unpack[PartnerFields],
) -> Partner:
    """Save a partner's form, refusing if it was saved since `version`."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if version is None or locked.version != version:
        raise EditConflict(conflict_message(what=_("partner")), current_version=locked.version)
    organisation = partner.organisation
    for name, value in fields.items():
        setattr(locked, name, value)
    _refuse_duplicate_name(organisation, locked.name, locked.pk)
    locked.translations = merge_translations(
        locked.translations,
        translations or {},
        fields=Partner.TRANSLATED,
        languages=organisation.content_languages,
    )
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*fields.keys(), "translations", "version", "updated_at"])
    audit(
        actor=actor,
        organisation=organisation,
        action="partner.update",
        target=locked,
        fields=sorted(fields),
        version=locked.version,
    )
    return locked


@transaction.atomic
def contact_create(
    *, partner: Partner, actor: User, **fields: Unpack[ContactFields]
) -> PartnerContact:
    """Add a person to reach at a partner."""
    contact = PartnerContact(partner=partner, **fields)
    contact.full_clean()
    contact.save()
    audit(
        actor=actor,
        organisation=partner.organisation,
        action="partner.contact_create",
        target=contact,
    )
    return contact


@transaction.atomic
def contact_update(
    *, contact: PartnerContact, actor: User, **fields: Unpack[ContactFields]
) -> PartnerContact:
    """Change a partner contact's details (or mark them as no longer there)."""
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save(update_fields=list(fields))
    audit(
        actor=actor,
        organisation=contact.partner.organisation,
        action="partner.contact_update",
        target=contact,
        fields=sorted(fields),
    )
    return contact


def _check_contact(partner: Partner, contact: PartnerContact | None) -> None:
    if contact is not None and contact.partner_id != partner.pk:
        raise Refused({"contact": _("This contact works for another partner.")})


def _check_partner(organisation_id: int, partner: Partner) -> None:
    # Forms offer only the organisation's partners; a forged id still never crosses tenants.
    if partner.organisation_id != organisation_id:
        raise Refused({"partner": _("Choose one of your organisation's partners.")})


@transaction.atomic
def referral_create(
    *,
    participant: Participant,
    partner: Partner,
    actor: User,
    referred_on: datetime.date,
    reason: str,
    contact: PartnerContact | None = None,
) -> Referral:
    """Record that a participant was referred to a partner, on which date and why."""
    _check_partner(participant.programme.organisation_id, partner)
    _check_contact(partner, contact)
    if not partner.active:
        raise Refused({"partner": _("This partner is no longer active.")})
    if referred_on > timezone.localdate() + datetime.timedelta(days=366):
        raise Refused({"referred_on": _("Give a date within the next year.")})
    referral = Referral(
        participant=participant,
        partner=partner,
        contact=contact,
        referred_on=referred_on,
        reason=reason,
        by=actor,
    )
    referral.full_clean()
    referral.save()
    audit(
        actor=actor,
        organisation=partner.organisation,
        action="referral.create",
        target=referral,
        participant=participant.pk,
        partner=partner.pk,
    )
    return referral


@transaction.atomic
def referral_record_outcome(
    *,
    referral: Referral,
    actor: User,
    version: int | None,
    outcome: str,
    outcome_on: datetime.date | None,
    outcome_note: str,
) -> Referral:
    """Record what came of a referral, refusing if it was saved since `version`."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is None or locked.version != version:
        raise EditConflict(conflict_message(what=_("referral")), current_version=locked.version)
    if outcome_on is not None and outcome_on < locked.referred_on:
        raise Refused({"outcome_on": _("The outcome cannot come before the referral.")})
    if outcome != Referral.Outcome.PENDING and outcome_on is None:
        outcome_on = timezone.localdate()
        if outcome_on < locked.referred_on:
            outcome_on = locked.referred_on
    locked.outcome, locked.outcome_on, locked.outcome_note = outcome, outcome_on, outcome_note
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["outcome", "outcome_on", "outcome_note", "version", "updated_at"])
    audit(
        actor=actor,
        organisation=referral.partner.organisation,
        action="referral.outcome",
        target=locked,
        outcome=outcome,
        version=locked.version,
        fields=["outcome", "outcome_on", "outcome_note"],
    )
    return locked


@transaction.atomic
def objective_partner_set(
    *,
    objective: Objective,
    actor: User,
    partner: Partner | None,
    contact: PartnerContact | None = None,
    role: str = "",
) -> ObjectivePartner | None:
    """Name the partner carrying an objective of a duo's action plan (None: no partner)."""
    organisation = objective.duo.programme.organisation
    existing = ObjectivePartner.objects.select_for_update().filter(objective=objective).first()
    if partner is None:
        if existing is not None:
            existing.delete()
            audit(
                actor=actor,
                organisation=organisation,
                action="objective.partner_remove",
                target=objective,
            )
        return None
    _check_partner(organisation.pk, partner)
    _check_contact(partner, contact)
    link = existing or ObjectivePartner(objective=objective)
    link.partner, link.contact, link.role, link.by = partner, contact, role, actor
    link.full_clean()
    link.save()
    audit(
        actor=actor,
        organisation=organisation,
        action="objective.partner_set",
        target=objective,
        partner=partner.pk,
    )
    return link
