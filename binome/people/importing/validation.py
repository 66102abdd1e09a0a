"""Validation of the whole file, row by row, then the duplicates in the file and the programme."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from binome.encryption.keys import keyed_hashes
from binome.people.fields import phone_key
from binome.people.importing.columns import FIELDS
from binome.people.importing.records import Duplicate, ParsedRow, Report, RowError, Table, fold
from binome.people.importing.values import PARSERS
from binome.people.models import Participant
from binome.programmes.models import Programme


def mapping_problems(mapping: list[str], default_role: str = "") -> list[str]:
    """Say what is wrong with a column mapping as a whole (translated), or nothing."""
    chosen = [name for name in mapping if name]
    problems = []
    for name in sorted({n for n in chosen if chosen.count(n) > 1}):
        problems.append(
            gettext("“%(field)s” is chosen for several columns: keep one.")
            % {"field": FIELDS[name][0]}
        )
    if not {"first_name", "last_name"} & set(chosen):
        problems.append(gettext("Choose the column that holds the first name or the last name."))
    if "role" not in chosen and not default_role:
        problems.append(
            gettext("Choose the column that holds the role, or a role for every participant.")
        )
    return problems


def validate(
    table: Table, mapping: list[str], *, programme: Programme, default_role: str = ""
) -> Report:
    """Parse every row with the mapping and flag likely duplicates; write nothing."""
    rows = parse_rows(table, mapping, default_role=default_role)
    flag_duplicates(rows, programme=programme)
    return Report(rows=rows)


def parse_rows(table: Table, mapping: list[str], *, default_role: str = "") -> list[ParsedRow]:
    """Turn each row into participant fields, or errors by line and column."""
    columns = [(index, name) for index, name in enumerate(mapping) if name]
    rows = []
    for line, cells in table.rows:
        row = ParsedRow(line=line, fields={})
        for index, name in columns:
            value = cells[index] if index < len(cells) else ""
            if value == "" or value == "-":
                continue
            try:
                parsed = PARSERS[name](value)
            except ValidationError as error:
                row.errors.append(RowError(line, table.column_name(index), error.messages[0]))
                continue
            if name == "consent":
                row.consent = parsed
            else:
                row.fields[name] = parsed
        _check_required(row, table, mapping, default_role)
        rows.append(row)
    return rows


def _column_of(table: Table, mapping: list[str], name: str) -> str:
    if name in mapping:
        return table.column_name(mapping.index(name))
    return str(FIELDS[name][0])


def _check_required(row: ParsedRow, table: Table, mapping: list[str], default_role: str) -> None:
    failed = {error.column for error in row.errors}
    if not row.fields.get("first_name") and not row.fields.get("last_name"):
        column = _column_of(table, mapping, "last_name" if "last_name" in mapping else "first_name")
        if column not in failed:
            row.errors.append(
                RowError(row.line, column, gettext("A first or last name is required."))
            )
    if "role" not in row.fields:
        if default_role:
            row.fields["role"] = default_role
        elif _column_of(table, mapping, "role") not in failed:
            row.errors.append(
                RowError(
                    row.line,
                    _column_of(table, mapping, "role"),
                    gettext("The role is required: mentor or mentee."),
                )
            )


def name_key(first: str, last: str, birth_year: int | None) -> tuple[str, str, int] | None:
    if not birth_year or not (first or last):
        return None
    return (fold(first), fold(last), int(birth_year))


def flag_duplicates(rows: list[ParsedRow], *, programme: Programme) -> None:
    """Flag rows that look like a participant already in the programme or an earlier row."""
    # Phones are encrypted: compared by their keyed hash, which the database gives without
    # decrypting each one (a row's phone is hashed under every key in force, so that rows
    # hashed under an older key during a rotation still match).
    existing = Participant.objects.filter(programme=programme).values_list(
        "pk", "first_name", "last_name", "email", "phone_hash", "birth_year"
    )
    seen: dict[tuple, tuple[str, int | None]] = {}
    for pk, first, last, email, phone_hash, birth_year in existing.iterator(chunk_size=2000):
        label = f"{first} {last}".strip()
        for key in _keys(first, last, email, [phone_hash] if phone_hash else [], birth_year):
            seen.setdefault(key, (label, pk))
    for row in rows:
        f = row.fields
        phone = f.get("phone", "")
        keys = _keys(
            f.get("first_name", ""),
            f.get("last_name", ""),
            f.get("email", ""),
            keyed_hashes(phone_key(phone)) if phone else [],
            f.get("birth_year"),
        )
        found = set()
        for key in keys:
            if key in seen and (key[0], seen[key]) not in found:
                found.add((key[0], seen[key]))  # one phone, hashed under several keys: once
                other, other_pk = seen[key]
                row.duplicates.append(Duplicate(row.line, _reason(key[0]), other, other_pk))
        for key in keys:
            seen.setdefault(key, (gettext("line %(line)s") % {"line": row.line}, None))


def _keys(
    first: str, last: str, email: str, phone_hashes: list[str], birth_year: int | None
) -> list[tuple]:
    keys: list[tuple] = []
    if email:
        keys.append(("email", email.casefold()))
    keys += [("phone", phone_hash) for phone_hash in phone_hashes]
    name = name_key(first, last, birth_year)
    if name:
        keys.append(("name", *name))
    return keys


def _reason(kind: str) -> str:
    return {
        "email": gettext("same e-mail"),
        "phone": gettext("same phone"),
        "name": gettext("same name and birth year"),
    }[kind]
