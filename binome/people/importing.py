"""Bulk import of participants from the spreadsheets organisations already keep.

Four steps, each a plain function so that the views and `bench/import.py` share them:
`read_table` (bytes → header and rows, refusing what is unsafe), `guess_mapping` (header names →
fields), `validate` (rows → participants to create, errors by line and column, likely duplicates)
and `participants_import` (one transaction of bulk inserts and one audit row).

Line numbers are those the coordinator sees in the spreadsheet: the header is line 1.
"""

import csv
import io
import json
import os
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.audit import audit
from binome.people.fields import normalise_phone
from binome.people.models import Consent, Participant, StatusChange
from binome.reference import geography, languages

EXTENSIONS = (".csv", ".xlsx")
# A cell starting with one of these is run as a formula when the file is opened in a spreadsheet.
FORMULA_ALWAYS = ("=", "\t", "\r")
FORMULA_UNLESS_DIGIT = ("+", "-", "@")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_SHOWN = 200


class ImportRefused(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""

    def __init__(self, message):
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
    fields: dict
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


# ---------------------------------------------------------------------------------------------
# Reading the file
#
# One coordinator's file must not take the service down for everybody: besides the size of the
# upload (IMPORT_MAX_BYTES) and the number of participants (IMPORT_MAX_ROWS), the columns
# (IMPORT_MAX_COLUMNS), the cells, what an XLSX unpacks to and the time spent reading are
# bounded, and each is checked while reading, before the work it would cost is done.

MAX_CELLS = 1_000_000  # rows × columns, blank cells included
MAX_UNPACKED_MB = 50  # an XLSX is a zip: its parts once unpacked
MAX_PACKING_RATIO = 100  # real sheets unpack to 5 to 20 times their packed size
# Only the parts that hold the data may be big: the sheets, read row by row, and the shared
# strings. The others (styles, workbook, properties) are read whole into many objects as the
# workbook opens: 25 MB of styles took 11 s and 440 MB.
MAX_PART_MB = 5
DATA_PART_RE = re.compile(r"xl/(?:worksheets/[^/]+|sharedStrings)\.xml", re.IGNORECASE)
SHARED_STRING_RE = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
READ_SECONDS = 20
# csv.Sniffer's regular expressions take seconds on 20 kB of quotes and line breaks; the first
# lines are enough to tell the delimiter.
SNIFF_CHARS = 4096
# Control characters have no place in a cell and PostgreSQL refuses NUL; tab, line feed and
# carriage return are kept (delimiters, line breaks in a cell).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Budget:
    """The cells and the time reading one file may cost; past either the file is refused."""

    def __init__(self):
        self.cells = 0
        self.deadline = time.monotonic() + READ_SECONDS

    def spend(self, cells: int) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise self.too_many_cells()
        self.check_time()

    def too_many_cells(self) -> ImportRefused:
        return ImportRefused(
            _(
                "The file has too many cells: at most %(max)s (rows × columns, empty ones "
                "included) can be imported at once. Delete the unused columns and rows, or split "
                "the file."
            )
            % {"max": MAX_CELLS}
        )

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportRefused(
                _(
                    "Reading the file was stopped after %(seconds)s seconds. Split it into "
                    "smaller files and import them one after the other."
                )
                % {"seconds": READ_SECONDS}
            )


def _too_many_columns(line: int) -> ImportRefused:
    return ImportRefused(
        _(
            "Line %(line)s has too many columns: at most %(max)s can be imported. Delete the "
            "columns you do not need and retry."
        )
        % {"line": line, "max": settings.IMPORT_MAX_COLUMNS}
    )


def too_big_message() -> str:
    return _("The file is too big: at most %(size)s MB can be imported at once.") % {
        "size": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)
    }


def read_table(data: bytes, filename: str) -> Table:
    """Read a CSV or XLSX upload into a table, or raise ImportRefused with a clear reason."""
    extension = Path(filename or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise ImportRefused(_("Only CSV and XLSX (Excel) files can be imported."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(too_big_message())
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    budget = _Budget()
    raw = _read_xlsx(data, budget) if extension == ".xlsx" else _read_csv(data, budget)
    return _to_table(raw)


def _read_csv(data: bytes, budget: _Budget):
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise ImportRefused(_("This file is not a CSV text file. Save it as CSV UTF-8 and retry."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "The file is not in UTF-8, so accents and non-Latin letters would be garbled. "
                "In your spreadsheet, choose “Save as” → “CSV UTF-8” and upload that file."
            )
        ) from None
    text = CONTROL_RE.sub("", text)
    sample = text[:SNIFF_CHARS]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=first.count)
    max_columns = settings.IMPORT_MAX_COLUMNS
    # The delimiters of the row being read are counted as its lines come in, so that a row of
    # a million fields is refused before the csv module builds it. Quoted delimiters count
    # too: hence the room left here, and the exact count once the row is built.
    most_delimiters = 10 * max_columns
    line = 1
    delimiters = 0

    def lines():
        nonlocal delimiters
        for text_line in io.StringIO(text, newline=""):
            delimiters += text_line.count(delimiter)
            if delimiters > most_delimiters:
                raise _too_many_columns(line)
            yield text_line

    try:
        for cells in csv.reader(lines(), delimiter=delimiter):
            budget.spend(max(len(cells), 1))
            while cells and not cells[-1].strip():
                cells.pop()
            if len(cells) > max_columns:
                raise _too_many_columns(line)
            yield cells
            line += 1
            delimiters = 0
    except csv.Error:
        raise ImportRefused(_("The CSV file is malformed (unbalanced quotes).")) from None


def _read_xlsx(data: bytes, budget: _Budget):
    import openpyxl

    invalid = ImportRefused(_("This file is not a valid XLSX (Excel) workbook."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise invalid from None
    with archive:
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= set(archive.namelist()):
            raise invalid
        _check_parts(archive, budget)
        # openpyxl opens the workbook: shared strings, date styles, where the first sheet is.
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a broken file
            raise invalid from None
        try:
            budget.check_time()
            try:
                sheet = workbook.worksheets[0]
                reader = _SheetReader(sheet, budget)
                with archive.open(sheet._worksheet_path) as source:
                    yield from reader.rows(source)
            except ImportRefused:
                raise
            except Exception:  # noqa: BLE001 - a damaged sheet fails while it is read
                raise invalid from None
        finally:
            workbook.close()


SHEET_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class _SheetReader:
    """Read the rows of a sheet's XML as a stream, stopping at the column and cell limits.

    openpyxl's iter_rows(max_col=…) builds a row whole, as a million objects for a million
    cells, before cutting it; expat builds nothing, and the reading stops at the first value
    past the column limit. The values are those openpyxl gives with data_only=True.
    """

    def __init__(self, sheet, budget: _Budget):
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso = from_excel, from_ISO8601
        # What openpyxl read as it opened the workbook, kept on its read-only sheet.
        workbook = sheet.parent
        self.strings = sheet._shared_strings
        self.epoch = workbook.epoch
        self.date_styles = workbook._date_formats
        self.duration_styles = workbook._timedelta_formats
        self.budget = budget
        self.max_columns = settings.IMPORT_MAX_COLUMNS
        self.ready: list[list[str]] = []
        self.line = 0
        self.cells: list[str] | None = None
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.text: list[str] | None = None
        self.in_phonetic = False
        self.elements = 0

    def rows(self, source):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        # A worksheet declares no entity; one that does may be an entity bomb.
        parser.EntityDeclHandler = self.refuse_entities
        while chunk := source.read(64 * 1024):
            parser.Parse(chunk, False)
            yield from self.ready
            self.ready.clear()
        parser.Parse(b"", True)
        yield from self.ready

    def start(self, name, attributes):
        self.elements += 1
        if self.elements % 10_000 == 0:
            self.budget.check_time()
        namespace, _space, tag = name.rpartition(" ")
        if namespace != SHEET_NAMESPACE:
            return
        if tag == "c":
            self.column = _column_number(attributes.get("r", "")) or self.column + 1
            self.kind = attributes.get("t", "n")
            self.style = int(attributes.get("s") or 0)
            self.value = self.inline = None
            # Empty cells cost their reading too.
            self.budget.cells += 1
            if self.budget.cells > MAX_CELLS:
                raise self.budget.too_many_cells()
        elif tag == "v":
            self.text = []
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None and not self.in_phonetic:
            self.text = []
        elif tag == "rPh":
            self.in_phonetic = True
        elif tag == "row":
            line = int(float(attributes.get("r") or self.line + 1))
            if line <= self.line:  # out of order: openpyxl skips it too
                self.cells = None
                return
            self.budget.spend(line - self.line - 1)  # the blank lines before it
            self.ready.extend([] for _blank in range(self.line + 1, line))
            self.line = line
            self.cells = []
            self.column = 0

    def characters(self, data):
        if self.text is not None:
            self.text.append(data)

    def end(self, name):
        namespace, _space, tag = name.rpartition(" ")
        if namespace != SHEET_NAMESPACE:
            return
        if tag == "v" and self.text is not None:
            self.value = "".join(self.text)
            self.text = None
        elif tag == "t" and self.text is not None and self.inline is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "c" and self.cells is not None:
            text = _cell_text(self.cell_value())
            if text:
                if self.column > self.max_columns:
                    raise _too_many_columns(self.line)
                if self.column > len(self.cells):
                    self.cells.extend([""] * (self.column - len(self.cells)))
                self.cells[self.column - 1] = text
        elif tag == "row" and self.cells is not None:
            self.budget.spend(0 if self.cells else 1)
            self.ready.append(self.cells)
            self.cells = None

    def cell_value(self):
        """The cell's value as openpyxl reads it (WorkSheetParser.parse_cell, data_only)."""
        kind, value = self.kind, self.value
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        if not value:
            return None
        if kind == "n":
            number = float(value) if "." in value or "e" in value.lower() else int(value)
            if self.style not in self.date_styles:
                return number
            try:
                return self.from_excel(
                    number, self.epoch, timedelta=self.style in self.duration_styles
                )
            except (OverflowError, ValueError):
                return "#VALUE!"
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return self.from_iso(value)
        return value  # "str" (a formula's text) and "e" (an error such as #N/A)

    def refuse_entities(self, *_args):
        raise ImportRefused(_("This file is not a valid XLSX (Excel) workbook."))


def _check_parts(archive: zipfile.ZipFile, budget: _Budget) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before openpyxl opens it."""
    # zipfile never unpacks a part beyond its declared size, so these figures bound the work.
    parts = archive.infolist()
    if sum(part.file_size for part in parts) > MAX_UNPACKED_MB * 1024 * 1024:
        raise ImportRefused(
            _(
                "Once unpacked, this XLSX file would take more than %(size)s MB. Keep only the "
                "sheet of participants, or split the file."
            )
            % {"size": MAX_UNPACKED_MB}
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_PACKING_RATIO * max(
            part.compress_size, 1
        ):
            raise ImportRefused(
                _(
                    "This XLSX file is not a normal workbook: a part of it unpacks to more than "
                    "%(ratio)s times its size."
                )
                % {"ratio": MAX_PACKING_RATIO}
            )
        if not DATA_PART_RE.fullmatch(part.filename) and part.file_size > MAX_PART_MB * 1024**2:
            raise ImportRefused(
                _(
                    "This XLSX file is not a normal workbook: its part “%(part)s” takes more "
                    "than %(size)s MB."
                )
                % {"part": part.filename[:100], "size": MAX_PART_MB}
            )
    # openpyxl keeps every shared string in memory as the workbook opens: count them first.
    strings = 0
    for part in parts:
        if DATA_PART_RE.fullmatch(part.filename):
            strings += _count_shared_strings(archive, part)
            if strings > MAX_CELLS:
                raise budget.too_many_cells()


def _count_shared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    count = 0
    rest = b""
    with archive.open(part) as source:
        while chunk := source.read(1024 * 1024):
            chunk = rest + chunk
            # A tag starts at a "<" and holds no other: cut before the last one.
            cut = chunk.rfind(b"<")
            if cut < 0:
                rest = b""
                continue
            count += len(SHARED_STRING_RE.findall(chunk, 0, cut))
            rest = chunk[cut : cut + 64]
    return count + len(SHARED_STRING_RE.findall(rest))


def _column_number(reference: str) -> int:
    """The column of a cell reference ("AB12" → 28), or 0 if it has none."""
    number = 0
    for char in reference.upper():
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# The first characters that make a cell worth a closer look: a formula's, or a blank before one.
SUSPECT_FIRST = frozenset(FORMULA_ALWAYS + FORMULA_UNLESS_DIGIT) | frozenset(
    char for char in map(chr, range(0x3001)) if char.isspace()
)


def _formula_char(value: str) -> str:
    """The character that makes a spreadsheet run the cell as a formula, or ""."""
    if not value or value[0] not in SUSPECT_FIRST:
        return ""
    if value[0] in FORMULA_ALWAYS:
        return value[0]
    # Spreadsheets skip leading blanks: " =HYPERLINK(…)" is run as a formula too.
    value = value.lstrip()
    if value[:1] == "=":
        return "="
    if value[:1] in FORMULA_UNLESS_DIGIT and len(value) > 1 and not value[1].isdigit():
        return value[0]
    return ""


def _formula_risk(value: str) -> bool:
    return bool(_formula_char(value))


def _to_table(raw) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    limit = settings.IMPORT_MAX_ROWS
    for line, cells in enumerate(raw, start=1):
        for index, cell in enumerate(cells):
            if not cell or cell[0] not in SUSPECT_FIRST:
                continue
            char = _formula_char(cell)
            if char:
                name = headers[index] if headers and index < len(headers) else ""
                raise ImportRefused(
                    _(
                        "Line %(line)s, column “%(column)s”: the cell starts with “%(char)s”, "
                        "which spreadsheets run as a formula. Remove that character and retry."
                    )
                    % {
                        "line": line,
                        "column": name or column_letter(index),
                        "char": {"\t": "⇥", "\r": "↵"}.get(char, char),
                    }
                )
        cells = [cell.strip() for cell in cells]
        if headers is None:
            if any(cells):
                headers = cells
            continue
        if not any(cells):
            continue
        rows.append((line, cells))
        if len(rows) > limit:
            raise ImportRefused(
                _("The file has too many rows: at most %(max)s can be imported at once.")
                % {"max": limit}
            )
    if headers is None:
        raise ImportRefused(_("The file is empty."))
    while headers and not headers[-1]:
        headers.pop()
    if not rows:
        raise ImportRefused(_("The file has a header line but no participant below it."))
    width = max(len(headers), *(len(cells) for _line, cells in rows))
    headers += [""] * (width - len(headers))
    return Table(headers=headers, rows=[(n, c + [""] * (width - len(c))) for n, c in rows])


# ---------------------------------------------------------------------------------------------
# Keeping the table between steps: read once, kept as JSON in a private file named by a random
# token kept in the session


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store_table(table: Table, filename: str) -> dict:
    """Save an accepted file's table privately and return what the session keeps about it."""
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale(directory)
    token = secrets.token_urlsafe(24)
    # Private from its creation, before any personal data is written in it.
    descriptor = os.open(directory / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        json.dump(
            {"headers": table.headers, "rows": table.rows},
            file,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    return {"token": token, "name": Path(filename).name[:120]}


def stored_path(info: dict | None) -> Path | None:
    if not info or not TOKEN_RE.match(str(info.get("token", ""))):
        return None
    path = import_dir() / f"{info['token']}.json"
    return path if path.is_file() else None


def load_stored(info: dict | None) -> Table | None:
    path = stored_path(info)
    if path is None:
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return Table(
            headers=stored["headers"], rows=[(line, cells) for line, cells in stored["rows"]]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def delete_stored(info: dict | None) -> None:
    path = stored_path(info)
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_stale(directory: Path, max_age_seconds: int = 24 * 3600) -> None:
    """Abandoned imports hold personal data: remove files left for more than a day."""
    limit = time.time() - max_age_seconds
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


# ---------------------------------------------------------------------------------------------
# Columns: what each can hold, and the header names that announce it

FIELDS = {
    "first_name": (_("First name"), ["prénom", "prenom", "first name", "firstname", "given name"]),
    "last_name": (
        _("Last name"),
        ["nom", "nom de famille", "last name", "lastname", "surname", "family name"],
    ),
    "email": (_("E-mail"), ["e-mail", "email", "courriel", "mail", "adresse e-mail"]),
    "phone": (
        _("Phone"),
        ["téléphone", "telephone", "tél", "tel", "phone", "mobile", "portable", "gsm"],
    ),
    "role": (_("Role"), ["rôle", "role", "type", "profil", "mentor ou mentee"]),
    "languages": (
        _("Languages"),
        ["langues", "langue", "languages", "language", "langues parlées"],
    ),
    "city": (_("City"), ["ville", "city", "commune", "town", "localité"]),
    "birth_year": (
        _("Birth year"),
        ["année de naissance", "annee naissance", "birth year", "year of birth", "naissance"],
    ),
    "gender": (_("Gender"), ["genre", "gender", "sexe", "sex"]),
    "gender_preference": (
        _("Gender preference"),
        ["préférence de genre", "gender preference", "préférence genre binôme"],
    ),
    "sector": (_("Sector (ISCO-08)"), ["secteur", "sector", "isco", "code isco", "métier isco"]),
    "occupation": (_("Occupation"), ["métier", "profession", "occupation", "job", "emploi"]),
    "needs": (_("Needs"), ["besoins", "besoin", "needs", "objectifs", "goals"]),
    "offers": (_("Support offered"), ["soutiens", "accompagnement proposé", "offers", "support"]),
    "availability": (_("Availability"), ["disponibilités", "disponibilites", "availability"]),
    "mode_preference": (_("Mode"), ["mode", "modalité", "meeting mode", "présentiel ou distance"]),
    "max_distance_km": (
        _("Maximum distance (km)"),
        ["distance max", "distance maximale", "max distance", "distance km"],
    ),
    "capacity": (_("Mentees at once"), ["capacité", "capacity", "nombre de mentorés"]),
    "status": (_("Status"), ["statut", "status", "étape", "stage"]),
    "country_of_origin": (
        _("Country of origin"),
        ["pays d'origine", "pays", "country", "country of origin", "nationalité", "nationality"],
    ),
    "legal_status": (
        _("Legal status"),
        ["statut légal", "statut administratif", "legal status", "residence status", "titre"],
    ),
    "interests": (_("Interests"), ["centres d'intérêt", "intérêts", "interests", "loisirs"]),
    "skills": (_("Skills"), ["compétences", "skills"]),
    "motivations": (_("Motivations"), ["motivations", "motivation"]),
    "consent": (
        _("Consent given"),
        ["consentement", "consent", "rgpd", "gdpr", "accord données", "consent given"],
    ),
}


def field_choices():
    return [(name, label) for name, (label, _synonyms) in FIELDS.items()]


@cache
def _synonym_index() -> dict[str, str]:
    index = {}
    for name, (_label, synonyms) in FIELDS.items():
        for synonym in [name, *synonyms]:
            index.setdefault(header_key(synonym), name)
    return index


def guess_mapping(headers: list[str]) -> list[str]:
    """Guess the field of each column from its header name ("" to ignore it), each field once."""
    index = _synonym_index()
    used: set[str] = set()
    mapping = []
    for header in headers:
        guess = index.get(header_key(header), "")
        if guess in used:
            guess = ""
        used.add(guess)
        mapping.append(guess)
    return mapping


# ---------------------------------------------------------------------------------------------
# Values: one parser per field; each returns the stored value or raises ValidationError

ROLE_WORDS = {
    Participant.Role.MENTOR: [
        "mentor", "mentore", "mentors", "mentores", "mentor·e", "parrain", "marraine", "parraine",
        "parrain·e", "buddy", "tuteur", "tutrice", "bénévole", "volunteer",
    ],
    Participant.Role.MENTEE: [
        "mentee", "mentees", "mentoré", "mentorée", "mentoré·e", "mentoree", "filleul", "filleule",
        "filleul·e", "newcomer", "nouvel arrivant", "nouvelle arrivante",
    ],
}  # fmt: skip
GENDER_WORDS = {
    "f": ["f", "female", "woman", "femme", "w"],
    "m": ["m", "male", "man", "homme", "h"],
    "x": ["x", "other", "autre", "non-binary", "non binaire", "non-binaire", "nb"],
}
GENDER_PREFERENCE_WORDS = {
    "any": ["any", "no preference", "indifférent", "sans préférence", "peu importe"],
    "f": ["f", "woman", "a woman", "femme", "une femme"],
    "m": ["m", "man", "a man", "homme", "un homme"],
}
MODE_WORDS = {
    "in_person": ["in_person", "in person", "présentiel", "en présentiel", "face to face"],
    "remote": ["remote", "à distance", "distance", "en ligne", "online", "visio"],
    "either": ["either", "both", "les deux", "hybride", "hybrid", "indifférent", "mixte"],
}
LEGAL_WORDS = {
    "asylum_seeker": ["demandeur d'asile", "demandeuse d'asile", "demandeur·se d'asile", "da"],
    "refugee": ["réfugié", "réfugiée", "réfugié·e", "bpi"],
    "subsidiary": ["protection subsidiaire"],
    "temporary": ["protection temporaire"],
    "resident": ["titre de séjour", "résident", "résidente", "carte de séjour"],
    "citizen": ["citoyen", "citoyenne", "national", "nationalité française"],
    "undocumented": ["sans papiers", "sans-papiers"],
    "other": ["autre"],
}
YES = {"yes", "y", "oui", "o", "1", "true", "vrai", "x", "✓", "ok", "si"}
NO = {"no", "n", "non", "0", "false", "faux"}
NATIVE = {"native", "natif", "native speaker", "maternelle", "langue maternelle", "mother tongue",
          "l1", "bilingue", "bilingual", "courant natif"}  # fmt: skip
SPLIT_RE = re.compile(r"\s*[;,\n|]\s*")


def word_key(value: str) -> str:
    """Casefold, keep accents (mentoré is not mentore), drop the inclusive-writing dot."""
    return re.sub(r"[\s·.()_\-']+", "", (value or "").casefold())


def _word_index(words: dict, *, labels: dict | None = None) -> dict[str, str]:
    index = {}
    for code, synonyms in words.items():
        for synonym in [code, *synonyms]:
            index[word_key(synonym)] = code
    for code, label in (labels or {}).items():
        index.setdefault(word_key(code), code)
        for lang in ("en", "fr"):
            with translation.override(lang):
                index.setdefault(word_key(str(label)), code)
    return index


@cache
def _indexes() -> dict[str, dict[str, str]]:
    labels = lambda choices: dict(choices)  # noqa: E731
    return {
        "role": _word_index(ROLE_WORDS, labels=labels(Participant.Role.choices)),
        "gender": _word_index(GENDER_WORDS, labels=vocab.GENDERS),
        "gender_preference": _word_index(GENDER_PREFERENCE_WORDS, labels=vocab.GENDER_PREFERENCES),
        "mode_preference": _word_index(MODE_WORDS, labels=vocab.MODES),
        "status": _word_index({}, labels=labels(Participant.Status.choices)),
        "legal_status": _word_index(
            LEGAL_WORDS, labels={k: v for k, v in Participant.LegalStatus.choices if k}
        ),
        "needs": _word_index({}, labels=vocab.NEEDS),
        "offers": _word_index({}, labels=vocab.SUPPORTS),
        "sector": _word_index({}, labels=vocab.ISCO),
    }


def _choice(kind: str, message):
    def parse(value: str) -> str:
        found = _indexes()[kind].get(word_key(value))
        if found is None:
            raise ValidationError(message % {"value": value})
        return found

    return parse


def _codes(kind: str, message):
    def parse(value: str) -> list[str]:
        found = []
        for item in SPLIT_RE.split(value):
            if not item:
                continue
            code = _indexes()[kind].get(word_key(item))
            if code is None:
                raise ValidationError(message % {"value": item})
            if code not in found:
                found.append(code)
        return found

    return parse


def parse_availability(value: str) -> list[str]:
    found = []
    for item in re.split(r"[\s;,|]+", value):
        if not item:
            continue
        code = item.lower()
        if code not in vocab.SLOTS:
            raise ValidationError(
                _("“%(value)s” is not a time slot: write codes like mon_am, tue_pm, sat_ev.")
                % {"value": item}
            )
        if code not in found:
            found.append(code)
    return sorted(found, key=vocab.SLOTS.index)


@cache
def _french_language_names() -> dict[str, str]:
    import pycountry

    names = {}
    french = languages.iso_translation("iso639-3", "fr")
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        for name in {french.gettext(lang.name), lang.name}:
            names.setdefault(fold(name), code)
            # "Arabe", "Français"… and the adjective forms used in spreadsheets.
    extra = {"francais": "fr", "anglais": "en", "arabe": "ar", "dari": "prs", "pachto": "ps",
             "pashto": "ps", "tigrigna": "ti", "tigrinya": "ti", "ukrainien": "uk",
             "russe": "ru", "espagnol": "es", "persan": "fa", "farsi": "fa", "kurde": "ku",
             "somali": "so", "amharique": "am", "turc": "tr", "allemand": "de",
             "neerlandais": "nl", "italien": "it", "portugais": "pt", "lingala": "ln"}  # fmt: skip
    names.update(extra)
    return names


@cache
def language_code(value: str) -> str | None:
    """Find the stored ISO 639 code for a code or a language name in English or French."""
    folded = fold(value)
    if not folded:
        return None
    found = _french_language_names().get(folded)
    if found is None and len(folded) <= 3:
        found = languages.normalise_language_code(folded)
    return found or languages.normalise_language_code(value)


LEVEL_RE = re.compile(
    r"^(?P<lang>.+?)\s*(?:[:=(\-]\s*(?P<level>[^)]*)\)?|\s(?P<cefr>[abcABC][12]))$"
)


def _level(value: str) -> str | None:
    value = (value or "").strip()
    if value.upper() in vocab.CEFR_LEVELS:
        return value.upper()
    if fold(value) in NATIVE:
        return "native"
    return None


def parse_languages(value: str) -> dict:
    result = {}
    for item in re.split(r"\s*[;,\n]\s*", value):
        if not item:
            continue
        match = LEVEL_RE.match(item)
        name, level_text = (item, "")
        if match:
            name = match["lang"]
            level_text = match["level"] or match["cefr"] or ""
        elif " " in item and _level(item.rsplit(" ", 1)[1]):
            name, level_text = item.rsplit(" ", 1)
        code = language_code(name)
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a language Binôme knows.") % {"value": name}
            )
        level = _level(level_text)
        if level is None:
            raise ValidationError(
                _(
                    "Give a level for “%(value)s”: A1, A2, B1, B2, C1, C2 or native "
                    "(e.g. “ar:native; fr:A2”)."
                )
                % {"value": name}
            )
        result[code] = level
    return result


@cache
def _french_country_names() -> dict[str, str]:
    import pycountry

    french = languages.iso_translation("iso3166-1", "fr")
    names = {}
    for country in pycountry.countries:
        for name in (country.name, french.gettext(country.name)):
            names[fold(name)] = country.alpha_2
        for name in (getattr(country, "common_name", ""), getattr(country, "official_name", "")):
            if name:
                names.setdefault(fold(name), country.alpha_2)
    # Short names used every day where the ISO name is long ("République arabe syrienne").
    extra = {"syrie": "SY", "iran": "IR", "russie": "RU", "rdc": "CD", "rd congo": "CD",
             "congo-kinshasa": "CD", "congo-brazzaville": "CG", "venezuela": "VE",
             "bolivie": "BO", "tanzanie": "TZ", "coree du sud": "KR", "moldavie": "MD",
             "palestine": "PS", "kosovo": "XK", "vietnam": "VN", "laos": "LA",
             "soudan du sud": "SS", "turquie": "TR", "royaume-uni": "GB", "uk": "GB",
             "usa": "US", "etats-unis": "US"}  # fmt: skip
    names.update(extra)
    return names


@cache
def country_code(value: str) -> str | None:
    import pycountry

    found = _french_country_names().get(fold(value))
    if found:
        return found
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        return None


def parse_country(value: str) -> str:
    code = country_code(value)
    if code is None:
        raise ValidationError(_("“%(value)s” is not a country Binôme knows.") % {"value": value})
    return code


def parse_sector(value: str) -> str:
    digits = value.replace(" ", "")
    if (
        digits.isdigit()
        and 1 <= len(digits) <= 4
        and (digits[:2] in vocab.ISCO or digits in vocab.ISCO)
    ):
        return digits
    found = _indexes()["sector"].get(word_key(value))
    if found is None:
        raise ValidationError(
            _("“%(value)s” is not an ISCO-08 code (e.g. 22 for health professionals).")
            % {"value": value}
        )
    return found


def parse_birth_year(value: str) -> int:
    match = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", value)
    year = int(match[1]) if match else None
    if year is None or not 1900 <= year <= timezone.now().year:
        raise ValidationError(
            _("“%(value)s” is not a birth year (four digits, e.g. 1987).") % {"value": value}
        )
    return year


def _integer(low: int, high: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise ValidationError(
                _("“%(value)s” is not a whole number between %(low)s and %(high)s.")
                % {"value": value, "low": low, "high": high}
            )
        return number

    return parse


def parse_email(value: str) -> str:
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from None
    return value


def parse_phone(value: str) -> str:
    return normalise_phone(value)


def parse_consent(value: str) -> bool:
    folded = fold(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError(_("Write yes or no for consent, not “%(value)s”.") % {"value": value})


def parse_tags(value: str) -> list[str]:
    return sorted({tag.casefold() for tag in SPLIT_RE.split(value) if tag})[:30]


def _text(max_length: int):
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("This text is too long: at most %(max)s characters.") % {"max": max_length}
            )
        return value

    return parse


PARSERS = {
    "first_name": _text(100),
    "last_name": _text(100),
    "email": parse_email,
    "phone": parse_phone,
    "role": _choice("role", _("“%(value)s” is not a role: write mentor or mentee.")),
    "languages": parse_languages,
    "city": _text(120),
    "birth_year": parse_birth_year,
    "gender": _choice("gender", _("“%(value)s” is not a gender: write f, m or x.")),
    "gender_preference": _choice(
        "gender_preference", _("“%(value)s” is not a preference: write any, f or m.")
    ),
    "sector": parse_sector,
    "occupation": _text(200),
    "needs": _codes("needs", _("“%(value)s” is not a need Binôme knows.")),
    "offers": _codes("offers", _("“%(value)s” is not a kind of support Binôme knows.")),
    "availability": parse_availability,
    "mode_preference": _choice(
        "mode_preference", _("“%(value)s” is not a mode: write in_person, remote or either.")
    ),
    "max_distance_km": _integer(0, 2000),
    "capacity": _integer(1, 20),
    "status": _choice("status", _("“%(value)s” is not a status of the pipeline.")),
    "country_of_origin": parse_country,
    "legal_status": _choice("legal_status", _("“%(value)s” is not a legal status Binôme knows.")),
    "interests": parse_tags,
    "skills": _text(5000),
    "motivations": _text(5000),
    "consent": parse_consent,
}


# ---------------------------------------------------------------------------------------------
# Validation of the whole file, then duplicates


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


def validate(table: Table, mapping: list[str], *, programme, default_role: str = "") -> Report:
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


def name_key(first: str, last: str, birth_year) -> tuple | None:
    if not birth_year or not (first or last):
        return None
    return (fold(first), fold(last), int(birth_year))


def flag_duplicates(rows: list[ParsedRow], *, programme) -> None:
    """Flag rows that look like a participant already in the programme or an earlier row."""
    existing = Participant.objects.filter(programme=programme).values_list(
        "pk", "first_name", "last_name", "email", "phone", "birth_year"
    )
    seen: dict[tuple, tuple[str, int | None]] = {}
    for pk, first, last, email, phone, birth_year in existing.iterator(chunk_size=2000):
        label = f"{first} {last}".strip()
        for key in _keys(first, last, email, phone, birth_year):
            seen.setdefault(key, (label, pk))
    for row in rows:
        f = row.fields
        keys = _keys(
            f.get("first_name", ""),
            f.get("last_name", ""),
            f.get("email", ""),
            f.get("phone", ""),
            f.get("birth_year"),
        )
        for key in keys:
            if key in seen:
                label, pk = seen[key]
                row.duplicates.append(Duplicate(row.line, _reason(key[0]), label, pk))
        for key in keys:
            seen.setdefault(key, (gettext("line %(line)s") % {"line": row.line}, None))


def _keys(first, last, email, phone, birth_year) -> list[tuple]:
    keys = []
    if email:
        keys.append(("email", email.casefold()))
    if phone:
        keys.append(("phone", phone))
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


# ---------------------------------------------------------------------------------------------
# Writing


def rows_to_import(report: Report, *, valid_only: bool, skip_duplicates: bool) -> list[ParsedRow]:
    """Choose the rows to write; raise ImportRefused if errors remain and all rows were asked."""
    if report.errors and not valid_only:
        raise ImportRefused(_("The file has errors: correct them, or import only the valid rows."))
    rows = report.valid_rows
    if skip_duplicates:
        rows = [row for row in rows if not row.duplicates]
    return rows


@transaction.atomic
def participants_import(
    *, programme, actor, rows: list[ParsedRow], consent_collected: bool = False, batch: int = 1000
) -> int:
    """Create every row's participant, first timeline entry and consent in one transaction."""
    coordinates: dict[str, tuple | None] = {}
    participants = []
    for row in rows:
        fields = dict(row.fields)
        fields.setdefault("status", Participant.Status.APPLIED)
        participant = Participant(programme=programme, **fields)
        if participant.role == Participant.Role.MENTOR and "capacity" not in fields:
            participant.capacity = programme.default_mentor_capacity
        if participant.city:
            key = participant.city.casefold()
            if key not in coordinates:
                coordinates[key] = geography.city_coordinates(participant.city)
            if coordinates[key]:
                participant.latitude, participant.longitude = coordinates[key]
        participants.append(participant)
    created = Participant.objects.bulk_create(participants, batch_size=batch)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    StatusChange.objects.bulk_create(
        [
            StatusChange(participant=p, from_status="", to_status=p.status, by_id=actor_id,
                         note="import")
            for p in created
        ],
        batch_size=batch,
    )  # fmt: skip
    now = timezone.now()
    consent_text = gettext(
        "Consent to the processing of their data, collected by the organisation before the import."
    )
    consents = [
        Consent(
            participant=p,
            purpose=Consent.Purpose.DATA_PROCESSING,
            text=consent_text,
            method=Consent.Method.IMPORT,
            given_at=now,
            recorded_by_id=actor_id,
        )
        for p, row in zip(created, rows, strict=True)
        if row.consent is True or (row.consent is None and consent_collected)
    ]
    Consent.objects.bulk_create(consents, batch_size=batch)
    audit(
        actor=actor,
        organisation=programme.organisation,
        action="participant.import",
        target=programme,
        count=len(created),
        consents=len(consents),
        consent_collected=consent_collected,
    )
    return len(created)
