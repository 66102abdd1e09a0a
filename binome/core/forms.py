"""Putting a service's refusal on the form the user sent."""

from django import forms
from django.core.exceptions import ValidationError

from binome.core.errors import EditConflict


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def keep_input_after_conflict(form: forms.BaseForm, conflict: EditConflict) -> None:
    """Keep what the user typed; saving again, now knowingly, replaces the other version."""
    form.data = form.data.copy()
    form.data["version"] = str(conflict.current_version)
    form.add_error(None, conflict.messages)
