"""Recommendations from findings, the coordinator's follow-up, the to-do list and the
escalation of overdue ones to the next board meeting (ADR 0047)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.audit import engagements, plan_rules, recommendations, selectors
from sharaka.audit.models import AuditFinding, FollowUp, Recommendation
from sharaka.core import todo
from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.governance.models import Board
from sharaka.meetings.models import AgendaItem, Meeting
from tests.audit.conftest import AuditWorld
from tests.audit.test_engagements import TODAY, _engaged, _finding

STATES = [s.value for s in plan_rules.RecommendationStatus]

# --- pure rules -------------------------------------------------------------------------------


@given(
    status=st.sampled_from(STATES),
    due=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_overdue_is_pending_and_past_due(status: str, due: date, today: date) -> None:
    overdue = plan_rules.recommendation_overdue(status, due, today)
    assert overdue == (status in ("open", "in_progress") and due < today)


@given(current=st.sampled_from(STATES), new=st.sampled_from([*STATES, "lost"]))
def test_done_and_not_accepted_are_final(current: str, new: str) -> None:
    allowed = plan_rules.recommendation_move_allowed(current, new)
    if new == "lost":
        assert not allowed
    elif current in ("done", "not_accepted"):
        assert allowed == (new == current)
    else:
        assert allowed


# --- services ---------------------------------------------------------------------------------


def _with_finding(aw: AuditWorld) -> AuditFinding:
    audit = _engaged(aw, sampled=0)
    return engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())


def _rec(aw: AuditWorld, finding: AuditFinding, **extra: Any) -> Recommendation:
    fields = {"text": "Classer les factures", "owner": "Commune", "due_on": TODAY, **extra}
    return recommendations.recommendation_add(by=aw.w.auditor, finding=finding, fields=fields)


def test_the_auditor_issues_numbered_recommendations(aw: AuditWorld) -> None:
    finding = _with_finding(aw)
    first, second = _rec(aw, finding), _rec(aw, finding, owner="Association Alpha")
    assert (first.number, second.number) == (1, 2)
    assert first.status == "open" and first.partnership_id == aw.w.a.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": " "}, "text"),
        ({"owner": ""}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": TODAY - timedelta(days=400)}, "due_on"),
    ],
)
def test_a_bad_recommendation_names_its_field_and_writes_nothing(
    aw: AuditWorld, change: dict[str, Any], field: str
) -> None:
    finding = _with_finding(aw)
    with pytest.raises(DomainError) as refused:
        _rec(aw, finding, **change)
    assert refused.value.field == field
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "outsider"])
def test_only_the_engaged_auditor_issues_recommendations(aw: AuditWorld, role: str) -> None:
    finding = _with_finding(aw)
    with pytest.raises(NotFound if role == "outsider" else AccessDenied):
        recommendations.recommendation_add(
            by=getattr(aw.w, role),
            finding=finding,
            fields={"text": "x", "owner": "Commune", "due_on": TODAY},
        )
    assert not Recommendation.objects.exists()


def test_the_coordinator_answers_and_the_entries_are_appended(aw: AuditWorld) -> None:
    rec = _rec(aw, _with_finding(aw))
    recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Plan de classement", status="in_progress"
    )
    recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Fait, voir PV", status="done"
    )
    rec.refresh_from_db()
    assert rec.status == "done"
    assert list(FollowUp.objects.values_list("status", flat=True)) == ["in_progress", "done"]
    with pytest.raises(DomainError) as refused:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="Rouvrir", status="open"
        )
    assert refused.value.field == "status"
    with pytest.raises(DomainError) as empty:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text=" ", status="done"
        )
    assert empty.value.field == "text"
    assert FollowUp.objects.count() == 2


@pytest.mark.parametrize("role", ["auditor", "board_member", "treasurer", "outsider"])
def test_only_the_coordinator_answers(aw: AuditWorld, role: str) -> None:
    rec = _rec(aw, _with_finding(aw))
    with pytest.raises(NotFound if role == "outsider" else AccessDenied):
        recommendations.follow_up_add(
            by=getattr(aw.w, role), recommendation=rec, text="x", status="done"
        )
    assert not FollowUp.objects.exists()


# --- to-do list and escalation ----------------------------------------------------------------


def _meeting(aw: AuditWorld, days: int) -> Meeting:
    board, _ = Board.objects.get_or_create(partnership=aw.w.a)
    starts = timezone.make_aware(datetime.combine(TODAY + timedelta(days=days), time(10)))
    meeting = Meeting.objects.create(partnership=aw.w.a, board=board, starts_at=starts)
    AgendaItem.objects.create(meeting=meeting, position=1, kind="deliberation", title="Budget")
    return meeting


def test_overdue_recommendations_are_on_the_coordinators_todo(aw: AuditWorld) -> None:
    finding = _with_finding(aw)
    rec = _rec(aw, finding)
    later = TODAY + timedelta(days=3)
    items = [i for i in todo.todo_for(aw.w.coordinator, today=later) if i.source.endswith("ns")]
    assert [i.due_on for i in items] == [rec.due_on]
    assert not [i for i in todo.todo_for(aw.w.outsider, today=later) if "R1" in i.label]
    recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Fait", status="done"
    )
    assert not selectors.overdue_recommendations_todo(aw.w.coordinator, later)


def test_the_todo_provider_keeps_its_queries(aw: AuditWorld) -> None:
    finding = _with_finding(aw)
    later = TODAY + timedelta(days=3)
    counts = []
    for size in (1, 6):
        while Recommendation.objects.count() < size:
            _rec(aw, finding)
        with CaptureQueriesContext(connection) as queries:
            assert len(selectors.overdue_recommendations_todo(aw.w.coordinator, later)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2


def test_an_overdue_recommendation_goes_once_on_the_next_board_meeting(
    aw: AuditWorld,
) -> None:
    rec = _rec(aw, _with_finding(aw))
    later_meeting = _meeting(aw, days=40)
    meeting = _meeting(aw, days=20)
    assert recommendations.escalate_overdue(today=TODAY) == 0  # due today: not overdue yet
    assert recommendations.escalate_overdue(today=TODAY + timedelta(days=1)) == 1
    rec.refresh_from_db()
    item = AgendaItem.objects.get(pk=rec.agenda_item_id)
    assert item.meeting_id == meeting.pk and item.position == 2 and "R1" in item.title
    assert item.kind == "information"
    assert recommendations.escalate_overdue(today=TODAY + timedelta(days=2)) == 0
    assert not AgendaItem.objects.filter(meeting=later_meeting, title__contains="R1").exists()


def test_without_a_meeting_in_preparation_the_recommendation_waits(aw: AuditWorld) -> None:
    rec = _rec(aw, _with_finding(aw))
    assert recommendations.escalate_overdue(today=TODAY + timedelta(days=5)) == 0
    rec.refresh_from_db()
    assert rec.agenda_item_id is None


def test_an_answered_recommendation_is_not_escalated(
    aw: AuditWorld,
) -> None:
    rec = _rec(aw, _with_finding(aw))
    _meeting(aw, days=20)
    recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Non retenue", status="not_accepted"
    )
    assert recommendations.escalate_overdue(today=TODAY + timedelta(days=5)) == 0
