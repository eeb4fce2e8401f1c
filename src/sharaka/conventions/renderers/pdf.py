"""PDF via WeasyPrint, from an HTML template (fonts: DejaVu, which covers Arabic)."""

from __future__ import annotations

from django.template.loader import render_to_string

from sharaka.conventions.renderers.document import Document
from sharaka.core.pdf import write_pdf


def render_html(document: Document) -> str:
    return render_to_string("conventions/document/convention.html", {"doc": document})


def render_pdf(document: Document) -> bytes:
    return write_pdf(
        render_html(document), lang=document.lang, author=document.subtitle,
        subject=" · ".join([document.title, *document.lines]),
    )  # fmt: skip
