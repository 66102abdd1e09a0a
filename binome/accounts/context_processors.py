from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from binome.accounts import roles


def site(request: HttpRequest) -> dict[str, object]:
    """Give every template the text direction and the user's organisations for the menu."""
    user = getattr(request, "user", None)
    held = roles.roles_by_organisation(user) if user is not None else {}
    return {
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "has_staff_role": any(role in roles.STAFF_ROLES for role in held.values()),
        "has_any_role": bool(held),
        "STAFF_LANGUAGES": settings.STAFF_LANGUAGES,
    }
