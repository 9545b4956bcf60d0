"""CSV downloads that open cleanly in spreadsheet apps and cannot run formulas."""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse

# A spreadsheet treats a cell starting with one of these as a formula: text people typed
# (a name, an answer) must never run as one on the machine of whoever opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as written: text that a spreadsheet would read as a formula gets a leading
    apostrophe, which spreadsheets show as plain text; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class CsvTable:
    """A CSV to hand out: its file name, header and rows (read once, as they are written)."""

    filename: str
    header: Sequence
    rows: Iterable[Sequence]


def csv_write(stream, table: CsvTable) -> None:
    """Write the table to a text stream, as a download or a background export gets it."""
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([neutralise(cell) for cell in table.header])
    writer.writerows([neutralise(cell) for cell in row] for row in table.rows)


def csv_response(table: CsvTable) -> HttpResponse:
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table.filename}"'},
    )
    csv_write(response, table)
    return response
