"""Council deliberations and oversight: the services (success, refusals naming the field,
nothing changed), the authority's calendar, and the lifecycle fact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.conventions import services
from sharaka.conventions.lifecycle import deliberations_recorded
from sharaka.conventions.models import ConventionVersion, Deliberation
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.directory.models import Holiday, WorkingCalendar
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import Party
from tests.conftest import World

SESSION = dt.date(2025, 7, 7)  # a Monday


def lead_party(world: World) -> Party:
    return Party.objects.get(partnership=world.a, organization=world.a.lead_authority)


def record(world: World, version: ConventionVersion, by: Any = None, **fields: Any) -> Any:
    values: dict[str, Any] = {"version": version, "number": "D-2025-12", "session_date": SESSION}
    return services.deliberation_record(
        by=by or world.officer, party=lead_party(world), fields=values | fields
    )


@pytest.mark.django_db
def test_record_computes_the_transmission_due_date_on_the_default_calendar(
    world: World, signed: ConventionVersion
) -> None:
    deliberation = record(world, signed)
    assert (deliberation.waiting_for, deliberation.due_on) == ("transmission", dt.date(2025, 7, 28))
    assert deliberation.history.count() == 1


@pytest.mark.django_db
def test_the_authoritys_calendar_moves_the_due_dates(
    world: World, signed: ConventionVersion
) -> None:
    calendar = WorkingCalendar.objects.create(organization=world.a.lead_authority)
    Holiday.objects.create(calendar=calendar, day=dt.date(2025, 7, 14), label="Férié")
    deliberation = record(world, signed)
    assert deliberation.due_on == dt.date(2025, 7, 29)
    calendar.friday_off = True
    calendar.save()
    assert calendars_get([world.a.lead_authority.pk])[world.a.lead_authority.pk].weekend == {
        4,
        5,
        6,
    }


@pytest.mark.django_db
def test_update_records_transmission_and_answers(world: World, signed: ConventionVersion) -> None:
    deliberation = record(world, signed)
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "transmitted_on": dt.date(2025, 7, 10), "financial_effect": True,
    })  # fmt: skip
    deliberation.refresh_from_db()
    assert (deliberation.waiting_for, deliberation.due_on) == ("answer", dt.date(2025, 7, 30))
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "oversight": "no_objection", "visa": "granted",
    })  # fmt: skip
    deliberation.refresh_from_db()
    assert (deliberation.waiting_for, deliberation.due_on) == ("", None)


REFUSALS = [
    ({"number": "  "}, "number", "deliberation_required"),
    ({"session_date": None}, "session_date", "deliberation_required"),
    ({"transmitted_on": dt.date(2025, 7, 1)}, "transmitted_on", "deliberation_dates"),
    ({"oversight": "no_objection"}, "transmitted_on", "deliberation_dates"),
    ({"transmitted_on": SESSION, "oversight": "objection"}, "objection_follow_up",
     "deliberation_follow_up"),
    ({"transmitted_on": SESSION, "visa": "granted"}, "visa", "deliberation_visa"),
    ({"document": SimpleUploadedFile("d.pdf", b"not a pdf")}, "document",
     "deliberation_document_type"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "field", "code"), REFUSALS)
def test_refusals_name_the_field_and_change_nothing(
    world: World, signed: ConventionVersion, fields: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        record(world, signed, **fields)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Deliberation.objects.exists()


@pytest.mark.django_db
def test_refused_for_another_convention_a_private_party_a_duplicate_or_a_reader(
    world: World, draft: ConventionVersion, partner: Any
) -> None:
    other = services.convention_create(by=world.admin, partnership=world.b).versions.get()
    with pytest.raises(DomainError) as refused:
        record(world, other)
    assert refused.value.field == "version"
    partner_party = Party.objects.get(partnership=world.a, organization=partner)
    with pytest.raises(DomainError) as refused:
        services.deliberation_record(by=world.officer, party=partner_party, fields={
            "version": draft, "number": "X", "session_date": SESSION})  # fmt: skip
    assert refused.value.code == "deliberation_not_public"
    record(world, draft, document=SimpleUploadedFile("d.pdf", b"%PDF-1.4 deliberation"))
    with pytest.raises(DomainError) as refused:
        record(world, draft, number="D-2")
    assert refused.value.code == "deliberation_exists"
    with pytest.raises(AccessDenied):
        record(world, draft, by=world.auditor, number="D-3")
    assert Deliberation.objects.get().document_name == "d.pdf"
    # a deliberation on the draft counts for the lifecycle once that version is signed
    assert not deliberations_recorded(world.a, frozenset({world.a.lead_authority.pk}))


@pytest.mark.django_db
def test_the_lifecycle_fact(world: World, signed: ConventionVersion) -> None:
    ids = frozenset({world.a.lead_authority.pk})
    assert not deliberations_recorded(world.a, ids)
    deliberation = record(world, signed, transmitted_on=dt.date(2025, 7, 10))
    assert deliberations_recorded(world.a, ids)  # the objection window is long over
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "oversight": "objection", "objection_follow_up": "Seconde délibération"})  # fmt: skip
    assert not deliberations_recorded(world.a, ids)
    assert not deliberations_recorded(world.a, frozenset())


@pytest.mark.django_db
def test_demo_deliberations() -> None:
    from sharaka import demo
    from sharaka.conventions import selectors as convention_selectors
    from sharaka.partnerships import rules, selectors
    from sharaka.partnerships.models import Partnership

    demo.load_demo()
    sports = Partnership.objects.get(slug="complexe-sportif")
    facts = selectors.lifecycle_facts_get(partnership=sports)
    assert facts.deliberations_recorded
    assert "council_deliberations" not in rules.missing(
        rules.Status.NEGOTIATION, rules.Status.ACTIVE, facts
    )
    jobs = Partnership.objects.get(slug="programme-emploi-jeunes")
    assert not selectors.lifecycle_facts_get(partnership=jobs).deliberations_recorded
    view = convention_selectors.deliberations_view_get(user=None, partnership=jobs)
    rows = [row for item in view.parties for row in item.rows]
    assert len(rows) == 1 and rows[0].overdue and rows[0].state == "to_transmit"
    calendar = WorkingCalendar.objects.get(organization=sports.lead_authority)
    assert calendar.holidays.filter(demo=True).count() >= 10
    demo.load_demo()  # idempotent
    # complexe-sportif: 2 per version; emploi-jeunes: 1; base-de-plein-air: 2
    assert Deliberation.objects.count() == 7


# --- Entry into force gated on the deliberations (law 113-14 arts 92, 116-118) ------------


def _to_force(world: World, version: ConventionVersion) -> ConventionVersion:
    return services.version_transition(by=world.officer, version=version, to_status="in_force")


def _refused(world: World, version: ConventionVersion) -> str:
    with pytest.raises(DomainError) as refused:
        _to_force(world, version)
    assert (refused.value.code, refused.value.field) == ("deliberations_incomplete", "to_status")
    version.refresh_from_db()
    assert version.status == "signed"  # nothing changed
    return str(refused.value.message)


@pytest.mark.django_db
def test_entry_into_force_needs_each_public_partys_deliberation(
    world: World, signed: ConventionVersion
) -> None:
    lead = world.a.lead_authority.name
    assert f"{lead} : délibération du conseil non enregistrée" in _refused(world, signed)
    deliberation = record(world, signed)
    assert f"{lead} : transmission au gouverneur non enregistrée" in _refused(world, signed)
    today = dt.date.today()
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "session_date": today, "transmitted_on": today})  # fmt: skip
    assert "contrôle de tutelle en cours (jusqu'au" in _refused(world, signed)
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "oversight": "objection", "objection_follow_up": "Seconde délibération"})  # fmt: skip
    assert "opposition du gouverneur non réglée" in _refused(world, signed)
    services.deliberation_update(by=world.officer, deliberation=deliberation, fields={
        "oversight": "no_objection", "financial_effect": True, "visa": "refused"})  # fmt: skip
    assert "visa du gouverneur refusé" in _refused(world, signed)
    services.deliberation_update(by=world.officer, deliberation=deliberation,
                                 fields={"visa": "pending"})  # fmt: skip
    assert "contrôle de tutelle en cours" in _refused(world, signed)  # 20 days not over
    services.deliberation_update(by=world.officer, deliberation=deliberation,
                                 fields={"visa": "granted"})  # fmt: skip
    assert _to_force(world, signed).status == "in_force"


@pytest.mark.django_db
def test_a_visa_deemed_granted_lets_the_version_enter_into_force(
    world: World, signed: ConventionVersion
) -> None:
    record(world, signed, transmitted_on=dt.date(2025, 7, 10), oversight="no_objection",
           financial_effect=True)  # fmt: skip
    # the visa was never answered: deemed granted 20 days after the transmission
    assert _to_force(world, signed).status == "in_force"
