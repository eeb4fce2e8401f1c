"""Action plans (M15): a plan per partnership and period, in versions; objectives,
activities and budget lines with planned amounts by year.

A version is *in force* once a board decision of kind ``action_plan_adoption`` adopts it;
an adopted or superseded version never changes. The services refuse first, with a clear
message; ``save()`` and ``delete()`` refuse again here so that no code path (admin, shell,
a later module) rewrites an adopted plan. The only exception is the execution tracking of
the version in force: an activity's ``status`` and ``progress`` (see ``docs/planning.md``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.errors import DomainError
from sharaka.core.models import TimestampedModel
from sharaka.planning import rules
from sharaka.planning.error_codes import PlanningErrorCode as Code


def _values(choices: type[models.TextChoices]) -> list[str]:
    return [str(choice.value) for choice in choices]


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


def frozen_error() -> DomainError:
    return DomainError(
        Code.VERSION_FROZEN,
        gettext("Une version adoptée ou remplacée du plan d'action ne change plus : "
                "révisez-la pour préparer une nouvelle version."),
    )  # fmt: skip


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


class PlanVersion(TimestampedModel):
    """Version n of a plan: a draft, then adopted by a board decision (in force), then
    superseded when a later version is adopted."""

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

    #: What may change once adopted: the move to "superseded", nothing else.
    _TRANSITION_FIELDS = frozenset({"status", "superseded_on", "updated_at"})

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
            models.CheckConstraint(
                condition=Q(status__in=_values(VersionStatus)), name="planning_version_status_valid"
            ),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VersionStatus.SUPERSEDED:
                raise frozen_error()
            if stored == VersionStatus.ADOPTED:
                fields = kwargs.get("update_fields")
                if (
                    fields is None
                    or not set(fields) <= self._TRANSITION_FIELDS
                    or self.status != VersionStatus.SUPERSEDED
                ):
                    raise frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored in rules.FROZEN:
            raise frozen_error()
        return super().delete(*args, **kwargs)


def _status_of_version(version_id: int | None) -> str | None:
    if version_id is None:
        return None
    return PlanVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()


class DraftOnly(models.Model):
    """A part of a version: written only while the version is a draft."""

    #: Fields that may still change while the version is in force (execution tracking).
    TRACKING_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        status = self._version_status()
        if status in rules.FROZEN:
            fields = kwargs.get("update_fields")
            tracking = (
                status == VersionStatus.ADOPTED
                and not self._state.adding
                and fields is not None
                and set(fields) <= self.TRACKING_FIELDS | {"updated_at"}
            )
            if not tracking:
                raise frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._version_status() in rules.FROZEN:
            raise frozen_error()
        return super().delete(*args, **kwargs)

    def _version_status(self) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError


class Objective(DraftOnly, TimestampedModel):
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

    def _version_status(self) -> str | None:
        return _status_of_version(self.version_id)


code_validator = RegexValidator(
    rules.CODE_PATTERN,
    _("Code attendu : une lettre puis des nombres séparés par des points, par exemple A1.2."),
)


class Activity(DraftOnly, TimestampedModel):
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

    TRACKING_FIELDS = frozenset({"status", "progress"})

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
            models.CheckConstraint(
                condition=Q(status__in=_values(ActivityStatus)),
                name="planning_activity_status_valid",
            ),
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

    def _version_status(self) -> str | None:
        return _status_of_version(self.version_id)


class BudgetLine(DraftOnly, TimestampedModel):
    """A budget line of exactly one activity, in one category, with amounts by year."""

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
            models.CheckConstraint(
                condition=Q(category__in=_values(BudgetCategory)),
                name="planning_line_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.label}".strip()

    def _version_status(self) -> str | None:
        if self.activity_id is None:
            return None
        return (
            Activity.objects.filter(pk=self.activity_id)
            .values_list("version__status", flat=True)
            .first()
        )

    @property
    def total(self) -> Decimal:
        return sum((a.amount for a in self.amounts.all()), Decimal("0"))


class BudgetAmount(DraftOnly):
    """The amount planned on a line for one year (in the plan's currency)."""

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

    def _version_status(self) -> str | None:
        if self.line_id is None:
            return None
        return (
            BudgetLine.objects.filter(pk=self.line_id)
            .values_list("activity__version__status", flat=True)
            .first()
        )
