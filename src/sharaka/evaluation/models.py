"""The results framework of a partnership (issue 14, M14): results, their indicators and
targets, and the measurements that say where each indicator stands.

Shaped like IATI results (result, indicator, baseline, period with target and actual,
dimension for sex) so that it exports cleanly. A validated measurement is append-only: a
correction is a new measurement pointing to the one it corrects, which is then
superseded (``core.immutable``, ADR 0013; ADR 0022).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import NOTHING, Freeze, Immutable
from sharaka.core.models import TimestampedModel, UploadedDocument, choice_check, stamped_path
from sharaka.evaluation import rules
from sharaka.evaluation.error_codes import EvaluationErrorCode as Code


class ResultKind(models.TextChoices):
    OUTPUT = "output", _("Extrant")
    OUTCOME = "outcome", _("Effet")
    IMPACT = "impact", _("Impact")


class Measure(models.TextChoices):
    UNIT = rules.Measure.UNIT.value, _("Nombre")
    PERCENTAGE = rules.Measure.PERCENTAGE.value, _("Pourcentage")
    QUALITATIVE = rules.Measure.QUALITATIVE.value, _("Qualitatif")


class Direction(models.TextChoices):
    ASCENDING = rules.Direction.ASCENDING.value, _("Croissant (plus est mieux)")
    DESCENDING = rules.Direction.DESCENDING.value, _("Décroissant (moins est mieux)")


class MeasurementStatus(models.TextChoices):
    ENTERED = "entered", _("Saisie")
    VALIDATED = "validated", _("Validée")
    SUPERSEDED = "superseded", _("Remplacée")


class Multilingual(models.Model):
    """A title and a description in French, Arabic and English; ``name`` and ``text`` are
    those of the active language (French when missing)."""

    title = models.CharField(_("intitulé"), max_length=300)
    title_ar = models.CharField(_("intitulé (arabe)"), max_length=300, blank=True)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ar = models.TextField(_("description (arabe)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def _localized(self, field: str) -> str:
        language = (translation.get_language() or "fr")[:2]
        own: str = getattr(self, f"{field}_{language}", "") if language != "fr" else ""
        return own or str(getattr(self, field))

    @property
    def name(self) -> str:
        return self._localized("title")

    @property
    def text(self) -> str:
        return self._localized("description")


class Result(Multilingual, TimestampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="results",
    )  # fmt: skip
    kind = models.CharField(_("niveau"), max_length=10, choices=ResultKind.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("résultat")
        verbose_name_plural = _("résultats")
        ordering = ["partnership", "order", "pk"]
        indexes = [models.Index(fields=["partnership", "order", "id"], name="eval_result_order")]
        constraints = [choice_check("kind", ResultKind, "evaluation_result_kind_valid")]


class Indicator(Multilingual, TimestampedModel):
    result = models.ForeignKey(
        Result, verbose_name=_("résultat"), on_delete=models.PROTECT, related_name="indicators"
    )
    measure = models.CharField(_("mesure"), max_length=12, choices=Measure.choices)
    direction = models.CharField(
        _("sens"), max_length=10, choices=Direction.choices, default=Direction.ASCENDING
    )
    unit_label = models.CharField(_("unité"), max_length=60, blank=True)
    baseline_value = models.DecimalField(
        _("valeur de référence"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("date de référence"))
    reference = models.CharField(
        _("référence externe"), max_length=100, blank=True,
        help_text=_("Par exemple une cible des objectifs de développement durable (ODD 8.5)."),
    )  # fmt: skip
    by_sex = models.BooleanField(_("ventilé par sexe"), default=False)
    activities = models.ManyToManyField(
        "planning.Activity", verbose_name=_("activités qui y contribuent"), blank=True,
        related_name="indicators",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["result", "order", "pk"]
        indexes = [models.Index(fields=["result", "order", "id"], name="eval_indicator_order")]
        constraints = [
            choice_check("measure", Measure, "evaluation_indicator_measure_valid"),
            choice_check("direction", Direction, "evaluation_indicator_direction_valid"),
            models.CheckConstraint(
                condition=Q(measure=Measure.QUALITATIVE, baseline_value__isnull=True)
                | (~Q(measure=Measure.QUALITATIVE) & Q(baseline_value__isnull=False)),
                name="evaluation_indicator_baseline_kind",
                violation_error_message=_(
                    "Valeur de référence : requise pour un indicateur chiffré, vide pour un "
                    "indicateur qualitatif."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(measure=Measure.PERCENTAGE) | Q(baseline_value__lte=100),
                name="evaluation_indicator_percentage_range",
                violation_error_message=_("Un pourcentage ne dépasse pas 100."),
            ),
        ]


class Target(TimestampedModel):
    """The value an indicator should reach by the end of a period (IATI ``period``)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="targets"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    value = models.DecimalField(
        _("valeur cible"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    text = models.CharField(_("cible (qualitative)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["indicator", "period_start", "pk"]
        indexes = [
            models.Index(fields=["indicator", "period_start", "id"], name="eval_target_period")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="evaluation_target_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evaluation_target_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} → {self.period_end}"


class Measurement(Immutable, TimestampedModel):
    """A value of an indicator for a period, entered then validated. Validated (or
    superseded): frozen; a correction is a new measurement whose ``corrects`` points to it."""

    freeze = Freeze(
        Code.MEASUREMENT_FROZEN,
        _("Une mesure validée ne se modifie ni ne se supprime : saisissez une correction, "
          "qui la remplace."),
        state="status",
        frozen={MeasurementStatus.VALIDATED: NOTHING, MeasurementStatus.SUPERSEDED: NOTHING},
        moves={(MeasurementStatus.VALIDATED, MeasurementStatus.SUPERSEDED): NOTHING},
        deletable=False,
    )  # fmt: skip

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.PROTECT,
        related_name="measurements",
    )  # fmt: skip
    period_start = models.DateField(_("début de la période mesurée"))
    period_end = models.DateField(_("fin de la période mesurée"))
    measured_on = models.DateField(_("date de la mesure"))
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("appréciation qualitative"), blank=True)
    women = models.DecimalField(
        _("dont femmes"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    men = models.DecimalField(
        _("dont hommes"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300)
    comment = models.TextField(_("commentaire"), blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=MeasurementStatus.choices,
        default=MeasurementStatus.ENTERED,
    )  # fmt: skip
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saisie par"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("validée par"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    corrects = models.OneToOneField(
        "self", verbose_name=_("corrige"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="correction",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["indicator", "period_end", "pk"]
        indexes = [
            models.Index(fields=["indicator", "period_end", "id"], name="eval_measure_period"),
        ]
        constraints = [
            choice_check("status", MeasurementStatus, "evaluation_measurement_status_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evaluation_measurement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(women__isnull=True, men__isnull=True)
                | Q(women__isnull=False, men__isnull=False, value=F("women") + F("men")),
                name="evaluation_measurement_parts_sum",
                violation_error_message=_("Femmes et hommes doivent faire le total indiqué."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasurementStatus.VALIDATED)
                | Q(validated_by__isnull=False, validated_at__isnull=False),
                name="evaluation_measurement_validated_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period_end}"

    @property
    def is_current(self) -> bool:
        return self.status != MeasurementStatus.SUPERSEDED


def _evidence_path(instance: MeasurementEvidence, filename: str) -> str:
    return stamped_path(f"evaluation/{instance.measurement_id}", filename)


class MeasurementEvidence(UploadedDocument):
    """The evidence of a measurement (a report, a register, a photo): PDF, PNG or JPEG,
    checked before it is stored (``core.uploads``)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("fichier"), upload_to=_evidence_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=60)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("justificatif d'une mesure")
        verbose_name_plural = _("justificatifs des mesures")
