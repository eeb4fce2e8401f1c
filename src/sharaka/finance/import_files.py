"""Reading an expense import file: the rows of a CSV or XLSX file, streamed.

``read_rows`` yields ``(line number, cells)`` without holding the file in memory
(``csv.reader`` over the open file, ``openpyxl`` in read-only mode); ``finance.importer``
validates and writes them. A file larger than ``SHARAKA_MAX_IMPORT_MB``, or an XLSX archive
that would unpack into more than it should, is refused before anything is parsed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.core.uploads import check_upload_size, check_xlsx_archive, max_import_bytes
from sharaka.finance.error_codes import FinanceErrorCode as Code

_CENT = Decimal("0.01")
_MAX = Decimal("1e12")

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


#: how much of a CSV file is looked at to tell its encoding and whether it is text at all
SAMPLE_BYTES = 64 * 1024


#: how binary files people take for spreadsheets begin: ZIP (an XLSX renamed .csv), an old
#: .xls (OLE), PDF, PNG, JPEG, GIF, gzip, RAR, 7-Zip
_BINARY = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8",
           b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")  # fmt: skip


def not_a_table() -> DomainError:
    return DomainError(
        Code.IMPORT_FORMAT,
        gettext("Ce fichier n'est pas un fichier CSV ou XLSX : enregistrez-le dans l'un de ces "
                "formats."),
        field="file",
    )  # fmt: skip


def unreadable_encoding() -> DomainError:
    return DomainError(
        Code.IMPORT_FORMAT,
        gettext("Fichier CSV illisible : son encodage n'est ni UTF-8 ni Windows-1252. "
                "Enregistrez-le en « CSV UTF-8 »."),
        field="file",
    )  # fmt: skip


def csv_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: UTF-8 (with or without a byte-order
    mark) when they decode as such, else Windows-1252 (what Excel writes in French as
    "CSV (séparateur : point-virgule)"); refused when they are neither, or binary."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "texte Unicode"
    if sample.startswith(_BINARY) or sample.count(b"\x00") > max(8, len(sample) // 100):
        raise not_a_table()  # a NUL here and there is a control character, named by cell
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError as error:
        raise unreadable_encoding() from error
    return "cp1252"


def _csv_rows(stream: IO[bytes]) -> Iterator[Row]:
    start = stream.tell()
    encoding = csv_encoding(stream.read(SAMPLE_BYTES))
    stream.seek(start)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    sample = text.read(4096)
    text.seek(0)
    header = sample.split("\n", 1)[0]  # the separator the header line uses most; "," on a tie
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError as error:  # UTF-8 at first, something else further on
        raise unreadable_encoding() from error
    finally:
        text.detach()  # leave the caller's file open


def day_month_year(text: str) -> date | None:
    """A date written ``dd/mm/yyyy`` (or ``d/m/yyyy``), as French spreadsheets show it;
    ``None`` when ``text`` is not one."""
    parts = text.strip().split("/")
    if len(parts) != 3 or len(parts[2]) != 4 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


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
        # the expense export's own sheet when there is one (it imports back), else the first
        sheet = next((w for w in workbook.worksheets if w.title == "expenses"), None)
        sheet = sheet or workbook.worksheets[0]
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


def amount_of(text: str) -> Decimal | str:
    """A positive amount written with a decimal point or comma and any thousands
    separators, or the message that refuses it."""
    cleaned = text.strip()
    for space in (" ", "\u00a0", "\u202f"):  # thousands as French spreadsheets group them
        if space in cleaned:
            cleaned = cleaned.replace(space, "")
    if "," in cleaned and "." in cleaned:  # "4.789.000,00" or "4,789,000.00": the last one
        thousands = "." if cleaned.rindex(",") > cleaned.rindex(".") else ","
        cleaned = cleaned.replace(thousands, "")
    for mark in (",", "."):  # the same mark more than once groups thousands
        if cleaned.count(mark) > 1:
            cleaned = cleaned.replace(mark, "")
    if "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return gettext("montant invalide « %(value)s »") % {"value": text[:40]}
    if not value.is_finite() or value <= 0:
        return gettext("le montant doit être positif")
    if value >= _MAX:
        return gettext("montant trop grand")
    rounded = value.quantize(_CENT)
    if rounded != value:
        return gettext("au plus deux décimales")
    return rounded
