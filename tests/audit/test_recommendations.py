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
from sharaka.partnerships.models import Party
from tests.audit.conftest import AuditWorld, receipt
from tests.audit.test_engagements import TODAY, _engaged, _finding
from tests.factories import OrganizationFactory, PersonFactory

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
def test_the_management_never_verifies_and_its_final_states_hold(current: str, new: str) -> None:
    allowed = plan_rules.recommendation_move_allowed(current, new)
    if new in ("lost", "verified"):
        assert not allowed
    elif current in ("done", "not_accepted", "verified"):
        assert allowed == (new == current != "verified")
    else:
        assert allowed


@given(current=st.sampled_from(STATES), new=st.sampled_from([*STATES, "lost"]))
def test_only_the_auditor_verifies_and_only_what_is_done(current: str, new: str) -> None:
    allowed = plan_rules.recommendation_move_allowed(current, new, verifier=True)
    assert allowed == (current == "done" and new in ("verified", "in_progress"))


@given(path=st.lists(st.tuples(st.sampled_from([*STATES, "lost"]), st.booleans()), max_size=12))
def test_verified_is_reached_through_done_and_is_final(path: list[tuple[str, bool]]) -> None:
    state = "open"
    for new, verifier in path:
        before = state
        if plan_rules.recommendation_move_allowed(state, new, verifier=verifier):
            state = new
        if state == "verified" and before != "verified":
            assert before == "done" and verifier
        if before == "verified":
            assert state == "verified"


days = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@given(
    start=days,
    length=st.integers(0, 300),
    today=days,
    actor=st.sampled_from([None, 7, 8]),
    status=st.sampled_from(["planned", "in_progress", "reported", "closed"]),
)
def test_the_verifier_is_an_auditor_under_engagement(
    start: date, length: int, today: date, actor: int | None, status: str
) -> None:
    engagement = {
        "auditor_id": 7, "starts_on": start, "ends_on": start + timedelta(days=length),
        "status": status,
    }  # fmt: skip
    finished = {**engagement, "starts_on": date(2020, 1, 1), "ends_on": date(2020, 12, 31)}
    allowed = plan_rules.may_verify(actor_id=actor, engagements=[finished, engagement], today=today)
    assert allowed == (
        actor == 7 and start <= today <= start + timedelta(days=length) and status != "closed"
    )


# --- services ---------------------------------------------------------------------------------


def _with_finding(aw: AuditWorld) -> AuditFinding:
    audit = _engaged(aw, sampled=0)
    return engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())


def party(aw: AuditWorld) -> Party:
    """The lead authority (Commune A) as a party of partnership A."""
    found, _ = Party.objects.get_or_create(
        partnership=aw.w.a, organization=aw.w.a.lead_authority, role="lead"
    )
    return found


def _rec(aw: AuditWorld, finding: AuditFinding, **extra: Any) -> Recommendation:
    owner = Party.objects.filter(partnership=aw.w.a).first() or party(aw)
    fields = {"text": "Classer les factures", "owner_party": owner, "due_on": TODAY, **extra}
    return recommendations.recommendation_add(by=aw.w.auditor, finding=finding, fields=fields)


def test_the_auditor_issues_numbered_recommendations(aw: AuditWorld) -> None:
    finding = _with_finding(aw)
    commune = party(aw)
    treasurer = PersonFactory(
        first_name="Sara", last_name="Tazi", organization=commune.organization
    )
    first = _rec(aw, finding)
    second = _rec(aw, finding, owner_party=commune.pk, owner_person=treasurer.pk)
    assert (first.number, second.number) == (1, 2)
    assert first.status == "open" and first.partnership_id == aw.w.a.pk
    assert first.owner == "Commune A" and first.owner_party == commune
    assert second.owner == "Sara Tazi (Commune A)" and second.owner_person == treasurer


def test_the_owner_is_a_party_of_the_partnership_or_one_of_its_people(aw: AuditWorld) -> None:
    finding = _with_finding(aw)
    commune = party(aw)
    elsewhere = Party.objects.create(
        partnership=aw.w.b, organization=OrganizationFactory(name="Autre"), role="lead"
    )
    stranger = PersonFactory(organization=elsewhere.organization)
    for change, field in (
        ({"owner_party": elsewhere.pk}, "owner_party"),
        ({"owner_party": commune.pk, "owner_person": stranger.pk}, "owner_person"),
        ({"owner_party": commune.pk, "owner_person": 999999}, "owner_person"),
    ):
        with pytest.raises(DomainError) as refused:
            _rec(aw, finding, **change)
        assert refused.value.field == field
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": " "}, "text"),
        ({"owner_party": None}, "owner_party"),
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
            fields={"text": "x", "owner_party": party(aw), "due_on": TODAY},
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


# --- the auditor's verification (ADR 0051) ----------------------------------------------------


def _done(aw: AuditWorld) -> Recommendation:
    rec = _rec(aw, _with_finding(aw))
    recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Fait", status="done", evidence=receipt()
    )
    return rec


def test_the_auditor_verifies_a_done_recommendation(aw: AuditWorld) -> None:
    rec = _done(aw)
    entry = recommendations.recommendation_verify(
        by=aw.w.auditor, recommendation=rec, text="Pièces revues", verified=True
    )
    rec.refresh_from_db()
    assert rec.status == entry.status == "verified" and entry.by_auditor
    with pytest.raises(DomainError) as again:
        recommendations.recommendation_verify(
            by=aw.w.auditor, recommendation=rec, text="Encore", verified=True
        )
    assert again.value.field == "outcome"
    with pytest.raises(DomainError) as reopened:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="Rouvrir", status="in_progress"
        )
    assert reopened.value.field == "status"
    assert FollowUp.objects.count() == 2


def test_an_implementation_that_does_not_hold_goes_back_in_progress(aw: AuditWorld) -> None:
    rec = _done(aw)
    recommendations.recommendation_verify(
        by=aw.w.auditor, recommendation=rec, text="Factures toujours absentes", verified=False
    )
    rec.refresh_from_db()
    assert rec.status == "in_progress"


def test_an_open_recommendation_is_not_verified(aw: AuditWorld) -> None:
    rec = _rec(aw, _with_finding(aw))
    with pytest.raises(DomainError) as refused:
        recommendations.recommendation_verify(
            by=aw.w.auditor, recommendation=rec, text="x", verified=True
        )
    assert refused.value.field == "outcome"
    rec.refresh_from_db()
    assert rec.status == "open" and not FollowUp.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "officer", "board_member", "outsider"])
def test_only_the_auditor_verifies(aw: AuditWorld, role: str) -> None:
    rec = _done(aw)
    with pytest.raises(NotFound if role == "outsider" else AccessDenied):
        recommendations.recommendation_verify(
            by=getattr(aw.w, role), recommendation=rec, text="x", verified=True
        )
    with pytest.raises(DomainError) as refused:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="x", status="verified"
        )
    assert refused.value.field == "status"
    rec.refresh_from_db()
    assert rec.status == "done" and FollowUp.objects.count() == 1


def test_the_auditor_verifies_nothing_once_no_engagement_is_under_way(aw: AuditWorld) -> None:
    rec = _done(aw)
    later = TODAY + timedelta(days=60)
    with pytest.raises(AccessDenied):
        recommendations.recommendation_verify(
            by=aw.w.auditor, recommendation=rec, text="x", verified=True, today=later
        )
    rec.refresh_from_db()
    assert rec.status == "done"


def test_evidence_is_checked_by_content(aw: AuditWorld) -> None:
    rec = _rec(aw, _with_finding(aw))
    with pytest.raises(DomainError) as refused:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="Fait", status="done",
            evidence=receipt("preuve.pdf", b"GIF89a not a pdf"),
        )  # fmt: skip
    assert refused.value.field == "evidence"
    rec.refresh_from_db()
    assert rec.status == "open" and not FollowUp.objects.exists()
    entry = recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Fait", status="done", evidence=receipt()
    )
    assert entry.content_type == "application/pdf" and entry.size > 0
