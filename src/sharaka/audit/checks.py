"""The facts of each pre-audit check, gathered for one partnership (docs/decisions/0023).

``audit.rules`` decides; this module asks the database for what each rule needs, and no
more. Where the volume is large (expenses: a million rows must stay fast and flat in
memory) SQL does the filtering and the grouping and hands the rule only the candidate rows,
streamed with ``.iterator()``; small tables (contributions, staff, assets, meetings, files)
are read whole. Each check reads only: running them writes nothing (``audit.services``
stores the findings).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Replace, Substr, TruncDate
from django.utils import timezone

from sharaka.audit import rules
from sharaka.audit.rules import Code, Finding
from sharaka.directory.models import OrganizationKind
from sharaka.finance.models import Contribution, ContributionKind, Expense, OverrunAuthorisation
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings.models import Meeting, MeetingStatusChoice
from sharaka.partners.models import AdmissibilityFile, CheckStatus, Evidence
from sharaka.partnerships.models import Partnership, Party
from sharaka.planning.models import BudgetAmount, BudgetLine
from sharaka.planning.selectors import plan_in_force_get
from sharaka.structure.models import Asset, StaffAssignment

logger = logging.getLogger(__name__)

#: rows fetched per round trip when streaming candidates
CHUNK = 2000
#: Minutes are due this many working days after the meeting (law 113-14, art. 116) until
#: the convention states its own delay.
MINUTES_DELAY_DAYS = 15
HELD = (
    MeetingStatusChoice.HELD,
    MeetingStatusChoice.MINUTES_DRAFTED,
    MeetingStatusChoice.MINUTES_SIGNED,
    MeetingStatusChoice.PUBLISHED,
)


def outside_plan(partnership: Partnership, today: date) -> list[Finding]:
    # SQL keeps the rows where one condition of "charged to the plan in force" fails.
    outside = (
        Q(plan_version__adopted_on__isnull=True)
        | Q(plan_version__adopted_on__gt=F("date"))
        | Q(plan_version__superseded_on__lte=F("date"))
        | Q(plan_version__plan__period_start__gt=F("date"))
        | Q(plan_version__plan__period_end__lt=F("date"))
        | ~Q(activity__version_id=F("plan_version_id"))
        | ~Q(line__activity_id=F("activity_id"))
    )
    rows = (
        Expense.objects.filter(outside, partnership=partnership)
        .order_by()
        .values_list(
            "id",
            "date",
            "plan_version_id",
            "plan_version__adopted_on",
            "plan_version__superseded_on",
            "plan_version__plan__period_start",
            "plan_version__plan__period_end",
            "activity_id",
            "activity__version_id",
            "line__activity_id",
        )
    )
    return rules.outside_plan(rules.ExpenseInPlan(*row) for row in rows.iterator(CHUNK))


def line_overrun(partnership: Partnership, today: date) -> list[Finding]:
    # What each line used: one GROUP BY line over the expenses (spent and committed alike,
    # net of reversals). As on finance's budget page, an expense charged to an earlier
    # version of the plan counts on the matching line of the version in force (same activity
    # code, category and label), and the tolerance is that of the rules in force.
    version = plan_in_force_get(partnership=partnership, at=today)
    if version is None:
        return []
    lines = list(
        BudgetLine.objects.filter(activity__version=version)
        .select_related("activity")
        .order_by("activity__code", "pk")
    )
    current = {(line.activity.code, line.category, line.label): line.pk for line in lines}
    target = {
        pk: current.get((code, category, label))
        for pk, code, category, label in BudgetLine.objects.filter(
            activity__version__plan_id=version.plan_id
        ).values_list("pk", "activity__code", "category", "label")
    }
    used: dict[int, Decimal] = defaultdict(Decimal)
    for line_id, total in (
        Expense.objects.filter(partnership=partnership)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("line_id", "total")
    ):
        line = target.get(line_id)
        if line is not None:
            used[line] += total or 0
    ids = [line.pk for line in lines]
    planned = _sums(BudgetAmount.objects.filter(line_id__in=ids))
    authorised = _sums(OverrunAuthorisation.objects.filter(line_id__in=ids))
    return rules.line_overruns(
        (
            rules.LineUse(
                id=line.pk,
                label=f"{line.activity.code} {line.label or line.get_category_display()}",
                planned=planned.get(line.pk, Decimal(0)),
                used=used.get(line.pk, Decimal(0)),
                authorised=authorised.get(line.pk, Decimal(0)),
            )
            for line in lines
        ),
        tolerance=rules_in_force_get(partnership=partnership, at=today).expense_tolerance,
    )


def _sums(rows: QuerySet[Any]) -> dict[int, Decimal]:
    """``SUM(amount)`` per line of a table with ``line_id`` and ``amount``."""
    grouped = rows.values("line_id").annotate(total=Sum("amount")).order_by()
    return {line: total or Decimal(0) for line, total in grouped.values_list("line_id", "total")}


def missing_receipt(partnership: Partnership, today: date) -> list[Finding]:
    rows = (
        Expense.objects.filter(partnership=partnership, document="", reverses__isnull=True)
        .order_by()
        .values_list("id", "date", "supplier", "amount")
    )
    return rules.missing_receipts(
        rules.ExpenseReceipt(pk, day, supplier, amount, has_receipt=False)
        for pk, day, supplier, amount in rows.iterator(CHUNK)
    )


def _stamp_time(name: str, prefix: str) -> datetime | None:
    """When an upload was stored: ``core.models.stamped_path`` names it by the time (UTC)."""
    try:
        stamp = datetime.strptime(name[len(prefix) : len(prefix) + 14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC)


def _utc_day(column: str) -> Func | Replace:
    """``YYYYMMDD`` of a stored time, in UTC. SQLite stores UTC text: its own ``strftime``
    reads it at C speed, where ``TruncDate`` would call a Python function per row."""
    if connection.vendor == "sqlite":
        return Func(Value("%Y%m%d"), F(column), function="strftime", output_field=CharField())
    return Replace(Cast(TruncDate(column, tzinfo=UTC), CharField()), Value("-"), Value(""))


def receipt_after_payment(partnership: Partnership, today: date) -> list[Finding]:
    # The receipt's upload time is in its stored name (expenses/<partnership>/<UTC time>.pdf,
    # ``core.models.stamped_path``): SQL compares its day with the payment's (UTC), the rule
    # confirms on the parsed values.
    prefix = f"expenses/{partnership.pk}/"
    paid_day = _utc_day("paid_at")
    rows = (
        Expense.objects.filter(
            partnership=partnership, paid_at__isnull=False, document__startswith=prefix
        )
        .annotate(paid_day=paid_day, stamp_day=Substr("document", len(prefix) + 1, 8))
        .filter(stamp_day__gt=F("paid_day"))
        .order_by()
        .values_list("id", "date", "paid_at", "document")
    )
    return rules.receipts_after_payment(
        rules.ReceiptTiming(pk, day, paid, _stamp_time(name, prefix))
        for pk, day, paid, name in rows.iterator(CHUNK)
    )


def duplicate(partnership: Partnership, today: date) -> list[Finding]:
    # SQL: the references that occur twice with one amount (GROUP BY ... HAVING), then the
    # rows carrying them; the rule compares suppliers and forms the groups.
    live = Expense.objects.filter(partnership=partnership, reverses__isnull=True).exclude(
        reference=""
    )
    repeated = (
        live.order_by()
        .values("reference", "amount")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("reference")
    )
    rows = (
        live.filter(reference__in=repeated, reversal__isnull=True)
        .order_by()
        .values_list("id", "supplier", "reference", "amount")
    )
    return rules.duplicates(rules.ExpenseKey(*row) for row in rows.iterator(CHUNK))


def self_approved(partnership: Partnership, today: date) -> list[Finding]:
    rows = (
        Expense.objects.filter(
            partnership=partnership,
            approved_by__isnull=False,
            approved_by=F("recorded_by"),
            reverses__isnull=True,
        )
        .order_by()
        .values_list("id", "date", "recorded_by_id", "approved_by_id")
    )
    return rules.self_approved(rules.ExpenseApproval(*row) for row in rows.iterator(CHUNK))


def _contributions(partnership: Partnership) -> list[rules.ContributionFacts]:
    rows = Contribution.objects.filter(partnership=partnership).values_list(
        "id",
        "organization__name",
        "year",
        "kind",
        "pledged",
        "received",
        "valuation_method",
        "valuation_note",
    )
    return [
        rules.ContributionFacts(
            id=pk,
            partner=name,
            year=year,
            in_kind=kind == ContributionKind.IN_KIND,
            pledged=pledged,
            received=received,
            valuation_method=method,
            valuation_note=note,
        )
        for pk, name, year, kind, pledged, received, method, note in rows
    ]


def contribution_overdue(partnership: Partnership, today: date) -> list[Finding]:
    return rules.contributions_overdue(_contributions(partnership), today=today)


def in_kind_unvalued(partnership: Partnership, today: date) -> list[Finding]:
    return rules.in_kind_unvalued(_contributions(partnership))


def staff_overbooked(partnership: Partnership, today: date) -> list[Finding]:
    # Every assignment, in any partnership, of the people who work in this one.
    people = StaffAssignment.objects.filter(structure__partnership=partnership).values("person_id")
    rows = StaffAssignment.objects.filter(person_id__in=people).values_list(
        "id",
        "person_id",
        "person__first_name",
        "person__last_name",
        "time_share",
        "start_date",
        "end_date",
        "structure__partnership_id",
    )
    return rules.staff_overbooked(
        rules.StaffShare(
            id=pk,
            person_id=person,
            person=f"{first} {last}".strip(),
            share=share,
            start=start,
            end=end,
            ours=owner == partnership.pk,
        )
        for pk, person, first, last, share, start, end, owner in rows
    )


def asset_unlocated(partnership: Partnership, today: date) -> list[Finding]:
    rows = Asset.objects.filter(partnership=partnership).values_list(
        "id", "name", "owner_id", "location"
    )
    return rules.assets_unlocated(rules.AssetFacts(*row) for row in rows)


def minutes_late(partnership: Partnership, today: date) -> list[Finding]:
    rows = Meeting.objects.filter(partnership=partnership, status__in=HELD).values_list(
        "id", "starts_at", "minutes__id", "minutes__signed_at"
    )
    return rules.minutes_late(
        (
            rules.MinutesFacts(
                meeting_id=pk,
                held_on=timezone.localdate(starts_at),
                minutes_id=minutes,
                signed_on=timezone.localdate(signed) if signed else None,
            )
            for pk, starts_at, minutes, signed in rows
        ),
        today=today,
        delay_days=MINUTES_DELAY_DAYS,
    )


def admissibility_expired(partnership: Partnership, today: date) -> list[Finding]:
    associations = Party.objects.filter(
        partnership=partnership, organization__kind=OrganizationKind.ASSOCIATION
    ).values("organization_id")
    files = {
        pk: (org, name)
        for pk, org, name in AdmissibilityFile.objects.filter(
            association_id__in=associations, authority_id=partnership.lead_authority_id
        ).values_list("id", "association_id", "association__name")
    }
    pieces: dict[int, dict[str, list[date | None]]] = defaultdict(lambda: defaultdict(list))
    for file_id, criterion, expires in Evidence.objects.filter(
        file_id__in=list(files), status=CheckStatus.ACCEPTED
    ).values_list("file_id", "criterion__code", "expires_on"):
        pieces[file_id][criterion].append(expires)
    return rules.admissibility_expired(
        (
            rules.AdmissibilityFacts(
                file_id=pk,
                organization_id=org,
                partner=name,
                pieces={c: tuple(ends) for c, ends in pieces[pk].items()},
            )
            for pk, (org, name) in sorted(files.items())
        ),
        today=today,
    )


Gather = Callable[[Partnership, date], list[Finding]]

#: Every check, in the order they run.
GATHER: dict[Code, Gather] = {
    Code.OUTSIDE_PLAN: outside_plan,
    Code.LINE_OVERRUN: line_overrun,
    Code.MISSING_RECEIPT: missing_receipt,
    Code.RECEIPT_AFTER_PAYMENT: receipt_after_payment,
    Code.DUPLICATE: duplicate,
    Code.SELF_APPROVED: self_approved,
    Code.CONTRIBUTION_OVERDUE: contribution_overdue,
    Code.IN_KIND_UNVALUED: in_kind_unvalued,
    Code.STAFF_OVERBOOKED: staff_overbooked,
    Code.ASSET_UNLOCATED: asset_unlocated,
    Code.MINUTES_LATE: minutes_late,
    Code.ADMISSIBILITY_EXPIRED: admissibility_expired,
}


@dataclass
class Outcome:
    """What a run of the checks found; ``errors``: the checks that failed, with why."""

    findings: list[Finding] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for finding in self.findings:
            counts[finding.code.value] += 1
        return dict(counts)


def _isolated(gather: Gather, partnership: Partnership, today: date) -> list[Finding]:
    """Inside a transaction (a test, a caller's atomic block) a failed query would break the
    transaction for the checks after it on PostgreSQL: give each check a savepoint then."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return gather(partnership, today)
    return gather(partnership, today)


def run_checks(
    partnership: Partnership,
    *,
    today: date | None = None,
    gather: dict[Code, Gather] | None = None,
) -> Outcome:
    """Run every check over one partnership; a check that fails is reported in
    ``errors`` and the others still run. Reads only."""
    day = today or timezone.localdate()
    outcome = Outcome()
    for code, run in (gather or GATHER).items():
        started = time.perf_counter()
        try:
            outcome.findings.extend(_isolated(run, partnership, day))
        except Exception as error:
            logger.exception("Audit check %s failed for %s", code, partnership.slug)
            outcome.errors[code.value] = f"{type(error).__name__}: {error}"[:500]
        outcome.seconds[code.value] = time.perf_counter() - started
    outcome.findings = rules.sort_findings(outcome.findings)
    return outcome
