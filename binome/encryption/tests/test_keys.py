"""The keys: encrypting, decrypting under several keys, rotating, hashing, deriving."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from binome.encryption import keys

A = Fernet.generate_key().decode()
B = Fernet.generate_key().decode()


def test_a_value_is_encrypted_differently_each_time_and_decrypted_back(settings):
    settings.FIELD_ENCRYPTION_KEYS = [A]
    first, second = keys.encrypt("+33612345678"), keys.encrypt("+33612345678")
    assert first != second
    assert "+33612345678" not in first and "33612345678" not in first
    assert keys.decrypt(first) == keys.decrypt(second) == "+33612345678"


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [A]
    under_a = keys.encrypt("réfugiée")
    settings.FIELD_ENCRYPTION_KEYS = [B, A]
    under_b = keys.encrypt("réfugiée")
    assert keys.decrypt(under_a) == keys.decrypt(under_b) == "réfugiée"
    assert not keys.is_under_first_key(under_a) and keys.is_under_first_key(under_b)
    assert keys.is_under_first_key(keys.reencrypt(under_a))

    settings.FIELD_ENCRYPTION_KEYS = [B]
    with pytest.raises(keys.UndecryptableValue, match="FIELD_ENCRYPTION_KEYS"):
        keys.decrypt(under_a, what="people.Participant.phone")
    assert keys.decrypt(under_b) == "réfugiée"


def test_the_keyed_hash_is_stable_per_key_and_listed_for_every_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [A]
    under_a = keys.keyed_hash("+33612345678")
    assert under_a == keys.keyed_hash("+33612345678") and len(under_a) == 64
    assert keys.keyed_hash("+33612345679") != under_a
    settings.FIELD_ENCRYPTION_KEYS = [B, A]
    assert keys.keyed_hash("+33612345678") != under_a
    assert keys.keyed_hashes("+33612345678") == [keys.keyed_hash("+33612345678"), under_a]
    assert keys.keyed_hash("") == "" and keys.keyed_hashes("") == []


def test_without_keys_one_is_derived_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.SECRET_KEY = "one-secret"
    assert keys.keys_are_derived()
    token = keys.encrypt("asylum_seeker")
    derived = keys.key_from_secret_key("one-secret")
    assert keys.configured_keys() == (derived,)
    assert Fernet(derived).decrypt(token.encode()) == b"asylum_seeker"
    # Another secret key cannot read it: a derived key must never change (check --deploy warns).
    settings.SECRET_KEY = "another-secret"
    with pytest.raises(keys.UndecryptableValue):
        keys.decrypt(token)


def test_a_key_that_is_not_a_fernet_key_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="generate_field_key"):
        keys.encrypt("x")


def test_blank_entries_of_the_list_are_ignored(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f" {A}", " "]
    assert keys.configured_keys() == (A,)
    assert not keys.keys_are_derived()
