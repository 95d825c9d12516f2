"""CSV for Dutch spreadsheets: UTF-8 with a byte-order mark, `;` between the cells, and no cell a
spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """Text for a spreadsheet cell; a value a spreadsheet would read as a formula is made inert."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def spreadsheet_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """HEADER and ROWS as CSV the way Dutch Excel opens it, every cell through `spreadsheet_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(value) for value in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
