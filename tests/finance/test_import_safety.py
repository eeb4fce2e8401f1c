"""Import files: size limit, XLSX decompression bombs and overlong cells, an understated
<dimension> (issue 21, item 5)."""

from __future__ import annotations

import io
import random
import re
import string
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sharaka.cli import main
from sharaka.core.errors import DomainError
from sharaka.finance import importer
from sharaka.finance.importer import COLUMNS
from sharaka.finance.models import Expense, ImportJob
from tests.finance.conftest import FinWorld

HEADER = list(COLUMNS)
ROW = [date(2025, 4, 2), 10, "MAD", "Atlas", "", "A1.1", "staff", ""]


def _workbook(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append([*ROW[:4], f"F-{n}", *ROW[5:]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change: Any) -> bytes:
    """The same workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def _with_cell(text: bytes) -> Any:
    def change(xml: bytes) -> bytes:
        cell = b'<c r="D2" t="inlineStr"><is><t>' + text + b"</t></is></c>"
        return re.sub(rb'<c r="D2"[^>]*>.*?</c>', cell, xml, count=1, flags=re.S)

    return change


def run(fw: FinWorld, data: bytes, name: str = "f.xlsx") -> importer.ImportResult:
    return importer.expenses_import(
        by=fw.w.coordinator, partnership=fw.w.a, stream=io.BytesIO(data), name=name
    )


def test_an_understated_dimension_still_imports_every_row(fw: FinWorld) -> None:
    data = _rewrite_sheet(
        _workbook(8), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:H3"', xml)
    )
    assert b'ref="A1:H3"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    result = run(fw, data)
    assert result.rows == 8 and result.written == 8
    assert Expense.objects.filter(partnership=fw.w.a).count() == 8


def _refused_without_parsing(fw: FinWorld, data: bytes, monkeypatch: Any) -> DomainError:
    import openpyxl

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl must not parse this file")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as caught:
            run(fw, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # the file was never held whole in memory
    assert caught.value.field == "file"
    assert Expense.objects.count() == 0
    return caught.value


def test_a_decompression_bomb_is_refused_from_its_declared_sizes(
    fw: FinWorld, monkeypatch: Any
) -> None:
    bomb = _rewrite_sheet(_workbook(1), _with_cell(b"a" * (64 * 1024 * 1024)))
    assert len(bomb) < 200 * 1024  # a small file holding a 64 MB cell
    error = _refused_without_parsing(fw, bomb, monkeypatch)
    assert error.code == "upload_archive_too_large"
    assert "se décompresse en" in error.message


def test_a_cell_longer_than_excel_allows_is_refused_while_streaming(
    fw: FinWorld, monkeypatch: Any
) -> None:
    noise = "".join(random.Random(1).choices(string.ascii_letters, k=300_000)).encode()
    data = _rewrite_sheet(_workbook(1), _with_cell(noise))
    error = _refused_without_parsing(fw, data, monkeypatch)
    assert error.code == "upload_text_too_long"
    assert "32767" in error.message


def test_a_cell_of_excel_s_maximum_length_is_read(fw: FinWorld) -> None:
    data = _rewrite_sheet(_workbook(1), _with_cell("é".encode() * 32_767))
    with pytest.raises(importer.ImportRejected) as caught:  # the row's own check: too long
        run(fw, data)
    assert "texte trop long" in caught.value.message


def test_import_size_limit_in_service_cli_and_page(
    fw: FinWorld, settings: Any, tmp_path: Path, capsys: Any, client_for: Any
) -> None:
    settings.SHARAKA_MAX_IMPORT_MB = 0.001  # about 1 KB
    text = ",".join(HEADER) + "\n" + "2025-04-01,10,MAD,S,R,A1.1,staff,d\n" * 60
    with pytest.raises(DomainError) as caught:
        run(fw, text.encode(), "f.csv")
    assert caught.value.code == "upload_too_large" and caught.value.field == "file"
    assert "Fichier CSV ou XLSX : fichier trop lourd" in caught.value.message
    path = tmp_path / "f.csv"
    path.write_text(text)
    assert main(["import", "expenses", "partenariat-a", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fichier trop lourd" in err[0]
    page = client_for("coordinator").post(
        reverse("finance:import", kwargs={"slug": "partenariat-a"}),
        {"file": SimpleUploadedFile("f.csv", text.encode())},
    )
    assert page.status_code == 200 and "fichier trop lourd" in page.content.decode()
    assert not ImportJob.objects.exists() and Expense.objects.count() == 0
