"""Demo data that shows the seed programmes; loading it twice changes nothing.

Four organisations run the programmes of the seeds: Hors Pistes (intercultural mentoring in
Marseille, seed 000), the C.A.I. (N2WA professional mentoring of asylum seekers, seed 001), the
IncluCities network (city-to-city mentoring between teams, seed 002, with its four real pairs) and
Lien Solidaire (remote mentoring, seed 003). Every person is fictional and generated from a fixed
random seed, so every run builds the same people; rows are keyed on organisation slugs, programme
slugs and e-mail addresses, so a second run only adds what is missing.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from binome.accounts.models import Membership, User
from binome.core.vocab import SLOTS
from binome.demo.community import load_demo_community
from binome.demo.data import (
    AREAS,
    ASSOCIATIONS,
    CIVIL_SOCIETY,
    CONSENT_TEXTS,
    EXTRA_COORDINATES,
    FICTIONAL_MENTEE_CITIES,
    FICTIONAL_MENTOR_CITIES,
    GENERATORS,
    INTAKE_NOTES,
    INTERESTS,
    LOCALS,
    MENTEE_MOTIVATIONS,
    MENTOR_MOTIVATIONS,
    OCCUPATIONS,
    ORGANISATIONS,
    ORIGIN_WEIGHTS,
    ORIGINS,
    PROGRAMMES,
    REAL_PAIRS,
    SKILLS,
    STAFF,
    TEAM_LABELS,
    TEAM_NAMES,
)
from binome.demo.duos import load_demo_duos
from binome.demo.esf import load_demo_esf
from binome.demo.partners import TEAM_MEMBER_LOCAL, load_demo_partners
from binome.demo.questionnaires import load_demo_questionnaires
from binome.demo.training import load_demo_training
from binome.demo.translations import CONTENT_LANGUAGES, PROGRAMME_TRANSLATIONS
from binome.people import services
from binome.people.models import Consent, Participant, StatusChange
from binome.people.services import MemberFields
from binome.programmes.models import Edition, Organisation, Programme, Vocabulary
from binome.programmes.services import vocabulary_defaults_create
from binome.programmes.vocabularies import defaults as vocabulary_defaults
from binome.reference.geography import city_coordinates

DEMO_PASSWORD = "binome-demo"  # noqa: S105 (published on purpose: demo accounts only)
DEMO_DOMAIN = "demo.binome.test"
DEMO_LOGINS = [
    (f"admin@{DEMO_DOMAIN}", "organisation admin, Hors Pistes (Marseille)"),
    (f"coordinator@{DEMO_DOMAIN}", "coordinator, Hors Pistes (Marseille)"),
    (f"coordinator.cai@{DEMO_DOMAIN}", "coordinator, C.A.I. (Brussels, Namur)"),
    (f"coordinator.inclucities@{DEMO_DOMAIN}", "coordinator, Réseau IncluCities"),
    (f"viewer@{DEMO_DOMAIN}", "viewer (aggregated figures), Hors Pistes"),
    (f"mentor@{DEMO_DOMAIN}", "mentor, Hors Pistes intercultural mentoring"),
    (f"mentee@{DEMO_DOMAIN}", "mentee, Hors Pistes intercultural mentoring (Arabic)"),
    (f"{TEAM_MEMBER_LOCAL}@{DEMO_DOMAIN}", "team member, Capaci (IncluCities): reads its duo"),
]
PEOPLE_PER_PROGRAMME = 40
Status = Participant.Status


# --------------------------------------------------------------------------------------------
# Generation (pure: the same seed gives the same people, whatever the database holds)
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    """One participant to create: the service's fields, its pipeline and its dates."""

    fields: dict[str, Any]  # participant_create's keyword arguments
    path: list[str]  # statuses after "applied", in order
    days_ago: int  # when the application came in
    members: list[MemberFields] = field(default_factory=list)  # a team's members
    consents: list[tuple[str, str]] = field(default_factory=list)  # (purpose, method)
    withdraw_contact: bool = False
    account: tuple[str, str] | None = None  # (e-mail, language) of a demo login


def _ascii(text: str) -> str:
    return slugify(unicodedata.normalize("NFKD", text)).replace("-", "")


def _acronym(association: str) -> str:
    """Return a domain-like short name: the acronym in brackets, else the slugified name."""
    short = association.rsplit("(", 1)[-1].rstrip(")") if "(" in association else association
    return _ascii(short)[:30]


def _phone(rng: random.Random, country: str) -> str:
    """Return a valid mobile number in E.164 form, from ranges phonenumbers knows as allocated."""
    if country == "BE":
        return f"+324{rng.choice(['70', '77', '84', '86', '99'])}{rng.randrange(10**6):06d}"
    return f"+33{rng.choice(['60', '62', '64', '66', '68', '75', '77'])}{rng.randrange(10**7):07d}"


def _coordinates(city: str, country: str) -> tuple[float | None, float | None]:
    found = EXTRA_COORDINATES.get(city) or city_coordinates(city, country)
    return found if found else (None, None)


def _message_language(rng: random.Random, native: list[str]) -> str:
    """Pick the site language messages are sent in: the person's own one when Binôme has it."""
    own = [code for code, _name in settings.LANGUAGES if code in native]
    return own[0] if own and rng.random() < 0.8 else rng.choice(["fr", "fr", "en"])


def _levels(rng: random.Random, local: str, native: list[str], newcomer: bool) -> dict[str, str]:
    languages = dict.fromkeys(native, "native")
    if local not in languages:
        low = ["A1", "A2", "A2", "B1", "B2"] if newcomer else ["C1", "C2"]
        languages[local] = rng.choice(low)
    extra = rng.choice(["en", "en", "en", "es", "ar", None, None])
    if extra and extra not in languages:
        languages[extra] = rng.choice(["A2", "B1", "B2", "C1"])
    return languages


def _path(rng: random.Random) -> list[str]:
    """Spread people over the pipeline: most ready to match, some earlier, a few gone."""
    roll = rng.random()
    if roll < 0.14:
        return []
    if roll < 0.28:
        return [Status.INTERVIEWED]
    if roll < 0.34:
        return [Status.WITHDRAWN]
    if roll < 0.38:
        return [Status.INTERVIEWED, Status.WITHDRAWN]
    if roll < 0.40:
        return [Status.INTERVIEWED, Status.REJECTED]
    return [Status.INTERVIEWED, Status.READY]


def _consents(rng: random.Random, path: list[str]) -> list[tuple[str, str]]:
    method = rng.choice(
        [Consent.Method.ONLINE_FORM, Consent.Method.ONLINE_FORM, Consent.Method.PAPER]
    )
    given: list[tuple[str, str]] = [
        (Consent.Purpose.DATA_PROCESSING, method),
        (Consent.Purpose.CONTACT, method),
    ]
    if Status.READY in path:
        given.append((Consent.Purpose.SHARE_WITH_PARTNER, Consent.Method.ORAL))
    return given


def _slots(rng: random.Random, mentor: bool) -> list[str]:
    evenings = [slot for slot in SLOTS if slot.endswith("_ev") or slot.startswith(("sat", "sun"))]
    pool = evenings if mentor and rng.random() < 0.7 else SLOTS
    return sorted(rng.sample(pool, rng.randint(3, 6)), key=SLOTS.index)


def _supports(kind: str) -> list[str]:
    """The supports a programme of this kind offers (its default list)."""
    return [code for code, _label in vocabulary_defaults(kind)[Vocabulary.SUPPORTS]]


def _people(spec: dict[str, Any], rng: random.Random) -> list[Person]:
    """Generate the fictional mentors and mentees of a programme of individuals."""
    area = AREAS[spec["area"]]
    country, local = area["country"], "fr"
    needs = spec["needs"]
    supports = _supports(spec["kind"])
    emails: set[str] = set()
    origins = [o for o in ORIGINS if o[0] not in spec.get("exclude_origins", ())]
    weights = [ORIGIN_WEIGHTS[f"{o[0]}-{o[1][0]}"] for o in origins]
    people = []
    for index in range(PEOPLE_PER_PROGRAMME):
        mentor = index % 20 in {0, 2, 4, 6, 9, 11, 13, 15, 18}  # 9 of 20: 45 % mentors
        peer = mentor and rng.random() < 0.2  # former newcomers who now mentor (seed 004)
        gender = rng.choice("ffffmmmmx" if mentor else "ffffmmmmm")
        if mentor and not peer:
            women, men, surnames = LOCALS[country]
            origin, native = "", [local]
        else:
            origin, native, women, men, surnames = rng.choices(origins, weights)[0]
        first = rng.choice(women if gender == "f" else men if gender == "m" else women + men)
        last = rng.choice(surnames)
        email = f"{_ascii(first)}.{_ascii(last)}@example.org"
        if email in emails:
            email = f"{_ascii(first)}.{_ascii(last)}{index}@example.org"
        emails.add(email)
        city = rng.choice(area["cities"])
        latitude, longitude = _coordinates(city, country)
        sector = rng.choice([*OCCUPATIONS, ""] if not spec["professional"] else [*OCCUPATIONS])
        path = _path(rng)
        fields: dict[str, Any] = {
            "role": Participant.Role.MENTOR if mentor else Participant.Role.MENTEE,
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": _phone(rng, country),
            "language": _message_language(rng, native) if not mentor or peer else local,
            "gender": gender,
            "gender_preference": "f" if gender == "f" and rng.random() < 0.3 else "any",
            "birth_year": rng.randint(1958, 1998) if mentor else rng.randint(1972, 2006),
            "country_of_origin": origin,
            "languages": _levels(rng, local, native, newcomer=not mentor),
            "city": city,
            "latitude": latitude,
            "longitude": longitude,
            "mode_preference": rng.choice(area["mode"]),
            "max_distance_km": rng.choice([5, 10, 15, 20, 30]),
            "availability": _slots(rng, mentor),
            "sector": sector,
            "occupation": OCCUPATIONS.get(sector, ""),
            "skills": rng.choice(SKILLS) if mentor or rng.random() < 0.5 else "",
            "interests": rng.sample(INTERESTS, rng.randint(1, 4)),
            "needs": [] if mentor else rng.sample(needs, min(len(needs), rng.randint(1, 3))),
            "offers": rng.sample(supports, min(len(supports), rng.randint(2, 4))) if mentor else [],
            "motivations": rng.choice(MENTOR_MOTIVATIONS if mentor else MENTEE_MOTIVATIONS),
            "capacity": 2 if mentor and rng.random() < spec["two_mentees"] else 1,
            "training_done": mentor and Status.READY in path,
            "intake_notes": rng.choice(INTAKE_NOTES) if path else "",
        }
        if spec["professional"] and not mentor:
            fields["needs"] = sorted({"employment", *fields["needs"]}, key=needs.index)
        if not mentor:
            statuses = spec["legal_statuses"]
            fields["legal_status"] = rng.choice(
                [Participant.LegalStatus.TEMPORARY] if origin == "UA" else statuses
            )
        elif peer:
            fields["legal_status"] = rng.choice(
                [Participant.LegalStatus.REFUGEE, Participant.LegalStatus.RESIDENT]
            )
        else:
            fields["legal_status"] = Participant.LegalStatus.CITIZEN
        people.append(
            Person(
                fields=fields,
                path=path,
                days_ago=rng.randint(20, 150),
                consents=_consents(rng, path),
                withdraw_contact=Status.WITHDRAWN in path and rng.random() < 0.5,
            )
        )
    return people


def _demo_accounts(people: list[Person]) -> None:
    """Turn the first generated mentor and mentee into the demo mentor and mentee logins."""
    mentor = next(p for p in people if p.fields["role"] == Participant.Role.MENTOR)
    mentee = next(p for p in people if p.fields["role"] == Participant.Role.MENTEE)
    mentor.fields.update(
        first_name="Sophie",
        last_name="Martin",
        email=f"mentor@{DEMO_DOMAIN}",
        language="fr",
        gender="f",
        country_of_origin="",
        languages={"fr": "native", "en": "B2", "ar": "A2"},
        city="Marseille",
        legal_status=Participant.LegalStatus.CITIZEN,
        training_done=True,
    )
    mentee.fields.update(
        first_name="Rania",
        last_name="Al-Khatib",
        email=f"mentee@{DEMO_DOMAIN}",
        language="ar",
        gender="f",
        gender_preference="f",
        country_of_origin="SY",
        languages={"ar": "native", "fr": "A2", "en": "B1"},
        city="Marseille",
        needs=["language", "employment", "social_network"],
        sector="2221",
        occupation="Infirmière",
        motivations="Améliorer mon français, rencontrer du monde et retravailler comme infirmière.",
        legal_status=Participant.LegalStatus.REFUGEE,
    )
    for person, language in [(mentor, "fr"), (mentee, "ar")]:
        person.fields["latitude"], person.fields["longitude"] = _coordinates("Marseille", "FR")
        person.path = [Status.INTERVIEWED, Status.READY]
        person.consents = _consents(random.Random(0), person.path)
        person.account = (person.fields["email"], language)


def _team(rng, city, country, assoc, language, role, theme, themes, real) -> Person:
    firsts, lasts = (names.split("|") for names in TEAM_NAMES[language])
    pairs = zip(rng.sample(firsts, 3), rng.sample(lasts, 3), strict=True)
    names = [f"{first} {last}" for first, last in pairs]
    domain = f"{_ascii(city)}.example.org"
    association = ASSOCIATIONS[assoc]
    label = TEAM_LABELS.get(city, city)
    members: list[MemberFields] = [
        {
            "name": names[0],
            "function": "Deputy mayor for inclusion" if real else "Integration policy officer",
            "member_organisation": label if label != city else f"City of {city}",
            "email": f"{_ascii(names[0])}@{domain}",
            "is_representative": True,
        },
        {
            "name": names[1],
            "function": "Coordinator",
            "member_organisation": f"{rng.choice(CIVIL_SOCIETY)} ({label})",
            "email": f"{_ascii(names[1])}@{domain}",
            "is_representative": False,
        },
        {
            "name": names[2],
            "function": "European projects officer",
            "member_organisation": association,
            "email": f"{_ascii(names[2])}@{_acronym(association)}.example.org",
            "is_representative": False,
        },
    ]
    latitude, longitude = _coordinates(city, country)
    mentor = role == Participant.Role.MENTOR
    path: list[str] = [Status.INTERVIEWED, Status.READY] if real else _path(rng)
    languages = {language: "native", "en": rng.choice(["B2", "C1"])}
    if language != "fr":
        languages.setdefault("fr", rng.choice(["A2", "B1", "B2"]))
    fields: dict[str, Any] = {
        "role": role,
        "kind": Participant.Kind.TEAM,
        "team_name": label,
        "email": f"integration@{domain}",
        "language": "fr" if language == "fr" else "en",
        "country_of_origin": "",
        "languages": languages,
        "city": city,
        "latitude": latitude,
        "longitude": longitude,
        "mode_preference": Participant.Mode.EITHER,
        "max_distance_km": 2000,
        "availability": sorted(rng.sample(SLOTS[:15], 4), key=SLOTS.index),
        "interests": [themes[theme]],
        "needs": ["integration_policy"],
        "offers": rng.sample(_supports(Programme.Kind.CITY_TO_CITY), 3) if mentor else [],
        "motivations": (
            f"Share our experience of “{themes[theme]}” with a city that starts on it."
            if mentor
            else f"Develop an action plan on “{themes[theme]}” with partners."
        ),
        "skills": f"Municipality, civil society and {association} work together.",
        "training_done": mentor and Status.READY in path,
        "intake_notes": "Needs analysis done with the whole team." if path else "",
    }
    return Person(
        fields=fields,
        path=path,
        days_ago=rng.randint(30, 200),
        members=members,
        consents=_consents(rng, path),
    )


def _teams(spec: dict[str, Any], rng: random.Random) -> list[Person]:
    """Generate the four real pairs of seed 002 and fictional teams around them."""
    themes = spec["themes"]
    teams = []
    for mentee, mentor, theme in REAL_PAIRS:
        teams.append(_team(rng, *mentee, Participant.Role.MENTEE, theme, themes, real=True))
        teams.append(_team(rng, *mentor, Participant.Role.MENTOR, theme, themes, real=True))
    for city in FICTIONAL_MENTEE_CITIES:
        theme = rng.randrange(len(themes))
        teams.append(_team(rng, *city, Participant.Role.MENTEE, theme, themes, real=False))
    for city in FICTIONAL_MENTOR_CITIES:
        theme = rng.randrange(len(themes))
        teams.append(_team(rng, *city, Participant.Role.MENTOR, theme, themes, real=False))
    return teams


# How each programme's people are generated (the key is the programme slug).
def demo_people(programme_spec: dict[str, Any]) -> list[Person]:
    """Return the generated people of one demo programme, always the same ones."""
    spec: dict[str, Any] = {**GENERATORS[programme_spec["slug"]], **programme_spec}
    rng = random.Random(spec["seed"])
    if spec.get("teams"):
        teams = _teams(spec, rng)
        every = spec.get("no_availability_every")
        for index, team in enumerate(teams):
            if every and index % every == every - 1:
                team.fields["availability"] = []
        return teams
    people = _people(spec, rng)
    for key, role in (
        ("engagements", Participant.Role.MENTOR),
        ("mentee_engagements", Participant.Role.MENTEE),
    ):
        levels = spec.get(key)
        if not levels:
            continue
        # Dealt in turn over one side, apart from the generator's draws, so that the rest of
        # the demo stays the same people.
        side = [p for p in people if p.fields["role"] == role]
        for index, person in enumerate(side):
            person.fields["engagement"] = levels[index % len(levels)]
    if spec.get("accounts"):
        _demo_accounts(people)
    return people


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


@cache
def _demo_password_hash() -> str:
    # One slow (Argon2) hash shared by every demo account: the password is public anyway.
    return make_password(DEMO_PASSWORD)


def _user(email: str, full_name: str, language: str = "fr") -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, language=language)
        user.password = _demo_password_hash()
        user.full_clean()
        user.save()
    return user


def _create_person(
    programme: Programme, person: Person, coordinator: User, now: datetime
) -> tuple[Participant, list[datetime]]:
    """Create one participant through the services, walk its pipeline, backdate its timeline."""
    user = None
    if person.account:
        email, language = person.account
        name = f"{person.fields['first_name']} {person.fields['last_name']}"
        user = _user(email, name, language)
    applied_at = now - timedelta(days=person.days_ago)
    by_form = person.consents[0][1] == Consent.Method.ONLINE_FORM
    participant = services.participant_create(
        programme=programme,
        actor=None if by_form else coordinator,
        members=person.members,
        note="Candidature en ligne" if by_form else "Saisie par l'équipe",
        user=user,
        **person.fields,
    )
    for purpose, method in person.consents:
        consent = services.consent_record(
            participant=participant,
            purpose=purpose,
            text=CONSENT_TEXTS[purpose],
            method=method,
            actor=None if method == Consent.Method.ONLINE_FORM else coordinator,
            given_at=applied_at,
        )
        if purpose == Consent.Purpose.CONTACT and person.withdraw_contact:
            services.consent_withdraw(consent=consent, actor=coordinator)
    for to_status in person.path:
        services.participant_set_status(
            participant=participant, to_status=to_status, actor=coordinator
        )
    # A plausible history: interviewed a week or two after applying, ready a few days later.
    dates, moment = [applied_at], applied_at
    for step, _ in enumerate(person.path):
        moment = min(moment + timedelta(days=5 + (person.days_ago * (step + 3)) % 11), now)
        dates.append(moment)
    return participant, dates


def _backdate(created: list[tuple[Participant, list[datetime]]]) -> None:
    """Spread the timelines over the past months instead of the second the demo was loaded."""
    changes = StatusChange.objects.filter(participant__in=[p for p, _ in created]).order_by(
        "participant_id", "pk"
    )
    by_participant: dict[int, list[StatusChange]] = {}
    for change in changes:
        by_participant.setdefault(change.participant_id, []).append(change)
    updated = []
    for participant, dates in created:
        for change, at in zip(by_participant[participant.pk], dates, strict=True):
            change.at = at
            updated.append(change)
        participant.created_at, participant.status_changed_at = dates[0], dates[-1]
        if participant.interviewed_at is not None:
            participant.interviewed_at = dates[1]
    StatusChange.objects.bulk_update(updated, ["at"], batch_size=500)
    Participant.objects.bulk_update(
        [p for p, _ in created],
        ["created_at", "status_changed_at", "interviewed_at"],
        batch_size=500,
    )


@transaction.atomic
def _demo_editions(programme: Programme, now: datetime) -> None:
    """Last year's edition and this year's, so that figures can be compared across editions;
    the demo's people join this year's (the current one when they are created)."""
    if Edition.objects.filter(programme=programme).exists():
        return
    today = now.date()
    first = today.year if today.month >= 9 else today.year - 1
    Edition.objects.create(
        programme=programme,
        name=f"{first - 1}–{first}",
        starts_on=date(first - 1, 9, 1),
        ends_on=date(first, 8, 31),
        lessons="",
    )
    Edition.objects.create(
        programme=programme, name=f"{first}–{first + 1}", starts_on=date(first, 9, 1)
    )


def load_demo() -> int:
    """Create whatever demo data is missing; return how many rows of people were created."""
    now = timezone.now()
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        defaults = {key: value for key, value in spec.items() if key != "slug"}
        defaults["content_languages"] = CONTENT_LANGUAGES[spec["slug"]]
        organisations[spec["slug"]], _ = Organisation.objects.get_or_create(
            slug=spec["slug"], defaults=defaults
        )
    coordinators: dict[str, User] = {}
    for local, full_name, org_slug, role, language in STAFF:
        user = _user(f"{local}@{DEMO_DOMAIN}", full_name, language)
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_slug], defaults={"role": role}
        )
        if role == Membership.Role.COORDINATOR:
            coordinators[org_slug] = user
    created: list[tuple[Participant, list[datetime]]] = []
    programmes: dict[str, Programme] = {}
    people: dict[str, list[Person]] = {}
    for spec in PROGRAMMES:
        organisation = organisations[spec["organisation"]]
        defaults = {
            key: value for key, value in spec.items() if key not in {"organisation", "slug"}
        }
        defaults["translations"] = PROGRAMME_TRANSLATIONS.get(spec["slug"], {})
        programme, _ = Programme.objects.get_or_create(
            organisation=organisation, slug=spec["slug"], defaults=defaults
        )
        # Each programme's own lists: N2WA's five supports, IncluCities' policy themes,
        # Hors Pistes' social supports and its typed themes (binome.programmes.vocabularies).
        vocabulary_defaults_create(programme=programme)
        _demo_editions(programme, now)
        programmes[spec["slug"]], people[spec["slug"]] = programme, demo_people(spec)
        known = set(programme.participants.values_list("email", flat=True))
        for person in people[spec["slug"]]:
            if person.fields["email"] in known:
                continue
            created.append(
                _create_person(programme, person, coordinators[spec["organisation"]], now)
            )
    _backdate(created)
    load_demo_duos(programmes, coordinators, people)
    load_demo_community(programmes, coordinators)
    load_demo_training(programmes, coordinators)
    load_demo_questionnaires(programmes, coordinators)
    load_demo_esf(programmes, coordinators)
    load_demo_partners(organisations, programmes, coordinators)
    return len(created)
