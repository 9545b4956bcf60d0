"""CSV downloads that open cleanly in spreadsheet apps and cannot run formulas."""

import csv
from collections.abc import Iterable, Sequence

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


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return response
