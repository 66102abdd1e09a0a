"""The audit trail as CSV, written row by row as it is read (a streamed download)."""

import csv
from collections.abc import Iterable, Iterator
from itertools import batched

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from binome.core.models import AuditEvent
from binome.privacy.selectors import AuditRow, audit_rows
from binome.programmes.models import Organisation

# Rows read and named per query: the memory a download holds, whatever its length.
BATCH = 500
# A cell starting with one of these is a formula to a spreadsheet: names typed by applicants
# could run one on the reader's machine (CSV injection), so such a cell is quoted with an '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write() returns the line, for csv.writer to format one row."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _header() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Action code"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Participant"),
        _("Details recorded"),
    ]


def _cells(row: AuditRow) -> list[str]:
    return [
        timezone.localtime(row.at).isoformat(timespec="seconds"),
        row.actor or _("system"),
        row.action,
        row.action_label,
        row.target_type,
        row.target_id,
        row.participant.display_name if row.participant else "",
        " ".join(row.detail_keys),
    ]


def csv_lines(
    *, organisation: Organisation, events: QuerySet[AuditEvent], language: str
) -> Iterator[str]:
    """Yield the CSV lines of the events, in the language of the request that asked for them."""
    writer = csv.writer(_Line())
    # The lines are made after the view has returned, when the request's language may be gone.
    with translation.override(language):
        # A byte-order mark, so that spreadsheets open the file as UTF-8 (accents, Arabic names).
        lines = ["\ufeff" + writer.writerow(_header())]
    yield from lines
    chunks: Iterable[tuple[AuditEvent, ...]] = batched(events.iterator(chunk_size=BATCH), BATCH)
    for chunk in chunks:
        with translation.override(language):
            rows = audit_rows(organisation=organisation, events=chunk)
            lines = [writer.writerow([_cell(cell) for cell in _cells(row)]) for row in rows]
        yield from lines
