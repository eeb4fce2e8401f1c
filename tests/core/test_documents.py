from __future__ import annotations

from sharaka.core.documents import UploadProblem, check_document


def test_a_document_is_a_non_empty_pdf_png_or_jpeg_whose_bytes_match_its_extension() -> None:
    assert check_document("a.pdf", 10, b"%PDF-1.7") is UploadProblem.NONE
    assert check_document("a.PNG", 10, b"\x89PNG\r\n\x1a\n") is UploadProblem.NONE
    assert check_document("a.jpg", 10, b"\xff\xd8\xff\xe0") is UploadProblem.NONE
    assert check_document("a.jpeg", 10, b"\xff\xd8\xff\xe0") is UploadProblem.NONE
    assert check_document("a.exe", 10, b"MZ") is UploadProblem.BAD_TYPE
    assert check_document("a.pdf", 10, b"MZ\x90") is UploadProblem.BAD_TYPE
    assert check_document("a.png", 10, b"%PDF-1.4") is UploadProblem.BAD_TYPE
    assert check_document("a.docx", 10, b"PK") is UploadProblem.BAD_TYPE
    assert check_document("pdf", 10, b"%PDF-1.7") is UploadProblem.BAD_TYPE
    assert check_document("a.pdf", 0, b"") is UploadProblem.EMPTY
    # the size limit is core.uploads.check_upload_size (tests/core/test_uploads.py)
    assert check_document("a.pdf", 11 * 1024 * 1024, b"%PDF-") is UploadProblem.NONE
