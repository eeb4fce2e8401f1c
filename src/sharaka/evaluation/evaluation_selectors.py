"""Reads of the evaluations (ADR 0035): the schedule from the convention's clause, the
evaluations and their DAC judgements, the recommendations and their follow-up, their API
pages and the to-do items. Where each indicator stands is in ``selectors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sharaka.core.access import Perm, partnership_scope, permissions_for, require
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.evaluation import rules
from sharaka.evaluation.models import (
    GENDER_QUESTION,
    Constraint,
    Criterion,
    Evaluation,
    EvaluationStatus,
    Judgement,
    Recommendation,
    RecommendationStatus,
    TermsOfReference,
)
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership

STATUS_LABELS = {
    rules.Status.ACHIEVED: _("Atteint"),
    rules.Status.ON_TRACK: _("En bonne voie"),
    rules.Status.AT_RISK: _("À surveiller"),
    rules.Status.OFF_TRACK: _("En retard"),
    rules.Status.NOT_DUE: _("Pas encore dû"),
    rules.Status.NO_DATA: _("Pas de mesure"),
    rules.Status.QUALITATIVE: _("Qualitatif"),
}

#: The thresholds of the progress rule. The convention's evaluation clause sets none today
#: (``conventions.catalogue``: results framework, indicators, final evaluation), so every
#: partnership uses the contract's defaults, 9/10 and 3/5 (ADR 0022).
THRESHOLDS = rules.Thresholds()


#: How many evaluations the list shows (newest first); a partnership has a few a year.
EVALUATIONS_SHOWN = 50
CONSTRAINTS_SHOWN = 50


def constraint_get(*, partnership: Partnership, pk: int) -> Constraint:
    row = found(
        Constraint.objects.filter(partnership=partnership, pk=pk).first(),
        gettext("Cette contrainte n'existe pas."),
    )
    row.partnership = partnership
    return row


def evaluation_get(*, partnership: Partnership, pk: int) -> Evaluation:
    row = found(
        Evaluation.objects.filter(partnership=partnership, pk=pk)
        .select_related("board_decision")
        .first(),
        gettext("Cette évaluation n'existe pas."),
    )
    row.partnership = partnership
    return row


def recommendation_get(*, partnership: Partnership, pk: int) -> Recommendation:
    row = found(
        Recommendation.objects.filter(evaluation__partnership=partnership, pk=pk)
        .select_related("evaluation")
        .first(),
        gettext("Cette recommandation n'existe pas."),
    )
    row.evaluation.partnership = partnership
    return row


def terms_get(*, evaluation: Evaluation, pk: int) -> TermsOfReference:
    return found(TermsOfReference.objects.filter(evaluation=evaluation, pk=pk).first())


def decision_choices(*, partnership: Partnership) -> QuerySet[Decision]:
    """The board decisions an evaluation may cite: the partnership's, newest first."""
    return Decision.objects.filter(partnership=partnership).order_by("-year", "-sequence", "-id")


@dataclass(frozen=True)
class Schedule:
    """The convention's evaluation clause: every ``every_months`` months from the start of
    the partnership; ``next_due`` the first date no planned evaluation covers yet."""

    every_months: int | None
    source: str
    next_due: dt.date | None


def schedule_get(*, partnership: Partnership) -> Schedule:
    rules_now = rules_in_force_get(partnership=partnership)
    every = rules_now.evaluation_frequency_months
    last = (
        Evaluation.objects.filter(partnership=partnership)
        .order_by("-planned_on", "-id")
        .values_list("planned_on", flat=True)
        .first()
    )
    due = None
    if every and partnership.start_date:
        due = rules.next_due(partnership.start_date, every, last)
    return Schedule(every_months=every, source=str(rules_now.source_label), next_due=due)


@dataclass(frozen=True)
class EvaluationRow:
    evaluation: Evaluation
    open_recommendations: int
    overdue_recommendations: int


@dataclass(frozen=True)
class EvaluationsView:
    rows: list[EvaluationRow]
    schedule: Schedule
    today: dt.date
    constraints: list[Constraint]  # the latest CONSTRAINTS_SHOWN, newest year first


def evaluations_view_get(*, partnership: Partnership, today: dt.date) -> EvaluationsView:
    """The evaluations of a partnership, newest first, with their recommendations' follow-up,
    and the schedule of the convention: a fixed number of queries."""
    evaluations = list(
        Evaluation.objects.filter(partnership=partnership)
        .order_by("-planned_on", "-id")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("due_on", "id").only(
                    "id", "evaluation_id", "due_on", "status"
                ),
            )
        )[:EVALUATIONS_SHOWN]
    )
    rows = []
    for evaluation in evaluations:
        recs = list(evaluation.recommendations.all())
        rows.append(
            EvaluationRow(
                evaluation=evaluation,
                open_recommendations=sum(not r.closed for r in recs),
                overdue_recommendations=sum(
                    rules.recommendation_overdue(r.due_on, r.closed, today) for r in recs
                ),
            )
        )
    constraints = list(
        Constraint.objects.filter(partnership=partnership).order_by("-year", "-id")[
            :CONSTRAINTS_SHOWN
        ]
    )
    return EvaluationsView(
        rows=rows, schedule=schedule_get(partnership=partnership), today=today,
        constraints=constraints,
    )  # fmt: skip


@dataclass(frozen=True)
class JudgementRow:
    criterion: str
    label: str
    judgement: Judgement | None


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Recommendation
    overdue: bool


@dataclass(frozen=True)
class EvaluationView:
    evaluation: Evaluation
    judgements: list[JudgementRow]
    recommendations: list[RecommendationRow]
    terms: list[TermsOfReference]
    gender_question: str
    complete: bool


def evaluation_view_get(*, partnership: Partnership, pk: int, today: dt.date) -> EvaluationView:
    """One evaluation: its judgements in the DAC order, its recommendations (by due date)
    and its terms of reference. Four queries."""
    evaluation = evaluation_get(partnership=partnership, pk=pk)
    judged = {j.criterion: j for j in Judgement.objects.filter(evaluation=evaluation)}
    recs = list(Recommendation.objects.filter(evaluation=evaluation).order_by("due_on", "id"))
    return EvaluationView(
        evaluation=evaluation,
        judgements=[JudgementRow(c.value, str(c.label), judged.get(c.value)) for c in Criterion],
        recommendations=[
            RecommendationRow(r, rules.recommendation_overdue(r.due_on, r.closed, today))
            for r in recs
        ],
        terms=list(TermsOfReference.objects.filter(evaluation=evaluation).order_by("pk")),
        gender_question=str(GENDER_QUESTION),
        complete=evaluation.status == EvaluationStatus.COMPLETED,
    )


def _may_change(user: Any, partnership: Partnership) -> bool:
    perms = permissions_for(user, partnership)
    return Perm.EVALUATION_CHANGE in perms or Perm.EVALUATION_RECORD in perms


#: At most this many items of each kind on the to-do list.
TODO_LIMIT = 20
#: An evaluation planned within this many days appears on the to-do list.
TODO_WARNING_DAYS = 30


def todo_items(user: Any, today: dt.date) -> list[TodoItem]:
    """The coordinator's (and the evaluator's) to-do items: an evaluation due and not
    started, an overdue recommendation. Three queries whatever the data (grants, and one
    per kind)."""
    scope = Partnership.objects.filter(partnership_scope(user))
    due = (
        Evaluation.objects.filter(
            partnership__in=scope,
            status=EvaluationStatus.PLANNED,
            planned_on__lte=today + dt.timedelta(days=TODO_WARNING_DAYS),
        )
        .select_related("partnership")
        .order_by("planned_on", "id")[:TODO_LIMIT]
    )
    late = (
        Recommendation.objects.filter(
            evaluation__partnership__in=scope,
            due_on__lt=today,
            status__in=[RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS],
        )
        .select_related("evaluation__partnership")
        .order_by("due_on", "id")[:TODO_LIMIT]
    )
    items = []
    for evaluation in due:
        if not _may_change(user, evaluation.partnership):
            continue
        items.append(
            TodoItem(
                label=todo_label(
                    gettext("Évaluation à commencer : %(title)s (%(partnership)s)"),
                    {"title": evaluation.title, "partnership": evaluation.partnership.title},
                ),
                url=reverse("evaluation:evaluation", args=[evaluation.partnership.slug,
                                                         evaluation.pk]),
                urgency=Urgency.OVERDUE if evaluation.planned_on < today else Urgency.SOON,
                due_on=evaluation.planned_on,
            )
        )  # fmt: skip
    for rec in late:
        partnership = rec.evaluation.partnership
        if not _may_change(user, partnership):
            continue
        items.append(
            TodoItem(
                label=todo_label(
                    gettext("Recommandation en retard (%(owner)s) : %(text)s"),
                    {"owner": rec.owner, "text": Truncator(rec.text).chars(80)},
                ),
                url=reverse("evaluation:evaluation", args=[partnership.slug, rec.evaluation_id])
                + f"#recommendation-{rec.pk}",
                urgency=Urgency.OVERDUE,
                due_on=rec.due_on,
            )
        )
    return items


def not_found() -> str:
    raise NotFound()


def judgement_initial(*, evaluation: Evaluation, criterion: str) -> dict[str, Any]:
    row = Judgement.objects.filter(evaluation=evaluation, criterion=criterion).first()
    return {} if row is None else {"score": row.score, "justification": row.justification}


def require_follow_up(*, user: Any, partnership: Partnership) -> None:
    """Following a recommendation up: the evaluator and the officer, or the coordinator
    (who implements it)."""
    if Perm.EVALUATION_RECORD not in permissions_for(user, partnership):
        require(user, Perm.EVALUATION_CHANGE, partnership)


API_PAGE = 50


def evaluations_page(
    *, partnership: Partnership, after: int | None, limit: int | None = None
) -> tuple[list[Evaluation], int | None]:
    """The partnership's evaluations by id after ``after`` (key paging, API), each with its
    judgements and recommendations: three queries whatever the page."""
    limit = limit or API_PAGE
    rows = list(
        Evaluation.objects.filter(partnership=partnership, pk__gt=after or 0)
        .order_by("pk")
        .prefetch_related(
            Prefetch("judgements", queryset=Judgement.objects.order_by("criterion", "pk")),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("due_on", "pk")),
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more else None)


def recommendations_page(
    *, partnership: Partnership, after: int | None, limit: int | None = None
) -> tuple[list[Recommendation], int | None]:
    """Every recommendation of the partnership's evaluations by id after ``after``."""
    limit = limit or API_PAGE
    rows = list(
        Recommendation.objects.filter(
            evaluation__partnership=partnership, pk__gt=after or 0
        ).order_by("pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more else None)
