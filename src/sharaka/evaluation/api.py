"""API: the results framework of a partnership and its measurements.

Mounted at ``/api/evaluation``. Reads need ``evaluation.view`` (404 when the partnership is
not visible); evaluations and recommendations are read with the same right (key-paged
by id: ``?after=`` the ``next_after`` of the previous page); entering a measurement needs
``evaluation.change`` and validating one ``measurement.validate`` (403 otherwise), through
the same services as the pages. Errors are RFC 9457 problem JSON, each refusal naming its
field.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate
from sharaka.core.schemas import Schema
from sharaka.evaluation import evaluation_selectors, selectors, services
from sharaka.evaluation.models import (
    Criterion,
    Direction,
    EvaluationKind,
    EvaluationStatus,
    EvaluatorKind,
    Indicator,
    Measure,
    Measurement,
    MeasurementStatus,
    RecommendationStatus,
    Result,
    ResultKind,
)
from sharaka.evaluation.rules import Status as Standing

router = Router(tags=["evaluation"])


class TargetOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    value: Decimal | None
    text: str


class MeasurementOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    measured_on: dt.date
    value: Decimal | None
    text: str
    women: Decimal | None
    men: Decimal | None
    source: str
    comment: str
    status: MeasurementStatus
    entered_by_id: int
    validated_by_id: int | None
    validated_at: dt.datetime | None
    corrects_id: int | None


class IndicatorOut(Schema):
    id: int
    title: str
    title_ar: str
    title_en: str
    description: str
    measure: Measure
    direction: Direction
    unit_label: str
    baseline_value: Decimal | None
    baseline_date: dt.date
    reference: str
    by_sex: bool
    activity_ids: list[int]
    status: Standing
    targets: list[TargetOut]
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_activity_ids(obj: Indicator) -> list[int]:
        return [a.pk for a in obj.activities.all()]

    @staticmethod
    def resolve_status(obj: Indicator) -> str:
        row = selectors.indicator_row(obj, thresholds=selectors.THRESHOLDS, rtl=False, chart=False)
        return row.status

    @staticmethod
    def resolve_targets(obj: Indicator) -> list[Any]:
        return list(obj.targets.all())

    @staticmethod
    def resolve_measurements(obj: Indicator) -> list[Any]:
        return list(obj.measurements.all())


class ResultOut(Schema):
    id: int
    kind: ResultKind
    title: str
    title_ar: str
    title_en: str
    description: str
    description_ar: str
    description_en: str
    order: int
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: Result) -> list[Any]:
        return list(obj.indicators.all())


class MeasurementIn(Schema):
    period_start: BoundedDate
    period_end: BoundedDate
    measured_on: BoundedDate
    value: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    women: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    men: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    text: str = ""
    source: str = Field(..., min_length=1, max_length=300)
    comment: str = ""


def _partnership(request: HttpRequest, slug: str) -> Any:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EVALUATION_VIEW)


@router.get(
    "/partnerships/{slug}/results",
    response=list[ResultOut],
    summary="Cadre de résultats : résultats, indicateurs, cibles et mesures",
)
def list_results(request: HttpRequest, slug: str) -> list[Result]:
    return selectors.framework_get(partnership=_partnership(request, slug))


@router.post(
    "/partnerships/{slug}/indicators/{pk}/measurements",
    response={201: MeasurementOut},
    summary="Saisir une mesure",
)
def create_measurement(request: HttpRequest, slug: str, pk: int, payload: MeasurementIn) -> Any:
    partnership = _partnership(request, slug)
    indicator = selectors.indicator_get(partnership=partnership, pk=pk)
    row = services.measurement_enter(
        by=request.user, indicator=indicator, fields=payload.model_dump()
    )
    return Status(201, row)


@router.post(
    "/partnerships/{slug}/measurements/{pk}/validate",
    response=MeasurementOut,
    summary="Valider une mesure",
)
def validate_measurement(request: HttpRequest, slug: str, pk: int) -> Measurement:
    partnership = _partnership(request, slug)
    row = selectors.measurement_get(partnership=partnership, pk=pk)
    return services.measurement_validate(by=request.user, measurement=row)


class JudgementOut(Schema):
    criterion: Criterion
    score: int
    justification: str


class RecommendationOut(Schema):
    id: int
    evaluation_id: int
    text: str
    owner: str
    due_on: dt.date
    status: RecommendationStatus
    follow_up: str


class EvaluationOut(Schema):
    id: int
    kind: EvaluationKind
    title: str
    evaluator_kind: EvaluatorKind
    evaluator: str
    period_start: dt.date | None
    period_end: dt.date | None
    planned_on: dt.date
    started_on: dt.date | None
    completed_on: dt.date | None
    status: EvaluationStatus
    findings: str
    gender_answer: str
    board_decision_id: int | None
    judgements: list[JudgementOut]
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_judgements(obj: Any) -> list[Any]:
        return list(obj.judgements.all())

    @staticmethod
    def resolve_recommendations(obj: Any) -> list[Any]:
        return list(obj.recommendations.all())


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    next_after: int | None


class RecommendationPage(Schema):
    items: list[RecommendationOut]
    next_after: int | None


@router.get(
    "/partnerships/{slug}/evaluations",
    response=EvaluationPage,
    summary="Évaluations : jugements CAD et recommandations",
)
def list_evaluations(request: HttpRequest, slug: str, after: int | None = None) -> Any:
    rows, next_after = evaluation_selectors.evaluations_page(
        partnership=_partnership(request, slug), after=after
    )
    return {"items": rows, "next_after": next_after}


@router.get(
    "/partnerships/{slug}/evaluations/{pk}",
    response=EvaluationOut,
    summary="Une évaluation",
)
def get_evaluation(request: HttpRequest, slug: str, pk: int) -> Any:
    return evaluation_selectors.evaluation_get(partnership=_partnership(request, slug), pk=pk)


@router.get(
    "/partnerships/{slug}/recommendations",
    response=RecommendationPage,
    summary="Recommandations et leur suivi",
)
def list_recommendations(request: HttpRequest, slug: str, after: int | None = None) -> Any:
    rows, next_after = evaluation_selectors.recommendations_page(
        partnership=_partnership(request, slug), after=after
    )
    return {"items": rows, "next_after": next_after}
