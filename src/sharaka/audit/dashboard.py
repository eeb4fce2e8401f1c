"""The audit dashboard (issue 15), per partnership and per authority: audits by status,
open findings by severity and age, the implementation rate of the recommendations and a
chart over time. Every figure is an aggregate in the database: a fixed number of queries
whatever the number of audits, findings or partnerships.

Definitions (docs/audit.md):

- a finding is **open** while one of its recommendations is awaited (open or in progress),
  or, without any recommendation, while its audit is not closed; its **age** counts from
  the day it was recorded;
- the **implementation rate** is the recommendations implemented (or verified) out of the
  recommendations issued less those not accepted (none accepted: no rate).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from sharaka.audit import charts, plan_rules, rules
from sharaka.audit.models import Audit, AuditFinding, AuditStatus, Recommendation, Severity
from sharaka.core.access import Perm, can
from sharaka.core.errors import NotFound
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization
from sharaka.partnerships.models import Partnership

#: Ages of an open finding: (upper bound in days, excluded; None: no bound, label).
AGE_BUCKETS: tuple[tuple[int | None, Any], ...] = (
    (90, gettext_lazy("moins de 3 mois")),
    (180, gettext_lazy("3 à 6 mois")),
    (365, gettext_lazy("6 mois à 1 an")),
    (None, gettext_lazy("plus d'un an")),
)
#: Recommendation states that count as implemented (``verified``: checked by the auditor).
IMPLEMENTED = frozenset({plan_rules.RecommendationStatus.DONE.value, "verified"})
PENDING = frozenset(s.value for s in plan_rules.PENDING_RECOMMENDATIONS)
NOT_ACCEPTED = plan_rules.RecommendationStatus.NOT_ACCEPTED.value
#: Years drawn on the chart (the most recent ones).
CHART_YEARS = 8
#: Partnerships per page of the authority dashboard.
PAGE_SIZE = 50


# --- pure rules -------------------------------------------------------------------------------


def age_bucket(recorded: date, today: date) -> int:
    """The index in ``AGE_BUCKETS`` of a finding recorded on ``recorded``."""
    age = (today - recorded).days
    for index, (bound, _label) in enumerate(AGE_BUCKETS):
        if bound is not None and age < bound:
            return index
    return len(AGE_BUCKETS) - 1


def implementation_rate(implemented: int, issued: int, not_accepted: int) -> float | None:
    """Implemented out of the accepted recommendations (``None`` when none is accepted)."""
    accepted = issued - not_accepted
    if accepted <= 0:
        return None
    return min(max(implemented, 0) / accepted, 1.0)


# --- view models ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeverityAges:
    severity: str
    label: str
    counts: tuple[int, ...]  # one per age bucket
    total: int


@dataclass(frozen=True)
class RecommendationStats:
    issued: int
    pending: int
    overdue: int
    implemented: int
    not_accepted: int

    @property
    def rate(self) -> float | None:
        return implementation_rate(self.implemented, self.issued, self.not_accepted)

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


@dataclass(frozen=True)
class Figures:
    by_status: tuple[tuple[str, str, int], ...]  # (status, label, count)
    overdue_audits: int
    ages: tuple[str, ...]  # the age buckets' labels
    open_findings: tuple[SeverityAges, ...]  # most serious first
    open_total: int
    recommendations: RecommendationStats
    chart: SafeString


@dataclass(frozen=True)
class PartnershipDashboard:
    figures: Figures
    export_url: str
    authority_url: str  # the authority dashboard, for who may read it ("" otherwise)


@dataclass(frozen=True)
class PartnershipRow:
    title: str
    url: str
    open_audits: int
    overdue_audits: int
    open_findings: int
    recommendations: RecommendationStats


@dataclass(frozen=True)
class AuthorityDashboard:
    authority: Organization
    figures: Figures
    rows: tuple[PartnershipRow, ...]
    next_after: int | None
    first_page: bool


# --- queries ----------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def open_findings_filter() -> Q:
    pending = Recommendation.objects.filter(finding=OuterRef("pk"), status__in=PENDING)
    anyone = Recommendation.objects.filter(finding=OuterRef("pk"))
    return Q(Exists(pending)) | (~Q(Exists(anyone)) & ~Q(audit__status=AuditStatus.CLOSED))


def _age_case(today: date) -> Case:
    whens = [
        When(recorded_at__gte=_start_of(today - timedelta(days=bound - 1)), then=Value(i))
        for i, (bound, _label) in enumerate(AGE_BUCKETS)
        if bound is not None
    ]
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())


def _recommendation_counts() -> dict[str, Any]:
    return {
        "issued": Count("id"),
        "pending": Count("id", filter=Q(status__in=PENDING)),
        "implemented": Count("id", filter=Q(status__in=IMPLEMENTED)),
        "not_accepted": Count("id", filter=Q(status=NOT_ACCEPTED)),
    }


def _overdue_recommendations(today: date) -> Count:
    return Count("id", filter=Q(status__in=PENDING, due_on__lt=today))


def _stats(row: dict[str, Any] | None) -> RecommendationStats:
    row = row or {}
    return RecommendationStats(
        issued=row.get("issued", 0), pending=row.get("pending", 0),
        overdue=row.get("overdue", 0), implemented=row.get("implemented", 0),
        not_accepted=row.get("not_accepted", 0),
    )  # fmt: skip


def _severity_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Severity.choices}


def _chart(audits: Q, *, rtl: bool, today: date) -> SafeString:
    first = today.year - CHART_YEARS + 1
    findings = (
        AuditFinding.objects.filter(audit__in=Audit.objects.filter(audits))
        .filter(audit__period_start__year__gte=first)
        .annotate(year=ExtractYear("audit__period_start"))
        .values("year", "severity")
        .annotate(n=Count("id"))
    )
    recs = (
        Recommendation.objects.filter(audit__in=Audit.objects.filter(audits))
        .filter(audit__period_start__year__gte=first)
        .annotate(year=ExtractYear("audit__period_start"))
        .values("year")
        .annotate(**_recommendation_counts())
    )
    per_year: dict[int, dict[str, int]] = {}
    for row in findings:
        per_year.setdefault(row["year"], {})[row["severity"]] = row["n"]
    rates: dict[int, float | None] = {}
    for rec in recs:
        counted: dict[str, Any] = dict(rec)
        rates[counted["year"]] = implementation_rate(
            counted["implemented"], counted["issued"], counted["not_accepted"]
        )
    years = sorted(set(per_year) | set(rates))
    if not years:
        return SafeString("")
    bars = [
        charts.YearBar(year, per_year.get(year, {}), rates.get(year))
        for year in range(years[0], years[-1] + 1)
    ]
    title = gettext("Constats par année auditée et taux de mise en œuvre des recommandations")
    return charts.findings_by_year(bars, title=title, labels=_severity_labels(), rtl=rtl)


def figures_get(*, audits: Q, today: date, rtl: bool) -> Figures:
    """The figures over the audits selected by ``audits`` (a filter on ``Audit``): five
    queries."""
    scope = Audit.objects.filter(audits)
    counts = dict(scope.values("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = scope.filter(status__in=plan_rules.OPEN_STATUSES, due_on__lt=today).count()
    cells: dict[tuple[str, int], int] = {}
    for row in (
        AuditFinding.objects.filter(audit__in=scope)
        .filter(open_findings_filter())
        .annotate(age=_age_case(today))
        .values("severity", "age")
        .annotate(n=Count("id"))
    ):
        cells[(row["severity"], row["age"])] = row["n"]
    labels = _severity_labels()
    open_findings = tuple(
        SeverityAges(
            severity.value, labels[severity.value],
            tuple(cells.get((severity.value, i), 0) for i in range(len(AGE_BUCKETS))),
            sum(cells.get((severity.value, i), 0) for i in range(len(AGE_BUCKETS))),
        )
        for severity in rules.SEVERITY_ORDER
    )  # fmt: skip
    recs = Recommendation.objects.filter(audit__in=scope).aggregate(
        **_recommendation_counts(), overdue=_overdue_recommendations(today)
    )
    return Figures(
        by_status=tuple(
            (value, str(label), counts.get(value, 0)) for value, label in AuditStatus.choices
        ),
        overdue_audits=overdue,
        ages=tuple(str(label) for _bound, label in AGE_BUCKETS),
        open_findings=open_findings,
        open_total=sum(s.total for s in open_findings),
        recommendations=_stats(recs),
        chart=_chart(audits, rtl=rtl, today=today),
    )


# --- the partnership's dashboard --------------------------------------------------------------


@dataclass(frozen=True)
class _Led:
    """Any partnership led by one authority, without a grant: what ``core.access`` needs
    to say whether a user reads the audits of the authority's partnerships as its officer,
    as a supervisor of its territory or as an administrator."""

    pk: int
    lead_authority_id: int


def authority_readable(user: Actor | None, authority_id: int) -> bool:
    return can(user, Perm.AUDIT_VIEW, _Led(0, authority_id))


def partnership_dashboard_view_get(
    *, user: Actor | None, partnership: Partnership, today: date, rtl: bool
) -> PartnershipDashboard:
    authority = partnership.lead_authority_id
    return PartnershipDashboard(
        figures=figures_get(audits=Q(partnership=partnership), today=today, rtl=rtl),
        export_url=reverse("audit:findings_export", kwargs={"slug": partnership.slug}),
        authority_url=(
            reverse("audit:authority_dashboard", kwargs={"authority": authority})
            if authority_readable(user, authority)
            else ""
        ),
    )


# --- the authority's dashboard ----------------------------------------------------------------


def authority_get(*, user: Actor | None, pk: int) -> Organization:
    """An authority whose partnerships' audits ``user`` reads (404 otherwise)."""
    authority = Organization.objects.filter(pk=pk, kind__in=AUTHORITY_KINDS).first()
    if authority is None or not authority_readable(user, authority.pk):
        raise NotFound()
    return authority


def _page(authority: Organization, after: int | None, size: int) -> list[Partnership]:
    rows = Partnership.objects.filter(lead_authority=authority).order_by("title", "id")
    if after is not None:
        title = (
            Partnership.objects.filter(lead_authority=authority, pk=after)
            .values_list("title", flat=True)
            .first()
        )
        if title is not None:
            rows = rows.filter(Q(title__gt=title) | Q(title=title, pk__gt=after))
    return list(rows.only("id", "slug", "title")[: size + 1])


def _rows(partnerships: Sequence[Partnership], today: date) -> Iterable[PartnershipRow]:
    ids = [p.pk for p in partnerships]
    audits = {
        row["partnership_id"]: row
        for row in Audit.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(
            open=Count("id", filter=Q(status__in=plan_rules.OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=plan_rules.OPEN_STATUSES, due_on__lt=today)),
        )
    }
    findings = dict(
        AuditFinding.objects.filter(audit__partnership_id__in=ids)
        .filter(open_findings_filter())
        .values("audit__partnership_id")
        .annotate(n=Count("id"))
        .values_list("audit__partnership_id", "n")
    )
    recs: dict[int, dict[str, Any]] = {
        row["partnership_id"]: dict(row)
        for row in Recommendation.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(**_recommendation_counts(), overdue=_overdue_recommendations(today))
    }
    for p in partnerships:
        audit: dict[str, Any] = dict(audits.get(p.pk, {}))
        yield PartnershipRow(
            title=p.title,
            url=reverse("audit:dashboard", kwargs={"slug": p.slug}),
            open_audits=audit.get("open", 0),
            overdue_audits=audit.get("overdue", 0),
            open_findings=findings.get(p.pk, 0),
            recommendations=_stats(recs.get(p.pk)),
        )


def authority_dashboard_view_get(
    *, user: Actor | None, pk: int, after: int | None, today: date, rtl: bool,
    size: int = PAGE_SIZE,
) -> AuthorityDashboard:  # fmt: skip
    """The figures over every partnership the authority leads, and one page of them by
    title then key (``after``: the last partnership of the previous page)."""
    authority = authority_get(user=user, pk=pk)
    page = _page(authority, after, size)
    more = len(page) > size
    page = page[:size]
    return AuthorityDashboard(
        authority=authority,
        figures=figures_get(audits=Q(partnership__lead_authority=authority), today=today, rtl=rtl),
        rows=tuple(_rows(page, today)),
        next_after=page[-1].pk if more else None,
        first_page=after is None,
    )
