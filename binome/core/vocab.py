"""Controlled vocabularies shared by programmes, profiles, forms, import and matching.

Codes are stable ASCII identifiers (stored in the database and sent to the matching engine);
labels are translatable and shown in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

CEFR_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
CEFR_CHOICES = [(level, level if level != "native" else _("native")) for level in CEFR_LEVELS]

NEEDS = {
    "employment": _("Employment"),
    "language": _("Language"),
    "housing": _("Housing"),
    "administration": _("Administrative procedures"),
    "education": _("Education and training"),
    "social_network": _("Social network"),
    "culture_leisure": _("Culture and leisure"),
    "health": _("Access to health care"),
    "professional_network": _("Professional network"),
    "integration_policy": _("Local integration policy"),
}

# The five kinds of support of the N2WA professional mentoring method.
SUPPORTS = {
    "co_constructed": _("Co-constructed support: a tailored path from a shared analysis"),
    "concrete": _("Concrete support: the soft skills employers expect"),
    "moral": _("Moral support: self-confidence and self-esteem"),
    "relational": _("Relational support: building a professional network"),
    "technical": _("Technical support: strengths, qualities, presenting oneself"),
}

DAYS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
DAY_PARTS = {"am": _("morning"), "pm": _("afternoon"), "ev": _("evening")}
SLOTS = [f"{day}_{part}" for day in DAYS for part in DAY_PARTS]

GENDERS = {"f": _("Woman"), "m": _("Man"), "x": _("Other / non-binary")}
GENDER_PREFERENCES = {"any": _("No preference"), "f": _("A woman"), "m": _("A man")}

MODES = {"in_person": _("In person"), "remote": _("Remote"), "either": _("Either")}

# ISCO-08 major (1 digit) and sub-major (2 digits) groups.
ISCO = {
    "0": _("Armed forces occupations"),
    "01": _("Commissioned armed forces officers"),
    "02": _("Non-commissioned armed forces officers"),
    "03": _("Armed forces occupations, other ranks"),
    "1": _("Managers"),
    "11": _("Chief executives, senior officials and legislators"),
    "12": _("Administrative and commercial managers"),
    "13": _("Production and specialised services managers"),
    "14": _("Hospitality, retail and other services managers"),
    "2": _("Professionals"),
    "21": _("Science and engineering professionals"),
    "22": _("Health professionals"),
    "23": _("Teaching professionals"),
    "24": _("Business and administration professionals"),
    "25": _("Information and communications technology professionals"),
    "26": _("Legal, social and cultural professionals"),
    "3": _("Technicians and associate professionals"),
    "31": _("Science and engineering associate professionals"),
    "32": _("Health associate professionals"),
    "33": _("Business and administration associate professionals"),
    "34": _("Legal, social, cultural and related associate professionals"),
    "35": _("Information and communications technicians"),
    "4": _("Clerical support workers"),
    "41": _("General and keyboard clerks"),
    "42": _("Customer services clerks"),
    "43": _("Numerical and material recording clerks"),
    "44": _("Other clerical support workers"),
    "5": _("Service and sales workers"),
    "51": _("Personal service workers"),
    "52": _("Sales workers"),
    "53": _("Personal care workers"),
    "54": _("Protective services workers"),
    "6": _("Skilled agricultural, forestry and fishery workers"),
    "61": _("Market-oriented skilled agricultural workers"),
    "62": _("Market-oriented skilled forestry, fishery and hunting workers"),
    "63": _("Subsistence farmers, fishers, hunters and gatherers"),
    "7": _("Craft and related trades workers"),
    "71": _("Building and related trades workers, excluding electricians"),
    "72": _("Metal, machinery and related trades workers"),
    "73": _("Handicraft and printing workers"),
    "74": _("Electrical and electronic trades workers"),
    "75": _("Food processing, wood working, garment and other craft workers"),
    "8": _("Plant and machine operators, and assemblers"),
    "81": _("Stationary plant and machine operators"),
    "82": _("Assemblers"),
    "83": _("Drivers and mobile plant operators"),
    "9": _("Elementary occupations"),
    "91": _("Cleaners and helpers"),
    "92": _("Agricultural, forestry and fishery labourers"),
    "93": _("Labourers in mining, construction, manufacturing and transport"),
    "94": _("Food preparation assistants"),
    "95": _("Street and related sales and service workers"),
    "96": _("Refuse workers and other elementary workers"),
}


# The languages whose ISCO-08 titles Binôme takes from a published source: the ILO publishes
# the classification in English, French and Spanish, and the French titles above are the ILO's.
# No source publishes Arabic or Ukrainian titles, so their readers get the English title, marked
# as English (isco_html), rather than a translation of our own presented as the classification.
ISCO_SOURCED_LANGUAGES = {"en", "fr"}


def isco_language(language: str | None = None) -> str:
    """The language of the ISCO-08 titles a reader gets: hers if a source gives them, else en."""
    lang = (language or translation.get_language() or "en").split("-")[0]
    return lang if lang in ISCO_SOURCED_LANGUAGES else "en"


def isco_label(code: str, language: str | None = None) -> str:
    """Name an ISCO-08 code (up to 4 digits) by its finest group the vocabulary names, never by
    the bare code, in the reader's language if a source publishes it, else in English."""
    for length in (4, 3, 2, 1):
        label = ISCO.get((code or "")[:length])
        if label:
            with translation.override(isco_language(language)):
                return str(label)
    return ""


def isco_html(code: str) -> SafeString:
    """An ISCO-08 title for a page: an English one in a span marked `lang="en" dir="ltr"`."""
    label = isco_label(code)
    reader = (translation.get_language() or "en").split("-")[0]
    if label and isco_language() != reader:
        return format_html('<span lang="en" dir="ltr">{}</span>', label)
    return conditional_escape(label)


isco_label_lazy = lazy(isco_label, str)


def isco_choices():
    """Return ISCO choices grouped as (major label, [(sub-major code, label)]), labelled when
    rendered (isco_label): forms built at import time still follow the reader's language."""
    groups = []
    for code in ISCO:
        label = isco_label_lazy(code)
        if len(code) == 1:
            groups.append((label, [(code, label)]))
        else:
            groups[-1][1].append((code, label))
    return groups


# How a coordinator received what she enters for someone without an account (an answer, a
# check-in, a signature): shown beside it as "entered by the coordinator".
ENTRY_CHANNELS = {
    "phone": _("by phone"),
    "paper": _("on paper"),
    "in_person": _("in person"),
}
ENTRY_CHANNEL_CHOICES = list(ENTRY_CHANNELS.items())


@dataclass(frozen=True)
class Engagement:
    """What a mentor commits to: the duo's rhythm and length follow it."""

    label: str | Promise
    meetings_per_month: Decimal
    months: int


# From "2 hours a year" to long-term mentoring (seed 004); blank means the programme's rhythm.
ENGAGEMENTS = {
    "one_off": Engagement(_("One-off: about 2 hours a year"), Decimal("0.17"), 12),
    "few_sessions": Engagement(_("A few sessions over a few months"), Decimal("0.5"), 6),
    "short_term": Engagement(_("Short-term: regular, for three months"), Decimal("2"), 3),
    "long_term": Engagement(_("Long-term: regular, for a year"), Decimal("2"), 12),
}
ENGAGEMENT_CHOICES = [(code, level.label) for code, level in ENGAGEMENTS.items()]
# From the lightest commitment to the heaviest: a level's rank is its index.
ENGAGEMENT_ORDER = tuple(ENGAGEMENTS)


def engagement_rank(code: str) -> int:
    """Return a level's rank, from 0 (one-off) to 3 (long-term)."""
    return ENGAGEMENT_ORDER.index(code)


def programme_engagement(meetings_per_month: Decimal, duration_months: int) -> str:
    """Return the level a programme's rhythm implies, for a side that stated none.

    Meeting less than monthly is a one-off (two meetings or fewer in all) or a few sessions;
    meeting at least monthly is short-term for three months or less, long-term beyond.
    """
    if meetings_per_month < 1:
        return (
            "one_off" if meetings_per_month * duration_months <= Decimal("2.5") else "few_sessions"
        )
    return "short_term" if duration_months <= 3 else "long_term"


def duo_engagement(*, mentor: str, mentee: str, implied: str) -> str:
    """Return the level a new duo runs at ("" for the programme's rhythm).

    The mentor's level (none: the programme's), lowered to what the mentee asked for when she
    needs less: a mentee who wants a few sessions is not held to a year with a long-term mentor.
    """
    level = mentor if mentor in ENGAGEMENTS else ""
    if mentee in ENGAGEMENTS and engagement_rank(mentee) < engagement_rank(level or implied):
        return mentee
    return level
