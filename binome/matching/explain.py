"""The engine's explanations and reasons, rendered in the reader's language.

The engine returns each explanation as parts {"key", "params"}; every key has a translatable
template here, so a pair reads in Arabic for Amina and in French for her coordinator.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.matching import engagement
from binome.reference import languages

PART_TEMPLATES = {
    "shared_language": _("both speak %(languages)s"),
    "same_sector": _("%(mentor)s works in %(sector)s, the sector %(mentee)s aims for"),
    "close_sector": _("%(mentor)s works in %(sector)s, close to the sector %(mentee)s aims for"),
    "offers_needs": _("%(mentor)s can help with %(needs)s"),
    "shared_interests": _("both enjoy %(interests)s"),
    "distance_km": _("%(km)s km apart"),
    "distance_under_1km": _("less than 1 km apart"),
    "remote": _("meeting online"),
    "close_in_age": _("close in age"),
    "locked": _("kept as agreed before"),
    "same_engagement": _("both committed to %(level)s"),
    "close_engagement": _("commitments one step apart, %(level)s needed"),
}

# Engagement levels as a sentence names them: "both committed to long-term mentoring".
ENGAGEMENT_WORDS = {
    "one_off": _("a one-off meeting"),
    "few_sessions": _("a few sessions"),
    "short_term": _("short-term mentoring"),
    "long_term": _("long-term mentoring"),
}

# The programme's own words where a kind of programme speaks differently: city teams work on
# policy themes together, they do not "enjoy" them.
PART_TEMPLATES_BY_KIND = {
    "city_to_city": {
        "shared_interests": _("both work on %(interests)s"),
        "offers_needs": _("%(mentor)s has experience with %(needs)s"),
    },
    "professional": {
        "shared_interests": _("both are interested in %(interests)s"),
    },
}

REASONS = {
    ("no_feasible_mentor", "eligible"): _(
        "No mentor is available: none has a free seat and the required training."
    ),
    ("no_feasible_mentor", "language"): _(
        "No mentor speaks one of %(mentee)s's languages at %(level)s or above."
    ),
    ("no_feasible_mentor", "mode_distance"): _(
        "No mentor sharing a language can meet %(mentee)s, in person within reach or remotely."
    ),
    ("no_feasible_mentor", "gender"): _(
        "No mentor who could meet %(mentee)s is of the gender %(mentee)s prefers."
    ),
    ("no_feasible_mentor", "availability"): _(
        "No mentor who could meet %(mentee)s is free at the same times."
    ),
    ("no_feasible_mentor", "forbidden"): _(
        "Every mentor who fits %(mentee)s was declined or excluded before."
    ),
    ("no_feasible_mentor", "engagement"): _(
        "Every mentor who fits %(mentee)s commits to much less than the %(level)s %(mentee)s "
        "needs, or was excluded before."
    ),
    ("no_feasible_mentor", "min_score"): _(
        "Every mentor who fits %(mentee)s scores below the programme's minimum of %(min_score)s."
    ),
    ("no_feasible_mentor", None): _("No mentor meets every requirement for %(mentee)s."),
    ("training_required", None): _("%(mentor)s has not completed the required training."),
    ("no_feasible_mentee", None): _("No mentee meets every requirement with %(mentor)s."),
    ("missing_location", None): _(
        "%(name)s wants to meet in person but has no city or coordinates: add them to the profile."
    ),
}

# The hard rules a chosen (or locked) pair may break, as the engine names them.
CONSTRAINTS = {
    "capacity": _("no free seat"),
    "training": _("training not completed"),
    "language": _("no shared language at the minimum level"),
    "mode_distance": _("cannot meet in person within reach, nor online"),
    "gender": _("not of the gender the mentee prefers"),
    "availability": _("not enough common time slots"),
    "min_score": _("score below the programme's minimum"),
    "forbidden": _("excluded before"),
    "engagement": _("the mentor commits to much less than the mentee needs"),
}


def render_constraints(codes: list[str]) -> str:
    """Name the hard rules a pair breaks, in the active language."""
    return _and([str(CONSTRAINTS.get(code, code)) for code in codes])


CRITERIA = {
    "sector": _("Sector"),
    "needs": _("Needs covered"),
    "interests": _("Shared interests"),
    "distance": _("Distance"),
    "languages": _("Extra languages"),
    "age": _("Age gap"),
}


def _and(items: list[str]) -> str:
    # CLDR's list in the reader's language: "A, B et C", "A، B وC".
    return languages.format_list(items)


def sector_name(code: str) -> str:
    """Name an ISCO-08 code by its finest group known to the vocabulary."""
    return vocab.isco_label(code) or code


def render_part(
    part: dict[str, Any], kind: str = "", needs: Mapping[str, str] | None = None
) -> str:
    """Render one explanation part in the active language, in the words of the programme's kind
    and with its own names of the needs (`needs`: code -> label, see programmes.vocabularies)."""
    # A part without a key has no template, like an unknown key.
    key: str = part.get("key") or ""
    if key == "distance_km" and float((part.get("params") or {}).get("km", 1)) < 1:
        key = "distance_under_1km"
    template = PART_TEMPLATES_BY_KIND.get(kind, {}).get(key) or PART_TEMPLATES.get(key)
    if template is None:
        return ""
    params = dict(part.get("params") or {})
    if "languages" in params:
        params["languages"] = _and([languages.language_name(c) for c in params["languages"]])
    if "needs" in params:
        names = needs or {}
        params["needs"] = _and(
            [names.get(n) or str(vocab.NEEDS.get(n, n.replace("_", " "))) for n in params["needs"]]
        )
    if "interests" in params:
        params["interests"] = _and(params["interests"])
    if "sector" in params:
        params["sector"] = sector_name(str(params["sector"]))
    if "level" in params:
        params["level"] = ENGAGEMENT_WORDS.get(params["level"], params["level"])
    return str(template) % params if "%(" in str(template) else str(template)


def _engagement_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Take the engagement tokens out of the needs a mentor covers, into a part of their own."""
    out = []
    for part in parts:
        needs = (part.get("params") or {}).get("needs")
        if part.get("key") != "offers_needs" or not needs:
            out.append(part)
            continue
        found = engagement.tokens_level(needs)
        real = [n for n in needs if not engagement.is_token(n)]
        if real:
            out.append({**part, "params": {**part["params"], "needs": real}})
        if found is not None:
            level, same = found
            key = "same_engagement" if same else "close_engagement"
            out.append({"key": key, "params": {"level": level}})
    return out


def render_explanation(
    parts: list[dict[str, Any]], kind: str = "", needs: Mapping[str, str] | None = None
) -> str:
    """Render a whole explanation as one sentence in the active language."""
    parts = _engagement_parts(parts)
    text = gettext("; ").join(filter(None, (render_part(p, kind, needs) for p in parts)))
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def render_reason(code: str, params: dict[str, Any]) -> str:
    """Say in the active language why someone was left without a partner."""
    if code == "feasible_mentors_taken":
        return (
            ngettext(
                "%(candidates)s mentor fits %(mentee)s, but the seat went to another mentee in the "
                "best overall assignment.",
                "%(candidates)s mentors fit %(mentee)s, but their seats went to other mentees "
                "in the best overall assignment.",
                params.get("candidates", 0),
            )
            % params
        )
    if code == "feasible_mentees_taken":
        return (
            ngettext(
                "%(candidates)s mentee fits %(mentor)s, but was matched with another mentor.",
                "%(candidates)s mentees fit %(mentor)s, but all were matched with other mentors.",
                params.get("candidates", 0),
            )
            % params
        )
    template = REASONS.get((code, params.get("constraint"))) or REASONS.get((code, None))
    if template is None:
        return code
    if "level" in params:
        params = {**params, "level": ENGAGEMENT_WORDS.get(params["level"], params["level"])}
    return str(template) % params
