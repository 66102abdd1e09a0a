"""ISO 639 languages: codes Binôme stores and their names in the reader's language."""

from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import get_language

if TYPE_CHECKING:
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


def language_name(code: str, language: str | None = None) -> str:
    """Name an ISO 639 language in the user's language (or the active one)."""
    english = _iso639().get(code, code)
    lang = (language or get_language() or "en").split("-")[0]
    return iso_translation("iso639-3", lang).gettext(english)


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (code, name) pairs for the common languages, sorted by name in the user's language."""
    pairs = [(code, language_name(code, language)) for code in COMMON_LANGUAGES]
    return sorted(pairs, key=lambda pair: pair[1].casefold())
