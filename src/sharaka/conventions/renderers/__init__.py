"""Renderers of a convention version: DOCX (python-docx) and PDF (WeasyPrint)."""

from __future__ import annotations

from typing import Any

from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.renderers.document import Document, build_document
from sharaka.conventions.renderers.docx import render_docx
from sharaka.conventions.renderers.pdf import render_pdf

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGS = ("fr", "ar", "en")


def render_document(document: Document, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "docx":
        return render_docx(document)
    raise ValueError(fmt)


def render_version(version: ConventionVersion, fmt: str, lang: str, **kwargs: Any) -> bytes:
    """The version as a PDF or DOCX file in ``lang`` (no access check: callers do it)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return render_document(build_document(version, lang, **kwargs), fmt)


def filename(version: ConventionVersion, fmt: str, lang: str) -> str:
    slug = version.convention.partnership.slug
    suffix = "convention" if version.number == 0 else f"avenant-{version.number}"
    return f"{slug}-{suffix}-{lang}.{fmt}"
