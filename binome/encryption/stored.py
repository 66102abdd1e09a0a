"""Work on the stored columns themselves, batch by batch, with plain SQL.

Three passes share the walk: encrypting the plain values of a column that has just become
encrypted (a data migration), decrypting them back (its reverse), and re-encrypting every value
with the first key (`manage.py rotate_field_keys`). Each write is conditional on the value read
(`WHERE pk = … AND column = old`), so that a value saved by a user meanwhile is never overwritten
with an older one: it was written with the first key anyway. None of them touches `updated_at`
or `version`: a form open on the row stays valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import connections, transaction
from django.db.models import Model

from binome.encryption import keys
from binome.encryption.fields import encrypted_fields, hash_fields

BATCH_SIZE = 500


def _rows(
    alias: str, table: str, pk: str, columns: Sequence[str], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield the rows (pk first) in batches of increasing pk, each batch read in a transaction."""
    quote = connections[alias].ops.quote_name
    selected = ", ".join(quote(column) for column in [pk, *columns])
    last: Any = None
    while True:
        where = f"WHERE {quote(pk)} > %s " if last is not None else ""
        sql = f"SELECT {selected} FROM {quote(table)} {where}ORDER BY {quote(pk)} LIMIT %s"  # noqa: S608 (names from the models, values as parameters)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [last, batch_size] if last is not None else [batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _write(
    alias: str, table: str, pk: str, row_pk: Any, column: str, new: Any, *, if_column: str, was: Any
) -> bool:
    """Set one value if `if_column` still holds the value read; tell whether it did."""
    quote = connections[alias].ops.quote_name
    sql = (
        f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608 (names from the models)
        f"WHERE {quote(pk)} = %s AND {quote(if_column)} = %s"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [new, row_pk, was])
        return cursor.rowcount == 1


def _is_token(value: str) -> bool:
    try:
        keys.keyring().every_key.decrypt(value.encode())
    except InvalidToken:
        return False
    return True


@dataclass(frozen=True)
class Hashed:
    """A keyed-hash column of a table, the column it hashes and how its text is normalised."""

    column: str
    source: str
    normalise: Callable[[str], str] | None = None

    def of(self, plain: str) -> str:
        text = self.normalise(plain) if self.normalise and plain else plain
        return keys.keyed_hash(text)


def encrypt_columns(
    schema_editor: Any,
    table: str,
    columns: Sequence[str],
    hashed: Sequence[Hashed] = (),
    pk: str = "id",
    batch_size: int = BATCH_SIZE,
) -> int:
    """Encrypt the plain values of the columns and fill the hash columns; return values encrypted.

    For a data migration (RunPython): values that are already tokens are left as they are, so it
    may run again.
    """
    alias = schema_editor.connection.alias
    sources = list(dict.fromkeys(h.source for h in hashed if h.source not in columns))
    done = 0
    for rows in _rows(alias, table, pk, [*columns, *sources], batch_size):
        with transaction.atomic(using=alias):
            for row in rows:
                values = dict(zip([*columns, *sources], row[1:], strict=True))
                for column in columns:
                    value = values[column]
                    if not value or _is_token(value):
                        continue
                    # Hashes first: their condition is on the value read, still plain.
                    for h in (h for h in hashed if h.source == column):
                        digest = h.of(value)
                        _write(
                            alias, table, pk, row[0], h.column, digest, if_column=column, was=value
                        )
                    encrypted = keys.encrypt(value)
                    done += _write(
                        alias, table, pk, row[0], column, encrypted, if_column=column, was=value
                    )
                for h in (h for h in hashed if h.source not in columns):
                    digest = h.of(values[h.source] or "")
                    _write(
                        alias,
                        table,
                        pk,
                        row[0],
                        h.column,
                        digest,
                        if_column=h.source,
                        was=values[h.source],
                    )
    return done


def decrypt_columns(
    schema_editor: Any,
    table: str,
    columns: Sequence[str],
    pk: str = "id",
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write the columns' values back in plain text (a data migration's reverse)."""
    alias = schema_editor.connection.alias
    done = 0
    for rows in _rows(alias, table, pk, columns, batch_size):
        with transaction.atomic(using=alias):
            for row in rows:
                for column, value in zip(columns, row[1:], strict=True):
                    if value and _is_token(value):
                        plain = keys.decrypt(value)
                        done += _write(
                            alias, table, pk, row[0], column, plain, if_column=column, was=value
                        )
    return done


def _column(model_field: Any) -> str:
    column: str = model_field.column
    return column


@dataclass
class Counts:
    """What the rotation did to one model."""

    label: str
    reencrypted: int = 0
    already_current: int = 0
    changed_meanwhile: int = 0
    hashes_updated: int = 0
    fields: list[str] = field(default_factory=list)


def rotate_model(
    model: type[Model], *, using: str = "default", batch_size: int = BATCH_SIZE
) -> Counts:
    """Re-encrypt the model's encrypted values with the first key and hash them again with it."""
    meta = model._meta
    encrypted = encrypted_fields(model)
    hashes = hash_fields(model)
    counts = Counts(label=meta.label, fields=[f.name for f in encrypted])
    by_column = {_column(f): f for f in encrypted}
    sources = {_column(h): _column(meta.get_field(h.source)) for h in hashes}
    columns = list(dict.fromkeys([*by_column, *sources.values(), *sources]))
    pk = _column(meta.pk)
    table = meta.db_table
    for rows in _rows(using, table, pk, columns, batch_size):
        with transaction.atomic(using=using):
            for row in rows:
                values = dict(zip(columns, row[1:], strict=True))
                # Hashes first: their condition is on the source as read, before re-encryption.
                for h in hashes:
                    hash_column = _column(h)
                    source = sources[hash_column]
                    stored = values[source]
                    plain = stored or ""
                    if stored and source in by_column:
                        plain = keys.decrypt(stored, what=f"{meta.label}.{h.source}")
                    expected = h.hash_of(plain)
                    if values[hash_column] != expected:
                        counts.hashes_updated += _write(
                            using,
                            table,
                            pk,
                            row[0],
                            hash_column,
                            expected,
                            if_column=source,
                            was=stored,
                        )
                for column in by_column:
                    token = values[column]
                    if not token:
                        continue
                    if keys.is_under_first_key(token):
                        counts.already_current += 1
                        continue
                    new = keys.reencrypt(token)
                    written = _write(
                        using, table, pk, row[0], column, new, if_column=column, was=token
                    )
                    counts.reencrypted += written
                    counts.changed_meanwhile += not written
    return counts
