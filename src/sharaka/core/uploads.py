"""Upload limits shared by every file a user sends (receipts, board documents, asset
documents, signed copies, expense imports).

One place for the size limits (``SHARAKA_MAX_UPLOAD_MB`` for documents,
``SHARAKA_MAX_IMPORT_MB`` for imports) so the forms, the API, the command line and the
services refuse the same files with the same message naming the field.
"""

from __future__ import annotations

import re
import zipfile
from enum import StrEnum
from typing import IO, Protocol

from django.conf import settings
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.functional import lazy
from django.utils.translation import gettext

from sharaka.core.documents import UploadProblem, check_document
from sharaka.core.errors import DomainError, NotFound

MB = 1024 * 1024


class UploadErrorCode(StrEnum):
    TOO_LARGE = "upload_too_large"
    ARCHIVE_TOO_LARGE = "upload_archive_too_large"
    TEXT_TOO_LONG = "upload_text_too_long"
    ARCHIVE_BROKEN = "upload_archive_broken"


def max_upload_bytes() -> int:
    """Largest document accepted (receipts, board documents, asset documents, scans)."""
    return int(settings.SHARAKA_MAX_UPLOAD_MB * MB)


def max_import_bytes() -> int:
    """Largest import file accepted (CSV or XLSX)."""
    return int(settings.SHARAKA_MAX_IMPORT_MB * MB)


def max_request_bytes() -> int:
    """Largest request body: the largest upload plus room for the other fields."""
    return max(max_upload_bytes(), max_import_bytes()) + MB


def _mb(size: float) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def check_upload_size(
    upload: File[bytes] | int,
    *,
    field: str,
    label: str = "",
    limit: int | None = None,
    code: StrEnum | str = UploadErrorCode.TOO_LARGE,
) -> None:
    """Refuse ``upload`` (an ``UploadedFile``, or a size in bytes) larger than ``limit``
    (default: the document limit) with a ``DomainError`` on ``field``."""
    size = upload if isinstance(upload, int) else int(getattr(upload, "size", 0) or 0)
    limit = max_upload_bytes() if limit is None else limit
    if size <= limit:
        return
    raise DomainError(
        code,
        gettext("%(field)s : fichier trop lourd (%(size)s Mo), %(max)s Mo au plus.")
        % {"field": label or field, "size": _mb(size), "max": _mb(limit)},
        field=field,
    )


def document_problem(upload: File[bytes]) -> UploadProblem:
    """What is wrong with an uploaded document (``core.documents.check_document`` on its
    name, size and first bytes); the upload is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return check_document(upload.name or "", upload.size or 0, head)


def _help(message: str, formats: str = "") -> str:
    return gettext(message) % {"max": _mb(max_upload_bytes()), "formats": formats}


#: A form's help text naming the current limit: ``upload_help(gettext_noop("… %(max)s Mo
#: au plus."))``, translated and filled in when the form is shown.
upload_help = lazy(_help, str)


# --- Office archives (XLSX) -------------------------------------------------------------------

#: A member larger than 1 MB that decompresses to more than this many times its compressed
#: size is a decompression bomb (spreadsheet XML compresses 5 to 20 times).
ARCHIVE_MAX_RATIO = 100
#: The whole archive decompresses to at most this many times the import limit.
ARCHIVE_MAX_EXPANSION = 20
#: Excel holds at most 32,767 characters in a cell; a run of XML text (or a tag) longer
#: than this many bytes (4 per character: UTF-8 and entities) is not a spreadsheet's.
XML_MAX_RUN = 4 * 32_767
_LONG_RUN = re.compile(rb"(?<![^<])[^<]{%d}" % XML_MAX_RUN)
_CHUNK = 1024 * 1024


def check_xlsx_archive(stream: IO[bytes], *, field: str, label: str = "") -> None:
    """Refuse an XLSX that would take a parser's memory: a member or a whole that
    decompresses to too much (judged on the sizes the archive declares, before reading
    any, and enforced while reading: ``zipfile`` stops at the declared size), or a text
    or tag longer than a cell can hold (found by a streaming scan in 1 MB chunks, before
    ``openpyxl`` builds the string). ``stream`` is left at its start."""
    name = label or field
    limit = ARCHIVE_MAX_EXPANSION * max_import_bytes()
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            total = 0
            for info in members:
                total += info.file_size
                if info.file_size > MB and info.file_size > ARCHIVE_MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise _archive_too_large(name, info.filename, info.file_size, field)
            if total > limit:
                raise _archive_too_large(name, "*", total, field)
            for info in members:
                if info.filename.endswith((".xml", ".rels")):
                    _scan_member(archive, info, name=name, field=field)
    except zipfile.BadZipFile as error:
        raise DomainError(
            UploadErrorCode.ARCHIVE_BROKEN,
            gettext("%(field)s : archive XLSX illisible (%(e)s).") % {"field": name, "e": error},
            field=field,
        ) from error
    finally:
        stream.seek(0)


def _archive_too_large(name: str, member: str, size: int, field: str) -> DomainError:
    return DomainError(
        UploadErrorCode.ARCHIVE_TOO_LARGE,
        gettext("%(field)s : le classeur se décompresse en %(size)s Mo (%(member)s) : "
                "fichier refusé.")
        % {"field": name, "size": _mb(size), "member": member[:60]},
        field=field,
    )  # fmt: skip


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, name: str, field: str) -> None:
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            data = tail + chunk
            if _LONG_RUN.search(data):
                raise DomainError(
                    UploadErrorCode.TEXT_TOO_LONG,
                    gettext("%(field)s : une cellule dépasse %(max)s caractères : fichier "
                            "refusé.")
                    % {"field": name, "max": "32767"},
                    field=field,
                )  # fmt: skip
            cut = data.rfind(b"<")
            tail = data[cut + 1 :] if cut >= 0 else data


def stored_file_response(
    stored: FieldFile | None,
    *,
    filename: str,
    content_type: str | None = None,
    attachment: bool = True,
) -> FileResponse:
    """Send a stored upload to someone the caller has already let read it.

    One place for what every download needs: a 404 when nothing was stored or the file has
    gone from the storage, the original name, and ``nosniff`` so a browser never runs an
    upload as something other than its checked type.
    """
    if not stored:
        raise NotFound()
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise NotFound(gettext("Le fichier n'est plus disponible.")) from None
    response = FileResponse(
        handle, as_attachment=attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StoredDocument(Protocol):
    """What ``document_response`` reads of an ``UploadedDocument``."""

    @property
    def file(self) -> FieldFile: ...

    @property
    def original_name(self) -> str: ...

    @property
    def content_type(self) -> str: ...


def document_response(document: StoredDocument) -> FileResponse:
    """``stored_file_response`` for an ``UploadedDocument`` (its ``file``, ``original_name``
    and checked ``content_type``): a PDF is downloaded, an image shown in the browser."""
    return stored_file_response(
        document.file, filename=document.original_name, content_type=document.content_type,
        attachment=document.content_type == "application/pdf",
    )  # fmt: skip
