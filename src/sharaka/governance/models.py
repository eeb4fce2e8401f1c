"""Boards (M2, M5, M6, M12): governance settings, board, colleges, seats, mandates, officers.

A *seat* is a place on the board held for an organisation, in a college, voting or advisory
(experts speak but do not vote, M6). A *mandate* is a person holding a seat for a period; it
is never deleted, only ended. An *officer* (chair, vice-chair, secretary, treasurer) is a
board member appointed to a role for a period.

Dates: ``end_date`` of a mandate or an officer term is the *last day* in office (inclusive);
a seat's ``abolished_on`` is the first day it no longer exists.

Fractions in ``GovernanceSettings`` are stored as text ``"p/q"`` (validated, see
``governance/fractions.py``), the notation of the rules engine's JSON contract.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.models import TimestampedModel, choice_check, choice_values
from sharaka.governance.board_templates import college_label
from sharaka.governance.fractions import validate_share


def default_required_colleges() -> list[str]:
    """By default the board must seat the local authorities (the partnership's lead)."""
    return ["local_public"]


class Method(models.TextChoices):
    """Decision methods (values are the rules engine's)."""

    SIMPLE = "simple", _("Majorité simple")
    ABSOLUTE = "absolute", _("Majorité absolue")
    QUALIFIED = "qualified", _("Majorité qualifiée")
    CONSENSUS = "consensus", _("Consensus")
    UNANIMITY = "unanimity", _("Unanimité")


class Base(models.TextChoices):
    YES_NO = "yes_no", _("Suffrages exprimés (pour et contre)")
    CAST = "cast", _("Votants (abstentions comprises)")
    PRESENT = "present", _("Membres présents ou représentés")
    MEMBERS = "members", _("Tous les membres votants")


class TieBreak(models.TextChoices):
    NONE = "none", _("Aucune (égalité = rejet)")
    CHAIR = "chair", _("Voix prépondérante du président")


class FallbackMethod(models.TextChoices):
    NONE = "", _("Aucun repli")
    SIMPLE = "simple", _("Majorité simple")
    ABSOLUTE = "absolute", _("Majorité absolue")
    QUALIFIED = "qualified", _("Majorité qualifiée")


class GovernanceSettings(TimestampedModel):
    """The interim rules of one partnership, until a convention in force owns them."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="governance_settings"
    )
    # Decision rule
    method = models.CharField(
        _("mode de décision"), max_length=16, choices=Method.choices, default=Method.CONSENSUS
    )
    threshold = models.CharField(
        _("seuil de majorité qualifiée"),
        max_length=20,
        default="2/3",
        validators=[validate_share],
        help_text=_("Par exemple 2/3 ou 3/5."),
    )
    base = models.CharField(
        _("base de calcul"), max_length=16, choices=Base.choices, default=Base.PRESENT
    )
    quorum = models.CharField(
        _("quorum"),
        max_length=20,
        default="1/2",
        validators=[validate_share],
        help_text=_("Part des membres votants qui doivent être présents ou représentés."),
    )
    quorum_per_college = models.CharField(
        _("quorum par collège"),
        max_length=20,
        blank=True,
        validators=[validate_share],
        help_text=_("Laisser vide : pas de quorum propre à chaque collège."),
    )
    max_proxies_per_member = models.PositiveSmallIntegerField(
        _("procurations par membre (maximum)"), default=1
    )
    tie_break = models.CharField(
        _("partage des voix"), max_length=8, choices=TieBreak.choices, default=TieBreak.NONE
    )
    fallback_method = models.CharField(
        _("repli si pas de consensus"),
        max_length=16,
        choices=FallbackMethod.choices,
        default=FallbackMethod.QUALIFIED,
        blank=True,
    )
    fallback_threshold = models.CharField(
        _("seuil du repli"), max_length=20, default="2/3", validators=[validate_share]
    )
    fallback_base = models.CharField(
        _("base du repli"), max_length=16, choices=Base.choices, default=Base.PRESENT
    )
    fallback_from_round = models.PositiveSmallIntegerField(_("repli à partir du tour"), default=2)
    # Balance policy
    max_seat_share_per_organization = models.CharField(
        _("part maximale des sièges par organisation"),
        max_length=20,
        default="1/2",
        validators=[validate_share],
        help_text=_("Au-delà (strictement), une organisation domine le conseil."),
    )
    min_women_share = models.CharField(
        _("part minimale de femmes"), max_length=20, default="1/3", validators=[validate_share]
    )
    required_colleges = models.JSONField(
        _("collèges obligatoires"),
        default=default_required_colleges,
        blank=True,
        help_text=_("Codes des collèges qui doivent avoir au moins un siège votant."),
    )
    max_non_voting = models.PositiveSmallIntegerField(
        _("sièges consultatifs (maximum)"),
        null=True,
        blank=True,
        help_text=_("Laisser vide : pas de limite."),
    )
    no_dictator = models.BooleanField(_("interdire qu'une organisation décide seule"), default=True)
    warn_veto = models.BooleanField(_("signaler un droit de veto de fait"), default=True)
    # Meetings and other interim rules
    notice_period_days = models.PositiveSmallIntegerField(
        _("délai de convocation (jours)"), default=15
    )
    second_convocation_quorum = models.CharField(
        _("quorum sur seconde convocation"),
        max_length=20,
        blank=True,
        validators=[validate_share],
        help_text=_("Laisser vide : le même quorum."),
    )
    expense_tolerance = models.CharField(
        _("dépassement toléré d'une ligne budgétaire"),
        max_length=20,
        default="1/10",
        validators=[validate_share],
    )
    plan_adoption_deadline_days = models.PositiveSmallIntegerField(
        _("délai d'adoption du plan d'action (jours)"), null=True, blank=True
    )
    audit_frequency_months = models.PositiveSmallIntegerField(
        _("périodicité des audits (mois)"), null=True, blank=True
    )
    evaluation_frequency_months = models.PositiveSmallIntegerField(
        _("périodicité des évaluations (mois)"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règles de gouvernance")
        verbose_name_plural = _("règles de gouvernance")
        constraints = [
            choice_check("method", Method, "governance_settings_method_valid"),
            models.CheckConstraint(
                condition=Q(base__in=choice_values(Base))
                & Q(fallback_base__in=choice_values(Base)),
                name="governance_settings_base_valid",
            ),
            choice_check("tie_break", TieBreak, "governance_settings_tie_break_valid"),
            choice_check("fallback_method", FallbackMethod, "governance_settings_fallback_valid"),
            models.CheckConstraint(
                condition=Q(fallback_from_round__gte=2),
                name="governance_settings_fallback_round_min",
            ),
            models.CheckConstraint(
                condition=~Q(threshold="")
                & ~Q(quorum="")
                & ~Q(fallback_threshold="")
                & ~Q(max_seat_share_per_organization="")
                & ~Q(min_women_share=""),
                name="governance_settings_fractions_present",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Règles de gouvernance — %(p)s")) % {"p": self.partnership_id}


class Board(TimestampedModel):
    """The board (*conseil d'administration*) of one partnership."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="board"
    )
    name = models.CharField(_("nom"), max_length=150, default="Conseil d'administration")
    template = models.CharField(_("modèle de départ"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conseil")
        verbose_name_plural = _("conseils")

    def __str__(self) -> str:
        return self.name


class BoardCollege(models.Model):
    """A college of a board (configurable; defaults are the five of ``directory.College``)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="colleges")
    code = models.SlugField(_("code"), max_length=32)
    label = models.CharField(_("libellé"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["board", "code"], name="governance_college_unique"),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the interface language (``board_templates.college_label``)."""
        return college_label(self.code, self.label)


class Expertise(models.TextChoices):
    NONE = "", _("—")
    TECHNICAL = "technical", _("Expertise technique")
    LEGAL = "legal", _("Expertise juridique")
    ADMINISTRATIVE = "administrative", _("Expertise administrative")
    FINANCIAL = "financial", _("Expertise financière")


class Seat(TimestampedModel):
    """A place on the board: for an organisation, in a college, voting or advisory."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="seats")
    college = models.ForeignKey(
        BoardCollege, verbose_name=_("collège"), on_delete=models.PROTECT, related_name="seats"
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation représentée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_seats",
    )
    voting = models.BooleanField(_("voix délibérative"), default=True)
    expertise = models.CharField(
        _("expertise"), max_length=16, choices=Expertise.choices, blank=True, default=""
    )
    label = models.CharField(_("libellé"), max_length=150, blank=True)
    established_on = models.DateField(_("créé le"), default=timezone.localdate)
    abolished_on = models.DateField(_("supprimé le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("siège")
        verbose_name_plural = _("sièges")
        ordering = ["college__order", "organization__name", "-voting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expertise="") | Q(voting=False),
                name="governance_seat_expert_advisory",
            ),
            models.CheckConstraint(
                condition=Q(voting=False) | Q(organization__isnull=False),
                name="governance_seat_voting_has_organization",
            ),
            choice_check("expertise", Expertise, "governance_seat_expertise_valid"),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gt=F("established_on")),
                name="governance_seat_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        organization = self.organization
        who = organization.name if organization is not None else self.get_expertise_display()
        return self.label or f"{who} ({self.college})"


class Mandate(TimestampedModel):
    """A person holding a seat from ``start_date`` to ``end_date`` (last day, inclusive)."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("siège"), on_delete=models.PROTECT, related_name="mandates"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="board_mandates",
    )
    on_behalf_of = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("au nom de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_mandates",
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin (dernier jour)"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["seat_id", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="governance_mandate_dates_ordered",
            ),
            # Backstop of the service's overlap check: at most one open mandate per seat.
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(end_date__isnull=True),
                name="governance_mandate_one_open_per_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.seat}"

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class OfficerRole(models.TextChoices):
    CHAIR = "chair", _("Président·e")
    VICE_CHAIR = "vice_chair", _("Vice-président·e")
    SECRETARY = "secretary", _("Secrétaire")
    TREASURER = "treasurer", _("Trésorier·ère")


class Officer(TimestampedModel):
    """A board member appointed to the bureau in one role for a period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="officers")
    role = models.CharField(_("fonction"), max_length=16, choices=OfficerRole.choices)
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandat"), on_delete=models.PROTECT, related_name="offices"
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin (dernier jour)"), null=True, blank=True)
    # Linked to the board decision that appointed the officer once meetings exist (issue 5):
    # the column is already the one a foreign key ``appointing_decision`` would use.
    appointing_decision_id = models.PositiveBigIntegerField(
        _("décision de nomination"), null=True, blank=True
    )
    appointment_note = models.CharField(
        _("nomination"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : élu·e par le conseil du 12 janvier 2025."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre du bureau")
        verbose_name_plural = _("membres du bureau")
        ordering = ["role", "start_date"]
        constraints = [
            choice_check("role", OfficerRole, "governance_officer_role_valid"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="governance_officer_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["board", "role"],
                condition=Q(end_date__isnull=True),
                name="governance_officer_one_open_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.mandate.person}"
