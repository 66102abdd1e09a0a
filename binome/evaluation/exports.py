"""Row-level exports for the organisation's staff: participants, duos, meetings, check-ins and
answers, as CSV or XLSX, streamed.

People appear under a pseudonymous id (a keyed hash: stable across exports, not reversible
without the server's key); names, e-mails, phones and notes never appear. Legal status only for
those who may see sensitive data. Free-text answers are in the answers table: it is for the
organisation's staff only (views and commands check the role before calling this).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac

from binome.duos.models import CheckIn, Meeting
from binome.evaluation import xlsx
from binome.evaluation.figures import Scope
from binome.questionnaires.models import Answer, Item, Response, ScaleScore

TABLES = ["participants", "duos", "meetings", "checkins", "answers"]


def pseudonym(kind: str, pk: int | None) -> str:
    """A stable, non-reversible id for a person or duo in exports."""
    if pk is None:
        return ""
    digest = salted_hmac(
        "binome.evaluation.pseudonym", f"{kind}:{pk}", algorithm="sha256"
    ).hexdigest()
    return f"{kind[0].upper()}-{digest[:10]}"


def age_band(birth_year: int | None, on: datetime.date) -> str:
    if not birth_year:
        return ""
    age = on.year - birth_year
    if age < 18:
        return "<18"
    if age < 30:
        return "18-29"
    if age < 55:
        return "30-54"
    return "55+"


def _participants(scope: Scope, sensitive: bool) -> Iterator[list[Any]]:
    header = [
        "person",
        "role",
        "kind",
        "status",
        "edition",
        "gender",
        "age_band",
        "country_of_origin",
        "language",
        "joined",
    ]
    if sensitive:
        header.append("legal_status")
    yield header
    today = datetime.date.today()
    people = scope.participants().select_related("edition").order_by("pk")
    for p in people.iterator(chunk_size=2000):
        row = [
            pseudonym("person", p.pk),
            p.role,
            p.kind,
            p.status,
            p.edition.name if p.edition else "",
            p.gender,
            age_band(p.birth_year, today),
            p.country_of_origin,
            p.language,
            p.created_at.date().isoformat(),
        ]
        if sensitive:
            row.append(p.legal_status)
        yield row


def _duos(scope: Scope) -> Iterator[list[Any]]:
    yield [
        "duo",
        "mentor",
        "mentee",
        "edition",
        "status",
        "started_on",
        "planned_end_on",
        "closed_on",
        "close_reason",
        "outcomes",
        "meetings_held",
    ]
    duos = (
        scope.duos()
        .select_related("edition")
        .annotate(held=Count("meetings", filter=Q(meetings__status=Meeting.Status.HELD)))
        .order_by("pk")
    )
    for d in duos.iterator(chunk_size=2000):
        yield [
            pseudonym("duo", d.pk),
            pseudonym("person", d.mentor_id),
            pseudonym("person", d.mentee_id),
            d.edition.name if d.edition else "",
            d.status,
            d.started_on,
            d.planned_end_on,
            d.closed_on,
            d.close_reason,
            ";".join(d.outcomes or []),
            d.held,
        ]


def _meetings(scope: Scope) -> Iterator[list[Any]]:
    yield ["duo", "date", "status", "duration_minutes", "mode"]
    rows = Meeting.objects.filter(duo__in=scope.duos()).order_by("duo_id", "starts_at")
    for duo_id, at, status, minutes, mode in rows.values_list(
        "duo_id", "starts_at", "status", "duration_minutes", "mode"
    ).iterator(chunk_size=5000):
        yield [pseudonym("duo", duo_id), at.date(), status, minutes, mode]


def _checkins(scope: Scope) -> Iterator[list[Any]]:
    yield ["duo", "side", "date", "mood", "wants_call"]
    rows = CheckIn.objects.filter(duo__in=scope.duos()).order_by("duo_id", "created_at")
    for duo_id, side, at, mood, call in rows.values_list(
        "duo_id", "side", "created_at", "mood", "wants_call"
    ).iterator(chunk_size=5000):
        yield [pseudonym("duo", duo_id), side, at.date(), mood, call]


def _answers(scope: Scope) -> Iterator[list[Any]]:
    yield [
        "person",
        "questionnaire",
        "version",
        "moment",
        "occurrence",
        "language",
        "channel",
        "item",
        "kind",
        "value",
        "scale_scores",
    ]
    # The responses and items are few (tens of thousands): read once into dicts, so that the
    # answers (hundreds of thousands) are read without joins, and each row is the response's
    # cells, the item's, the value and the response's scale scores, joined once per response.
    responses = Response.objects.filter(participant__in=scope.participants())
    scores: dict[int, list[str]] = defaultdict(list)
    for rid, key, score in (
        ScaleScore.objects.filter(response__in=responses, score__isnull=False)
        .order_by("response_id", "pk")
        .values_list("response_id", "scale__key", "score")
        .iterator(chunk_size=10000)
    ):
        scores[rid].append(f"{key}={round(score or 0, 3)}")
    about: dict[int, tuple[list[Any], str]] = {}
    people: dict[int, str] = {}
    for rid, pid, qkey, version, moment, occurrence, language, channel in (
        responses.order_by()
        .values_list(
            "pk",
            "participant_id",
            "questionnaire__key",
            "version__number",
            "moment",
            "occurrence",
            "language",
            "channel",
        )
        .iterator(chunk_size=10000)
    ):
        if pid not in people:
            people[pid] = pseudonym("person", pid)
        about[rid] = (
            [people[pid], qkey, version, moment, occurrence, language, channel],
            "; ".join(scores.pop(rid, [])),
        )
    items = {
        pk: (key, kind)
        for pk, key, kind in Item.objects.filter(version__responses__in=responses)
        .distinct()
        .values_list("pk", "key", "kind")
    }
    # The choices come as the JSON text the database holds and are decoded only for the answers
    # without a number: decoding every row's choices was most of the export's time.
    answers = (
        Answer.objects.filter(response__in=responses)
        .order_by("response_id", "item_id")
        .values_list("response_id", "item_id", "number", Cast("choices", TextField()), "text")
    )
    for rid, item_id, number, choices, text in answers.iterator(chunk_size=10000):
        if number is not None:
            value: Any = number
        elif choices and (listed := json.loads(choices)):
            value = ";".join(str(c) for c in listed)
        else:
            value = text
        cells, scale_scores = about[rid]
        key, kind = items[item_id]
        yield [*cells, key, kind, value, scale_scores]


def rows(scope: Scope, table: str, *, sensitive: bool = False) -> Iterator[list[Any]]:
    """Yield the export's header then its rows."""
    if table == "participants":
        return _participants(scope, sensitive)
    if table == "duos":
        return _duos(scope)
    if table == "meetings":
        return _meetings(scope)
    if table == "checkins":
        return _checkins(scope)
    if table == "answers":
        return _answers(scope)
    raise ValueError(table)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula (answers are typed by participants)
    gets a leading apostrophe, as in the XLSX files."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > 1 and value.startswith(xlsx.FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(table_rows: Iterable[list[Any]]) -> Iterator[str]:
    """Yield CSV lines one by one (for a streaming response)."""
    writer = csv.writer(_Echo())
    for row in table_rows:
        yield writer.writerow([_cell(v) for v in row])


def write_csv(table_rows: Iterable[list[Any]], out: IO[str]) -> None:
    csv.writer(out).writerows([_cell(v) for v in row] for row in table_rows)


def write_xlsx(sheets: dict[str, Iterable[list[Any]]], out: IO[bytes] | str) -> None:
    """Write each sheet row by row (binome.evaluation.xlsx: fast, memory stays flat)."""
    xlsx.write_workbook(sheets, out)


def temporary_file() -> IO[bytes]:
    """A file deleted when closed: the response that streams it closes it."""
    return tempfile.TemporaryFile()  # noqa: SIM115


def xlsx_file(sheets: dict[str, Iterable[list[Any]]]) -> IO[bytes]:
    """Return a temporary file holding the workbook, rewound, to stream to the client."""
    handle = temporary_file()
    write_xlsx(sheets, handle)
    handle.seek(0)
    return handle


def csv_text(table_rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    write_csv(table_rows, buffer)
    return buffer.getvalue()
