"""The password policy's check against passwords known from breaches, offline."""

import gzip
from functools import cache
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"


@cache
def _breached() -> frozenset[str]:
    # Loaded once per process (about 130,000 entries): the list shipped here (data/README.md)
    # and Django's own 20,000 common passwords, both lowercased.
    with gzip.open(BREACHED_LIST, "rt", encoding="utf-8") as shipped:
        passwords = {line.strip() for line in shipped}
    return frozenset(passwords | CommonPasswordValidator().passwords)


class BreachedPasswordValidator:
    """Refuse a password found in lists of passwords stolen from other sites.

    Attackers try these lists first, on every account they find (credential stuffing and
    spraying); checked offline, so that no password, nor a hash of one, leaves the server.
    """

    def validate(self, password: str, user: object = None) -> None:
        if password.lower().strip() in _breached():
            raise ValidationError(
                _(
                    "This password is in lists of passwords stolen from other websites, which "
                    "attackers try first. Choose another one: a few unrelated words make a "
                    "password that is strong and easy to remember."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t be one known from stolen password lists.")
