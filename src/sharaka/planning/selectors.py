"""Action plan reads. The plan page is one call (``plan_page_view_get``) with a fixed number of
queries however many activities and lines the plan holds.

``plan_in_force_get(partnership=..., at=...)`` is the entry point for finance: it returns
the version adopted by the board and in force on a date, whose activities and budget lines
expenses are charged to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.conventions.models import LOCKED, ConventionVersion
from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings.models import Decision, DecisionKindChoice
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.planning import ports, rules
from sharaka.planning.charts import GanttRow
from sharaka.planning.models import (
    ActionPlan,
    Activity,
    BudgetAmount,
    BudgetCategory,
    BudgetLine,
    Objective,
    PlanVersion,
    VersionStatus,
)


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.PLAN_VIEW) -> Partnership:
    """The partnership, if ``user`` may view it (404 otherwise) and holds ``perm`` (403)."""
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


# --- Plans and versions ----------------------------------------------------------------------


def plan_list(*, partnership: Partnership) -> list[ActionPlan]:
    return list(
        ActionPlan.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("versions", queryset=PlanVersion.objects.select_related("decision"))
        )
        .order_by("-period_start")
    )


def plan_get(*, partnership: Partnership, plan_id: int) -> ActionPlan:
    plan = found(
        ActionPlan.objects.filter(partnership=partnership, pk=plan_id).first(),
        gettext("Ce plan d'action n'existe pas."),
    )
    plan.partnership = partnership
    return plan


def version_get(*, plan: ActionPlan, number: int) -> PlanVersion:
    version = found(
        PlanVersion.objects.select_related("decision", "based_on", "adopted_by")
        .filter(plan=plan, number=number)
        .first(),
        gettext("Cette version du plan n'existe pas."),
    )
    version.plan = plan
    return version


def version_by_id(*, partnership: Partnership, version_id: int) -> PlanVersion:
    version = found(
        PlanVersion.objects.select_related("plan", "decision")
        .filter(plan__partnership=partnership, pk=version_id)
        .first(),
        gettext("Cette version du plan n'existe pas."),
    )
    version.plan.partnership = partnership
    return version


def default_version(versions: list[PlanVersion]) -> PlanVersion | None:
    """The version a page shows first: the one in force, else the draft, else the last."""
    for version in versions:
        if version.status == VersionStatus.ADOPTED:
            return version
    for version in versions:
        if version.status == VersionStatus.DRAFT:
            return version
    return versions[-1] if versions else None


def default_plan(plans: list[ActionPlan], today: date) -> ActionPlan | None:
    """The plan whose period covers ``today``, else the latest."""
    for plan in plans:
        if plan.period_start <= today <= plan.period_end:
            return plan
    return plans[0] if plans else None


def _in_force_filter(at: date) -> Q:
    return Q(status__in=[s.value for s in rules.FROZEN], adopted_on__lte=at) & (
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=at)
    )


def plan_in_force_get(*, partnership: Partnership, at: date | None = None) -> PlanVersion | None:
    """The version of the action plan in force on ``at`` (today by default): adopted by a
    board decision on or before ``at``, not yet superseded then, of the plan whose period
    covers ``at``. ``None`` when no adopted plan applies. Its ``activities`` and their
    ``lines`` are what expenses are charged to."""
    day = at or timezone.localdate()
    return (
        PlanVersion.objects.filter(
            _in_force_filter(day),
            plan__partnership=partnership,
            plan__period_start__lte=day,
            plan__period_end__gte=day,
        )
        .select_related("plan", "decision")
        .order_by("-adopted_on", "-number")
        .first()
    )


def activity_list(*, version: PlanVersion) -> list[Activity]:
    """The activities of a version with their lines and amounts (four queries)."""
    activities = list(
        Activity.objects.filter(version=version)
        .select_related("objective", "responsible_organization", "responsible_person")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=BudgetLine.objects.prefetch_related(
                    Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
                ),
            )
        )
    )
    return sorted(activities, key=lambda a: a.sort_key)


def activity_get(*, partnership: Partnership, pk: int) -> Activity:
    activity = found(
        Activity.objects.select_related("version__plan", "objective")
        .filter(version__plan__partnership=partnership, pk=pk)
        .first(),
        gettext("Cette activité n'existe pas."),
    )
    activity.version.plan.partnership = partnership
    return activity


def objective_get(*, partnership: Partnership, pk: int) -> Objective:
    objective = found(
        Objective.objects.select_related("version__plan")
        .filter(version__plan__partnership=partnership, pk=pk)
        .first(),
        gettext("Cet objectif n'existe pas."),
    )
    objective.version.plan.partnership = partnership
    return objective


def line_get(*, partnership: Partnership, pk: int) -> BudgetLine:
    line = found(
        BudgetLine.objects.select_related("activity__version__plan")
        .prefetch_related("amounts")
        .filter(activity__version__plan__partnership=partnership, pk=pk)
        .first(),
        gettext("Cette ligne budgétaire n'existe pas."),
    )
    line.activity.version.plan.partnership = partnership
    return line


def adoption_decision_choices(*, partnership: Partnership) -> QuerySet[Decision]:
    """Board decisions of kind ``action_plan_adoption`` that have not adopted a version."""
    return (
        Decision.objects.filter(
            partnership=partnership, kind=DecisionKindChoice.ACTION_PLAN_ADOPTION
        )
        .exclude(pk__in=PlanVersion.objects.filter(decision__isnull=False).values("decision_id"))
        .order_by("-decided_on", "-sequence")
    )


# --- Adoption deadline -----------------------------------------------------------------------


def convention_entry_into_force(*, partnership: Partnership) -> date | None:
    """When the partnership's convention entered into force: the date of effect of its
    first signed version (read-only over ``conventions``; ``None`` without one)."""
    return (
        ConventionVersion.objects.filter(
            convention__partnership=partnership,
            status__in=[s.value for s in LOCKED],
            effective_date__isnull=False,
        )
        .order_by("effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )


def adoption_deadline_get(
    *, partnership: Partnership, today: date | None = None
) -> rules.AdoptionDeadline:
    """The convention's deadline to adopt the action plan (``plan_adoption_deadline_days``
    after the convention's entry into force) against the first adoption."""
    day = today or timezone.localdate()
    entry = convention_entry_into_force(partnership=partnership)
    days = None
    if entry is not None:
        in_force = rules_in_force_get(partnership=partnership, at=max(day, entry))
        days = in_force.plan_adoption_deadline_days
    first = (
        PlanVersion.objects.filter(plan__partnership=partnership, adopted_on__isnull=False)
        .order_by("adopted_on")
        .values_list("adopted_on", flat=True)
        .first()
    )
    return rules.adoption_deadline(
        entry_into_force=entry, days=days, first_adopted_on=first, today=day
    )


# --- The plan page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRow:
    line: BudgetLine
    by_year: list[Decimal | None]
    total: Decimal


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    lines: list[LineRow]
    total: Decimal
    delegations: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectiveBlock:
    objective: Objective
    activities: list[ActivityRow]
    total: Decimal


@dataclass(frozen=True)
class BudgetSummary:
    years: list[int]
    rows: list[tuple[str, str, list[Decimal], Decimal]]  # category, label, by year, total
    by_year: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class PlanView:
    plan: ActionPlan
    version: PlanVersion
    versions: list[PlanVersion]
    objectives: list[ObjectiveBlock]
    activity_count: int
    budget: BudgetSummary
    gantt_rows: list[GanttRow]
    in_force: PlanVersion | None


def delegations_by_code(*, partnership: Partnership, plan: ActionPlan) -> dict[str, list[Any]]:
    """Delegations (M8) covering activities of ``plan``, by activity code: a code delegated
    in one version stays delegated in its revisions (two queries)."""
    result: dict[str, list[Any]] = defaultdict(list)
    for delegation in ports.delegations.provider(partnership=partnership):
        for activity in delegation.activities.all():
            if activity.version.plan_id == plan.pk:
                result[activity.code].append(delegation)
    return result


def _budget(
    years: list[int], activities: list[Activity]
) -> tuple[BudgetSummary, dict[int, tuple[list[LineRow], Decimal]]]:
    by_category: dict[str, list[Decimal]] = {c: [Decimal(0)] * len(years) for c in BudgetCategory}
    per_activity: dict[int, tuple[list[LineRow], Decimal]] = {}
    index = {year: i for i, year in enumerate(years)}
    for activity in activities:
        rows, activity_total = [], Decimal(0)
        for line in activity.lines.all():
            cells: list[Decimal | None] = [None] * len(years)
            for amount in line.amounts.all():
                position = index.get(amount.year)
                if position is None:
                    continue
                cells[position] = amount.amount
                by_category[line.category][position] += amount.amount
            total = sum((c for c in cells if c is not None), Decimal(0))
            activity_total += total
            rows.append(LineRow(line=line, by_year=cells, total=total))
        rows.sort(key=lambda r: (list(BudgetCategory.values).index(r.line.category), r.line.label))
        per_activity[activity.pk] = (rows, activity_total)
    summary_rows = [
        (str(category.value), str(category.label), values, sum(values, Decimal(0)))
        for category, values in ((BudgetCategory(c), v) for c, v in by_category.items())
        if any(values)
    ]
    by_year = [sum((row[2][i] for row in summary_rows), Decimal(0)) for i in range(len(years))]
    summary = BudgetSummary(
        years=years, rows=summary_rows, by_year=by_year, total=sum(by_year, Decimal(0))
    )
    return summary, per_activity


def _tooltip(activity: Activity) -> str:
    return gettext("%(code)s — %(title)s : du %(start)s au %(end)s, %(progress)s %%") % {
        "code": activity.code,
        "title": activity.title,
        "start": activity.start_date.strftime("%d/%m/%Y"),
        "end": activity.end_date.strftime("%d/%m/%Y"),
        "progress": activity.progress,
    }


def plan_view_get(
    *, partnership: Partnership, plan: ActionPlan, version: PlanVersion | None = None
) -> PlanView:
    """Everything the plan page shows for one version (fixed number of queries)."""
    versions = list(
        PlanVersion.objects.filter(plan=plan)
        .select_related("decision", "adopted_by")
        .order_by("number")
    )
    for v in versions:
        v.plan = plan
    if version is None:
        version = default_version(versions)
        if version is None:
            raise NotFound(gettext("Ce plan n'a pas de version."))
    else:
        version = next((v for v in versions if v.pk == version.pk), version)
    objectives = list(Objective.objects.filter(version=version).order_by("position", "pk"))
    activities = activity_list(version=version)
    delegated = delegations_by_code(partnership=partnership, plan=plan)
    years = plan.years
    summary, per_activity = _budget(years, activities)
    blocks: list[ObjectiveBlock] = []
    by_objective: dict[int, list[ActivityRow]] = defaultdict(list)
    for activity in activities:
        lines, total = per_activity[activity.pk]
        by_objective[activity.objective_id].append(
            ActivityRow(activity=activity, lines=lines, total=total,
                        delegations=delegated.get(activity.code, []))
        )  # fmt: skip
    gantt_rows: list[GanttRow] = []
    for objective in objectives:
        rows = by_objective.get(objective.pk, [])
        blocks.append(
            ObjectiveBlock(
                objective=objective, activities=rows, total=sum((r.total for r in rows), Decimal(0))
            )
        )
        gantt_rows.append(GanttRow(label=str(objective), is_group=True))
        for row in rows:
            a = row.activity
            gantt_rows.append(
                GanttRow(
                    label=f"{a.code} {a.title}", start=a.start_date, end=a.end_date,
                    progress=a.progress, status=a.status, delegated=bool(row.delegations),
                    tooltip=_tooltip(a),
                )
            )  # fmt: skip
    in_force = next((v for v in versions if v.status == VersionStatus.ADOPTED), None)
    return PlanView(
        plan=plan,
        version=version,
        versions=versions,
        objectives=blocks,
        activity_count=len(activities),
        budget=summary,
        gantt_rows=gantt_rows,
        in_force=in_force,
    )


# --- Page view models ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPage:
    """The plan page: the partnership's plans, the convention's adoption deadline and the
    plan shown (``view``; ``None`` before the first plan is created)."""

    plans: list[ActionPlan]
    deadline: rules.AdoptionDeadline
    today: date
    view: PlanView | None


def plan_page_view_get(
    *,
    partnership: Partnership,
    plan_id: int | None = None,
    number: int | None = None,
    today: date | None = None,
) -> PlanPage:
    """The plan ``plan_id`` (else the one in force or coming, ``default_plan``) at version
    ``number`` (else the version in force, ``default_version``)."""
    day = today or timezone.localdate()
    plans = plan_list(partnership=partnership)
    plan = (
        plan_get(partnership=partnership, plan_id=plan_id)
        if plan_id is not None
        else default_plan(plans, day)
    )
    view = None
    if plan is not None:
        version = version_get(plan=plan, number=number) if number is not None else None
        view = plan_view_get(partnership=partnership, plan=plan, version=version)
    deadline = adoption_deadline_get(partnership=partnership, today=day)
    return PlanPage(plans=plans, deadline=deadline, today=day, view=view)


def new_plan_initial(*, partnership: Partnership) -> dict[str, date | None]:
    """The first plan of a partnership covers its period by default."""
    if partnership.start_date and not ActionPlan.objects.filter(partnership=partnership).exists():
        return {"period_start": partnership.start_date, "period_end": partnership.end_date}
    return {}


def new_objective_initial(*, version: PlanVersion) -> dict[str, int | str]:
    """A new objective comes last: position n + 1, code ``O<n + 1>``."""
    position = Objective.objects.filter(version=version).count() + 1
    return {"position": position, "code": f"O{position}"}
