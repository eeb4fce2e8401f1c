"""Information requests: numbering, due dates on the authority's calendar, each step and
its refusals (naming the field, changing nothing), the event log, reminders and the
anonymisation of old requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from sharaka.core import scheduler
from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.core.rules.deadline import Calendar, due_date
from sharaka.directory.models import WorkingCalendar
from sharaka.transparency import rules, services, tasks
from sharaka.transparency.models import ANONYMOUS, InformationRequest, RequestEvent
from tests.conftest import World
from tests.factories import PartnershipFactory
from tests.transparency.conftest import HOLIDAY, fields, record

pytestmark = pytest.mark.django_db


def _snapshot(request: InformationRequest) -> tuple[Any, ...]:
    request.refresh_from_db()
    return (
        request.status,
        request.due_on,
        request.outcome,
        request.ground,
        request.complaint_filed_on,
        request.events.count(),
    )


def test_numbers_are_unique_per_authority_and_year(world: World) -> None:
    sibling = PartnershipFactory(lead_authority=world.a.lead_authority, slug="soeur")
    first = record(world, date(2026, 11, 2))
    second = record(world, date(2026, 11, 3), partnership=sibling)
    other = services.request_record(
        by=world.other_officer, partnership=world.b, fields=fields(received_on=date(2026, 11, 3))
    )
    last_year = record(world, date(2025, 12, 29))
    assert [first.number, second.number] == ["2026-0001", "2026-0002"]
    assert other.number == "2026-0001" and last_year.number == "2025-0001"
    assert first.authority == world.a.lead_authority


def test_due_dates_count_working_days_on_the_authority_calendar(
    world: World, calendar: Any
) -> None:
    received = date(2026, 11, 2)
    request = record(world, received)
    cal = Calendar(calendar.weekend, frozenset({HOLIDAY}))
    assert request.due_on == due_date(received, 20, "working_days", cal)
    # 20 working days from Monday 2 November, skipping Wednesday 18 November
    assert request.due_on == date(2026, 12, 1)
    urgent = record(world, received, urgent=True)
    assert urgent.due_on == date(2026, 11, 5)
    event = request.events.get()
    assert (event.kind, event.on, event.by) == ("received", received, world.officer)


def test_a_friday_weekend_moves_the_due_date(world: World) -> None:
    WorkingCalendar.objects.create(organization=world.a.lead_authority, friday_off=True)
    request = record(world, date(2026, 11, 2))
    assert request.due_on == due_date(
        date(2026, 11, 2), 20, "working_days", Calendar(frozenset({4, 5, 6}))
    )


def test_extension_once_with_notice(world: World, calendar: Any) -> None:
    request = record(world, date(2026, 11, 2))
    before = _snapshot(request)
    with pytest.raises(DomainError) as refused:
        services.request_extend(
            by=world.officer,
            request=request,
            fields={"extended_on": date(2026, 11, 20), "extension_notice": " "},
        )
    assert refused.value.field == "extension_notice"
    with pytest.raises(DomainError) as refused:
        services.request_extend(
            by=world.officer,
            request=request,
            fields={"extended_on": date(2026, 12, 2), "extension_notice": "x"},
        )
    assert refused.value.field == "extended_on"
    assert _snapshot(request) == before
    extended = services.request_extend(
        by=world.coordinator,
        request=request,
        fields={"extended_on": date(2026, 11, 20), "extension_notice": "Archives"},
    )
    assert extended.status == "extended" and extended.due_on == date(2026, 12, 29)
    with pytest.raises(DomainError):
        services.request_extend(
            by=world.officer,
            request=extended,
            fields={"extended_on": date(2026, 11, 21), "extension_notice": "x"},
        )


def test_an_urgent_request_is_not_extended(world: World) -> None:
    request = record(world, date(2026, 11, 2), urgent=True)
    with pytest.raises(DomainError):
        services.request_extend(
            by=world.officer,
            request=request,
            fields={"extended_on": date(2026, 11, 3), "extension_notice": "x"},
        )


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"outcome": "refused", "ground": "", "remedy": "Recours"}, "ground"),
        ({"outcome": "refused", "ground": "private_life", "remedy": ""}, "remedy"),
        ({"outcome": "partly_granted", "ground": "private_life", "remedy": "R"}, "exempted_parts"),
        ({"outcome": "granted", "answered_on": date(2026, 10, 1)}, "answered_on"),
        ({"outcome": "granted", "answered_on": date(2099, 1, 1)}, "answered_on"),
    ],
)
def test_a_refused_answer_names_the_field_and_writes_nothing(
    world: World, answer: dict[str, Any], field: str
) -> None:
    request = record(world, date(2026, 11, 2))
    before = _snapshot(request)
    with pytest.raises(DomainError) as refused:
        services.request_answer(
            by=world.officer, request=request, fields={"answered_on": date(2026, 11, 10), **answer}
        )
    assert refused.value.field == field
    assert _snapshot(request) == before


def test_partial_grant_then_complaint_then_its_answer(world: World, calendar: Any) -> None:
    request = record(world, date(2026, 10, 1))
    answered = services.request_answer(
        by=world.officer,
        request=request,
        fields={
            "outcome": "partly_granted",
            "answered_on": date(2026, 10, 9),
            "answer": "Budget",
            "exempted_parts": "Salaires nominatifs",
            "ground": "private_life",
            "remedy": "Art. 19",
        },
    )
    assert answered.closed_on == date(2026, 10, 9)
    # 20 working days from Friday 9 October end on Friday 6 November
    with pytest.raises(DomainError) as refused:
        services.complaint_record(
            by=world.officer,
            request=answered,
            fields={"complaint_filed_on": date(2026, 11, 9), "complaint": "x"},
        )
    assert refused.value.field == "complaint_filed_on" and "art. 19" in refused.value.message
    filed = services.complaint_record(
        by=world.officer,
        request=answered,
        fields={"complaint_filed_on": date(2026, 10, 16), "complaint": "Je conteste"},
    )
    # 15 days from Friday 16 October: Saturday 31 October, moved to Monday 2 November
    assert filed.closed_on is None and filed.complaint_due_on == date(2026, 11, 2)
    done = services.complaint_answer(
        by=world.officer,
        request=filed,
        fields={
            "complaint_answered_on": date(2026, 10, 30),
            "complaint_outcome": "dismissed",
            "complaint_answer": "Confirmé",
        },
    )
    assert done.closed_on == date(2026, 10, 30)
    step = services.later_step_record(
        by=world.officer,
        request=done,
        fields={"kind": "cdai_filed", "on": date(2026, 11, 3), "note": "Saisine"},
    )
    kinds = list(done.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["received", "answered", "complaint_filed", "complaint_answered", "cdai_filed"]
    assert step.by == world.officer


def test_no_complaint_against_a_grant_nor_before_the_due_date(world: World) -> None:
    request = record(world, date(2026, 11, 2))
    with pytest.raises(DomainError) as refused:
        services.complaint_record(
            by=world.officer,
            request=request,
            fields={"complaint_filed_on": date(2026, 11, 5), "complaint": "x"},
        )
    assert refused.value.field == "complaint_filed_on"
    granted = services.request_answer(
        by=world.officer,
        request=request,
        fields={"outcome": "granted", "answered_on": date(2026, 11, 10)},
    )
    with pytest.raises(DomainError):
        services.complaint_record(
            by=world.officer,
            request=granted,
            fields={"complaint_filed_on": date(2026, 11, 12), "complaint": "x"},
        )


@pytest.mark.parametrize(
    "role", ["board_member", "treasurer", "auditor", "outsider", "other_officer"]
)
def test_only_the_information_officers_handle_requests(world: World, role: str) -> None:
    request = record(world, date(2026, 11, 2))
    with pytest.raises((AccessDenied, NotFound)):
        services.request_answer(
            by=world.user(role),
            request=request,
            fields={"outcome": "granted", "answered_on": date(2026, 11, 10)},
        )
    with pytest.raises((AccessDenied, NotFound)):
        services.request_record(
            by=world.user(role), partnership=world.a, fields=fields(received_on=date(2026, 11, 2))
        )
    assert InformationRequest.objects.count() == 1


def test_history_and_events_never_hold_personal_data(world: World) -> None:
    request = record(world, date(2026, 11, 2))
    services.request_answer(
        by=world.officer,
        request=request,
        fields={"outcome": "granted", "answered_on": date(2026, 11, 10)},
    )
    history = request.history.model
    names = {f.name for f in history._meta.get_fields()}
    assert not names & {
        "requester_name",
        "requester_address",
        "requester_id_number",
        "requester_email",
    }
    notes = " ".join(RequestEvent.objects.values_list("note", flat=True))
    assert "Secret" not in notes and "ZZ998877" not in notes


def test_requests_closed_long_ago_are_anonymised(world: World, settings: Any) -> None:
    settings.SHARAKA_REQUESTS_KEEP_DAYS = 30
    today = timezone.localdate()
    old = record(world, today - timedelta(days=60))
    services.request_answer(
        by=world.officer,
        request=old,
        fields={"outcome": "granted", "answered_on": today - timedelta(days=31)},
    )
    recent = record(world, today - timedelta(days=20))
    services.request_answer(
        by=world.officer,
        request=recent,
        fields={"outcome": "granted", "answered_on": today - timedelta(days=10)},
    )
    still_open = record(world, today - timedelta(days=90))
    assert services.requests_anonymise() == 1
    old.refresh_from_db()
    assert (old.requester_name, old.requester_id_number, old.requester_email) == (
        ANONYMOUS,
        ANONYMOUS,
        "",
    )
    assert old.anonymised_at is not None and old.events.filter(kind="anonymised").exists()
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.requester_name == "Rachida Secret"
    assert services.requests_anonymise() == 0  # idempotent


def test_reminders_go_to_the_information_officers(world: World, settings: Any) -> None:
    settings.SHARAKA_REQUESTS_REMIND_DAYS = 3
    world.officer.email, world.coordinator.email = "officer@a.example", "coord@a.example"
    world.officer.save()
    world.coordinator.save()
    world.board_member.email = "member@a.example"
    world.board_member.save()
    today = timezone.localdate()
    late = record(world, today - timedelta(days=60))
    record(world, today)  # due in 20 working days: no reminder yet
    assert tasks.reminders_send(today=today) == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["coord@a.example", "officer@a.example"]
    body = mail.outbox[0].body
    assert late.number in body and "EN RETARD" in body and "Rachida" not in body


def test_the_daily_job_is_registered_and_runs(world: World) -> None:
    names = [job.name for job in scheduler.jobs()]
    assert "transparency.requests_daily" in names
    assert tasks.daily.call() == {"reminders": 0, "anonymised": 0}


def test_rules_statistics_and_the_database_agree(world: World) -> None:
    from sharaka.transparency import selectors

    today = timezone.localdate()
    a = record(world, today - timedelta(days=60))
    services.request_answer(
        by=world.officer,
        request=a,
        fields={
            "outcome": "refused",
            "answered_on": today - timedelta(days=2),
            "ground": "private_life",
            "remedy": "R",
        },
    )
    record(world, today - timedelta(days=50))
    record(world, today - timedelta(days=1))
    rows = [
        rules.Row(r.year, r.due_on, r.answered_on, r.outcome, r.ground)
        for r in InformationRequest.objects.all()
    ]
    reference = rules.statistics(rows, today=today)
    shown = selectors.statistics_get(user=world.officer, partnership=world.a, today=today)
    assert [(s.year, s.received, s.answered_in_time, s.late, s.refused) for s in reference] == [
        (y.year, y.received, y.answered_in_time, y.late, y.refused) for y in shown
    ]
    assert [(g.code, g.count) for g in shown[0].grounds] == [("private_life", 1)]


def test_a_terminated_partnership_still_answers_its_requests(world: World) -> None:
    request = record(world, date(2026, 11, 2))
    world.a.status = "terminated"
    world.a.save(update_fields=["status"])
    request.partnership.status = "terminated"
    done = services.request_answer(
        by=world.coordinator,
        request=request,
        fields={"outcome": "granted", "answered_on": date(2026, 11, 10)},
    )
    assert done.status == "answered"
