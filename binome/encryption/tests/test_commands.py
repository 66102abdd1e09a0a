"""generate_field_key prints a key the settings accept, or the one derived from SECRET_KEY."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command

from binome.encryption import keys


def printed(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_field_key", *args, stdout=out)
    return out.getvalue().strip()


def test_a_new_key_is_a_fernet_key_and_new_each_time():
    first, second = printed(), printed()
    assert first != second
    Fernet(first)  # raises on a malformed key


def test_the_key_derived_from_the_secret_key_reads_what_was_written_without_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    token = keys.encrypt("refugee")
    derived = printed("--from-secret-key")
    settings.FIELD_ENCRYPTION_KEYS = [keys.new_key(), derived]
    assert keys.decrypt(token) == "refugee"
    assert not keys.is_under_first_key(token)
