"""Organisations and people: the directory every other part refers to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.models import TimestampedModel, choice_check


class OrganizationKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    GROUPING = "grouping", _("Groupement de collectivités")
    PROVINCE_REGION = "province_region", _("Province ou région")
    OTHER_PUBLIC = "other_public", _("Autre organisme public")
    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Coopérative")
    PRIVATE_COMPANY = "private_company", _("Entreprise privée")
    OTHER = "other", _("Autre")


#: Kinds that may lead a partnership as its local authority.
AUTHORITY_KINDS = (
    OrganizationKind.COMMUNE,
    OrganizationKind.GROUPING,
    OrganizationKind.PROVINCE_REGION,
)


class College(models.TextChoices):
    """Colleges of a board (M2); an organisation has a default one."""

    LOCAL_PUBLIC = "local_public", _("Collectivités territoriales")
    OTHER_PUBLIC = "other_public", _("Autres organismes publics")
    ASSOCIATIVE = "associative", _("Associations")
    PRIVATE = "private", _("Secteur privé")
    EXPERTS = "experts", _("Experts")


DEFAULT_COLLEGE_BY_KIND = {
    OrganizationKind.COMMUNE: College.LOCAL_PUBLIC,
    OrganizationKind.GROUPING: College.LOCAL_PUBLIC,
    OrganizationKind.PROVINCE_REGION: College.LOCAL_PUBLIC,
    OrganizationKind.OTHER_PUBLIC: College.OTHER_PUBLIC,
    OrganizationKind.ASSOCIATION: College.ASSOCIATIVE,
    OrganizationKind.COOPERATIVE: College.ASSOCIATIVE,
    OrganizationKind.PRIVATE_COMPANY: College.PRIVATE,
    OrganizationKind.OTHER: College.EXPERTS,
}


class ReceiptKind(models.TextChoices):
    PROVISIONAL = "provisional", _("Récépissé provisoire")
    FINAL = "final", _("Récépissé définitif")


class Gender(models.TextChoices):
    FEMALE = "f", _("Femme")
    MALE = "m", _("Homme")
    UNSTATED = "x", _("Non précisé")


class Organization(TimestampedModel):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(_("sigle"), max_length=50, blank=True)
    kind = models.CharField(_("nature"), max_length=32, choices=OrganizationKind.choices)
    default_college = models.CharField(
        _("collège par défaut"), max_length=32, choices=College.choices
    )
    legal_identifier = models.CharField(
        _("identifiant légal"),
        max_length=100,
        blank=True,
        help_text=_("ICE, identifiant fiscal, numéro de registre…"),
    )
    registration_number = models.CharField(
        _("numéro d'immatriculation"), max_length=100, blank=True
    )
    address = models.TextField(_("adresse"), blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="MA")
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=50, blank=True)
    website = models.URLField(_("site web"), blank=True)
    # Associations (dahir of 15 November 1958, art. 5: an association exists once declared).
    declaration_date = models.DateField(_("date de déclaration"), null=True, blank=True)
    receipt_number = models.CharField(_("numéro du récépissé"), max_length=100, blank=True)
    receipt_kind = models.CharField(
        _("nature du récépissé"), max_length=16, choices=ReceiptKind.choices, blank=True
    )
    public_utility = models.BooleanField(_("reconnue d'utilité publique"), default=False)
    statutes_on_file = models.BooleanField(_("statuts déposés au dossier"), default=False)
    notes = models.TextField(_("observations"), blank=True)
    # The territory (issue 19, the observatory): the province or prefecture a commune or a
    # grouping belongs to, itself an organisation of kind ``province_region``. A province
    # supervisor reads the partnerships led by the province and by its communes.
    province = models.ForeignKey(
        "self", verbose_name=_("province ou préfecture"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="communes",
        limit_choices_to={"kind": OrganizationKind.PROVINCE_REGION},
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            choice_check("kind", OrganizationKind, "directory_organization_kind_valid"),
            choice_check("default_college", College, "directory_organization_college_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_association(self) -> bool:
        return self.kind == OrganizationKind.ASSOCIATION

    @property
    def is_authority(self) -> bool:
        return self.kind in AUTHORITY_KINDS


class Person(TimestampedModel):
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    gender = models.CharField(_("genre"), max_length=1, choices=Gender.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=50, blank=True)
    is_expert = models.BooleanField(
        _("expert"), default=False, help_text=_("Expert technique, juridique ou administratif.")
    )
    notes = models.TextField(_("observations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        # The people search's order (``directory.lookups``, issue 19), the id breaking ties.
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="directory_person_order")
        ]
        constraints = [choice_check("gender", Gender, "directory_person_gender_valid")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class WorkingCalendar(TimestampedModel):
    """An authority's working days: the weekend days and its holidays (issue 17). The due
    dates of the council oversight (law 113-14 arts 116-117) count working days on it. An
    authority without a calendar works Monday to Friday with no holiday."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="working_calendar",
        verbose_name=_("collectivité"),
    )  # fmt: skip
    saturday_off = models.BooleanField(_("samedi chômé"), default=True)
    sunday_off = models.BooleanField(_("dimanche chômé"), default=True)
    friday_off = models.BooleanField(_("vendredi chômé"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendrier de travail")
        verbose_name_plural = _("calendriers de travail")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def weekend(self) -> frozenset[int]:
        """Weekend days, 0 = Monday … 6 = Sunday (``core.rules.deadline.Calendar``)."""
        days = ((4, self.friday_off), (5, self.saturday_off), (6, self.sunday_off))
        return frozenset(day for day, off in days if off)


class Holiday(models.Model):
    calendar = models.ForeignKey(
        WorkingCalendar, on_delete=models.CASCADE, related_name="holidays",
        verbose_name=_("calendrier"),
    )  # fmt: skip
    day = models.DateField(_("jour"))
    label = models.CharField(_("libellé"), max_length=200)
    demo = models.BooleanField(
        _("donnée de démonstration"), default=False,
        help_text=_("Jour férié saisi pour la démonstration : à vérifier avant usage réel."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jour férié")
        verbose_name_plural = _("jours fériés")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="directory_holiday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.label}"
