"""The end of a partnership (issue 17): its termination (ground, notice, effective date,
linked to the lifecycle move that records who, when and why), the wind-down checklist with
its evidence, and the final accounts with each party's share (append-only once approved)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.closure import rules
from sharaka.closure.error_codes import ClosureErrorCode as Code
from sharaka.core import locale
from sharaka.core.immutable import Freeze, Immutable
from sharaka.core.models import TimestampedModel, UploadedDocument, choice_check, stamped_path


class Ground(models.TextChoices):
    EXPIRY = rules.Ground.EXPIRY.value, _("Expiration de la convention")
    NOTICE = rules.Ground.NOTICE.value, _("Dénonciation par une partie, avec préavis")
    AGREEMENT = rules.Ground.AGREEMENT.value, _("Accord des parties")
    BREACH = rules.Ground.BREACH.value, _("Manquement d'une partie, après mise en demeure")


class ItemKind(models.TextChoices):
    ASSET = rules.ItemKind.ASSET.value, _("Bien")
    STAFF = rules.ItemKind.STAFF.value, _("Personnel")
    CONTRIBUTION = rules.ItemKind.CONTRIBUTION.value, _("Contributions")
    DELEGATION = rules.ItemKind.DELEGATION.value, _("Délégation")
    FINAL_ACCOUNTS = rules.ItemKind.FINAL_ACCOUNTS.value, _("Comptes de clôture")
    DOCUMENTS = rules.ItemKind.DOCUMENTS.value, _("Documents")


class ItemStatus(models.TextChoices):
    OPEN = rules.ItemStatus.OPEN.value, _("À faire")
    IN_PROGRESS = rules.ItemStatus.IN_PROGRESS.value, _("En cours")
    DONE = rules.ItemStatus.DONE.value, _("Fait")
    NOT_APPLICABLE = rules.ItemStatus.NOT_APPLICABLE.value, _("Sans objet")


class KeySource(models.TextChoices):
    CONVENTION = rules.KeySource.CONVENTION.value, _("Clé de répartition de la convention")
    CONTRIBUTIONS = rules.KeySource.CONTRIBUTIONS.value, _("Parts des contributions promises")
    LEAD = rules.KeySource.LEAD.value, _("Collectivité chef de file")


def _termination_path(instance: Termination, filename: str) -> str:
    return stamped_path(f"closure/{instance.partnership_id}/termination", filename)


class Termination(TimestampedModel):
    """Why and when a partnership ends: one per partnership, recorded with the move to
    "En cours de dissolution" (``transition``: who, when, the reason)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="termination",
    )  # fmt: skip
    ground = models.CharField(_("motif de fin"), max_length=12, choices=Ground.choices)
    notice_on = models.DateField(
        _("date de départ"), help_text=_("Réception du préavis ou de la mise en demeure, date "
                                         "convenue, ou fin de la convention."),
    )  # fmt: skip
    notice_days = models.PositiveIntegerField(_("préavis (jours)"), default=0)
    effective_date = models.DateField(_("date d'effet"))
    party = models.ForeignKey(
        "directory.Organization", verbose_name=_("partie à l'origine"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("décision du conseil"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reason = models.TextField(_("motif détaillé"))
    document = models.FileField(
        _("document"), upload_to=_termination_path, blank=True, max_length=255
    )
    document_name = models.CharField(_("nom du document"), max_length=255, blank=True)
    transition = models.OneToOneField(
        "partnerships.StatusTransition", verbose_name=_("changement de statut"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enregistré par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fin de partenariat")
        verbose_name_plural = _("fins de partenariat")
        constraints = [
            choice_check("ground", Ground, "closure_termination_ground_valid"),
            models.CheckConstraint(
                condition=Q(effective_date__gte=models.F("notice_on")),
                name="closure_termination_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} — {self.get_ground_display()}"

    @property
    def spec(self) -> rules.GroundSpec:
        return rules.GROUNDS[rules.Ground(self.ground)]


class WindDownItem(TimestampedModel):
    """One thing to settle before the partnership is terminated."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="wind_down_items",
    )  # fmt: skip
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("nature"), max_length=16, choices=ItemKind.choices)
    subject = models.CharField(_("objet"), max_length=300)
    source_id = models.PositiveIntegerField(_("ligne du registre"), null=True, blank=True)
    owner = models.ForeignKey(
        "directory.Organization", verbose_name=_("responsable"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("état"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    disposition = models.CharField(_("sort"), max_length=20, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("soldé le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("élément de liquidation")
        verbose_name_plural = _("liste de liquidation")
        ordering = ["partnership", "position", "pk"]
        indexes = [
            models.Index(fields=["partnership", "position", "id"], name="closure_item_order")
        ]
        constraints = [
            choice_check("kind", ItemKind, "closure_item_kind_valid"),
            choice_check("status", ItemStatus, "closure_item_status_valid"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def spec(self) -> rules.ItemSpec:
        return rules.ITEM_SPECS[rules.ItemKind(self.kind)]

    @property
    def is_closed(self) -> bool:
        return rules.ItemStatus(self.status) in rules.CLOSED

    @property
    def disposition_label(self) -> str:
        from django.utils.translation import gettext

        labels = dict(self.spec.dispositions)
        return gettext(labels[self.disposition]) if self.disposition in labels else ""


def _evidence_path(instance: Evidence, filename: str) -> str:
    return stamped_path(f"closure/items/{instance.item_id}", filename)


class Evidence(UploadedDocument):
    """A document proving an item settled (handover report, inventory, receipt)."""

    item = models.ForeignKey(WindDownItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("fichier"), upload_to=_evidence_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=60)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")


_FROZEN = _("Les comptes de clôture approuvés ne se modifient pas.")


class FinalAccounts(Immutable):
    """The final accounts as approved: written once, never changed (append-only)."""

    freeze = Freeze(Code.RECORD_FROZEN, _FROZEN, deletable=False)

    partnership = models.OneToOneField(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="final_accounts",
    )  # fmt: skip
    currency = models.CharField(_("devise"), max_length=3)
    received = models.DecimalField(_("contributions reçues"), max_digits=16, decimal_places=2)
    spent = models.DecimalField(_("dépenses"), max_digits=16, decimal_places=2)
    balance = models.DecimalField(_("solde"), max_digits=16, decimal_places=2)
    key_source = models.CharField(_("clé"), max_length=16, choices=KeySource.choices)
    method = models.CharField(_("méthode"), max_length=20)
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("décision du conseil"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approuvés par"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approuvés le"))

    class Meta:
        verbose_name = _("comptes de clôture")
        verbose_name_plural = _("comptes de clôture")
        constraints = [
            choice_check("key_source", KeySource, "closure_accounts_key_valid"),
            models.CheckConstraint(
                condition=Q(balance=models.F("received") - models.F("spent")),
                name="closure_accounts_balance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} — {self.balance} {self.currency}"


class FinalShare(Immutable):
    """One party's share of the balance, as approved (append-only)."""

    freeze = Freeze(Code.RECORD_FROZEN, _FROZEN, deletable=False)

    accounts = models.ForeignKey(FinalAccounts, on_delete=models.PROTECT, related_name="shares")
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("partie"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    key = models.CharField(_("clé"), max_length=40)
    amount = models.DecimalField(_("part"), max_digits=16, decimal_places=2)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("part des comptes de clôture")
        verbose_name_plural = _("parts des comptes de clôture")
        ordering = ["accounts", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["accounts", "organization"], name="closure_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.amount}"


class Renewal(Immutable):
    """A tacit renewal recorded by the daily expiry job on the day the term ended, for the
    period of the convention's duration clause (append-only: the history of the terms)."""

    freeze = Freeze(
        Code.RECORD_FROZEN, _("Un renouvellement enregistré ne se modifie pas."), deletable=False
    )

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="renewals",
    )  # fmt: skip
    renewed_on = models.DateField(_("renouvelé le"))
    previous_end = models.DateField(_("terme précédent"))
    new_end = models.DateField(_("nouveau terme"))
    years = models.PositiveSmallIntegerField(_("durée du renouvellement (années)"))
    source = models.CharField(_("clause de la version"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("renouvellement tacite")
        verbose_name_plural = _("renouvellements tacites")
        ordering = ["partnership", "previous_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "previous_end"], name="closure_renewal_once"
            ),
        ]

    def __str__(self) -> str:
        return locale.span(self.partnership, self.new_end)
