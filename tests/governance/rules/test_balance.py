"""Board balance: composition checks and their plain-language messages (no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sharaka.governance.rules import Gender, Member, Method, Policy, Rule, RulesInputError, balance
from sharaka.governance.rules.power import MAX_BLOCS


def seat(
    i: str,
    org: str,
    college: str = "local_public",
    gender: Gender = Gender.M,
    *,
    voting: bool = True,
) -> Member:
    return Member(id=i, organization=org, college=college, voting=voting, gender=gender)


# Commune A holds 5 of 9 voting seats.
DOMINATED = [
    seat("a1", "Commune A", gender=Gender.F),
    seat("a2", "Commune A"),
    seat("a3", "Commune A"),
    seat("a4", "Commune A"),
    seat("a5", "Commune A"),
    seat("b1", "Association B", "associative", Gender.F),
    seat("b2", "Association C", "associative"),
    seat("c1", "Entreprise D", "private"),
    seat("c2", "Province", "other_public", Gender.F),
    seat("x1", "Expert", "experts", voting=False),
    seat("x2", "Expert", "experts", voting=False),
]
ABSOLUTE = Rule(method=Method.ABSOLUTE)


def codes(findings: object) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]


def test_majority_holder_is_reported_in_plain_language() -> None:
    report = balance(DOMINATED, ABSOLUTE, Policy())
    assert not report.ok
    assert codes(report.violations) == ["organization_majority", "dictator"]
    assert report.violations[0].message == (
        "Commune A détient 5 sièges sur 9 : elle peut adopter seule toute décision "
        "à la majorité absolue."
    )
    assert report.violations[1].message == (
        "Commune A peut adopter seule toute décision selon la règle du conseil (majorité absolue)."
    )
    assert report.seat_shares["Commune A"] == Fraction(5, 9)
    assert report.women_share == Fraction(3, 9)  # experts are not counted
    assert report.power is not None and report.power.dictators == ("Commune A",)
    assert report.as_dict()["seat_shares"]["Commune A"] == pytest.approx(5 / 9)


def test_messages_in_three_languages_and_display_names() -> None:
    names = {"Commune A": "la commune d'Ifrane"}
    fr = balance(DOMINATED, ABSOLUTE, Policy(), "fr", names=names)
    en = balance(DOMINATED, ABSOLUTE, Policy(), "en")
    ar = balance(DOMINATED, ABSOLUTE, Policy(), "ar")
    assert fr.violations[0].message.startswith("la commune d'Ifrane détient 5 sièges sur 9")
    assert en.violations[0].message == (
        "Commune A holds 5 of 9 seats: it can adopt any decision by absolute majority on its own."
    )
    assert "المطلقة" in ar.violations[0].message
    assert codes(fr.violations) == codes(en.violations) == codes(ar.violations)


def test_qualified_majority_removes_the_dictator_but_keeps_a_veto() -> None:
    two_thirds = Rule(method=Method.QUALIFIED, threshold=Fraction(2, 3))
    report = balance(DOMINATED, two_thirds, Policy())
    assert codes(report.violations) == ["organization_majority"]
    assert codes(report.warnings) == ["veto"]
    assert report.warnings[0].message == (
        "Commune A peut bloquer seule toute décision selon la règle du conseil "
        "(majorité qualifiée)."
    )


def test_balanced_board_is_ok() -> None:
    members = [
        seat("a1", "Commune", gender=Gender.F),
        seat("a2", "Commune"),
        seat("b1", "Asso1", "associative", Gender.F),
        seat("b2", "Asso2", "associative"),
        seat("c1", "Firm", "private", Gender.X),
        seat("x", "Expert", "experts", voting=False),
    ]
    policy = Policy(required_colleges=("local_public", "associative"), max_non_voting=1)
    report = balance(members, ABSOLUTE, policy, "en")
    assert report.ok and report.violations == () and report.warnings == ()
    assert report.women_share == Fraction(2, 5)  # gender x counts in the denominator
    assert report.seat_shares["Commune"] == Fraction(2, 5)


def test_composition_violations() -> None:
    members = [
        seat("a", "A"),
        seat("b", "B"),
        seat("c", "C", gender=Gender.F),
        seat("x1", "E", voting=False),
        seat("x2", "E", voting=False),
    ]
    policy = Policy(
        max_seat_share_per_organization=Fraction(1, 4),
        min_women_share=Fraction(1, 2),
        required_colleges=("associative",),
        max_non_voting=1,
        warn_veto=False,
    )
    report = balance(members, ABSOLUTE, policy, "en")
    assert codes(report.violations) == [
        "organization_majority",
        "organization_majority",
        "organization_majority",
        "women_share_below_target",
        "college_missing",
        "too_many_non_voting",
    ]
    assert report.violations[0].message == (
        "A holds 1 of 3 seats (33.3%), more than the maximum of 1/4 of the seats."
    )
    assert report.violations[3].message == (
        "Women hold 1 of the 3 voting seats (33.3%), below the target of 1/2."
    )
    assert (
        report.violations[4].message == "The associative college has no voting member on the board."
    )
    assert report.violations[5].message == (
        "Members sitting without a vote: 2, more than the maximum of 1."
    )


def test_dictator_check_can_be_disabled() -> None:
    report = balance(DOMINATED, ABSOLUTE, Policy(no_dictator=False))
    assert codes(report.violations) == ["organization_majority"]
    assert codes(report.warnings) == ["veto"]  # still able to block alone


def test_beyond_the_power_limit_checks_still_run() -> None:
    members = [seat(f"m{k}", f"o{k}") for k in range(MAX_BLOCS + 5)]
    members += [seat(f"big{k}", "big") for k in range(30)]
    report = balance(members, ABSOLUTE, Policy(min_women_share=Fraction(0)))
    assert report.power is None
    assert report.as_dict()["power"] is None
    assert codes(report.violations) == ["organization_majority", "dictator"]


def test_bad_language() -> None:
    with pytest.raises(RulesInputError, match=r"^lang:"):
        balance(DOMINATED, ABSOLUTE, Policy(), "es")
