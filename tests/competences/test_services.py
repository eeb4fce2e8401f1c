"""Services of people's competences: each success, each refusal naming its field, and that a
refusal changes nothing; completion raises the attendees' levels with history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sharaka.competences import services
from sharaka.competences.models import Holding, Requirement, SessionStatus, TrainingSession
from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.planning import services as planning_services
from tests.competences.conftest import CompetenceWorld
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


def _fields(**extra: Any) -> dict[str, Any]:
    return {
        "topic": "Gestion", "trainer": "CRMEF", "level_reached": 3, "start_date": START,
        "end_date": START + timedelta(days=2), "cost": Decimal("9000"),
    } | extra  # fmt: skip


def _session(cw: CompetenceWorld, **extra: Any) -> TrainingSession:
    return services.session_create(
        by=cw.w.coordinator, partnership=cw.w.a, fields=_fields(**extra),
        competences=[cw.management, cw.youth],
    )  # fmt: skip


def _line(by: Any, partnership: Any) -> Any:
    plan = planning_services.plan_create(
        by=by,
        partnership=partnership,
        fields={
            "title": "Plan",
            "period_start": date(2026, 1, 1),
            "period_end": date(2027, 12, 31),
        },
    )
    version = plan.versions.get(number=1)
    objective = planning_services.objective_create(
        by=by, version=version, fields={"code": "O1", "title": "Former"}
    )
    activity = planning_services.activity_create(
        by=by, version=version,
        fields={"objective": objective, "code": "A1.1", "title": "Former l'équipe",
                "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31)},
    )  # fmt: skip
    return planning_services.budget_line_create(
        by=by, activity=activity, fields={"category": "other", "label": "Formation"},
        amounts={2026: Decimal("10000.00")},
    )  # fmt: skip


def test_session_takes_a_budget_line_of_its_partnership(cw: CompetenceWorld) -> None:
    line = _line(cw.w.coordinator, cw.w.a)
    assert _session(cw, budget_line=line).budget_line == line


def test_holding_set_creates_then_changes_with_history(cw: CompetenceWorld) -> None:
    holding = services.holding_set(
        by=cw.w.officer, partnership=cw.w.a, person=cw.coordinator, competence=cw.management,
        level=4, evidence="Diplôme",
    )  # fmt: skip
    assert (holding.level, holding.evidence) == (4, "Diplôme")
    assert [h.level for h in holding.history.order_by("history_date")] == [2, 4]


def test_holding_set_refuses_a_person_outside_the_structure(cw: CompetenceWorld) -> None:
    with pytest.raises(DomainError) as refusal:
        services.holding_set(
            by=cw.w.officer, partnership=cw.w.a, person=PersonFactory(), competence=cw.management,
            level=2,
        )  # fmt: skip
    assert (refusal.value.code, refusal.value.field) == ("not_key_person", "person")
    assert Holding.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "error"), [("board_member", AccessDenied), ("other_officer", NotFound)]
)
def test_holding_set_refuses_who_may_not_change(
    cw: CompetenceWorld, role: str, error: type
) -> None:
    with pytest.raises(error):
        services.holding_set(
            by=cw.w.user(role), partnership=cw.w.a, person=cw.coordinator,
            competence=cw.management, level=4,
        )  # fmt: skip
    assert Holding.objects.get(person=cw.coordinator, competence=cw.management).level == 2


def test_requirement_set_is_the_partnership_own(cw: CompetenceWorld) -> None:
    services.requirement_set(
        by=cw.w.coordinator, partnership=cw.w.a, role="coordinator", competence=cw.management,
        level=0,
    )  # fmt: skip
    row = services.requirement_set(
        by=cw.w.coordinator, partnership=cw.w.a, role="coordinator", competence=cw.management,
        level=1,
    )  # fmt: skip
    assert row.level == 1 and row.partnership == cw.w.a
    assert Requirement.objects.filter(partnership__isnull=True).count() == 2


def test_session_create_refusals_name_their_field(cw: CompetenceWorld) -> None:
    cases = [
        (_fields(end_date=START - timedelta(days=1)), [cw.youth], "end_date"),
        (_fields(), [], "competences"),
    ]
    for fields, competences, field in cases:
        with pytest.raises(DomainError) as refusal:
            services.session_create(
                by=cw.w.coordinator, partnership=cw.w.a, fields=fields, competences=competences
            )
        assert refusal.value.field == field
    assert not TrainingSession.objects.exists()


def test_session_create_refuses_a_budget_line_of_another_partnership(
    cw: CompetenceWorld,
) -> None:
    line = _line(cw.w.admin, cw.w.b)
    with pytest.raises(DomainError) as refusal:
        _session(cw, budget_line=line)
    assert refusal.value.field == "budget_line"
    assert not TrainingSession.objects.exists()


def test_participant_add_refuses_outsider_and_twice(cw: CompetenceWorld) -> None:
    session = _session(cw)
    services.participant_add(by=cw.w.coordinator, session=session, person=cw.coordinator)
    for person, code in [
        (PersonFactory(), "not_key_person"),
        (cw.coordinator, "already_participant"),
    ]:
        with pytest.raises(DomainError) as refusal:
            services.participant_add(by=cw.w.coordinator, session=session, person=person)
        assert (refusal.value.code, refusal.value.field) == (code, "person")
    assert session.participants.count() == 1


def test_complete_raises_attendees_levels_never_lowers_and_keeps_history(
    cw: CompetenceWorld,
) -> None:
    session = _session(cw, level_reached=3)
    present = services.participant_add(by=cw.w.coordinator, session=session, person=cw.coordinator)
    absent = services.participant_add(by=cw.w.coordinator, session=session, person=cw.facilitator)
    services.session_complete(
        by=cw.w.coordinator, session=session, attended=[present.pk], on=START + timedelta(days=2)
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED and session.completed_on == date(2026, 3, 4)
    management = Holding.objects.get(person=cw.coordinator, competence=cw.management)
    youth = Holding.objects.get(person=cw.coordinator, competence=cw.youth)
    assert (management.level, youth.level) == (3, 3)
    assert management.session == session
    assert (
        management.history.latest("history_date").history_change_reason == "Formation « Gestion »"
    )
    # the absent facilitator keeps level 3 in youth work, and gets nothing in management
    assert Holding.objects.get(person=cw.facilitator, competence=cw.youth).level == 3
    assert not Holding.objects.filter(person=cw.facilitator, competence=cw.management).exists()
    absent.refresh_from_db()
    assert not absent.attended


def test_complete_refusals_change_nothing(cw: CompetenceWorld) -> None:
    session = _session(cw)
    participant = services.participant_add(
        by=cw.w.coordinator, session=session, person=cw.coordinator
    )
    cases = [
        ({"attended": [], "on": START}, "no_attendee"),
        ({"attended": [participant.pk], "on": START - timedelta(days=1)}, "session_not_started"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as refusal:
            services.session_complete(by=cw.w.coordinator, session=session, **kwargs)
        assert refusal.value.code == code
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
    assert Holding.objects.get(person=cw.coordinator, competence=cw.management).level == 2
    services.session_complete(
        by=cw.w.coordinator, session=session, attended=[participant.pk], on=START
    )
    with pytest.raises(DomainError) as refusal:
        services.session_complete(
            by=cw.w.coordinator, session=session, attended=[participant.pk], on=START
        )
    assert refusal.value.code == "session_not_planned"


def test_a_terminated_partnership_is_read_only(cw: CompetenceWorld) -> None:
    cw.w.a.status = "terminated"
    cw.w.a.save()
    with pytest.raises(AccessDenied):
        services.holding_set(
            by=cw.w.coordinator, partnership=cw.w.a, person=cw.coordinator,
            competence=cw.management, level=4,
        )  # fmt: skip
