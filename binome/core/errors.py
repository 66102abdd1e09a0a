"""The two ways a service refuses: a broken rule, or an edit that came too late.

Every app raises these (or a subclass named for its domain); views show them with
`binome.core.forms.add_refusal` and never guess at other exception types.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class Refused(ValidationError):
    """A change refused because it breaks a rule; its message is shown to the user as it is."""


class EditConflict(Refused):
    """Someone saved the record after the form was opened; nothing was saved.

    The project's one optimistic-locking scheme: each editable record has an integer `version`
    that every save increments under a row lock; a save that brings an older version is refused
    with the current one, so the form can keep the user's input and offer to save again.
    """

    def __init__(
        self,
        message: str,
        *,
        current_version: int | None,
        changed: list[str] | None = None,
        by: str = "",
    ):
        super().__init__(message)
        self.current_version = current_version
        self.changed = list(changed or [])
        self.by = by


def conflict_message(*, what: str, by: str = "", changed: list[str] | None = None) -> str:
    """Tell the user who saved in between and which fields they touched."""
    who = by or _("someone else")
    if changed:
        return _(
            "%(who)s saved this %(what)s while you were editing (changed: %(fields)s). "
            "Nothing was saved: your input is kept below, check it and save again."
        ) % {"who": who, "what": what, "fields": ", ".join(changed)}
    return _(
        "%(who)s saved this %(what)s while you were editing. "
        "Nothing was saved: your input is kept below, check it and save again."
    ) % {"who": who, "what": what}
