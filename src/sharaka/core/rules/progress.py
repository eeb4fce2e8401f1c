"""Where an indicator stands against its target (contract: rules-cli.md, "progress").

``achieved`` is the share of the way from baseline to target covered, ``elapsed`` the share
of the time (at most 1); the status compares their ratio with two thresholds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sharaka.core.rules.inputs import (
    RuleInputError,
    choice,
    decimal,
    fraction,
    iso_date,
    json_number,
    mapping,
    only_keys,
    required,
)

DIRECTIONS = ("ascending", "descending")
DEFAULT_ON_TRACK = Fraction(9, 10)
DEFAULT_AT_RISK = Fraction(3, 5)


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Fraction


@dataclass(frozen=True)
class Progress:
    achieved: Fraction
    elapsed: Fraction
    status: str

    def as_dict(self) -> dict[str, object]:
        return {
            "achieved": json_number(self.achieved),
            "elapsed": json_number(self.elapsed),
            "status": self.status,
        }


def progress(
    baseline: Point,
    target: Point,
    actual: Point,
    on_track: Fraction = DEFAULT_ON_TRACK,
    at_risk: Fraction = DEFAULT_AT_RISK,
) -> Progress:
    """Expects a validated input: target value differs from baseline, target date after it."""
    achieved = (actual.value - baseline.value) / (target.value - baseline.value)
    span = (target.date - baseline.date).days
    elapsed = min(Fraction(1), Fraction((actual.date - baseline.date).days, span))
    if achieved >= 1:
        status = "achieved"
    elif elapsed <= 0:
        status = "not_due"
    else:
        ratio = achieved / elapsed
        status = "on_track" if ratio >= on_track else "at_risk" if ratio >= at_risk else "off_track"
    return Progress(achieved, elapsed, status)


def _point(given: dict[str, object], name: str) -> Point:
    item = mapping(required(given, name), name)
    only_keys(item, {"date", "value"}, f"{name}.")
    when = iso_date(required(item, "date", f"{name}."), f"{name}.date")
    value = Fraction(decimal(required(item, "value", f"{name}."), f"{name}.value"))
    return Point(when, value)


def run(document: object) -> Progress:
    """Parse one ``progress`` document and compute it (RuleInputError on bad input)."""
    given = mapping(document, "")
    only_keys(given, {"direction", "baseline", "target", "actual", "thresholds"})
    direction = choice(required(given, "direction"), "direction", DIRECTIONS)
    baseline, target, actual = (_point(given, name) for name in ("baseline", "target", "actual"))
    if direction == "ascending" and target.value <= baseline.value:
        raise RuleInputError("target.value", "must be above the baseline value (ascending)")
    if direction == "descending" and target.value >= baseline.value:
        raise RuleInputError("target.value", "must be below the baseline value (descending)")
    if target.date <= baseline.date:
        raise RuleInputError("target.date", "must be after the baseline date")
    if actual.date < baseline.date:
        raise RuleInputError("actual.date", "must not be before the baseline date")
    on_track, at_risk = DEFAULT_ON_TRACK, DEFAULT_AT_RISK
    if "thresholds" in given:
        thresholds = mapping(given["thresholds"], "thresholds")
        only_keys(thresholds, {"on_track", "at_risk"}, "thresholds.")
        if "on_track" in thresholds:
            on_track = fraction(thresholds["on_track"], "thresholds.on_track")
        if "at_risk" in thresholds:
            at_risk = fraction(thresholds["at_risk"], "thresholds.at_risk")
        if at_risk < 0:
            raise RuleInputError("thresholds.at_risk", "must not be negative")
        if on_track < at_risk:
            raise RuleInputError("thresholds", "on_track must be at least at_risk")
    return progress(baseline, target, actual, on_track, at_risk)
