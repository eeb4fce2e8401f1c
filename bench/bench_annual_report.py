"""Benchmark: render the annual evaluation report to PDF for 40 indicators x 5 years of
quarterly measurements, beside the convention PDF of the same run (issue 14).

Not a test. Run from the repository root:

    uv run python bench/bench_annual_report.py [--runs N] [--lang fr|ar|en]

It builds a throw-away SQLite database in a temporary folder (your ``var/`` is untouched),
the 30-article convention of ``bench_convention_render.py`` and, on the same partnership,
a results framework of 4 results x 10 indicators with yearly targets 2022-2026 and a
measurement every quarter of those five years (800 measurements, a quarter of them
disaggregated by sex), then times, first render and median of the next runs:

* the annual report 2026 PDF (HTML template with 40 SVG charts + WeasyPrint);
* the convention PDF;

and prints their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "bench_convention", HERE / "bench_convention_render.py"
)
assert _spec is not None and _spec.loader is not None
convention_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(convention_bench)

YEARS = range(2022, 2027)
QUARTERS = ((1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31))


def _framework(partnership: Any) -> int:
    from django.contrib.auth import get_user_model

    from sharaka.evaluation import services

    admin = get_user_model().objects.get(username="bench")
    count = 0
    for r in range(4):
        result = services.result_create(
            by=admin, partnership=partnership,
            fields={"kind": "output", "title": f"Résultat {r + 1}", "order": r},
        )  # fmt: skip
        for i in range(10):
            by_sex = i % 4 == 0
            indicator = services.indicator_create(
                by=admin, result=result,
                fields={"title": f"Indicateur {r + 1}.{i + 1}", "measure": "unit",
                        "baseline_value": Decimal(100), "baseline_date": date(2022, 1, 1),
                        "by_sex": by_sex, "order": i, "unit_label": "personnes"},
            )  # fmt: skip
            for k, year in enumerate(YEARS, start=1):
                services.target_set(
                    by=admin, indicator=indicator,
                    fields={"period_start": date(year, 1, 1), "period_end": date(year, 12, 31),
                            "value": Decimal(100 + 40 * k)},
                )  # fmt: skip
            for k, year in enumerate(YEARS):
                for q, (m1, m2, d2) in enumerate(QUARTERS):
                    value = Decimal(100 + 40 * k + 9 * q + i)
                    fields: dict[str, Any] = {
                        "period_start": date(year, m1, 1), "period_end": date(year, m2, d2),
                        "measured_on": date(year, m2, d2), "value": value,
                        "source": "Registre",
                    }  # fmt: skip
                    if by_sex:
                        fields |= {"women": value - 50, "men": Decimal(50)}
                    services.measurement_enter(by=admin, indicator=indicator, fields=fields)
                    count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs after the first")
    parser.add_argument("--lang", choices=("fr", "ar", "en"), default="fr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sharaka-bench-") as tmp:
        convention_bench._setup(Path(tmp))
        from sharaka.conventions.renderers import render_version
        from sharaka.evaluation import report

        version = convention_bench._convention()
        partnership = version.convention.partnership
        measurements = _framework(partnership)
        rep_first, rep_median, pdf = convention_bench._time(
            lambda: report.render_pdf(
                report.report_get(partnership=partnership, year=2026, lang=args.lang)
            ),
            args.runs,
        )
        conv_first, conv_median, conv = convention_bench._time(
            lambda: render_version(version, "pdf", args.lang), args.runs
        )

    print(f"Annual evaluation report, 40 indicators, {measurements} measurements, language "
          f"{args.lang}, median of {args.runs} runs after a first one")  # fmt: skip
    print(f"  annual report PDF   first {rep_first:7.3f} s   median {rep_median:7.3f} s   "
          f"{len(pdf) / 1024:6.0f} KiB")  # fmt: skip
    print(f"  convention PDF      first {conv_first:7.3f} s   median {conv_median:7.3f} s   "
          f"{len(conv) / 1024:6.0f} KiB")  # fmt: skip
    print(f"  ratio report / convention: median {rep_median / conv_median:.2f}, "
          f"first {rep_first / conv_first:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
