"""Conditions to move (issue 17): the pure table, the facts gathered from the other apps in
a fixed number of queries, the service that refuses naming every missing condition, and the
checklist on the status page."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from sharaka.conventions import services as convention_services
from sharaka.conventions.models import ConventionVersion
from sharaka.core.errors import DomainError
from sharaka.governance import services as governance_services
from sharaka.governance.models import Seat
from sharaka.partnerships import rules, selectors, services
from sharaka.partnerships.models import Party, StatusTransition
from sharaka.partnerships.rules import Facts, Status
from sharaka.planning.models import ActionPlan, PlanVersion
from tests.conftest import World
from tests.conventions.conftest import sign
from tests.factories import AssociationFactory, OrganizationFactory, PersonFactory
from tests.governance.conftest import START, add_parties, default_target
from tests.planning.conftest import make_decision

# ------------------------------------------------------------------------------ pure

ALL_MET = Facts(
    parties=3, board_composed=True, board_balanced=True, convention_signed_by_all=True,
    deliberations_recorded=True, action_plan_adopted=True,
    board_decisions=frozenset({"CA-2026-004"}), termination_ground="notice",
    wind_down_closed=True, final_accounts_approved=True,
)  # fmt: skip
BOOLEANS = [f.name for f in fields(Facts) if f.type in ("bool", bool)]


def test_every_condition_has_a_code_a_label_and_a_known_fix() -> None:
    codes = [c.code for conditions in rules.CONDITIONS.values() for c in conditions]
    assert "two_parties" in codes and "council_deliberations" in codes
    for (current, target), conditions in rules.CONDITIONS.items():
        assert rules.is_allowed(current, target)
        for condition in conditions:
            assert condition.code and condition.label
            assert condition.available or condition.fix is rules.Fix.NONE


def test_moves_without_conditions() -> None:
    for current, target in [(Status.NEGOTIATION, Status.DRAFT), (Status.ACTIVE, Status.SUSPENDED),
                            (Status.SUSPENDED, Status.ACTIVE)]:  # fmt: skip
        assert rules.missing(current, target, Facts()) == []


def test_activation_lists_every_missing_condition() -> None:
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, Facts(parties=1)) == [
        "two_parties", "board_composed", "board_balanced", "convention_signed",
        "council_deliberations", "action_plan_adopted",
    ]  # fmt: skip
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, ALL_MET) == []
    accepted = replace(ALL_MET, board_balanced=False, imbalance_accepted=True)
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, accepted) == []


def test_every_condition_can_be_recorded_now_and_blocks() -> None:
    """Wind-down and final accounts were "à venir" until the closure app recorded them
    (ADR 0018, 0026): every condition is now available and blocks its move."""
    today = Facts(parties=3, board_composed=True, board_balanced=True,
                  convention_signed_by_all=True, action_plan_adopted=True)  # fmt: skip
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, today) == ["council_deliberations"]
    assert rules.missing(Status.TERMINATING, Status.TERMINATED, today) == [
        "wind_down_closed", "final_accounts_approved",
    ]  # fmt: skip
    unavailable = {c.code for cs in rules.CONDITIONS.values() for c in cs if not c.available}
    assert unavailable == set()


def test_termination_needs_a_recorded_ground_and_expiry_no_decision() -> None:
    assert rules.missing(Status.ACTIVE, Status.TERMINATING, Facts()) == [
        "termination_ground", "termination_decision",
    ]  # fmt: skip
    expiry = Facts(termination_ground="expiry")
    assert rules.missing(Status.ACTIVE, Status.TERMINATING, expiry, "Fin de la convention") == []
    notice = Facts(termination_ground="notice")
    assert rules.missing(Status.SUSPENDED, Status.TERMINATING, notice, "Préavis") == [
        "termination_decision"
    ]


@pytest.mark.parametrize(
    ("note", "met"),
    [
        ("Résiliation décidée par la décision CA-2026-004.", True),
        ("ca-2026-004", True),
        ("Décision CA-2026-0041", False),
        ("Décision XCA-2026-004", False),
        ("Accord des parties", False),
        ("", False),
    ],
)
def test_termination_cites_a_recorded_board_decision(note: str, met: bool) -> None:
    for current in (Status.ACTIVE, Status.SUSPENDED):
        assert (rules.missing(current, Status.TERMINATING, ALL_MET, note) == []) is met
    # on the status page (no reason yet) a recorded decision is what can be cited
    assert rules.missing(Status.ACTIVE, Status.TERMINATING, ALL_MET) == []
    assert rules.missing(Status.ACTIVE, Status.TERMINATING, Facts()) == [
        "termination_ground", "termination_decision",
    ]  # fmt: skip


@given(st.fixed_dictionaries({name: st.booleans() for name in BOOLEANS}),
       st.integers(0, 5), st.sampled_from(BOOLEANS))  # fmt: skip
def test_more_facts_never_add_a_missing_condition(
    flags: dict[str, Any], parties: int, extra: str
) -> None:
    facts = Facts(parties=parties, **flags)
    more = replace(facts, **{extra: True})
    for current, target in rules.CONDITIONS:
        assert set(rules.missing(current, target, more)) <= set(
            rules.missing(current, target, facts)
        )
        checked = rules.check_move(current, target, facts)
        assert [
            c.condition.code for c in checked if not c.met and c.condition.available
        ] == rules.missing(current, target, facts)


# ---------------------------------------------------------------------- facts, queries


def _complete(world: World, *, deliberation: bool = True) -> None:
    """Partnership A with three parties, a full board, a convention signed by every party,
    the lead authority's council deliberation approving it (transmitted, no objection), an
    adopted action plan and one recorded decision."""
    association, company = add_parties(world)
    board = governance_services.board_create(
        by=world.admin, partnership=world.a,
        target=default_target(world.a.lead_authority, association, company), established_on=START,
    )  # fmt: skip
    for n, seat in enumerate(Seat.objects.filter(board=board).order_by("pk")):
        governance_services.mandate_create(
            by=world.admin, board=board, seat=seat, person=PersonFactory(gender="fm"[n % 2]),
            start_date=max(START, seat.established_on),
        )  # fmt: skip
    convention = convention_services.convention_create(by=world.officer, partnership=world.a)
    version = convention.versions.get(number=0)
    for organization in (association, company):
        convention_services.signatory_add(
            by=world.officer, version=version, organization=organization,
            person=PersonFactory(organization=organization), capacity="Président",
        )  # fmt: skip
    sign(world, version)
    if deliberation:
        _deliberate(world, version)
    plan = ActionPlan.objects.create(
        partnership=world.a, title="Plan", period_start=START, period_end=date(2027, 12, 31)
    )
    adoption = make_decision(world.a, "action_plan_adoption", title="Plan d'action")
    PlanVersion.objects.create(
        plan=plan, number=1, status="adopted", decision=adoption, adopted_on=adoption.decided_on
    )


def _deliberate(world: World, version: ConventionVersion, party: Party | None = None) -> None:
    party = party or Party.objects.get(partnership=world.a, organization=world.a.lead_authority)
    convention_services.deliberation_record(by=world.officer, party=party, fields={
        "version": version, "number": f"D-{party.pk}", "session_date": date(2025, 1, 6),
        "transmitted_on": date(2025, 1, 8), "oversight": "no_objection",
    })  # fmt: skip


@pytest.mark.django_db
def test_facts_of_a_bare_partnership(world: World) -> None:
    assert selectors.lifecycle_facts_get(partnership=world.a) == Facts(parties=1)


@pytest.mark.django_db
def test_facts_of_a_complete_partnership(world: World) -> None:
    _complete(world)
    facts = selectors.lifecycle_facts_get(partnership=world.a)
    assert facts.parties == 3
    assert facts.board_composed and facts.board_balanced
    assert facts.convention_signed_by_all and facts.action_plan_adopted
    assert facts.board_decisions == frozenset({"CA-2025-001"})
    assert facts.deliberations_recorded
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, facts) == []


@pytest.mark.django_db
def test_activation_waits_for_every_public_partys_deliberation(world: World) -> None:
    """The condition blocks: without the deliberation, or with a second authority among the
    parties that has not deliberated, activation is refused, naming it."""
    _complete(world, deliberation=False)
    facts = selectors.lifecycle_facts_get(partnership=world.a)
    assert rules.missing(Status.NEGOTIATION, Status.ACTIVE, facts) == ["council_deliberations"]
    world.a.status = "negotiation"
    world.a.save()
    with pytest.raises(DomainError) as error:
        services.partnership_transition(by=world.officer, partnership=world.a, to_status="active")
    assert "Délibération approuvant la convention" in str(error.value)
    version = ConventionVersion.objects.get(convention__partnership=world.a)
    _deliberate(world, version)
    services.partnership_transition(by=world.officer, partnership=world.a, to_status="active")
    world.a.refresh_from_db()
    assert world.a.status == "active"


@pytest.mark.django_db
def test_a_party_without_signatory_leaves_the_convention_unsigned(world: World) -> None:
    _complete(world)
    Party.objects.create(partnership=world.a, organization=AssociationFactory(), role="funder")
    facts = selectors.lifecycle_facts_get(partnership=world.a)
    assert facts.parties == 4 and not facts.convention_signed_by_all


def _queries(world: World) -> int:
    selectors.lifecycle_facts_get(partnership=world.a)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        selectors.lifecycle_facts_get(partnership=world.a)
    return len(queries)


@pytest.mark.django_db
def test_facts_cost_a_fixed_number_of_queries(world: World) -> None:
    _complete(world)
    small = _queries(world)
    for n in range(5):  # more parties, decisions, deliberations: the same count
        Party.objects.create(partnership=world.a, organization=AssociationFactory(), role="partner")
        make_decision(world.a, "other", title=f"Décision {n}")
        commune = Party.objects.create(
            partnership=world.a, role="partner", organization=OrganizationFactory(kind="commune")
        )
        _deliberate(world, ConventionVersion.objects.get(convention__partnership=world.a), commune)
    assert _queries(world) == small
    assert small <= 20, small
    print(f"lifecycle facts: {small} queries")


# ---------------------------------------------------------------------- service, page


@pytest.mark.django_db
def test_refused_move_names_every_missing_condition_and_changes_nothing(world: World) -> None:
    world.a.status = "negotiation"
    world.a.save()
    with pytest.raises(DomainError) as error:
        services.partnership_transition(by=world.officer, partnership=world.a, to_status="active")
    assert error.value.code == "conditions_not_met" and error.value.field == "to_status"
    for label in ("Au moins deux parties", "Conseil composé", "Convention signée",
                  "Plan d'action adopté"):  # fmt: skip
        assert label in str(error.value)
    assert "Délibération approuvant la convention" in str(error.value)
    world.a.refresh_from_db()
    assert world.a.status == "negotiation" and not StatusTransition.objects.exists()


@pytest.mark.django_db
def test_termination_is_recorded_through_the_closure_and_ends_only_when_wound_down(
    world: World,
) -> None:
    """The status page's move to termination needs a recorded ground (the closure page
    records it and moves in one transaction, ``tests/closure``); the move to terminated
    needs the wind-down closed and the final accounts approved."""
    world.a.status = "active"
    world.a.save()
    decision = make_decision(world.a, "other", title="Résiliation")
    with pytest.raises(DomainError) as error:
        services.partnership_transition(
            by=world.officer, partnership=world.a, to_status="terminating",
            note=f"Résiliation par accord des parties (décision {decision.number})",
        )  # fmt: skip
    assert "Motif de fin enregistré" in str(error.value)
    world.a.status = "terminating"
    world.a.save()
    with pytest.raises(DomainError) as error:
        services.partnership_transition(by=world.admin, partnership=world.a, to_status="terminated")
    assert "Liste de liquidation" in str(error.value) and "Comptes de clôture" in str(error.value)
    world.a.refresh_from_db()
    assert world.a.status == "terminating"


@pytest.mark.django_db
def test_status_page_shows_the_checklist_of_each_allowed_move(
    client_for: Any, world: World
) -> None:
    world.a.status = "negotiation"
    world.a.save()
    Party.objects.create(partnership=world.a, organization=AssociationFactory(), role="partner")
    page = client_for("officer").get("/partenariats/partenariat-a/statut/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-condition="two_parties" data-state="done"' in html
    assert 'data-condition="board_composed" data-state="missing"' in html
    assert 'data-condition="council_deliberations" data-state="missing"' in html
    assert "Loi organique 113-14" in html
    checklists = page.context["checklists"]
    assert [c.status for c in checklists] == ["draft", "active"]
    assert checklists[0].ready and not checklists[1].ready
    fixes = {i.code: i.fix_url for i in checklists[1].items}
    assert fixes["board_composed"] == "/partenariats/partenariat-a/conseil/"
    assert fixes["council_deliberations"] == "/partenariats/partenariat-a/convention/deliberations/"


@pytest.mark.django_db
def test_an_active_partnership_shows_whether_it_meets_the_conditions_of_being_active(
    client_for: Any, world: World
) -> None:
    world.a.status = "active"
    world.a.save()
    checklists = (
        client_for("officer").get("/partenariats/partenariat-a/statut/").context["checklists"]
    )
    assert [(c.status, c.standing) for c in checklists] == [
        ("suspended", False), ("terminating", False), ("active", True),
    ]  # fmt: skip
    assert not checklists[2].ready
    assert "two_parties" in [i.code for i in checklists[2].items if i.state == "missing"]
