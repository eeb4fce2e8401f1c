"""PDF via WeasyPrint, from an HTML template (fonts: DejaVu, which covers Arabic)."""

from __future__ import annotations

from django.template.loader import render_to_string

from sharaka.conventions.renderers.document import Document


def render_html(document: Document) -> str:
    return render_to_string("conventions/document/convention.html", {"doc": document})


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(document)).write_pdf()
    return pdf
