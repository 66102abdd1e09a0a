"""The demo's partners, referrals, a young mentee's family contact and team members' logins.

C.A.I. refers an N2WA mentee to the public employment service; IncluCities refers a mentee city
to a municipal department, which also carries an objective of its action plan; the remote
programme's youngest mentee has a guardian who gets the meeting reminders; the members of the
first city-to-city duo's teams have logins to read their duo.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from binome.accounts.models import User
from binome.duos.models import Duo
from binome.partners import services
from binome.partners.models import ObjectivePartner, Partner, Referral
from binome.people import services as people_services
from binome.people.models import Consent, Guardian, Participant, TeamMember
from binome.programmes.models import Organisation, Programme

# The demo team member's login (binome.demo.load.DEMO_LOGINS).
TEAM_MEMBER_LOCAL = "team.capaci"

PARTNERS: dict[str, dict[str, Any]] = {
    "cai": {
        "partner": {
            "name": "Le Forem — Namur",
            "kind": Partner.Kind.EMPLOYMENT,
            "description": (
                "Service public de l'emploi et de la formation en Wallonie : inscription comme "
                "demandeur·se d'emploi, ateliers CV, formations qualifiantes."
            ),
            "address": "Avenue Prince de Liège 137, 5100 Namur",
            "website": "https://www.leforem.be",
        },
        "translations": {
            "description": {
                "en": "Wallonia's public employment and training service: registration, CV "
                "workshops, vocational training."
            }
        },
        "contact": {"name": "Isabelle Renard", "function": "Conseillère emploi", "language": "fr"},
        "programme": "mentorat-professionnel-n2wa",
        "reason": "Inscription comme demandeuse d'emploi et atelier CV au format belge.",
        "outcome": Referral.Outcome.IN_PROGRESS,
        "note": "Atelier CV suivi le mois dernier ; inscrite au module « Soins ».",
    },
    "inclucities": {
        "partner": {
            "name": "City of Mechelen — Integration and Civic Integration Department",
            "kind": Partner.Kind.MUNICIPALITY,
            "description": (
                "The department that runs Mechelen's one-stop shop for newcomers and its "
                "language cafés; shares its procedures with mentee cities."
            ),
            "website": "https://www.mechelen.be",
        },
        "translations": {
            "description": {
                "fr": "Le service qui gère le guichet unique des nouveaux arrivants de Malines "
                "et ses cafés linguistiques ; il partage ses procédures avec les villes "
                "mentorées."
            }
        },
        "contact": {"name": "Lies Janssens", "function": "Head of department", "language": "en"},
        "programme": "mentorat-ville-a-ville",
        "reason": "Study of the one-stop shop's procedures for the mentee city's action plan.",
        "outcome": Referral.Outcome.ACHIEVED,
        "note": "Procedures shared during the study visit.",
    },
}


def load_demo_partners(
    organisations: dict[str, Organisation],
    programmes: dict[str, Programme],
    coordinators: dict[str, User],
) -> None:
    """Create whatever of the demo's partners, referrals, guardian and team logins is missing."""
    for slug, spec in PARTNERS.items():
        _partner(organisations[slug], programmes[spec["programme"]], coordinators[slug], spec)
    _guardian(programmes["mentorat-a-distance"], coordinators["lien-solidaire"])
    _team_logins(programmes["mentorat-ville-a-ville"], coordinators["inclucities"])


def _partner(
    organisation: Organisation, programme: Programme, coordinator: User, spec: dict[str, Any]
) -> None:
    partner = Partner.objects.filter(
        organisation=organisation, name=spec["partner"]["name"]
    ).first()
    if partner is not None:
        return
    partner = services.partner_create(
        organisation=organisation,
        actor=coordinator,
        translations=spec["translations"],
        **spec["partner"],
    )
    contact = services.contact_create(
        partner=partner,
        actor=coordinator,
        email=f"{spec['contact']['name'].split()[0].lower()}@partner.example.org",
        **spec["contact"],
    )
    duo = _first_duo(Duo.objects.filter(programme=programme))
    participant = duo.mentee if duo is not None else None
    if participant is None:
        return
    referred_on = timezone.localdate() - datetime.timedelta(days=30)
    referral = services.referral_create(
        participant=participant,
        partner=partner,
        contact=contact,
        actor=coordinator,
        referred_on=referred_on,
        reason=spec["reason"],
    )
    services.referral_record_outcome(
        referral=referral,
        actor=coordinator,
        version=referral.version,
        outcome=spec["outcome"],
        outcome_on=referred_on + datetime.timedelta(days=14),
        outcome_note=spec["note"],
    )
    objective = duo.objectives.order_by("pk").last() if duo is not None else None
    if objective is not None and not ObjectivePartner.objects.filter(objective=objective).exists():
        services.objective_partner_set(
            objective=objective,
            actor=coordinator,
            partner=partner,
            contact=contact,
            role=spec["contact"]["function"],
        )


def _first_duo(duos: QuerySet[Duo]) -> Duo | None:
    return duos.select_related("mentee", "mentor").order_by("pk").first()


def _guardian(programme: Programme, coordinator: User) -> None:
    """The remote programme's mentee in a duo is 16: her mother is her guardian."""
    duo = _first_duo(Duo.objects.filter(programme=programme))
    if duo is None or Guardian.objects.filter(participant=duo.mentee).exists():
        return
    mentee = duo.mentee
    Participant.objects.filter(pk=mentee.pk).update(birth_year=timezone.localdate().year - 16)
    people_services.guardian_create(
        participant=mentee,
        actor=coordinator,
        name=f"Leïla {mentee.last_name}",
        relation=Guardian.Relation.PARENT,
        is_legal_guardian=True,
        language="ar" if mentee.language == "ar" else "fr",
        phone="+33 6 12 34 56 78",
        email="leila.parent@family.example.org",
        consent=True,
        consent_on=timezone.localdate() - datetime.timedelta(days=45),
        consent_method=Consent.Method.PAPER,
        practical_emails=True,
        notes="Préfère être appelée après 18 h.",
    )


def _team_logins(programme: Programme, coordinator: User) -> None:
    """Every member of the first city-to-city duo's two teams logs in to read their duo."""
    from binome.demo.load import DEMO_DOMAIN, _user

    duo = _first_duo(Duo.objects.filter(programme=programme))
    if duo is None:
        return
    for side in (duo.mentee, duo.mentor):
        for member in TeamMember.objects.filter(participant=side, is_representative=False):
            if member.user_id is not None or not member.email:
                continue
            if (
                side == duo.mentee
                and not User.objects.filter(email=f"{TEAM_MEMBER_LOCAL}@{DEMO_DOMAIN}").exists()
            ):
                member.email = f"{TEAM_MEMBER_LOCAL}@{DEMO_DOMAIN}"
                member.save(update_fields=["email"])
            member.user = _user(member.email, member.name, "en")
            member.save(update_fields=["user"])
