from django.core.management.base import CommandError

from binome.programmes.models import Edition, Programme


def programme_and_edition(slug: str, edition_name: str | None) -> tuple[Programme, Edition | None]:
    """Find the programme by its short name (unique across organisations here) and its edition
    by name or id."""
    programmes = list(Programme.objects.select_related("organisation").filter(slug=slug)[:2])
    if not programmes:
        raise CommandError(f"No programme with the short name {slug!r}.")
    if len(programmes) > 1:
        raise CommandError(f"Several organisations have a programme {slug!r}.")
    programme = programmes[0]
    if not edition_name:
        return programme, None
    editions = Edition.objects.filter(programme=programme)
    edition = editions.filter(name=edition_name).first()
    if edition is None and edition_name.isdigit():
        edition = editions.filter(pk=int(edition_name)).first()
    if edition is None:
        known = ", ".join(editions.values_list("name", flat=True)) or "none"
        raise CommandError(f"No edition {edition_name!r} of {slug}; editions: {known}.")
    return programme, edition
