"""The streaming XLSX writer: what goes in reads back the same with openpyxl, in both of its modes,
within Excel's limits."""

import datetime
import decimal
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from binome.evaluation import xlsx


def _write(sheets) -> bytes:
    out = io.BytesIO()
    xlsx.write_workbook(sheets, out)
    return out.getvalue()


def _read(data: bytes, *, read_only: bool) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(data), read_only=read_only)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


@pytest.mark.parametrize("read_only", [True, False])
def test_each_kind_of_value_reads_back_as_written(read_only):
    day = datetime.date(2026, 3, 1)
    moment = datetime.datetime(2026, 3, 1, 14, 30, 15)
    aware = datetime.datetime(2026, 3, 1, 14, 30, tzinfo=datetime.UTC)
    rows: list[list[Any]] = [
        ["text", "int", "float", "whole", "bool", "none", "empty", "date", "datetime", "aware"],
        ["Amal", 42, 2.75, 3.0, True, None, "", day, moment, aware],
        ["العربية ✓", -7, 1e-7, 0.1 + 0.2, False, None, "", day, moment, aware],
    ]
    sheet = _read(_write({"values": rows}), read_only=read_only)["values"]
    assert sheet[0] == rows[0]
    for written, read in zip(rows[1:], sheet[1:], strict=True):
        assert read[:5] == written[:5]
        assert type(read[4]) is bool
        assert read[5] is None and read[6] is None
        assert read[7] == datetime.datetime(2026, 3, 1)
        assert read[8] == moment
        assert read[9] == aware.isoformat()
    assert type(sheet[1][3]) is int  # a whole float is written as openpyxl wrote it


def test_rows_read_back_as_wide_as_written_even_when_they_end_empty():
    rows = [["a", "b", "c"], ["x", None, None], ["y", "", None]]
    sheet = _read(_write({"t": rows}), read_only=True)["t"]
    assert sheet == [["a", "b", "c"], ["x", None, None], ["y", None, None]]


def test_booleans_stay_booleans_beside_the_numbers_they_equal():
    rows = [["v"], [1], [True], [0], [False], [1.0], [True], [None], [0]]
    sheet = _read(_write({"t": rows}), read_only=False)["t"]
    values = [r[0] for r in sheet[1:]]
    assert values == [1, True, 0, False, 1, True, None, 0]
    assert [type(v) for v in values] == [int, bool, int, bool, int, bool, type(None), int]


def test_numbers_of_other_types_are_numbers():
    import numpy as np

    rows = [["n"], [decimal.Decimal("12.50")], [np.float64(0.5)], [np.int64(3)], [float("nan")]]
    sheet = _read(_write({"t": rows}), read_only=False)["t"]
    assert [r[0] for r in sheet] == ["n", 12.5, 0.5, 3, "nan"]


def test_strings_are_text_never_formulas_and_never_break_the_xml():
    rows = [
        ["value"],
        ['=HYPERLINK("http://example.com")'],
        ["+33 6 12 34 56 78"],
        ["-"],
        ["a < b & c > d"],
        ["bell\x07 and null\x00 inside"],
        ["  leading and trailing  "],
        ["x" * (xlsx.EXCEL_MAX_CHARS + 10)],
    ]
    data = _write({"t": rows})
    book = load_workbook(io.BytesIO(data))
    cells = [row[0] for row in book.active.iter_rows()]
    assert all(cell.data_type == "s" for cell in cells)
    values = [cell.value for cell in cells]
    assert values[1] == '\'=HYPERLINK("http://example.com")'
    assert values[2] == "'+33 6 12 34 56 78"
    assert values[3] == "-"
    assert values[4] == "a < b & c > d"
    assert values[5] == "bell\ufffd and null\ufffd inside"
    assert values[6] == "  leading and trailing  "
    assert len(values[7]) == xlsx.EXCEL_MAX_CHARS
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_sheet_names_are_made_valid_and_unique():
    sheets = {
        "Indicateurs FSE+ / AMIF [2025]: résumé": [["a"]],
        "indicateurs FSE+ - AMIF -2025-- résumé": [["b"]],
        "": [["c"]],
    }
    names = load_workbook(io.BytesIO(_write(sheets)), read_only=True).sheetnames
    assert names == ["Indicateurs FSE+ - AMIF -2025--", "indicateurs FSE+ - AMIF -20 (2)", "Sheet"]
    assert all(len(name) <= 31 for name in names)


def test_an_empty_workbook_still_opens():
    assert load_workbook(io.BytesIO(_write({})), read_only=True).sheetnames == ["Sheet"]
    assert _read(_write({"t": []}), read_only=True) == {"t": []}


def test_rows_past_excels_limit_go_on_in_a_sheet_that_repeats_the_header(monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 4)
    header = ["person", "value"]
    rows = [header, *([f"P-{n}", n] for n in range(7))]
    sheets = _read(_write({"answers": iter(rows)}), read_only=True)
    assert list(sheets) == ["answers", "answers (2)", "answers (3)"]
    assert all(sheet[0] == header for sheet in sheets.values())
    assert [len(sheet) for sheet in sheets.values()] == [4, 4, 2]
    assert [row for sheet in sheets.values() for row in sheet[1:]] == rows[1:]


def test_rows_that_fill_the_last_sheet_exactly_make_no_empty_sheet(monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 4)
    rows = [["n"], [1], [2], [3], [4], [5], [6]]
    assert list(_read(_write({"t": rows}), read_only=True)) == ["t", "t (2)"]


def test_column_letters_go_past_z():
    assert [xlsx.column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_quotes_carriage_returns_and_tabs_survive_and_never_start_a_formula():
    title = 'Rapport "final"'
    rows = [["value"], ["line one\r\nline two"], ["\t=1+1"], ["\r=2+2"], ['say "hi"']]
    data = _write({title: rows})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [title]
    values = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert values[1] == "line one\r\nline two"
    assert values[2] == "'\t=1+1" and values[3] == "'\r=2+2"
    assert values[4] == 'say "hi"'


def test_a_sheet_name_cut_short_never_ends_with_an_apostrophe():
    names = load_workbook(io.BytesIO(_write({"x" * 30 + "'yy": [["a"]]})), read_only=True)
    assert names.sheetnames == ["x" * 30]


def test_a_row_wider_than_a_sheet_is_refused():
    with pytest.raises(ValueError, match="16384"):
        _write({"t": [list(range(xlsx.EXCEL_MAX_COLUMNS + 1))]})


def test_csv_cells_that_would_run_as_formulas_are_quoted_like_the_xlsx_ones():
    from binome.evaluation import exports

    lines = list(exports.csv_lines([["a", "b", "c", "d"], ["=SUM(A1)", "-", -3, None]]))
    assert lines[1] == "'=SUM(A1),-,-3,\r\n"
