"""Which uploaded documents are accepted: PDF, PNG or JPEG whose first bytes match the
extension (receipts in finance, asset documents in structure).

Pure (no Django), so that every app's ``rules`` module may use it; the size limit is
``core.uploads.check_upload_size``.
"""

from __future__ import annotations

from enum import StrEnum

#: Accepted extensions and the content type each is served with.
DOCUMENT_FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


class UploadProblem(StrEnum):
    NONE = ""
    BAD_TYPE = "bad_type"
    EMPTY = "empty"


def check_document(name: str, size: int, head: bytes) -> UploadProblem:
    """A non-empty PDF, PNG or JPEG whose first bytes match its extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_FORMATS:
        return UploadProblem.BAD_TYPE
    if size == 0:
        return UploadProblem.EMPTY
    if not head.startswith(_SIGNATURES[extension]):
        return UploadProblem.BAD_TYPE
    return UploadProblem.NONE
