"""A streaming XLSX writer for the exports: rows in, a workbook out, in constant memory.

An answers export is hundreds of thousands of rows of about ten cells. openpyxl's write-only mode
builds an XML element per cell and XlsxWriter checks each string against several regular
expressions: both spend tens of microseconds a cell, minutes for such an export. Here each row is
one piece of text written into the zip member of its sheet as it comes: strings inline (no
shared-string table growing in memory), numbers and booleans as themselves, dates as day serials
with a date style. Nothing else: no formulas, no formatting but the dates'. Pure Python, no Django;
openpyxl reads the result back in the tests.

Excel's limits are kept: a sheet holds at most EXCEL_MAX_ROWS rows, then the rows go on in a
sheet of the same name followed by its number, under the same header; a cell holds at most
EXCEL_MAX_CHARS characters.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import math
import numbers
import re
import zipfile
from collections.abc import Iterable
from typing import IO, Any

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_COLUMNS = 16_384  # column XFD
SHEET_NAME_MAX = 31
# A sheet's XML goes on in the next sheet past this size: zip members stay under the 2 GiB at
# which zipfile would need ZIP64, which older spreadsheet programs read badly.
SHEET_MAX_BYTES = 1 << 30
# Distinct values whose cell text is kept for reuse, at most (then the cache starts again).
VALUE_CACHE = 50_000
# Rows are joined and written to the zip this many at a time.
ROWS_PER_WRITE = 2000
# zlib's level 1 deflates a sheet's repetitive XML about three times faster than the default 6,
# for a file about 15 % larger.
COMPRESS_LEVEL = 1

# Strings that a spreadsheet would read as a formula once edited are written with a leading
# apostrophe, as the CSV-injection guidance asks.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF) and what it must
# escape; a string without any of them (nearly all) is written as it is.
_SPECIAL = re.compile('[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_EPOCH = datetime.date(1899, 12, 30)
_EPOCH_TIME = datetime.datetime(1899, 12, 30)
# The cell styles of styles.xml: 1 a date, 2 a date and time.
DATE_STYLE, DATETIME_STYLE = 1, 2
_END = object()
# An empty cell is written all the same, so that every row reads back as wide as its header.
_EMPTY = "/>"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_START = f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'
_SHEET_END = "</sheetData></worksheet>"
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: str) -> str:
    text = _ILLEGAL.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Quotes for attributes (sheet names); a carriage return as a reference, since XML readers
    # turn a bare one into a line feed.
    return text.replace('"', "&quot;").replace("\r", "&#13;")


def _text(text: str) -> str:
    """What follows `<c r="A1"` for a string."""
    if not text:
        return _EMPTY
    if text[:1] in FORMULA_STARTS and len(text) > 1:
        text = "'" + text
    if len(text) > EXCEL_MAX_CHARS:
        text = text[:EXCEL_MAX_CHARS]
    if _SPECIAL.search(text):
        text = _escape(text)
    if text[:1].isspace() or text[-1:].isspace():
        return f' t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f' t="inlineStr"><is><t>{text}</t></is></c>'


def _tail(value: Any) -> str:
    """What follows `<c r="A1"` for any value."""
    kind = value.__class__
    if kind is str:
        return _text(value)
    if kind is int or kind is float:
        if kind is float and not math.isfinite(value):
            return _text(str(value))
        # The shortest text that reads back as the same number; a whole number without ".0"
        # (read back as an int, as openpyxl wrote it).
        number = repr(value)
        return f"><v>{number[:-2] if number.endswith('.0') else number}</v></c>"
    if value is None:
        return _EMPTY
    if kind is bool:
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            # Excel has no time zones: an aware time is written as text, exactly.
            return _text(value.isoformat())
        serial = (value - _EPOCH_TIME) / datetime.timedelta(days=1)
        return f' s="{DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f' s="{DATE_STYLE}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, numbers.Integral):  # numpy's integers among others
        return _tail(int(value))
    if isinstance(value, numbers.Real):
        return _tail(float(value))
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return f"><v>{value}</v></c>"
    return _text(str(value))


def column_letters(index: int) -> str:
    """A, B, … Z, AA, … for a zero-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid sheet name from a title: allowed characters, 31 at most, unique in the workbook."""
    base = _NOT_IN_SHEET_NAME.sub("-", title).strip("'") or "Sheet"
    # A name may neither begin nor end with an apostrophe, cut short or not.
    name, n = base[:SHEET_NAME_MAX].rstrip("'") or "Sheet", 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.lower())
    return name


class _Book:
    def __init__(self, out: IO[bytes] | str) -> None:
        self.zip = zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        )
        self.sheets: list[str] = []
        self.taken: set[str] = set()
        self.seen: dict[Any, str] = {}

    def write_sheet(self, title: str, rows: Iterable[list[Any]]) -> None:
        letters: list[str] = []
        header: list[Any] | None = None
        pending = iter(rows)
        more = True
        while more:
            self.sheets.append(sheet_name(title, self.taken))
            path = f"xl/worksheets/sheet{len(self.sheets)}.xml"
            with self.zip.open(path, "w") as handle:
                handle.write(_SHEET_START.encode())
                size, number, chunk = 0, 0, []
                if header is not None:  # a continued sheet starts with the header again
                    number = 1
                    chunk.append(self._row(1, header, letters))
                more = False
                for row in pending:
                    if header is None:
                        header = list(row)
                    number += 1
                    if len(row) > len(letters):
                        if len(row) > EXCEL_MAX_COLUMNS:
                            raise ValueError(
                                f"A row of {len(row)} cells is wider than a sheet "
                                f"({EXCEL_MAX_COLUMNS} columns)."
                            )
                        letters.extend(column_letters(j) for j in range(len(letters), len(row)))
                    chunk.append(self._row(number, row, letters))
                    if len(chunk) >= ROWS_PER_WRITE:
                        size += handle.write("".join(chunk).encode())
                        chunk = []
                    if number >= EXCEL_MAX_ROWS or size >= SHEET_MAX_BYTES:
                        following: Any = next(pending, _END)
                        more = following is not _END
                        pending = itertools.chain([following], pending)
                        break
                handle.write("".join(chunk).encode())
                handle.write(_SHEET_END.encode())

    def _row(self, number: int, row: list[Any], letters: list[str]) -> str:
        # The same values come again and again (ids, keys, moments, points of a scale): the
        # text of each is made once, then looked up. True equals 1 for a dict: booleans are
        # never looked up. (1 and 1.0 share their text, as any two equal numbers.)
        n, seen = str(number), self.seen
        try:
            cells = [
                f'<c r="{letter}{n}"{_tail(value) if value.__class__ is bool else seen[value]}'
                for letter, value in zip(letters, row, strict=False)
            ]
        except (KeyError, TypeError):
            cells = [
                f'<c r="{letter}{n}"{self._remembered(value)}'
                for letter, value in zip(letters, row, strict=False)
            ]
        return f'<row r="{n}">{"".join(cells)}</row>'

    def _remembered(self, value: Any) -> str:
        if value.__class__ is bool:
            return _tail(value)
        try:
            return self.seen[value]
        except KeyError:
            if len(self.seen) >= VALUE_CACHE:
                self.seen.clear()
            tail = self.seen[value] = _tail(value)
            return tail
        except TypeError:  # not hashable
            return _tail(value)

    def close(self) -> None:
        n = len(self.sheets)
        sheets = "".join(
            f'<sheet name="{_escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self.sheets, start=1)
        )
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f"<sheets>{sheets}</sheets></workbook>"
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        relations += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
            for i in range(1, n + 1)
        )
        spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        files = {
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{relations}</Relationships>'
            ),
            "xl/styles.xml": _STYLES,
            "_rels/.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "[Content_Types].xml": (
                f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                f'ContentType="{spreadsheet}.sheet.main+xml"/><Override '
                f'PartName="/xl/styles.xml" ContentType="{spreadsheet}.styles+xml"/>'
                f"{overrides}</Types>"
            ),
        }
        for name, text in files.items():
            self.zip.writestr(name, text)
        self.zip.close()


def write_workbook(sheets: dict[str, Iterable[list[Any]]], out: IO[bytes] | str) -> None:
    """Write each (title, rows) as a sheet, the first row its header, row by row."""
    book = _Book(out)
    for title, rows in sheets.items():
        book.write_sheet(title, rows)
    if not book.sheets:
        book.write_sheet("Sheet", [])
    book.close()
