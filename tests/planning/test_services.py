"""Action plan services: each rule, success and refusals, adoption and revision,
immutability of adopted versions (services and ``save()``), the plan in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.planning import selectors, services
from sharaka.planning.models import (
    Activity,
    BudgetAmount,
    BudgetLine,
    Objective,
    PlanVersion,
    VersionStatus,
)
from sharaka.planning.rules import DeadlineState
from tests.factories import OrganizationFactory, PersonFactory
from tests.planning.conftest import END, START, PlanWorld, make_decision

pytestmark = pytest.mark.django_db


# --- Plans -----------------------------------------------------------------------------------


def test_plan_create_makes_a_draft_version(pw: PlanWorld) -> None:
    assert pw.version.number == 1 and pw.version.status == VersionStatus.DRAFT
    assert pw.plan.currency == "MAD"
    assert pw.plan.years == [2025, 2026, 2027]


def test_plan_period_must_be_ordered(pw: PlanWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(
            by=pw.w.officer,
            partnership=pw.w.a,
            fields={"title": "X", "period_start": date(2030, 1, 1), "period_end": date(2029, 1, 1)},
        )
    assert "period_end" in caught.value.errors


def test_plans_of_a_partnership_do_not_overlap(pw: PlanWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(
            by=pw.w.officer,
            partnership=pw.w.a,
            fields={
                "title": "X",
                "period_start": date(2027, 1, 1),
                "period_end": date(2029, 12, 31),
            },
        )
    assert "period_start" in caught.value.errors
    services.plan_create(
        by=pw.w.officer,
        partnership=pw.w.a,
        fields={
            "title": "Suivant",
            "period_start": date(2028, 1, 1),
            "period_end": date(2030, 12, 31),
        },
    )


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_readers_may_not_create_a_plan(pw: PlanWorld, role: str) -> None:
    with pytest.raises(AccessDenied):
        services.plan_create(
            by=pw.w.user(role),
            partnership=pw.w.a,
            fields={
                "title": "X",
                "period_start": date(2030, 1, 1),
                "period_end": date(2030, 12, 31),
            },
        )


def test_outsider_gets_not_found(pw: PlanWorld) -> None:
    with pytest.raises(NotFound):
        services.plan_create(by=pw.w.outsider, partnership=pw.w.a, fields={})
    with pytest.raises(NotFound):
        services.activity_create(by=pw.w.other_officer, version=pw.version, fields={})


def test_plan_period_change_must_keep_activities_inside(pw: PlanWorld) -> None:
    pw.activity("A1.1", start_date=date(2025, 2, 1), end_date=date(2025, 6, 30))
    with pytest.raises(DomainError) as caught:
        services.plan_update(
            by=pw.w.coordinator, plan=pw.plan, fields={"period_start": date(2025, 3, 1)}
        )
    assert caught.value.code == "plan_period_excludes_activity"
    services.plan_update(by=pw.w.coordinator, plan=pw.plan, fields={"title": "Nouveau titre"})


def test_plan_period_is_locked_once_adopted(pw: PlanWorld) -> None:
    pw.activity()
    pw.adopt()
    with pytest.raises(DomainError) as caught:
        services.plan_update(
            by=pw.w.coordinator, plan=pw.plan, fields={"period_end": date(2028, 12, 31)}
        )
    assert caught.value.code == "plan_period_locked"


# --- Activities ------------------------------------------------------------------------------


def test_activity_code_unique_within_a_version(pw: PlanWorld) -> None:
    pw.activity("A1.1")
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("a1.1")  # normalised to upper case
    assert "code" in caught.value.errors


def test_activity_code_unique_in_the_database(pw: PlanWorld) -> None:
    first = pw.activity("A1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            version=pw.version,
            objective=pw.objective,
            code=first.code,
            title="Doublon",
            start_date=first.start_date,
            end_date=first.end_date,
        )


def test_same_code_in_another_version_is_fine(pw: PlanWorld) -> None:
    pw.activity("A1.1")
    pw.adopt()
    draft = services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    assert Activity.objects.filter(version=draft, code="A1.1").exists()


def test_activity_code_format(pw: PlanWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("1.2")
    assert "code" in caught.value.errors


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2024, 12, 31), date(2025, 3, 1), "start_date"),
        (date(2027, 6, 1), date(2028, 1, 1), "end_date"),
        (date(2025, 6, 1), date(2025, 5, 1), "end_date"),
    ],
)
def test_activity_dates_within_the_plan_period(
    pw: PlanWorld, start: date, end: date, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("A1.1", start_date=start, end_date=end)
    assert field in caught.value.errors


def test_activity_on_the_period_bounds_is_fine(pw: PlanWorld) -> None:
    activity = pw.activity("A1.1", start_date=START, end_date=END)
    assert activity.pk


def test_activity_update_checks_dates(pw: PlanWorld) -> None:
    activity = pw.activity()
    with pytest.raises(ValidationFailed):
        services.activity_update(
            by=pw.w.coordinator, activity=activity, fields={"end_date": date(2029, 1, 1)}
        )
    services.activity_update(by=pw.w.coordinator, activity=activity, fields={"title": "Renommée"})
    activity.refresh_from_db()
    assert activity.title == "Renommée"


def test_responsible_is_an_organisation_or_a_staff_member(pw: PlanWorld) -> None:
    activity = pw.activity("A1.1", responsible_organization=pw.association)
    assert activity.responsible == pw.association
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("A1.2", responsible_organization=OrganizationFactory())
    assert "responsible_organization" in caught.value.errors
    stranger = PersonFactory()
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("A1.3", responsible_person=stranger)
    assert "responsible_person" in caught.value.errors


def test_responsible_staff_member(pw: PlanWorld) -> None:
    from sharaka.structure import services as structure_services

    structure = structure_services.structure_set(
        by=pw.w.coordinator, partnership=pw.w.a, fields={"kind": "light"}
    )
    person = PersonFactory()
    structure_services.staff_add(
        by=pw.w.coordinator,
        structure=structure,
        fields={
            "person": person,
            "role": "coordinator",
            "origin_organization": pw.association,
            "time_share": Decimal(50),
            "start_date": date(2025, 1, 1),
        },
    )
    activity = pw.activity("A1.1", responsible_person=person)
    assert activity.responsible == person
    with pytest.raises(ValidationFailed):
        pw.activity("A1.2", responsible_person=person, responsible_organization=pw.association)


def test_objective_of_another_version_is_refused(pw: PlanWorld) -> None:
    other = services.plan_create(
        by=pw.w.coordinator,
        partnership=pw.w.a,
        fields={
            "title": "Autre",
            "period_start": date(2028, 1, 1),
            "period_end": date(2028, 12, 31),
        },
    )
    objective = services.objective_create(
        by=pw.w.coordinator, version=other.versions.get(), fields={"title": "Autre"}
    )
    with pytest.raises(ValidationFailed) as caught:
        pw.activity("A1.1", objective=objective)
    assert "objective" in caught.value.errors


def test_objective_with_activities_is_not_deleted(pw: PlanWorld) -> None:
    pw.activity()
    with pytest.raises(DomainError):
        services.objective_delete(by=pw.w.coordinator, objective=pw.objective)
    empty = services.objective_create(
        by=pw.w.coordinator, version=pw.version, fields={"title": "Vide"}
    )
    services.objective_delete(by=pw.w.coordinator, objective=empty)
    assert not Objective.objects.filter(pk=empty.pk).exists()


# --- Budget lines ----------------------------------------------------------------------------


def test_budget_line_with_amounts_by_year(pw: PlanWorld) -> None:
    activity = pw.activity()
    line = pw.line(
        activity, "equipment", "Matériel", {2025: Decimal("1500.50"), 2026: "2000", 2027: None}
    )
    assert line.activity == activity
    assert {a.year: a.amount for a in line.amounts.all()} == {
        2025: Decimal("1500.50"),
        2026: Decimal("2000.00"),
    }
    assert line.total == Decimal("3500.50")


def test_budget_year_within_the_plan_period(pw: PlanWorld) -> None:
    activity = pw.activity()
    with pytest.raises(ValidationFailed) as caught:
        pw.line(activity, amounts={2028: Decimal(10)})
    assert "amount_2028" in caught.value.errors


@pytest.mark.parametrize("amount", ["-1", "abc", "1.234", "NaN"])
def test_budget_amount_is_a_positive_money_amount(pw: PlanWorld, amount: str) -> None:
    activity = pw.activity()
    with pytest.raises(ValidationFailed):
        pw.line(activity, amounts={2025: amount})


def test_budget_line_belongs_to_exactly_one_activity(pw: PlanWorld) -> None:
    activity = pw.activity()
    other = pw.activity("A1.2")
    line = pw.line(activity)
    with pytest.raises(ValidationFailed):  # the activity is not a field that can change
        services.budget_line_update(by=pw.w.coordinator, line=line, fields={"activity": other})
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(activity=None, category="staff")  # type: ignore[misc]


def test_budget_line_category_and_label_unique_per_activity(pw: PlanWorld) -> None:
    activity = pw.activity()
    pw.line(activity, "staff", "Salaires")
    with pytest.raises(ValidationFailed) as caught:
        pw.line(activity, "staff", "Salaires")
    assert "label" in caught.value.errors
    pw.line(activity, "staff", "Primes")


def test_budget_line_update_replaces_amounts(pw: PlanWorld) -> None:
    line = pw.line(pw.activity(), amounts={2025: 100, 2026: 200})
    services.budget_line_update(
        by=pw.w.coordinator, line=line, fields={"label": "Nouveau"}, amounts={2026: 250, 2027: 300}
    )
    assert dict(line.amounts.values_list("year", "amount")) == {
        2026: Decimal(250),
        2027: Decimal(300),
    }


# --- Adoption --------------------------------------------------------------------------------


def test_adoption_puts_the_version_in_force(pw: PlanWorld) -> None:
    pw.activity()
    version = pw.adopt(on=date(2025, 3, 1))
    assert version.status == VersionStatus.ADOPTED
    assert version.adopted_on == date(2025, 3, 1) and version.decision is not None
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2025, 3, 1)) == version
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2025, 2, 28)) is None
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2028, 1, 1)) is None


def test_adoption_refuses_a_decision_of_another_partnership(pw: PlanWorld) -> None:
    pw.activity()
    decision = make_decision(pw.w.b, "action_plan_adoption")
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=pw.version, decision=decision)
    assert caught.value.code == "decision_other_partnership"


@pytest.mark.parametrize("kind", ["delegation", "other", "officer_appointment"])
def test_adoption_refuses_a_decision_of_another_kind(pw: PlanWorld, kind: str) -> None:
    pw.activity()
    decision = make_decision(pw.w.a, kind)
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=pw.version, decision=decision)
    assert caught.value.code == "decision_wrong_kind"


def test_adoption_refuses_a_version_that_is_not_a_draft(pw: PlanWorld) -> None:
    pw.activity()
    pw.adopt()
    decision = make_decision(pw.w.a, "action_plan_adoption", on=date(2025, 4, 1))
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=pw.version, decision=decision)
    assert caught.value.code == "plan_version_not_draft"


def test_adoption_refuses_an_empty_plan_and_a_used_decision(pw: PlanWorld) -> None:
    decision = make_decision(pw.w.a, "action_plan_adoption")
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=pw.version, decision=decision)
    assert caught.value.code == "plan_version_empty"
    pw.activity()
    services.plan_version_adopt(by=pw.w.coordinator, version=pw.version, decision=decision)
    draft = services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=draft, decision=decision)
    assert caught.value.code == "decision_already_used"


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_only_plan_changers_record_the_adoption(pw: PlanWorld, role: str) -> None:
    pw.activity()
    decision = make_decision(pw.w.a, "action_plan_adoption")
    with pytest.raises(AccessDenied):
        services.plan_version_adopt(by=pw.w.user(role), version=pw.version, decision=decision)


def test_revision_then_adoption_supersedes_the_version_in_force(pw: PlanWorld) -> None:
    activity = pw.activity()
    pw.line(activity, amounts={2025: 100, 2026: 200})
    first = pw.adopt(on=date(2025, 3, 1))
    draft = services.plan_version_revise(by=pw.w.coordinator, version=first, note="Révision")
    assert (draft.number, draft.status, draft.based_on_id) == (2, VersionStatus.DRAFT, first.pk)
    copied = Activity.objects.get(version=draft, code="A1.1")
    assert copied.objective.version_id == draft.pk
    assert BudgetAmount.objects.filter(line__activity=copied).count() == 2
    # The version in force stays in force until the revision is adopted.
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2026, 1, 1)) == first
    with pytest.raises(DomainError) as caught:
        services.plan_version_revise(by=pw.w.coordinator, version=first)
    assert caught.value.code == "plan_draft_exists"
    services.activity_update(by=pw.w.coordinator, activity=copied, fields={"title": "Révisée"})
    second = pw.adopt(draft, on=date(2026, 2, 1))
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_on == date(2026, 2, 1)
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2026, 1, 31)) == first
    assert selectors.plan_in_force_get(partnership=pw.w.a, at=date(2026, 2, 1)) == second
    assert Activity.objects.get(version=first, code="A1.1").title == "Activité A1.1"


def test_revision_decision_cannot_predate_the_version_in_force(pw: PlanWorld) -> None:
    pw.activity()
    first = pw.adopt(on=date(2025, 6, 1))
    draft = services.plan_version_revise(by=pw.w.coordinator, version=first)
    older = make_decision(pw.w.a, "action_plan_adoption", on=date(2025, 5, 1))
    with pytest.raises(DomainError) as caught:
        services.plan_version_adopt(by=pw.w.coordinator, version=draft, decision=older)
    assert caught.value.code == "decision_before_in_force"


def test_only_the_version_in_force_is_revised(pw: PlanWorld) -> None:
    with pytest.raises(DomainError) as caught:
        services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    assert caught.value.code == "plan_version_not_adopted"


def test_a_draft_revision_can_be_discarded_not_the_first_version(pw: PlanWorld) -> None:
    pw.line(pw.activity())
    first = pw.adopt()
    draft = services.plan_version_revise(by=pw.w.coordinator, version=first)
    services.plan_version_discard(by=pw.w.coordinator, version=draft)
    assert not PlanVersion.objects.filter(pk=draft.pk).exists()
    with pytest.raises(DomainError):
        services.plan_version_discard(by=pw.w.coordinator, version=first)


# --- Immutability of adopted versions --------------------------------------------------------


@pytest.fixture
def adopted(pw: PlanWorld) -> tuple[PlanWorld, Activity, BudgetLine]:
    activity = pw.activity()
    line = pw.line(activity)
    pw.adopt()
    return pw, activity, line


def test_services_refuse_to_change_an_adopted_version(
    adopted: tuple[PlanWorld, Activity, BudgetLine],
) -> None:
    pw, activity, line = adopted
    by = pw.w.coordinator
    attempts = [
        lambda: pw.activity("A1.2"),
        lambda: services.activity_update(by=by, activity=activity, fields={"title": "X"}),
        lambda: services.activity_delete(by=by, activity=activity),
        lambda: services.objective_create(by=by, version=pw.version, fields={"title": "X"}),
        lambda: services.objective_update(by=by, objective=pw.objective, fields={"title": "X"}),
        lambda: pw.line(activity, "other"),
        lambda: services.budget_line_update(by=by, line=line, fields={"label": "X"}),
        lambda: services.budget_line_delete(by=by, line=line),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as caught:
            attempt()
        assert caught.value.code == "plan_version_frozen"


def test_save_refuses_to_change_an_adopted_version(
    adopted: tuple[PlanWorld, Activity, BudgetLine],
) -> None:
    pw, activity, line = adopted
    activity.refresh_from_db()
    activity.title = "Réécrite"
    with pytest.raises(DomainError):
        activity.save()
    with pytest.raises(DomainError):
        activity.delete()
    line.label = "Réécrite"
    with pytest.raises(DomainError):
        line.save()
    amount = line.amounts.get()
    amount.amount = Decimal(1)
    with pytest.raises(DomainError):
        amount.save()
    with pytest.raises(DomainError):
        BudgetAmount.objects.create(line=line, year=2026, amount=Decimal(5))
    version = PlanVersion.objects.get(pk=pw.version.pk)
    version.note = "Réécrite"
    with pytest.raises(DomainError):
        version.save()
    with pytest.raises(DomainError):
        version.delete()
    objective = Objective.objects.get(pk=pw.objective.pk)
    objective.title = "Réécrit"
    with pytest.raises(DomainError):
        objective.save()


def test_superseded_version_never_changes(adopted: tuple[PlanWorld, Activity, BudgetLine]) -> None:
    pw, activity, _line = adopted
    draft = services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    pw.adopt(draft, on=date(2025, 9, 1))
    old = PlanVersion.objects.get(pk=pw.version.pk)
    assert old.status == VersionStatus.SUPERSEDED
    old.status = VersionStatus.ADOPTED
    with pytest.raises(DomainError):
        old.save(update_fields=["status"])
    with pytest.raises(DomainError):
        services.activity_progress_record(
            by=pw.w.coordinator, activity=activity, status="done", progress=100
        )


def test_progress_of_the_version_in_force_is_tracked(
    adopted: tuple[PlanWorld, Activity, BudgetLine],
) -> None:
    pw, activity, _line = adopted
    services.activity_progress_record(
        by=pw.w.coordinator, activity=activity, status="in_progress", progress=40
    )
    activity.refresh_from_db()
    assert (activity.status, activity.progress) == ("in_progress", 40)
    with pytest.raises(ValidationFailed):
        services.activity_progress_record(
            by=pw.w.coordinator, activity=activity, status="done", progress=101
        )
    with pytest.raises(AccessDenied):
        services.activity_progress_record(
            by=pw.w.auditor, activity=activity, status="done", progress=100
        )


# --- Adoption deadline -----------------------------------------------------------------------


def test_deadline_not_applicable_without_convention(pw: PlanWorld) -> None:
    deadline = selectors.adoption_deadline_get(partnership=pw.w.a, today=date(2026, 1, 1))
    assert deadline.state is DeadlineState.NOT_APPLICABLE


def test_deadline_from_the_convention_in_force(
    pw: PlanWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    monkeypatch.setattr(
        selectors, "convention_entry_into_force", lambda partnership: date(2025, 1, 1)
    )
    real = selectors.rules_in_force_get  # planning reads the rules in force from governance
    monkeypatch.setattr(
        selectors,
        "rules_in_force_get",
        lambda **kw: replace(real(**kw), plan_adoption_deadline_days=60),
    )
    missed = selectors.adoption_deadline_get(partnership=pw.w.a, today=date(2025, 3, 3))
    assert missed.state is DeadlineState.MISSED and missed.deadline == date(2025, 3, 2)
    pw.activity()
    pw.adopt(on=date(2025, 3, 10))
    late = selectors.adoption_deadline_get(partnership=pw.w.a, today=date(2025, 4, 1))
    assert late.state is DeadlineState.LATE


def test_entry_into_force_read_from_conventions(pw: PlanWorld) -> None:
    from sharaka.conventions import services as convention_services
    from tests.conventions.conftest import sign

    convention = convention_services.convention_create(by=pw.w.officer, partnership=pw.w.a)
    version = convention.versions.get(number=0)
    sign(pw.w, version, effective=date(2025, 1, 1))
    assert selectors.convention_entry_into_force(partnership=pw.w.a) == date(2025, 1, 1)
    deadline = selectors.adoption_deadline_get(partnership=pw.w.a, today=date(2026, 1, 1))
    assert deadline.entry_into_force == date(2025, 1, 1)
