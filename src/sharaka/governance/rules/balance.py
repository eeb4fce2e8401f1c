"""Board composition checks (M5, M6, M12): seat shares, women's share, colleges, experts,
and whether one organisation can adopt or block decisions alone under the board's rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from sharaka.governance.rules import explain
from sharaka.governance.rules.power import MAX_BLOCS, board_game, power_board
from sharaka.governance.rules.values import (
    BalanceReport,
    Bloc,
    Finding,
    Gender,
    Member,
    Policy,
    PowerResult,
    Rule,
    RulesInputError,
    check_lang,
    frozen_mapping,
)


def balance(
    members: Sequence[Member],
    rule: Rule,
    policy: Policy,
    lang: str = "fr",
    *,
    names: Mapping[str, str] | None = None,
) -> BalanceReport:
    """Check a board against a policy. ``names`` maps organisation ids to display names
    for the messages (the id is used otherwise)."""
    check_lang(lang)
    if not isinstance(policy, Policy):
        raise RulesInputError("policy", "must be a policy")
    game = board_game(members, rule, Bloc.ORGANIZATION)  # validates members and rule

    def name(org: str) -> str:
        return (names or {}).get(org, org)

    voting = [m for m in members if m.voting]
    total = len(voting)
    seats = Counter(m.organization for m in voting)
    shares = {org: Fraction(count, total) for org, count in seats.items()}
    women = sum(1 for m in voting if m.gender is Gender.F)
    women_share = Fraction(women, total) if total else Fraction(0)
    method = explain.method_name(rule.method, lang)

    violations: list[Finding] = []
    warnings: list[Finding] = []
    for org, share in shares.items():
        if share > policy.max_seat_share_per_organization:
            key = (
                "organization_majority_absolute"
                if share > Fraction(1, 2)
                else ("organization_majority")
            )
            violations.append(
                Finding(
                    "organization_majority",
                    explain.say(
                        key,
                        lang,
                        org=name(org),
                        seats=seats[org],
                        total=total,
                        percent=explain.percent(share),
                        maximum=policy.max_seat_share_per_organization,
                    ),
                    org,
                )
            )
    if women_share < policy.min_women_share:
        violations.append(
            Finding(
                "women_share_below_target",
                explain.say(
                    "women_share_below_target",
                    lang,
                    women=women,
                    total=total,
                    percent=explain.percent(women_share),
                    target=policy.min_women_share,
                ),
            )
        )
    present_colleges = {m.college for m in voting}
    for college in policy.required_colleges:
        if college not in present_colleges:
            violations.append(
                Finding(
                    "college_missing",
                    explain.say("college_missing", lang, college=college),
                    college,
                )
            )
    non_voting = len(members) - total
    if policy.max_non_voting is not None and non_voting > policy.max_non_voting:
        violations.append(
            Finding(
                "too_many_non_voting",
                explain.say(
                    "too_many_non_voting", lang, count=non_voting, maximum=policy.max_non_voting
                ),
            )
        )

    power: PowerResult | None = None
    if len(game.players) <= MAX_BLOCS:
        power = power_board(members, rule, Bloc.ORGANIZATION)
        dictators, vetoes = set(power.dictators), set(power.veto_players)
    else:  # the game is monotone: alone-wins and all-but-one-loses decide both questions
        everyone = set(range(len(game.players)))
        grand = game.wins(everyone)
        vetoes = {p for k, p in enumerate(game.players) if grand and not game.wins(everyone - {k})}
        dictators = {p for k, p in enumerate(game.players) if p in vetoes and game.wins({k})}
    for org in game.players:
        if org in dictators and policy.no_dictator:
            violations.append(
                Finding(
                    "dictator", explain.say("dictator", lang, org=name(org), method=method), org
                )
            )
        elif org in vetoes and policy.warn_veto:
            warnings.append(
                Finding("veto", explain.say("veto", lang, org=name(org), method=method), org)
            )
    return BalanceReport(
        ok=not violations,
        violations=tuple(violations),
        warnings=tuple(warnings),
        seat_shares=frozen_mapping(shares),
        seats=frozen_mapping(dict(seats)),
        women_share=women_share,
        power=power,
    )
