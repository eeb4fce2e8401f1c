"""``sharaka audit check SLUG [--json]``: run the pre-audit checks of one partnership.

Exit status: 0 no finding; 1 findings (or a check that failed, named on stderr); 2 bad
input (unknown partnership), one line on stderr. The run is stored like the page's.
"""

from __future__ import annotations

import json
from typing import TextIO

from sharaka.audit import services
from sharaka.audit.models import Trigger
from sharaka.partnerships.models import Partnership


def check(slug: str, *, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        print(f"sharaka audit check: unknown partnership {slug!r}", file=stderr)
        return 2
    _run, outcome = services.check_run(by=None, partnership=partnership, trigger=Trigger.COMMAND)
    for code, why in sorted(outcome.errors.items()):
        print(f"sharaka audit check: check {code} failed: {why}", file=stderr)
    if as_json:
        items = [
            {
                "code": f.code.value,
                "severity": f.severity.value,
                "message": f.message,
                "reference": f.check.reference,
                "records": [r.as_dict() for r in f.records],
            }
            for f in outcome.findings
        ]
        stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    else:
        for f in outcome.findings:
            records = ", ".join(f"{r.type}:{r.id}" for r in f.records)
            print(f"{f.severity.value:8} {f.code.value}: {f.message} [{records}]", file=stdout)
        print(f"{len(outcome.findings)} finding(s) in {slug}", file=stdout)
    return 1 if outcome.findings or outcome.errors else 0
