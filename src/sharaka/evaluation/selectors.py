"""Results framework reads: the monitoring page's view model (every indicator with where
it stands and its trend chart, in a fixed number of queries), one indicator's page, and
the rows a form or the API needs, always scoped to one partnership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sharaka.core.access import Perm
from sharaka.core.querysets import found
from sharaka.evaluation import rules
from sharaka.evaluation.charts import ChartPoint, trend_chart
from sharaka.evaluation.models import (
    GenderMarker,
    Indicator,
    Measurement,
    MeasurementEvidence,
    MeasurementStatus,
    Result,
    Target,
)
from sharaka.finance.budget import budget_summary_get
from sharaka.finance.rules import Totals
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity
from sharaka.planning.selectors import plan_in_force_get

STATUS_LABELS = {
    rules.Status.ACHIEVED: _("Atteint"),
    rules.Status.ON_TRACK: _("En bonne voie"),
    rules.Status.AT_RISK: _("À surveiller"),
    rules.Status.OFF_TRACK: _("En retard"),
    rules.Status.NOT_DUE: _("Pas encore dû"),
    rules.Status.NO_DATA: _("Pas de mesure"),
    rules.Status.QUALITATIVE: _("Qualitatif"),
}

#: The thresholds of the progress rule. The convention's evaluation clause sets none today
#: (``conventions.catalogue``: results framework, indicators, final evaluation), so every
#: partnership uses the contract's defaults, 9/10 and 3/5 (ADR 0022).
THRESHOLDS = rules.Thresholds()


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.EVALUATION_VIEW) -> Partnership:
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


def gender_marker_get(*, partnership: Partnership) -> GenderMarker | None:
    """The partnership's OECD DAC gender equality marker, ``None`` while not scored."""
    return GenderMarker.objects.filter(partnership=partnership).first()


def thresholds_get(*, partnership: Partnership) -> tuple[rules.Thresholds, str]:
    """The thresholds in force for ``partnership`` and where they come from."""
    note = gettext(
        "Seuils par défaut : en bonne voie à partir de %(on)s %% du chemin attendu, à "
        "surveiller à partir de %(risk)s %% (la clause d'évaluation de la convention n'en "
        "fixe pas)."
    ) % {
        "on": round(THRESHOLDS.on_track * 100),
        "risk": round(THRESHOLDS.at_risk * 100),
    }
    return THRESHOLDS, note


def result_get(*, partnership: Partnership, pk: int) -> Result:
    row = found(
        Result.objects.filter(partnership=partnership, pk=pk).first(),
        gettext("Ce résultat n'existe pas."),
    )
    row.partnership = partnership
    return row


def indicator_get(*, partnership: Partnership, pk: int) -> Indicator:
    row = found(
        Indicator.objects.select_related("result")
        .filter(result__partnership=partnership, pk=pk)
        .first(),
        gettext("Cet indicateur n'existe pas."),
    )
    row.result.partnership = partnership
    return row


def target_get(*, indicator: Indicator, pk: int) -> Target:
    row = found(
        Target.objects.filter(indicator=indicator, pk=pk).first(),
        gettext("Cette cible n'existe pas."),
    )
    row.indicator = indicator
    return row


def measurement_get(*, partnership: Partnership, pk: int) -> Measurement:
    row = found(
        Measurement.objects.select_related("indicator__result", "entered_by", "validated_by")
        .filter(indicator__result__partnership=partnership, pk=pk)
        .first(),
        gettext("Cette mesure n'existe pas."),
    )
    row.indicator.result.partnership = partnership
    return row


def evidence_get(*, measurement: Measurement, pk: int) -> MeasurementEvidence:
    return found(
        MeasurementEvidence.objects.filter(measurement=measurement, pk=pk).first(),
        gettext("Ce justificatif n'existe pas."),
    )


def indicator_list(*, partnership: Partnership) -> list[Indicator]:
    return list(
        Indicator.objects.filter(result__partnership=partnership)
        .select_related("result")
        .order_by("result__order", "result_id", "order", "pk")
    )


def result_choices(*, partnership: Partnership) -> QuerySet[Result]:
    return Result.objects.filter(partnership=partnership).order_by("order", "pk")


def activity_choices(*, partnership: Partnership, linked: Sequence[int] = ()) -> QuerySet[Activity]:
    """The activities of the action plan in force, and those already linked."""
    version = plan_in_force_get(partnership=partnership)
    rows = Activity.objects.filter(version__plan__partnership=partnership)
    rows = rows.filter(version=version) | rows.filter(pk__in=list(linked))
    return rows.select_related("version").distinct().order_by("code", "pk")


# --- Where each indicator stands -------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    standing: rules.Standing
    status_label: str
    latest: Measurement | None
    targets: list[Target]
    measurements: list[Measurement]  # current ones (not superseded), by period
    to_validate: int
    chart: SafeString

    @property
    def status(self) -> str:
        return self.standing.status.value

    @property
    def achieved_percent(self) -> int | None:
        value = self.standing.achieved
        return None if value is None else round(value * 100)

    @property
    def elapsed_percent(self) -> int | None:
        value = self.standing.elapsed
        return None if value is None else round(value * 100)

    @property
    def women_share(self) -> int | None:
        row = self.latest
        if row is None or row.women is None or not row.value:
            return None
        return round(row.women * 100 / row.value)


def _standing(
    indicator: Indicator,
    targets: list[Target],
    current: list[Measurement],
    thresholds: rules.Thresholds,
) -> rules.Standing:
    latest = current[-1] if current else None
    return rules.standing(
        measure=rules.Measure(indicator.measure),
        direction=rules.Direction(indicator.direction),
        baseline=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        targets=[
            rules.TargetPoint(rules.Period(t.period_start, t.period_end), t.value)
            for t in targets
            if t.value is not None
        ],
        actual=(latest.period_end, latest.value)
        if latest is not None and latest.value is not None
        else None,
        thresholds=thresholds,
    )


def _chart(
    indicator: Indicator, targets: list[Target], current: list[Measurement], rtl: bool
) -> SafeString:
    if indicator.baseline_value is None:
        return SafeString("")
    return trend_chart(
        title=gettext("Évolution de « %(name)s » : référence, cibles et mesures")
        % {"name": indicator.name},
        baseline=ChartPoint(indicator.baseline_date, indicator.baseline_value),
        targets=[ChartPoint(t.period_end, t.value) for t in targets if t.value is not None],
        measurements=[
            ChartPoint(m.period_end, m.value, m.status == MeasurementStatus.VALIDATED)
            for m in current
            if m.value is not None
        ],
        unit=indicator.unit_label,
        rtl=rtl,
    )


def indicator_row(
    indicator: Indicator,
    *,
    thresholds: rules.Thresholds,
    rtl: bool,
    until: dt.date | None = None,
    chart: bool = True,
) -> IndicatorRow:
    """Where one indicator stands, from its prefetched ``targets`` and ``measurements``
    (those of periods ending after ``until`` left out)."""
    targets = list(indicator.targets.all())
    current = [
        m
        for m in indicator.measurements.all()
        if m.status != MeasurementStatus.SUPERSEDED and (until is None or m.period_end <= until)
    ]
    standing = _standing(indicator, targets, current, thresholds)
    return IndicatorRow(
        indicator=indicator,
        standing=standing,
        status_label=str(STATUS_LABELS[standing.status]),
        latest=current[-1] if current else None,
        targets=targets,
        measurements=current,
        to_validate=sum(1 for m in current if m.status == MeasurementStatus.ENTERED),
        chart=_chart(indicator, targets, current, rtl) if chart else SafeString(""),
    )


def _indicators(
    *, partnership: Partnership, measurements: QuerySet[Measurement] | None = None
) -> QuerySet[Indicator]:
    if measurements is None:
        measurements = Measurement.objects.all()
    return (
        Indicator.objects.filter(result__partnership=partnership)
        .select_related("result")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("period_start", "pk")),
            Prefetch(
                "measurements",
                queryset=measurements.order_by("period_end", "measured_on", "pk"),
            ),
            Prefetch("activities", queryset=Activity.objects.order_by("code", "pk")),
        )
        .order_by("result__order", "result_id", "order", "pk")
    )


@dataclass(frozen=True)
class Funds:
    """Use of funds beside a result: the budget of the activities linked to its indicators
    in the plan in force (``finance.budget``), planned, committed and spent."""

    codes: list[str]
    totals: Totals
    currency: str

    @property
    def rate(self) -> int | None:
        rate = self.totals.rate
        return None if rate is None else round(rate * 100)


@dataclass(frozen=True)
class ResultBlock:
    result: Result
    rows: list[IndicatorRow]
    funds: Funds | None = None


def funds_by_result(
    *, partnership: Partnership, indicators: Sequence[Indicator]
) -> dict[int, Funds]:
    """Planned and spent per result, from the activities its indicators are linked to
    (matched by code with the plan in force: an activity keeps its code across versions);
    each activity counts once per result. A fixed number of queries."""
    codes: dict[int, set[str]] = {}
    for indicator in indicators:
        codes.setdefault(indicator.result_id, set()).update(
            a.code for a in indicator.activities.all()
        )
    if not any(codes.values()):
        return {}
    budget = budget_summary_get(partnership=partnership)
    by_code = {row.code: row.totals for row in budget.activities}
    funds: dict[int, Funds] = {}
    for result_id, linked in codes.items():
        totals = Totals()
        for code in linked:
            row = by_code.get(code)
            if row is not None:
                totals.planned += row.planned
                totals.committed += row.committed
                totals.spent += row.spent
        if linked:
            funds[result_id] = Funds(sorted(linked), totals, budget.currency)
    return funds


@dataclass(frozen=True)
class MonitoringView:
    blocks: list[ResultBlock]
    counts: list[tuple[str, str, int]]  # (status, label, number of indicators)
    results: list[Result]  # filter choices
    statuses: list[tuple[str, str]]
    years: list[int]
    result_id: int | None
    status: str
    year: int | None
    thresholds_note: str
    empty: bool  # no result at all (not: nothing matches the filters)
    gender_marker: GenderMarker | None = None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def monitoring_view_get(
    *, partnership: Partnership, filters: dict[str, str], rtl: bool
) -> MonitoringView:
    """Every indicator of the partnership with its status and chart, by result; ``filters``
    (``result``, ``status``, ``year``: where things stood at the end of that year). Three
    queries, whatever the number of indicators and measurements."""
    thresholds, note = thresholds_get(partnership=partnership)
    results = list(result_choices(partnership=partnership))
    result_id = _int(filters.get("result"))
    status = filters.get("status", "")
    status = status if status in {s.value for s in rules.Status} else ""
    year = _int(filters.get("year"))
    until = dt.date(year, 12, 31) if year and 1900 < year < 3000 else None
    indicators = list(_indicators(partnership=partnership))
    years: set[int] = set()
    for indicator in indicators:
        years |= {t.period_end.year for t in indicator.targets.all()}
        years.add(indicator.baseline_date.year)
    rows = [indicator_row(i, thresholds=thresholds, rtl=rtl, until=until) for i in indicators]
    counts = dict.fromkeys(rules.STATUS_ORDER, 0)
    for row in rows:
        counts[row.standing.status] += 1
    if result_id is not None:
        rows = [r for r in rows if r.indicator.result_id == result_id]
    if status:
        rows = [r for r in rows if r.status == status]
    funds = funds_by_result(partnership=partnership, indicators=indicators)
    by_result: dict[int, list[IndicatorRow]] = {}
    for row in rows:
        by_result.setdefault(row.indicator.result_id, []).append(row)
    blocks = [
        ResultBlock(result, by_result.get(result.pk, []), funds.get(result.pk))
        for result in results
        if (result_id is None or result.pk == result_id) and (not status or result.pk in by_result)
    ]
    return MonitoringView(
        blocks=blocks,
        counts=[
            (s.value, str(STATUS_LABELS[s]), counts[s]) for s in rules.STATUS_ORDER if counts[s]
        ],
        results=results,
        statuses=[(s.value, str(STATUS_LABELS[s])) for s in rules.STATUS_ORDER],
        years=sorted(years),
        result_id=result_id,
        status=status,
        year=year if until else None,
        thresholds_note=note,
        empty=not results,
        gender_marker=gender_marker_get(partnership=partnership),
    )


@dataclass(frozen=True)
class IndicatorView:
    row: IndicatorRow
    history: list[Measurement]  # every measurement, superseded ones included, latest first
    activities: list[Activity]
    thresholds_note: str


def indicator_view_get(*, partnership: Partnership, pk: int, rtl: bool) -> IndicatorView:
    """One indicator: where it stands, its targets, every measurement with who entered
    and validated it and what it corrects, its activities (five queries)."""
    thresholds, note = thresholds_get(partnership=partnership)
    indicator = found(
        _indicators(
            partnership=partnership,
            measurements=Measurement.objects.select_related(
                "entered_by", "validated_by", "corrects"
            ).prefetch_related("evidence"),
        )
        .filter(pk=pk)
        .first(),
        gettext("Cet indicateur n'existe pas."),
    )
    indicator.result.partnership = partnership
    row = indicator_row(indicator, thresholds=thresholds, rtl=rtl)
    history = sorted(indicator.measurements.all(), key=lambda m: (m.period_end, m.pk), reverse=True)
    return IndicatorView(
        row=row, history=history, activities=list(indicator.activities.all()), thresholds_note=note
    )


def framework_get(*, partnership: Partnership) -> list[Result]:
    """The whole results framework for the API (four queries)."""
    return list(
        Result.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("targets", queryset=Target.objects.order_by("period_start", "pk")),
                    Prefetch(
                        "measurements",
                        queryset=Measurement.objects.order_by("period_end", "measured_on", "pk"),
                    ),
                    Prefetch("activities", queryset=Activity.objects.order_by("pk")),
                ),
            )
        )
        .order_by("order", "pk")
    )
