from django.conf import settings
from django.utils.translation import get_language_bidi

from binome.core import access


def site(request):
    """Give every template the text direction and the user's organisations for the menu."""
    user = getattr(request, "user", None)
    roles = access.roles_by_organisation(user) if user is not None else {}
    return {
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "has_staff_role": any(role in access.STAFF_ROLES for role in roles.values()),
        "has_any_role": bool(roles),
        "STAFF_LANGUAGES": settings.STAFF_LANGUAGES,
    }
