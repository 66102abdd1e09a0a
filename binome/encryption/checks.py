"""System checks of the encryption keys: malformed keys always, a derived key for deployment."""

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from binome.encryption import keys


@checks.register(checks.Tags.security)
def check_keys_are_fernet_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        keys.keyring()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="encryption.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_keys_are_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not keys.keys_are_derived():
        return []
    return [
        checks.Warning(
            "FIELD_ENCRYPTION_KEYS is not set: legal statuses, phone numbers and notes are "
            "encrypted with a key derived from SECRET_KEY, which then can never change without "
            "making them unreadable.",
            hint="Set FIELD_ENCRYPTION_KEYS (python manage.py generate_field_key prints a key); "
            "if data was already written, see the README's Running in production.",
            id="encryption.W001",
        )
    ]
