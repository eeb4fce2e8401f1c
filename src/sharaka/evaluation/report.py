"""The annual evaluation report (decree 2.16.301 art. 14 style): completion of the action
plan, every indicator with its status and the same SVG chart as the monitoring page, the
resources used per result, the year's evaluations (findings, DAC judgements) and the
follow-up of recommendations, the constraints met (recorded ones and the activities late or
cancelled), the gender equality marker; PDF via WeasyPrint or DOCX via python-docx (the
convention's writer) in fr, ar or en, from one view model built in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sharaka.conventions.renderers.docx import DocxWriter
from sharaka.core.locale import amount, money
from sharaka.core.pdf import write_pdf
from sharaka.evaluation import rules, selectors
from sharaka.evaluation.models import (
    Constraint,
    Evaluation,
    GenderMarker,
    Judgement,
    Recommendation,
)
from sharaka.evaluation.selectors import IndicatorRow, MonitoringView
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity, ActivityStatus
from sharaka.planning.selectors import plan_in_force_get

LANGS = ("fr", "ar", "en")
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LATE = (ActivityStatus.DELAYED, ActivityStatus.CANCELLED)


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
    constraints: list[Constraint]  # recorded for the year
    late_activities: list[Activity]  # of the plan in force: delayed or cancelled

    @property
    def gender_marker(self) -> GenderMarker | None:
        return self.monitoring.gender_marker

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
    completion, count, late = None, 0, []
    if version is not None:
        stats = Activity.objects.filter(version=version).aggregate(avg=Avg("progress"))
        count = Activity.objects.filter(version=version).count()
        completion = round(stats["avg"]) if stats["avg"] is not None else None
        late = list(
            Activity.objects.filter(version=version, status__in=LATE).order_by("code", "id")[:200]
        )
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
        constraints=list(
            Constraint.objects.filter(partnership=partnership, year=year).order_by("id")[:200]
        ),
        late_activities=late,
    )  # fmt: skip


def render_html(report: AnnualReport) -> str:
    with translation.override(report.lang):
        context: dict[str, Any] = {"doc": report}
        return render_to_string("evaluation/report/annual.html", context)


def render_pdf(report: AnnualReport) -> bytes:
    return write_pdf(render_html(report), lang=report.lang, author=report.partnership.title)


def render_docx(report: AnnualReport) -> bytes:
    """The report as DOCX: the PDF's sections as headings, its tables as tables (the trend
    charts are the PDF's: python-docx places no SVG; the DOCX gives their figures)."""
    with translation.override(report.lang):
        return _docx(report)


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _latest(row: IndicatorRow) -> str:
    if row.latest is None:
        return "—"
    if row.latest.value is None:
        return Truncator(row.latest.text).chars(80)
    return f"{amount(row.latest.value, trim=True)} {row.indicator.unit_label}".strip()


def _pct(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def _docx(doc: AnnualReport) -> bytes:
    p = doc.partnership
    title = _("Rapport annuel d'évaluation %(year)s") % {"year": doc.year}
    out = DocxWriter(rtl=doc.rtl, lang=doc.lang, title=f"{title} — {p.title}", author=p.title)
    out.para(_("Rapport annuel d'évaluation %(year)s") % {"year": doc.year}, "Title")
    out.para(f"{p.title} · {p.lead_authority.name} · {_('établi le')} {_day(doc.generated)}")
    out.heading(_("Exécution du plan d'action"), 1)
    if doc.completion is None:
        out.para(_("Aucun plan d'action en vigueur."))
    else:
        out.para(
            _("Taux d'achèvement moyen des %(n)s activités du plan en vigueur : %(rate)s %%.")
            % {"n": doc.activities, "rate": doc.completion}
        )
    out.heading(_("Indicateurs et moyens par résultat"), 1)
    out.para(doc.monitoring.thresholds_note)
    for block in doc.monitoring.blocks:
        out.heading(f"{block.result.get_kind_display()} — {block.result.name}", 2)
        if block.funds:
            f = block.funds
            out.para(
                _("Moyens : activités %(codes)s — prévu %(planned)s, dépensé %(spent)s")
                % {"codes": ", ".join(f.codes), "planned": money(f.totals.planned, f.currency),
                   "spent": money(f.totals.spent, f.currency)}
            )  # fmt: skip
        out.table(
            [_("Indicateur"), _("État"), _("Dernière mesure"), _("Part des femmes"),
             _("Atteint"), _("Temps écoulé")],
            [[r.indicator.name, str(r.status_label), _latest(r), _pct(r.women_share),
              _pct(r.achieved_percent), _pct(r.elapsed_percent)] for r in block.rows],
        )  # fmt: skip
    out.heading(_("Égalité femmes-hommes"), 1)
    marker = doc.gender_marker
    label = _("Marqueur égalité femmes-hommes (CAD de l'OCDE)")
    if marker is None:
        out.para(f"{label} : {_('non évalué')}")
    else:
        out.para(f"{label} : {marker.get_significance_display()}", bold=True)
        if marker.justification:
            out.para(marker.justification)
    _constraints(out, doc)
    _evaluations(out, doc)
    return out.save()


def _constraints(out: DocxWriter, doc: AnnualReport) -> None:
    out.heading(_("Contraintes rencontrées"), 1)
    if doc.constraints:
        out.table(
            [_("Nature"), _("Contrainte rencontrée"), _("Effet sur le plan"), _("Mesures prises")],
            [[str(c.get_kind_display()), c.description, c.effect or "—", c.response or "—"]
             for c in doc.constraints],
        )  # fmt: skip
    else:
        out.para(_("Aucune contrainte enregistrée pour l'année."))
    if doc.late_activities:
        out.heading(_("Activités en retard ou annulées"), 2)
        out.table(
            [_("Activité"), _("État"), _("Avancement"), _("Fin prévue")],
            [[f"{a.code} — {a.title}", str(a.get_status_display()), f"{a.progress} %",
              _day(a.end_date)] for a in doc.late_activities],
        )  # fmt: skip


def _evaluations(out: DocxWriter, doc: AnnualReport) -> None:
    out.heading(_("Évaluations de l'année"), 1)
    for e in doc.evaluations:
        out.heading(f"{e.title} ({e.get_kind_display()}, {e.get_status_display()})", 2)
        if e.findings:
            out.para(e.findings)
        judgements = list(e.judgements.all())
        if judgements:
            out.table(
                [_("Critère"), _("Appréciation"), _("Justification")],
                [[str(j.get_criterion_display()), f"{j.score}/4 — {j.get_score_display()}",
                  j.justification] for j in judgements],
            )  # fmt: skip
        if e.gender_answer:
            out.para(f"{_('Question de genre')} : {e.gender_answer}")
    if not doc.evaluations:
        out.para(_("Aucune évaluation enregistrée."))
    out.heading(_("Suivi des recommandations"), 1)
    out.table(
        [_("Recommandation"), _("Responsable"), _("Échéance"), _("État"), _("Suivi")],
        [[line.recommendation.text, line.recommendation.owner,
          _day(line.recommendation.due_on) + (f" ({_('en retard')})" if line.overdue else ""),
          str(line.recommendation.get_status_display()), line.recommendation.follow_up]
         for line in doc.recommendations] or [["—"]],
    )  # fmt: skip
