"""The pure rules of the results framework, with hypothesis where a property holds: the
status never improves as the value moves away from the target, directions are symmetric,
and the standing is exactly what ``sharaka rules progress`` answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.rules import progress as progress_rule
from sharaka.evaluation import rules
from sharaka.evaluation.rules import Direction, Measure, Period, Problem, Status, TargetPoint

BASE = dt.date(2025, 1, 1)
Y1 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Y2 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
RANK = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.ACHIEVED: 3}

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False)
offsets = st.integers(min_value=1, max_value=1500)


def _standing(direction: Direction, baseline: Decimal, target: Decimal, day: dt.date,
              actual: Decimal) -> rules.Standing:  # fmt: skip
    return rules.standing(
        measure=Measure.UNIT, direction=direction, baseline=baseline, baseline_date=BASE,
        targets=[TargetPoint(Y2, target)], actual=(day, actual),
    )  # fmt: skip


@given(values, st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2), offsets,
       values, st.decimals(min_value=0, max_value=5000, places=2))  # fmt: skip
def test_status_never_improves_moving_away_from_target(
    baseline: Decimal, gap: Decimal, offset: int, actual: Decimal, away: Decimal
) -> None:
    day = BASE + dt.timedelta(days=offset)
    for direction, target, farther in (
        (Direction.ASCENDING, baseline + gap, actual - away),
        (Direction.DESCENDING, baseline - gap, actual + away),
    ):
        near = _standing(direction, baseline, target, day, actual).status
        far = _standing(direction, baseline, target, day, farther).status
        assert RANK[far] <= RANK[near]


@given(values, st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2), offsets, values)
def test_directions_are_symmetric(
    baseline: Decimal, gap: Decimal, offset: int, actual: Decimal
) -> None:
    day = BASE + dt.timedelta(days=offset)
    up = _standing(Direction.ASCENDING, baseline, baseline + gap, day, actual)
    down = _standing(Direction.DESCENDING, -baseline, -baseline - gap, day, -actual)
    assert (up.status, up.achieved, up.elapsed) == (down.status, down.achieved, down.elapsed)


@given(values, st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2),
       st.integers(min_value=0, max_value=1500), values)  # fmt: skip
def test_standing_is_what_the_rules_command_answers(
    baseline: Decimal, gap: Decimal, offset: int, actual: Decimal
) -> None:
    day = BASE + dt.timedelta(days=offset)
    ours = _standing(Direction.ASCENDING, baseline, baseline + gap, day, actual)
    theirs = progress_rule.run({
        "direction": "ascending",
        "baseline": {"date": BASE.isoformat(), "value": str(baseline)},
        "target": {"date": Y2.end.isoformat(), "value": str(baseline + gap)},
        "actual": {"date": day.isoformat(), "value": str(actual)},
    })  # fmt: skip
    assert (ours.status.value, ours.achieved, ours.elapsed) == (
        theirs.status, theirs.achieved, theirs.elapsed,
    )  # fmt: skip


def test_contract_example() -> None:
    standing = rules.standing(
        measure=Measure.UNIT, direction=Direction.ASCENDING, baseline=Decimal(10),
        baseline_date=BASE, targets=[TargetPoint(Period(BASE, dt.date(2027, 12, 31)), Decimal(40))],
        actual=(dt.date(2026, 6, 30), Decimal(22)),
    )  # fmt: skip
    assert standing.status is Status.AT_RISK


def test_the_target_compared_is_the_milestone_ahead() -> None:
    targets = [TargetPoint(Y1, Decimal(150)), TargetPoint(Y2, Decimal(200))]
    assert rules.target_for(targets, dt.date(2025, 6, 30)) == targets[0]
    assert rules.target_for(targets, dt.date(2025, 12, 31)) == targets[0]
    assert rules.target_for(targets, dt.date(2026, 3, 31)) == targets[1]
    assert rules.target_for(targets, dt.date(2027, 3, 31)) == targets[1]
    assert rules.target_for([], dt.date(2027, 3, 31)) is None


def test_statuses_without_computation() -> None:
    kwargs = {"direction": Direction.ASCENDING, "baseline_date": BASE,
              "targets": [TargetPoint(Y1, Decimal(5))]}  # fmt: skip
    assert rules.standing(measure=Measure.QUALITATIVE, baseline=None, actual=None,
                          **kwargs).status is Status.QUALITATIVE  # type: ignore[arg-type]  # fmt: skip
    assert rules.standing(measure=Measure.UNIT, baseline=Decimal(1), actual=None,
                          **kwargs).status is Status.NO_DATA  # type: ignore[arg-type]  # fmt: skip
    at_start = rules.standing(measure=Measure.UNIT, baseline=Decimal(1), actual=(BASE, Decimal(1)),
                              **kwargs)  # type: ignore[arg-type]  # fmt: skip
    assert at_start.status is Status.NOT_DUE


@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_parts_are_accepted_exactly_when_they_sum_to_the_total(
    women: Decimal, men: Decimal
) -> None:
    def check(total: Decimal) -> rules.Refusal | None:
        return rules.measurement_problem(
            measure=Measure.UNIT, by_sex=True, periods=[Y1], period=Y1, value=total, text="",
            women=women, men=men,
        )  # fmt: skip

    assert check(women + men) is None
    refusal = check(women + men + Decimal("0.01"))
    assert refusal == rules.Refusal("men", Problem.PARTS_SUM)


@given(st.decimals(min_value=0, max_value=1000, places=2))
def test_percentages_stop_at_100(value: Decimal) -> None:
    refusal = rules.value_problem(Measure.PERCENTAGE, value)
    assert (refusal is None) == (value <= 100)
