"""Key people's competences (M10): a catalogue of competences, each person's profile (held
levels with evidence, with history), the levels each role of the management structure
requires (defaults, and a partnership's own), and the training plan: sessions, their
participants and attendance.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.competences import rules
from sharaka.core.models import TimestampedModel, choice_check
from sharaka.structure.models import StaffRole

LEVELS = [MinValueValidator(rules.MIN_LEVEL), MaxValueValidator(rules.MAX_LEVEL)]


class Level(models.IntegerChoices):
    NOTIONS = 1, _("1 — Notions")
    PRACTICE = 2, _("2 — Pratique")
    MASTERY = 3, _("3 — Maîtrise")
    EXPERT = 4, _("4 — Expertise")


def _default_currency() -> str:
    return str(settings.SHARAKA_CURRENCY)


class Competence(TimestampedModel):
    """A competence of a person (not of an organisation: see ``partners`` for those)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # in French, Arabic and English, as the other catalogues (``partners.models.Labelled``)
    label_fr = models.CharField(_("intitulé (français)"), max_length=150)
    label_ar = models.CharField(_("intitulé (arabe)"), max_length=150, blank=True)
    label_en = models.CharField(_("intitulé (anglais)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["code", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, French when it has none."""
        language = (translation.get_language() or "fr")[:2]
        text: str = getattr(self, f"label_{language}", "") or ""
        return text or self.label_fr


class Holding(TimestampedModel):
    """A competence a person holds, at a level, with its evidence. Changes are kept in the
    history (who, when, why: declared or a training session)."""

    person = models.ForeignKey(
        "directory.Person", verbose_name=_("personne"), on_delete=models.PROTECT,
        related_name="competences",
    )  # fmt: skip
    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices, validators=LEVELS)
    evidence = models.TextField(_("justificatif"), blank=True)
    session = models.ForeignKey(
        "TrainingSession", verbose_name=_("acquise en formation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compétence détenue")
        verbose_name_plural = _("compétences détenues")
        ordering = ["person", "competence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "competence"], name="competences_held_once"),
            models.CheckConstraint(
                condition=Q(level__gte=rules.MIN_LEVEL, level__lte=rules.MAX_LEVEL),
                name="competences_held_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.competence} ({self.level})"


class Requirement(TimestampedModel):
    """The level a role of the management structure requires in a competence: a default
    (no partnership) or a partnership's own, which replaces the default (level 0 removes it)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    role = models.CharField(_("rôle"), max_length=20, choices=StaffRole.choices)
    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau requis"), validators=[MaxValueValidator(rules.MAX_LEVEL)],
        help_text=_("0 retire l'exigence par défaut pour ce partenariat."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("niveau requis")
        verbose_name_plural = _("niveaux requis")
        ordering = ["role", "competence", "pk"]
        constraints = [
            choice_check("role", StaffRole, "competences_requirement_role_valid"),
            models.UniqueConstraint(
                fields=["partnership", "role", "competence"],
                name="competences_requirement_once",
            ),
            models.UniqueConstraint(
                fields=["role", "competence"],
                condition=Q(partnership__isnull=True),
                name="competences_requirement_default_once",
            ),
            models.CheckConstraint(
                condition=Q(level__lte=rules.MAX_LEVEL), name="competences_requirement_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.competence} ({self.level})"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    COMPLETED = "completed", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")


class TrainingSession(TimestampedModel):
    """A training session of the partnership's training plan."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="training_sessions",
    )  # fmt: skip
    topic = models.CharField(_("thème"), max_length=200)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("compétences visées"), related_name="+"
    )
    level_reached = models.PositiveSmallIntegerField(
        _("niveau atteint"), choices=Level.choices, validators=LEVELS, default=Level.PRACTICE,
        help_text=_("Le niveau que les participants présents atteignent dans chaque "
                    "compétence visée."),
    )  # fmt: skip
    trainer = models.CharField(_("formateur·rice"), max_length=200)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    cost = models.DecimalField(
        _("coût"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    currency = models.CharField(_("devise"), max_length=3, default=_default_currency)
    budget_line = models.ForeignKey(
        "planning.BudgetLine", verbose_name=_("ligne budgétaire"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("état"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    completed_on = models.DateField(_("terminée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("plan de formation")
        ordering = ["partnership", "start_date", "pk"]
        indexes = [models.Index(fields=["start_date", "id"], name="competences_session_start")]
        constraints = [
            choice_check("status", SessionStatus, "competences_session_status_valid"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="competences_session_dates"
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="competences_session_cost"
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class Participant(TimestampedModel):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE,
        related_name="participants",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("personne"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    attended = models.BooleanField(_("présent·e"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·es")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="competences_participant_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class DigestSent(models.Model):
    """The daily to-do e-mail sent to a user on a day: at most one per user and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("récapitulatif envoyé")
        verbose_name_plural = _("récapitulatifs envoyés")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="competences_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.day}"
