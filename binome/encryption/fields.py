"""Model fields whose value is stored encrypted, and a keyed hash that lets one of them be found.

An encrypted field reads and writes plain strings in Python (forms, templates, choices and their
labels, validation all work as before) and stores a Fernet token in a text column. An empty value
stays empty in the database: "not filled in" is not hidden, and `filter(field="")` keeps working.
Any other comparison in SQL would compare with a token that is different at each encryption, so
it is refused with a FieldError instead of silently finding nothing; search with a KeyedHashField.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from binome.encryption import keys


class EncryptedExact(Exact):
    """`field=""` only: a stored token never equals a plain value."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "" and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can be compared with an empty "
                "string only (search it through its keyed hash)."
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """Encrypt on the way to the database, decrypt on the way back; "" and None stay as they are."""

    encrypted = True
    name: str
    model: type[models.Model]

    def get_internal_type(self) -> str:
        # A token is about 100 characters longer than its text: always a text column. The plain
        # value's max_length (a CharField's) is still validated.
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return keys.decrypt(value, what=f"{self.model._meta.label}.{self.name}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None or value == "" or hasattr(value, "resolve_expression"):
            return value
        return keys.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        return None  # icontains, startswith, in, gt…: a FieldError names the field

    def get_transform(self, lookup_name: str) -> Any:
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored encrypted."""


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField (choices, max_length of the plain value) stored encrypted in a text column."""


class KeyedHashField(models.CharField):
    """The keyed hash of another field's value, normalised, kept up to date at every save.

    A plain column (64 hexadecimal characters, indexed) that finds a row by the exact value of
    an encrypted field: `filter(phone_hash__in=keys.keyed_hashes(normalised))`. Saving with
    update_fields must name this field beside its source (the model's save does it).
    """

    def __init__(
        self,
        *args: Any,
        source: str = "",
        normalise: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.normalise = normalise
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normalise is not None:
            kwargs["normalise"] = self.normalise
        for default, value in {"max_length": 64, "editable": False, "db_index": True}.items():
            if kwargs.get(default, value) == value:
                kwargs.pop(default, None)
        return name, path, args, kwargs

    def text_of(self, value: str) -> str:
        """Return the normalised text that is hashed for a value of the source field."""
        value = value or ""
        return self.normalise(value) if self.normalise and value else value

    def hash_of(self, value: str) -> str:
        return keys.keyed_hash(self.text_of(value))

    def hashes_of(self, value: str) -> list[str]:
        """Return the value's hash under every key in force, to search with `__in`."""
        return keys.keyed_hashes(self.text_of(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Return the model's concrete encrypted fields."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def hash_fields(model: type[models.Model]) -> list[KeyedHashField]:
    """Return the model's keyed-hash fields."""
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
