"""Values: one parser per field; each returns the stored value or raises ValidationError."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.people.fields import normalise_phone
from binome.people.importing.records import fold
from binome.people.models import Participant
from binome.reference import languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROLE_WORDS: dict[str, list[str]] = {
    Participant.Role.MENTOR: [
        "mentor", "mentore", "mentors", "mentores", "mentor·e", "parrain", "marraine", "parraine",
        "parrain·e", "buddy", "tuteur", "tutrice", "bénévole", "volunteer",
    ],
    Participant.Role.MENTEE: [
        "mentee", "mentees", "mentoré", "mentorée", "mentoré·e", "mentoree", "filleul", "filleule",
        "filleul·e", "newcomer", "nouvel arrivant", "nouvelle arrivante",
    ],
}  # fmt: skip
GENDER_WORDS = {
    "f": ["f", "female", "woman", "femme", "w"],
    "m": ["m", "male", "man", "homme", "h"],
    "x": ["x", "other", "autre", "non-binary", "non binaire", "non-binaire", "nb"],
}
GENDER_PREFERENCE_WORDS = {
    "any": ["any", "no preference", "indifférent", "sans préférence", "peu importe"],
    "f": ["f", "woman", "a woman", "femme", "une femme"],
    "m": ["m", "man", "a man", "homme", "un homme"],
}
MODE_WORDS = {
    "in_person": ["in_person", "in person", "présentiel", "en présentiel", "face to face"],
    "remote": ["remote", "à distance", "distance", "en ligne", "online", "visio"],
    "either": ["either", "both", "les deux", "hybride", "hybrid", "indifférent", "mixte"],
}
LEGAL_WORDS = {
    "asylum_seeker": ["demandeur d'asile", "demandeuse d'asile", "demandeur·se d'asile", "da"],
    "refugee": ["réfugié", "réfugiée", "réfugié·e", "bpi"],
    "subsidiary": ["protection subsidiaire"],
    "temporary": ["protection temporaire"],
    "resident": ["titre de séjour", "résident", "résidente", "carte de séjour"],
    "citizen": ["citoyen", "citoyenne", "national", "nationalité française"],
    "undocumented": ["sans papiers", "sans-papiers"],
    "other": ["autre"],
}
YES = {"yes", "y", "oui", "o", "1", "true", "vrai", "x", "✓", "ok", "si"}
NO = {"no", "n", "non", "0", "false", "faux"}
NATIVE = {"native", "natif", "native speaker", "maternelle", "langue maternelle", "mother tongue",
          "l1", "bilingue", "bilingual", "courant natif"}  # fmt: skip
SPLIT_RE = re.compile(r"\s*[;,\n|]\s*")


def word_key(value: str) -> str:
    """Casefold, keep accents (mentoré is not mentore), drop the inclusive-writing dot."""
    return re.sub(r"[\s·.()_\-']+", "", (value or "").casefold())


def _word_index(
    words: Mapping[str, list[str]], *, labels: Mapping[str, StrOrPromise] | None = None
) -> dict[str, str]:
    index = {}
    for code, synonyms in words.items():
        for synonym in [code, *synonyms]:
            index[word_key(synonym)] = code
    for code, label in (labels or {}).items():
        index.setdefault(word_key(code), code)
        for lang in ("en", "fr"):
            with translation.override(lang):
                index.setdefault(word_key(str(label)), code)
    return index


@cache
def _indexes() -> dict[str, dict[str, str]]:
    labels = lambda choices: dict(choices)  # noqa: E731
    return {
        "role": _word_index(ROLE_WORDS, labels=labels(Participant.Role.choices)),
        "gender": _word_index(GENDER_WORDS, labels=vocab.GENDERS),
        "gender_preference": _word_index(GENDER_PREFERENCE_WORDS, labels=vocab.GENDER_PREFERENCES),
        "mode_preference": _word_index(MODE_WORDS, labels=vocab.MODES),
        "status": _word_index({}, labels=labels(Participant.Status.choices)),
        "legal_status": _word_index(
            LEGAL_WORDS, labels={k: v for k, v in Participant.LegalStatus.choices if k}
        ),
        "needs": _word_index({}, labels=vocab.NEEDS),
        "offers": _word_index({}, labels=vocab.SUPPORTS),
        "sector": _word_index({}, labels=vocab.ISCO),
    }


def _choice(kind: str, message: StrOrPromise) -> Callable[[str], str]:
    def parse(value: str) -> str:
        found = _indexes()[kind].get(word_key(value))
        if found is None:
            raise ValidationError(message % {"value": value})
        return found

    return parse


def _codes(kind: str, message: StrOrPromise) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        found = []
        for item in SPLIT_RE.split(value):
            if not item:
                continue
            code = _indexes()[kind].get(word_key(item))
            if code is None:
                raise ValidationError(message % {"value": item})
            if code not in found:
                found.append(code)
        return found

    return parse


def parse_availability(value: str) -> list[str]:
    found = []
    for item in re.split(r"[\s;,|]+", value):
        if not item:
            continue
        code = item.lower()
        if code not in vocab.SLOTS:
            raise ValidationError(
                _("“%(value)s” is not a time slot: write codes like mon_am, tue_pm, sat_ev.")
                % {"value": item}
            )
        if code not in found:
            found.append(code)
    return sorted(found, key=vocab.SLOTS.index)


@cache
def _french_language_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    french = languages.iso_translation("iso639-3", "fr")
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        for name in {french.gettext(lang.name), lang.name}:
            names.setdefault(fold(name), code)
            # "Arabe", "Français"… and the adjective forms used in spreadsheets.
    extra = {"francais": "fr", "anglais": "en", "arabe": "ar", "dari": "prs", "pachto": "ps",
             "pashto": "ps", "tigrigna": "ti", "tigrinya": "ti", "ukrainien": "uk",
             "russe": "ru", "espagnol": "es", "persan": "fa", "farsi": "fa", "kurde": "ku",
             "somali": "so", "amharique": "am", "turc": "tr", "allemand": "de",
             "neerlandais": "nl", "italien": "it", "portugais": "pt", "lingala": "ln"}  # fmt: skip
    names.update(extra)
    return names


@cache
def language_code(value: str) -> str | None:
    """Find the stored ISO 639 code for a code or a language name in English or French."""
    folded = fold(value)
    if not folded:
        return None
    found = _french_language_names().get(folded)
    if found is None and len(folded) <= 3:
        found = languages.normalise_language_code(folded)
    return found or languages.normalise_language_code(value)


LEVEL_RE = re.compile(
    r"^(?P<lang>.+?)\s*(?:[:=(\-]\s*(?P<level>[^)]*)\)?|\s(?P<cefr>[abcABC][12]))$"
)


def _level(value: str) -> str | None:
    value = (value or "").strip()
    if value.upper() in vocab.CEFR_LEVELS:
        return value.upper()
    if fold(value) in NATIVE:
        return "native"
    return None


def parse_languages(value: str) -> dict[str, str]:
    result = {}
    for item in re.split(r"\s*[;,\n]\s*", value):
        if not item:
            continue
        match = LEVEL_RE.match(item)
        name, level_text = (item, "")
        if match:
            name = match["lang"]
            level_text = match["level"] or match["cefr"] or ""
        elif " " in item and _level(item.rsplit(" ", 1)[1]):
            name, level_text = item.rsplit(" ", 1)
        code = language_code(name)
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a language Binôme knows.") % {"value": name}
            )
        level = _level(level_text)
        if level is None:
            raise ValidationError(
                _(
                    "Give a level for “%(value)s”: A1, A2, B1, B2, C1, C2 or native "
                    "(e.g. “ar:native; fr:A2”)."
                )
                % {"value": name}
            )
        result[code] = level
    return result


@cache
def _french_country_names() -> dict[str, str]:
    import pycountry

    french = languages.iso_translation("iso3166-1", "fr")
    names = {}
    for country in pycountry.countries:
        for name in (country.name, french.gettext(country.name)):
            names[fold(name)] = country.alpha_2
        for name in (getattr(country, "common_name", ""), getattr(country, "official_name", "")):
            if name:
                names.setdefault(fold(name), country.alpha_2)
    # Short names used every day where the ISO name is long ("République arabe syrienne").
    extra = {"syrie": "SY", "iran": "IR", "russie": "RU", "rdc": "CD", "rd congo": "CD",
             "congo-kinshasa": "CD", "congo-brazzaville": "CG", "venezuela": "VE",
             "bolivie": "BO", "tanzanie": "TZ", "coree du sud": "KR", "moldavie": "MD",
             "palestine": "PS", "kosovo": "XK", "vietnam": "VN", "laos": "LA",
             "soudan du sud": "SS", "turquie": "TR", "royaume-uni": "GB", "uk": "GB",
             "usa": "US", "etats-unis": "US"}  # fmt: skip
    names.update(extra)
    return names


@cache
def country_code(value: str) -> str | None:
    import pycountry

    found = _french_country_names().get(fold(value))
    if found:
        return found
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        return None


def parse_country(value: str) -> str:
    code = country_code(value)
    if code is None:
        raise ValidationError(_("“%(value)s” is not a country Binôme knows.") % {"value": value})
    return code


def parse_sector(value: str) -> str:
    digits = value.replace(" ", "")
    if (
        digits.isdigit()
        and 1 <= len(digits) <= 4
        and (digits[:2] in vocab.ISCO or digits in vocab.ISCO)
    ):
        return digits
    found = _indexes()["sector"].get(word_key(value))
    if found is None:
        raise ValidationError(
            _("“%(value)s” is not an ISCO-08 code (e.g. 22 for health professionals).")
            % {"value": value}
        )
    return found


def parse_birth_year(value: str) -> int:
    match = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", value)
    year = int(match[1]) if match else None
    if year is None or not 1900 <= year <= timezone.now().year:
        raise ValidationError(
            _("“%(value)s” is not a birth year (four digits, e.g. 1987).") % {"value": value}
        )
    return year


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise ValidationError(
                _("“%(value)s” is not a whole number between %(low)s and %(high)s.")
                % {"value": value, "low": low, "high": high}
            )
        return number

    return parse


def parse_email(value: str) -> str:
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from None
    return value


def parse_phone(value: str) -> str:
    return normalise_phone(value)


def parse_consent(value: str) -> bool:
    folded = fold(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError(_("Write yes or no for consent, not “%(value)s”.") % {"value": value})


def parse_tags(value: str) -> list[str]:
    return sorted({tag.casefold() for tag in SPLIT_RE.split(value) if tag})[:30]


def _text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("This text is too long: at most %(max)s characters.") % {"max": max_length}
            )
        return value

    return parse


# By field: each parser returns that field's stored value (a str, a list, a dict, an int or,
# for consent, a bool).
PARSERS: dict[str, Callable[[str], Any]] = {
    "first_name": _text(100),
    "last_name": _text(100),
    "email": parse_email,
    "phone": parse_phone,
    "role": _choice("role", _("“%(value)s” is not a role: write mentor or mentee.")),
    "languages": parse_languages,
    "city": _text(120),
    "birth_year": parse_birth_year,
    "gender": _choice("gender", _("“%(value)s” is not a gender: write f, m or x.")),
    "gender_preference": _choice(
        "gender_preference", _("“%(value)s” is not a preference: write any, f or m.")
    ),
    "sector": parse_sector,
    "occupation": _text(200),
    "needs": _codes("needs", _("“%(value)s” is not a need Binôme knows.")),
    "offers": _codes("offers", _("“%(value)s” is not a kind of support Binôme knows.")),
    "availability": parse_availability,
    "mode_preference": _choice(
        "mode_preference", _("“%(value)s” is not a mode: write in_person, remote or either.")
    ),
    "max_distance_km": _integer(0, 2000),
    "capacity": _integer(1, 20),
    "status": _choice("status", _("“%(value)s” is not a status of the pipeline.")),
    "country_of_origin": parse_country,
    "legal_status": _choice("legal_status", _("“%(value)s” is not a legal status Binôme knows.")),
    "interests": parse_tags,
    "skills": _text(5000),
    "motivations": _text(5000),
    "consent": parse_consent,
}
