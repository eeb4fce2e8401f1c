"""The results framework of a partnership (issue 14, M14): results, their indicators and
targets, and the measurements that say where each indicator stands.

Shaped like IATI results (result, indicator, baseline, period with target and actual,
dimension for sex) so that it exports cleanly. A validated measurement is append-only: a
correction is a new measurement pointing to the one it corrects, which is then
superseded (``core.immutable``, ADR 0013; ADR 0022).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core import locale
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
        return locale.span(self.period_start, self.period_end)


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


# --- Evaluations (issue 14): continuous, mid-term, annual, final ------------------------------


class EvaluationKind(models.TextChoices):
    CONTINUOUS = "continuous", _("Continue")
    MIDTERM = "midterm", _("À mi-parcours")
    ANNUAL = "annual", _("Annuelle")
    FINAL = "final", _("Finale")


class EvaluatorKind(models.TextChoices):
    INTERNAL = "internal", _("Interne")
    EXTERNAL = "external", _("Externe")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    ONGOING = "ongoing", _("En cours")
    COMPLETED = "completed", _("Achevée")


class Criterion(models.TextChoices):
    RELEVANCE = rules.Criterion.RELEVANCE.value, _("Pertinence")
    COHERENCE = rules.Criterion.COHERENCE.value, _("Cohérence")
    EFFECTIVENESS = rules.Criterion.EFFECTIVENESS.value, _("Efficacité")
    EFFICIENCY = rules.Criterion.EFFICIENCY.value, _("Efficience")
    IMPACT = rules.Criterion.IMPACT.value, _("Impact")
    SUSTAINABILITY = rules.Criterion.SUSTAINABILITY.value, _("Viabilité")


class Score(models.IntegerChoices):
    UNSATISFACTORY = 1, _("Insatisfaisant")
    PARTLY = 2, _("Plutôt insatisfaisant")
    SATISFACTORY = 3, _("Satisfaisant")
    HIGHLY = 4, _("Très satisfaisant")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("À mettre en œuvre")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Mise en œuvre")
    DROPPED = "dropped", _("Abandonnée")


#: The gender question every evaluation answers (issue 14, M14).
GENDER_QUESTION = _(
    "Dans quelle mesure le partenariat a-t-il bénéficié autant aux femmes qu'aux hommes, et "
    "réduit les inégalités entre eux ?"
)


class Evaluation(TimestampedModel):
    """One evaluation of a partnership: planned (from the convention's clause), ongoing,
    completed with a judgement per DAC criterion, findings and recommendations; the board
    decision that took note of it."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="evaluations",
    )  # fmt: skip
    kind = models.CharField(_("type"), max_length=12, choices=EvaluationKind.choices)
    title = models.CharField(_("intitulé"), max_length=300)
    evaluator_kind = models.CharField(
        _("évaluation"), max_length=10, choices=EvaluatorKind.choices,
        default=EvaluatorKind.INTERNAL,
    )  # fmt: skip
    evaluator = models.CharField(_("évaluateur"), max_length=200, blank=True)
    period_start = models.DateField(_("période évaluée : début"), null=True, blank=True)
    period_end = models.DateField(_("période évaluée : fin"), null=True, blank=True)
    planned_on = models.DateField(_("prévue pour le"))
    started_on = models.DateField(_("commencée le"), null=True, blank=True)
    completed_on = models.DateField(_("achevée le"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )  # fmt: skip
    findings = models.TextField(_("constats"), blank=True)
    gender_answer = models.TextField(_("réponse à la question de genre"), blank=True)
    board_decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("décision du conseil qui en a pris acte"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["partnership", "-planned_on", "-pk"]
        indexes = [
            models.Index(
                fields=["partnership", "-planned_on", "-id"], name="eval_evaluation_order"
            ),
            models.Index(fields=["status", "planned_on", "id"], name="eval_evaluation_due"),
        ]
        constraints = [
            choice_check("kind", EvaluationKind, "evaluation_evaluation_kind_valid"),
            choice_check("status", EvaluationStatus, "evaluation_evaluation_status_valid"),
            choice_check("evaluator_kind", EvaluatorKind, "evaluation_evaluator_kind_valid"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="evaluation_evaluation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Judgement(TimestampedModel):
    """The evaluation's judgement on one DAC criterion, on the four-step scale."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.CharField(_("critère"), max_length=16, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(_("appréciation"), choices=Score.choices)
    justification = models.TextField(_("justification"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jugement")
        verbose_name_plural = _("jugements")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="evaluation_judgement_one_per_criterion"
            ),
            choice_check("criterion", Criterion, "evaluation_judgement_criterion_valid"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="evaluation_judgement_score_range"
            ),
        ]


class Recommendation(TimestampedModel):
    """A recommendation of an evaluation, followed up until it is implemented or dropped."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("recommandation"))
    owner = models.CharField(_("responsable"), max_length=200)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=12, choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )  # fmt: skip
    follow_up = models.TextField(_("notes de suivi"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["evaluation", "due_on", "pk"]
        indexes = [
            models.Index(fields=["evaluation", "due_on", "id"], name="eval_recommendation_order"),
            models.Index(fields=["status", "due_on", "id"], name="eval_recommendation_due"),
        ]
        constraints = [
            choice_check("status", RecommendationStatus, "evaluation_recommendation_status_ok"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def closed(self) -> bool:
        return self.status in (RecommendationStatus.DONE, RecommendationStatus.DROPPED)


def _terms_path(instance: TermsOfReference, filename: str) -> str:
    return stamped_path(f"evaluation/terms/{instance.evaluation_id}", filename)


class TermsOfReference(UploadedDocument):
    """The terms of reference of an evaluation: PDF, PNG or JPEG (``core.uploads``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="terms")
    file = models.FileField(_("fichier"), upload_to=_terms_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=60)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("termes de référence")
        verbose_name_plural = _("termes de référence")


class GenderSignificance(models.IntegerChoices):
    """The OECD DAC gender equality policy marker (IATI PolicySignificance, marker 1)."""

    NOT_TARGETED = 0, _("0 — non ciblé")
    SIGNIFICANT = 1, _("1 — objectif significatif")
    PRINCIPAL = 2, _("2 — objectif principal")


class GenderMarker(TimestampedModel):
    """How far the partnership targets equality between women and men, as the OECD DAC
    gender equality policy marker scores it; exported as the IATI ``policy-marker``
    (vocabulary 1, code 1). One per partnership; none yet means not scored."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="gender_marker",
    )  # fmt: skip
    significance = models.PositiveSmallIntegerField(
        _("marqueur égalité femmes-hommes"), choices=GenderSignificance.choices
    )
    justification = models.TextField(
        _("justification"), blank=True,
        help_text=_("Ce qui, dans les résultats ou les activités, vise l'égalité femmes-hommes."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("marqueur égalité femmes-hommes")
        verbose_name_plural = _("marqueurs égalité femmes-hommes")
        constraints = [
            models.CheckConstraint(
                condition=Q(significance__in=GenderSignificance.values),
                name="evaluation_gender_marker_significance_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_significance_display())


class ConstraintKind(models.TextChoices):
    FINANCIAL = "financial", _("Financière")
    HUMAN = "human", _("Ressources humaines")
    TECHNICAL = "technical", _("Technique ou matérielle")
    INSTITUTIONAL = "institutional", _("Institutionnelle ou administrative")
    EXTERNAL = "external", _("Contexte extérieur")
    OTHER = "other", _("Autre")


class Constraint(TimestampedModel):
    """A difficulty met during a year (decree 2.16.301 art. 14: the annual report states the
    constraints met): what it was, its effect on the plan or the results, and what was done
    about it. Recorded and edited by whoever keeps the results framework; history kept."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.PROTECT,
        related_name="constraints",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("nature"), max_length=16, choices=ConstraintKind.choices)
    description = models.TextField(_("contrainte rencontrée"))
    effect = models.TextField(
        _("effet"), blank=True, help_text=_("Sur les activités, le calendrier ou les résultats.")
    )
    response = models.TextField(_("mesures prises"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saisie par"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrainte")
        verbose_name_plural = _("contraintes")
        indexes = [
            models.Index(fields=["partnership", "year", "id"], name="evaluation_constraint_year")
        ]
        constraints = [
            choice_check("kind", ConstraintKind, name="evaluation_constraint_kind_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="evaluation_constraint_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.get_kind_display()}"
