from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from sharaka.finance import importer
from sharaka.finance.importer import COLUMNS, ImportRejected
from sharaka.finance.models import Expense, ImportJob
from sharaka.finance.tasks import run_job
from tests.finance.conftest import FinWorld, csv_file

HEADER = list(COLUMNS)


def good(n: int = 3) -> list[list[str]]:
    return [HEADER] + [
        [
            "2025-04-0" + str(i + 1),
            f"{100 + i}.50",
            "MAD",
            "Fournisseur",
            f"F-{i}",
            "A1.1",
            "staff",
            "Heures",
        ]
        for i in range(n)
    ]


def run(fw: FinWorld, stream: Any, name: str = "f.csv") -> importer.ImportResult:
    return importer.expenses_import(
        by=fw.w.coordinator, partnership=fw.w.a, stream=stream, name=name
    )


def test_good_file_writes_every_row(fw: FinWorld) -> None:
    result = run(fw, csv_file(good(3)))
    assert result.written == 3
    assert Expense.objects.filter(partnership=fw.w.a, status="recorded").count() == 3
    first = Expense.objects.order_by("date").first()
    assert first is not None and first.amount == Decimal("100.50") and first.line == fw.staff
    assert first.year == 2025 and first.recorded_by == fw.w.coordinator


def test_one_bad_cell_rejects_the_whole_file(fw: FinWorld) -> None:
    rows = good(3)
    rows[2][1] = "douze"  # line 3 of the file, column amount
    with pytest.raises(ImportRejected) as caught:
        run(fw, csv_file(rows))
    assert "ligne 3, colonne amount" in caught.value.message
    assert Expense.objects.count() == 0


def test_bad_rows_after_many_batches_write_nothing(fw: FinWorld, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)
    rows = good(7)
    rows[7][5] = "Z9.9"
    with pytest.raises(ImportRejected) as caught:
        run(fw, csv_file(rows))
    assert caught.value.result.errors[0].line == 8
    assert caught.value.result.errors[0].column == "activity_code"
    assert Expense.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (0, "31/02/2025", "date"),  # day-month-year, no such day
        (0, "2025-07-15", "date"),  # outside the activity
        (0, "2025-02-15", "date"),  # before the plan
        (1, "-3", "amount"),
        (1, "1.234", "amount"),
        (2, "EUR", "currency"),
        (3, "", "supplier"),
        (6, "equipment", "line"),
        (6, "999999", "line"),
    ],
)
def test_each_bad_cell_is_named(fw: FinWorld, column: int, value: str, expected: str) -> None:
    rows = good(1)
    rows[1][column] = value
    with pytest.raises(ImportRejected) as caught:
        run(fw, csv_file(rows))
    error = caught.value.result.errors[0]
    assert (error.line, error.column) == (2, expected)


def test_errors_are_capped_and_headers_checked(fw: FinWorld) -> None:
    rows = good(80)
    for row in rows[1:]:
        row[1] = "x"
    with pytest.raises(ImportRejected) as caught:
        run(fw, csv_file(rows))
    assert len(caught.value.result.errors) == importer.MAX_ERRORS
    with pytest.raises(ImportRejected) as caught:
        run(fw, csv_file([["date", "amount"], ["2025-04-01", "1"]]))
    assert caught.value.result.errors[0].column == "currency"


def test_xlsx_and_semicolons(fw: FinWorld) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([date(2025, 4, 2), 250.5, "MAD", "Atlas", "X-1", "A1.1", "operations", "d"])
    sheet.append([date(2025, 5, 2), 12, None, "Atlas", None, "A1.2", "staff", None])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    assert run(fw, out, "compta.xlsx").written == 2
    assert Expense.objects.filter(line=fw.ops, amount=Decimal("250.50")).exists()
    text = ";".join(HEADER) + "\n2025-04-03;1 234,50;MAD;X;;A1.1;staff;\n"
    assert run(fw, io.BytesIO(text.encode()), "f.csv").written == 1
    assert Expense.objects.filter(amount=Decimal("1234.50")).exists()


def test_xlsx_bad_cell_names_line_and_column(fw: FinWorld) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([date(2025, 4, 2), 10, "MAD", "A", "", "A1.1", "staff", ""])
    sheet.append([date(2025, 4, 2), "dix", "MAD", "A", "", "A1.1", "staff", ""])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    with pytest.raises(ImportRejected) as caught:
        run(fw, out, "f.xlsx")
    assert "ligne 3, colonne amount" in caught.value.message
    assert Expense.objects.count() == 0


def test_template_parses_back(fw: FinWorld, monkeypatch: Any) -> None:
    text = importer.template_csv(partnership=fw.w.a)
    lines = text.strip().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 3  # one example per activity
    result = run(fw, io.BytesIO(text.encode()))
    assert result.written == 2


def test_background_job_records_progress_and_errors(fw: FinWorld, settings: Any) -> None:
    from django.core.files.storage import default_storage

    path = default_storage.save("imports/t/f.csv", csv_file(good(2)))
    job = ImportJob.objects.create(
        partnership=fw.w.a,
        created_by=fw.w.coordinator,
        source_name="f.csv",
        stored_path=path,
        size=100,
    )
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.written == 2 and job.percent == 100
    rows = good(2)
    rows[1][1] = "bad"
    path = default_storage.save("imports/t/g.csv", csv_file(rows))
    job = ImportJob.objects.create(
        partnership=fw.w.a,
        created_by=fw.w.coordinator,
        source_name="g.csv",
        stored_path=path,
        size=100,
    )
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "ligne 2, colonne amount" in job.errors[0]
    assert Expense.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # PostgreSQL: written by a second connection
def test_progress_is_read_from_the_job_row(fw: FinWorld) -> None:
    """A job running in a worker: its progress is on its row, which every process reads;
    a superseded attempt (re-queued after a crash) writes none."""
    from sharaka.finance.tasks import _Heartbeat, progress_of

    job = ImportJob.objects.create(
        partnership=fw.w.a, created_by=fw.w.coordinator, source_name="big.csv", size=10**6,
        status="running", attempt=2,
    )  # fmt: skip
    _Heartbeat(job.pk, attempt=1)(12_000, 0.4, job.size)
    job.refresh_from_db()
    assert progress_of(job) == (0, 0) and job.heartbeat_at is None
    _Heartbeat(job.pk, attempt=2)(12_000, 0.4, job.size)
    job.refresh_from_db()
    assert progress_of(job) == (12_000, 40) and job.heartbeat_at is not None


def test_redis_cache_is_used_when_configured(monkeypatch: Any) -> None:
    import importlib
    import socket

    from sharaka.config import settings as project_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    reloaded = importlib.reload(project_settings)
    try:
        backend = reloaded.CACHES["default"]
        assert backend["BACKEND"].endswith("RedisCache")
        from django.core.cache.backends.redis import RedisCache

        shared = RedisCache(backend["LOCATION"], {})
        shared.set("sharaka:probe", (1, 0.5), 5)
        assert shared.get("sharaka:probe") == (1, 0.5)
        shared.delete("sharaka:probe")
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(project_settings)
