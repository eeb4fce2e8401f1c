"""The one upload size limit (core.uploads), configurable, naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile, FileField
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.errors import DomainError, NotFound
from sharaka.core.uploads import (
    MB,
    check_upload_size,
    document_response,
    max_import_bytes,
    max_upload_bytes,
    stored_file_response,
)


@given(size=st.integers(min_value=0, max_value=10**10), limit=st.integers(0, 10**10))
def test_a_file_passes_exactly_when_it_fits(size: int, limit: int) -> None:
    try:
        check_upload_size(size, field="file", limit=limit)
    except DomainError as error:
        assert size > limit and error.code == "upload_too_large" and error.field == "file"
    else:
        assert size <= limit


@translation.override("fr")
def test_limits_come_from_the_settings(settings: Any) -> None:
    settings.SHARAKA_MAX_UPLOAD_MB = 2
    settings.SHARAKA_MAX_IMPORT_MB = 0.5
    assert max_upload_bytes() == 2 * MB and max_import_bytes() == MB // 2
    upload = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (3 * MB))
    with pytest.raises(DomainError) as caught:
        check_upload_size(upload, field="document", label="Pièce justificative", code="x")
    assert caught.value.code == "x" and caught.value.field == "document"
    assert caught.value.message == (
        "Pièce justificative : fichier trop lourd (3 Mo), 2 Mo au plus."
    )


@translation.override("fr")
def test_forms_state_the_limit_in_force(settings: Any) -> None:
    from sharaka.conventions.forms import SignedCopyForm
    from sharaka.finance.forms import DocumentForm as ReceiptForm
    from sharaka.meetings.forms import DocumentForm as BoardDocumentForm
    from sharaka.structure.forms import DocumentForm as AssetDocumentForm

    settings.SHARAKA_MAX_UPLOAD_MB = 25
    fields = [
        ReceiptForm().fields["document"],
        AssetDocumentForm().fields["file"],
        SignedCopyForm().fields["signed_copy"],
    ]
    for field in fields:
        assert str(field.help_text) == "PDF, JPEG ou PNG, 25 Mo au plus."
    with translation.override("en"):
        assert str(fields[0].help_text) == "PDF, JPEG or PNG, 25 MB at most."
    board = str(BoardDocumentForm.base_fields["file"].help_text)
    assert board.endswith(" ; 25 Mo au plus.") and board.startswith("PDF, DOCX")


# --- sending a stored upload --------------------------------------------------------------


def _stored(name: str) -> Any:
    field = FileField()
    field.storage = default_storage
    return FieldFile(None, field, name)


def test_a_stored_file_is_sent_with_its_name_and_nosniff() -> None:

    name = default_storage.save("tests/receipt.png", ContentFile(b"\x89PNG\r\n\x1a\nrest"))
    response = stored_file_response(
        _stored(name), filename="reçu.png", content_type="image/png", attachment=False
    )
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\nrest"  # type: ignore[arg-type]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    response.file_to_stream.close()  # not response.close(): that signals a request's end
    attached = stored_file_response(_stored(name), filename="reçu.png")
    assert attached["Content-Disposition"].startswith("attachment")
    attached.file_to_stream.close()


@pytest.mark.parametrize("name", ["", "tests/gone-from-the-storage.pdf"])
def test_nothing_stored_or_a_file_gone_is_a_404(name: str) -> None:
    with pytest.raises(NotFound):
        stored_file_response(_stored(name) if name else None, filename="x.pdf")


@pytest.mark.parametrize(
    ("content_type", "disposition"), [("application/pdf", "attachment"), ("image/png", "inline")]
)
def test_an_uploaded_document_is_sent_by_its_checked_type(
    content_type: str, disposition: str
) -> None:
    """A PDF is downloaded, an image shown; the name is the one the user uploaded."""
    name = default_storage.save("tests/piece.bin", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    document = type("Doc", (), {"file": _stored(name), "original_name": "pièce.pdf",
                                "content_type": content_type})()  # fmt: skip
    response = document_response(document)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert "pi%C3%A8ce.pdf" in response["Content-Disposition"]
    response.file_to_stream.close()
