"""Pre-audit checks benchmark (not a test): the checks of one partnership with N expenses,
beside the raw SQL of the same checks, in the same run.

    uv run python bench/bench_audit.py [--rows 1000000] [--backend sqlite|postgresql|both]

For each backend, in a child process with its own temporary database (a temp SQLite file;
on PostgreSQL a fresh database on DATABASE_URL's server, default
``postgres://postgres@127.0.0.1:5432/test``, dropped afterwards):

1. builds a partnership with an adopted plan (10 activities, 2 lines each) and a few
   contributions, staff assignments and assets;
2. writes N expenses with a bare ``executemany`` (SQLite) or ``COPY`` (PostgreSQL): paid,
   approved or recorded, a receipt on 99 % of them, and planted problems (0.1 % entered twice,
   0.01 % self-approved, 0.01 % dated before the plan, 0.01 % with a receipt after payment);
3. times ``audit.checks.run_checks`` (what the page, the command and the nightly job run),
   best of 3, and the raw SQL of the same checks (every row each check hands back fetched),
   best of 3; prints the ratio (goal <= 2), the findings per check, and the peak RSS before
   and after the checks (goal: flat, the checks stream their candidates).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from _common import DEFAULT_PG, ROOT, backends, best, rss_mb, run_child

CHUNK = 50_000
COLUMNS = (
    "partnership_id", "plan_version_id", "activity_id", "line_id", "date", "year", "amount",
    "currency", "supplier", "reference", "description", "document", "document_name", "status",
    "recorded_by_id", "recorded_at", "approved_by_id", "approved_at", "paid_by_id", "paid_at",
    "pending",
)  # fmt: skip


def _world(admin: Any) -> tuple[Any, Any, dict[int, int]]:
    from tests.factories import OrganizationFactory, PartnershipFactory, PersonFactory
    from tests.planning.conftest import make_decision

    from sharaka.finance.models import Contribution
    from sharaka.planning import services as planning
    from sharaka.planning.models import BudgetLine
    from sharaka.planning.selectors import plan_in_force_get
    from sharaka.structure.models import Asset, ManagementStructure, StaffAssignment

    org = OrganizationFactory(name="Commune Bench")
    partnership = PartnershipFactory(title="Bench", slug="bench", lead_authority=org)
    period = {"title": "Plan", "period_start": date(2025, 1, 1), "period_end": date(2027, 12, 31)}
    plan = planning.plan_create(by=admin, partnership=partnership, fields=period)
    version = plan.versions.get(number=1)
    objective = planning.objective_create(
        by=admin, version=version, fields={"code": "O1", "title": "O"}
    )
    yearly = {2025: 10**9, 2026: 10**9, 2027: 10**9}
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
    version = plan_in_force_get(partnership=partnership, at=date(2025, 6, 1))
    lines = dict(
        BudgetLine.objects.filter(activity__version=version).values_list("pk", "activity_id")
    )
    for year in (2025, 2026):
        Contribution.objects.create(
            partnership=partnership, organization=org, year=year, kind="cash",
            pledged=Decimal("100000"), received=Decimal("50000"),
        )  # fmt: skip
    structure = ManagementStructure.objects.create(partnership=partnership, kind="light")
    for _ in range(20):
        StaffAssignment.objects.create(
            structure=structure, person=PersonFactory(), role="coordinator",
            origin_organization=org, time_share=Decimal(50), start_date=date(2025, 1, 1),
        )  # fmt: skip
    for n in range(50):
        Asset.objects.create(
            partnership=partnership, kind="equipment", name=f"Bien {n}", owner=org,
            provided_by=org, value=Decimal(100), location="" if n % 10 == 0 else "Dépôt",
        )  # fmt: skip
    return partnership, version, lines


def _fill(partnership: Any, version: Any, lines: dict[int, int], rows: int, users: Any) -> None:
    """N expenses, written raw in chunks (the generation is not what is measured)."""
    from django.db import connection, transaction

    from sharaka.finance.models import Expense

    postgres = connection.vendor == "postgresql"
    table = Expense._meta.db_table
    rng = random.Random(15)
    line_ids = sorted(lines)
    start = date(2025, 1, 1)
    recorder, approver = users
    prefix = f"expenses/{partnership.pk}/"
    raw = connection.cursor().cursor
    chunk: list[tuple[Any, ...]] = []
    previous: list[tuple[str, str, Decimal]] = []

    def flush() -> None:
        if postgres:
            with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * len(COLUMNS))
            raw.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", chunk)
        chunk.clear()

    def stamp(at: datetime) -> str:
        return f"{prefix}{at.strftime('%Y%m%d%H%M%S%f')}.pdf"

    with transaction.atomic():
        for n in range(rows):
            line = line_ids[n % len(line_ids)]
            day = start + timedelta(days=rng.randrange(0, 700))
            supplier, reference = f"Fournisseur {n % 97}", f"FAC-{n}"
            amount = Decimal(rng.randrange(100, 999_999)) / 100
            if previous and rng.random() < 0.001:  # entered twice
                supplier, reference, amount = rng.choice(previous)
            elif n % 1000 == 0:
                previous.append((supplier, reference, amount))
            if rng.random() < 0.0001:
                day = date(2024, 12, 20)  # before the plan
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
            roll = rng.random()
            status = "paid" if roll < 0.4 else "approved" if roll < 0.7 else "recorded"
            approved = status in ("approved", "paid")
            paid_at = at + timedelta(days=5) if status == "paid" else None
            document = "" if rng.random() < 0.01 else stamp(at + timedelta(days=1))
            if paid_at is not None and document and rng.random() < 0.0001:
                document = stamp(paid_at + timedelta(days=3))  # attached after payment
            approved_by = approver if approved else None
            if approved and rng.random() < 0.0001:
                approved_by = recorder  # self-approved
            values = (
                partnership.pk, version.pk, lines[line], line, day if postgres else day.isoformat(),
                day.year, amount if postgres else str(amount), "MAD", supplier, reference,
                "Prestation", document, "recu.pdf" if document else "", status, recorder,
                at if postgres else at.isoformat(" "), approved_by,
                (at + timedelta(days=2) if postgres else (at + timedelta(days=2)).isoformat(" "))
                if approved else None,
                approver if status == "paid" else None,
                (paid_at if postgres else paid_at.isoformat(" ")) if paid_at else None,
                False,
            )  # fmt: skip
            chunk.append(values)
            if len(chunk) >= CHUNK:
                flush()
        flush()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}" if postgres else "ANALYZE")


def _raw_checks(partnership: Any) -> dict[str, int]:
    """The same checks in raw SQL: each query returns what the check's rule is handed."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    p = partnership.pk
    e = "finance_expense"
    live = "e.partnership_id = %s AND e.pending = false"
    prefix = f"expenses/{p}/"
    paid_day = (
        "to_char(e.paid_at AT TIME ZONE 'UTC', 'YYYYMMDD')"
        if postgres
        else "strftime('%%Y%%m%%d', e.paid_at)"
    )
    queries = {
        "outside_plan": (
            f"SELECT e.id, e.date FROM {e} e "
            "JOIN planning_planversion v ON v.id = e.plan_version_id "
            "JOIN planning_actionplan p ON p.id = v.plan_id "
            "JOIN planning_activity a ON a.id = e.activity_id "
            "JOIN planning_budgetline l ON l.id = e.line_id "
            f"WHERE {live} AND (v.adopted_on IS NULL OR v.adopted_on > e.date "
            "OR v.superseded_on <= e.date OR p.period_start > e.date OR p.period_end < e.date "
            "OR a.version_id <> e.plan_version_id OR l.activity_id <> e.activity_id)",
            [p],
        ),
        "line_overrun": (
            f"SELECT e.line_id, SUM(e.amount), COUNT(*) FROM {e} e WHERE {live} GROUP BY e.line_id",
            [p],
        ),
        "line_planned": (
            "SELECT b.line_id, SUM(b.amount) FROM planning_budgetamount b "
            "JOIN planning_budgetline l ON l.id = b.line_id "
            "JOIN planning_activity a ON a.id = l.activity_id "
            "JOIN planning_planversion v ON v.id = a.version_id "
            "JOIN planning_actionplan p ON p.id = v.plan_id WHERE p.partnership_id = %s "
            "GROUP BY b.line_id",
            [p],
        ),
        "missing_receipt": (
            f"SELECT e.id, e.date, e.supplier, e.amount FROM {e} e WHERE {live} "
            "AND e.document = '' AND e.reverses_id IS NULL",
            [p],
        ),
        "receipt_after_payment": (
            f"SELECT e.id, e.date, e.paid_at, e.document FROM {e} e WHERE {live} "
            "AND e.paid_at IS NOT NULL AND e.document LIKE %s "
            f"AND substr(e.document, {len(prefix) + 1}, 8) > {paid_day}",
            [p, prefix + "%"],
        ),
        "duplicate": (
            f"SELECT e.id, e.supplier, e.reference, e.amount FROM {e} e "
            f"JOIN (SELECT e.reference, e.amount FROM {e} e WHERE {live} "
            "AND e.reverses_id IS NULL AND e.reference <> '' GROUP BY e.reference, e.amount "
            "HAVING COUNT(*) > 1) d ON d.reference = e.reference AND d.amount = e.amount "
            f"LEFT JOIN {e} r ON r.reverses_id = e.id "
            f"WHERE {live} AND e.reverses_id IS NULL AND r.id IS NULL",
            [p, p],
        ),
        "self_approved": (
            f"SELECT e.id, e.date FROM {e} e WHERE {live} AND e.approved_by_id = "
            "e.recorded_by_id AND e.reverses_id IS NULL",
            [p],
        ),
        "contributions": (
            "SELECT id, year, kind, pledged, received, valuation_method, valuation_note "
            "FROM finance_contribution WHERE partnership_id = %s",
            [p],
        ),
        "staff": (
            "SELECT s.id, s.person_id, s.time_share, s.start_date, s.end_date "
            "FROM structure_staffassignment s WHERE s.person_id IN (SELECT t.person_id FROM "
            "structure_staffassignment t JOIN structure_managementstructure m "
            "ON m.id = t.structure_id WHERE m.partnership_id = %s)",
            [p],
        ),
        "assets": (
            "SELECT id, name, owner_id, location FROM structure_asset WHERE partnership_id = %s",
            [p],
        ),
        "minutes": (
            "SELECT m.id, m.starts_at, n.id, n.signed_at FROM meetings_meeting m "
            "LEFT JOIN meetings_minutes n ON n.meeting_id = m.id WHERE m.partnership_id = %s "
            "AND m.status IN ('held', 'minutes_drafted', 'minutes_signed', 'published')",
            [p],
        ),
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in queries.items():
            cursor.execute(sql, params)
            n = 0
            while batch := cursor.fetchmany(2000):
                n += len(batch)
            counts[name] = n
    return counts


def child(rows: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", interactive=False, verbosity=0)
    from sharaka.audit import checks

    users = get_user_model().objects
    admin = users.create_superuser("bench", "b@example.org", "x")
    other = users.create_user("bench2", "c@example.org", "x")
    partnership, version, lines = _world(admin)
    t0 = time.perf_counter()
    _fill(partnership, version, lines, rows, (admin.pk, other.pk))
    fill_seconds = time.perf_counter() - t0

    checks.run_checks(partnership)  # warm the caches once, as the raw SQL below will be
    rss_before = rss_mb()
    check_seconds = best(lambda: checks.run_checks(partnership))
    rss_after = rss_mb()
    with CaptureQueriesContext(connection) as queries:
        outcome = checks.run_checks(partnership)
    raw_seconds = best(lambda: _raw_checks(partnership))
    assert not outcome.errors, outcome.errors
    return {
        "backend": connection.vendor,
        "rows": rows,
        "fill_seconds": round(fill_seconds, 1),
        "checks_ms": round(check_seconds * 1000),
        "raw_sql_ms": round(raw_seconds * 1000),
        "ratio": round(check_seconds / raw_seconds, 2),
        "queries": len(queries.captured_queries),
        "findings": outcome.counts(),
        "raw_rows": _raw_checks(partnership),
        "per_check_ms": {k: round(v * 1000) for k, v in outcome.seconds.items()},
        "rss_before_checks_mb": round(rss_before),
        "peak_rss_mb": round(rss_after),
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
        result = run_child(__file__, "bench_audit", ["--rows", str(args.rows)], backend, url)
        if result is None:
            ok = False
            continue
        print(json.dumps(result))
        print(
            f"{result['backend']}: {result['rows']:,} expenses: checks {result['checks_ms']} ms "
            f"in {result['queries']} queries vs raw SQL {result['raw_sql_ms']} ms -> "
            f"{result['ratio']}x (goal <= 2); peak RSS {result['peak_rss_mb']} MB "
            f"(before the checks {result['rss_before_checks_mb']} MB)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
