"""Finance (M4, M15): partner contributions, expenses charged to the action plan in force,
board authorisations of line overruns, and expense imports.

Approved expenses are append-only: the services refuse first, with a clear message, and
``Expense`` is a ``core.immutable`` model so that no code path (admin, shell, a later
module, a bulk update) rewrites one. It only moves on to "paid" and receives its missing
receipt. A correction is a *reversing entry*: a new expense with the opposite (negative)
amount that points to the original.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import (
    NOTHING,
    Freeze,
    Immutable,
    ImmutableError,
    ImmutableManager,
    ImmutableQuerySet,
)
from sharaka.core.models import TimestampedModel, choice_check, stamped_path
from sharaka.finance import rules
from sharaka.finance.error_codes import FinanceErrorCode as Code


def default_currency() -> str:
    return str(settings.SHARAKA_CURRENCY)


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Numéraire")
    IN_KIND = "in_kind", _("En nature")


class InKindType(models.TextChoices):
    STAFF = "staff", _("Personnel mis à disposition")
    PREMISES = "premises", _("Locaux")
    EQUIPMENT = "equipment", _("Équipement")
    SERVICES = "services", _("Services")


class ValuationMethod(models.TextChoices):
    COST = "cost", _("Coût supporté par le partenaire")
    MARKET = "market", _("Valeur de marché (loyer, location)")
    TIME = "time", _("Temps passé x coût horaire")
    DECLARED = "declared", _("Valeur déclarée par le partenaire")


class Contribution(TimestampedModel):
    """What one partner gives the partnership in one year: cash or in kind, pledged then
    received. In-kind contributions say what they are and how they were valued."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="contributions",
    )  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("partenaire"), on_delete=models.PROTECT,
        related_name="contributions",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("année"))
    kind = models.CharField(_("nature"), max_length=8, choices=ContributionKind.choices)
    in_kind_type = models.CharField(
        _("type d'apport en nature"), max_length=12, choices=InKindType.choices, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    pledged = models.DecimalField(_("montant promis"), max_digits=14, decimal_places=2)
    received = models.DecimalField(
        _("montant reçu"), max_digits=14, decimal_places=2, default=rules.ZERO
    )
    currency = models.CharField(_("devise"), max_length=3, default=default_currency)
    valuation_method = models.CharField(
        _("méthode de valorisation"), max_length=10, choices=ValuationMethod.choices, blank=True
    )
    valuation_note = models.TextField(_("comment l'apport est valorisé"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["partnership", "year", "organization__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pledged__gte=0), name="finance_contrib_pledged"),
            models.CheckConstraint(condition=Q(received__gte=0), name="finance_contrib_received"),
            choice_check("kind", ContributionKind, "finance_contrib_kind"),
            models.CheckConstraint(
                condition=Q(kind="cash", in_kind_type="", valuation_method="")
                | (Q(kind="in_kind") & ~Q(in_kind_type="") & ~Q(valuation_method="")),
                name="finance_contrib_in_kind_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} — {self.get_kind_display()}"


class ExpenseStatus(models.TextChoices):
    RECORDED = rules.Status.RECORDED.value, _("Enregistrée")
    CHECKED = rules.Status.CHECKED.value, _("Vérifiée")
    APPROVED = rules.Status.APPROVED.value, _("Approuvée")
    PAID = rules.Status.PAID.value, _("Payée")


def _document_path(instance: Expense, filename: str) -> str:
    return stamped_path(f"expenses/{instance.partnership_id}", filename)


def frozen_error() -> ImmutableError:
    """The refusal of a change to an approved expense (the services say it first)."""
    return Expense.freeze.error()


class ExpenseManager(ImmutableManager["Expense"]):
    """Expenses as everyone sees them: without the rows of an import still being written
    (``pending``), which appear all at once when their import commits
    (docs/decisions/0012-import-batches.md)."""

    def get_queryset(self) -> ImmutableQuerySet[Expense]:
        return super().get_queryset().filter(pending=False)


class Expense(Immutable):
    """An expense charged to an activity and a budget line of the plan in force on its date.

    ``year`` repeats the year of ``date`` so that budget versus actual groups without a
    date function (fast on SQLite and PostgreSQL alike). Approved: frozen, but for the
    move to "paid" and its missing receipt."""

    freeze = Freeze(
        Code.EXPENSE_FROZEN,
        _("Une dépense approuvée ne se modifie ni ne se supprime : "
          "corrigez-la par une écriture d'annulation (contre-passation)."),
        state="status",
        frozen={ExpenseStatus.APPROVED: NOTHING, ExpenseStatus.PAID: NOTHING},
        moves={(ExpenseStatus.APPROVED, ExpenseStatus.PAID): frozenset({"paid_by", "paid_at"})},
        fillable=frozenset({"document", "document_name"}),
    )  # fmt: skip

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="expenses",
    )  # fmt: skip
    plan_version = models.ForeignKey(
        "planning.PlanVersion", verbose_name=_("plan en vigueur"), on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    activity = models.ForeignKey(
        "planning.Activity", verbose_name=_("activité"), on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    line = models.ForeignKey(
        "planning.BudgetLine", verbose_name=_("ligne budgétaire"), on_delete=models.PROTECT,
        related_name="expenses",
    )  # fmt: skip
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("exercice"))
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, default=default_currency)
    supplier = models.CharField(_("fournisseur"), max_length=200)
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    document = models.FileField(
        _("pièce justificative"), upload_to=_document_path, max_length=255, blank=True
    )
    document_name = models.CharField(_("nom de la pièce"), max_length=255, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.RECORDED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enregistrée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vérifiée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )  # fmt: skip
    checked_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approuvée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approuvée le"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("payée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )  # fmt: skip
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("annule la dépense"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reversal",
    )  # fmt: skip
    import_job = models.ForeignKey(
        "ImportJob", verbose_name=_("import"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    #: written by an import that has not committed yet: invisible to ``objects``
    pending = models.BooleanField(_("import en cours"), default=False, editable=False)
    history = HistoricalRecords()

    #: every row, pending imports included (the importer's own bookkeeping)
    all_objects = ImmutableManager["Expense"]()
    objects: ClassVar[ExpenseManager] = ExpenseManager()

    class Meta:
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")
        default_manager_name = "objects"
        ordering = ["-date", "-pk"]
        indexes = [
            # The expense list's sort (issue 19, ADR 0027): deep pages read the ids from this
            # index alone (``core.pagination.DeferredRows``: an index-only scan, which the
            # condition of the default manager, ``pending=False``, allows), the id breaking ties.
            models.Index(
                fields=["partnership", "-date", "-id"],
                condition=Q(pending=False),
                name="finance_expense_order",
            ),
            models.Index(
                fields=["import_job"], condition=Q(pending=True), name="finance_expense_pending"
            ),
            # The duplicate check (issue 20): same partnership, reference and amount.
            models.Index(
                fields=["partnership", "reference", "amount"], name="finance_expense_duplicate"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="finance_expense_amount_sign",
            ),
            choice_check("status", ExpenseStatus, "finance_expense_status"),
            models.CheckConstraint(
                condition=Q(status__in=["recorded", "checked"]) | Q(approved_at__isnull=False),
                name="finance_expense_approved_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="finance_expense_paid_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.supplier} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.date is not None:
            self.year = self.date.year
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in rules.FROZEN

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class OverrunAuthorisation(models.Model):
    """A board decision authorising a budget line to spend ``amount`` beyond its ceiling
    (planned amount plus the tolerance of the rules in force)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        "planning.BudgetLine", verbose_name=_("ligne budgétaire"), on_delete=models.PROTECT,
        related_name="overrun_authorisations",
    )  # fmt: skip
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("décision du conseil"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    amount = models.DecimalField(_("dépassement autorisé"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("autorisation de dépassement")
        verbose_name_plural = _("autorisations de dépassement")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_overrun_positive"),
            models.UniqueConstraint(fields=["line", "decision"], name="finance_overrun_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.line} +{self.amount} ({self.decision})"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Refusé")


class ImportJob(models.Model):
    """One import of an expense file, and its progress (the page polls it)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    source_name = models.CharField(_("fichier"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    status = models.CharField(
        _("état"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    processed_bytes = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(_("lignes lues"), default=0)
    written = models.PositiveIntegerField(_("dépenses écrites"), default=0)
    errors = models.JSONField(_("erreurs"), default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: last sign of life of a running import: one with none for a while has crashed
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: which enqueueing of the job may run it: a task carrying an older number was
    #: superseded by a re-queue after a crash and does nothing (ADR 0016)
    attempt = models.PositiveSmallIntegerField(default=0)
    #: runs that stopped without an outcome (the worker died); past ``MAX_CRASHES``: failed
    crashes = models.PositiveSmallIntegerField(default=0)
    #: SHA-256 of the file: the same file imported twice is refused unless confirmed
    sha256 = models.CharField(max_length=64, blank=True)
    #: whoever uploaded it confirmed a file already imported, or duplicate expenses
    allow_duplicates = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("import de dépenses")
        verbose_name_plural = _("imports de dépenses")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partnership", "sha256"], name="finance_import_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return 100
        if not self.size:
            return 0
        return min(99, int(self.processed_bytes * 100 / self.size))

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
