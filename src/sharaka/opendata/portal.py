"""The public summary of a partnership on the portal (issue 16): what the portal page shows
of the facts owned above ``partnerships``, read through the open data's rules of what is
public (``opendata.selectors``), in a fixed number of queries whatever the data.

- the board: the current members' names and seats (never an e-mail, phone or note) and the
  women's share of the filled seats;
- the latest published decisions (minutes published) and the convention in force (its
  text as a PDF, rendered from the signed version; no uploaded document);
- the action plan in force and its execution: planned and spent per activity (approved or
  paid expenses, summed), as a bar chart and a table;
- the results' indicators with their baseline and latest validated measurement;
- the grants between the partnership's parties (law 113-14 art. 275), the latest two years;
- the communication plan's public actions (never the responsible person nor the evidence);
- the published evaluations: kind, evaluator, period, completion date, DAC scores and the
  board decision that took note of it (a link to its published minutes); never findings,
  justifications or recommendations (``selectors.public_evaluations``).
- the state of the proactive publication checklist (law 31-13, art. 10): each line, its
  article and state, and for a line an officer recorded, the day and the support only
  (never the place, address, note, proof nor who recorded it).

The portal page (``partnerships``, below this app) gets it through the port
``partnerships.ports.public_summary`` as rendered HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.selectors import version_in_force_get
from sharaka.evaluation.models import (
    Evaluation,
    Indicator,
    Judgement,
    Measurement,
    MeasurementStatus,
)
from sharaka.finance.charts import budget_bars
from sharaka.governance.models import Mandate
from sharaka.meetings.models import Decision
from sharaka.opendata import selectors
from sharaka.partners.models import Grant
from sharaka.partnerships.models import Partnership
from sharaka.transparency import publication
from sharaka.transparency import selectors as transparency_selectors
from sharaka.transparency.models import CommunicationAction

DECISIONS = 10
INDICATORS = 30
ACTIVITIES = 40
GRANTS = 40
EVALUATIONS = 10


@dataclass(frozen=True)
class Member:
    name: str
    seat: str
    organization: str
    on_behalf_of: str
    woman: bool


@dataclass(frozen=True)
class Execution:
    code: str
    title: str
    planned: Decimal
    spent: Decimal


@dataclass(frozen=True)
class IndicatorRow:
    title: str
    unit: str
    baseline: Decimal | None
    latest: Decimal | None
    latest_text: str
    latest_on: dt.date | None


@dataclass(frozen=True)
class PublicationLine:
    label: str
    legal: str
    state: str
    published_on: dt.date | None
    channel: str


@dataclass
class Summary:
    partnership: Partnership
    board_name: str = ""
    members: list[Member] = field(default_factory=list)
    women: int = 0
    women_pct: int | None = None  # of the members; None when no seat is filled
    decisions: list[Decision] = field(default_factory=list)
    convention: ConventionVersion | None = None
    currency: str = "MAD"
    execution: list[Execution] = field(default_factory=list)
    chart: str = ""  # SVG, escaped (finance.charts)
    planned_total: Decimal = Decimal(0)
    spent_total: Decimal = Decimal(0)
    indicators: list[IndicatorRow] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    actions: list[CommunicationAction] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)  # judgements prefetched
    publication: list[PublicationLine] = field(default_factory=list)


def _members(partnership: Partnership, today: dt.date) -> list[Member]:
    mandates = (
        Mandate.objects.filter(seat__board__partnership=partnership, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("seat_id", "start_date", "pk")
        .values_list("person__first_name", "person__last_name", "person__gender",
                     "seat__label", "seat__college__label",
                     "seat__organization__name", "on_behalf_of__name")[:200]
    )  # fmt: skip
    return [
        Member(f"{first} {last}", label or college or "", org or "", behalf or "", gender == "f")
        for first, last, gender, label, college, org, behalf in mandates
    ]


def _execution(partnership: Partnership) -> tuple[list[Execution], str]:
    lines = selectors.public_budget_lines().filter(activity__version__plan__partnership=partnership)
    planned = dict(
        selectors.public_budget_amounts()
        .filter(line__in=lines)
        .values("line__activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("line__activity_id", "total")
    )
    spent = dict(
        selectors.public_expenses()
        .filter(line__in=lines)
        .values("line__activity_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("line__activity_id", "total")
    )
    activities = (
        lines.values_list("activity_id", "activity__code", "activity__title",
                          "activity__version__plan__currency")
        .order_by("activity__code", "activity_id")
        .distinct()[: ACTIVITIES * 10]
    )  # fmt: skip
    seen: dict[int, tuple[str, str]] = {}
    currency = "MAD"
    for pk, code, title, cur in activities:
        seen.setdefault(pk, (code, title))
        currency = cur or currency
    ids = list(seen)[:ACTIVITIES]
    rows = [
        Execution(
            seen[pk][0], seen[pk][1], Decimal(planned.get(pk) or 0), Decimal(spent.get(pk) or 0)
        )
        for pk in ids
    ]
    return rows, currency


def _indicators(partnership: Partnership) -> list[IndicatorRow]:
    indicators = list(
        Indicator.objects.filter(result__partnership=partnership).order_by(
            "result__order", "result_id", "order", "pk"
        )[:INDICATORS]
    )
    latest: dict[int, Measurement] = {}
    for measurement in Measurement.objects.filter(
        indicator__in=[i.pk for i in indicators], status=MeasurementStatus.VALIDATED
    ).order_by("indicator_id", "period_end", "pk"):
        latest[measurement.indicator_id] = measurement  # the last one wins
    rows = []
    for indicator in indicators:
        m = latest.get(indicator.pk)
        rows.append(
            IndicatorRow(
                indicator.name, indicator.unit_label, indicator.baseline_value,
                m.value if m else None, (m.text if m else "")[:300],
                m.period_end if m else None,
            )
        )  # fmt: skip
    return rows


def _grants(partnership: Partnership, today: dt.date) -> list[Grant]:
    organizations = selectors.public_parties().filter(partnership=partnership)
    ids = organizations.values("organization_id")
    return list(
        Grant.objects.filter(authority__in=ids, association__in=ids, year__gte=today.year - 1)
        .select_related("authority", "association")
        .order_by("-year", "authority_id", "id")[:GRANTS]
    )


def _evaluations(partnership: Partnership) -> list[Evaluation]:
    return list(
        selectors.public_evaluations()
        .filter(partnership=partnership)
        .select_related("board_decision")
        .only("id", "kind", "title", "evaluator_kind", "evaluator", "period_start",
              "period_end", "completed_on", "board_decision__id", "board_decision__number",
              "board_decision__meeting_id", "board_decision__decided_on")
        .prefetch_related(Prefetch(
            "judgements",
            queryset=Judgement.objects.only("id", "evaluation_id", "criterion", "score")
            .order_by("pk"),
        ))
        .order_by("-completed_on", "-id")[:EVALUATIONS]
    )  # fmt: skip


def public_summary_get(*, partnership: Partnership, today: dt.date | None = None) -> Summary:
    """The public parts of a published partnership's portal page (the caller has checked
    that it is published): 18 queries, whatever the data."""
    today = today or timezone.localdate()
    summary = Summary(partnership=partnership)
    board = selectors.public_board_get(partnership=partnership)
    if board is not None:
        summary.board_name = board.name
        summary.members = _members(partnership, today)
        summary.women = sum(m.woman for m in summary.members)
        if summary.members:
            summary.women_pct = round(100 * summary.women / len(summary.members))
    summary.decisions = list(
        selectors.public_decisions()
        .filter(partnership=partnership)
        .order_by("-year", "-sequence", "-id")[:DECISIONS]
    )
    summary.convention = version_in_force_get(partnership=partnership, at=today)
    summary.execution, summary.currency = _execution(partnership)
    summary.chart = budget_bars(
        [(f"{e.code} {e.title}", e.planned, Decimal(0), e.spent) for e in summary.execution],
        title=gettext("Plan d'action : prévu et dépensé par activité"),
        rtl=translation.get_language_bidi(),
    )
    summary.planned_total = sum((e.planned for e in summary.execution), Decimal(0))
    summary.spent_total = sum((e.spent for e in summary.execution), Decimal(0))
    summary.indicators = _indicators(partnership)
    summary.grants = _grants(partnership, today)
    summary.actions = transparency_selectors.public_actions(partnership=partnership)
    summary.evaluations = _evaluations(partnership)
    summary.publication = [
        PublicationLine(row.label, row.legal, row.state,
                        row.record.published_on if row.record else None,
                        row.record.get_channel_display() if row.record else "")
        for row in publication.publication_checklist(partnership=partnership)
    ]  # fmt: skip
    return summary


def public_summary_html(partnership: Partnership, request: Any) -> str:
    """The port ``partnerships.ports.public_summary``: the sections, rendered."""
    summary = public_summary_get(partnership=partnership)
    return render_to_string(
        "opendata/partials/portal_summary.html", {"summary": summary}, request=request
    )
