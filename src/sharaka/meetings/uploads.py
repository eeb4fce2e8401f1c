"""Board-pack uploads: which files are accepted (pure, no Django import).

A file is accepted when its extension is one of the allowed formats and its first bytes are
those of that format (a renamed executable is refused); its size is checked by
``core.uploads.check_upload_size`` (``SHARAKA_MAX_UPLOAD_MB``). Office
files are ZIP archives: the archive must hold the part that makes it a DOCX, XLSX or ODT.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

#: extension -> (content type, label)
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "jpeg": ("image/jpeg", "JPEG"),
}

ALLOWED_LABEL = "PDF, DOCX, XLSX, ODT, PNG, JPEG"

_ZIP_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    code: str = ""  # empty | bad_extension | bad_content
    extension: str = ""
    content_type: str = ""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _signature_ok(extension: str, head: bytes, data: BinaryIO) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
            if extension == "odt":
                return (
                    "mimetype" in names
                    and archive.read("mimetype").strip() == FORMATS["odt"][0].encode()
                )
            return _ZIP_PART[extension] in names
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def check_upload(name: str, size: int, data: BinaryIO) -> UploadCheck:
    """Check a file's name, size and content; ``data`` is read from its start."""
    extension = _extension(name)
    if extension not in FORMATS:
        return UploadCheck(False, "bad_extension", extension)
    if size == 0:
        return UploadCheck(False, "empty", extension)
    data.seek(0)
    content = data.read()
    data.seek(0)
    if not _signature_ok(extension, content[:16], io.BytesIO(content)):
        return UploadCheck(False, "bad_content", extension)
    return UploadCheck(True, "", extension, FORMATS[extension][0])
