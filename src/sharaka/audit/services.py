"""Running the pre-audit checks and storing what they found (issue 15).

The checks read (``audit.checks``); only this module writes, and only the run and its
findings: a run changes no record of the partnership.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sharaka.audit import checks, rules
from sharaka.audit.models import CheckFinding, CheckRun, Trigger
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.types import Actor, SignedIn
from sharaka.partnerships.models import Partnership

#: Runs kept per partnership (the oldest are deleted with their findings).
KEEP_RUNS = 20
#: Findings stored per check and run; ``CheckRun.counts`` keeps the full count.
KEEP_FINDINGS = 500


def _store(
    partnership: Partnership,
    outcome: checks.Outcome,
    *,
    trigger: Trigger,
    by: SignedIn | None,
    started: datetime,
    seconds: float,
) -> CheckRun:
    with transaction.atomic():
        run = CheckRun.objects.create(
            partnership=partnership,
            started_at=started,
            trigger=trigger,
            run_by=by,
            duration_ms=round(seconds * 1000),
            errors=outcome.errors,
            counts=outcome.counts(),
            finding_count=len(outcome.findings),
        )
        kept: dict[str, int] = {}
        rows = []
        for finding in outcome.findings:
            code = finding.code.value
            kept[code] = kept.get(code, 0) + 1
            if kept[code] > KEEP_FINDINGS:
                continue
            rows.append(
                CheckFinding(
                    run=run,
                    code=code,
                    severity=finding.severity.value,
                    rank=rules.SEVERITY_RANK[finding.severity],
                    params=dict(finding.params),
                    records=[record.as_dict() for record in finding.records],
                )
            )
        CheckFinding.objects.bulk_create(rows, batch_size=500)
        old = list(
            CheckRun.objects.filter(partnership=partnership)
            .order_by("-started_at", "-id")
            .values_list("id", flat=True)[KEEP_RUNS:]
        )
        if old:
            CheckRun.objects.filter(id__in=old).delete()
    return run


def check_run(
    *, by: Actor | None, partnership: Partnership, trigger: Trigger = Trigger.USER
) -> tuple[CheckRun, checks.Outcome]:
    """Run every check over ``partnership`` now and store the findings. ``by=None``: the
    scheduler or the command line (no user to ask)."""
    user = None
    if by is not None:
        require(by, Perm.AUDIT_RUN, partnership)
        user = signed_in(by)
    started = timezone.now()
    clock = time.perf_counter()
    outcome = checks.run_checks(partnership)
    seconds = time.perf_counter() - clock
    run = _store(partnership, outcome, trigger=trigger, by=user, started=started, seconds=seconds)
    return run, outcome
