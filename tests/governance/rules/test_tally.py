"""Tally: the contract's numbered semantics, one behaviour per test (no database)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.governance.rules import (
    Attendance,
    Base,
    CollegeRule,
    CollegesRequired,
    Fallback,
    Member,
    Method,
    Quorum,
    Reason,
    Rule,
    RulesInputError,
    TieBreak,
    Vote,
    tally,
)
from tests.governance.rules.builders import board, present, rule, simple_board, votes

# 9 voting members; 8 present; 4 yes, 2 no, 1 abstain, 1 present without a ballot.
# Bases: yes_no = 6, cast = 7, present = 8, members = 9.
NINE = simple_board(9)
EIGHT_PRESENT = present("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")
BALLOTS = votes(m1="yes", m2="yes", m3="yes", m4="yes", m5="no", m6="no", m7="abstain")

METHOD_BASE_CASES = [
    # method, threshold, base, adopted, reason
    ("simple", None, "yes_no", True, Reason.ADOPTED),
    ("simple", None, "members", True, Reason.ADOPTED),
    ("absolute", None, "yes_no", True, Reason.ADOPTED),  # 4 > 3
    ("absolute", None, "cast", True, Reason.ADOPTED),  # 4 > 3.5
    ("absolute", None, "present", False, Reason.MAJORITY_NOT_REACHED),  # 4 > 4 fails
    ("absolute", None, "members", False, Reason.MAJORITY_NOT_REACHED),
    ("qualified", "2/3", "yes_no", True, Reason.ADOPTED),  # 4 >= 4
    ("qualified", "2/3", "cast", False, Reason.MAJORITY_NOT_REACHED),  # 4 < 14/3
    ("qualified", "2/3", "present", False, Reason.MAJORITY_NOT_REACHED),
    ("qualified", "2/3", "members", False, Reason.MAJORITY_NOT_REACHED),
    ("qualified", "1/2", "cast", True, Reason.ADOPTED),  # 4 >= 3.5
    ("qualified", "1/2", "present", True, Reason.ADOPTED),  # 4 >= 4 (absolute would fail)
    ("qualified", "1/2", "members", False, Reason.MAJORITY_NOT_REACHED),  # 4 < 4.5
    ("consensus", None, "present", False, Reason.OBJECTION),
    ("consensus", None, "members", False, Reason.OBJECTION),
    ("unanimity", None, "present", False, Reason.OBJECTION),
    ("unanimity", None, "yes_no", False, Reason.OBJECTION),
]


@pytest.mark.parametrize(("method", "threshold", "base", "adopted", "reason"), METHOD_BASE_CASES)
def test_method_and_base(
    method: str, threshold: str | None, base: str, adopted: bool, reason: Reason
) -> None:
    outcome = tally(NINE, EIGHT_PRESENT, rule(method, threshold, base=Base(base)), ballots=BALLOTS)
    assert (outcome.adopted, outcome.reason) == (adopted, reason)
    assert outcome.counts.as_dict() == {"yes": 4, "no": 2, "abstain": 1, "not_voting": 1}
    assert outcome.method_applied == Method(method)


def test_qualified_needs_at_least_one_yes() -> None:
    outcome = tally(NINE, EIGHT_PRESENT, rule("qualified", "1/2", base=Base.YES_NO), ballots={})
    assert (outcome.adopted, outcome.reason) == (False, Reason.MAJORITY_NOT_REACHED)


def test_consensus_adopted_when_nobody_objects_and_someone_agrees() -> None:
    ballots = votes(m1="yes", m2="abstain", m3="abstain")
    outcome = tally(NINE, EIGHT_PRESENT, rule("consensus"), ballots=ballots)
    assert (outcome.adopted, outcome.reason) == (True, Reason.ADOPTED)


def test_consensus_without_any_yes_is_not_adopted() -> None:
    outcome = tally(NINE, EIGHT_PRESENT, rule("consensus"), ballots=votes(m1="abstain"))
    assert (outcome.adopted, outcome.reason) == (False, Reason.MAJORITY_NOT_REACHED)


def test_unanimity_requires_every_present_member() -> None:
    everyone = {f"m{k}": Vote.YES for k in range(1, 9)}
    assert tally(NINE, EIGHT_PRESENT, rule("unanimity"), ballots=everyone).adopted
    one_silent = {k: v for k, v in everyone.items() if k != "m8"}
    outcome = tally(NINE, EIGHT_PRESENT, rule("unanimity"), ballots=one_silent)
    assert (outcome.adopted, outcome.reason) == (False, Reason.MAJORITY_NOT_REACHED)
    abstaining = {**everyone, "m8": Vote.ABSTAIN}
    assert not tally(NINE, EIGHT_PRESENT, rule("unanimity"), ballots=abstaining).adopted


# ------------------------------------------------------------------------------ quorum


def test_quorum_not_met_stops_the_tally() -> None:
    outcome = tally(NINE, present("m1", "m2", "m3", "m4"), rule("simple"), ballots=votes(m1="yes"))
    assert (outcome.adopted, outcome.reason) == (False, Reason.QUORUM_NOT_MET)
    assert outcome.quorum.as_dict() == {
        "met": False,
        "present": 4,
        "electorate": 9,
        "required": "1/2",
        "colleges": {},
    }
    assert outcome.colleges == {}


def test_quorum_is_inclusive() -> None:
    eight = simple_board(8)
    outcome = tally(eight, present("m1", "m2", "m3", "m4"), rule("simple"), ballots=votes(m1="yes"))
    assert outcome.quorum.met and outcome.adopted


def test_quorum_fraction_is_configurable() -> None:
    two_thirds = rule("simple", quorum=Quorum(Fraction(2, 3)))
    outcome = tally(NINE, present(*[f"m{k}" for k in range(1, 6)]), two_thirds)
    assert outcome.reason is Reason.QUORUM_NOT_MET
    assert outcome.quorum.required == Fraction(2, 3)


def test_quorum_per_college() -> None:
    members = board(
        ("a1", "A", "local"),
        ("a2", "A", "local"),
        ("b1", "B", "assoc"),
        ("b2", "C", "assoc"),
        ("b3", "D", "assoc"),
    )
    per_college = rule("simple", quorum=Quorum(Fraction(1, 2), Fraction(1, 2)))
    ok = tally(members, present("a1", "b1", "b2"), per_college, ballots=votes(a1="yes"))
    assert ok.quorum.met and ok.adopted
    assert ok.quorum.as_dict()["colleges"] == {
        "assoc": {"present": 2, "electorate": 3, "met": True},
        "local": {"present": 1, "electorate": 2, "met": True},
    }
    # 3 of 5 overall is enough, but the associative college has 1 of 3.
    failed = tally(members, present("a1", "a2", "b1"), per_college, ballots=votes(a1="yes"))
    assert failed.reason is Reason.QUORUM_NOT_MET
    assert failed.quorum.colleges["assoc"].met is False


def test_non_voting_members_never_count() -> None:
    members = [*simple_board(2), Member(id="x", organization="e", college="experts", voting=False)]
    outcome = tally(members, present("m1", "x"), rule("simple"), ballots=votes(m1="yes"))
    assert outcome.quorum.electorate == 2 and outcome.quorum.present == 1
    with pytest.raises(RulesInputError, match=r"^ballots\.x: .*not a voting member"):
        tally(members, present("m1", "x"), rule("simple"), ballots=votes(x="yes"))


def test_empty_electorate_has_no_quorum() -> None:
    outcome = tally(simple_board(1), {}, rule("simple"), recused={"m1"})
    assert outcome.reason is Reason.QUORUM_NOT_MET


# ----------------------------------------------------------------------------- recusal


def test_recused_members_leave_the_electorate() -> None:
    outcome = tally(
        NINE,
        EIGHT_PRESENT,
        rule("absolute", base=Base.MEMBERS),
        recused={"m8", "m9"},
        ballots=BALLOTS,
    )
    # electorate 7, 4 yes > 3.5
    assert outcome.quorum.electorate == 7 and outcome.adopted
    assert outcome.counts.not_voting == 0


def test_recused_member_cannot_vote() -> None:
    with pytest.raises(RulesInputError, match=r"^ballots\.m5: .*recused"):
        tally(NINE, EIGHT_PRESENT, rule("simple"), recused={"m5"}, ballots=BALLOTS)


def test_recused_unknown_member_is_bad_input() -> None:
    with pytest.raises(RulesInputError, match=r"^recused: unknown member id"):
        tally(NINE, EIGHT_PRESENT, rule("simple"), recused={"zz"})


# ----------------------------------------------------------------------------- proxies


def test_proxy_counts_as_present_and_the_holder_votes_for_the_member() -> None:
    members = simple_board(4)
    attendance = {**present("m1", "m2"), "m3": Attendance.proxy("m1")}
    outcome = tally(
        members,
        attendance,
        rule("absolute", base=Base.MEMBERS),
        ballots=votes(m1="yes", m3="yes", m2="no"),
    )
    assert outcome.quorum.present == 3
    assert outcome.counts.yes == 2 and not outcome.adopted  # 2 > 4/2 fails
    outcome = tally(members, attendance, rule("simple"), ballots=votes(m1="yes", m3="yes"))
    assert outcome.adopted
    assert "m3 represented by m1" in " ".join(
        tally(members, attendance, rule("simple"), lang="en").explanation
    )


def test_proxy_limit() -> None:
    members = simple_board(4)
    attendance = {**present("m1"), "m2": Attendance.proxy("m1"), "m3": Attendance.proxy("m1")}
    with pytest.raises(RulesInputError, match=r"^attendance\.m\d: m1 holds 2 proxies"):
        tally(members, attendance, rule("simple"))
    two = tally(members, attendance, rule("simple", max_proxies_per_member=2))
    assert two.quorum.present == 3
    with pytest.raises(RulesInputError, match=r"holds 1 proxies, more than the 0 allowed"):
        tally(
            members,
            {**present("m1"), "m2": Attendance.proxy("m1")},
            rule("simple", max_proxies_per_member=0),
        )


@pytest.mark.parametrize(
    ("attendance", "message"),
    [
        ({"m2": Attendance.proxy("m1")}, "proxy holder m1 is absent"),
        ({"m1": Attendance.excused(), "m2": Attendance.proxy("m1")}, "proxy holder m1 is excused"),
        (
            {
                "m1": Attendance.proxy("m3"),
                "m3": Attendance.present(),
                "m2": Attendance.proxy("m1"),
            },
            "proxy holder m1 is itself represented",
        ),
        ({"m2": Attendance.proxy("zz")}, "unknown proxy holder"),
        ({"m2": Attendance.proxy("m2")}, "cannot hold its own proxy"),
        ({"x": Attendance.present(), "m2": Attendance.proxy("x")}, "not a voting member"),
        ({"x": Attendance.proxy("m1"), "m1": Attendance.present()}, "no vote to give"),
        ({"zz": Attendance.present()}, "unknown member id"),
    ],
)
def test_bad_proxies(attendance: dict[str, Attendance], message: str) -> None:
    members = [*simple_board(3), Member(id="x", organization="e", college="e", voting=False)]
    with pytest.raises(RulesInputError, match=message):
        tally(members, attendance, rule("simple"))


def test_proxy_holder_must_not_be_recused() -> None:
    attendance = {**present("m1"), "m2": Attendance.proxy("m1")}
    with pytest.raises(RulesInputError, match=r"proxy holder m1 is recused"):
        tally(simple_board(3), attendance, rule("simple"), recused={"m1"})
    # a recused member's own proxy simply does not apply to this motion
    outcome = tally(simple_board(3), attendance, rule("simple"), recused={"m2"})
    assert outcome.quorum.present == 1 and outcome.quorum.electorate == 2


def test_ballot_from_absent_member() -> None:
    with pytest.raises(RulesInputError, match=r"^ballots\.m9: .*absent"):
        tally(NINE, EIGHT_PRESENT, rule("simple"), ballots=votes(m9="yes"))


# --------------------------------------------------------------------------- tie break


@pytest.mark.parametrize(
    ("ballots", "tie_break", "adopted", "reason"),
    [
        # m1 chairs; every case is a 3-3 split among yes and no.
        (
            {"m1": "yes", "m2": "yes", "m3": "yes", "m4": "no", "m5": "no", "m6": "no"},
            TieBreak.CHAIR,
            True,
            Reason.ADOPTED,
        ),
        (
            {"m1": "no", "m2": "yes", "m3": "yes", "m4": "yes", "m5": "no", "m6": "no"},
            TieBreak.CHAIR,
            False,
            Reason.MAJORITY_NOT_REACHED,
        ),
        (
            {
                "m1": "abstain",
                "m2": "yes",
                "m3": "yes",
                "m4": "yes",
                "m5": "no",
                "m6": "no",
                "m7": "no",
            },
            TieBreak.CHAIR,
            False,
            Reason.TIE,
        ),
        (
            {"m1": "yes", "m2": "yes", "m3": "yes", "m4": "no", "m5": "no", "m6": "no"},
            TieBreak.NONE,
            False,
            Reason.TIE,
        ),
    ],
)
def test_tie_break(
    ballots: dict[str, str], tie_break: TieBreak, adopted: bool, reason: Reason
) -> None:
    members = simple_board(7, chair="m1")
    outcome = tally(
        members,
        present(*[m.id for m in members]),
        rule("simple", tie_break=tie_break),
        ballots=votes(**ballots),
    )
    assert outcome.counts.yes == outcome.counts.no == 3
    assert (outcome.adopted, outcome.reason) == (adopted, reason)


def test_no_votes_at_all_is_not_a_tie() -> None:
    outcome = tally(NINE, EIGHT_PRESENT, rule("simple", tie_break=TieBreak.CHAIR))
    assert outcome.reason is Reason.MAJORITY_NOT_REACHED


def test_two_chairs_is_bad_input() -> None:
    members = [
        Member(id="a", organization="o", college="c", chair=True),
        Member(id="b", organization="o", college="c", chair=True),
    ]
    with pytest.raises(RulesInputError, match=r"more than one chair"):
        tally(members, {}, rule("simple"))


def test_duplicate_member_ids() -> None:
    with pytest.raises(RulesInputError, match=r"members\[1\]\.id: duplicate member id"):
        tally([*simple_board(1), *simple_board(1)], {}, rule("simple"))


# ---------------------------------------------------------------------------- colleges

COLLEGE_BOARD = board(
    ("l1", "commune", "local"),
    ("l2", "commune", "local"),
    ("l3", "province", "local"),
    ("a1", "asso1", "assoc"),
    ("a2", "asso2", "assoc"),
    ("p1", "firm", "private"),
    ("p2", "firm2", "private"),
)
# local 3-0 yes, assoc 0-2 no, private 1-1: overall 4 yes 3 no.
COLLEGE_BALLOTS = votes(l1="yes", l2="yes", l3="yes", a1="no", a2="no", p1="yes", p2="no")


@pytest.mark.parametrize(
    ("required", "adopted"),
    [(CollegesRequired.ALL, False), (CollegesRequired.MAJORITY, False), (1, True), (2, False)],
)
def test_colleges_double_majority(required: CollegesRequired | int, adopted: bool) -> None:
    colleges = CollegeRule(method=Method.SIMPLE, required=required)
    outcome = tally(
        COLLEGE_BOARD,
        present(*[m.id for m in COLLEGE_BOARD]),
        rule("simple", colleges=colleges),
        ballots=COLLEGE_BALLOTS,
    )
    assert {c: r.passed for c, r in outcome.colleges.items()} == {
        "assoc": False,
        "local": True,
        "private": False,
    }
    assert outcome.adopted is adopted
    if not adopted:
        assert outcome.reason is Reason.COLLEGES_NOT_REACHED


def test_colleges_majority_counts_only_colleges_with_someone_present() -> None:
    colleges = CollegeRule(
        method=Method.ABSOLUTE, base=Base.CAST, required=CollegesRequired.MAJORITY
    )
    attendance = present("l1", "l2", "l3", "a1", "a2")  # private college absent
    ballots = votes(l1="yes", l2="yes", l3="no", a1="yes", a2="no")
    outcome = tally(COLLEGE_BOARD, attendance, rule("simple", colleges=colleges), ballots=ballots)
    assert set(outcome.colleges) == {"local", "assoc"}
    # local 2 of 3 cast passes, assoc 1 of 2 fails: 1 of 2 is not more than half.
    assert outcome.reason is Reason.COLLEGES_NOT_REACHED
    outcome = tally(
        COLLEGE_BOARD,
        attendance,
        rule(
            "simple",
            colleges=CollegeRule(
                method=Method.QUALIFIED,
                threshold=Fraction(1, 2),
                base=Base.CAST,
                required=CollegesRequired.ALL,
            ),
        ),
        ballots=ballots,
    )
    assert outcome.adopted  # 1 >= 1/2 * 2 in assoc


def test_colleges_overall_failure_wins_over_colleges() -> None:
    colleges = CollegeRule(method=Method.SIMPLE, required=1)
    outcome = tally(
        COLLEGE_BOARD,
        present(*[m.id for m in COLLEGE_BOARD]),
        rule("unanimity", colleges=colleges),
        ballots=COLLEGE_BALLOTS,
    )
    assert outcome.reason is Reason.OBJECTION


# ---------------------------------------------------------------------------- fallback

CONSENSUS_THEN_ABSOLUTE = Rule(
    method=Method.CONSENSUS,
    quorum=Quorum(Fraction(2, 3)),
    fallback=Fallback(from_round=2, rule=Rule(method=Method.ABSOLUTE, base=Base.CAST)),
)


def test_fallback_applies_from_its_round() -> None:
    first = tally(NINE, EIGHT_PRESENT, CONSENSUS_THEN_ABSOLUTE, ballots=BALLOTS)
    assert (first.adopted, first.reason, first.method_applied) == (
        False,
        Reason.OBJECTION,
        Method.CONSENSUS,
    )
    second = tally(NINE, EIGHT_PRESENT, CONSENSUS_THEN_ABSOLUTE, ballots=BALLOTS, round=2)
    assert (second.adopted, second.method_applied) == (True, Method.ABSOLUTE)
    assert second.quorum.required == Fraction(2, 3)  # the fallback omits its quorum: inherited
    assert second.explanation[0].startswith("Tour 2 : la règle de repli")


def test_fallback_with_its_own_quorum() -> None:
    own = Rule(
        method=Method.CONSENSUS,
        quorum=Quorum(Fraction(2, 3)),
        fallback=Fallback(2, Rule(method=Method.SIMPLE, quorum=Quorum(Fraction(1, 3)))),
    )
    attendance = present("m1", "m2", "m3", "m4")  # 4/9: below 2/3, above 1/3
    assert tally(NINE, attendance, own, round=1).reason is Reason.QUORUM_NOT_MET
    outcome = tally(NINE, attendance, own, round=3, ballots=votes(m1="yes"))
    assert outcome.adopted and outcome.quorum.required == Fraction(1, 3)


def test_fallback_rule_cannot_have_a_fallback() -> None:
    inner = Rule(method=Method.SIMPLE, fallback=Fallback(3, Rule(method=Method.SIMPLE)))
    with pytest.raises(RulesInputError, match=r"rule.fallback"):
        Fallback(2, inner)


def test_round_must_be_positive() -> None:
    with pytest.raises(RulesInputError, match=r"^round:"):
        tally(NINE, EIGHT_PRESENT, CONSENSUS_THEN_ABSOLUTE, round=0)


# ---------------------------------------------------------------------------- language


def test_explanation_languages() -> None:
    outcomes = {
        lang: tally(NINE, EIGHT_PRESENT, rule("qualified", "2/3"), ballots=BALLOTS, lang=lang)
        for lang in ("fr", "en", "ar")
    }
    assert outcomes["en"].explanation == (
        "8 of 9 members present or represented, quorum 1/2 met.",
        "Votes: 4 yes, 2 no, 1 abstentions, 1 not voting.",
        "Qualified majority of 2/3 of the members present or represented (8): "
        "6 yes votes needed, 4 obtained.",
        "The motion is not adopted.",
    )
    assert outcomes["fr"].explanation[0] == (
        "8 membres présents ou représentés sur 9, quorum de 1/2 atteint."
    )
    assert outcomes["fr"].explanation[-1] == "La délibération n'est pas adoptée."
    assert any("\u0600" <= ch <= "\u06ff" for ch in outcomes["ar"].explanation[0])
    assert len({o.explanation for o in outcomes.values()}) == 3
    assert len({(o.adopted, o.reason) for o in outcomes.values()}) == 1


def test_unknown_language() -> None:
    with pytest.raises(RulesInputError, match=r"^lang:"):
        tally(NINE, EIGHT_PRESENT, rule("simple"), lang="de")


def test_rule_validation() -> None:
    with pytest.raises(RulesInputError, match=r'^threshold: "3/2" is outside \(0, 1\]'):
        rule("qualified", "3/2")
    with pytest.raises(RulesInputError, match=r"^threshold: a qualified majority needs"):
        rule("qualified")
    with pytest.raises(RulesInputError, match=r"^method:"):
        CollegeRule(method=Method.CONSENSUS)


# -------------------------------------------------------------------------- properties

MEMBER_IDS = [f"m{k}" for k in range(1, 8)]


@st.composite
def vote_scenarios(draw: st.DrawFn) -> tuple[list[Member], dict[str, Attendance], dict[str, Vote]]:
    colleges = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=7, max_size=7))
    members = [
        Member(id=i, organization=f"o{i}", college=c)
        for i, c in zip(MEMBER_IDS, colleges, strict=True)
    ]
    here = draw(st.lists(st.booleans(), min_size=7, max_size=7))
    attendance = {i: Attendance.present() for i, h in zip(MEMBER_IDS, here, strict=True) if h}
    ballots = {i: draw(st.sampled_from(list(Vote))) for i in attendance if draw(st.booleans())}
    return members, attendance, ballots


RULES = st.builds(
    Rule,
    method=st.sampled_from(list(Method)),
    threshold=st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(3, 5), Fraction(1)]),
    base=st.sampled_from(list(Base)),
    quorum=st.sampled_from([None, Quorum(Fraction(1, 3)), Quorum(Fraction(1, 3), Fraction(1, 3))]),
    tie_break=st.sampled_from(list(TieBreak)),
    colleges=st.sampled_from(
        [
            None,
            CollegeRule(Method.SIMPLE, None, Base.CAST, CollegesRequired.MAJORITY),
            CollegeRule(Method.QUALIFIED, Fraction(2, 3), Base.YES_NO, CollegesRequired.ALL),
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(vote_scenarios(), RULES)
def test_an_abstention_never_turns_a_rejection_into_adoption(
    scenario: tuple[list[Member], dict[str, Attendance], dict[str, Vote]], the_rule: Rule
) -> None:
    members, attendance, ballots = scenario
    silent = [i for i in attendance if i not in ballots]
    before = tally(members, attendance, the_rule, ballots=ballots)
    for member_id in silent:
        after = tally(members, attendance, the_rule, ballots={**ballots, member_id: Vote.ABSTAIN})
        if not before.adopted:
            assert not after.adopted
        if the_rule.base is Base.YES_NO and the_rule.method is not Method.UNANIMITY:
            assert after.adopted == before.adopted


@settings(max_examples=100, deadline=None)
@given(vote_scenarios(), RULES, st.randoms(use_true_random=False))
def test_order_of_members_and_ballots_does_not_matter(
    scenario: tuple[list[Member], dict[str, Attendance], dict[str, Vote]],
    the_rule: Rule,
    rnd: random.Random,
) -> None:
    members, attendance, ballots = scenario
    expected = tally(members, attendance, the_rule, ballots=ballots).as_dict()
    shuffled_members = rnd.sample(members, len(members))
    shuffled_ballots = dict(rnd.sample(sorted(ballots.items()), len(ballots)))
    shuffled_attendance = dict(rnd.sample(sorted(attendance.items()), len(attendance)))
    got = tally(shuffled_members, shuffled_attendance, the_rule, ballots=shuffled_ballots)
    assert got.as_dict() == expected
