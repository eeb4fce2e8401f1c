"""Action plans (M15): a plan per partnership and period, in versions; objectives,
activities and budget lines with planned amounts by year.

A version is *in force* once a board decision of kind ``action_plan_adoption`` adopts it;
an adopted or superseded version never changes, nor do its parts. The services refuse
first, with a clear message; the models are ``core.immutable`` models, so that no code path
(admin, shell, a later module, a bulk update) rewrites an adopted plan. The only exceptions
are the move of the version in force to "superseded" and the execution tracking of the
version in force: an activity's ``status`` and ``progress`` (see ``docs/planning.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import NOTHING, Freeze, Immutable, ImmutableError
from sharaka.core.models import TimestampedModel, choice_check
from sharaka.planning import rules
from sharaka.planning.error_codes import PlanningErrorCode as Code


def _default_currency() -> str:
    return str(settings.SHARAKA_CURRENCY)


class VersionStatus(models.TextChoices):
    DRAFT = rules.VersionStatus.DRAFT.value, _("Projet")
    ADOPTED = rules.VersionStatus.ADOPTED.value, _("Adoptée (en vigueur)")
    SUPERSEDED = rules.VersionStatus.SUPERSEDED.value, _("Remplacée")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    DELAYED = "delayed", _("En retard")
    CANCELLED = "cancelled", _("Annulée")


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Personnel")
    EQUIPMENT = "equipment", _("Équipement")
    OPERATIONS = "operations", _("Fonctionnement")
    COMMUNICATION = "communication", _("Communication")
    EVALUATION_AUDIT = "evaluation_audit", _("Évaluation et audit")
    OTHER = "other", _("Autres")


_FROZEN_MESSAGE = _("Une version adoptée ou remplacée du plan d'action ne change plus : "
                    "révisez-la pour préparer une nouvelle version.")  # fmt: skip


def _frozen(
    state: str,
    *,
    tracking: frozenset[str] = NOTHING,
    moves: Mapping[tuple[str, str], frozenset[str]] | None = None,
) -> Freeze:
    """A version, or a part of one, frozen once the version is adopted (``state`` leads to
    its status); ``tracking``: what still changes while the version is in force."""
    return Freeze(
        Code.VERSION_FROZEN, _FROZEN_MESSAGE, state=state,
        frozen={VersionStatus.ADOPTED: tracking, VersionStatus.SUPERSEDED: NOTHING},
        moves=moves or {},
    )  # fmt: skip


def frozen_error() -> ImmutableError:
    """The refusal of a change to an adopted plan (the services say it first)."""
    return PlanVersion.freeze.error()


class ActionPlan(TimestampedModel):
    """The action plan of a partnership for one period (e.g. 2025 to 2027)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="action_plans",
    )  # fmt: skip
    title = models.CharField(_("intitulé"), max_length=200)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    currency = models.CharField(_("devise"), max_length=3, default=_default_currency)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")
        ordering = ["partnership", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="planning_plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return rules.plan_years(self.period_start, self.period_end)


class PlanVersion(Immutable, TimestampedModel):
    """Version n of a plan: a draft, then adopted by a board decision (in force), then
    superseded when a later version is adopted. Adopted: only that move changes it."""

    freeze = _frozen(
        "status",
        moves={(VersionStatus.ADOPTED, VersionStatus.SUPERSEDED): frozenset({"superseded_on"})},
    )

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    status = models.CharField(
        _("statut"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("révise la version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="revisions",
    )  # fmt: skip
    note = models.TextField(_("objet de la version"), blank=True)
    decision = models.OneToOneField(
        "meetings.Decision", verbose_name=_("décision d'adoption"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="adopted_plan_version",
    )  # fmt: skip
    adopted_on = models.DateField(_("adoptée le"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("adoption enregistrée par"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    superseded_on = models.DateField(_("remplacée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version du plan d'action")
        verbose_name_plural = _("versions du plan d'action")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planning_version_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="draft"), name="planning_version_one_draft"
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="adopted"), name="planning_version_one_adopted"
            ),
            choice_check("status", VersionStatus, "planning_version_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft", decision__isnull=True, adopted_on__isnull=True)
                | (~Q(status="draft") & Q(decision__isnull=False, adopted_on__isnull=False)),
                name="planning_version_adopted_by_decision",
            ),
            models.CheckConstraint(
                condition=Q(status="superseded", superseded_on__isnull=False)
                | (~Q(status="superseded") & Q(superseded_on__isnull=True)),
                name="planning_version_superseded_dated",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="planning_version_number_min"),
        ]

    def __str__(self) -> str:
        return gettext("%(plan)s — version %(number)s") % {"plan": self.plan, "number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.ADOPTED


class Objective(Immutable, TimestampedModel):
    freeze = _frozen("version__status")

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="objectives"
    )
    code = models.CharField(_("code"), max_length=12, blank=True)
    title = models.CharField(_("objectif"), max_length=300)
    position = models.PositiveSmallIntegerField(_("rang"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


code_validator = RegexValidator(
    rules.CODE_PATTERN,
    _("Code attendu : une lettre puis des nombres séparés par des points, par exemple A1.2."),
)


class Activity(Immutable, TimestampedModel):
    freeze = _frozen("version__status", tracking=frozenset({"status", "progress"}))

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="activities"
    )
    objective = models.ForeignKey(
        Objective, verbose_name=_("objectif"), on_delete=models.CASCADE, related_name="activities"
    )
    code = models.CharField(_("code"), max_length=16, validators=[code_validator])
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation responsable"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    responsible_person = models.ForeignKey(
        "directory.Person", verbose_name=_("membre de l'équipe responsable"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    deliverables = models.TextField(_("livrables"), blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="planning_activity_code"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="planning_activity_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="planning_activity_progress_range",
            ),
            choice_check("status", ActivityStatus, "planning_activity_status_valid"),
            models.CheckConstraint(
                condition=Q(responsible_organization__isnull=True)
                | Q(responsible_person__isnull=True),
                name="planning_activity_one_responsible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def sort_key(self) -> tuple[str, tuple[int, ...]]:
        return rules.code_sort_key(self.code)

    @property
    def responsible(self) -> Any:
        return self.responsible_organization or self.responsible_person


class BudgetLine(Immutable, TimestampedModel):
    """A budget line of exactly one activity, in one category, with amounts by year."""

    freeze = _frozen("activity__version__status")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="lines"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=BudgetCategory.choices)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["activity", "category", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category", "label"], name="planning_line_unique"
            ),
            choice_check("category", BudgetCategory, "planning_line_category_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.label}".strip()

    @property
    def total(self) -> Decimal:
        return sum((a.amount for a in self.amounts.all()), Decimal("0"))


class BudgetAmount(Immutable):
    """The amount planned on a line for one year (in the plan's currency)."""

    freeze = _frozen("line__activity__version__status")

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("ligne"), on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("montant prévu")
        verbose_name_plural = _("montants prévus")
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="planning_amount_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="planning_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"
