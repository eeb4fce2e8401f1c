"""The adapter between boards and the pure rules engine: balance and voting power.

The composition page and the what-if simulator both describe a board as a list of
:class:`AnalysisSeat` and call :func:`analyse`; this module maps them to the engine's
``Member`` values, calls ``balance`` and ``power_board``, and returns plain data with
display names, ready for a template or the API.

Which rule is analysed: with "consensus first, then a majority" the rule that decides in
the end is the fallback (from its round on); power, dictators and vetoes are computed
under that *deciding* rule, and the page says so. Under consensus alone every
organisation can block, which the page also says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from sharaka.governance.rules import explain
from sharaka.governance.rules.balance import balance
from sharaka.governance.rules.power import MAX_BLOCS, power_board
from sharaka.governance.rules.values import (
    LANGUAGES,
    Bloc,
    Finding,
    Gender,
    Member,
    Method,
    Policy,
    PowerResult,
    Rule,
    RulesInputError,
    RulesLimitError,
)

EXPERTS_KEY = "—"


@dataclass(frozen=True)
class AnalysisSeat:
    key: str  # unique: "s<seat id>" or "new<n>"
    organization_id: int | None
    organization_name: str
    college: str  # code
    college_label: str
    voting: bool
    gender: str = "x"  # the holder's; "x" when vacant
    chair: bool = False
    occupied: bool = False


@dataclass(frozen=True)
class FindingView:
    code: str
    message: str
    subject: str | None = None  # organisation or college display name


@dataclass
class PowerRow:
    key: str  # organisation id (as text) or college code
    name: str
    voting: int = 0
    advisory: int = 0
    seat_share: Fraction = Fraction(0)
    banzhaf: Fraction | None = None
    shapley: Fraction | None = None
    contribution_share: Fraction | None = None
    veto: bool = False
    dictator: bool = False
    flagged: bool = False  # subject of a violation


@dataclass
class Analysis:
    ok: bool
    violations: list[FindingView]
    warnings: list[FindingView]
    organizations: list[PowerRow]
    colleges: list[PowerRow]
    voting_seats: int
    advisory_seats: int
    vacant_voting: int
    women_voting: int
    women_share: Fraction | None
    women_target: Fraction
    officers_women: int = 0
    officers_total: int = 0
    rule_label: str = ""
    deciding_rule_label: str = ""
    first_round_note: str = ""
    power_error: str = ""
    women_note: str = ""  # set when nobody is seated yet: the women's share is not judged
    engine: dict[str, Any] = field(default_factory=dict)  # the engine's JSON output

    @property
    def officers_share(self) -> Fraction | None:
        if not self.officers_total:
            return None
        return Fraction(self.officers_women, self.officers_total)

    @property
    def officers_below_target(self) -> bool:
        share = self.officers_share
        return share is not None and share < self.women_target


def engine_lang() -> str:
    lang = (translation.get_language() or "fr")[:2]
    return lang if lang in LANGUAGES else "fr"


def deciding_rule(rule: Rule) -> Rule:
    """The rule that decides when the first rule fails: the fallback, else the rule."""
    if rule.fallback is None:
        return rule
    return rule.for_round(rule.fallback.from_round)


def describe_rule(rule: Rule, lang: str) -> str:
    method = explain.method_name(rule.method, lang)
    if rule.method is Method.QUALIFIED and rule.threshold is not None:
        method = f"{method} {rule.threshold}"
    if rule.method in (Method.ABSOLUTE, Method.QUALIFIED):
        method = f"{method} ({explain.base_name(rule.base, lang)})"
    return method


def _org_key(seat: AnalysisSeat) -> str:
    return str(seat.organization_id) if seat.organization_id is not None else EXPERTS_KEY


def _college_names(seats: Sequence[AnalysisSeat]) -> dict[str, str]:
    """College code -> the label the engine uses as the college's identifier (so that its
    sentences name the college); labels made unique."""
    colleges: dict[str, str] = {}
    used: set[str] = set()
    for seat in seats:
        if seat.college not in colleges:
            label = seat.college_label or seat.college
            colleges[seat.college] = label if label not in used else f"{label} ({seat.college})"
            used.add(colleges[seat.college])
    return colleges


def _org_names(seats: Sequence[AnalysisSeat]) -> dict[str, str]:
    names: dict[str, str] = {}
    for seat in seats:
        names.setdefault(_org_key(seat), seat.organization_name or gettext("Experts indépendants"))
    return names


def members_of(seats: Sequence[AnalysisSeat]) -> list[Member]:
    """The engine's members: organisation ids as text, college labels, holder genders."""
    colleges = _college_names(seats)
    return [
        Member(
            id=seat.key,
            organization=_org_key(seat),
            college=colleges[seat.college],
            voting=seat.voting,
            chair=seat.chair and seat.voting,
            gender=Gender(seat.gender if seat.gender in ("f", "m") else "x"),
        )
        for seat in seats
    ]


def analyse(
    seats: Sequence[AnalysisSeat],
    *,
    rule: Rule,
    policy: Policy,
    college_order: Sequence[tuple[str, str]] = (),
    contributions: Mapping[int, Fraction] | None = None,
    officers: Sequence[str] = (),  # genders of the officers in office
    lang: str | None = None,
) -> Analysis:
    """Balance and power of a board described by ``seats`` under ``rule`` and ``policy``."""
    lang = lang or engine_lang()
    org_names = _org_names(seats)
    college_names = _college_names(seats)
    for code, label in college_order:
        college_names.setdefault(code, label)
    label_to_code = {label: code for code, label in college_names.items()}
    deciding = deciding_rule(rule)
    members = members_of(seats)
    engine_policy = replace(
        policy,
        required_colleges=tuple(college_names.get(c, c) for c in policy.required_colleges),
    )
    voting = [s for s in seats if s.voting]
    women_voting = sum(1 for s in voting if s.gender == "f")
    analysis = Analysis(
        ok=True,
        violations=[],
        warnings=[],
        organizations=[],
        colleges=[],
        voting_seats=len(voting),
        advisory_seats=len(seats) - len(voting),
        vacant_voting=sum(1 for s in voting if not s.occupied),
        women_voting=women_voting,
        women_share=Fraction(women_voting, len(voting)) if voting else None,
        women_target=policy.min_women_share,
        officers_women=sum(1 for g in officers if g == "f"),
        officers_total=len(officers),
        rule_label=describe_rule(rule, lang),
        deciding_rule_label=describe_rule(deciding, lang),
    )
    if rule.fallback is not None and rule.method in (Method.CONSENSUS, Method.UNANIMITY):
        analysis.first_round_note = gettext(
            "Au premier tour (%(first)s), chaque membre votant peut bloquer la décision ; "
            "à partir du tour %(round)s, la règle de repli (%(fallback)s) décide : le pouvoir "
            "de vote et les vérifications ci-dessous sont faits sous cette règle."
        ) % {
            "first": analysis.rule_label,
            "round": rule.fallback.from_round,
            "fallback": analysis.deciding_rule_label,
        }

    # Rows by organisation and by college, in a stable order.
    org_rows: dict[str, PowerRow] = {}
    college_rows: dict[str, PowerRow] = {
        code: PowerRow(key=code, name=college_names[code]) for code, _label in college_order
    }
    for seat in seats:
        key = _org_key(seat)
        row = org_rows.setdefault(key, PowerRow(key=key, name=org_names[key]))
        college = college_rows.setdefault(
            seat.college, PowerRow(key=seat.college, name=college_names[seat.college])
        )
        for target in (row, college):
            if seat.voting:
                target.voting += 1
            else:
                target.advisory += 1
    for row in [*org_rows.values(), *college_rows.values()]:
        row.seat_share = Fraction(row.voting, len(voting)) if voting else Fraction(0)
    if contributions is not None:
        for key, row in org_rows.items():
            if key != EXPERTS_KEY:
                row.contribution_share = contributions.get(int(key), Fraction(0))
    analysis.organizations = sorted(
        org_rows.values(), key=lambda r: (r.key == EXPERTS_KEY, -r.voting, r.name)
    )
    analysis.colleges = [r for r in college_rows.values() if r.voting or r.advisory]

    if not voting:
        analysis.ok = False
        analysis.violations.append(
            FindingView(
                "no_voting_member", gettext("Le conseil n'a aucun siège avec voix délibérative.")
            )
        )
        return analysis
    try:
        report = balance(members, deciding, engine_policy, lang, names=org_names)
    except RulesInputError as error:  # a rule the engine refuses: say so, never crash
        analysis.ok = False
        analysis.power_error = error.message
        return analysis
    analysis.ok = report.ok
    analysis.engine = report.as_dict()
    analysis.violations = [_finding(f, org_names, label_to_code) for f in report.violations]
    analysis.warnings = [_finding(f, org_names, label_to_code) for f in report.warnings]
    if not any(s.occupied for s in voting):
        # A board whose voting seats are all vacant (just composed, or simulated from
        # scratch) cannot be judged on who holds them: say so rather than flag 0 women.
        analysis.violations = [
            v for v in analysis.violations if v.code != "women_share_below_target"
        ]
        analysis.ok = not analysis.violations
        analysis.women_note = gettext(
            "Personne n'est encore nommé : la représentation des femmes sera vérifiée au fil "
            "des nominations."
        )
    flagged = {f.subject for f in report.violations if f.subject}
    for key, row in org_rows.items():
        row.flagged = key in flagged
    if report.power is None:
        analysis.power_error = gettext(
            "Le pouvoir de vote n'est calculé exactement que pour %(max)s organisations au "
            "plus ; ce conseil en compte %(count)s. Les sièges, la représentation des femmes "
            "et les droits de décision ou de veto restent vérifiés."
        ) % {"max": MAX_BLOCS, "count": sum(1 for r in org_rows.values() if r.voting)}
    else:
        _fill_power(report.power, org_rows, lambda player: player)
    try:
        by_college = power_board(members, deciding, Bloc.COLLEGE)
    except RulesLimitError:
        pass  # more than 20 colleges: the organisation message already says the limit
    else:
        _fill_power(by_college, college_rows, lambda player: label_to_code.get(player, player))
    return analysis


def _fill_power(
    power: PowerResult, rows: Mapping[str, PowerRow], to_key: Callable[[str], str]
) -> None:
    for player in power.players:
        row = rows.get(to_key(player))
        if row is None:
            continue
        row.banzhaf = power.banzhaf[player]
        row.shapley = power.shapley_shubik[player]
        row.veto = player in power.veto_players
        row.dictator = player in power.dictators


def _finding(
    finding: Finding, org_names: Mapping[str, str], label_to_code: Mapping[str, str]
) -> FindingView:
    subject = finding.subject
    if subject is None or subject in org_names:
        return FindingView(finding.code, finding.message, subject)
    if subject in label_to_code:
        return FindingView(finding.code, finding.message, label_to_code[subject])
    return FindingView(finding.code, finding.message, subject)
