"""Cells a spreadsheet would run as formulas are made inert; numbers and other text are left alone."""

import io

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from abwab.core.spreadsheets import FORMULA_STARTS, spreadsheet_cell, xlsx_write_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+212612345678", "'+212612345678"),  # a phone is text: see the module's docstring
        ("Alaoui", "Alaoui"),
        ("a=b", "a=b"),
        ("", ""),
        ("سعاد", "سعاد"),
        (-2, -2),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_cells_that_would_run_get_an_apostrophe(value, expected):
    assert spreadsheet_cell(value) == expected


@given(st.text())
def test_no_text_cell_starts_like_a_formula(text):
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


def test_xlsx_rows_write_text_as_text_and_numbers_as_numbers(tmp_path):
    path = tmp_path / "t.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    xlsx_write_row(sheet, 0, ["=1+1", "-2+3", -2, 1.5, "", None, "0612345678", "abc"])
    workbook.close()
    row = next(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows())
    assert [cell.value for cell in row] == [
        "'=1+1",
        "'-2+3",
        -2,
        1.5,
        None,
        None,
        "0612345678",
        "abc",
    ]
    assert [cell.data_type for cell in row[:4]] == ["s", "s", "n", "n"]
    assert row[6].data_type == "s"  # digits stay text, not a number
