"""Action plan writes: plans, draft versions and their content, adoption, revision.

Every service checks ``plan.change`` first, refuses to touch an adopted or superseded
version (``plan_version_frozen``), and validates the rules of the plan: activity codes
unique within a version, activity dates within the plan period, budget years within the
plan period, a budget line belonging to exactly one activity of the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.bounds import check_date_bounds
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.meetings.models import Decision, DecisionKindChoice
from sharaka.meetings.services import decision_require
from sharaka.partnerships.models import Partnership
from sharaka.planning import ports, rules
from sharaka.planning.error_codes import PlanningErrorCode as Code
from sharaka.planning.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    BudgetAmount,
    BudgetLine,
    Objective,
    PlanVersion,
    VersionStatus,
    frozen_error,
)

PLAN_FIELDS = ("title", "period_start", "period_end", "currency")
OBJECTIVE_FIELDS = ("code", "title", "position")
ACTIVITY_FIELDS = (
    "objective", "code", "title", "description", "responsible_organization",
    "responsible_person", "start_date", "end_date", "deliverables", "status", "progress",
)  # fmt: skip
LINE_FIELDS = ("category", "label")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


def _require_draft(version: PlanVersion) -> PlanVersion:
    """Lock ``version`` and refuse unless it is a draft."""
    locked = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise frozen_error()
    return locked


# --- Plans -----------------------------------------------------------------------------------


def _check_period(plan: ActionPlan) -> None:
    start, end = plan.period_start, plan.period_end
    if start is None or end is None:
        return
    check_date_bounds(plan)
    if end < start:
        raise _invalid("period_end", gettext("La fin de la période précède son début."))
    if not rules.period_length_allowed(start, end):
        raise _invalid(
            "period_end",
            gettext("Un plan d'action couvre au plus %(years)d années civiles.")
            % {"years": rules.PLAN_MAX_YEARS},
        )
    others = ActionPlan.objects.filter(partnership_id=plan.partnership_id)
    if plan.pk:
        others = others.exclude(pk=plan.pk)
    for other in others:
        if rules.periods_overlap(start, end, other.period_start, other.period_end):
            raise ValidationFailed(
                gettext("La période chevauche celle du plan « %(other)s » "
                        "(du %(start)s au %(end)s).")
                % {"other": other.title, "start": other.period_start.strftime("%d/%m/%Y"),
                   "end": other.period_end.strftime("%d/%m/%Y")},
                {"period_start": [gettext("Deux plans d'un partenariat ne se chevauchent pas.")]},
            )  # fmt: skip


@transaction.atomic
def plan_create(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object], note: str = ""
) -> ActionPlan:
    """A new plan for a period, with its first version (a draft)."""
    require(by, Perm.PLAN_CHANGE, partnership)
    plan = assign_fields(ActionPlan(partnership=partnership), fields, allowed=PLAN_FIELDS)
    _check_period(plan)
    clean_and_save(plan)
    PlanVersion.objects.create(plan=plan, number=1, note=note)
    return plan


@transaction.atomic
def plan_update(*, by: Actor, plan: ActionPlan, fields: Mapping[str, object]) -> ActionPlan:
    """Change a plan's title; its period and currency only while no version was adopted
    (an adopted version was adopted for that period)."""
    require(by, Perm.PLAN_CHANGE, plan.partnership)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    before = (plan.period_start, plan.period_end, plan.currency)
    assign_fields(plan, fields, allowed=PLAN_FIELDS)
    if (plan.period_start, plan.period_end, plan.currency) != before:
        if plan.versions.exclude(status=VersionStatus.DRAFT).exists():
            raise DomainError(
                Code.PERIOD_LOCKED,
                gettext("Une version de ce plan a été adoptée pour cette période : la période "
                        "et la devise ne changent plus. Créez un nouveau plan pour une autre "
                        "période."),
                field="period_start",
            )  # fmt: skip
        _check_period(plan)
        outside = Activity.objects.filter(version__plan=plan).exclude(
            start_date__gte=plan.period_start, end_date__lte=plan.period_end
        )
        first = outside.order_by("code").first()
        if first is not None:
            raise DomainError(
                Code.PERIOD_EXCLUDES_ACTIVITY,
                gettext("L'activité %(code)s sortirait de la période du plan.")
                % {"code": first.code},
                field="period_start",
            )
        years = set(plan.years)
        if (
            BudgetAmount.objects.filter(line__activity__version__plan=plan)
            .exclude(year__in=years)
            .exists()
        ):
            raise DomainError(
                Code.YEAR_OUTSIDE_PERIOD,
                gettext("Des montants sont prévus pour des années hors de la nouvelle période."),
                field="period_start",
            )
    clean_and_save(plan)
    return plan


# --- Objectives ------------------------------------------------------------------------------


@transaction.atomic
def objective_create(*, by: Actor, version: PlanVersion, fields: Mapping[str, object]) -> Objective:
    require(by, Perm.PLAN_CHANGE, version.plan.partnership)
    version = _require_draft(version)
    objective = assign_fields(Objective(version=version), fields, allowed=OBJECTIVE_FIELDS)
    if "position" not in fields:
        objective.position = version.objectives.count() + 1
    return clean_and_save(objective)


@transaction.atomic
def objective_update(*, by: Actor, objective: Objective, fields: Mapping[str, object]) -> Objective:
    require(by, Perm.PLAN_CHANGE, objective.version.plan.partnership)
    _require_draft(objective.version)
    assign_fields(objective, fields, allowed=OBJECTIVE_FIELDS)
    return clean_and_save(objective)


@transaction.atomic
def objective_delete(*, by: Actor, objective: Objective) -> None:
    require(by, Perm.PLAN_CHANGE, objective.version.plan.partnership)
    _require_draft(objective.version)
    if objective.activities.exists():
        raise DomainError(
            Code.OBJECTIVE_NOT_EMPTY,
            gettext("Cet objectif a encore des activités : supprimez-les ou rattachez-les à "
                    "un autre objectif d'abord."),
        )  # fmt: skip
    objective.delete()


# --- Activities ------------------------------------------------------------------------------


def _check_activity(activity: Activity, version: PlanVersion) -> None:
    plan = version.plan
    if activity.code:
        activity.code = activity.code.strip().upper()
        if not rules.code_valid(activity.code):
            raise _invalid("code", gettext("Code attendu : une lettre puis des nombres séparés "
                                           "par des points, par exemple A1.2."))  # fmt: skip
        duplicate = Activity.objects.filter(version=version, code=activity.code)
        if activity.pk:
            duplicate = duplicate.exclude(pk=activity.pk)
        if duplicate.exists():
            raise _invalid(
                "code",
                gettext("Le code %(code)s est déjà utilisé dans cette version du plan.")
                % {"code": activity.code},
            )
    if activity.objective_id is not None and activity.objective.version_id != version.pk:
        raise _invalid("objective", gettext("Cet objectif appartient à une autre version."))
    start, end = activity.start_date, activity.end_date
    if start is not None and end is not None:
        if end < start:
            raise _invalid("end_date", gettext("La fin précède le début."))
        if not rules.within(start, end, plan.period_start, plan.period_end):
            field = "start_date" if start < plan.period_start else "end_date"
            raise _invalid(
                field,
                gettext("Les dates doivent rester dans la période du plan "
                        "(du %(start)s au %(end)s).")
                % {"start": plan.period_start.strftime("%d/%m/%Y"),
                   "end": plan.period_end.strftime("%d/%m/%Y")},
            )  # fmt: skip
    if activity.responsible_organization_id and activity.responsible_person_id:
        raise _invalid(
            "responsible_person",
            gettext("Choisissez une organisation ou un membre de l'équipe, pas les deux."),
        )
    if activity.responsible_organization_id:
        is_party = plan.partnership.parties.filter(
            organization_id=activity.responsible_organization_id
        ).exists()
        if not is_party:
            raise _invalid(
                "responsible_organization",
                gettext("L'organisation responsable doit être une partie du partenariat."),
            )
    if activity.responsible_person_id:
        staff = ports.staff_person_ids.provider(partnership=plan.partnership)
        if activity.responsible_person_id not in staff:
            raise _invalid(
                "responsible_person",
                gettext("Le membre de l'équipe doit figurer au registre du personnel du "
                        "partenariat."),
            )  # fmt: skip


def _save_activity(activity: Activity) -> Activity:
    try:
        with transaction.atomic():
            return clean_and_save(activity)
    except IntegrityError as error:  # a concurrent insert of the same code
        raise _invalid(
            "code",
            gettext("Le code %(code)s est déjà utilisé dans cette version du plan.")
            % {"code": activity.code},
        ) from error


@transaction.atomic
def activity_create(*, by: Actor, version: PlanVersion, fields: Mapping[str, object]) -> Activity:
    require(by, Perm.PLAN_CHANGE, version.plan.partnership)
    version = _require_draft(version)
    activity = assign_fields(Activity(version=version), fields, allowed=ACTIVITY_FIELDS)
    _check_activity(activity, version)
    return _save_activity(activity)


@transaction.atomic
def activity_update(*, by: Actor, activity: Activity, fields: Mapping[str, object]) -> Activity:
    require(by, Perm.PLAN_CHANGE, activity.version.plan.partnership)
    version = _require_draft(activity.version)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    assign_fields(activity, fields, allowed=ACTIVITY_FIELDS)
    _check_activity(activity, version)
    return _save_activity(activity)


@transaction.atomic
def activity_delete(*, by: Actor, activity: Activity) -> None:
    require(by, Perm.PLAN_CHANGE, activity.version.plan.partnership)
    _require_draft(activity.version)
    BudgetAmount.objects.filter(line__activity=activity).delete()
    activity.lines.all().delete()
    activity.delete()


@transaction.atomic
def activity_progress_record(
    *, by: Actor, activity: Activity, status: str, progress: int
) -> Activity:
    """Execution tracking of the plan in force: an activity's state and progress. The
    rest of an adopted version never changes."""
    require(by, Perm.PLAN_CHANGE, activity.version.plan.partnership)
    version = PlanVersion.objects.select_for_update().get(pk=activity.version_id)
    if version.status == VersionStatus.SUPERSEDED:
        raise frozen_error()
    if status not in ActivityStatus.values:
        raise _invalid("status", gettext("État inconnu."))
    if not 0 <= progress <= 100:
        raise _invalid("progress", gettext("L'avancement est un pourcentage de 0 à 100."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    activity.status, activity.progress = status, progress
    if version.status == VersionStatus.DRAFT:
        return clean_and_save(activity)
    activity.save(update_fields=["status", "progress", "updated_at"])
    return activity


# --- Budget lines ----------------------------------------------------------------------------


def _amounts(plan: ActionPlan, amounts: Mapping[int, object]) -> dict[int, Decimal]:
    years = set(plan.years)
    cleaned: dict[int, Decimal] = {}
    for year, raw in amounts.items():
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise _invalid(f"amount_{year}", gettext("Montant invalide.")) from None
        if not value.is_finite() or value < 0:
            raise _invalid(f"amount_{year}", gettext("Un montant est positif ou nul."))
        if value != value.quantize(Decimal("0.01")) or value >= Decimal("1e12"):
            raise _invalid(
                f"amount_{year}", gettext("Un montant a au plus deux décimales et douze chiffres.")
            )
        if int(year) not in years:
            raise _invalid(
                f"amount_{year}",
                gettext("L'année %(year)s est hors de la période du plan.") % {"year": year},
            )
        cleaned[int(year)] = value
    return cleaned


def _check_line(line: BudgetLine) -> None:
    duplicate = BudgetLine.objects.filter(
        activity_id=line.activity_id, category=line.category, label=line.label
    )
    if line.pk:
        duplicate = duplicate.exclude(pk=line.pk)
    if duplicate.exists():
        raise _invalid(
            "label",
            gettext("Cette activité a déjà une ligne de cette catégorie avec ce libellé."),
        )


def _write_amounts(line: BudgetLine, amounts: dict[int, Decimal]) -> None:
    existing = {a.year: a for a in line.amounts.all()}
    for year, stale in existing.items():
        if year not in amounts:
            stale.delete()
    for year, value in amounts.items():
        row = existing.get(year)
        if row is None:
            BudgetAmount.objects.create(line=line, year=year, amount=value)
        elif row.amount != value:
            row.amount = value
            row.save()


@transaction.atomic
def budget_line_create(
    *,
    by: Actor,
    activity: Activity,
    fields: Mapping[str, object],
    amounts: Mapping[int, object],
) -> BudgetLine:
    """A budget line of ``activity`` (exactly one activity, fixed for the line's life)."""
    require(by, Perm.PLAN_CHANGE, activity.version.plan.partnership)
    version = _require_draft(activity.version)
    line = assign_fields(BudgetLine(activity=activity), fields, allowed=LINE_FIELDS)
    cleaned = _amounts(version.plan, amounts)
    _check_line(line)
    clean_and_save(line)
    _write_amounts(line, cleaned)
    return line


@transaction.atomic
def budget_line_update(
    *,
    by: Actor,
    line: BudgetLine,
    fields: Mapping[str, object],
    amounts: Mapping[int, object] | None = None,
) -> BudgetLine:
    """Change a line's category, label or amounts; its activity never changes."""
    require(by, Perm.PLAN_CHANGE, line.activity.version.plan.partnership)
    version = _require_draft(line.activity.version)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    assign_fields(line, fields, allowed=LINE_FIELDS)
    _check_line(line)
    clean_and_save(line)
    if amounts is not None:
        _write_amounts(line, _amounts(version.plan, amounts))
    return line


@transaction.atomic
def budget_line_delete(*, by: Actor, line: BudgetLine) -> None:
    require(by, Perm.PLAN_CHANGE, line.activity.version.plan.partnership)
    _require_draft(line.activity.version)
    line.amounts.all().delete()
    line.delete()


# --- Adoption and revision -------------------------------------------------------------------


@transaction.atomic
def plan_version_adopt(*, by: Actor, version: PlanVersion, decision: Decision) -> PlanVersion:
    """Put ``version`` in force: a board decision of kind ``action_plan_adoption`` of the
    same partnership adopts it; the version in force until then is superseded."""
    plan = version.plan
    require(by, Perm.PLAN_CHANGE, plan.partnership)
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise DomainError(
            Code.VERSION_NOT_DRAFT,
            gettext("Seul un projet de plan peut être adopté ; cette version est « %(status)s ».")
            % {"status": version.get_status_display()},
        )
    decision_require(
        decision,
        partnership_id=plan.partnership_id,
        kind=DecisionKindChoice.ACTION_PLAN_ADOPTION,
        wrong_kind=gettext(
            "La décision %(number)s n'est pas une adoption du plan d'action (%(kind)s)."
        ),
    )
    if PlanVersion.objects.filter(decision=decision).exists():
        raise DomainError(
            Code.DECISION_ALREADY_USED,
            gettext("La décision %(number)s a déjà adopté une version de plan.")
            % {"number": decision.number},
            field="decision",
        )
    if not Activity.objects.filter(version=version).exists():
        raise DomainError(
            Code.VERSION_EMPTY, gettext("Un plan sans activité ne peut pas être adopté.")
        )
    previous = (
        PlanVersion.objects.select_for_update()
        .filter(plan_id=version.plan_id, status=VersionStatus.ADOPTED)
        .first()
    )
    if previous is not None:
        assert previous.adopted_on is not None
        if decision.decided_on < previous.adopted_on:
            raise DomainError(
                Code.DECISION_BEFORE_IN_FORCE,
                gettext("La décision %(number)s est antérieure à l'adoption de la version en "
                        "vigueur (%(day)s).")
                % {"number": decision.number, "day": previous.adopted_on.strftime("%d/%m/%Y")},
                field="decision",
            )  # fmt: skip
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_on = decision.decided_on
        previous.save(update_fields=["status", "superseded_on", "updated_at"])
    version.status = VersionStatus.ADOPTED
    version.decision = decision
    version.adopted_on = decision.decided_on
    version.adopted_by = signed_in(by)
    version.save()
    return version


@transaction.atomic
def plan_version_revise(*, by: Actor, version: PlanVersion, note: str = "") -> PlanVersion:
    """Copy the version in force into a new draft (number + 1), which needs its own
    adoption by the board; the version in force stays in force meanwhile."""
    require(by, Perm.PLAN_CHANGE, version.plan.partnership)
    plan = ActionPlan.objects.select_for_update().get(pk=version.plan_id)
    version = PlanVersion.objects.get(pk=version.pk)
    if version.status != VersionStatus.ADOPTED:
        raise DomainError(
            Code.VERSION_NOT_ADOPTED,
            gettext("Seule la version en vigueur se révise."),
        )
    if plan.versions.filter(status=VersionStatus.DRAFT).exists():
        raise DomainError(
            Code.DRAFT_EXISTS,
            gettext("Un projet de révision existe déjà : complétez-le ou abandonnez-le."),
        )
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = PlanVersion.objects.create(plan=plan, number=number, based_on=version, note=note)
    objectives = {}
    for objective in version.objectives.order_by("position", "pk"):
        objectives[objective.pk] = Objective.objects.create(
            version=draft, code=objective.code, title=objective.title,
            position=objective.position,
        )  # fmt: skip
    activities = Activity.objects.filter(version=version).prefetch_related("lines__amounts")
    for activity in activities:
        copy = Activity.objects.create(
            version=draft, objective=objectives[activity.objective_id], code=activity.code,
            title=activity.title, description=activity.description,
            responsible_organization_id=activity.responsible_organization_id,
            responsible_person_id=activity.responsible_person_id,
            start_date=activity.start_date, end_date=activity.end_date,
            deliverables=activity.deliverables, status=activity.status,
            progress=activity.progress,
        )  # fmt: skip
        for line in activity.lines.all():
            new_line = BudgetLine.objects.create(
                activity=copy, category=line.category, label=line.label
            )
            BudgetAmount.objects.bulk_create(
                BudgetAmount(line=new_line, year=a.year, amount=a.amount)
                for a in line.amounts.all()
            )
    return draft


@transaction.atomic
def plan_version_discard(*, by: Actor, version: PlanVersion) -> None:
    """Abandon a draft revision (the version in force stays)."""
    require(by, Perm.PLAN_CHANGE, version.plan.partnership)
    version = _require_draft(version)
    if version.number == 1:
        raise DomainError(
            Code.VERSION_NOT_ADOPTED,
            gettext("La première version d'un plan ne s'abandonne pas : modifiez-la."),
        )
    BudgetAmount.objects.filter(line__activity__version=version).delete()
    BudgetLine.objects.filter(activity__version=version).delete()
    Activity.objects.filter(version=version).delete()
    Objective.objects.filter(version=version).delete()
    version.delete()


def budget_line_lock(*, line_id: int) -> None:
    """Hold the budget line's row until the caller's transaction ends.

    Whoever reads what a line has spent and then writes against that total (approving an
    expense against its ceiling) takes this lock first, so two such writers run one after
    the other instead of both trusting the same total.
    """
    BudgetLine.objects.select_for_update().filter(pk=line_id).first()
