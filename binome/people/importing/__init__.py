"""Bulk import of participants from the spreadsheets organisations already keep.

Four steps, each a plain function so that the views and `bench/import.py` share them:
`reading.read_table` (bytes → header and rows, refusing what is unsafe or too big),
`columns.guess_mapping` (header names → fields), `validation.validate` (rows → participants to
create, errors by line and column, likely duplicates; each value read by a parser of `values`)
and `writing.participants_import` (one transaction of bulk inserts and one audit row). Between
the steps the table is kept by `storage`; `records` holds what they pass to one another; `forms`,
`views` and `urls` are the coordinator's pages.

Line numbers are those the coordinator sees in the spreadsheet: the header is line 1.
"""
