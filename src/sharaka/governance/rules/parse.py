"""JSON documents (contract: rules-cli.md) to values, and results back to JSON.

Every problem raises :class:`RulesInputError` whose field is a path into the document
(``members[2].gender``, ``rule.colleges.required``, ``ballots.m7``). Unknown keys are
refused rather than ignored, so a misspelt ``"treshold"`` cannot silently change a rule.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from sharaka.governance.rules.values import (
    Attendance,
    BalanceReport,
    Base,
    Bloc,
    CollegeRule,
    CollegesRequired,
    Fallback,
    Gender,
    Member,
    Method,
    Policy,
    PowerResult,
    Quorum,
    Rule,
    RulesInputError,
    TallyOutcome,
    TieBreak,
    Vote,
    check_lang,
    show,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_RATIO = re.compile(r"[+-]?\d+/\d+")
_MAX_FRACTION_TEXT = 40


@dataclass(frozen=True, slots=True)
class TallyInput:
    members: tuple[Member, ...]
    attendance: Mapping[str, Attendance]
    rule: Rule
    recused: frozenset[str]
    ballots: Mapping[str, Vote]
    round: int
    lang: str


@dataclass(frozen=True, slots=True)
class WeightedInput:
    players: tuple[tuple[str, int], ...]
    quota: int


@dataclass(frozen=True, slots=True)
class BoardInput:
    members: tuple[Member, ...]
    rule: Rule
    bloc: Bloc


@dataclass(frozen=True, slots=True)
class BalanceInput:
    members: tuple[Member, ...]
    rule: Rule
    policy: Policy
    lang: str
    names: Mapping[str, str]


# ----------------------------------------------------------------------------- basics


def _at(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def _object(value: object, where: str, allowed: tuple[str, ...]) -> dict[str, object]:
    if not isinstance(value, dict):
        raise RulesInputError(where or "input", f"must be a JSON object, not {_kind(value)}")
    for key in value:
        if key not in allowed:
            raise RulesInputError(_at(where, key), f"unknown field (expected {', '.join(allowed)})")
    return value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _require(obj: Mapping[str, object], key: str, where: str) -> object:
    if key not in obj:
        raise RulesInputError(_at(where, key), "missing")
    return obj[key]


def _string(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise RulesInputError(where, f"must be a non-empty string, not {_kind(value)}")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise RulesInputError(where, f"must be true or false, not {_kind(value)}")
    return value


def _int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesInputError(where, f"must be an integer, not {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise RulesInputError(where, f"must be a list, not {_kind(value)}")
    return value


def _enum(value: object, enum: type[E], where: str, noun: str) -> E:
    choices = ", ".join(m.value for m in enum)
    if not isinstance(value, str):
        raise RulesInputError(where, f"must be one of {choices}, not {_kind(value)}")
    try:
        return enum(value)
    except ValueError:
        raise RulesInputError(where, f"unknown {noun} {show(value)} ({choices})") from None


def parse_fraction(value: object, where: str) -> Fraction:
    """``"2/3"``, ``"0.5"`` (or a JSON integer or number) as an exact fraction."""
    if isinstance(value, bool):
        raise RulesInputError(where, 'must be a fraction such as "2/3" or "0.5"')
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RulesInputError(where, f"malformed fraction {value!r}")
        value = repr(value)
        if "e" in value or "E" in value:
            raise RulesInputError(where, f'malformed fraction {value} (write it as "p/q")')
    if not isinstance(value, str):
        raise RulesInputError(where, f'must be a fraction such as "2/3", not {_kind(value)}')
    text = value.strip()
    if len(text) > _MAX_FRACTION_TEXT or not (_DECIMAL.fullmatch(text) or _RATIO.fullmatch(text)):
        raise RulesInputError(where, f'malformed fraction {show(value)} (expected "p/q" or "0.5")')
    if "/" in text and int(text.split("/")[1]) == 0:
        raise RulesInputError(where, f"malformed fraction {show(value)}: zero denominator")
    return Fraction(text)


def _built(where: str, make: Callable[..., T], /, **kwargs: object) -> T:
    """Construct a value; its own validation errors get ``where`` as a prefix."""
    try:
        return make(**kwargs)
    except RulesInputError as error:
        raise error.prefixed(where) from None


# ---------------------------------------------------------------------------- members

_MEMBER_KEYS = ("id", "organization", "college", "voting", "chair", "gender")


def parse_members(value: object, where: str = "members") -> tuple[Member, ...]:
    members: list[Member] = []
    seen: set[str] = set()
    for position, item in enumerate(_list(value, where)):
        at = _at(where, position)
        obj = _object(item, at, _MEMBER_KEYS)
        member_id = _string(_require(obj, "id", at), _at(at, "id"))
        if member_id in seen:
            raise RulesInputError(_at(at, "id"), f"duplicate member id {show(member_id)}")
        seen.add(member_id)
        members.append(
            _built(
                at,
                Member,
                id=member_id,
                organization=_string(_require(obj, "organization", at), _at(at, "organization")),
                college=_string(_require(obj, "college", at), _at(at, "college")),
                voting=_bool(obj.get("voting", True), _at(at, "voting")),
                chair=_bool(obj.get("chair", False), _at(at, "chair")),
                gender=_enum(obj.get("gender", "x"), Gender, _at(at, "gender"), "gender"),
            )
        )
    chairs = [m.id for m in members if m.chair]
    if len(chairs) > 1:
        raise RulesInputError(where, f"more than one chair ({', '.join(chairs)})")
    return tuple(members)


# ------------------------------------------------------------------------------- rule

_RULE_KEYS = (
    "method",
    "threshold",
    "base",
    "quorum",
    "max_proxies_per_member",
    "tie_break",
    "colleges",
    "fallback",
)


def parse_rule(value: object, where: str = "rule", *, fallback_allowed: bool = True) -> Rule:
    obj = _object(value, where, _RULE_KEYS)
    method = _enum(_require(obj, "method", where), Method, _at(where, "method"), "method")
    threshold = obj.get("threshold")
    quorum = obj.get("quorum")
    max_proxies = obj.get("max_proxies_per_member")
    colleges = obj.get("colleges")
    fallback = obj.get("fallback")
    if fallback is not None and not fallback_allowed:
        raise RulesInputError(_at(where, "fallback"), "a fallback rule has no fallback of its own")
    result: Rule = _built(
        where,
        Rule,
        method=method,
        threshold=None if threshold is None else parse_fraction(threshold, _at(where, "threshold")),
        base=_enum(obj.get("base", "present"), Base, _at(where, "base"), "base"),
        quorum=None if quorum is None else _parse_quorum(quorum, _at(where, "quorum")),
        max_proxies_per_member=(
            None if max_proxies is None else _int(max_proxies, _at(where, "max_proxies_per_member"))
        ),
        tie_break=_enum(
            obj.get("tie_break", "none"), TieBreak, _at(where, "tie_break"), "tie break"
        ),
        colleges=None if colleges is None else _parse_colleges(colleges, _at(where, "colleges")),
        fallback=None if fallback is None else _parse_fallback(fallback, _at(where, "fallback")),
    )
    return result


def _parse_quorum(value: object, where: str) -> Quorum:
    obj = _object(value, where, ("fraction", "per_college"))
    fraction = obj.get("fraction")
    per_college = obj.get("per_college")
    quorum: Quorum = _built(
        where,
        Quorum,
        fraction=Fraction(1, 2)
        if fraction is None
        else parse_fraction(fraction, _at(where, "fraction")),
        per_college=None
        if per_college is None
        else parse_fraction(per_college, _at(where, "per_college")),
    )
    return quorum


def _parse_colleges(value: object, where: str) -> CollegeRule:
    obj = _object(value, where, ("method", "threshold", "base", "required"))
    threshold = obj.get("threshold")
    required_raw = obj.get("required", "all")
    required: CollegesRequired | int
    if isinstance(required_raw, str):
        required = _enum(required_raw, CollegesRequired, _at(where, "required"), "requirement")
    elif isinstance(required_raw, int) and not isinstance(required_raw, bool):
        required = required_raw
    else:
        raise RulesInputError(_at(where, "required"), 'must be "all", "majority" or a number')
    rule: CollegeRule = _built(
        where,
        CollegeRule,
        method=_enum(obj.get("method", "simple"), Method, _at(where, "method"), "method"),
        threshold=None if threshold is None else parse_fraction(threshold, _at(where, "threshold")),
        base=_enum(obj.get("base", "present"), Base, _at(where, "base"), "base"),
        required=required,
    )
    return rule


def _parse_fallback(value: object, where: str) -> Fallback:
    obj = _object(value, where, ("from_round", "rule"))
    fallback: Fallback = _built(
        where,
        Fallback,
        from_round=_int(_require(obj, "from_round", where), _at(where, "from_round")),
        rule=parse_rule(_require(obj, "rule", where), _at(where, "rule"), fallback_allowed=False),
    )
    return fallback


#: The keys of a policy (the balance checks of a board), as in ``Policy``.
POLICY_KEYS = (
    "max_seat_share_per_organization",
    "min_women_share",
    "required_colleges",
    "max_non_voting",
    "no_dictator",
    "warn_veto",
)


def parse_policy(value: object, where: str = "policy") -> Policy:
    obj = _object(value, where, POLICY_KEYS)
    defaults = Policy()
    max_share = obj.get("max_seat_share_per_organization")
    min_women = obj.get("min_women_share")
    max_non_voting = obj.get("max_non_voting")
    required = _list(obj.get("required_colleges", []), _at(where, "required_colleges"))
    policy: Policy = _built(
        where,
        Policy,
        max_seat_share_per_organization=(
            defaults.max_seat_share_per_organization
            if max_share is None
            else parse_fraction(max_share, _at(where, "max_seat_share_per_organization"))
        ),
        min_women_share=(
            defaults.min_women_share
            if min_women is None
            else parse_fraction(min_women, _at(where, "min_women_share"))
        ),
        required_colleges=tuple(
            _string(c, _at(_at(where, "required_colleges"), k)) for k, c in enumerate(required)
        ),
        max_non_voting=(
            None if max_non_voting is None else _int(max_non_voting, _at(where, "max_non_voting"))
        ),
        no_dictator=_bool(obj.get("no_dictator", True), _at(where, "no_dictator")),
        warn_veto=_bool(obj.get("warn_veto", True), _at(where, "warn_veto")),
    )
    return policy


def _lang(obj: Mapping[str, object]) -> str:
    value = obj.get("lang", "fr")
    if not isinstance(value, str):
        raise RulesInputError("lang", f"must be fr, en or ar, not {_kind(value)}")
    return check_lang(value)


# ----------------------------------------------------------------------------- inputs


def parse_tally_input(obj: object) -> TallyInput:
    doc = _object(obj, "", ("members", "attendance", "recused", "ballots", "round", "rule", "lang"))
    members = parse_members(_require(doc, "members", ""))
    attendance_obj = doc.get("attendance", {})
    if not isinstance(attendance_obj, dict):
        raise RulesInputError("attendance", f"must be a JSON object, not {_kind(attendance_obj)}")
    attendance: dict[str, Attendance] = {}
    for member_id, status in attendance_obj.items():
        where = _at("attendance", member_id)
        if not isinstance(status, str):
            raise RulesInputError(where, f"must be a string, not {_kind(status)}")
        try:
            attendance[member_id] = Attendance.parse(status)
        except RulesInputError as error:
            raise error.prefixed(where) from None
    recused_list = _list(doc.get("recused", []), "recused")
    recused = frozenset(_string(r, _at("recused", k)) for k, r in enumerate(recused_list))
    ballots_obj = doc.get("ballots", {})
    if not isinstance(ballots_obj, dict):
        raise RulesInputError("ballots", f"must be a JSON object, not {_kind(ballots_obj)}")
    ballots = {
        member_id: _enum(vote, Vote, _at("ballots", member_id), "ballot")
        for member_id, vote in ballots_obj.items()
    }
    round_number = _int(doc.get("round", 1), "round")
    if round_number < 1:
        raise RulesInputError("round", f"must be at least 1, not {round_number}")
    return TallyInput(
        members=members,
        attendance=attendance,
        rule=parse_rule(_require(doc, "rule", "")),
        recused=recused,
        ballots=ballots,
        round=round_number,
        lang=_lang(doc),
    )


def parse_power_input(obj: object) -> WeightedInput | BoardInput:
    if isinstance(obj, dict) and "players" in obj:
        doc = _object(obj, "", ("players", "quota", "lang"))
        players: list[tuple[str, int]] = []
        for position, item in enumerate(_list(doc["players"], "players")):
            at = _at("players", position)
            player = _object(item, at, ("id", "weight"))
            players.append(
                (
                    _string(_require(player, "id", at), _at(at, "id")),
                    _int(_require(player, "weight", at), _at(at, "weight")),
                )
            )
        return WeightedInput(tuple(players), _int(_require(doc, "quota", ""), "quota"))
    doc = _object(obj, "", ("members", "rule", "bloc", "lang", "players", "quota"))
    if "members" not in doc:
        raise RulesInputError(
            "players", "missing (give players and quota, or members, rule and bloc)"
        )
    return BoardInput(
        members=parse_members(doc["members"]),
        rule=parse_rule(_require(doc, "rule", "")),
        bloc=_enum(doc.get("bloc", "organization"), Bloc, "bloc", "bloc"),
    )


def parse_balance_input(obj: object) -> BalanceInput:
    doc = _object(obj, "", ("members", "rule", "policy", "lang", "names"))
    names_obj = doc.get("names", {})
    if not isinstance(names_obj, dict):
        raise RulesInputError("names", f"must be a JSON object, not {_kind(names_obj)}")
    names = {org: _string(label, _at("names", org)) for org, label in names_obj.items()}
    return BalanceInput(
        members=parse_members(_require(doc, "members", "")),
        rule=parse_rule(_require(doc, "rule", "")),
        policy=parse_policy(doc.get("policy", {})),
        lang=_lang(doc),
        names=names,
    )


# ----------------------------------------------------------------------------- output


def to_json(result: TallyOutcome | PowerResult | BalanceReport) -> str:
    """The contract's JSON document for a result (UTF-8 text, one trailing newline)."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
