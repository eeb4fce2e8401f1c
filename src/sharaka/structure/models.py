"""The management structure of a partnership (M7, M8, M9): its type, the staff register,
delegations decided by the board (M8) and the assets register.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.models import TimestampedModel, UploadedDocument, choice_check, stamped_path
from sharaka.structure import rules


def _default_currency() -> str:
    return str(settings.SHARAKA_CURRENCY)


class StructureKind(models.TextChoices):
    LIGHT = rules.StructureKind.LIGHT.value, _("Structure légère")
    ASSOCIATIVE = rules.StructureKind.ASSOCIATIVE.value, _("Structure associative")
    PROJECT_TEAM = rules.StructureKind.PROJECT_TEAM.value, _("Équipe de projet")


class StaffRole(models.TextChoices):
    DIRECTOR = rules.StaffRole.DIRECTOR.value, _("Directeur·rice")
    COORDINATOR = rules.StaffRole.COORDINATOR.value, _("Coordinateur·rice")
    FACILITATOR = rules.StaffRole.FACILITATOR.value, _("Animateur·rice")
    TEAM_MEMBER = rules.StaffRole.TEAM_MEMBER.value, _("Membre de l'équipe")
    SECONDED_OFFICIAL = (
        rules.StaffRole.SECONDED_OFFICIAL.value,
        _("Fonctionnaire mis·e à disposition"),
    )
    VOLUNTEER = rules.StaffRole.VOLUNTEER.value, _("Bénévole")
    RECRUITED_STAFF = rules.StaffRole.RECRUITED_STAFF.value, _("Personnel recruté")


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensuel")
    QUARTERLY = "quarterly", _("Trimestriel")
    HALF_YEARLY = "half_yearly", _("Semestriel")
    YEARLY = "yearly", _("Annuel")
    AT_END = "at_end", _("À la fin de la délégation")


class AssetKind(models.TextChoices):
    EQUIPMENT = "equipment", _("Équipement")
    PREMISES = "premises", _("Locaux")


class AssetCondition(models.TextChoices):
    NEW = "new", _("Neuf")
    GOOD = "good", _("Bon état")
    FAIR = "fair", _("État moyen")
    POOR = "poor", _("Mauvais état")
    OUT_OF_SERVICE = "out_of_service", _("Hors service")


STRUCTURE_DESCRIPTIONS = {
    StructureKind.LIGHT: _(
        "Un coordinateur et quelques fonctionnaires des collectivités, à temps partiel ou complet."
    ),
    StructureKind.ASSOCIATIVE: _(
        "Un coordinateur ou animateur mis à disposition par un partenaire public, des "
        "bénévoles, des activités déléguées par le conseil."
    ),
    StructureKind.PROJECT_TEAM: _(
        "Une équipe de projet et un directeur, gérés comme une entreprise."
    ),
}


class ManagementStructure(TimestampedModel):
    partnership = models.OneToOneField(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="management_structure",
    )  # fmt: skip
    kind = models.CharField(_("type de structure"), max_length=20, choices=StructureKind.choices)
    description = models.TextField(_("organisation et mode de fonctionnement"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("structure de gestion")
        verbose_name_plural = _("structures de gestion")
        constraints = [
            choice_check("kind", StructureKind, "structure_kind_valid"),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s — %(partnership)s") % {
            "kind": self.get_kind_display(),
            "partnership": self.partnership,
        }

    @property
    def kind_description(self) -> str:
        return str(STRUCTURE_DESCRIPTIONS.get(StructureKind(self.kind), ""))


class StaffAssignment(TimestampedModel):
    """A person working for the partnership's management structure, in one role, for a
    share of full time, provided and paid by an organisation of origin."""

    structure = models.ForeignKey(
        ManagementStructure, verbose_name=_("structure"), on_delete=models.CASCADE,
        related_name="staff",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("personne"), on_delete=models.PROTECT,
        related_name="staff_assignments",
    )  # fmt: skip
    role = models.CharField(_("rôle"), max_length=20, choices=StaffRole.choices)
    title = models.CharField(_("intitulé du poste"), max_length=150, blank=True)
    origin_organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation d'origine"),
        on_delete=models.PROTECT, related_name="+",
        help_text=_("L'organisation qui met la personne à disposition et la rémunère."),
    )  # fmt: skip
    time_share = models.DecimalField(
        _("quotité de temps (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )  # fmt: skip
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    reports_to = models.ForeignKey(
        "self", verbose_name=_("rend compte à"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reports",
    )  # fmt: skip
    note = models.TextField(_("observations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affectation au personnel")
        verbose_name_plural = _("registre du personnel")
        ordering = ["structure", "start_date", "pk"]
        constraints = [
            choice_check("role", StaffRole, "structure_staff_role_valid"),
            models.CheckConstraint(
                condition=Q(time_share__gt=0, time_share__lte=100),
                name="structure_staff_time_share_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="structure_staff_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    def active_on(self, day: object) -> bool:
        return rules.active_on(self.start_date, self.end_date, day)  # type: ignore[arg-type]

    @property
    def is_active(self) -> bool:
        return rules.active_on(self.start_date, self.end_date, timezone.localdate())


class Delegation(TimestampedModel):
    """A responsibility or a set of activities delegated to a partner organisation by a
    board decision (M8)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="delegations",
    )  # fmt: skip
    delegate = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation délégataire"),
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("décision du conseil"), on_delete=models.PROTECT,
        related_name="delegations",
    )  # fmt: skip
    scope = models.TextField(_("objet de la délégation"))
    activities = models.ManyToManyField(
        "planning.Activity", verbose_name=_("activités déléguées"), blank=True,
        related_name="delegations",
    )  # fmt: skip
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    reporting_duty = models.TextField(_("obligation de rendre compte"))
    reporting_frequency = models.CharField(
        _("fréquence des comptes rendus"), max_length=12, choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("délégation")
        verbose_name_plural = _("délégations")
        ordering = ["partnership", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="structure_delegation_dates_ordered",
            ),
            choice_check(
                "reporting_frequency", ReportingFrequency, "structure_delegation_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Délégation à %(org)s") % {"org": self.delegate}

    @property
    def is_active(self) -> bool:
        return rules.active_on(self.start_date, self.end_date, timezone.localdate())


class Asset(TimestampedModel):
    """Equipment or premises used by the partnership (to be disposed of at termination)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="assets",
    )  # fmt: skip
    kind = models.CharField(_("nature"), max_length=12, choices=AssetKind.choices)
    name = models.CharField(_("désignation"), max_length=200)
    reference = models.CharField(_("numéro d'inventaire"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "directory.Organization", verbose_name=_("propriétaire"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    provided_by = models.ForeignKey(
        "directory.Organization", verbose_name=_("mis à disposition par"),
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    value = models.DecimalField(
        _("valeur"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(_("devise"), max_length=3, default=_default_currency)
    location = models.CharField(_("emplacement"), max_length=200, blank=True)
    condition = models.CharField(
        _("état"), max_length=16, choices=AssetCondition.choices, default=AssetCondition.GOOD
    )
    acquired_on = models.DateField(_("mis en service le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bien")
        verbose_name_plural = _("registre des biens")
        ordering = ["partnership", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="structure_asset_value_positive"
            ),
            choice_check("kind", AssetKind, "structure_asset_kind_valid"),
            choice_check("condition", AssetCondition, "structure_asset_condition_valid"),
        ]

    def __str__(self) -> str:
        return self.name


def _document_path(instance: AssetDocument, filename: str) -> str:
    return stamped_path(f"assets/{instance.asset_id}", filename)


class AssetDocument(UploadedDocument):
    """A document about an asset (deed, invoice, inventory sheet, photo): PDF, PNG or JPEG
    of at most 10 MB, checked before it is stored."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fichier"), upload_to=_document_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=60)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("document d'un bien")
        verbose_name_plural = _("documents des biens")
