"""What every form shares: the version of the one optimistic-locking scheme, and a service's
refusal put on the form the user sent."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from binome.core.errors import EditConflict

OUT_OF_DATE = _("This form is out of date: reload the page.")


class VersionField(forms.IntegerField):
    """The record's `version` when the form was opened (see binome.core.errors.EditConflict).

    Hidden; anything but a whole number that a database column holds is "out of date", never a
    server error.
    """

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": OUT_OF_DATE,
        "min_value": OUT_OF_DATE,
        "max_value": OUT_OF_DATE,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def keep_input_after_conflict(form: forms.BaseForm, conflict: EditConflict) -> None:
    """Keep what the user typed; saving again, now knowingly, replaces the other version."""
    # The stubs type a form's data as any Mapping; a form a view binds holds request.POST, a
    # QueryDict, immutable: its copy is mutable.
    data = cast(QueryDict, form.data).copy()
    data["version"] = str(conflict.current_version)
    form.data = data
    form.add_error(None, conflict.messages)
