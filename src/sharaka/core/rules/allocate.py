"""Share an amount (a surplus, or a deficit when negative) among parties by key, to the
minor unit, the shares summing to the amount exactly (contract: rules-cli.md, "allocate").

``largest_remainder``: each party gets the floor of its exact share in minor units; the units
left over go one each to the largest remainders, ties to the larger key, then to the party
listed first. ``lead``: the floors, and every unit left over to the lead party.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sharaka.core.rules.inputs import (
    RuleInputError,
    choice,
    decimal,
    integer,
    mapping,
    only_keys,
    required,
)

METHODS = ("largest_remainder", "lead")
MAX_MINOR_UNITS = 8
MAX_PARTIES = 10_000


@dataclass(frozen=True)
class Key:
    id: str
    key: Fraction


@dataclass(frozen=True)
class Share:
    id: str
    units: int  # signed minor units


@dataclass(frozen=True)
class Allocation:
    shares: tuple[Share, ...]
    total_units: int
    minor_units: int

    def as_dict(self) -> dict[str, object]:
        return {
            "shares": [
                {"id": s.id, "amount": format_units(s.units, self.minor_units)} for s in self.shares
            ],
            "total": format_units(self.total_units, self.minor_units),
        }


def format_units(units: int, minor_units: int) -> str:
    """``-925925, 2`` -> ``"-9259.25"``: exactly ``minor_units`` decimals; zero is unsigned."""
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**minor_units)
    return f"{sign}{whole}.{part:0{minor_units}d}" if minor_units else f"{sign}{whole}"


def allocate(
    total_units: int, keys: tuple[Key, ...], method: str = "largest_remainder", lead: str = ""
) -> tuple[Share, ...]:
    """The signed share of each party, in the order of ``keys``, summing to ``total_units``."""
    key_sum = sum((k.key for k in keys), Fraction(0))
    if not keys or key_sum <= 0 or any(k.key < 0 for k in keys):
        raise ValueError("keys must be non-negative with a positive sum")
    sign = -1 if total_units < 0 else 1
    whole = abs(total_units)
    exact = [whole * k.key / key_sum for k in keys]
    floors = [e.numerator // e.denominator for e in exact]
    left = whole - sum(floors)
    if method == "lead":
        index = next(i for i, k in enumerate(keys) if k.id == lead)
        floors[index] += left
    else:
        order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - floors[i]), -keys[i].key, i))
        for i in order[:left]:
            floors[i] += 1
    return tuple(Share(k.id, sign * units) for k, units in zip(keys, floors, strict=True))


def run(document: object) -> Allocation:
    """Parse one ``allocate`` document and compute it (RuleInputError on bad input)."""
    given = mapping(document, "")
    only_keys(given, {"amount", "minor_units", "method", "keys", "lead"})
    minor_units = integer(given.get("minor_units", 2), "minor_units", low=0, high=MAX_MINOR_UNITS)
    amount = decimal(required(given, "amount"), "amount")
    scaled = Fraction(amount) * 10**minor_units  # exact: Decimal would round past 28 digits
    if scaled.denominator != 1:
        raise RuleInputError("amount", f"has more than {minor_units} decimals (minor_units)")
    method = choice(given.get("method", "largest_remainder"), "method", METHODS)
    raw_keys = required(given, "keys")
    if not isinstance(raw_keys, list) or not raw_keys:
        raise RuleInputError("keys", "must be a non-empty list")
    if len(raw_keys) > MAX_PARTIES:
        raise RuleInputError("keys", f"more than {MAX_PARTIES} parties")
    keys: list[Key] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_keys):
        where = f"keys[{position}]"
        item = mapping(raw, where)
        only_keys(item, {"id", "key"}, f"{where}.")
        party = required(item, "id", f"{where}.")
        if not isinstance(party, str) or not party.strip():
            raise RuleInputError(f"{where}.id", "must be a non-empty string")
        if party in seen:
            raise RuleInputError(f"{where}.id", f"duplicate id {party!r}")
        seen.add(party)
        value = decimal(required(item, "key", f"{where}."), f"{where}.key")
        if value < 0:
            raise RuleInputError(f"{where}.key", "must not be negative")
        keys.append(Key(party, Fraction(value)))
    if sum(k.key for k in keys) <= 0:
        raise RuleInputError("keys", "the keys must have a positive sum")
    lead = ""
    if method == "lead":
        named = required(given, "lead")
        if not isinstance(named, str) or named not in seen:
            raise RuleInputError("lead", "must be the id of one of the keys")
        lead = named
    elif "lead" in given:
        raise RuleInputError("lead", "only with method lead")
    total = scaled.numerator
    return Allocation(allocate(total, tuple(keys), method, lead), total, minor_units)
