"""Reads: rules in force, composition at a date, women's share over time, the demo boards."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import partial

import pytest
from django.core.exceptions import ImproperlyConfigured

from sharaka.conventions import selectors as conventions_selectors
from sharaka.finance import selectors as finance_selectors
from sharaka.governance import ports, selectors, services
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.models import Board, GovernanceSettings, Mandate, Seat
from sharaka.governance.rules.values import Method
from tests.governance.conftest import START
from tests.race import postgresql_only, race


def test_rules_in_force_defaults_without_writing(world):
    rules = selectors.rules_in_force_get(partnership=world.a)
    assert rules.source == "settings"
    rule = rules.decision_rule
    assert rule.method is Method.CONSENSUS
    assert rule.fallback is not None and rule.fallback.from_round == 2
    assert rule.fallback.rule.method is Method.QUALIFIED
    assert rule.fallback.rule.threshold == Fraction(2, 3)
    assert rule.effective_quorum.fraction == Fraction(1, 2)
    assert rules.balance_policy.max_seat_share_per_organization == Fraction(1, 2)
    assert rules.balance_policy.min_women_share == Fraction(1, 3)
    assert rules.gender_target == Fraction(1, 3)
    assert rules.notice_period_days == 15
    assert not GovernanceSettings.objects.exists()


def test_rules_in_force_prefer_the_convention(world, monkeypatch):
    from dataclasses import replace

    default = selectors.rules_in_force_get(partnership=world.a)
    owned = replace(default, source="convention:7", notice_period_days=10)
    calls = []

    def convention_rules_get(*, partnership, at):
        calls.append((partnership, at))
        return owned if partnership == world.a else None

    # conventions provides the port governance reads the convention's rules through
    assert ports.convention_rules.provider is conventions_selectors.convention_rules_get
    monkeypatch.setattr(ports.convention_rules, "_provider", convention_rules_get)
    assert selectors.rules_in_force_get(partnership=world.a, at=date(2026, 1, 1)) is owned
    assert calls == [(world.a, date(2026, 1, 1))]
    assert selectors.rules_in_force_get(partnership=world.b).source == "settings"


def test_contribution_shares_come_from_finance(world, monkeypatch):
    assert ports.contribution_shares.provider is finance_selectors.contribution_shares_get
    monkeypatch.setattr(ports.contribution_shares, "_provider", lambda p: {p.pk: Fraction(1)})
    assert selectors.contribution_shares_get(world.a) == {world.a.pk: Fraction(1)}


def test_a_port_nobody_provides_is_a_configuration_error(world, monkeypatch):
    monkeypatch.setattr(ports.convention_rules, "_provider", None)
    with pytest.raises(ImproperlyConfigured, match="rules of the convention"):
        selectors.rules_in_force_get(partnership=world.a)


def test_composition_at_dates_and_women_series(bw, woman, man):
    seat = bw.seat(bw.commune)
    first = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=man, start_date=START
    )
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=first, end_date=date(2025, 6, 30))
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=date(2025, 7, 1)
    )
    before = selectors.composition_get(partnership=bw.w.a, at=date(2025, 3, 1))
    after = selectors.composition_get(partnership=bw.w.a, at=date(2025, 8, 1))

    def holders(comp):
        return {row.holder.person for b in comp.colleges for row in b.seats if row.holder}

    assert holders(before) == {man} and holders(after) == {woman}
    assert before.analysis.women_voting == 0 and after.analysis.women_voting == 1
    assert after.analysis.voting_seats == 5
    points = dict(after.series)
    assert points[START] == Fraction(0) and points[date(2025, 7, 1)] == Fraction(1, 5)
    assert date(2025, 7, 1) in points  # the day after the last day of the first mandate
    assert selectors.composition_get(partnership=bw.w.a, at=date(2024, 1, 1)).seat_count == 0


def test_composition_without_board(world):
    comp = selectors.composition_get(partnership=world.a)
    assert comp.board is None and comp.analysis is None


def test_power_limit_is_explained(world):
    from sharaka.governance.analysis import AnalysisSeat, analyse

    rules = selectors.rules_in_force_get(partnership=world.a)
    seats = [
        AnalysisSeat(
            key=f"s{i}",
            organization_id=i,
            organization_name=f"Org {i}",
            college="associative",
            college_label="Associations",
            voting=True,
        )
        for i in range(1, 23)
    ]
    analysis = analyse(seats, rule=rules.decision_rule, policy=rules.balance_policy)
    assert "20 organisations au plus" in analysis.power_error
    assert all(row.banzhaf is None for row in analysis.organizations)
    assert analysis.organizations[0].seat_share == Fraction(1, 22)


def test_contribution_shares_none_without_contribution_data(world):
    assert selectors.contribution_shares_get(world.a) is None


# --- concurrency (PostgreSQL): row locks serialise appointments --------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_mandates_on_one_seat(bw, woman, man):
    """Two people appointed to one seat at once: the seat's lock lets one in."""
    seat = bw.seat(bw.commune)
    outcomes = race(
        *(
            partial(
                services.mandate_create,
                by=bw.w.admin,
                board=bw.board,
                seat=seat,
                person=person,
                start_date=START,
            )
            for person in (woman, man)
        )
    )
    assert sorted(outcomes) == sorted(["ok", Code.MANDATE_OVERLAP])
    assert Mandate.objects.filter(seat=seat).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_seats_for_one_person(bw, woman):
    """One person appointed to two seats of the board at once: the person's lock lets one
    in (the two seats' locks alone did not: both appointments passed)."""
    first, second = bw.seats(bw.commune)[:2]
    outcomes = race(
        *(
            partial(
                services.mandate_create,
                by=bw.w.admin,
                board=bw.board,
                seat=seat,
                person=woman,
                start_date=START,
            )
            for seat in (first, second)
        )
    )
    assert sorted(outcomes) == sorted(["ok", Code.PERSON_ALREADY_SEATED])
    assert Mandate.objects.filter(person=woman).count() == 1


# --- demo ---------------------------------------------------------------------------------------


def test_demo_boards(db):
    from sharaka.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    assert Board.objects.count() == 3
    sport = Board.objects.get(partnership__slug="complexe-sportif")
    comp = selectors.composition_get(partnership=sport.partnership)
    voting_colleges = {b.college.code for b in comp.colleges if any(r.seat.voting for r in b.seats)}
    assert len(voting_colleges) == 4
    experts = Seat.objects.filter(board=sport, voting=False, abolished_on__isnull=True)
    assert sorted(m.person.last_name for s in experts for m in s.mandates.all()) == [
        "Kettani",
        "Mansouri",
    ]
    assert {o.get_role_display() for o in comp.officers} >= {"Président·e", "Secrétaire"}
    assert len(comp.series) >= 3  # the chart has a history
    ended = Mandate.objects.filter(seat__board=sport, end_date__isnull=False).get()
    successor = Mandate.objects.get(seat=ended.seat, end_date__isnull=True)
    assert ended.end_date.year == 2025 and successor.person.gender == "f"
    small = selectors.composition_get(
        partnership=Board.objects.get(partnership__slug="base-de-plein-air").partnership
    )
    assert small.analysis.voting_seats == 4
    jobs = selectors.composition_get(
        partnership=Board.objects.get(partnership__slug="programme-emploi-jeunes").partnership
    )
    assert "organization_majority" in {v.code for v in jobs.analysis.violations}
    assert jobs.analysis.vacant_voting == 1  # the seat the user can remove to fix it
