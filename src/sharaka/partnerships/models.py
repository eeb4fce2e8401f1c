"""The partnership registry (M1): partnerships, their parties, lifecycle and access grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core import locale
from sharaka.core.models import TimestampedModel, choice_check
from sharaka.partnerships.rules import Status


class Kind(models.TextChoices):
    MANAGEMENT = "management", _("Partenariat de gestion")
    REALIZATION = "realization", _("Partenariat de réalisation")


class Category(models.TextChoices):
    FACILITY = "facility", _("Gestion d'équipement")
    SOCIO_ECONOMIC = "socio_economic", _("Programme socio-économique")


class Sector(models.TextChoices):
    SPORTS_FACILITY = "sports_facility", _("Équipement sportif")
    MUSEUM_CULTURE = "museum_culture", _("Musée et culture")
    OUTDOOR_BASE = "outdoor_base", _("Base de plein air et camping")
    FOREST = "forest", _("Forêt")
    TOURISM = "tourism", _("Promotion touristique")
    LOCAL_ECONOMY = "local_economy", _("Développement économique local")
    ENVIRONMENT = "environment", _("Environnement")
    HEALTH = "health", _("Santé")
    SOCIAL_SERVICES = "social_services", _("Services sociaux")
    EMPLOYMENT = "employment", _("Emploi")
    OTHER = "other", _("Autre")


class Complexity(models.TextChoices):
    SMALL = "small", _("Petit partenariat")
    ASSOCIATIVE = "associative", _("Partenariat associatif")
    LARGE = "large", _("Grand programme")


class StatusChoice(models.TextChoices):
    DRAFT = Status.DRAFT.value, _("Brouillon")
    NEGOTIATION = Status.NEGOTIATION.value, _("En négociation")
    ACTIVE = Status.ACTIVE.value, _("Actif")
    SUSPENDED = Status.SUSPENDED.value, _("Suspendu")
    TERMINATING = Status.TERMINATING.value, _("En cours de dissolution")
    TERMINATED = Status.TERMINATED.value, _("Terminé")


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Chef de file")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    OPERATOR = "operator", _("Opérateur")


class GrantRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinateur")
    BOARD_MEMBER = "board_member", _("Membre du conseil")
    TREASURER = "treasurer", _("Trésorier")
    AUDITOR = "auditor", _("Auditeur")


class Partnership(TimestampedModel):
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    sector = models.CharField(_("secteur"), max_length=32, choices=Sector.choices)
    complexity = models.CharField(_("envergure"), max_length=20, choices=Complexity.choices)
    lead_authority = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("collectivité chef de file"),
        on_delete=models.PROTECT,
        related_name="led_partnerships",
    )
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=StatusChoice.choices, default=StatusChoice.DRAFT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenariat")
        verbose_name_plural = _("partenariats")
        ordering = ["title", "id"]
        # The registry's sort (issue 19): by title, the id breaking ties so pages are stable.
        indexes = [models.Index(fields=["title", "id"], name="partnerships_title_order")]
        constraints = [
            choice_check("status", StatusChoice, "partnerships_partnership_status_valid"),
            choice_check("kind", Kind, "partnerships_partnership_kind_valid"),
            choice_check("category", Category, "partnerships_partnership_category_valid"),
            choice_check("sector", Sector, "partnerships_partnership_sector_valid"),
            choice_check("complexity", Complexity, "partnerships_partnership_complexity_valid"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="partnerships_partnership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lifecycle_status(self) -> Status:
        return Status(self.status)


class Party(models.Model):
    """An organisation taking part in a partnership, in one role."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=PartyRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization", "role"],
                name="partnerships_party_unique_role",
            ),
            choice_check("role", PartyRole, "partnerships_party_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class StatusTransition(models.Model):
    """One move of a partnership through its lifecycle: who, when, from, to, why."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("de"), max_length=20, choices=StatusChoice.choices)
    to_status = models.CharField(_("vers"), max_length=20, choices=StatusChoice.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    note = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {locale.span(self.from_status, self.to_status)}"


class PartnershipRole(models.Model):
    """A per-partnership role granted to a user (read by ``sharaka.core.access``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="user_roles"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=GrantRole.choices)
    #: A time-bound grant (an auditor's engagement, issue 15) holds only from ``valid_from``
    #: to ``valid_until`` included; ``core.access`` ignores it outside those days.
    valid_from = models.DateField(_("valable à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rôle dans un partenariat")
        verbose_name_plural = _("rôles dans les partenariats")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="partnerships_role_unique"
            ),
            choice_check("role", GrantRole, "partnerships_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.partnership}"
