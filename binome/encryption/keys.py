"""The keys of the encrypted fields, and what is done with them: encrypt, decrypt, hash, rotate.

FIELD_ENCRYPTION_KEYS is a list of Fernet keys (`manage.py generate_field_key` prints a new one):
the first encrypts, every one decrypts, so a new key is put first and the old one kept behind it
until `manage.py rotate_field_keys` has re-encrypted every value with the new one.

Without the variable, the key is derived from SECRET_KEY (HKDF), so that a clone runs and tests
with no setup; a production server sets its own (`check --deploy` warns otherwise), because then
a change of SECRET_KEY would make every encrypted value unreadable.

Searching an encrypted value (a phone number) goes through a keyed hash (HMAC-SHA256): equal
values give equal hashes, which an index finds, and without the key a hash cannot be recomputed
from a guessed number. Each encryption key has its own hash key derived from it, so that
`keyed_hashes` gives the hash under every key: a search finds rows hashed under an old key too,
until the rotation has hashed them again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UndecryptableValue(ImproperlyConfigured):
    """A stored value that none of FIELD_ENCRYPTION_KEYS decrypts: a key is missing."""


def _hkdf(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def key_from_secret_key(secret_key: str) -> str:
    """Return the Fernet key derived from SECRET_KEY, used when FIELD_ENCRYPTION_KEYS is unset."""
    raw = _hkdf(secret_key.encode(), b"binome field encryption")
    return base64.urlsafe_b64encode(raw).decode()


def new_key() -> str:
    """Return a new random Fernet key (32 random bytes, URL-safe base64)."""
    return Fernet.generate_key().decode()


def configured_keys() -> tuple[str, ...]:
    """Return the keys in force, the encrypting one first."""
    keys = tuple(key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip())
    return keys or (key_from_secret_key(settings.SECRET_KEY),)


def keys_are_derived() -> bool:
    """Tell whether the one key in force is derived from SECRET_KEY (no FIELD_ENCRYPTION_KEYS)."""
    return not any(key.strip() for key in settings.FIELD_ENCRYPTION_KEYS)


@dataclass(frozen=True)
class Keyring:
    fernets: tuple[Fernet, ...]
    every_key: MultiFernet
    hash_keys: tuple[bytes, ...]


@functools.lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    try:
        fernets = tuple(Fernet(key) for key in keys)
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 bytes in URL-safe "
            "base64): `python manage.py generate_field_key` prints a new one."
        ) from error
    hash_keys = tuple(_hkdf(base64.urlsafe_b64decode(key), b"binome keyed hash") for key in keys)
    return Keyring(fernets=fernets, every_key=MultiFernet(list(fernets)), hash_keys=hash_keys)


def keyring() -> Keyring:
    """Return the Fernet objects and hash keys of the keys in force (built once per key list)."""
    return _keyring(configured_keys())


def encrypt(text: str) -> str:
    """Return the text encrypted with the first key, as a Fernet token (ASCII)."""
    return keyring().fernets[0].encrypt(text.encode()).decode()


def decrypt(token: str, *, what: str = "a value") -> str:
    """Return the text of a token that one of the keys decrypts, or raise UndecryptableValue."""
    try:
        return keyring().every_key.decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableValue(
            f"{what} cannot be decrypted with any of FIELD_ENCRYPTION_KEYS: the key it was "
            "encrypted with is missing (see README, Running in production)."
        ) from None


def is_under_first_key(token: str) -> bool:
    """Tell whether a token is already encrypted with the first key."""
    try:
        keyring().fernets[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """Return the token encrypted again with the first key (any key in force may decrypt it)."""
    try:
        return keyring().every_key.rotate(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableValue(
            "a stored value cannot be decrypted with any of FIELD_ENCRYPTION_KEYS"
        ) from None


def _hmac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def keyed_hash(text: str) -> str:
    """Return the HMAC-SHA256 of the text under the first key's hash key ("" for "")."""
    return _hmac(keyring().hash_keys[0], text) if text else ""


def keyed_hashes(text: str) -> list[str]:
    """Return the text's hash under every key in force, the first key's first."""
    return [_hmac(key, text) for key in keyring().hash_keys] if text else []
