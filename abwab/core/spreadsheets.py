"""Cells of the files Abwab writes for spreadsheet programs (CSV and XLSX), made inert.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (a tab or a carriage
return before them hides the sign) as a formula: a member registered as ``=HYPERLINK(...)`` would turn
an export into a link to anywhere, or a command on the reader's machine (OWASP's "CSV injection").
Every text cell of every file goes through `spreadsheet_cell`, which prefixes those with an
apostrophe, the spreadsheets' own mark for "this is text". Only text is touched: a number written as
a number stays a number, whatever its sign.

Phones are text too, so ``+212612345678`` comes out as ``'+212612345678``. That is acceptable, and
better than the alternative: read bare, a spreadsheet takes it for a formula or a number and drops
the ``+`` (and a leading zero); with the apostrophe every digit stays and a reader still dials it.

Pure Python (no Django), so the file tools (`abwab dedupe`) use it too.
"""

from collections.abc import Iterable

# OWASP's list: what a spreadsheet program reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """The value as a spreadsheet should get it: text that would run as a formula gets a leading
    apostrophe; numbers, empty cells and other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable) -> list:
    """`spreadsheet_cell` on every value of a row (for csv.writer)."""
    return [spreadsheet_cell(value) for value in values]


def xlsx_write_row(sheet, row: int, values: Iterable, cell_format=None) -> None:
    """One row of an xlsxwriter sheet, text written as text (never as a formula, whatever it
    starts with: `write_row` would guess from the content) and numbers as numbers."""
    for column, value in enumerate(values):
        if value is None or value == "":
            sheet.write_blank(row, column, None, cell_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, cell_format)
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, cell_format)
        else:
            sheet.write_string(row, column, spreadsheet_cell(str(value)), cell_format)
