"""Why a pair, and why nobody: one English sentence plus translatable parts.

The Django app has its own translations, so every explanation is also given as a list of parts,
{"key": ..., "params": {...}}, each a message the app renders in French, Arabic, Ukrainian...
(`PART_TEMPLATES` lists every key and its English text). The English sentence is built from the
same parts, so the two never disagree.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .constraints import diagnose, violations
from .features import Features, Index, Mask
from .model import (
    CRITERIA,
    LEVELS,
    Criterion,
    Instance,
    Mentee,
    Mentor,
    Pair,
    Part,
    Person,
    Unmatched,
)
from .scoring import Scores

# Every message key, with its English template; params are listed in README.md.
PART_TEMPLATES = {
    "shared_language": "both speak {languages}",
    "same_sector": "{mentor} works in {sector_name}, the sector {mentee} aims for",
    "close_sector": "{mentor} works in {sector_name}, close to the sector {mentee} aims for",
    "offers_needs": "{mentor} can help with {needs}",
    "shared_interests": "both enjoy {interests}",
    "distance_km": "{km} km apart",
    "remote": "meeting online",
    "close_in_age": "close in age",
    "locked": "kept as agreed before",
}
REASON_TEMPLATES = {
    ("no_feasible_mentor", "eligible"): "No mentor is available: none has both a free seat and the "
    "required training.",
    ("no_feasible_mentor", "language"): "No mentor speaks one of {mentee}'s languages at "
    "{level} or above.",
    ("no_feasible_mentor", "mode_distance"): "No mentor sharing a language can meet {mentee}, "
    "in person within reach or remotely.",
    ("no_feasible_mentor", "gender"): "No mentor who could meet {mentee} is of the gender "
    "{mentee} prefers.",
    ("no_feasible_mentor", "availability"): "No mentor who could meet {mentee} is free at the "
    "same times.",
    ("no_feasible_mentor", "forbidden"): "Every mentor who fits {mentee} was declined or "
    "excluded before.",
    ("no_feasible_mentor", "min_score"): "Every mentor who fits {mentee} scores below the "
    "programme's minimum of {min_score}.",
    ("no_feasible_mentor", None): "No mentor meets every requirement for {mentee}.",
    ("feasible_mentors_taken", None): "{candidates} mentor(s) fit {mentee}, but their seats "
    "went to other mentees in the best overall assignment.",
    ("training_required", None): "{mentor} has not completed the required training.",
    ("no_feasible_mentee", None): "No mentee meets every requirement with {mentor}.",
    ("feasible_mentees_taken", None): "{candidates} mentee(s) fit {mentor}, but all were "
    "matched with other mentors.",
}

LANGUAGE_NAMES = {
    "am": "Amharic", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ckb": "Sorani Kurdish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "ff": "Fula", "fr": "French", "ha": "Hausa", "hi": "Hindi", "hy": "Armenian", "it": "Italian",
    "ka": "Georgian", "kmr": "Kurmanji Kurdish", "ku": "Kurdish", "ln": "Lingala",
    "mn": "Mongolian", "nl": "Dutch", "pl": "Polish", "prs": "Dari", "ps": "Pashto",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sq": "Albanian", "so": "Somali",
    "sr": "Serbian", "sw": "Swahili", "ta": "Tamil", "ti": "Tigrinya", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "wo": "Wolof",
    "zh": "Chinese",
}  # fmt: skip

# ISCO-08 major (1 digit) and sub-major (2 digits) groups; finer codes are named by their group.
ISCO_GROUPS = {
    "0": "armed forces occupations", "1": "managers", "2": "professionals",
    "3": "technicians and associate professionals", "4": "clerical support workers",
    "5": "service and sales workers", "6": "skilled agricultural, forestry and fishery workers",
    "7": "craft and related trades workers", "8": "plant and machine operators and assemblers",
    "9": "elementary occupations",
    "01": "commissioned armed forces officers", "02": "non-commissioned armed forces officers",
    "03": "armed forces occupations, other ranks",
    "11": "chief executives, senior officials and legislators",
    "12": "administrative and commercial management",
    "13": "production and specialised services management",
    "14": "hospitality, retail and other services management",
    "21": "science and engineering", "22": "health professions", "23": "teaching",
    "24": "business and administration", "25": "information and communications technology",
    "26": "legal, social and cultural professions",
    "31": "science and engineering technicians", "32": "health associate professions",
    "33": "business and administration associate professions",
    "34": "legal, social, cultural and related associate professions",
    "35": "information and communications technicians",
    "41": "general and keyboard clerical work", "42": "customer services",
    "43": "numerical and material recording clerical work", "44": "other clerical support",
    "51": "personal services", "52": "sales", "53": "personal care", "54": "protective services",
    "61": "market-oriented agriculture", "62": "forestry, fishery and hunting",
    "63": "subsistence farming and fishing",
    "71": "building trades", "72": "metal, machinery and related trades",
    "73": "handicraft and printing", "74": "electrical and electronic trades",
    "75": "food processing, woodworking, garment and related trades",
    "81": "stationary plant and machine operation", "82": "assembly",
    "83": "driving and mobile plant operation", "91": "cleaning and helping",
    "92": "agricultural, forestry and fishery labour",
    "93": "mining, construction, manufacturing and transport labour",
    "94": "food preparation", "95": "street sales and services",
    "96": "refuse work and other elementary occupations",
}  # fmt: skip

_RANK = {level: i for i, level in enumerate(LEVELS)}


def sector_name(code: str) -> str:
    """Return an English name for an ISCO-08 code, from its finest named group."""
    for k in (2, 1):
        if code[:k] in ISCO_GROUPS and len(code) >= k:
            name = ISCO_GROUPS[code[:k]]
            return name if len(code) == k else f"{name} (ISCO {code})"
    return f"ISCO {code}"


def language_name(code: str) -> str:
    """Return the English name of a language code, or the code itself."""
    return LANGUAGE_NAMES.get(code, LANGUAGE_NAMES.get(code.split("-")[0], code))


def render(part: Part) -> str:
    """Render one part as English text."""
    p = dict(part.params)
    if "languages" in p:
        p["languages"] = _languages_text(tuple(p["languages"]))
    for key in ("needs", "interests"):
        if key in p:
            p[key] = _words_text(tuple(p[key]))
    if "sector" in p:
        p["sector_name"] = _sector_text(p["sector"])
    return PART_TEMPLATES[part.key].format(**p)


# The same few lists of languages, needs and interests come back pair after pair.
@functools.lru_cache(maxsize=4096)
def _languages_text(codes: tuple[str, ...]) -> str:
    return _and([language_name(c) for c in codes])


@functools.lru_cache(maxsize=4096)
def _words_text(words: tuple[str, ...]) -> str:
    return _and([x.replace("_", " ") for x in words])


@functools.lru_cache(maxsize=1024)
def _sector_text(code: str) -> str:
    return sector_name(code)


def sentence(parts: list[Part]) -> str:
    """Join rendered parts into one sentence."""
    return _sentence([render(p) for p in parts])


def _sentence(texts: list[str]) -> str:
    text = "; ".join(texts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def explain_pairs(
    instance: Instance,
    features: Features,
    e: Index,
    m: Index,
    scores: Scores,
    *,
    locked: Mask | None = None,
    warn_locked: bool = False,
) -> list[Pair]:
    """Build Pair objects (breakdown, sentence and parts) for mentee/mentor index arrays."""
    s = instance.settings
    min_rank = _RANK[s.min_language_level]
    weights = [w for _, w in s.weights]
    values, applies = scores.values.tolist(), scores.applies.tolist()
    score_list, km_list = scores.score.tolist(), scores.distance_km.tolist()
    in_person = scores.in_person.tolist()
    locked_list = locked.tolist() if locked is not None else [False] * len(score_list)
    # A person's languages at the level, worked out once per set of languages (people share a
    # few hundred sets).
    usable: dict[tuple[tuple[str, str], ...], frozenset[str]] = {}

    def langs(person: Person) -> frozenset[str]:
        found = usable[person.languages] = frozenset(
            c for c, lvl in person.languages if _RANK[lvl] >= min_rank
        )
        return found

    # What depends only on which criteria apply, computed once per pattern (a handful of them):
    # the denominator, and per criterion (index, name, weight, 100 * weight, max points).
    # Each pattern also keeps the breakdown lines it has made, by criterion and value: a line is
    # immutable, and most values (all but distance) come back pair after pair.
    Lines = list[tuple[int, str, float, float, float]]
    patterns: dict[tuple[bool, ...], tuple[float, Lines, dict[tuple[int, float], Criterion]]] = {}

    def pattern(a: list[bool]) -> tuple[float, Lines, dict[tuple[int, float], Criterion]]:
        key = tuple(a)
        if key not in patterns:
            den = sum(w for w, ok in zip(weights, a, strict=True) if ok)
            lines = [
                (c, name, weights[c], 100 * weights[c], round(100 * weights[c] / den, 1))
                for c, name in enumerate(CRITERIA)
                if a[c]
            ]
            patterns[key] = (den, lines, {})
        return patterns[key]

    def criterion(
        made: dict[tuple[int, float], Criterion],
        line: tuple[int, str, float, float, float],
        den: float,
        value: float,
    ) -> Criterion:
        c, name, weight, hundred_w, max_points = line
        found = made[c, value] = Criterion(
            name=name,
            value=round(value, 3),
            weight=weight,
            points=round(hundred_w * value / den, 1),
            max_points=max_points,
        )
        return found

    # Parts without parameters, and the languages two people share, are the same values pair
    # after pair: each is made (and its text rendered) once and shared between pairs, which is
    # safe as nothing changes a part's parameters (render and to_dict copy them).
    fixed = {key: (Part(key, {}), PART_TEMPLATES[key]) for key in ("remote", "close_in_age")}
    locked_part = Part("locked", {}), PART_TEMPLATES["locked"]
    language_parts: dict[tuple[frozenset[str], frozenset[str]], tuple[Part, str] | None] = {}

    def shared_languages(a: frozenset[str], b: frozenset[str]) -> tuple[Part, str] | None:
        shared = sorted(a & b)
        found = language_parts[a, b] = (
            (
                Part("shared_language", {"languages": shared}),
                PART_TEMPLATES["shared_language"].format(languages=_languages_text(tuple(shared))),
            )
            if shared
            else None
        )
        return found

    out = []
    for i, (ei, mi) in enumerate(zip(e.tolist(), m.tolist(), strict=True)):
        mentee, mentor = instance.mentees[ei], instance.mentors[mi]
        v, a = values[i], applies[i]
        den, lines, made = pattern(a)
        criteria = tuple(
            made.get((line[0], v[line[0]])) or criterion(made, line, den, v[line[0]])
            for line in lines
        )
        parts: list[Part] = []
        mentee_langs = usable.get(mentee.languages) or langs(mentee)
        mentor_langs = usable.get(mentor.languages) or langs(mentor)
        # Each part with its text as render() gives it, from the same template and parameters:
        # the sentence is joined from them without rendering every part again.
        texts: list[str] = []
        key_langs = mentee_langs, mentor_langs
        language = (
            language_parts[key_langs]
            if key_langs in language_parts
            else shared_languages(*key_langs)
        )
        if language is not None:
            parts.append(language[0])
            texts.append(language[1])
        if (a[0] and v[0] > 0) or (a[1] and v[1] > 0) or (a[2] and v[2] > 0):
            ranked = _ranked(mentee, mentor, a, v, weights)
            for _, _, part, text in ranked:
                parts.append(part)
                texts.append(text)
        km = km_list[i] if in_person[i] else None
        if km is not None:
            shown = round(km) if km >= 1 else round(km, 1)
            parts.append(Part("distance_km", {"km": shown}))
            texts.append(PART_TEMPLATES["distance_km"].format(km=shown))
        else:
            parts.append(fixed["remote"][0])
            texts.append(fixed["remote"][1])
        if a[5] and v[5] >= 1:
            parts.append(fixed["close_in_age"][0])
            texts.append(fixed["close_in_age"][1])
        warnings: tuple[str, ...] = ()
        if locked_list[i]:
            parts.insert(0, locked_part[0])
            texts.insert(0, locked_part[1])
            if warn_locked:
                found = violations(features, ei, mi)
                if score_list[i] < s.min_score:
                    found.append("min_score")
                warnings = tuple(found)
        out.append(
            Pair(
                mentee=mentee.id,
                mentor=mentor.id,
                score=score_list[i],
                mode="in_person" if in_person[i] else "remote",
                distance_km=None if km is None else round(km, 1),
                criteria=criteria,
                explanation=_sentence(texts),
                explanation_parts=tuple(parts),
                locked=bool(locked_list[i]),
                warnings=warnings,
            )
        )
    return out


def _ranked(
    mentee: Mentee, mentor: Mentor, a: list[bool], v: list[float], weights: list[float]
) -> list[tuple[float, int, Part, str]]:
    """Return the sector, needs and interests parts that apply, with their texts, best first."""
    names = {"mentee": mentee.label, "mentor": mentor.label}
    ranked: list[tuple[float, int, Part, str]] = []
    if a[0] and v[0] > 0:
        key = "same_sector" if v[0] >= 1 else "close_sector"
        part = Part(key, {**names, "sector": mentor.sector})
        text = PART_TEMPLATES[key].format(**names, sector_name=_sector_text(mentor.sector))
        ranked.append((weights[0] * v[0], 0, part, text))
    if a[1] and v[1] > 0:
        needs = sorted(mentee.needs & mentor.offers)
        part = Part("offers_needs", {**names, "needs": needs})
        text = PART_TEMPLATES["offers_needs"].format(**names, needs=_words_text(tuple(needs)))
        ranked.append((weights[1] * v[1], 1, part, text))
    if a[2] and v[2] > 0:
        common = sorted(mentee.interests & mentor.interests)
        part = Part("shared_interests", {"interests": common})
        text = PART_TEMPLATES["shared_interests"].format(interests=_words_text(tuple(common)))
        ranked.append((weights[2] * v[2], 2, part, text))
    ranked.sort(key=lambda t: (-t[0], t[1]))
    return ranked


# Diagnosing a mentee with no feasible mentor tests them against every mentor; beyond this many
# (mentee x mentor) tests the reason stays generic.
DIAGNOSE_BUDGET = 300_000_000


def unmatched_reasons(
    instance: Instance,
    features: Features,
    pair_e: Index,
    taken: NDArray[np.intp],
    open_e: Index,
    open_m: Index,
) -> list[Unmatched]:
    """Say why each mentee without a mentor, and each mentor without a mentee, was left out."""
    s = instance.settings
    E, M = features.mentees, features.mentors
    matched = np.zeros(E.n, dtype=bool)
    matched[pair_e] = True
    cand_count_e = np.bincount(open_e, minlength=E.n)
    cand_count_m = np.bincount(open_m, minlength=M.n)
    stable = s.method == "stable"
    out: list[Unmatched] = []

    hopeless = np.flatnonzero(~matched & (cand_count_e == 0))
    diagnose_all = hopeless.size * max(M.n, 1) <= DIAGNOSE_BUDGET
    forbidden_by: dict[str, list[int]] = {}
    if diagnose_all and instance.forbidden:
        m_index = {p.id: i for i, p in enumerate(instance.mentors)}
        for a, b in instance.forbidden:
            forbidden_by.setdefault(a, []).append(m_index[b])

    for i in np.flatnonzero(~matched).tolist():
        mentee = instance.mentees[i]
        params: dict[str, Any] = {"mentee": mentee.label}
        if cand_count_e[i] > 0:
            code, constraint = "feasible_mentors_taken", None
            params["candidates"] = int(cand_count_e[i])
        else:
            code = "no_feasible_mentor"
            constraint = None
            if diagnose_all:
                forbidden = np.array(forbidden_by.get(mentee.id, []), dtype=np.int64)
                constraint = diagnose(features, i, forbidden) or "min_score"
            params["constraint"] = constraint
            if constraint == "language":
                params["level"] = s.min_language_level
            if constraint == "min_score":
                params["min_score"] = s.min_score
        reason = REASON_TEMPLATES[(code, constraint)].format(**params)
        if stable and code == "feasible_mentors_taken":
            reason = reason.replace("in the best overall assignment", "they prefer")
        out.append(Unmatched(mentee.id, "mentee", code, reason, params))

    for j in np.flatnonzero(taken == 0).tolist():
        mentor = instance.mentors[j]
        if mentor.capacity == 0:
            continue  # already full: the caller passes remaining capacity, 0 means "not now"
        params = {"mentor": mentor.label}
        if not M.eligible[j]:
            code = "training_required"
        elif cand_count_m[j] > 0:
            code = "feasible_mentees_taken"
            params["candidates"] = int(cand_count_m[j])
        else:
            code = "no_feasible_mentee"
        reason = REASON_TEMPLATES[(code, None)].format(**params)
        out.append(Unmatched(mentor.id, "mentor", code, reason, params))
    return out


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
