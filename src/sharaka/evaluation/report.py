"""The annual evaluation report (decree 2.16.301 art. 14 style): completion of the action
plan, every indicator with its status and the same SVG chart as the monitoring page, the
resources used per result, the year's evaluations (findings, DAC judgements) and the
follow-up of recommendations; PDF via WeasyPrint in fr, ar or en, from one view model built
in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sharaka.core.pdf import write_pdf
from sharaka.evaluation import rules, selectors
from sharaka.evaluation.models import Evaluation, Judgement, Recommendation
from sharaka.evaluation.selectors import MonitoringView
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity
from sharaka.planning.selectors import plan_in_force_get

LANGS = ("fr", "ar", "en")


@dataclass(frozen=True)
class RecommendationLine:
    recommendation: Recommendation
    evaluation: Evaluation
    overdue: bool


@dataclass(frozen=True)
class AnnualReport:
    lang: str
    partnership: Partnership
    year: int
    completion: int | None  # mean progress of the activities of the plan in force, in %
    activities: int
    monitoring: MonitoringView
    evaluations: list[Evaluation]  # of the year, judgements prefetched
    recommendations: list[RecommendationLine]
    generated: dt.date

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


def report_get(*, partnership: Partnership, year: int, lang: str) -> AnnualReport:
    with translation.override(lang):
        return _report(partnership, year, lang)


def _report(partnership: Partnership, year: int, lang: str) -> AnnualReport:
    end = dt.date(year, 12, 31)
    today = min(end, timezone.localdate())
    version = plan_in_force_get(partnership=partnership, at=today)
    completion, count = None, 0
    if version is not None:
        stats = Activity.objects.filter(version=version).aggregate(avg=Avg("progress"))
        count = Activity.objects.filter(version=version).count()
        completion = round(stats["avg"]) if stats["avg"] is not None else None
    evaluations = list(
        Evaluation.objects.filter(partnership=partnership, planned_on__year=year)
        .order_by("planned_on", "id")
        .prefetch_related(Prefetch("judgements", queryset=Judgement.objects.order_by("pk")))
    )
    recommendations = list(
        Recommendation.objects.filter(evaluation__partnership=partnership)
        .filter(due_on__lte=dt.date(year + 1, 12, 31))
        .select_related("evaluation")
        .order_by("due_on", "id")[:200]
    )
    return AnnualReport(
        lang=lang, partnership=partnership, year=year, completion=completion,
        activities=count,
        monitoring=selectors.monitoring_view_get(
            partnership=partnership, filters={"year": str(year)}, rtl=lang == "ar"
        ),
        evaluations=evaluations,
        recommendations=[
            RecommendationLine(r, r.evaluation,
                               rules.recommendation_overdue(r.due_on, r.closed, end))
            for r in recommendations
        ],
        generated=timezone.localdate(),
    )  # fmt: skip


def render_html(report: AnnualReport) -> str:
    with translation.override(report.lang):
        context: dict[str, Any] = {"doc": report}
        return render_to_string("evaluation/report/annual.html", context)


def render_pdf(report: AnnualReport) -> bytes:
    return write_pdf(render_html(report), lang=report.lang, author=report.partnership.title)
