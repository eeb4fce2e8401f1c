"""The one place PDFs are written: archival (PDF/A-3u) and tagged (accessible), with their
metadata (title, author, subject, language, creation date). The title and the language
default to the template's ``<title>`` and ``<html lang>``, which every document template has.

WeasyPrint is imported when a PDF is asked for (it is heavy). Checked by
``tests/core/test_pdf.py`` with pypdf: the XMP declares ``pdfaid:part 3`` and
``pdfaid:conformance U``, the catalogue has ``/StructTreeRoot``, ``/MarkInfo`` ``/Marked
true`` and ``/Lang``, the information dictionary ``/Title``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

#: The document languages as BCP 47 tags (Moroccan Arabic; French and English as written).
LANGUAGE_TAGS = {"fr": "fr-FR", "ar": "ar-MA", "en": "en-GB"}
#: PDF/A-3u: archival, every character mapped to Unicode (searchable, extractable).
PDF_VARIANT = "pdf/a-3u"
AUTHOR = "Sharaka"
_ISOLATES = "\u2066\u2067\u2068\u2069"


def language_tag(lang: str) -> str:
    """``fr`` → ``fr-FR``, ``ar`` → ``ar-MA``, ``en`` → ``en-GB`` (anything else as given)."""
    return LANGUAGE_TAGS.get(lang, lang)


def write_pdf(
    html: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    author: str = AUTHOR,
    subject: str = "",
    created: datetime | None = None,
) -> bytes:
    """``html`` as a tagged PDF/A-3u whose metadata are the arguments (``subject`` defaults to
    the title)."""
    from weasyprint import HTML

    document = HTML(string=html).render(pdf_variant=PDF_VARIANT, pdf_tags=True)
    metadata = document.metadata
    metadata.title = title or metadata.title or AUTHOR
    metadata.authors = [author.strip(_ISOLATES)]  # a name, not a line of text
    metadata.description = subject or metadata.title
    metadata.lang = language_tag(lang or metadata.lang or "fr")
    metadata.generator = AUTHOR
    moment = (created or timezone.now()).astimezone(UTC).replace(microsecond=0)
    metadata.created = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata.modified = metadata.created
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return pdf
