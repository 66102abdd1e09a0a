"""May this user touch this organisation or programme? 404 for missing and forbidden alike."""

from django.db.models import Q, QuerySet
from django.http import Http404

from binome.accounts.models import Membership
from binome.accounts.roles import ADMIN, STAFF_ROLES, organisation_ids, role_in
from binome.programmes.models import Edition, Organisation, Programme, VocabularyItem


def organisations_for(user: object, roles: frozenset[str] = STAFF_ROLES) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids(user, roles))


def programmes_for(user: object, roles: frozenset[str] = STAFF_ROLES) -> QuerySet[Programme]:
    return Programme.objects.filter(
        organisation_id__in=organisation_ids(user, roles)
    ).select_related("organisation")


def access_organisation(
    user: object, organisation_id: int, roles: frozenset[str] = STAFF_ROLES
) -> Organisation:
    if role_in(user, organisation_id) not in roles:
        raise Http404
    return Organisation.objects.get(pk=organisation_id)


def access_programme(
    user: object, programme_id: int, roles: frozenset[str] = STAFF_ROLES
) -> Programme:
    programme = Programme.objects.select_related("organisation").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    if role_in(user, programme.organisation_id) not in roles:
        raise Http404
    return programme


def access_listed_programme(organisation_slug: str, programme_slug: str) -> Programme:
    """Return a programme shown in the public directory, for anyone, or 404."""
    programme = (
        Programme.objects.select_related("organisation")
        .filter(organisation__slug=organisation_slug, slug=programme_slug)
        .first()
    )
    if programme is None:
        raise Http404
    if not programme.listed:
        raise Http404
    return programme


def access_resettable_member(user: object, organisation: Organisation, user_id: int) -> Membership:
    """Return the membership whose second factor an admin of organisation may reset, or 404.

    Another member of the organisation, not an admin: an admin's own factor is theirs to
    change, and one admin may not strip another's. The factor guards the account everywhere, so
    a member who is also staff of an organisation this admin does not run is left alone too.
    """
    if role_in(user, organisation.pk) != ADMIN:
        raise Http404
    membership = (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, user_id=user_id)
        .exclude(role=ADMIN)
        .first()
    )
    if membership is None:
        raise Http404
    if user_id in reset_refused(user, [user_id]):
        raise Http404
    return membership


def reset_refused(user: object, user_ids: list[int]) -> set[int]:
    """Return those of user_ids whose second factor user may not reset: admins anywhere, and
    staff of an organisation user does not run as its admin."""
    actor_id: int = getattr(user, "pk", 0) or 0
    run_by_actor = Membership.objects.filter(user_id=actor_id, role=ADMIN).values("organisation")
    return set(
        Membership.objects.filter(user_id__in=user_ids)
        .filter(Q(role=ADMIN) | ~Q(organisation__in=run_by_actor))
        .values_list("user_id", flat=True)
    )


def access_edition(user: object, edition_id: int, roles: frozenset[str] = STAFF_ROLES) -> Edition:
    edition = (
        Edition.objects.select_related("programme__organisation").filter(pk=edition_id).first()
    )
    if edition is None:
        raise Http404
    if role_in(user, edition.programme.organisation_id) not in roles:
        raise Http404
    return edition


def access_vocabulary_item(
    user: object, item_id: int, roles: frozenset[str] = STAFF_ROLES
) -> VocabularyItem:
    item = (
        VocabularyItem.objects.select_related("programme__organisation").filter(pk=item_id).first()
    )
    if item is None:
        raise Http404
    if role_in(user, item.programme.organisation_id) not in roles:
        raise Http404
    return item
