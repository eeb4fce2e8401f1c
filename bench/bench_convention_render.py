"""Benchmark: render a 30-article convention to PDF and DOCX, against LibreOffice converting
that DOCX to PDF (the usual way to get a PDF out of a word-processing template).

Not a test. Run from the repository root:

    uv run python bench/bench_convention_render.py [--runs N] [--lang fr|ar|en]

It builds a throw-away SQLite database in a temporary folder (your ``var/`` is untouched),
drafts a management convention from the catalogue (25 clauses) plus 5 free articles, and
times, in the same run:

* our PDF (HTML template + WeasyPrint), first render and median of the next runs;
* our DOCX (python-docx), likewise;
* the baseline: ``soffice --headless --convert-to pdf`` on our DOCX, first run (cold
  profile) and median of the next runs. Without LibreOffice the baseline prints
  "baseline unavailable" (Debian: ``apt-get install libreoffice-writer-nogui``).

Goals (issue 6): our PDF faster than the conversion; the DOCX under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ARTICLES = 30


def _setup(workdir: Path) -> None:
    os.environ["SHARAKA_VAR_DIR"] = str(workdir / "var")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharaka.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _convention() -> Any:
    from django.contrib.auth import get_user_model

    from sharaka.conventions import services
    from sharaka.directory.models import Organization, Person
    from sharaka.partnerships.models import Partnership, Party

    commune = Organization.objects.create(name="Commune d'Oued Zitoune", kind="commune",
                                          default_college="local_public")  # fmt: skip
    association = Organization.objects.create(name="Association Amal", kind="association",
                                              default_college="associative")  # fmt: skip
    partnership = Partnership.objects.create(
        title="Gestion du complexe sportif municipal", slug="complexe-sportif",
        kind="management", category="facility", sector="sports_facility", complexity="large",
        lead_authority=commune,
    )  # fmt: skip
    Party.objects.create(partnership=partnership, organization=commune, role="lead")
    Party.objects.create(partnership=partnership, organization=association, role="partner")
    admin = get_user_model().objects.create(username="bench", role="platform_admin")
    convention = services.convention_create(by=admin, partnership=partnership)
    version = convention.versions.get(number=0)
    while version.clauses.count() < ARTICLES:
        n = version.clauses.count() + 1
        services.clause_add(
            by=admin, version=version, code="custom",
            texts={"title_fr": f"Disposition particulière {n}",
                   "title_ar": f"مقتضى خاص {n}", "title_en": f"Particular provision {n}",
                   "text_fr": "Les parties conviennent de dispositions particulières. " * 8,
                   "text_ar": "تتفق الأطراف على مقتضيات خاصة. " * 8,
                   "text_en": "The parties agree on particular provisions. " * 8},
        )  # fmt: skip
    for org, last in ((commune, "Alaoui"), (association, "Bennani")):
        person = Person.objects.create(first_name="F.", last_name=last, gender="f",
                                       organization=org)  # fmt: skip
        services.signatory_add(
            by=admin,
            version=version,
            organization=org,
            person=person,
            capacity="Présidente",
            mandate_reference="Délibération n° 1",
        )
    return version


def _time(action: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    started = time.perf_counter()
    result = action()
    first = time.perf_counter() - started
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        durations.append(time.perf_counter() - started)
    return first, statistics.median(durations), result


def _libreoffice(docx: Path, runs: int, workdir: Path) -> tuple[float, float] | None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    profile = workdir / "lo-profile"
    out = workdir / "lo-out"
    out.mkdir(exist_ok=True)

    def convert() -> None:
        subprocess.run(
            [office, "--headless", f"-env:UserInstallation=file://{profile}",
             "--convert-to", "pdf", "--outdir", str(out), str(docx)],
            capture_output=True, check=True, timeout=300,
        )  # fmt: skip

    try:
        first, median, _ = _time(convert, runs)
    except (subprocess.SubprocessError, OSError):
        return None
    return first, median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the first")
    parser.add_argument("--lang", choices=("fr", "ar", "en"), default="fr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sharaka-bench-") as tmp:
        workdir = Path(tmp)
        _setup(workdir)
        from sharaka.conventions.renderers import render_version

        version = _convention()
        articles = version.clauses.count()
        pdf_first, pdf_median, pdf = _time(lambda: render_version(version, "pdf", args.lang),
                                           args.runs)  # fmt: skip
        docx_first, docx_median, docx = _time(
            lambda: render_version(version, "docx", args.lang), args.runs
        )
        docx_path = workdir / "convention.docx"
        docx_path.write_bytes(docx)
        baseline = _libreoffice(docx_path, max(1, min(args.runs, 3)), workdir)

    print(f"Convention rendering, {articles} articles, language {args.lang}, "
          f"median of {args.runs} runs after a first one")  # fmt: skip
    print(f"  PDF  (WeasyPrint)   first {pdf_first:7.3f} s   median {pdf_median:7.3f} s   "
          f"{len(pdf) / 1024:6.0f} KiB")  # fmt: skip
    print(f"  DOCX (python-docx)  first {docx_first:7.3f} s   median {docx_median:7.3f} s   "
          f"{len(docx) / 1024:6.0f} KiB   goal < 0.300 s: "
          f"{'met' if docx_median < 0.3 else 'NOT met'}")  # fmt: skip
    if baseline is None:
        print("  LibreOffice DOCX -> PDF: baseline unavailable")
        return 0
    lo_first, lo_median = baseline
    print(f"  LibreOffice DOCX -> PDF (baseline)   first {lo_first:7.3f} s   "
          f"median {lo_median:7.3f} s")  # fmt: skip
    print(f"  ratio our PDF / LibreOffice conversion: median {pdf_median / lo_median:.2f}, "
          f"first {pdf_first / lo_first:.2f}  goal < 1: "
          f"{'met' if pdf_median < lo_median else 'NOT met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
