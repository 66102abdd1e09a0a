"""Who may read or change a resource. 404 for missing and forbidden alike."""

from django.http import Http404

from binome.accounts.roles import FIGURES_ROLES, is_staff_of, role_in
from binome.resources import selectors
from binome.resources.models import Resource, ResourceFile


def access_resource(user: object, resource_id: int, *, staff_only: bool = False) -> Resource:
    """Return a resource its organisation's staff, or the audience it is for, may read."""
    resource = (
        Resource.objects.select_related("organisation", "programme")
        .prefetch_related("files")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise Http404
    if is_staff_of(user, resource.organisation_id):
        return resource
    if staff_only:
        raise Http404
    if role_in(user, resource.organisation_id) in FIGURES_ROLES:
        return resource
    if not selectors.readers_resources(user).filter(pk=resource.pk).exists():
        raise Http404
    return resource


def access_resource_file(user: object, resource_id: int, file_id: int) -> ResourceFile:
    """Return one file of a resource the user may read, or 404."""
    resource = access_resource(user, resource_id)
    for stored in resource.files.all():
        if stored.pk == file_id:
            stored.resource = resource
            return stored
    raise Http404
