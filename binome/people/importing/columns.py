"""Columns: the fields a column can hold, and the header names that announce each."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from binome.people.importing.records import header_key

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIELDS = {
    "first_name": (_("First name"), ["prénom", "prenom", "first name", "firstname", "given name"]),
    "last_name": (
        _("Last name"),
        ["nom", "nom de famille", "last name", "lastname", "surname", "family name"],
    ),
    "email": (_("E-mail"), ["e-mail", "email", "courriel", "mail", "adresse e-mail"]),
    "phone": (
        _("Phone"),
        ["téléphone", "telephone", "tél", "tel", "phone", "mobile", "portable", "gsm"],
    ),
    "role": (_("Role"), ["rôle", "role", "type", "profil", "mentor ou mentee"]),
    "languages": (
        _("Languages"),
        ["langues", "langue", "languages", "language", "langues parlées"],
    ),
    "city": (_("City"), ["ville", "city", "commune", "town", "localité"]),
    "birth_year": (
        _("Birth year"),
        ["année de naissance", "annee naissance", "birth year", "year of birth", "naissance"],
    ),
    "gender": (_("Gender"), ["genre", "gender", "sexe", "sex"]),
    "gender_preference": (
        _("Gender preference"),
        ["préférence de genre", "gender preference", "préférence genre binôme"],
    ),
    "sector": (_("Sector (ISCO-08)"), ["secteur", "sector", "isco", "code isco", "métier isco"]),
    "occupation": (_("Occupation"), ["métier", "profession", "occupation", "job", "emploi"]),
    "needs": (_("Needs"), ["besoins", "besoin", "needs", "objectifs", "goals"]),
    "offers": (_("Support offered"), ["soutiens", "accompagnement proposé", "offers", "support"]),
    "availability": (_("Availability"), ["disponibilités", "disponibilites", "availability"]),
    "mode_preference": (_("Mode"), ["mode", "modalité", "meeting mode", "présentiel ou distance"]),
    "max_distance_km": (
        _("Maximum distance (km)"),
        ["distance max", "distance maximale", "max distance", "distance km"],
    ),
    "capacity": (_("Mentees at once"), ["capacité", "capacity", "nombre de mentorés"]),
    "status": (_("Status"), ["statut", "status", "étape", "stage"]),
    "country_of_origin": (
        _("Country of origin"),
        ["pays d'origine", "pays", "country", "country of origin", "nationalité", "nationality"],
    ),
    "legal_status": (
        _("Legal status"),
        ["statut légal", "statut administratif", "legal status", "residence status", "titre"],
    ),
    "interests": (_("Interests"), ["centres d'intérêt", "intérêts", "interests", "loisirs"]),
    "skills": (_("Skills"), ["compétences", "skills"]),
    "motivations": (_("Motivations"), ["motivations", "motivation"]),
    "consent": (
        _("Consent given"),
        ["consentement", "consent", "rgpd", "gdpr", "accord données", "consent given"],
    ),
}


def field_choices() -> list[tuple[str, StrOrPromise]]:
    return [(name, label) for name, (label, _synonyms) in FIELDS.items()]


@cache
def _synonym_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, (_label, synonyms) in FIELDS.items():
        for synonym in [name, *synonyms]:
            index.setdefault(header_key(synonym), name)
    return index


def guess_mapping(headers: list[str]) -> list[str]:
    """Guess the field of each column from its header name ("" to ignore it), each field once."""
    index = _synonym_index()
    used: set[str] = set()
    mapping = []
    for header in headers:
        guess = index.get(header_key(header), "")
        if guess in used:
            guess = ""
        used.add(guess)
        mapping.append(guess)
    return mapping
