"""ISO 639 languages: codes Binôme stores and their names in the reader's language.

Names come from CLDR (Babel) in the reader's locale, where CLDR names the language; else from
the ISO 639-3 translations pycountry ships; else the English ISO name. Lists ("A, B and C") come
from CLDR too, and names are sorted in the reader's alphabet's order (collation_key).
"""

import unicodedata
from functools import cache
from typing import TYPE_CHECKING

# Lists ("A, B and C") and the reader's locale are CLDR's, shared with dates.
from binome.reference.cldr import cldr_locale, reader_language
from binome.reference.cldr import format_list as format_list

if TYPE_CHECKING:
    from collections.abc import Iterable
    from gettext import NullTranslations

# Languages offered first in forms; any ISO 639 code is accepted on import.
COMMON_LANGUAGES = [
    "fr", "en", "ar", "prs", "ps", "fa", "ti", "uk", "ru", "es", "pt", "it", "de", "nl",
    "tr", "ku", "so", "am", "sw", "ln", "wo", "bm", "ff", "ur", "bn", "ta", "zh", "vi",
    "ro", "sq", "sr", "ka", "hy", "pl", "el", "he",
]  # fmt: skip


@cache
def _iso639() -> dict[str, str]:
    import pycountry

    by_code: dict[str, str] = {}
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        by_code[code] = lang.name
        by_code.setdefault(lang.alpha_3, lang.name)
    return by_code


@cache
def iso_translation(domain: str, language: str) -> "NullTranslations":
    import gettext

    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def is_language_code(code: str) -> bool:
    """Tell whether code is an ISO 639 code Binôme stores (alpha-2 if it exists, else alpha-3)."""
    return code in _iso639()


def normalise_language_code(code: str) -> str | None:
    """Return the stored code for an ISO 639 alpha-2/alpha-3 code or English name, else None."""
    import pycountry

    value = (code or "").strip()
    if not value:
        return None
    try:
        lang = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return getattr(lang, "alpha_2", None) or lang.alpha_3


# ISO 639-3 codes whose CLDR name is under another code (CLDR names Dari as a variety of Persian).
CLDR_CODES = {"prs": "fa_AF"}


def cldr_language_name(code: str, language: str | None = None) -> str | None:
    """The CLDR name of a language in the reader's locale, if CLDR has one."""
    locale = cldr_locale(reader_language(language))
    if locale is None:
        return None
    name = locale.languages.get(CLDR_CODES.get(code, code))
    return str(name) if name else None


def language_name(code: str, language: str | None = None) -> str:
    """Name an ISO 639 language in the user's language (or the active one)."""
    cldr = cldr_language_name(code, language)
    if cldr:
        return cldr
    english = _iso639().get(code, code)
    return iso_translation("iso639-3", reader_language(language)).gettext(english)


# Letters a language's alphabet places elsewhere than Unicode's code point order does.
_ALPHABET_ORDER = {
    # Ukrainian: а б в г ґ д е є ж з и і ї й …
    "uk": str.maketrans({"ґ": "г\uffff", "є": "е\uffff", "і": "и\uffff", "ї": "и\uffff\uffff"}),
}


def collation_key(text: str, language: str | None = None) -> str:
    """A sort key that follows the reader's alphabet: case and accents second (é sorts with e)."""
    lang = reader_language(language)
    folded = text.casefold().translate(_ALPHABET_ORDER.get(lang, {}))
    if lang != "uk":  # ukrainian й and ї are letters of their own, not accented ones
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return folded


def sort_names(
    pairs: "Iterable[tuple[str, str]]", language: str | None = None
) -> list[tuple[str, str]]:
    """Sort (code, name) pairs by name in the reader's alphabet."""
    return sorted(pairs, key=lambda pair: (collation_key(pair[1], language), pair[1]))


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (code, name) pairs for the common languages, sorted by name in the user's language."""
    return sort_names(
        ((code, language_name(code, language)) for code in COMMON_LANGUAGES), language
    )


def all_language_choices(
    language: str | None = None, first: "Iterable[str]" = ()
) -> list[tuple[str, str]]:
    """Every ISO 639 language Binôme stores, named and sorted in the reader's language; the codes
    in `first` (a programme's languages) come first, in their order."""
    first = [code for code in first if is_language_code(code)]
    rest = sort_names(
        ((code, language_name(code, language)) for code in _stored_codes() if code not in first),
        language,
    )
    return [(code, language_name(code, language)) for code in first] + rest


@cache
def _stored_codes() -> list[str]:
    import pycountry

    # Living and constructed individual languages and macrolanguages: not the extinct, ancient
    # or historical ones a person does not speak today.
    return [
        getattr(lang, "alpha_2", None) or lang.alpha_3
        for lang in pycountry.languages
        if getattr(lang, "type", "L") in {"L", "C"} and getattr(lang, "scope", "I") in {"I", "M"}
    ]


def picker_choices(
    language: str | None = None, first: "Iterable[str]" = ()
) -> list[tuple[str, str]]:
    """The languages a picker suggests: `first` (a programme's), then every language CLDR names
    in the reader's language, sorted in her alphabet. Any other ISO 639 language is still
    accepted when typed (code_for_name)."""
    lang = reader_language(language)
    first = [code for code in first if is_language_code(code)]
    return [(code, language_name(code, lang)) for code in first] + [
        pair for pair in _cldr_named(lang) if pair[0] not in first
    ]


@cache
def _cldr_named(language: str) -> list[tuple[str, str]]:
    pairs = {code: language_name(code, language) for code in COMMON_LANGUAGES}
    locale = cldr_locale(language)
    if locale is not None:
        for code in _stored_codes():
            if cldr_language_name(code, language):
                pairs[code] = language_name(code, language)
    return sort_names(pairs.items(), language)


@cache
def _codes_by_name(language: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for code in reversed(_stored_codes()):
        index[collation_key(language_name(code, language), language)] = code
    for code, name in _cldr_named(language):  # the names a picker suggests win a tie
        index[collation_key(name, language)] = code
    return index


def code_for_name(typed: str, language: str | None = None) -> str | None:
    """Return the code of a language typed by its code, its name in the reader's language, or its
    English ISO name; None if no language has that name."""
    value = " ".join((typed or "").split())
    if not value:
        return None
    if is_language_code(value.lower()):
        return value.lower()
    lang = reader_language(language)
    found = _codes_by_name(lang).get(collation_key(value, lang))
    return found or normalise_language_code(value)
