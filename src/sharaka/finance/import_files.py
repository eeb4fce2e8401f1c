"""Reading an expense import file: the rows of a CSV or XLSX file, streamed.

``read_rows`` yields ``(line number, cells)`` without holding the file in memory
(``csv.reader`` over the open file, ``openpyxl`` in read-only mode); ``finance.importer``
validates and writes them. A file larger than ``SHARAKA_MAX_IMPORT_MB``, or an XLSX archive
that would unpack into more than it should, is refused before anything is parsed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.core.uploads import check_upload_size, check_xlsx_archive, max_import_bytes
from sharaka.finance.error_codes import FinanceErrorCode as Code

#: A line of the file: its number (1 for the first) and its cells as text.
Row = tuple[int, list[str]]


def read_rows(stream: IO[bytes], name: str) -> Iterator[Row]:
    """The rows of an XLSX file (by its ``name``) or else of a CSV file."""
    return _xlsx_rows(stream) if is_xlsx(name) else _csv_rows(stream)


def is_xlsx(name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm"))


def check_import_size(size: int) -> None:
    """Refuse an import file larger than ``SHARAKA_MAX_IMPORT_MB``."""
    check_upload_size(
        size, field="file", label=gettext("Fichier CSV ou XLSX"), limit=max_import_bytes()
    )


def stream_size(stream: IO[bytes]) -> int:
    """The size of an open file in bytes (0 when it cannot tell), leaving it where it was."""
    try:
        position = stream.tell()
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(position)
        return size
    except (OSError, AttributeError, ValueError):
        return 0


def _csv_rows(stream: IO[bytes]) -> Iterator[Row]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    sample = text.read(4096)
    text.seek(0)
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    finally:
        text.detach()  # leave the caller's file open


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 2)) if value != int(value) else str(int(value))
    return str(value)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[Row]:
    from openpyxl import load_workbook  # heavy: loaded by the first XLSX import only

    # Before openpyxl parses anything: no decompression bomb, no cell longer than Excel's.
    check_xlsx_archive(stream, field="file", label=gettext("Fichier CSV ou XLSX"))
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise DomainError(
            Code.IMPORT_FORMAT, gettext("Fichier XLSX illisible : %(e)s") % {"e": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Read-only mode stops at the <dimension> the file declares, which may understate
        # the rows it holds (a file saying A1:E3 with 8 rows): read every row there is.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row = [_cell(v) for v in values]
            while row and row[-1] == "":
                row.pop()
            yield number, row
    finally:
        workbook.close()
