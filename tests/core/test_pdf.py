"""Every PDF is PDF/A-3u and tagged, with its metadata (``core.pdf.write_pdf``), checked with
pypdf: the structure checks we can run in CI (veraPDF is not on a package registry)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from sharaka.core.pdf import language_tag, write_pdf

HTML = (
    "<html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body style='font-family: DejaVu Sans'><h1>{title}</h1><p>{text}</p></body></html>"
)


def check_archival_tagged(data: bytes, *, title: str, lang: str) -> PdfReader:
    """Asserts what an archival, accessible PDF must carry; returns the reader."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "<pdfaid:conformance>U</pdfaid:conformance>" in xmp or 'pdfaid:conformance="U"' in xmp
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == language_tag(lang)
    assert reader.metadata is not None and reader.metadata.title == title
    assert reader.metadata.author and reader.metadata.creation_date is not None
    assert "/OutputIntents" in root  # PDF/A wants the colour space declared
    return reader


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [("fr", "Procès-verbal", "Séance ordinaire"), ("ar", "محضر الاجتماع", "دورة عادية")],
)
def test_write_pdf_is_archival_and_tagged(lang: str, title: str, text: str) -> None:
    created = datetime(2026, 12, 6, 14, 9, tzinfo=UTC)
    data = write_pdf(
        HTML.format(lang=lang, title=title, text=text),
        author="Commune d'Oued Zitoune", subject="Sujet", created=created,
    )  # fmt: skip
    reader = check_archival_tagged(data, title=title, lang=lang)
    assert reader.metadata is not None
    assert reader.metadata.author == "Commune d'Oued Zitoune"
    assert reader.metadata.subject == "Sujet"
    assert reader.metadata.creation_date == created
    assert text in reader.pages[0].extract_text()


def test_explicit_title_and_language_win_over_the_html() -> None:
    data = write_pdf(HTML.format(lang="fr", title="x", text="y"), title="Titre", lang="en")
    check_archival_tagged(data, title="Titre", lang="en")


def test_language_tags() -> None:
    assert [language_tag(x) for x in ("fr", "ar", "en", "es")] == ["fr-FR", "ar-MA", "en-GB", "es"]
