"""The audit plan and its engagements (ADR 0034): generation from the audit clause, editing,
the auditor's time-bound access, the reproducible sample, the to-do item, each route."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.audit import plan_rules, plans, selectors
from sharaka.audit.models import Audit, AuditStatus
from sharaka.core import access
from sharaka.core.access import Perm, can, forget_grants
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.core.todo import Urgency
from sharaka.partnerships.models import GrantRole, PartnershipRole
from tests.audit.conftest import AuditWorld, FinWorld
from tests.conftest import ROLES
from tests.factories import UserFactory

# --- pure rules -------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(start=days, length=st.integers(0, 4000), months=st.integers(1, 60))
def test_plan_periods_cover_the_life_without_gap_or_overlap(
    start: date, length: int, months: int
) -> None:
    end = start + timedelta(days=length)
    periods = plan_rules.plan_periods(start, end, months)
    assert periods[0][0] == start and periods[-1][1] == end
    for (_a, last), (first, _b) in pairwise(periods):
        assert first == last + timedelta(days=1)
    for index, (first, last) in enumerate(periods):
        # each period starts on an anniversary of the start (month-end days kept in bounds)
        assert first == (start if index == 0 else plan_rules.add_months(start, months * index))
        assert first <= last < plan_rules.add_months(start, months * (index + 1))


@given(day=days, months=st.integers(-120, 120))
def test_add_months_keeps_the_day_within_the_month(day: date, months: int) -> None:
    moved = plan_rules.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day


def test_an_engagement_period_names_the_field_at_fault() -> None:
    life = {"life_start": date(2025, 1, 1), "life_end": date(2027, 12, 31)}
    assert plan_rules.engagement_problem(date(2025, 2, 1), date(2025, 3, 1), **life) is None
    assert plan_rules.engagement_problem(date(2025, 3, 1), date(2025, 2, 1), **life) == "ends_on"
    assert plan_rules.engagement_problem(date(2024, 12, 1), date(2025, 2, 1), **life) == "starts_on"
    assert plan_rules.engagement_problem(date(2027, 12, 1), date(2028, 1, 5), **life) == "ends_on"


def test_only_open_audits_are_overdue() -> None:
    today = date(2026, 5, 1)
    assert plan_rules.is_overdue("due", date(2026, 4, 30), today)
    assert plan_rules.is_overdue("in_progress", date(2026, 4, 30), today)
    assert not plan_rules.is_overdue("reported", date(2026, 4, 30), today)
    assert not plan_rules.is_overdue("due", date(2026, 5, 1), today)


# --- services ---------------------------------------------------------------------------------


def test_the_plan_follows_the_audit_clause_in_force(aw: AuditWorld) -> None:
    audits = list(Audit.objects.filter(partnership=aw.w.a).order_by("kind", "period_start"))
    assert [(a.kind, a.period_start, a.period_end) for a in audits] == [
        ("audit", date(y, 1, 1), date(y, 12, 31)) for y in (2025, 2026, 2027)
    ] + [("financial", date(y, 1, 1), date(y, 12, 31)) for y in (2025, 2026, 2027)]
    first = audits[0]
    assert first.due_on == date(2025, 12, 31) + timedelta(days=90)
    assert first.auditor_kind == "external" and first.status == AuditStatus.DUE
    assert first.source.startswith("convention:")
    # Generating again adds nothing and keeps what was edited.
    plans.audit_update(by=aw.w.coordinator, audit=first, fields={"scope": "Comptes 2025"})
    assert plans.plan_generate(by=aw.w.coordinator, partnership=aw.w.a) == 0
    first.refresh_from_db()
    assert first.scope == "Comptes 2025"


def test_without_a_convention_in_force_nothing_is_generated(fw: FinWorld) -> None:
    fw.w.a.start_date = date(2025, 1, 1)
    fw.w.a.save(update_fields=["start_date"])
    with pytest.raises(DomainError) as refused:
        plans.plan_generate(by=fw.w.coordinator, partnership=fw.w.a)
    assert refused.value.code == plans.Code.NO_CONVENTION
    assert not Audit.objects.exists()


def test_without_a_start_date_the_refusal_names_it(fw: FinWorld) -> None:
    with pytest.raises(DomainError) as refused:
        plans.plan_generate(by=fw.w.coordinator, partnership=fw.w.a)
    assert refused.value.field == "start_date"


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_only_the_officer_and_the_coordinator_edit_the_plan(aw: AuditWorld, role: str) -> None:
    with pytest.raises(AccessDenied):
        plans.plan_generate(by=aw.w.user(role), partnership=aw.w.a)
    with pytest.raises(AccessDenied):
        plans.audit_update(by=aw.w.user(role), audit=aw.audit(), fields={"scope": "x"})


def _engage(aw: AuditWorld, auditor: Any, starts: date, ends: date) -> Audit:
    return plans.audit_update(
        by=aw.w.coordinator,
        audit=aw.audit(),
        fields={"auditor": auditor, "starts_on": starts, "ends_on": ends},
    )


def test_the_auditor_reads_the_partnership_for_the_engagement_only(aw: AuditWorld) -> None:
    external = UserFactory(username="cabinet")
    today = timezone.localdate()
    _engage(aw, external, today - timedelta(days=10), today + timedelta(days=10))
    grant = PartnershipRole.objects.get(user=external, partnership=aw.w.a)
    assert grant.role == GrantRole.AUDITOR and grant.valid_until == today + timedelta(days=10)
    forget_grants(external)
    assert can(external, Perm.FINANCE_VIEW, aw.w.a)
    assert not can(external, Perm.EXPENSE_RECORD, aw.w.a)  # read-only
    assert not can(external, Perm.AUDIT_PLAN_CHANGE, aw.w.a)
    # After the end of the engagement: nothing, not even the partnership (404).
    _engage(aw, external, date(2025, 3, 1), date(2025, 3, 31))
    forget_grants(external)
    assert not can(external, Perm.PARTNERSHIP_VIEW, aw.w.a)
    assert not aw.w.a.__class__.objects.filter(access.partnership_scope(external)).exists()


def test_an_auditor_after_the_engagement_gets_404(aw: AuditWorld, client: Any) -> None:
    external = UserFactory(username="cabinet")
    _engage(aw, external, date(2025, 3, 1), date(2025, 3, 31))
    client.force_login(external)
    url = reverse("audit:plan", kwargs={"slug": aw.w.a.slug})
    assert client.get(url).status_code == 404
    assert client.get(reverse("finance:expenses", kwargs={"slug": aw.w.a.slug})).status_code == 404


def test_removing_the_auditor_removes_the_time_bound_grant(aw: AuditWorld) -> None:
    external = UserFactory(username="cabinet")
    today = timezone.localdate()
    _engage(aw, external, today, today)
    plans.audit_update(by=aw.w.coordinator, audit=aw.audit(), fields={"auditor": None})
    assert not PartnershipRole.objects.filter(user=external).exists()


def test_a_permanent_auditor_grant_is_never_narrowed(aw: AuditWorld) -> None:
    _engage(aw, aw.w.auditor, date(2025, 3, 1), date(2025, 3, 31))
    grant = PartnershipRole.objects.get(user=aw.w.auditor, partnership=aw.w.a)
    assert grant.valid_from is None and grant.valid_until is None


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        (date(2024, 12, 1), date(2025, 1, 31), "starts_on"),
        (date(2027, 12, 1), date(2028, 1, 31), "ends_on"),
        (date(2025, 3, 1), date(2025, 2, 1), "ends_on"),
        (None, date(2025, 2, 1), "starts_on"),
    ],
)
def test_an_engagement_outside_the_life_is_refused_and_nothing_changes(
    aw: AuditWorld, starts: date | None, ends: date, field: str
) -> None:
    external = UserFactory(username="cabinet")
    with pytest.raises(DomainError) as refused:
        _engage(aw, external, starts, ends)  # type: ignore[arg-type]
    assert refused.value.field == field
    audit = aw.audit()
    assert audit.auditor is None and audit.starts_on is None
    assert not PartnershipRole.objects.filter(user=external).exists()


def test_the_sample_is_reproducible_and_checkable(aw: AuditWorld) -> None:
    for i in range(8):
        aw.fw.record(f"{100 + i}.00", day=date(2025, 4, 1) + timedelta(days=i))
    _engage(aw, aw.w.auditor, date(2026, 1, 5), date(2026, 2, 5))
    audit = plans.sample_draw(by=aw.w.auditor, audit=aw.audit(), size=3, method="amount_weighted")
    assert len(audit.sample) == 3 and audit.sample_population == 8
    assert audit.status == AuditStatus.IN_PROGRESS
    assert plans.sample_checks(audit)
    again = plans.sample_draw(
        by=aw.w.auditor, audit=aw.audit(), size=3, method="amount_weighted", seed=audit.sample_seed
    )
    assert again.sample == audit.sample


def test_a_sample_larger_than_the_population_is_refused(aw: AuditWorld) -> None:
    aw.fw.record("100.00")
    _engage(aw, aw.w.auditor, date(2026, 1, 5), date(2026, 2, 5))
    with pytest.raises(DomainError) as refused:
        plans.sample_draw(by=aw.w.auditor, audit=aw.audit(), size=2, method="simple")
    assert refused.value.field == "size"
    audit = aw.audit()
    assert audit.sample == [] and audit.sample_seed is None


def test_no_sample_without_an_engagement(aw: AuditWorld) -> None:
    with pytest.raises(DomainError):
        plans.sample_draw(by=aw.w.auditor, audit=aw.audit(), size=1, method="simple")


# --- to-do -----------------------------------------------------------------------------------


def test_overdue_audits_are_on_the_coordinators_and_the_auditors_list(
    aw: AuditWorld, django_assert_num_queries: Any
) -> None:
    today = date(2026, 6, 1)  # the 2025 audits were due on 31/03/2026
    for role, count in (("coordinator", 2), ("board_member", 0), ("treasurer", 0)):
        user = aw.w.user(role)
        forget_grants(user)
        items = selectors.overdue_audits_todo(user, today)
        assert len(items) == count, role
    _engage(aw, aw.w.auditor, date(2026, 1, 5), date(2027, 12, 31))
    forget_grants(aw.w.auditor)
    items = selectors.overdue_audits_todo(aw.w.auditor, today)
    assert [i.urgency for i in items] == [Urgency.OVERDUE]
    # Fixed queries, whatever the number of overdue audits.
    user = aw.w.coordinator
    for day, count in ((today, 2), (date(2029, 1, 1), 6)):
        forget_grants(user)
        with django_assert_num_queries(3):
            assert len(selectors.overdue_audits_todo(user, day)) == count


# --- pages -----------------------------------------------------------------------------------

READERS = {"admin", "officer", "coordinator", "treasurer", "auditor"}
EDITORS = {"admin", "officer", "coordinator"}
SAMPLERS = {"admin", "officer", "coordinator", "auditor"}
SEE = READERS | {"board_member"}


def expected(role: str, allowed: set[str]) -> int:
    if role in allowed:
        return 200
    return 403 if role in SEE else 404


@pytest.mark.parametrize("role", ROLES)
def test_each_route_per_role(aw: AuditWorld, client_for: Any, role: str) -> None:
    slug, pk = aw.w.a.slug, aw.audit().pk
    _engage(aw, aw.w.auditor, date(2026, 1, 5), date(2027, 12, 31))
    client = client_for(role)
    plan = client.get(reverse("audit:plan", kwargs={"slug": slug}))
    assert plan.status_code == expected(role, READERS)
    if plan.status_code == 200:
        assert ("Établir le plan" in plan.content.decode()) == (role in EDITORS)
    page = client.get(reverse("audit:audit", kwargs={"slug": slug, "pk": pk}))
    assert page.status_code == expected(role, READERS)
    edit = client.get(reverse("audit:audit_edit", kwargs={"slug": slug, "pk": pk}))
    assert edit.status_code == expected(role, EDITORS)
    draw = client.get(reverse("audit:sample_draw", kwargs={"slug": slug, "pk": pk}))
    assert draw.status_code == expected(role, SAMPLERS)
    generate = client.post(reverse("audit:plan_generate", kwargs={"slug": slug}))
    assert generate.status_code == (302 if role in EDITORS else expected(role, EDITORS))


def test_the_edit_form_shows_a_refusal_on_its_field(aw: AuditWorld, client_for: Any) -> None:
    url = reverse("audit:audit_edit", kwargs={"slug": aw.w.a.slug, "pk": aw.audit().pk})
    response = client_for("coordinator").post(url, {
        "status": "planned", "due_on": "2026-03-31", "auditor": str(aw.w.auditor.pk),
        "starts_on": "2024-06-01", "ends_on": "2025-01-31",
    })  # fmt: skip
    assert response.status_code == 200
    assert "starts_on" in response.context["form"].errors
    assert aw.audit().auditor is None


def test_the_sample_page_draws_and_shows_it(aw: AuditWorld, client_for: Any) -> None:
    for i in range(4):
        aw.fw.record(f"{200 + i}.00", day=date(2025, 5, 1))
    _engage(aw, aw.w.auditor, date(2026, 1, 5), date(2027, 12, 31))
    client = client_for("auditor")
    kwargs = {"slug": aw.w.a.slug, "pk": aw.audit().pk}
    response = client.post(reverse("audit:sample_draw", kwargs=kwargs),
                           {"method": "simple", "size": "2", "seed": "7"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("audit:audit", kwargs=kwargs)).content.decode()
    assert "graine 7" in page and "identique" in page
    too_many = client.post(reverse("audit:sample_draw", kwargs=kwargs),
                           {"method": "simple", "size": "9"})  # fmt: skip
    assert too_many.status_code == 200 and "size" in too_many.context["form"].errors


def test_the_plan_page_in_fixed_queries(aw: AuditWorld, client_for: Any,
                                        django_assert_max_num_queries: Any) -> None:  # fmt: skip
    client = client_for("coordinator")
    url = reverse("audit:plan", kwargs={"slug": aw.w.a.slug})
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    aw.w.a.end_date = date(2035, 12, 31)
    aw.w.a.save(update_fields=["end_date"])
    plans.plan_generate(by=aw.w.coordinator, partnership=aw.w.a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
