"""Background runs of the pre-audit checks: the nightly job and the large partnerships'
"run now" (ADR 0016 for the queue, 0023 for the split)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from sharaka.audit import recommendations, services
from sharaka.audit.models import CheckRun, Trigger
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.types import Actor
from sharaka.finance.models import Expense
from sharaka.partnerships.models import Partnership, StatusChoice

logger = logging.getLogger(__name__)

#: A partnership with up to this many expenses is checked within the request (about a
#: second, bench/bench_audit.py); a larger one on the task queue (docs/decisions/0023).
INLINE_EXPENSES = 50_000

#: Partnerships checked every night: those whose records still move.
CHECKED_STATUSES = (StatusChoice.ACTIVE, StatusChoice.SUSPENDED, StatusChoice.TERMINATING)


@task()
def check_run_task(*, partnership_id: int, user_id: int | None = None) -> int:
    """Run the checks of one partnership; returns the number of findings."""
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        return 0
    if user_id is None:
        run, _outcome = services.check_run(
            by=None, partnership=partnership, trigger=Trigger.SCHEDULER
        )
    else:
        user = get_user_model().objects.get(pk=user_id)
        run, _outcome = services.check_run(by=user, partnership=partnership)
    return run.finding_count


def checks_nightly() -> int:
    """The periodic job: one queued run per active partnership; returns how many."""
    ids = list(
        Partnership.objects.filter(status__in=CHECKED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        check_run_task.enqueue(partnership_id=pk)
    return len(ids)


def check_run_request(*, by: Actor, partnership: Partnership) -> CheckRun | None:
    """The button "run the checks now": at once for a partnership of ordinary size (the
    run is returned), on the task queue for a large one (``None``: it will appear)."""
    require(by, Perm.AUDIT_RUN, partnership)
    if Expense.objects.filter(partnership=partnership).count() <= INLINE_EXPENSES:
        return services.check_run(by=by, partnership=partnership)[0]
    user = signed_in(by)
    transaction.on_commit(
        lambda: check_run_task.enqueue(partnership_id=partnership.pk, user_id=user.pk)
    )
    return None


def recommendations_escalate() -> int:
    """The daily job: overdue recommendations onto their next board meeting's agenda
    (ADR 0047); returns how many items were added."""
    return recommendations.escalate_overdue()
