"""Finance benchmark (not a test): expense import and budget versus actual.

    uv run python bench/bench_finance.py [--rows 1000000] [--backend sqlite|postgresql|both]

For each backend, in a child process with its own temporary database (a temp SQLite file;
on PostgreSQL a fresh database created on DATABASE_URL's server, default
``postgres://postgres@127.0.0.1:5432/test``, and dropped afterwards):

1. builds a partnership with an adopted plan (10 activities, 2 lines each);
2. generates a CSV of N expense rows;
3. baseline: inserts the same rows, already parsed, with a bare ``executemany`` (SQLite) or
   ``COPY`` (PostgreSQL) into the expense table, in chunks, in one committed transaction
   (the deferred foreign-key checks run at commit, as for the import), then empties it;
4. imports the CSV through the real path (``finance.importer.import_path``: streaming,
   validation of every row against the plan in force, all-or-nothing) and reports rows/s,
   the ratio to the baseline and the peak RSS;
5. times ``budget_summary_get`` on the N expenses (server time, query count) beside the
   raw SQL aggregate (GROUP BY line, year) — best of 3 each.

Goals: import >= 0.5x the baseline's rate; summary within 2x of the raw SQL; fixed queries.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import DEFAULT_PG, ROOT, backends, rss_mb, run_child

CHUNK = 50_000


def child(rows: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth import get_user_model
    from tests.planning.conftest import make_decision  # builds a board decision directly

    from sharaka.finance import importer
    from sharaka.finance.models import Expense
    from sharaka.finance.selectors import budget_summary_get
    from sharaka.partnerships.models import Party
    from sharaka.planning import services as planning

    admin = get_user_model().objects.create_superuser("bench", "b@example.org", "x")
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(name="Commune Bench")
    partnership = _partnership(org)
    Party.objects.get_or_create(partnership=partnership, organization=org, role="lead")
    period = {"title": "Plan", "period_start": date(2025, 1, 1), "period_end": date(2027, 12, 31)}
    plan = planning.plan_create(by=admin, partnership=partnership, fields=period)
    version = plan.versions.get(number=1)
    objective = planning.objective_create(
        by=admin, version=version, fields={"code": "O1", "title": "O"}
    )
    yearly = {2025: 10**6, 2026: 10**6, 2027: 10**6}
    for i in range(1, 11):
        fields = {
            "objective": objective, "code": f"A1.{i}", "title": f"Activité {i}",
            "start_date": date(2025, 1, 1), "end_date": date(2027, 12, 31),
        }  # fmt: skip
        activity = planning.activity_create(by=admin, version=version, fields=fields)
        for category in ("staff", "operations"):
            planning.budget_line_create(
                by=admin, activity=activity, fields={"category": category, "label": ""},
                amounts=yearly,
            )  # fmt: skip
    decision = make_decision(partnership, "action_plan_adoption", on=date(2025, 1, 1))
    planning.plan_version_adopt(by=admin, version=version, decision=decision)
    from sharaka.planning.selectors import plan_in_force_get

    version = plan_in_force_get(partnership=partnership, at=date(2025, 6, 1))
    lines = _lines(version)

    # --- the file
    rng = random.Random(8)
    workdir = Path(tempfile.mkdtemp(prefix="bench-fin-"))
    path = workdir / "expenses.csv"
    start = date(2025, 1, 1)
    keys = list(lines)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(importer.COLUMNS)
        for n in range(rows):
            code, category = keys[n % len(keys)]
            day = start + timedelta(days=rng.randrange(0, 1095))
            writer.writerow([day.isoformat(), f"{rng.randrange(100, 999999) / 100:.2f}", "MAD",
                             f"Fournisseur {n % 97}", f"FAC-{n}", code, category,
                             "Prestation"])  # fmt: skip
    size_mb = path.stat().st_size / 1e6

    # --- baseline: the same rows, pre-parsed, bare executemany / COPY, rolled back
    postgres = connection.vendor == "postgresql"
    columns = importer._WRITE_COLUMNS
    table = Expense._meta.db_table
    now = "2026-01-01 00:00:00"
    baseline_seconds = 0.0
    with path.open(newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        chunk: list[tuple[Any, ...]] = []

        def flush(cursor: Any) -> float:
            t0 = time.perf_counter()
            if postgres:
                quoted = ", ".join(columns)
                with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", chunk
                )
            return time.perf_counter() - t0

        # Committed, like the import (deferred foreign-key checks run at commit), then
        # emptied before the real import.
        raw = connection.cursor().cursor
        with transaction.atomic():
            for d, amount, cur, supplier, ref, code, category, desc in reader:
                activity_id, line_id = lines[(code, category)]
                day = date.fromisoformat(d)
                chunk.append((partnership.pk, version.pk, activity_id, line_id,
                              day if postgres else d, day.year,
                              Decimal(amount) if postgres else amount, cur, supplier, ref,
                              desc, "", "", "recorded", None, now, None, False))  # fmt: skip
                if len(chunk) >= CHUNK:
                    baseline_seconds += flush(raw)
                    chunk.clear()
            baseline_seconds += flush(raw)
            t0 = time.perf_counter()
        baseline_seconds += time.perf_counter() - t0  # the commit
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}" if postgres else f"DELETE FROM {table}")
    rss_before = rss_mb()

    # --- the real import
    t0 = time.perf_counter()
    result = importer.import_path(by=None, partnership=partnership, path=path)
    import_seconds = time.perf_counter() - t0
    assert result.written == rows, result
    rss_after = rss_mb()
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")

    # --- budget versus actual
    def best(fn: Any) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    summary_seconds = best(lambda: budget_summary_get(partnership=partnership))
    with CaptureQueriesContext(connection) as queries:
        summary = budget_summary_get(partnership=partnership)
    assert summary.expense_count == rows
    filt = "FILTER (WHERE status IN ('recorded','checked'))"
    filt2 = "FILTER (WHERE status IN ('approved','paid'))"
    sql = (f"SELECT line_id, year, SUM(amount) {filt}, SUM(amount) {filt2}, COUNT(*) "
           f"FROM {table} WHERE partnership_id = %s GROUP BY line_id, year")  # fmt: skip

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [partnership.pk])
            cursor.fetchall()

    raw_seconds = best(raw_sql)
    path.unlink()
    return {
        "backend": connection.vendor,
        "rows": rows,
        "file_mb": round(size_mb, 1),
        "baseline_rows_per_s": round(rows / baseline_seconds),
        "import_rows_per_s": round(rows / import_seconds),
        "import_ratio": round(baseline_seconds / import_seconds, 2),
        "import_seconds": round(import_seconds, 1),
        "rss_before_import_mb": round(rss_before),
        "peak_rss_mb": round(rss_after),
        "summary_ms": round(summary_seconds * 1000, 1),
        "summary_queries": len(queries.captured_queries),
        "raw_sql_ms": round(raw_seconds * 1000, 1),
        "summary_vs_raw": round(summary_seconds / raw_seconds, 2),
    }


def _partnership(org: Any) -> Any:
    from tests.factories import PartnershipFactory

    return PartnershipFactory(title="Bench", slug="bench", lead_authority=org)


def _lines(version: Any) -> dict[tuple[str, str], tuple[int, int]]:
    from sharaka.planning.models import BudgetLine

    return {
        (line.activity.code, line.category): (line.activity_id, line.pk)
        for line in BudgetLine.objects.filter(activity__version=version).select_related("activity")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows)))
        return 0
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    ok = True
    for backend in backends(args.backend):
        result = run_child(__file__, "bench_finance", ["--rows", str(args.rows)], backend, url)
        if result is None:
            ok = False
            continue
        print(json.dumps(result))
        print(
            f"{result['backend']}: import {result['import_rows_per_s']:,} rows/s vs baseline "
            f"{result['baseline_rows_per_s']:,} rows/s -> {result['import_ratio']}x "
            f"(goal >= 0.5); peak RSS {result['peak_rss_mb']} MB "
            f"(before import {result['rss_before_import_mb']} MB); budget summary "
            f"{result['summary_ms']} ms in {result['summary_queries']} queries vs raw SQL "
            f"{result['raw_sql_ms']} ms -> {result['summary_vs_raw']}x (goal <= 2)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
