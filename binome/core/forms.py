"""What every form shares: the version of the one optimistic-locking scheme, a service's
refusal put on the form the user sent, and text typed as a list checked item by item."""

import re
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
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


# C0 and C1 control characters except NUL, which the validators refuse with their own message.
_CONTROLS = re.compile(r"[\x01-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """Remove the invisible control characters that no keyword or theme holds."""
    return _CONTROLS.sub("", text)


class TextItemsMixin(forms.Field):
    """For a text field cleaned to a list (tags, themes): validate each item as a text.

    Django runs a field's validators on its cleaned value; on a list they see its repr, where a
    NUL is spelled "\\x00", so the NUL check passed and PostgreSQL refused the JSON (a 500).
    """

    def run_validators(self, value: Any) -> None:
        for item in value or []:
            super().run_validators(item)


def choice_list(mapping: Mapping[str, Any]) -> list[tuple[str, str]]:
    return list(mapping.items())


class CodesField(forms.MultipleChoiceField):
    """Several codes from a vocabulary (needs, supports), shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, mapping: Mapping[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=choice_list(mapping), **kwargs)


class IscoSelect(forms.Select):
    """A sector picker. Where no source publishes ISCO-08 titles in the reader's language, the
    list is the English one and says so (`lang="en" dir="ltr"`); its empty choice stays hers."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if _isco_in_english():
            context["widget"]["attrs"].update(lang="en", dir="ltr")
        return context

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] in ("", None) and _isco_in_english():
            option["attrs"].update(lang=get_language(), dir="rtl" if get_language_bidi() else "ltr")
        return option


def _isco_in_english() -> bool:
    return vocab.isco_language() != (get_language() or "en").split("-")[0]
