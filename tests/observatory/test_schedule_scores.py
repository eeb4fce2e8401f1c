"""The two scores measured from the transparency app's postings (ADR 0036) and from the
audit plan and evaluations (ADR 0034, 0035), computed into the snapshot (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sharaka.audit.models import Audit
from sharaka.evaluation.models import Evaluation
from sharaka.observatory.models import PartnershipScore, TerritoryScore
from sharaka.observatory.refresh import snapshot_refresh
from sharaka.transparency.models import DecisionPosting
from tests.observatory.conftest import Territories
from tests.planning.conftest import make_decision

pytestmark = pytest.mark.django_db


def _post(decision, after_days: int) -> None:  # type: ignore[no-untyped-def]
    DecisionPosting.objects.create(
        decision=decision, partnership=decision.partnership,
        posted_on=decision.decided_on + timedelta(days=after_days),
        due_on=decision.decided_on + timedelta(days=8), channel="notice_board", place="Siège",
    )  # fmt: skip


def test_decisions_posted_counts_posted_in_time_over_due(territories: Territories) -> None:
    today = timezone.localdate()
    p = territories.north_p
    _post(make_decision(p, "other", on=today - timedelta(days=30), title="a"), 2)  # in time
    _post(make_decision(p, "other", on=today - timedelta(days=30), title="b"), 12)  # late
    make_decision(p, "other", on=today - timedelta(days=20), title="c")  # overdue, not posted
    make_decision(p, "other", on=today - timedelta(days=2), title="d")  # still in its 8 days
    snapshot_refresh()
    row = PartnershipScore.objects.get(partnership=p)
    assert row.scores["decisions_posted"] == 33  # 1 of 3 due
    south = PartnershipScore.objects.get(partnership=territories.south_p)
    assert south.scores["decisions_posted"] is None  # no decision: not yet measured


def test_audits_and_evaluations_on_schedule(territories: Territories) -> None:
    today = timezone.localdate()
    p = territories.north_p
    year = timedelta(days=365)

    def audit(due_days_ago: int, status: str, start: int) -> None:
        Audit.objects.create(
            partnership=p, kind="financial", status=status,
            period_start=today - year * start, period_end=today - year * (start - 1),
            due_on=today - timedelta(days=due_days_ago),
        )  # fmt: skip

    audit(10, "reported", 3)  # reported: kept
    audit(5, "planned", 2)  # report overdue
    audit(-30, "due", 1)  # report not due yet: not counted
    planned = today - timedelta(days=40)
    Evaluation.objects.create(
        partnership=p, kind="midterm", title="Mi-parcours", planned_on=planned,
        started_on=planned, status="ongoing",
    )  # fmt: skip
    Evaluation.objects.create(
        partnership=p, kind="annual", title="Annuelle", planned_on=planned, status="planned"
    )
    snapshot_refresh()
    row = PartnershipScore.objects.get(partnership=p)
    assert row.scores["evaluations_on_schedule"] == 50  # 2 of 4 due
    assert (
        PartnershipScore.objects.get(partnership=territories.south_p).scores[
            "evaluations_on_schedule"
        ]
        is None
    )
    north = TerritoryScore.objects.get(province=territories.north)
    assert north.scores["evaluations_on_schedule"] == 50  # the mean of what is measured
