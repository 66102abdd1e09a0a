"""Which roles a user holds in which organisation, and the role sets that the access rules use."""

from django.http import Http404

from binome.accounts.models import Membership, User

ADMIN = Membership.Role.ADMIN
COORDINATOR = Membership.Role.COORDINATOR
VIEWER = Membership.Role.VIEWER
# Who may create and change programmes.
ADMIN_ROLES = frozenset({ADMIN})
# Who may read and change people's records.
STAFF_ROLES = frozenset({ADMIN, COORDINATOR})
# Who may read aggregated figures.
FIGURES_ROLES = frozenset({ADMIN, COORDINATOR, VIEWER})


def _memberships(user: User) -> list[tuple[int, str, bool]]:
    """Return (organisation id, role, whether it requires a second factor), once per request.

    The organisation's setting is read through the membership by its field's name: accounts
    sits below programmes, where Organisation lives, and the one query serves both questions.
    """
    cached: list[tuple[int, str, bool]] | None = getattr(user, "_binome_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.values_list(
                "organisation_id", "role", "organisation__require_two_factor"
            )
        )
        user._binome_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles_by_organisation(user: object) -> dict[int, str]:
    """Map organisation id to the user's role there, cached on the user object for the request."""
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    cached: dict[int, str] | None = getattr(user, "_binome_roles", None)
    if cached is None:
        cached = {org: role for org, role, _required in _memberships(user)}
        user._binome_roles = cached  # type: ignore[attr-defined]
    return cached


def two_factor_required(user: object) -> bool:
    """Say whether an organisation where the user is admin or coordinator requires 2FA.

    Mentors, mentees and viewers may turn it on for themselves; they are never made to.
    """
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return any(role in STAFF_ROLES and required for _org, role, required in _memberships(user))


def role_in(user: object, organisation_id: int) -> str | None:
    return roles_by_organisation(user).get(organisation_id)


def is_staff_of(user: object, organisation_id: int) -> bool:
    return role_in(user, organisation_id) in STAFF_ROLES


def is_admin_of(user: object, organisation_id: int) -> bool:
    return role_in(user, organisation_id) == ADMIN


def may_see_sensitive(user: object, organisation_id: int) -> bool:
    """Legal status, intake notes: coordinators and admins of the organisation only."""
    return is_staff_of(user, organisation_id)


def organisation_ids(user: object, roles: frozenset[str] = STAFF_ROLES) -> list[int]:
    """Return the ids of the organisations where the user holds one of roles."""
    return [org for org, role in roles_by_organisation(user).items() if role in roles]


def require_role_somewhere(user: object, roles: frozenset[str] = FIGURES_ROLES) -> None:
    """Let through a user holding one of roles in at least one organisation, else 404."""
    if not any(role in roles for role in roles_by_organisation(user).values()):
        raise Http404
