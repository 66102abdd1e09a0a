"""What an import is made of: the table read from the file, its rows, errors and duplicates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EXTENSIONS = (".csv", ".xlsx")
# A cell starting with one of these is run as a formula when the file is opened in a spreadsheet.
FORMULA_ALWAYS = ("=", "\t", "\r")
FORMULA_UNLESS_DIGIT = ("+", "-", "@")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_SHOWN = 200


class ImportRefused(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    headers: list[str]
    # (line number in the spreadsheet, cells as stripped strings); blank lines are left out.
    rows: list[tuple[int, list[str]]]

    def column_name(self, index: int) -> str:
        return self.headers[index] or gettext("Column %(letter)s") % {
            "letter": column_letter(index)
        }


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class Duplicate:
    line: int
    reason: str
    other: str  # "line 12" or the existing participant's name
    participant_id: int | None = None


@dataclass
class ParsedRow:
    line: int
    fields: dict[str, Any]
    consent: bool | None = None
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass
class Report:
    rows: list[ParsedRow]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def duplicates(self) -> list[Duplicate]:
        return [dup for row in self.rows for dup in row.duplicates]

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def invalid_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def fold(value: str) -> str:
    """Casefold and strip accents: "Éléonore" and "eleonore" compare equal."""
    decomposed = unicodedata.normalize("NFKD", (value or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def header_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value))
