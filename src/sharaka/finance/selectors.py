"""Finance reads, each with a fixed number of queries.

``budget_summary_get`` (budget versus actual) lives in ``finance.budget`` and is read from
here too. The ``<page>_view_get`` functions at the end give each finance page with logic
its frozen view model.

``contribution_shares_get(partnership)`` provides ``governance.ports.contribution_shares``:
the contributions column of the board page (M4: power is not bought).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from sharaka.core.access import Perm, holders_filter, is_read_only
from sharaka.core.errors import NotFound
from sharaka.core.history import HistoryEntry, history_entries
from sharaka.core.querysets import found, narrow, text_search
from sharaka.directory.models import Organization, OrganizationKind
from sharaka.finance import charts, controls, rules
from sharaka.finance.budget import BudgetSummary, budget_summary_get
from sharaka.finance.models import Contribution, ContributionKind, Expense, ImportJob
from sharaka.finance.rules import ZERO
from sharaka.governance.selectors import composition_get
from sharaka.meetings.models import Decision
from sharaka.partners.grants import register_totals
from sharaka.partners.selectors import FundingWarning, funding_warnings
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership, Party
from sharaka.planning.models import (
    Activity,
    BudgetLine,
    PlanVersion,
)
from sharaka.planning.selectors import plan_in_force_get


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.FINANCE_VIEW) -> Partnership:
    """The partnership, if ``user`` may view it (404 otherwise) and holds ``perm`` (403)."""
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


# --- Contributions (M4) -----------------------------------------------------------------------


def contribution_list(*, partnership: Partnership, year: int | None = None) -> list[Contribution]:
    contributions = Contribution.objects.filter(partnership=partnership).select_related(
        "organization"
    )
    if year:
        contributions = contributions.filter(year=year)
    return list(contributions.order_by("-year", "organization__name", "kind", "pk"))


def contribution_get(*, partnership: Partnership, contribution_id: int) -> Contribution:
    contributions = Contribution.objects.select_related("organization")
    contribution = found(
        contributions.filter(partnership=partnership, pk=contribution_id).first(),
        gettext("Cette contribution n'existe pas."),
    )
    contribution.partnership = partnership
    return contribution


@dataclass
class PartnerContribution:
    organization_id: int
    name: str
    kind: str
    public: bool
    cash: Decimal = ZERO
    in_kind: Decimal = ZERO
    pledged: Decimal = ZERO
    received: Decimal = ZERO
    share: Fraction = Fraction(0)

    @property
    def share_percent(self) -> float:
        return float(self.share) * 100


@dataclass
class ContributionSummary:
    partners: list[PartnerContribution]
    pledged: Decimal
    received: Decimal
    cash: Decimal
    in_kind: Decimal
    public_share: Fraction | None
    years: list[int]

    @property
    def public_percent(self) -> float | None:
        return None if self.public_share is None else float(self.public_share) * 100


def contribution_summary_get(*, partnership: Partnership) -> ContributionSummary:
    """Pledged and received by partner, cash and in kind, and the public share (1 query)."""
    rows = (
        Contribution.objects.filter(partnership=partnership)
        .values("organization_id", "organization__name", "organization__kind", "kind", "year")
        .annotate(pledged=Sum("pledged"), received=Sum("received"))
        .order_by()
    )
    partners: dict[int, PartnerContribution] = {}
    years: set[int] = set()
    for row in rows:
        years.add(row["year"])
        partner = partners.setdefault(
            row["organization_id"],
            PartnerContribution(
                organization_id=row["organization_id"],
                name=row["organization__name"],
                kind=row["organization__kind"],
                public=row["organization__kind"] in rules.PUBLIC_KINDS,
            ),
        )
        pledged = row["pledged"] or ZERO
        partner.pledged += pledged
        partner.received += row["received"] or ZERO
        if row["kind"] == "cash":
            partner.cash += pledged
        else:
            partner.in_kind += pledged
    share = rules.shares({pk: p.pledged for pk, p in partners.items()})
    for pk, partner in partners.items():
        partner.share = share.get(pk, Fraction(0))
    ordered = sorted(partners.values(), key=lambda p: (-p.pledged, p.name))
    return ContributionSummary(
        partners=ordered,
        pledged=sum((p.pledged for p in ordered), ZERO),
        received=sum((p.received for p in ordered), ZERO),
        cash=sum((p.cash for p in ordered), ZERO),
        in_kind=sum((p.in_kind for p in ordered), ZERO),
        public_share=rules.public_share((p.kind, p.pledged) for p in ordered),
        years=sorted(years),
    )


def contribution_shares_get(partnership: Partnership) -> dict[int, Fraction] | None:
    """Each organisation's share of the pledged contributions (cash and valued in-kind), by
    organisation id; ``None`` when the partnership has recorded no contribution.

    Provided to governance (``governance.ports.contribution_shares``) for the board page."""
    rows = (
        Contribution.objects.filter(partnership=partnership)
        .values("organization_id")
        .annotate(total=Sum("pledged"))
        .order_by()
    )
    amounts = {row["organization_id"]: row["total"] or ZERO for row in rows}
    if not amounts:
        return None
    return rules.shares(amounts)


@dataclass
class PowerRow:
    name: str
    contribution_share: Fraction
    seat_share: Fraction | None
    power: Fraction | None  # normalised Banzhaf index of voting power

    @staticmethod
    def percent(value: Fraction | None) -> float | None:
        return None if value is None else float(value) * 100

    @property
    def contribution_percent(self) -> float | None:
        return self.percent(self.contribution_share)

    @property
    def seat_percent(self) -> float | None:
        return self.percent(self.seat_share)

    @property
    def power_percent(self) -> float | None:
        return self.percent(self.power)


def power_comparison_get(
    *, partnership: Partnership, summary: ContributionSummary
) -> list[PowerRow] | None:
    """Each organisation's share of contributions beside its share of voting seats and of
    voting power (from the board analysis); ``None`` when there is no board."""
    try:
        composition = composition_get(partnership=partnership)
    except NotFound:  # pragma: no cover - guarded
        return None
    analysis = composition.analysis
    if analysis is None:
        return None
    contributions = {p.organization_id: p for p in summary.partners}
    rows: list[PowerRow] = []
    listed: set[int] = set()
    for row in analysis.organizations:
        if not row.key.isdigit():
            continue  # experts: no organisation, no vote
        organization_id = int(row.key)
        listed.add(organization_id)
        partner = contributions.get(organization_id)
        rows.append(
            PowerRow(
                name=row.name,
                contribution_share=partner.share if partner else Fraction(0),
                seat_share=row.seat_share,
                power=row.banzhaf,
            )
        )
    for partner in summary.partners:
        if partner.organization_id not in listed:
            rows.append(PowerRow(partner.name, partner.share, Fraction(0), Fraction(0)))
    rows.sort(key=lambda r: (-r.contribution_share, r.name))
    return rows


# --- Expenses ---------------------------------------------------------------------------------


def expense_list(
    *,
    partnership: Partnership,
    status: str = "",
    activity: str = "",
    year: int | None = None,
    missing_document: bool = False,
    search: str = "",
) -> QuerySet[Expense]:
    expenses = Expense.objects.filter(partnership=partnership).select_related(
        "activity", "line", "reverses"
    )
    expenses = narrow(expenses, status=status, activity__code=activity, year=year)
    if missing_document:
        expenses = expenses.filter(document="", reverses__isnull=True)
    expenses = text_search(expenses, search, ("supplier", "reference", "description"))
    return expenses.order_by("-date", "-pk")


def expense_get(*, partnership: Partnership, expense_id: int) -> Expense:
    expense = (
        Expense.objects.select_related(
            "plan_version__plan",
            "activity",
            "line",
            "recorded_by",
            "checked_by",
            "approved_by",
            "paid_by",
            "reverses",
            "reversal",
        )
        .filter(partnership=partnership, pk=expense_id)
        .first()
    )
    expense = found(expense, gettext("Cette dépense n'existe pas."))
    expense.partnership = partnership
    return expense


def missing_document_count(*, partnership: Partnership) -> int:
    return Expense.objects.filter(
        partnership=partnership, document="", reverses__isnull=True
    ).count()


def import_job_get(*, partnership: Partnership, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(partnership=partnership, pk=job_id).first()
    return found(job, gettext("Cet import n'existe pas."))


def decision_choices(*, partnership: Partnership) -> QuerySet[Any]:
    return Decision.objects.filter(partnership=partnership).order_by("-decided_on", "-sequence")


def line_choices(*, version: Any) -> list[tuple[Any, list[Any]]]:
    """(activity, its lines) of a plan version, for the expense form (2 queries)."""
    activities = list(Activity.objects.filter(version=version).order_by("code"))
    lines: dict[int, list[Any]] = {}
    for line in BudgetLine.objects.filter(activity__version=version).order_by("category", "pk"):
        lines.setdefault(line.activity_id, []).append(line)
    return [(activity, lines.get(activity.pk, [])) for activity in activities]


# --- Page view models -------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryView:
    """The finance summary page: budget versus actual, its chart, documents missing."""

    budget: BudgetSummary
    chart: SafeString
    missing_documents: int


def summary_view_get(*, partnership: Partnership, year: int | None, rtl: bool) -> SummaryView:
    budget = budget_summary_get(partnership=partnership, year=year)
    chart = charts.budget_bars(
        [
            (f"{row.code} {row.label}", row.totals.planned, row.totals.committed, row.totals.spent)
            for row in budget.activities
        ],
        title=gettext("Budget et réalisé par activité"),
        rtl=rtl,
    )
    return SummaryView(
        budget=budget,
        chart=chart,
        missing_documents=missing_document_count(partnership=partnership),
    )


@dataclass(frozen=True)
class ContributionsView:
    """The contributions page: totals by partner, the ledger, contributions against power."""

    summary: ContributionSummary
    contributions: list[Contribution]
    power: list[PowerRow] | None  # None without a board to compare with
    funding: list[FundingWarning]  # thresholds the lead authority's funding is above


def association_funding_totals(*, partnership: Partnership) -> dict[tuple[str, int], Decimal]:
    """See ``_funding_totals``: the totals without saying which are exact."""
    return {key: total for key, (total, _exact) in _funding_totals(partnership).items()}


def _funding_totals(partnership: Partnership) -> dict[tuple[str, int], tuple[Decimal, bool]]:
    """The lead authority's yearly cash funding of each association party to
    ``partnership``, by (association name, year): the exact total of its grants register
    (``partners.grants``, ADR 0030) for a year it has grants recorded; otherwise its cash
    contributions (pledged) to every partnership where that association is a party, an
    upper bound where several associations share a partnership (ADR 0020). 3 queries."""
    authority_id = partnership.lead_authority_id
    parties = list(
        Party.objects.filter(
            organization__kind=OrganizationKind.ASSOCIATION,
            organization__parties__partnership=partnership,
        )
        .values_list("partnership_id", "organization__name")
        .distinct()
    )
    if not parties:
        return {}
    by_partnership: dict[int, set[str]] = {}
    for partnership_id, name in parties:
        by_partnership.setdefault(partnership_id, set()).add(name)
    totals: dict[tuple[str, int], Decimal] = {}
    rows = Contribution.objects.filter(
        organization_id=authority_id, kind=ContributionKind.CASH,
        partnership_id__in=list(by_partnership),
    ).values_list("partnership_id", "year", "pledged")  # fmt: skip
    for partnership_id, year, pledged in rows:
        for name in by_partnership[partnership_id]:
            totals[(name, year)] = totals.get((name, year), ZERO) + pledged
    names = {name for _p, name in parties}
    exact = register_totals(authority_id=authority_id, association_names=names)
    return {key: (total, False) for key, total in totals.items()} | {
        key: (total, True) for key, total in exact.items()
    }


def funding_crossed(*, contribution: Contribution) -> list[FundingWarning]:
    """The thresholds that a new cash contribution of the lead authority makes its funding
    of an association party go above in that year (what it crosses, not what was already
    above). 3 queries."""
    partnership = contribution.partnership
    if (
        contribution.kind != ContributionKind.CASH
        or contribution.organization_id != partnership.lead_authority_id
    ):
        return []
    # where the register gives the exact total, a contribution does not move it
    totals = {
        key: total
        for key, (total, exact) in _funding_totals(partnership).items()
        if key[1] == contribution.year and not exact
    }
    warnings = funding_warnings(authority_id=partnership.lead_authority_id, totals=totals)
    crossed = []
    for warning in warnings:
        before = warning.total - contribution.pledged
        new = [t for t in warning.thresholds if before <= t.amount]
        if new:
            crossed.append(replace(warning, thresholds=new))
    return crossed


def contributions_view_get(*, partnership: Partnership) -> ContributionsView:
    summary = contribution_summary_get(partnership=partnership)
    return ContributionsView(
        summary=summary,
        contributions=contribution_list(partnership=partnership),
        funding=funding_warnings(
            authority_id=partnership.lead_authority_id,
            totals=association_funding_totals(partnership=partnership),
        ),
        power=power_comparison_get(partnership=partnership, summary=summary),
    )


@dataclass(frozen=True)
class ExpenseView:
    """One expense's page: its controls, whether it may still be changed, its history.

    ``editable``: not approved yet, so it may be corrected or deleted (by whoever holds
    ``expense.record``, ``can`` on the page); approved, only a reversal corrects it."""

    expense: Expense
    findings: list[tuple[rules.Finding, str]]
    blocked: bool
    editable: bool
    history: list[HistoryEntry]
    #: Who may approve it (not approved yet): the names of those who hold ``expense.approve``
    #: on the partnership, the person who recorded it aside (rules.may_approve).
    approvers: tuple[str, ...] = ()


def expense_approvers(*, partnership: Partnership, expense: Expense) -> tuple[str, ...]:
    """The people who may approve ``expense``, named on its page (ten at most: a
    partnership has a treasurer or two, not a crowd)."""
    if expense.is_frozen or is_read_only(partnership):
        return ()
    users = get_user_model().objects.filter(holders_filter(Perm.EXPENSE_APPROVE, partnership))
    if expense.recorded_by_id is not None:
        users = users.exclude(pk=expense.recorded_by_id)
    users = users.distinct().order_by("last_name", "first_name", "username")
    return tuple(user.get_full_name() or user.username for user in users[:10])


def expense_view_get(*, partnership: Partnership, expense_id: int) -> ExpenseView:
    expense = expense_get(partnership=partnership, expense_id=expense_id)
    findings = controls.findings_of(expense)
    return ExpenseView(
        expense=expense,
        findings=[(f, controls.message(f)) for f in findings],
        blocked=any(f.blocking for f in findings),
        editable=not expense.is_frozen,
        history=history_entries(expense),
        approvers=expense_approvers(partnership=partnership, expense=expense),
    )


def party_organizations(*, partnership: Partnership) -> QuerySet[Organization]:
    """The organisations that may contribute: the partnership's parties."""
    return Organization.objects.filter(parties__partnership=partnership).distinct().order_by("name")


def expense_line_choices(
    *, partnership: Partnership, version: PlanVersion | None = None
) -> tuple[PlanVersion | None, list[tuple[Any, list[Any]]]]:
    """The plan version an expense is charged to (``version``, else the one in force
    today) and its (activity, lines), for the expense form."""
    version = version or plan_in_force_get(partnership=partnership)
    return version, line_choices(version=version) if version else []


def overrun_line_choices(*, partnership: Partnership) -> list[tuple[int, str]]:
    """The lines of the plan in force, for the board's overrun authorisation."""
    budget = budget_summary_get(partnership=partnership)
    return [(row.line_id, f"{row.code} — {row.label}") for row in budget.lines if row.line_id]


def budget_line_get(*, partnership: Partnership, line_id: int) -> BudgetLine:
    lines = BudgetLine.objects.select_related("activity__version__plan")
    line = lines.filter(pk=line_id, activity__version__plan__partnership=partnership).first()
    return found(line, gettext("Cette ligne budgétaire n'existe pas."))


def plan_refs_get(
    *, partnership: Partnership, activity_id: int | None, line_id: int | None
) -> dict[str, Any]:
    """The activity and the line an API client names by id, as the services' ``fields``
    (only those named); 404 for one outside the partnership's plans."""
    refs: dict[str, Any] = {}
    if activity_id is not None:
        refs["activity"] = Activity.objects.filter(
            pk=activity_id, version__plan__partnership=partnership
        ).first()
    if line_id is not None:
        refs["line"] = BudgetLine.objects.filter(
            pk=line_id, activity__version__plan__partnership=partnership
        ).first()
    if None in refs.values():
        raise NotFound()
    return refs
