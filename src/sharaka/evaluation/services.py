"""Results framework writes: results, indicators, targets; measurements entered,
validated and corrected.

Every refusal names its field and writes nothing (each service is atomic). A validated
measurement never changes: ``measurement_correct`` adds a new one pointing to it and marks
it superseded, in one transaction, with the corrected row locked so that two corrections
of one measurement cannot both pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, permissions_for, require, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import DomainError
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.evaluation import rules
from sharaka.evaluation.error_codes import EvaluationErrorCode as Code
from sharaka.evaluation.models import (
    Constraint,
    Evaluation,
    EvaluationStatus,
    GenderMarker,
    Indicator,
    Judgement,
    Measurement,
    MeasurementEvidence,
    MeasurementStatus,
    Recommendation,
    Result,
    Target,
    TermsOfReference,
)
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity

RESULT_FIELDS = (
    "kind", "title", "title_ar", "title_en", "description", "description_ar", "description_en",
    "order",
)  # fmt: skip
INDICATOR_FIELDS = (
    "title", "title_ar", "title_en", "description", "description_ar", "description_en",
    "measure", "direction", "unit_label", "baseline_value", "baseline_date", "reference",
    "by_sex", "order",
)  # fmt: skip
TARGET_FIELDS = ("period_start", "period_end", "value", "text")
GENDER_MARKER_FIELDS = ("significance", "justification")
CONSTRAINT_FIELDS = ("year", "kind", "description", "effect", "response")
MEASUREMENT_FIELDS = (
    "period_start", "period_end", "measured_on", "value", "text", "women", "men", "source",
    "comment",
)  # fmt: skip


def problem_message(problem: rules.Problem) -> str:
    """The sentence a refusal of ``rules`` shows (on the field it names)."""
    P = rules.Problem
    messages = {
        P.QUALITATIVE_NUMBER: gettext("Indicateur qualitatif : pas de valeur chiffrée, "
                                      "décrivez la situation dans l'appréciation."),
        P.QUALITATIVE_TEXT_MISSING: gettext("Indicateur qualitatif : l'appréciation est "
                                            "requise."),
        P.VALUE_MISSING: gettext("Indicateur chiffré : la valeur est requise."),
        P.TEXT_ON_NUMBER: gettext("Indicateur chiffré : donnez une valeur, pas une "
                                  "appréciation (le commentaire est fait pour cela)."),
        P.PERCENT_RANGE: gettext("Un pourcentage ne dépasse pas 100."),
        P.NEGATIVE: gettext("La valeur ne peut pas être négative."),
        P.PARTS_NOT_DISAGGREGATED: gettext("Cet indicateur n'est pas ventilé par sexe."),
        P.PARTS_INCOMPLETE: gettext("Donnez la part des femmes et celle des hommes, ou "
                                    "aucune des deux."),
        P.PARTS_SUM: gettext("Femmes et hommes doivent faire le total indiqué."),
        P.PERIOD_ORDER: gettext("La fin précède le début."),
        P.OUTSIDE_PERIODS: gettext("La période mesurée doit tenir dans une période des "
                                   "cibles de l'indicateur."),
        P.TARGET_SIDE: gettext("La cible doit être au-delà de la valeur de référence, dans le "
                               "sens de l'indicateur."),
        P.TARGET_BEFORE_BASELINE: gettext("La période de la cible doit finir après la date "
                                          "de référence."),
        P.PERIOD_OVERLAP: gettext("Cette période chevauche celle d'une autre cible."),
        P.DATES_ORDER: gettext("L'évaluation ne peut pas s'achever avant d'avoir commencé."),
        P.NOT_STARTED: gettext("Indiquez d'abord la date à laquelle l'évaluation a commencé."),
        P.JUDGEMENTS_MISSING: gettext("Jugez chacun des six critères du CAD avant d'achever "
                                      "l'évaluation."),
        P.FINDINGS_MISSING: gettext("Les constats sont requis pour achever l'évaluation."),
        P.GENDER_MISSING: gettext("Répondez à la question de genre avant d'achever "
                                  "l'évaluation."),
        P.SCORE_RANGE: gettext("L'appréciation va de 1 (insatisfaisant) à 4 (très "
                               "satisfaisant)."),
    }  # fmt: skip
    return messages[problem]


def _refuse(code: Code, refusal: rules.Refusal | None) -> None:
    if refusal is not None:
        raise DomainError(code, problem_message(refusal.problem), field=refusal.field)


def _periods(indicator: Indicator, exclude: int | None = None) -> list[rules.Period]:
    rows = Target.objects.filter(indicator=indicator)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return [rules.Period(s, e) for s, e in rows.values_list("period_start", "period_end")]


# --- Results ---------------------------------------------------------------------------------


@transaction.atomic
def result_create(*, by: Actor, partnership: Partnership, fields: Mapping[str, object]) -> Result:
    require(by, Perm.EVALUATION_CHANGE, partnership)
    result = assign_fields(Result(partnership=partnership), fields, allowed=RESULT_FIELDS)
    return clean_and_save(result)


@transaction.atomic
def result_update(*, by: Actor, result: Result, fields: Mapping[str, object]) -> Result:
    require(by, Perm.EVALUATION_CHANGE, result.partnership)
    assign_fields(result, fields, allowed=RESULT_FIELDS)
    return clean_and_save(result)


@transaction.atomic
def gender_marker_set(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> GenderMarker:
    """Score the partnership on the OECD DAC gender equality marker (0, 1 or 2), creating
    the marker the first time; its history keeps the earlier scores."""
    require(by, Perm.EVALUATION_CHANGE, partnership)
    marker = GenderMarker.objects.select_for_update().filter(
        partnership=partnership
    ).first() or GenderMarker(partnership=partnership)
    assign_fields(marker, fields, allowed=GENDER_MARKER_FIELDS)
    return clean_and_save(marker)


@transaction.atomic
def constraint_add(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> Constraint:
    """Record a constraint met during a year, for the annual report's "constraints"."""
    require(by, Perm.EVALUATION_CHANGE, partnership)
    constraint = Constraint(partnership=partnership, recorded_by=signed_in(by))
    assign_fields(constraint, fields, allowed=CONSTRAINT_FIELDS)
    return clean_and_save(constraint)


@transaction.atomic
def constraint_update(
    *, by: Actor, constraint: Constraint, fields: Mapping[str, object]
) -> Constraint:
    """Edit a recorded constraint (its history keeps the earlier wording)."""
    require(by, Perm.EVALUATION_CHANGE, constraint.partnership)
    assign_fields(constraint, fields, allowed=CONSTRAINT_FIELDS)
    return clean_and_save(constraint)


# --- Indicators ------------------------------------------------------------------------------


def _activities(partnership: Partnership, activities: Iterable[Activity]) -> list[Activity]:
    chosen = list(activities)
    ids = {a.pk for a in chosen}
    mine = set(
        Activity.objects.filter(pk__in=ids, version__plan__partnership=partnership).values_list(
            "pk", flat=True
        )
    )
    if mine != ids:
        raise DomainError(
            Code.ACTIVITY_OTHER_PARTNERSHIP,
            gettext("Choisissez des activités du plan d'action de ce partenariat."),
            field="activities",
        )
    return chosen


def _check_indicator(indicator: Indicator) -> None:
    measure = rules.Measure(indicator.measure)
    _refuse(
        Code.INDICATOR_INVALID,
        rules.value_problem(measure, indicator.baseline_value, "baseline_value"),
    )
    if measure is rules.Measure.QUALITATIVE and indicator.by_sex:
        raise DomainError(
            Code.INDICATOR_INVALID,
            gettext("Un indicateur qualitatif n'est pas ventilé par sexe."),
            field="by_sex",
        )
    if indicator.pk is None or indicator.baseline_value is None:
        return
    for target in Target.objects.filter(indicator=indicator):
        refusal = rules.target_problem(
            measure=measure, direction=rules.Direction(indicator.direction),
            baseline=indicator.baseline_value, baseline_date=indicator.baseline_date,
            period=rules.Period(target.period_start, target.period_end), value=target.value,
            others=[],
        )  # fmt: skip
        if refusal is not None:
            raise DomainError(
                Code.INDICATOR_INVALID,
                gettext("Avec cette référence, la cible du %(start)s au %(end)s ne serait plus "
                        "valable : %(why)s")
                % {"start": target.period_start, "end": target.period_end,
                   "why": problem_message(refusal.problem)},
                field="baseline_value",
            )  # fmt: skip


@transaction.atomic
def indicator_create(*, by: Actor, result: Result, fields: Mapping[str, Any]) -> Indicator:
    require(by, Perm.EVALUATION_CHANGE, result.partnership)
    data = dict(fields)
    activities = _activities(result.partnership, data.pop("activities", ()))
    indicator = assign_fields(Indicator(result=result), data, allowed=INDICATOR_FIELDS)
    _check_indicator(indicator)
    clean_and_save(indicator)
    indicator.activities.set(activities)
    return indicator


@transaction.atomic
def indicator_update(*, by: Actor, indicator: Indicator, fields: Mapping[str, Any]) -> Indicator:
    partnership = indicator.result.partnership
    require(by, Perm.EVALUATION_CHANGE, partnership)
    data = dict(fields)
    activities = data.pop("activities", None)
    if "result" in data:
        result = data.pop("result")
        if result.partnership_id != partnership.pk:
            raise DomainError(Code.INDICATOR_INVALID, gettext("Introuvable."), field="result")
        indicator.result = result
    if ("measure" in data and data["measure"] != indicator.measure) and (
        Measurement.objects.filter(indicator=indicator).exists()
    ):
        raise DomainError(
            Code.INDICATOR_INVALID,
            gettext("Cet indicateur a déjà des mesures : sa nature ne change plus."),
            field="measure",
        )
    assign_fields(indicator, data, allowed=INDICATOR_FIELDS)
    _check_indicator(indicator)
    clean_and_save(indicator)
    if activities is not None:
        indicator.activities.set(_activities(partnership, activities))
    return indicator


# --- Targets ---------------------------------------------------------------------------------


def _check_target(target: Target) -> None:
    indicator = target.indicator
    _refuse(
        Code.TARGET_INVALID,
        rules.target_problem(
            measure=rules.Measure(indicator.measure),
            direction=rules.Direction(indicator.direction),
            baseline=indicator.baseline_value, baseline_date=indicator.baseline_date,
            period=rules.Period(target.period_start, target.period_end), value=target.value,
            others=_periods(indicator, exclude=target.pk),
        ),
    )  # fmt: skip
    if indicator.measure == rules.Measure.QUALITATIVE and not target.text.strip():
        raise DomainError(
            Code.TARGET_INVALID, gettext("Décrivez la cible qualitative."), field="text"
        )


@transaction.atomic
def target_set(
    *, by: Actor, indicator: Indicator, fields: Mapping[str, object], target: Target | None = None
) -> Target:
    """Add a target to ``indicator`` (or change ``target``)."""
    require(by, Perm.EVALUATION_CHANGE, indicator.result.partnership)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    row = target or Target(indicator=indicator)
    assign_fields(row, fields, allowed=TARGET_FIELDS)
    _check_target(row)
    return clean_and_save(row)


# --- Measurements ----------------------------------------------------------------------------


def _check_measurement(row: Measurement) -> None:
    indicator = row.indicator
    _refuse(
        Code.MEASUREMENT_INVALID,
        rules.measurement_problem(
            measure=rules.Measure(indicator.measure), by_sex=indicator.by_sex,
            periods=_periods(indicator),
            period=rules.Period(row.period_start, row.period_end),
            value=row.value, text=row.text or "", women=row.women, men=row.men,
        ),
    )  # fmt: skip


def _upload_error(problem: UploadProblem) -> DomainError:
    if problem is UploadProblem.EMPTY:
        return DomainError(Code.DOCUMENT_EMPTY, gettext("Le fichier est vide."), field="evidence")
    return DomainError(
        Code.DOCUMENT_TYPE,
        gettext("Formats acceptés : PDF, JPEG ou PNG (le contenu doit correspondre à "
                "l'extension)."),
        field="evidence",
    )  # fmt: skip


def _attach(by: Actor, measurement: Measurement, upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    check_upload_size(
        upload, field="evidence", label=gettext("Justificatif"), code=Code.DOCUMENT_SIZE
    )
    problem = document_problem(upload)
    if problem is not UploadProblem.NONE:
        raise _upload_error(problem)
    document = MeasurementEvidence(
        measurement=measurement,
        title=name,
        original_name=name[:255],
        content_type=DOCUMENT_FORMATS[name.rsplit(".", 1)[-1].lower()],
        size=upload.size or 0,
        uploaded_by=signed_in(by),
    )
    document.file.save(name, upload, save=False)
    document.save()


def _new_measurement(
    by: Actor, indicator: Indicator, fields: Mapping[str, Any], corrects: Measurement | None
) -> Measurement:
    data = dict(fields)
    upload = data.pop("evidence", None)
    row = Measurement(indicator=indicator, entered_by=signed_in(by), corrects=corrects)
    assign_fields(row, data, allowed=MEASUREMENT_FIELDS)
    _check_measurement(row)
    clean_and_save(row)
    if upload:
        _attach(by, row, upload)
    return row


@transaction.atomic
def measurement_enter(*, by: Actor, indicator: Indicator, fields: Mapping[str, Any]) -> Measurement:
    """Enter a value of ``indicator`` for a period (status: entered). ``fields`` may hold an
    ``evidence`` upload (PDF, JPEG or PNG)."""
    require(by, Perm.EVALUATION_CHANGE, indicator.result.partnership)
    return _new_measurement(by, indicator, fields, corrects=None)


@transaction.atomic
def measurement_validate(*, by: Actor, measurement: Measurement) -> Measurement:
    """Validate an entered measurement: from now on it never changes. Whoever entered it
    does not validate it."""
    require(by, Perm.MEASUREMENT_VALIDATE, measurement.indicator.result.partnership)
    row = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if row.status != MeasurementStatus.ENTERED:
        raise DomainError(Code.NOT_ENTERED, gettext("Cette mesure n'est plus à valider."))
    if row.entered_by_id == signed_in(by).pk:
        raise DomainError(
            Code.SAME_PERSON,
            gettext("Une mesure est validée par une autre personne que celle qui l'a saisie."),
        )
    row.status = MeasurementStatus.VALIDATED
    row.validated_by = signed_in(by)
    row.validated_at = timezone.now()
    row.save()
    return row


@transaction.atomic
def measurement_correct(
    *, by: Actor, measurement: Measurement, fields: Mapping[str, Any]
) -> Measurement:
    """Replace ``measurement`` by a new one (entered, to be validated) pointing to it; the
    old one is superseded and kept as it was."""
    indicator = measurement.indicator
    require(by, Perm.EVALUATION_CHANGE, indicator.result.partnership)
    old = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if old.status == MeasurementStatus.SUPERSEDED:
        raise DomainError(Code.ALREADY_CORRECTED, gettext("Cette mesure a déjà été corrigée."))
    new = _new_measurement(by, indicator, fields, corrects=old)
    old.status = MeasurementStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    return new


# --- Evaluations ------------------------------------------------------------------------------

EVALUATION_FIELDS = (
    "kind", "title", "evaluator_kind", "evaluator", "period_start", "period_end", "planned_on",
    "started_on", "findings", "gender_answer", "board_decision",
)  # fmt: skip
RECOMMENDATION_FIELDS = ("text", "owner", "due_on", "status", "follow_up")


def _check_evaluation(evaluation: Evaluation) -> None:
    decision: Decision | None = evaluation.board_decision
    if decision is not None and decision.partnership_id != evaluation.partnership_id:
        raise DomainError(
            Code.DECISION_OTHER_PARTNERSHIP,
            gettext("Cette décision est celle d'un autre partenariat."),
            field="board_decision",
        )
    if (
        evaluation.period_start
        and evaluation.period_end
        and evaluation.period_end < evaluation.period_start
    ):
        raise DomainError(
            Code.EVALUATION_INVALID, gettext("La fin précède le début."), field="period_end"
        )
    if evaluation.started_on is not None and evaluation.status == EvaluationStatus.PLANNED:
        evaluation.status = EvaluationStatus.ONGOING


def _attach_terms(by: Actor, evaluation: Evaluation, upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    check_upload_size(
        upload, field="terms", label=gettext("Termes de référence"), code=Code.DOCUMENT_SIZE
    )
    problem = document_problem(upload)
    if problem is not UploadProblem.NONE:
        error = _upload_error(problem)
        raise DomainError(error.code, error.message, field="terms")
    document = TermsOfReference(
        evaluation=evaluation, title=name, original_name=name[:255],
        content_type=DOCUMENT_FORMATS[name.rsplit(".", 1)[-1].lower()],
        size=upload.size or 0, uploaded_by=signed_in(by),
    )  # fmt: skip
    document.file.save(name, upload, save=False)
    document.save()


def _save_evaluation(by: Actor, evaluation: Evaluation, fields: Mapping[str, Any]) -> Evaluation:
    data = dict(fields)
    upload = data.pop("terms", None)
    assign_fields(evaluation, data, allowed=EVALUATION_FIELDS)
    _check_evaluation(evaluation)
    clean_and_save(evaluation)
    if upload:
        _attach_terms(by, evaluation, upload)
    return evaluation


def _open_evaluation(evaluation: Evaluation) -> Evaluation:
    row = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if row.status == EvaluationStatus.COMPLETED:
        raise DomainError(
            Code.EVALUATION_COMPLETED,
            gettext("Cette évaluation est achevée : elle ne se modifie plus ; seules ses "
                    "recommandations se suivent."),
        )  # fmt: skip
    return row


@transaction.atomic
def evaluation_create(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, Any]
) -> Evaluation:
    """Plan (or record) an evaluation; ``fields`` may hold its ``terms`` of reference."""
    require(by, Perm.EVALUATION_RECORD, partnership)
    return _save_evaluation(by, Evaluation(partnership=partnership), fields)


@transaction.atomic
def evaluation_update(
    *, by: Actor, evaluation: Evaluation, fields: Mapping[str, Any]
) -> Evaluation:
    require(by, Perm.EVALUATION_RECORD, evaluation.partnership)
    row = _open_evaluation(evaluation)
    row.partnership = evaluation.partnership
    return _save_evaluation(by, row, fields)


@transaction.atomic
def judgement_set(
    *, by: Actor, evaluation: Evaluation, criterion: str, score: int, justification: str
) -> Judgement:
    """The evaluation's judgement on one DAC criterion (replaces an earlier one while the
    evaluation is not completed)."""
    require(by, Perm.EVALUATION_RECORD, evaluation.partnership)
    _open_evaluation(evaluation)
    if criterion not in set(rules.Criterion):
        raise DomainError(Code.JUDGEMENT_INVALID, gettext("Critère inconnu."), field="criterion")
    _refuse(Code.JUDGEMENT_INVALID, rules.score_problem(score))
    if not justification.strip():
        raise DomainError(
            Code.JUDGEMENT_INVALID, gettext("Justifiez l'appréciation."), field="justification"
        )
    row, _created = Judgement.objects.update_or_create(
        evaluation=evaluation, criterion=criterion,
        defaults={"score": score, "justification": justification.strip()},
    )  # fmt: skip
    return row


@transaction.atomic
def evaluation_complete(*, by: Actor, evaluation: Evaluation, completed_on: Any) -> Evaluation:
    """Close the evaluation: every DAC criterion judged, findings stated, the gender
    question answered. From then on it no longer changes (its recommendations are followed
    up)."""
    require(by, Perm.EVALUATION_RECORD, evaluation.partnership)
    row = _open_evaluation(evaluation)
    judged = {rules.Criterion(c) for c in row.judgements.values_list("criterion", flat=True)}
    _refuse(
        Code.EVALUATION_INVALID,
        rules.completion_problem(
            started_on=row.started_on, completed_on=completed_on, judged=judged,
            findings=row.findings, gender=row.gender_answer,
        ),
    )  # fmt: skip
    row.completed_on = completed_on
    row.status = EvaluationStatus.COMPLETED
    row.save()
    return row


@transaction.atomic
def recommendation_add(
    *, by: Actor, evaluation: Evaluation, fields: Mapping[str, Any]
) -> Recommendation:
    require(by, Perm.EVALUATION_RECORD, evaluation.partnership)
    row = assign_fields(
        Recommendation(evaluation=evaluation), fields, allowed=RECOMMENDATION_FIELDS
    )
    return clean_and_save(row)


@transaction.atomic
def recommendation_update(
    *, by: Actor, recommendation: Recommendation, fields: Mapping[str, Any]
) -> Recommendation:
    """Follow a recommendation up (status, notes, due date): the evaluator, the officer, or
    the coordinator who implements it."""
    partnership = recommendation.evaluation.partnership
    if Perm.EVALUATION_RECORD not in permissions_for(by, partnership):
        require(by, Perm.EVALUATION_CHANGE, partnership)
    row = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    assign_fields(row, fields, allowed=RECOMMENDATION_FIELDS)
    return clean_and_save(row)
