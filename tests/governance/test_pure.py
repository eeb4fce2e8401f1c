"""Pure helpers of the boards: the composition planner, templates, fractions, charts."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from sharaka.governance import composition
from sharaka.governance.board_templates import TEMPLATES, PartyInfo, propose, template_for
from sharaka.governance.charts import step_chart
from sharaka.governance.composition import Group, SeatState
from sharaka.governance.fractions import normalize_share, parse_fraction, percent, validate_share

A = Group(1, "local_public", True)
B = Group(2, "associative", True)
B_ADVISORY = Group(2, "associative", False)
EXPERTS = Group(None, "experts", False)


def seats(*specs: tuple[int, Group, bool]) -> list[SeatState]:
    return [
        SeatState(id=i, group=g, occupied=o, gender="f" if o else "x", holder=f"P{i}")
        for i, g, o in specs
    ]


def test_plan_keeps_creates_and_abolishes_vacant_first():
    current = seats((1, A, True), (2, A, False), (3, A, False), (4, B, True))
    plan = composition.plan(current, {A: 2, B: 2})
    assert set(plan.keep) == {1, 2, 4}
    assert plan.abolish == (3,)
    assert plan.create == ((B, 1),)
    assert not plan.blocked and plan.changed


def test_plan_blocks_occupied_seats_and_moves_within_an_organisation():
    current = seats((1, A, True), (2, A, True), (3, B, True))
    plan = composition.plan(current, {A: 1, B_ADVISORY: 1})
    assert [s.id for s in plan.blocked] == [2]
    assert plan.move == ((3, B_ADVISORY),)


def test_plan_never_turns_an_expert_seat_into_a_voting_one():
    expert = SeatState(id=9, group=Group(2, "experts", False), occupied=True, expert=True)
    plan = composition.plan([expert], {B: 1})
    assert plan.blocked == (expert,)
    assert plan.create == ((B, 1),)


def test_plan_unchanged_and_negative():
    current = seats((1, A, False), (2, EXPERTS, False))
    assert not composition.plan(current, {A: 1, EXPERTS: 1}).changed
    with pytest.raises(ValueError):
        composition.plan(current, {A: -1})


def test_simulate_keeps_holders_and_adds_vacant_seats():
    current = seats((1, A, True), (2, B, True))
    result = composition.simulate(current, {A: 1, B: 3})
    assert [s.key for s in result] == ["s1", "s2", "new1", "new2"]
    assert [s.gender for s in result] == ["f", "f", "x", "x"]


def test_templates_by_category_and_complexity():
    assert template_for("socio_economic", "small").code == "socio_light"
    assert template_for("socio_economic", "associative").code == "socio_light"
    assert template_for("socio_economic", "large").code == "programme_wide"
    assert template_for("facility", "large").code == "facility_large"
    assert template_for("facility", "small").code == "facility_small"


def test_socio_light_proposes_the_authority_and_associations_only():
    parties = [
        PartyInfo(1, "Commune", "local_public", lead=True),
        PartyInfo(2, "Association", "associative"),
        PartyInfo(3, "Agence", "other_public"),
        PartyInfo(3, "Agence", "other_public"),  # a party in two roles is one row
    ]
    rows = propose(TEMPLATES["socio_light"], parties)
    assert [(r.organization_id, r.include) for r in rows] == [
        (1, True),
        (2, True),
        (3, False),
        (None, False),
    ]
    # the lead never outnumbers all the others: 1 other voting seat -> 1 lead seat
    assert rows[0].voting == 1


def test_large_facility_proposes_experts_and_a_private_operator():
    parties = [
        PartyInfo(1, "Commune", "local_public", lead=True),
        PartyInfo(2, "Opérateur", "private"),
        PartyInfo(3, "Asso", "associative"),
        PartyInfo(4, "Agence", "other_public"),
    ]
    rows = propose(TEMPLATES["facility_large"], parties)
    assert all(r.include for r in rows)
    assert rows[-1].organization_id is None and rows[-1].advisory == 2 and rows[-1].voting == 0
    assert rows[0].voting == 3  # 1 + 2 + 1 others: the lead keeps its 3 seats, not a majority


def test_fractions():
    assert parse_fraction("2/3") == Fraction(2, 3)
    assert parse_fraction("0,5") == Fraction(1, 2)
    assert normalize_share(" 4/6 ") == "2/3"
    for bad in ("", "a/b", "1/0", "-1/2", "1/2/3", "x"):
        with pytest.raises((ValueError, ZeroDivisionError)):
            parse_fraction(bad)
    with pytest.raises(ValidationError):
        validate_share("3/2")
    with pytest.raises(ValidationError):
        validate_share("0")
    assert percent(Fraction(1, 8)) == "12,5\xa0%"
    assert percent(Fraction(1, 2)) == "50\xa0%"
    assert percent(None) == "—"


def test_step_chart_is_svg_without_inline_style():
    svg = step_chart(
        [
            (date(2025, 1, 1), Fraction(1, 4)),
            (date(2025, 7, 1), Fraction(1, 2)),
            (date(2026, 11, 1), Fraction(1, 2)),
        ],
        target=Fraction(1, 3),
        title="Part des <femmes>",
        target_label="objectif 1/3",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style=" not in svg and "<script" not in svg
    assert "&lt;femmes&gt;" in svg  # text is escaped
    assert svg.count("<circle") == 3
    assert 'class="chart-point below"' in svg  # 25 % is under the target
    assert step_chart([], target=None, title="x") == ""
