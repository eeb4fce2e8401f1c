"""Open-data benchmark (not a test): the streamed CSV export beside PostgreSQL's own
``COPY (SELECT …) TO STDOUT`` of the same rows.

    uv run python bench/bench_opendata.py [--rows 500000]

Creates a throw-away database on DATABASE_URL's server (default
``postgres://postgres@127.0.0.1:5432/test``), migrates it, adds one public partnership and
N contributions (one ``INSERT … SELECT generate_series``), then times, best of 3:

* ours: ``datasets.csv_chunks(contributions)`` — what ``/open-data/contributions.csv``
  streams (``.values_list().iterator()``, the CSV writer, the cell guards) — written to
  /dev/null, with the peak memory (RSS) growth while it runs;
* baseline: ``COPY (SELECT the same columns, same joins, same order) TO STDOUT WITH CSV
  HEADER`` read through psycopg to /dev/null.

The database is dropped afterwards. Goal (issue 16): memory flat; the time printed beside
the baseline's.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    import psycopg

    server = os.environ.get("DATABASE_URL", DEFAULT_PG)
    name = f"bench_opendata_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return run(_with_db(server, name), args.rows)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, rows: int) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"migrating a fresh PostgreSQL database for {rows} contributions …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    from sharaka.directory.models import Organization
    from sharaka.finance.models import Contribution
    from sharaka.opendata import datasets
    from sharaka.partnerships.models import Partnership

    lead = Organization.objects.create(
        name="Commune de banc d'essai", kind="commune", default_college="local_public"
    )
    partnership = Partnership.objects.create(
        title="Banc d'essai", slug="banc-essai", kind="management", category="facility",
        sector="other", complexity="large", lead_authority=lead, status="active",
    )  # fmt: skip
    table = Contribution._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (partnership_id, organization_id, year, kind, in_kind_type, "
            "description, pledged, received, currency, valuation_method, valuation_note, "
            "created_at, updated_at) SELECT %s, %s, 2020 + i %% 10, 'cash', '', "
            "'Contribution ' || i, i %% 100000, i %% 50000, 'MAD', '', '', now(), now() "
            "FROM generate_series(1, %s) AS i",
            [partnership.pk, lead.pk, rows],
        )
        cursor.execute(f"ANALYZE {table}")
    dataset = datasets.BY_NAME["contributions"]
    sink = open(os.devnull, "wb")  # noqa: SIM115 - kept open for every run

    def ours() -> int:
        size = 0
        for chunk in datasets.csv_chunks(dataset):
            sink.write(chunk)
            size += len(chunk)
        return size

    sql = (
        "COPY (SELECT p.slug, o.name, c.year, c.kind, c.in_kind_type, c.description, "
        "c.pledged, c.received, c.currency, c.valuation_method "
        f"FROM {table} c JOIN partnerships_partnership p ON p.id = c.partnership_id "
        "JOIN directory_organization o ON o.id = c.organization_id "
        "WHERE p.status IN ('active', 'suspended', 'terminated', 'terminating') "
        "ORDER BY p.slug, c.year, o.name, c.id) TO STDOUT WITH CSV HEADER"
    )

    def baseline() -> int:
        size = 0
        raw: Any = connection.connection
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for block in copy:
                sink.write(block)
                size += len(block)
        return size

    connection.ensure_connection()
    results: dict[str, tuple[float, int]] = {}
    before = rss_mb()
    for label, job in (("baseline COPY … TO STDOUT", baseline), ("ours, streamed CSV", ours)):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            size = job()
            times.append(time.perf_counter() - start)
        results[label] = (min(times), size)
        print(f"{label:28} {min(times):7.2f} s  {size / 1e6:7.1f} MB  "
              f"{rows / min(times):10.0f} rows/s", flush=True)  # fmt: skip
    growth = rss_mb() - before
    ratio = results["ours, streamed CSV"][0] / results["baseline COPY … TO STDOUT"][0]
    print(f"ours / COPY: {ratio:.1f}x; peak RSS growth while exporting: {growth:.0f} MB "
          f"(for {rows} rows)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
