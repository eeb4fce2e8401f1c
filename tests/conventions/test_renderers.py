"""Rendered documents: PDF read back with pdftotext, DOCX reopened with python-docx (and
converted by LibreOffice when it is installed)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from sharaka.conventions import renderers, services
from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.renderers.document import build_document
from tests.conftest import World

pytestmark = pytest.mark.django_db
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", str(source), "-"],  # noqa: S603, S607
                            capture_output=True, check=True, timeout=60)  # fmt: skip
    return result.stdout.decode()


def test_document_model(world: World, in_force: ConventionVersion) -> None:
    document = build_document(in_force, "fr")
    assert document.title == "Convention de partenariat" and document.subtitle == "Partenariat A"
    assert [a.heading for a in document.articles[:2]] == ["Article 1", "Article 2"]
    assert len(document.articles) == in_force.clauses.count()
    assert document.annexes[0].title == "Composition du conseil d'administration"
    assert document.annexes[0].rows[-1][:3] == ["Total", "", "4"]
    assert any("Président du conseil communal" in p for p in document.parties)
    assert document.signatures[0].signed == "Signé le 16/12/2024"
    assert not document.draft_notice
    with pytest.raises(ValueError):
        build_document(in_force, "de")


def test_pdf_in_french(world: World, draft: ConventionVersion, tmp_path: Path) -> None:
    text = _pdftotext(renderers.render_version(draft, "pdf", "fr"), tmp_path)
    assert "Convention de partenariat" in text and "Partenariat A" in text
    assert "Sommaire" in text and "Article 1" in text and "Article 25" in text
    assert "PROJET" in text  # a draft says so on every page
    assert "Composition du conseil d'administration" in text


def test_pdf_in_arabic(world: World, in_force: ConventionVersion, tmp_path: Path) -> None:
    text = _pdftotext(renderers.render_version(in_force, "pdf", "ar"), tmp_path)
    assert len(ARABIC.findall(text)) > 500
    assert "المادة" in text and "الفهرس" in text


def test_docx_has_numbered_articles_and_rtl_arabic(
    world: World, in_force: ConventionVersion
) -> None:
    count = in_force.clauses.count()
    french = Document(io.BytesIO(renderers.render_version(in_force, "docx", "fr")))
    headings = [p.text for p in french.paragraphs if p.style.name == "Heading 1"]
    articles = [h for h in headings if h.startswith("Article ")]
    assert len(articles) == count
    assert articles[0] == "Article 1 — Préambule"
    assert any(t.rows[0].cells[0].text == "Organisation" for t in french.tables)
    arabic = Document(io.BytesIO(renderers.render_version(in_force, "docx", "ar")))
    body = [p for p in arabic.paragraphs if p.text]
    assert all(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in body)
    assert sum(1 for p in body if p.text.startswith("المادة")) >= count


def test_docx_opens_in_libreoffice(world: World, draft: ConventionVersion,
                                   tmp_path: Path) -> None:  # fmt: skip
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "convention.docx"
    source.write_bytes(renderers.render_version(draft, "docx", "fr"))
    subprocess.run(  # noqa: S603
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    text = _pdftotext((tmp_path / "convention.pdf").read_bytes(), tmp_path)
    assert "Article 1 — Préambule" in text


def test_custom_article_and_amendment_title(world: World, in_force: ConventionVersion) -> None:
    amendment = services.amendment_create(by=world.officer, convention=in_force.convention,
                                          purpose="Assurances")  # fmt: skip
    services.clause_add(by=world.officer, version=amendment, code="custom",
                        texts={"title_fr": "Assurances", "text_fr": "Chaque partie s'assure.",
                               "title_ar": "التأمين"})  # fmt: skip
    document = build_document(amendment, "ar")
    assert document.title == "الملحق رقم 1 لاتفاقية الشراكة"
    last = document.articles[-1]
    assert last.title == "التأمين"
    assert last.blocks[0].text == "Chaque partie s'assure."  # type: ignore[union-attr]
    assert build_document(amendment, "fr").draft_notice.startswith("PROJET")


def test_pdf_is_archival_and_tagged(world: World, draft: ConventionVersion) -> None:
    from tests.core.test_pdf import check_archival_tagged

    for lang in ("fr", "ar"):
        data = renderers.render_version(draft, "pdf", lang)
        document = build_document(draft, lang)
        reader = check_archival_tagged(
            data, title=f"{document.title} — {document.subtitle}", lang=lang
        )
        assert reader.metadata is not None
        assert reader.metadata.author == document.subtitle.strip("\u2068\u2069")


def _lang_of(style: object) -> dict[str, str]:
    element = style.element.rPr.find(qn("w:lang"))  # type: ignore[attr-defined]
    return {key.split("}")[1]: value for key, value in element.attrib.items()}


def test_docx_properties_language_fonts_header_and_footer(
    world: World, draft: ConventionVersion
) -> None:
    french = Document(io.BytesIO(renderers.render_version(draft, "docx", "fr")))
    props = french.core_properties
    assert props.title == "Convention de partenariat — Partenariat A"
    assert props.author == "Partenariat A" and props.language == "fr-FR"
    assert props.created is not None
    expected = {"val": "fr-FR", "eastAsia": "fr-FR", "bidi": "ar-MA"}
    assert _lang_of(french.styles["Normal"]) == expected
    defaults = etree.tostring(french.styles.element.find(qn("w:docDefaults"))).decode()
    assert 'w:val="fr-FR"' in defaults and "en-US" not in defaults
    assert 'w:cs="DejaVu Sans"' in defaults and 'w:ascii="DejaVu Sans"' in defaults
    section = french.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "PROJET — sans valeur contractuelle" in header  # every page: the header
    assert 'w:instr="PAGE"' in section.footer._element.xml
    assert 'w:instr="NUMPAGES"' in section.footer._element.xml
    assert section.footer.paragraphs[0].text.startswith("Page ")

    arabic = Document(io.BytesIO(renderers.render_version(draft, "docx", "ar")))
    assert arabic.core_properties.language == "ar-MA"
    assert _lang_of(arabic.styles["Heading 1"])["val"] == "ar-MA"
    header = arabic.sections[0].header.paragraphs[0]
    assert header.text == "مشروع — لا قيمة تعاقدية له"
    assert header._p.pPr.find(qn("w:bidi")) is not None
    assert arabic.sections[0].footer.paragraphs[0].text.startswith("صفحة")


def test_signed_docx_has_no_draft_notice(world: World, in_force: ConventionVersion) -> None:
    signed = Document(io.BytesIO(renderers.render_version(in_force, "docx", "en")))
    assert signed.core_properties.language == "en-GB"
    header = "\n".join(p.text for p in signed.sections[0].header.paragraphs)
    assert "DRAFT" not in header and "Partnership convention" in header
