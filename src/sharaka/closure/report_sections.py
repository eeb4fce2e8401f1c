"""Three sections of the closure report read from the apps below closure (import-linter
layers let closure read planning, finance, evaluation and audit directly):

- **plan completion**: the activities of the action plan in force, their state and progress,
  planned versus spent (``finance.selectors.budget_summary_get``, the budget-versus-actual
  of the finance pages);
- **results**: each indicator's baseline, final target and last *validated* measurement,
  and where it stands (``evaluation.selectors.indicator_row``, the rule of the monitoring
  page, fed only validated measurements);
- **audit status**: audits by status, findings still open (a recommendation drawn from them
  is still open or in progress), the open recommendations, the last pre-audit check run.

A fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sharaka.audit import plan_rules
from sharaka.audit.models import Audit, AuditFinding, AuditStatus, CheckRun, Recommendation
from sharaka.audit.selectors import run_latest
from sharaka.closure.models import Termination
from sharaka.evaluation import selectors as evaluation
from sharaka.evaluation.models import Indicator, Measurement, MeasurementStatus, Target
from sharaka.finance.selectors import budget_summary_get
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity, ActivityStatus

#: Open recommendations listed in the report (a partnership has a handful).
RECOMMENDATION_ROWS = 200
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ActivityLine:
    code: str
    title: str
    status: str  # its label
    progress: int
    planned: Decimal
    spent: Decimal
    done: bool


@dataclass(frozen=True)
class PlanCompletion:
    plan: str  # "Plan 2025-2027, version 1"
    adopted_on: date | None
    decision: str  # the adoption decision's number, or ""
    currency: str
    activities: tuple[ActivityLine, ...]
    planned: Decimal
    spent: Decimal

    @property
    def done(self) -> int:
        return sum(1 for a in self.activities if a.done)

    @property
    def spent_percent(self) -> int | None:
        return round(self.spent * 100 / self.planned) if self.planned else None


def plan_completion_get(*, partnership: Partnership, at: date) -> PlanCompletion | None:
    """The plan in force on ``at``, its activities planned versus spent (``None`` without an
    adopted plan then)."""
    budget = budget_summary_get(partnership=partnership, at=at)
    version = budget.version
    if version is None:
        return None
    money = {row.code: row.totals for row in budget.activities}
    labels = dict(ActivityStatus.choices)
    lines = []
    for code, title, status, progress in (
        Activity.objects.filter(version=version)
        .order_by("code", "pk")
        .values_list("code", "title", "status", "progress")
    ):
        totals = money.get(code)
        lines.append(ActivityLine(
            code=code, title=title, status=str(labels.get(status, status)), progress=progress,
            planned=totals.planned if totals else ZERO, spent=totals.spent if totals else ZERO,
            done=status == ActivityStatus.DONE,
        ))  # fmt: skip
    return PlanCompletion(
        plan=f"{version.plan} — v{version.number}",
        adopted_on=version.adopted_on,
        decision=version.decision.number if version.decision else "",
        currency=budget.currency,
        activities=tuple(lines),
        planned=budget.total.planned,
        spent=budget.total.spent,
    )


@dataclass(frozen=True)
class IndicatorLine:
    result: str
    name: str
    unit: str
    baseline: Decimal | None
    baseline_date: date
    target: Decimal | None
    target_date: date | None
    last: Decimal | None
    last_date: date | None
    standing: str  # its label


def results_get(*, partnership: Partnership) -> tuple[IndicatorLine, ...]:
    """Every indicator with its baseline, final target and last validated value (three
    queries)."""
    indicators = (
        Indicator.objects.filter(result__partnership=partnership)
        .select_related("result")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("period_start", "pk")),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(status=MeasurementStatus.VALIDATED).order_by(
                    "period_end", "measured_on", "pk"
                ),
            ),
        )
        .order_by("result__order", "result_id", "order", "pk")
    )
    thresholds, _note = evaluation.thresholds_get(partnership=partnership)
    lines = []
    for indicator in indicators:
        row = evaluation.indicator_row(indicator, thresholds=thresholds, rtl=False, chart=False)
        final = next((t for t in reversed(row.targets) if t.value is not None), None)
        lines.append(IndicatorLine(
            result=str(indicator.result), name=indicator.name, unit=indicator.unit_label,
            baseline=indicator.baseline_value, baseline_date=indicator.baseline_date,
            target=final.value if final else None, target_date=final.period_end if final else None,
            last=row.latest.value if row.latest else None,
            last_date=row.latest.period_end if row.latest else None,
            standing=row.status_label,
        ))  # fmt: skip
    return tuple(lines)


@dataclass(frozen=True)
class AuditSection:
    by_status: tuple[tuple[str, int], ...]  # (label, count), every status in order
    audits: int
    findings: int
    open_findings: int
    recommendations: tuple[Recommendation, ...]  # open or in progress, by due date
    last_run: CheckRun | None

    @property
    def open_recommendations(self) -> int:
        return len(self.recommendations)


def audit_status_get(*, partnership: Partnership) -> AuditSection:
    """Audits by status, findings, open recommendations, last check run (four queries)."""
    counts = dict(
        Audit.objects.filter(partnership=partnership)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    pending = sorted(plan_rules.PENDING_RECOMMENDATIONS)
    findings = AuditFinding.objects.filter(audit__partnership=partnership).aggregate(
        total=Count("id", distinct=True),
        open=Count("id", distinct=True, filter=Q(recommendations__status__in=pending)),
    )
    recommendations = tuple(
        Recommendation.objects.filter(partnership=partnership, status__in=pending)
        .select_related("audit")
        .order_by("due_on", "id")[:RECOMMENDATION_ROWS]
    )
    return AuditSection(
        by_status=tuple((str(label), counts.get(value, 0)) for value, label in AuditStatus.choices),
        audits=sum(counts.values()),
        findings=findings["total"] or 0,
        open_findings=findings["open"] or 0,
        recommendations=recommendations,
        last_run=run_latest(partnership=partnership),
    )


def sections_day(termination: Termination | None) -> date:
    """The day the plan in force is read on: today, or the termination's effective date
    when it is already past."""
    today = timezone.localdate()
    if termination is None or termination.effective_date is None:
        return today
    return min(today, termination.effective_date)
