"""DOCX via python-docx: headings per article (navigable in Word and LibreOffice), a table
of contents, tables for lists of data, right-to-left paragraphs for Arabic; every DOCX gets
its core properties, its language, fonts covering Arabic, a header (title, and the draft
notice on every page) and a footer with the page number (``DocxWriter``)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from sharaka.conventions.renderers.document import Document
from sharaka.core.pdf import AUTHOR, language_tag

FONT = "DejaVu Sans"  # Latin and Arabic glyphs (fonts-dejavu-core), the PDFs' font
#: "Page 3 / 12" in the document's language (data, like the documents' other fixed words).
PAGE_OF = {"fr": ("Page", "/"), "ar": ("صفحة", "/"), "en": ("Page", "/")}
_ISOLATES = "\u2066\u2067\u2068\u2069"


def _field(paragraph: Any, instruction: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice compute."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _language(r_pr: Any, lang: str) -> None:
    """``w:lang``: the document's language for Latin text, Arabic (Morocco) for complex
    script (so spelling and shaping follow the text's script)."""
    element = r_pr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        r_pr.append(element)
    element.set(qn("w:val"), language_tag(lang))
    element.set(qn("w:eastAsia"), language_tag(lang))
    element.set(qn("w:bidi"), language_tag("ar"))


def _fonts(r_pr: Any) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _rtl_paragraph(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        bidi = OxmlElement("w:bidi")
        p_pr.insert(0, bidi)


def _rtl_run(run: Any) -> None:
    r_pr = run._r.get_or_add_rPr()
    if r_pr.find(qn("w:rtl")) is None:
        r_pr.append(OxmlElement("w:rtl"))


def _rtl_table(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    if tbl_pr.find(qn("w:bidiVisual")) is None:
        tbl_pr.append(OxmlElement("w:bidiVisual"))


class DocxWriter:
    """A4 DOCX with the platform's font, headings, tables and right-to-left paragraphs for
    Arabic: what the convention and the closure report (``closure.report``) are written with."""

    def __init__(
        self, *, rtl: bool, lang: str | None = None, title: str = "", author: str = AUTHOR,
        subject: str = "", draft: str = "", created: datetime | None = None,
    ) -> None:  # fmt: skip
        self.rtl = rtl
        self.lang = lang or ("ar" if rtl else "fr")
        self.out = new_docx()
        self._styles()
        self._properties(title, author, subject, created)
        self._header_footer(title, draft)

    def _properties(self, title: str, author: str, subject: str, created: datetime | None) -> None:
        props = self.out.core_properties
        moment = (created or datetime.now(UTC)).replace(microsecond=0)
        props.title = title
        props.author = props.last_modified_by = author.strip(_ISOLATES) or AUTHOR
        props.subject = subject or title
        props.language = language_tag(self.lang)
        props.created = props.modified = moment
        props.revision = 1
        props.comments = props.keywords = props.category = ""

    def _header_footer(self, title: str, draft: str) -> None:
        """On every page: the title and, for a draft, its notice (header); the page number
        out of the total (footer)."""
        section = self.out.sections[0]
        header = section.header.paragraphs[0]
        if draft:
            run = header.add_run(draft)
            run.bold = True
            self._direction(header, run)
            if title:
                header = section.header.add_paragraph()
        if title:
            run = header.add_run(title)
            run.font.size = Pt(8)
            self._direction(header, run)
        for paragraph in section.header.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer = section.footer.paragraphs[0]
        word, of = PAGE_OF.get(self.lang, PAGE_OF["fr"])
        self._direction(footer, footer.add_run(f"{word} "))
        _field(footer, "PAGE")
        self._direction(footer, footer.add_run(f" {of} "))
        _field(footer, "NUMPAGES")
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _direction(self, paragraph: Any, run: Any) -> None:
        if self.rtl:
            _rtl_run(run)
            _rtl_paragraph(paragraph)

    def _styles(self) -> None:
        styles = self.out.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if r_pr is not None:
                _fonts(r_pr)
                _language(r_pr, self.lang)
        for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet",
                     "Header", "Footer"):  # fmt: skip
            styles[name].font.name = FONT
            r_pr = styles[name].element.get_or_add_rPr()
            _fonts(r_pr)
            _language(r_pr, self.lang)
        styles["Normal"].font.size = Pt(10)
        cs_size = OxmlElement("w:szCs")
        cs_size.set(qn("w:val"), "20")
        normal = styles["Normal"].element.get_or_add_rPr()
        normal.find(qn("w:lang")).addprevious(cs_size)  # schema order: szCs before lang
        for name, size in (("Heading 1", 12), ("Heading 2", 11)):
            styles[name].font.size = Pt(size)
            styles[name].font.color.rgb = RGBColor(0x1B, 0x3D, 0x2F)
        section = self.out.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2))
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        if self.rtl:
            sect_pr = section._sectPr
            if sect_pr.find(qn("w:bidi")) is None:
                sect_pr.append(OxmlElement("w:bidi"))

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False,
             center: bool = False) -> Any:  # fmt: skip
        paragraph = self.out.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            if self.rtl:
                _rtl_run(run)
        if self.rtl:
            _rtl_paragraph(paragraph)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def heading(self, text: str, level: int) -> Any:
        paragraph = self.out.add_heading(level=level)
        run = paragraph.add_run(text)
        if self.rtl:
            _rtl_run(run)
            _rtl_paragraph(paragraph)
        return paragraph

    def table(self, headers: list[str] | tuple[str, ...],
              rows: list[list[str]] | tuple[tuple[str, ...], ...]) -> None:  # fmt: skip
        table = self.out.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.rtl:
            _rtl_table(table)
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, header, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                self._cell(cell, value)
        self.out.add_paragraph()

    def facts(self, rows: list[list[str]]) -> None:
        """A two-column table of label (bold) and value, without a header row."""
        table = self.out.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.rtl:
            _rtl_table(table)
        for label, value in rows:
            cells = table.add_row().cells
            self._cell(cells[0], label, bold=True)
            self._cell(cells[1], value)
        self.out.add_paragraph()

    def _cell(self, cell: Any, text: str, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(9)
        if self.rtl:
            _rtl_run(run)
            _rtl_paragraph(paragraph)

    def page_break(self) -> None:
        self.out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.out.save(buffer)
        return buffer.getvalue()


class _Writer(DocxWriter):
    def __init__(self, document: Document) -> None:
        self.doc = document
        super().__init__(
            rtl=document.rtl, lang=document.lang, title=f"{document.title} — {document.subtitle}",
            author=document.subtitle, subject=" · ".join([document.title, *document.lines]),
            draft=document.draft_notice,
        )  # fmt: skip

    def write(self) -> bytes:
        doc = self.doc
        if doc.draft_notice:
            self.para(doc.draft_notice, bold=True, center=True)
        self.para(doc.title, "Title", center=True)
        self.para(doc.subtitle, "Subtitle", center=True)
        for line in doc.lines:
            self.para(line, center=True)
        self.heading(doc.labels["contents"], 1)
        for article in doc.articles:
            self.para(f"{article.heading} — {article.title}")
        self.para(doc.labels["signatures"])
        for annex in doc.annexes:
            self.para(f"{annex.heading} — {annex.title}")
        self.page_break()
        for article in doc.articles:
            self.heading(f"{article.heading} — {article.title}", 1)
            for block in article.blocks:
                kind = block.kind
                if kind == "paragraph":
                    self.para(block.text)  # type: ignore[union-attr]
                elif kind == "items":
                    for item in block.items:  # type: ignore[union-attr]
                        self.para(item, "List Bullet")
                elif kind == "table":
                    self.table(block.headers, block.rows)  # type: ignore[union-attr]
                elif kind == "special":
                    for party in doc.parties:
                        self.para(party, "List Bullet")
        self.page_break()
        self.heading(doc.labels["signatures"], 1)
        if doc.signatures:
            self.table(
                ["", ""],
                [[f"{b.organization}\n{b.person} — {b.capacity}"
                  + (f"\n{b.mandate}" if b.mandate else ""),
                  f"{b.signed}\n\n{doc.labels['signature_line']} :"] for b in doc.signatures],
            )  # fmt: skip
        for annex in doc.annexes:
            self.page_break()
            self.heading(f"{annex.heading} — {annex.title}", 1)
            self.table(annex.headers, annex.rows)
        self.para(doc.footer)
        return self.save()


def render_docx(document: Document) -> bytes:
    return _Writer(document).write()
