"""The outcome of one vote on one motion (contract: rules-cli.md, "tally").

The numbered semantics of the contract are applied in order: electorate, quorum, ballots,
base, method, tie break, colleges (double majority), with the fallback rule chosen first
by round. All arithmetic is on integers and fractions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from sharaka.governance.rules import explain
from sharaka.governance.rules.values import (
    Attendance,
    Base,
    CollegeQuorum,
    CollegeRule,
    CollegesRequired,
    CollegeTally,
    Counts,
    Member,
    Method,
    Presence,
    QuorumReport,
    Reason,
    Rule,
    RulesInputError,
    TallyOutcome,
    TieBreak,
    Vote,
    check_lang,
    frozen_mapping,
    show,
)


def index_members(members: Sequence[Member]) -> dict[str, Member]:
    """Members by id; duplicate ids and more than one chair are bad input."""
    by_id: dict[str, Member] = {}
    chairs: list[str] = []
    for position, member in enumerate(members):
        if not isinstance(member, Member):
            raise RulesInputError(f"members[{position}]", "must be a member")
        if member.id in by_id:
            raise RulesInputError(
                f"members[{position}].id", f"duplicate member id {show(member.id)}"
            )
        by_id[member.id] = member
        if member.chair:
            chairs.append(member.id)
    if len(chairs) > 1:
        raise RulesInputError("members", f"more than one chair ({', '.join(chairs)})")
    return by_id


def needed_votes(method: Method, threshold: Fraction | None, base: int) -> int:
    """The least number of yes votes that carries the motion (absolute, qualified)."""
    if method is Method.ABSOLUTE:
        return base // 2 + 1
    if method is Method.QUALIFIED:
        assert threshold is not None
        return max(1, ceil(threshold * base))
    raise ValueError(method)


def majority_passes(
    method: Method, threshold: Fraction | None, *, yes: int, no: int, base: int
) -> bool:
    """Methods ``simple``, ``absolute`` and ``qualified`` (contract, semantics 5)."""
    if method is Method.SIMPLE:
        return yes > no
    if method is Method.ABSOLUTE:
        return 2 * yes > base
    if method is Method.QUALIFIED:
        assert threshold is not None
        return yes > 0 and yes >= threshold * base
    raise ValueError(method)


def base_count(
    base: Base, *, yes: int, no: int, abstain: int, present: int, electorate: int
) -> int:
    if base is Base.YES_NO:
        return yes + no
    if base is Base.CAST:
        return yes + no + abstain
    if base is Base.PRESENT:
        return present
    return electorate


@dataclass(frozen=True, slots=True)
class _Votes:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    present: int = 0
    electorate: int = 0

    def base(self, base: Base) -> int:
        return base_count(
            base,
            yes=self.yes,
            no=self.no,
            abstain=self.abstain,
            present=self.present,
            electorate=self.electorate,
        )


def _count(ids: Collection[str], present: set[str], ballots: Mapping[str, Vote]) -> _Votes:
    votes = [ballots[i] for i in ids if i in ballots]
    return _Votes(
        yes=votes.count(Vote.YES),
        no=votes.count(Vote.NO),
        abstain=votes.count(Vote.ABSTAIN),
        present=sum(1 for i in ids if i in present),
        electorate=len(ids),
    )


def _check_attendance(
    by_id: Mapping[str, Member],
    attendance: Mapping[str, Attendance],
    electorate: set[str],
    recused: Collection[str],
    max_proxies: int,
) -> dict[str, str]:
    """Validate attendance; return represented member -> holder (proxies that apply)."""
    held: dict[str, list[str]] = {}
    proxies: dict[str, str] = {}
    for member_id in sorted(attendance):
        status = attendance[member_id]
        where = f"attendance.{member_id}"
        if member_id not in by_id:
            raise RulesInputError(where, f"unknown member id {show(member_id)}")
        if not isinstance(status, Attendance):
            raise RulesInputError(where, "must be an attendance")
        if status.status is not Presence.PROXY:
            continue
        holder = status.holder
        assert holder is not None
        if not by_id[member_id].voting:
            raise RulesInputError(where, f"{member_id} has no vote to give by proxy")
        if holder == member_id:
            raise RulesInputError(where, f"{member_id} cannot hold its own proxy")
        if holder not in by_id:
            raise RulesInputError(where, f"unknown proxy holder {show(holder)}")
        held.setdefault(holder, []).append(member_id)
        if member_id in recused:
            continue  # the proxy does not apply to a motion its giver is recused from
        holder_status = attendance.get(holder, Attendance.absent())
        if holder_status.status is Presence.PROXY:
            raise RulesInputError(where, f"proxy holder {holder} is itself represented")
        if holder_status.status is not Presence.PRESENT:
            raise RulesInputError(where, f"proxy holder {holder} is {holder_status.status}")
        if not by_id[holder].voting:
            raise RulesInputError(where, f"proxy holder {holder} is not a voting member")
        if holder not in electorate:
            raise RulesInputError(where, f"proxy holder {holder} is recused")
        proxies[member_id] = holder
    for holder, givers in sorted(held.items()):
        if len(givers) > max_proxies:
            raise RulesInputError(
                f"attendance.{givers[-1]}",
                f"{holder} holds {len(givers)} proxies, more than the {max_proxies} allowed",
            )
    return proxies


def _check_ballots(
    by_id: Mapping[str, Member],
    ballots: Mapping[str, Vote],
    electorate: set[str],
    present: set[str],
) -> dict[str, Vote]:
    checked: dict[str, Vote] = {}
    for member_id in sorted(ballots):
        where = f"ballots.{member_id}"
        if member_id not in by_id:
            raise RulesInputError(where, f"unknown member id {show(member_id)}")
        try:
            vote = Vote(ballots[member_id])
        except ValueError:
            raise RulesInputError(
                where, f"{show(ballots[member_id])} is not yes, no or abstain"
            ) from None
        if not by_id[member_id].voting:
            raise RulesInputError(where, f"ballot from {member_id}, who is not a voting member")
        if member_id not in electorate:
            raise RulesInputError(where, f"ballot from {member_id}, who is recused")
        if member_id not in present:
            raise RulesInputError(where, f"ballot from {member_id}, who is absent")
        checked[member_id] = vote
    return checked


def tally(
    members: Sequence[Member],
    attendance: Mapping[str, Attendance],
    rule: Rule,
    *,
    recused: Collection[str] = frozenset(),
    ballots: Mapping[str, Vote] | None = None,
    round: int = 1,  # the contract's name (shadows the builtin here only)
    lang: str = "fr",
) -> TallyOutcome:
    """Tally one vote. Raises :class:`RulesInputError` on inconsistent input."""
    check_lang(lang)
    by_id = index_members(members)
    if not isinstance(rule, Rule):
        raise RulesInputError("rule", "must be a rule")
    applied = rule.for_round(round)
    recused_set = set(recused)
    for member_id in sorted(recused_set):
        if member_id not in by_id:
            raise RulesInputError("recused", f"unknown member id {show(member_id)}")

    # 1. electorate, attendance, proxies
    order = [m.id for m in members]
    electorate_ids = [i for i in order if by_id[i].voting and i not in recused_set]
    electorate = set(electorate_ids)
    proxies = _check_attendance(
        by_id, attendance, electorate, recused_set, applied.effective_max_proxies
    )
    present = {i for i in electorate_ids if i in attendance and attendance[i].counts_present}

    # 3. ballots (validated even when the quorum fails: bad input is bad input)
    checked = _check_ballots(by_id, ballots or {}, electorate, present)

    say = _Sayer(lang)
    if applied is not rule:
        assert rule.fallback is not None
        say(
            "fallback",
            round=round,
            from_round=rule.fallback.from_round,
            method=explain.method_name(applied.method, lang),
        )
    if recused_set:
        say("recused", ids=explain.join(sorted(recused_set), lang))
    if proxies:
        pairs = [
            explain.say("proxy_pair", lang, member=m, holder=h) for m, h in sorted(proxies.items())
        ]
        say("proxies", pairs=explain.join(pairs, lang))

    # 2. quorum
    quorum_rule = applied.effective_quorum
    n_present, n_electorate = len(present), len(electorate_ids)
    met = n_electorate > 0 and Fraction(n_present, n_electorate) >= quorum_rule.fraction
    colleges_of: dict[str, list[str]] = {}
    for i in electorate_ids:
        colleges_of.setdefault(by_id[i].college, []).append(i)
    college_quorum: dict[str, CollegeQuorum] = {}
    if n_electorate == 0:
        say("no_electorate")
    say(
        "quorum_met" if met else "quorum_not_met",
        present=n_present,
        electorate=n_electorate,
        required=quorum_rule.fraction,
    )
    per_college = quorum_rule.per_college
    if per_college is not None:
        for college in sorted(colleges_of):
            ids = colleges_of[college]
            c_present = sum(1 for i in ids if i in present)
            c_met = Fraction(c_present, len(ids)) >= per_college
            college_quorum[college] = CollegeQuorum(c_present, len(ids), c_met)
            say(
                "college_quorum_met" if c_met else "college_quorum_not_met",
                college=college,
                present=c_present,
                electorate=len(ids),
                required=per_college,
            )
            met = met and c_met
    quorum_report = QuorumReport(
        met=met,
        present=n_present,
        electorate=n_electorate,
        required=quorum_rule.fraction,
        colleges=frozen_mapping(college_quorum),
    )

    overall = _count(electorate_ids, present, checked)
    counts = Counts(
        yes=overall.yes,
        no=overall.no,
        abstain=overall.abstain,
        not_voting=n_present - (overall.yes + overall.no + overall.abstain),
    )
    if not met:
        say("quorum_failed")
        say("not_adopted")
        return TallyOutcome(
            adopted=False,
            reason=Reason.QUORUM_NOT_MET,
            method_applied=applied.method,
            quorum=quorum_report,
            counts=counts,
            colleges=frozen_mapping({}),
            explanation=say.sentences(),
            rule_applied=applied,
        )
    say(
        "counts", yes=counts.yes, no=counts.no, abstain=counts.abstain, not_voting=counts.not_voting
    )

    # 4-6. base, method, tie break
    passed, reason = _overall(applied, overall, by_id, checked, say, lang)

    # 7. colleges
    college_results: dict[str, CollegeTally] = {}
    if applied.colleges is not None:
        colleges_ok = _colleges(
            applied.colleges, colleges_of, present, checked, say, lang, college_results
        )
        if passed and not colleges_ok:
            passed, reason = False, Reason.COLLEGES_NOT_REACHED
    say("adopted" if passed else "not_adopted")
    return TallyOutcome(
        adopted=passed,
        reason=Reason.ADOPTED if passed else reason,
        method_applied=applied.method,
        quorum=quorum_report,
        counts=counts,
        colleges=frozen_mapping(college_results),
        explanation=say.sentences(),
        rule_applied=applied,
    )


class _Sayer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._sentences: list[str] = []

    def __call__(self, key: str, **values: object) -> None:
        self._sentences.append(explain.say(key, self.lang, **values))

    def sentences(self) -> tuple[str, ...]:
        return tuple(self._sentences)


def _overall(
    rule: Rule,
    votes: _Votes,
    by_id: Mapping[str, Member],
    ballots: Mapping[str, Vote],
    say: _Sayer,
    lang: str,
) -> tuple[bool, Reason]:
    yes, no = votes.yes, votes.no
    method = rule.method
    if method is Method.CONSENSUS:
        say("rule_consensus", yes=yes, no=no)
        if no > 0:
            return False, Reason.OBJECTION
        return yes > 0, Reason.MAJORITY_NOT_REACHED
    if method is Method.UNANIMITY:
        say("rule_unanimity", yes=yes, present=votes.present)
        if no > 0:
            return False, Reason.OBJECTION
        return votes.present > 0 and yes == votes.present, Reason.MAJORITY_NOT_REACHED
    if method is Method.SIMPLE:
        say("rule_simple", yes=yes, no=no)
        if yes == no > 0:
            return _tie(rule, votes, by_id, ballots, say)
        return yes > no, Reason.MAJORITY_NOT_REACHED
    base = votes.base(rule.base)
    key = "rule_absolute" if method is Method.ABSOLUTE else "rule_qualified"
    say(
        key,
        threshold=rule.threshold,
        base=explain.base_name(rule.base, lang),
        base_count=base,
        needed=needed_votes(method, rule.threshold, base),
        yes=yes,
    )
    return majority_passes(method, rule.threshold, yes=yes, no=no, base=base), (
        Reason.MAJORITY_NOT_REACHED
    )


def _tie(
    rule: Rule,
    votes: _Votes,
    by_id: Mapping[str, Member],
    ballots: Mapping[str, Vote],
    say: _Sayer,
) -> tuple[bool, Reason]:
    chair = next((m.id for m in by_id.values() if m.chair), None)
    chair_vote = ballots.get(chair) if chair is not None else None
    if rule.tie_break is TieBreak.CHAIR and chair_vote is Vote.YES:
        say("tie_chair_yes", yes=votes.yes, no=votes.no)
        return True, Reason.ADOPTED
    if rule.tie_break is TieBreak.CHAIR and chair_vote is Vote.NO:
        say("tie_chair_no", yes=votes.yes, no=votes.no)
        return False, Reason.MAJORITY_NOT_REACHED
    say("tie_unbroken", yes=votes.yes, no=votes.no)
    return False, Reason.TIE


def colleges_required_met(required: CollegesRequired | int, passed: int, tallied: int) -> bool:
    if required is CollegesRequired.ALL:
        return passed == tallied
    if required is CollegesRequired.MAJORITY:
        return 2 * passed > tallied
    assert isinstance(required, int)
    return passed >= required


def _colleges(
    rule: CollegeRule,
    colleges_of: Mapping[str, list[str]],
    present: set[str],
    ballots: Mapping[str, Vote],
    say: _Sayer,
    lang: str,
    results: dict[str, CollegeTally],
) -> bool:
    for college in sorted(colleges_of):
        ids = colleges_of[college]
        votes = _count(ids, present, ballots)
        if votes.present == 0:
            continue  # only colleges with a present member are tallied
        ok = majority_passes(
            rule.method, rule.threshold, yes=votes.yes, no=votes.no, base=votes.base(rule.base)
        )
        results[college] = CollegeTally(votes.yes, votes.no, votes.abstain, ok)
        say(
            "college_passed" if ok else "college_failed",
            college=college,
            yes=votes.yes,
            no=votes.no,
            abstain=votes.abstain,
        )
    n_passed = sum(1 for r in results.values() if r.passed)
    say(
        "colleges_summary",
        passed=n_passed,
        tallied=len(results),
        required=explain.required_name(rule.required, lang),
    )
    return colleges_required_met(rule.required, n_passed, len(results))
