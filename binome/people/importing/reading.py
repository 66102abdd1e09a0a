"""Reading the file: CSV or XLSX bytes into a table, refusing what is unsafe or too big."""

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from binome.people.importing.records import (
    EXTENSIONS,
    FORMULA_ALWAYS,
    FORMULA_UNLESS_DIGIT,
    ImportRefused,
    Table,
    column_letter,
)

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
