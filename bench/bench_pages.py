"""Benchmark (not a test): the main pages' server time and query count at seed scale,
beside a small baseline measured in the same run (issue 19).

    uv run python bench/bench_pages.py [--scale 0.01] [--repeat 10]
                                       [--backend sqlite|postgresql] [--full]
                                       [--migrations]

In a child process with its own throw-away database (a temporary SQLite file; on
PostgreSQL a fresh database on DATABASE_URL's server, default
``postgres://postgres@127.0.0.1:5432/test``, dropped afterwards):

0. creates the tables straight from the models (``--migrations``: by the migrations, which
   takes minutes on a busy 2-core machine; no page measured depends on their data);
1. seeds a small baseline with ``sharaka seed-scale``'s code (seed 1: 40 authorities, 20
   partnerships, 2,000 expenses) and refreshes the observatory's snapshot;
2. serves each key page ``--repeat`` times through Django's full request stack (test
   client, signed in: a platform administrator; the observatory as the national and a
   province supervisor; the API with a bearer token), and replays the page's SQL (its
   SELECT statements as captured) directly on the connection, the same number of times;
3. seeds the scale data set beside it (seed 2, ``--scale``, default 0.01: 15 authorities,
   120 partnerships, 20,000 expenses; 100 times that at ``--full``), refreshes the
   snapshot, and measures the same pages on objects of the large set (the finance pages on
   its biggest partnership);
4. prints, per page, p50/p95 server time and p50 SQL replay time at both sizes, the query
   counts (they should be equal) and the ratio large/small of the p50s, and checks the
   issue's target (p95 <= 2 x SQL + 10 ms, and <= 300 ms).

``--full`` is ``--scale 1`` (1,500 authorities, 12,000 partnerships, 2,000,000 expenses:
use it on PostgreSQL, it takes a long time). The default run stays under ~3 minutes on the
2-core development machine. Timings are wall-clock in one process, cold caches excluded
(one warm-up request per page).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

from _common import DEFAULT_PG, ROOT, run_child

TARGET_ABS_MS = 300.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def child(scale: float, repeat: int, migrations: bool) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    migrating = time.monotonic()
    if not migrations:  # tables straight from the models: minutes faster on a busy machine
        from django.apps import apps

        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", interactive=False, verbosity=0, run_syncdb=not migrations)
    migrate_s = time.monotonic() - migrating

    from sharaka import seed_scale
    from sharaka.observatory.refresh import snapshot_refresh

    quiet = lambda _line: None  # noqa: E731
    started = time.monotonic()
    seed_scale.seed(seed_scale.sizes(authorities=40, partnerships=20, expenses=2000), seed=1,
                    say=quiet)  # fmt: skip
    snapshot_refresh()
    small = _measure("SEED1", repeat)
    seeded = time.monotonic()
    size = seed_scale.sizes(scale=scale)
    counts = seed_scale.seed(size, seed=2, say=quiet)
    seed_s = time.monotonic() - seeded
    refreshed = time.monotonic()
    refresh = snapshot_refresh()
    refresh_s = time.monotonic() - refreshed
    large = _measure("SEED2", repeat)
    return {
        "small": small, "large": large, "counts": counts, "seed_s": seed_s,
        "refresh_s": refresh_s, "migrate_s": migrate_s, "refresh_ms": refresh.duration_ms,
        "total_s": time.monotonic() - started,
    }  # fmt: skip


def _pages(tag: str) -> tuple[list[tuple[str, str, str]], dict[str, Any]]:
    """(name, user key, URL) of each page on objects of the data set ``tag``."""
    from django.db.models import Count

    from sharaka.finance.models import Expense
    from sharaka.meetings.models import Meeting
    from sharaka.partnerships.models import Partnership

    ours = Partnership.objects.filter(slug__startswith=tag.lower())
    total = Partnership.objects.count()
    big = (
        Expense.objects.filter(partnership__in=ours).values("partnership_id")
        .annotate(n=Count("id")).order_by("-n").first()
    )  # fmt: skip
    biggest = Partnership.objects.get(pk=big["partnership_id"]) if big else ours.first()
    p = ours.order_by("pk").first()
    public = ours.filter(status="active").order_by("pk").first() or p
    assert p is not None and biggest is not None
    n_expenses = big["n"] if big else 0
    from sharaka.accounts.models import User

    # the province of the data set's first province supervisor (its user signs in below)
    province = User.objects.get(username=f"{tag.lower()}.tutelle.p000").territory_id
    s, b = p.slug, biggest.slug
    deep_list = max(1, total // 25 - 1)
    deep_expenses = max(1, n_expenses // 25 - 1)
    deep_api = max(1, n_expenses // 100 - 1)
    deep_api_list = max(1, total // 25 - 1)
    meetings = Meeting.objects.count()
    pages = [
        ("home", "admin", "/"),
        ("partnership list p1", "admin", "/partenariats/"),
        ("partnership search", "admin", f"/partenariats/?q={tag}+0001"),
        ("partnership list deep", "admin", f"/partenariats/?page={deep_list}"),
        ("partnership detail", "admin", f"/partenariats/{s}/"),
        ("board", "admin", f"/partenariats/{s}/conseil/"),
        ("meetings", "admin", f"/partenariats/{s}/reunions/"),
        ("decisions register", "admin", f"/partenariats/{s}/decisions/"),
        ("convention", "admin", f"/partenariats/{s}/convention/"),
        ("plan", "admin", f"/partenariats/{s}/plan/"),
        ("finance summary (biggest)", "admin", f"/partenariats/{b}/finances/"),
        ("expenses p1 (biggest)", "admin", f"/partenariats/{b}/finances/depenses/"),
        ("expenses deep (biggest)", "admin",
         f"/partenariats/{b}/finances/depenses/?page={deep_expenses}"),
        ("portal list", "anonymous", "/portail/"),
        ("portal detail", "anonymous", f"/portail/{public.slug}/"),
        ("observatory country", "national", "/observatoire/"),
        ("observatory province", "province", f"/observatoire/provinces/{province}/"),
        ("api partnerships p1", "api", "/api/partnerships"),
        ("api partnerships deep", "api", f"/api/partnerships?page={deep_api_list}"),
        ("api expenses p1 (biggest)", "api", f"/api/finance/partnerships/{b}/expenses"),
        ("api expenses deep (biggest)", "api",
         f"/api/finance/partnerships/{b}/expenses?page={deep_api}"),
        ("api meetings p1", "api", "/api/meetings"),
        ("api decisions p1", "api", "/api/meetings/decisions"),
    ]  # fmt: skip
    return pages, {"province": province, "meetings": meetings, "expenses": n_expenses}


def _clients(tag: str) -> dict[str, Any]:
    from django.test import Client

    from sharaka.accounts.models import ApiToken, GlobalRole, User

    admin, _ = User.objects.get_or_create(
        username=f"bench.admin.{tag.lower()}",
        defaults={"role": GlobalRole.PLATFORM_ADMIN, "is_staff": True},
    )
    national = User.objects.get(username=f"{tag.lower()}.tutelle.nationale")
    province = User.objects.get(username=f"{tag.lower()}.tutelle.p000")
    from tests.conftest import sign_in  # signs in with the second factor confirmed

    clients: dict[str, Any] = {"anonymous": Client()}
    for key, user in (("admin", admin), ("national", national), ("province", province)):
        clients[key] = sign_in(Client(), user)
    _token, raw = ApiToken.issue(user=admin, name="bench", scope="read")
    clients["api"] = Client(headers={"Authorization": f"Bearer {raw}"})
    return clients


def _measure(tag: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    pages, info = _pages(tag)
    clients = _clients(tag)
    results: dict[str, Any] = {"info": info, "pages": {}}
    for name, who, url in pages:
        client = clients[who]
        client.get(url)  # warm-up: caches, session
        captured: list[tuple[str, Any]] = []

        def record(
            execute: Any, sql: str, params: Any, many: bool, context: Any,
            into: list[tuple[str, Any]] = captured,
        ) -> Any:  # fmt: skip
            into.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            status = client.get(url).status_code
        selects = [(sql, params) for sql, params in captured
                   if sql.lstrip().upper().startswith(("SELECT", "WITH"))]  # fmt: skip
        server: list[float] = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(url)
            server.append((time.perf_counter() - t0) * 1000)
        sql: list[float] = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for statement, params in selects:
                    cursor.execute(statement, params)
                    cursor.fetchall()
            sql.append((time.perf_counter() - t0) * 1000)
        results["pages"][name] = {
            "url": url, "status": status, "queries": len(captured),
            "p50": statistics.median(server), "p95": _pct(server, 0.95),
            "sql": statistics.median(sql),
        }  # fmt: skip
    return results


def report(backend: str, scale: float, result: dict[str, Any]) -> bool:
    counts = result["counts"]
    print(f"\n## {backend}, --scale {scale}: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))  # fmt: skip
    print(f"migrate {result['migrate_s']:.0f} s, seed {result['seed_s']:.1f} s, "
          f"observatory refresh {result['refresh_s']:.1f} s, "
          f"seeds and pages {result['total_s']:.0f} s\n")  # fmt: skip
    print("| page | status | queries small/large | small p50 | large p50 / p95 | large SQL p50 "
          "| large/small | target |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    ok = True
    for name, large in result["large"]["pages"].items():
        small = result["small"]["pages"][name]
        ratio = large["p50"] / small["p50"] if small["p50"] else 0.0
        within = large["p95"] <= min(2 * large["sql"] + 10, TARGET_ABS_MS)
        ok = ok and within and large["status"] == 200
        status = str(large["status"])
        print(f"| {name} | {status} | {small['queries']}/{large['queries']} "
              f"| {small['p50']:.1f} ms | {large['p50']:.1f} / {large['p95']:.1f} ms "
              f"| {large['sql']:.1f} ms | {ratio:.2f}x "
              f"| {'ok' if within else 'MISSED'} |")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--full", action="store_true", help="--scale 1 (national size)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--migrations", action="store_true",
                        help="build the database by the migrations (slower) rather than "
                             "straight from the models")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 1.0 if args.full else args.scale
    if args.child:
        print(json.dumps(child(scale, args.repeat, args.migrations)))
        return 0
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    flags = ["--scale", str(scale), "--repeat", str(args.repeat)]
    flags += ["--migrations"] if args.migrations else []
    result = run_child(__file__, "bench_pages", flags, args.backend, url)
    if result is None:
        return 1
    ok = report(args.backend, scale, result)
    print("\nevery page within target" if ok else "\nsome pages miss the target (see above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
