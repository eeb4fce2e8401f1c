"""The pure admissibility rules (no database): hypothesis properties and examples."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sharaka.partners.rules import (
    Check,
    Condition,
    Criterion,
    CriterionKind,
    Evidence,
    Facts,
    Gap,
    Outcome,
    Threshold,
    applies,
    assess,
    thresholds_above,
    thresholds_crossed,
)

DAY = date(2026, 6, 15)
CODES = ("receipt", "statutes", "bureau", "roots", "foreign")
CRITERIA = (
    Criterion("receipt", CriterionKind.DOCUMENT, 2, eliminatory=True, reference="art. 5",
              label="Récépissé", provisional_wait_days=60),
    Criterion("statutes", CriterionKind.DOCUMENT, 2, eliminatory=True, reference="art. 5"),
    Criterion("bureau", CriterionKind.DOCUMENT, 1, reference="statuts"),
    Criterion("roots", CriterionKind.SCORED, 2, max_score=5),
    Criterion("foreign", CriterionKind.FACT, 1, reference="art. 32 bis"),
)  # fmt: skip

days = st.integers(min_value=-400, max_value=400).map(lambda n: DAY + timedelta(days=n))
evidence = st.builds(
    Evidence,
    criterion=st.sampled_from(CODES),
    check=st.sampled_from(list(Check)),
    issued_on=st.none() | days,
    expires_on=st.none() | days,
    value=st.none() | st.booleans(),
    score=st.none() | st.integers(min_value=0, max_value=7),
    provisional=st.booleans(),
)
criteria = st.lists(
    st.builds(
        Criterion,
        code=st.sampled_from(CODES),
        kind=st.sampled_from(list(CriterionKind)),
        weight=st.integers(min_value=0, max_value=5),
        eliminatory=st.booleans(),
        max_score=st.integers(min_value=1, max_value=5),
        condition=st.sampled_from(list(Condition)),
        provisional_wait_days=st.none() | st.integers(min_value=0, max_value=90),
    ),
    max_size=6,
    unique_by=lambda c: c.code,
)
facts = st.builds(Facts, public_utility=st.booleans(), previously_funded=st.booleans())


@given(criteria, st.lists(evidence, max_size=12), evidence, facts)
def test_adding_evidence_never_lowers_the_score(
    crit: list[Criterion], pieces: list[Evidence], extra: Evidence, f: Facts
) -> None:
    before = assess(crit, pieces, on=DAY, facts=f)
    after = assess(crit, [*pieces, extra], on=DAY, facts=f)
    assert after.score >= before.score
    assert after.max_score == before.max_score


@given(criteria, st.lists(evidence, max_size=12), facts, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_evidence_order(
    crit: list[Criterion], pieces: list[Evidence], f: Facts, rnd: object
) -> None:
    shuffled = list(pieces)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert assess(crit, pieces, on=DAY, facts=f) == assess(crit, shuffled, on=DAY, facts=f)


@given(criteria, st.lists(evidence, max_size=12), facts)
def test_a_missing_eliminatory_criterion_means_not_admissible(
    crit: list[Criterion], pieces: list[Evidence], f: Facts
) -> None:
    result = assess(crit, pieces, on=DAY, facts=f)
    missing = [i for i in result.items if i.eliminatory and i.gap is Gap.MISSING]
    if missing:
        assert result.outcome is Outcome.NOT_ADMISSIBLE
    if any(i.eliminatory for i in result.items):
        assert result.outcome is not Outcome.ADMISSIBLE
    else:
        assert result.outcome is Outcome.ADMISSIBLE


@given(criteria, facts)
def test_no_evidence_at_all_is_not_admissible_when_something_is_eliminatory(
    crit: list[Criterion], f: Facts
) -> None:
    result = assess(crit, [], on=DAY, facts=f)
    expected = any(c.eliminatory and applies(c, f) for c in crit)
    assert (result.outcome is Outcome.NOT_ADMISSIBLE) == expected
    assert result.score == 0


@given(days, st.booleans())
def test_an_expired_document_counts_the_day_before_and_not_on_the_day(
    expiry: date, eliminatory: bool
) -> None:
    criterion = Criterion("bureau", CriterionKind.DOCUMENT, 3, eliminatory=eliminatory)
    piece = Evidence("bureau", Check.ACCEPTED, issued_on=expiry - timedelta(days=500),
                     expires_on=expiry)  # fmt: skip
    day_before = assess([criterion], [piece], on=expiry - timedelta(days=1), facts=Facts())
    on_the_day = assess([criterion], [piece], on=expiry, facts=Facts())
    assert day_before.score == 3 and not day_before.items
    assert day_before.outcome is Outcome.ADMISSIBLE
    assert on_the_day.score == 0
    assert [i.gap for i in on_the_day.items] == [Gap.EXPIRED]
    assert on_the_day.outcome is (Outcome.INCOMPLETE if eliminatory else Outcome.ADMISSIBLE)


def _accepted(code: str, **kwargs: object) -> Evidence:
    return Evidence(code, Check.ACCEPTED, issued_on=date(2024, 1, 1), **kwargs)  # type: ignore[arg-type]


def test_a_complete_file_is_admissible_with_its_weighted_score() -> None:
    pieces = [_accepted("receipt"), _accepted("statutes"), _accepted("bureau"),
              _accepted("roots", score=4), _accepted("foreign", value=True)]  # fmt: skip
    result = assess(CRITERIA, pieces, on=DAY, facts=Facts())
    assert result.outcome is Outcome.ADMISSIBLE
    assert result.score == Fraction(2 + 2 + 1 + 1) + Fraction(2 * 4, 5)
    assert result.max_score == 8
    assert result.percent == Decimal("95.0")
    assert result.items == ()


def test_missing_items_name_their_criterion_and_reference() -> None:
    result = assess(CRITERIA, [_accepted("statutes")], on=DAY, facts=Facts())
    assert result.outcome is Outcome.NOT_ADMISSIBLE
    receipt = result.items[0]
    assert (receipt.code, receipt.label, receipt.reference, receipt.gap) == (
        "receipt",
        "Récépissé",
        "art. 5",
        Gap.MISSING,
    )
    assert [i.code for i in result.items] == ["receipt", "bureau", "roots", "foreign"]


def test_pending_and_rejected_pieces() -> None:
    pending = Evidence("receipt", Check.PENDING)
    rejected = Evidence("statutes", Check.REJECTED)
    result = assess(CRITERIA[:2], [pending, rejected], on=DAY, facts=Facts())
    assert [(i.code, i.gap) for i in result.items] == [
        ("receipt", Gap.PENDING),
        ("statutes", Gap.MISSING),
    ]
    assert result.outcome is Outcome.NOT_ADMISSIBLE
    only_pending = assess(CRITERIA[:1], [pending], on=DAY, facts=Facts())
    assert only_pending.outcome is Outcome.INCOMPLETE


def test_a_provisional_receipt_counts_after_sixty_days() -> None:
    issued = DAY - timedelta(days=60)
    piece = Evidence("receipt", Check.ACCEPTED, issued_on=issued, provisional=True)
    assert assess(CRITERIA[:1], [piece], on=DAY, facts=Facts()).outcome is Outcome.ADMISSIBLE
    early = assess(CRITERIA[:1], [piece], on=DAY - timedelta(days=1), facts=Facts())
    assert early.outcome is Outcome.INCOMPLETE
    assert early.items[0].gap is Gap.WAITING
    statutes = Evidence("statutes", Check.ACCEPTED, provisional=True, issued_on=date(2020, 1, 1))
    assert assess(CRITERIA[1:2], [statutes], on=DAY, facts=Facts()).items[0].gap is Gap.MISSING


def test_a_fact_answered_no_and_a_zero_score_earn_nothing() -> None:
    crit = [Criterion("foreign", CriterionKind.FACT, 1, eliminatory=True),
            Criterion("roots", CriterionKind.SCORED, 2, max_score=5)]  # fmt: skip
    result = assess(crit, [_accepted("foreign", value=False), _accepted("roots", score=0)],
                    on=DAY, facts=Facts())  # fmt: skip
    assert result.score == 0
    assert result.outcome is Outcome.NOT_ADMISSIBLE


def test_conditional_criteria_apply_only_when_their_condition_holds() -> None:
    certified = Criterion("certified", CriterionKind.DOCUMENT, 2, eliminatory=True,
                          condition=Condition.PUBLIC_UTILITY)  # fmt: skip
    assert assess([certified], [], on=DAY, facts=Facts()).outcome is Outcome.ADMISSIBLE
    assert assess([certified], [], on=DAY, facts=Facts()).max_score == 0
    public = assess([certified], [], on=DAY, facts=Facts(public_utility=True))
    assert public.outcome is Outcome.NOT_ADMISSIBLE


def test_thresholds() -> None:
    accounts = Threshold(Decimal(10000), "comptes", "art. 32 ter")
    convention = Threshold(Decimal(50000), "convention", "circulaire 7/2003", verified=False)
    both = [convention, accounts]
    assert thresholds_crossed(both, before=Decimal(9000), after=Decimal(10000)) == []
    assert thresholds_crossed(both, before=Decimal(9000), after=Decimal("10000.01")) == [accounts]
    assert thresholds_crossed(both, before=Decimal(12000), after=Decimal(60000)) == [convention]
    assert thresholds_above(both, Decimal(60000)) == [accounts, convention]
    assert thresholds_above(both, Decimal(0)) == []


@given(st.decimals(min_value=0, max_value=10**7, places=2),
       st.decimals(min_value=0, max_value=10**7, places=2))  # fmt: skip
def test_thresholds_crossed_in_two_steps_are_those_crossed_at_once(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    accounts = Threshold(Decimal(10000), "comptes", "art. 32 ter")
    convention = Threshold(Decimal(50000), "convention", "circulaire 7/2003")
    both = [accounts, convention]
    steps = thresholds_crossed(both, before=Decimal(0), after=low) + thresholds_crossed(
        both, before=low, after=high
    )
    assert steps == thresholds_above(both, high)
