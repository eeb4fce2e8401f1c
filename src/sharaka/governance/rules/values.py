"""Typed values of the governance rules: members, decision rules, policies and results.

Pure Python (no Django): the web application maps its models to these values, calls the
rules and stores the result. Every value validates itself on construction and raises
:class:`RulesInputError` naming the offending field, so a rule built by the web app is
checked exactly like one read from JSON by the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar


class RulesInputError(ValueError):
    """Bad input: ``field`` names where (``rule.threshold``), ``message`` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def prefixed(self, prefix: str) -> RulesInputError:
        """The same error, its field placed under ``prefix`` (``rule`` + ``threshold``)."""
        if not prefix:
            return self
        joined = prefix if not self.field else f"{prefix}{_join(self.field)}"
        return type(self)(joined, self.message)


class RulesLimitError(RulesInputError):
    """The input is valid but beyond what the engine computes exactly in reasonable time."""


def _join(field: str) -> str:
    return field if field.startswith("[") else f".{field}"


class Gender(StrEnum):
    F = "f"
    M = "m"
    X = "x"  # not stated


class Method(StrEnum):
    SIMPLE = "simple"
    ABSOLUTE = "absolute"
    QUALIFIED = "qualified"
    CONSENSUS = "consensus"
    UNANIMITY = "unanimity"


class Base(StrEnum):
    YES_NO = "yes_no"
    CAST = "cast"
    PRESENT = "present"
    MEMBERS = "members"


class TieBreak(StrEnum):
    NONE = "none"
    CHAIR = "chair"


class CollegesRequired(StrEnum):
    ALL = "all"
    MAJORITY = "majority"


class Bloc(StrEnum):
    ORGANIZATION = "organization"
    COLLEGE = "college"
    MEMBER = "member"


class Vote(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Presence(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    PROXY = "proxy"


class Reason(StrEnum):
    ADOPTED = "adopted"
    QUORUM_NOT_MET = "quorum_not_met"
    MAJORITY_NOT_REACHED = "majority_not_reached"
    OBJECTION = "objection"
    COLLEGES_NOT_REACHED = "colleges_not_reached"
    TIE = "tie"


LANGUAGES = ("fr", "en", "ar")
COLLEGE_METHODS = (Method.SIMPLE, Method.ABSOLUTE, Method.QUALIFIED)
DEFAULT_QUORUM = Fraction(1, 2)
DEFAULT_MAX_PROXIES = 1


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise RulesInputError("lang", f"unsupported language {_show(lang)} (fr, en or ar)")
    return lang


def _check_share(name: str, value: Fraction, *, allow_zero: bool) -> None:
    if not isinstance(value, Fraction):
        raise RulesInputError(name, f"must be a fraction, not {type(value).__name__}")
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1):
        interval = "[0, 1]" if allow_zero else "(0, 1]"
        raise RulesInputError(name, f'"{value}" is outside {interval}')


def _check_enum(name: str, value: object, enum: type[StrEnum]) -> None:
    if not isinstance(value, enum):
        choices = ", ".join(m.value for m in enum)
        raise RulesInputError(name, f"must be one of {choices}")


def _check_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesInputError(name, "must be an integer")
    if value < minimum:
        raise RulesInputError(name, f"must be at least {minimum}, not {value}")


@dataclass(frozen=True, slots=True)
class Member:
    """A board seat. ``voting=False`` marks experts and observers (M6)."""

    id: str
    organization: str
    college: str
    voting: bool = True
    chair: bool = False
    gender: Gender = Gender.X

    def __post_init__(self) -> None:
        for name in ("id", "organization", "college"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise RulesInputError(name, "must be a non-empty string")
        for name in ("voting", "chair"):
            if not isinstance(getattr(self, name), bool):
                raise RulesInputError(name, "must be true or false")
        _check_enum("gender", self.gender, Gender)


@dataclass(frozen=True, slots=True)
class Attendance:
    """Present, absent, excused, or represented by the present member ``holder``."""

    status: Presence
    holder: str | None = None

    def __post_init__(self) -> None:
        _check_enum("status", self.status, Presence)
        if (self.status is Presence.PROXY) != (self.holder is not None):
            raise RulesInputError("holder", "a proxy names its holder, and only a proxy does")

    @classmethod
    def present(cls) -> Attendance:
        return cls(Presence.PRESENT)

    @classmethod
    def absent(cls) -> Attendance:
        return cls(Presence.ABSENT)

    @classmethod
    def excused(cls) -> Attendance:
        return cls(Presence.EXCUSED)

    @classmethod
    def proxy(cls, holder: str) -> Attendance:
        return cls(Presence.PROXY, holder)

    @classmethod
    def parse(cls, text: str) -> Attendance:
        """``"present"``, ``"absent"``, ``"excused"`` or ``"proxy:<member id>"``."""
        if text.startswith("proxy:"):
            holder = text[len("proxy:") :]
            if not holder:
                raise RulesInputError("", '"proxy:" must name the member holding the proxy')
            return cls.proxy(holder)
        if text in (Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED):
            return cls(Presence(text))
        raise RulesInputError("", f"{_show(text)} is not present, absent, excused or proxy:<id>")

    def __str__(self) -> str:
        return f"proxy:{self.holder}" if self.status is Presence.PROXY else self.status.value

    @property
    def counts_present(self) -> bool:
        return self.status in (Presence.PRESENT, Presence.PROXY)


@dataclass(frozen=True, slots=True)
class Quorum:
    """``present / electorate >= fraction``; with ``per_college``, each college as well."""

    fraction: Fraction = DEFAULT_QUORUM
    per_college: Fraction | None = None

    def __post_init__(self) -> None:
        _check_share("fraction", self.fraction, allow_zero=True)
        if self.per_college is not None:
            _check_share("per_college", self.per_college, allow_zero=True)


@dataclass(frozen=True, slots=True)
class CollegeRule:
    """Double majority: each college tallied on its own, ``required`` of them must pass."""

    method: Method = Method.SIMPLE
    threshold: Fraction | None = None
    base: Base = Base.PRESENT
    required: CollegesRequired | int = CollegesRequired.ALL

    def __post_init__(self) -> None:
        _check_enum("method", self.method, Method)
        if self.method not in COLLEGE_METHODS:
            raise RulesInputError("method", "a college is tallied by simple, absolute or qualified")
        _check_threshold(self.method, self.threshold)
        _check_enum("base", self.base, Base)
        if not isinstance(self.required, CollegesRequired):
            if isinstance(self.required, bool) or not isinstance(self.required, int):
                raise RulesInputError("required", 'must be "all", "majority" or a number')
            _check_int("required", self.required, 1)


def _check_threshold(method: Method, threshold: Fraction | None) -> None:
    if threshold is not None:
        _check_share("threshold", threshold, allow_zero=False)
    elif method is Method.QUALIFIED:
        raise RulesInputError("threshold", "a qualified majority needs a threshold")


@dataclass(frozen=True, slots=True)
class Fallback:
    """From round ``from_round`` on, ``rule`` replaces the primary rule."""

    from_round: int
    rule: Rule

    def __post_init__(self) -> None:
        _check_int("from_round", self.from_round, 1)
        if not isinstance(self.rule, Rule):
            raise RulesInputError("rule", "must be a rule")
        if self.rule.fallback is not None:
            raise RulesInputError("rule.fallback", "a fallback rule has no fallback of its own")


@dataclass(frozen=True, slots=True)
class Rule:
    """A decision rule. ``quorum``/``max_proxies_per_member`` None: default (1/2, 1), or,
    in a fallback rule, the primary rule's value."""

    method: Method
    threshold: Fraction | None = None
    base: Base = Base.PRESENT
    quorum: Quorum | None = None
    max_proxies_per_member: int | None = None
    tie_break: TieBreak = TieBreak.NONE
    colleges: CollegeRule | None = None
    fallback: Fallback | None = None

    def __post_init__(self) -> None:
        _check_enum("method", self.method, Method)
        _check_threshold(self.method, self.threshold)
        _check_enum("base", self.base, Base)
        _check_enum("tie_break", self.tie_break, TieBreak)
        if self.max_proxies_per_member is not None:
            _check_int("max_proxies_per_member", self.max_proxies_per_member, 0)
        if self.quorum is not None and not isinstance(self.quorum, Quorum):
            raise RulesInputError("quorum", "must be a quorum")
        if self.colleges is not None and not isinstance(self.colleges, CollegeRule):
            raise RulesInputError("colleges", "must be a college rule")
        if self.fallback is not None and not isinstance(self.fallback, Fallback):
            raise RulesInputError("fallback", "must be a fallback")

    @property
    def effective_quorum(self) -> Quorum:
        return self.quorum if self.quorum is not None else Quorum()

    @property
    def effective_max_proxies(self) -> int:
        if self.max_proxies_per_member is None:
            return DEFAULT_MAX_PROXIES
        return self.max_proxies_per_member

    def for_round(self, round_number: int) -> Rule:
        """The rule that applies at this round: the fallback (quorum and proxy limit
        inherited when it omits them) from its round on, else this rule."""
        _check_int("round", round_number, 1)
        fallback = self.fallback
        if fallback is None or round_number < fallback.from_round:
            return self
        chosen = fallback.rule
        return replace(
            chosen,
            quorum=chosen.quorum if chosen.quorum is not None else self.quorum,
            max_proxies_per_member=(
                chosen.max_proxies_per_member
                if chosen.max_proxies_per_member is not None
                else self.max_proxies_per_member
            ),
        )


@dataclass(frozen=True, slots=True)
class Policy:
    """Board composition policy (M5, M6, M12). ``max_non_voting`` None: no limit."""

    max_seat_share_per_organization: Fraction = Fraction(1, 2)
    min_women_share: Fraction = Fraction(1, 3)
    required_colleges: tuple[str, ...] = ()
    max_non_voting: int | None = None
    no_dictator: bool = True
    warn_veto: bool = True

    def __post_init__(self) -> None:
        _check_share(
            "max_seat_share_per_organization",
            self.max_seat_share_per_organization,
            allow_zero=False,
        )
        _check_share("min_women_share", self.min_women_share, allow_zero=True)
        if not isinstance(self.required_colleges, tuple) or not all(
            isinstance(c, str) and c for c in self.required_colleges
        ):
            raise RulesInputError("required_colleges", "must be a list of college names")
        if self.max_non_voting is not None:
            _check_int("max_non_voting", self.max_non_voting, 0)
        for name in ("no_dictator", "warn_veto"):
            if not isinstance(getattr(self, name), bool):
                raise RulesInputError(name, "must be true or false")


# ---------------------------------------------------------------------------- results


def share_number(value: Fraction) -> float:
    """An exact fraction as a JSON number with 12 significant digits (output only)."""
    return float(f"{float(value):.12g}")


K = TypeVar("K")
V = TypeVar("V")


def _frozen(mapping: Mapping[K, V]) -> Mapping[K, V]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class CollegeQuorum:
    present: int
    electorate: int
    met: bool


@dataclass(frozen=True, slots=True)
class QuorumReport:
    met: bool
    present: int
    electorate: int
    required: Fraction
    colleges: Mapping[str, CollegeQuorum] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "met": self.met,
            "present": self.present,
            "electorate": self.electorate,
            "required": str(self.required),
            "colleges": {
                name: {"present": c.present, "electorate": c.electorate, "met": c.met}
                for name, c in self.colleges.items()
            },
        }


@dataclass(frozen=True, slots=True)
class Counts:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    not_voting: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "not_voting": self.not_voting,
        }


@dataclass(frozen=True, slots=True)
class CollegeTally:
    yes: int
    no: int
    abstain: int
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "passed": self.passed}


@dataclass(frozen=True, slots=True)
class TallyOutcome:
    adopted: bool
    reason: Reason
    method_applied: Method
    quorum: QuorumReport
    counts: Counts
    colleges: Mapping[str, CollegeTally]
    explanation: tuple[str, ...]
    rule_applied: Rule | None = None  # the rule after fallback, for the decision's snapshot

    def as_dict(self) -> dict[str, Any]:
        return {
            "adopted": self.adopted,
            "reason": self.reason.value,
            "method_applied": self.method_applied.value,
            "quorum": self.quorum.as_dict(),
            "counts": self.counts.as_dict(),
            "colleges": {name: c.as_dict() for name, c in self.colleges.items()},
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True, slots=True)
class PowerResult:
    """Power indices, exact. ``banzhaf`` is normalised; both indices are 0 for everyone
    when nobody can swing (no coalition wins)."""

    players: tuple[str, ...]
    banzhaf: Mapping[str, Fraction]
    banzhaf_swings: Mapping[str, int]
    shapley_shubik: Mapping[str, Fraction]
    dictators: tuple[str, ...]
    veto_players: tuple[str, ...]
    minimal_winning_coalitions: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.players),
            "banzhaf": {p: share_number(self.banzhaf[p]) for p in self.players},
            "banzhaf_swings": {p: self.banzhaf_swings[p] for p in self.players},
            "shapley_shubik": {p: share_number(self.shapley_shubik[p]) for p in self.players},
            "dictators": list(self.dictators),
            "veto_players": list(self.veto_players),
            "minimal_winning_coalitions": self.minimal_winning_coalitions,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    subject: str | None = None  # the organisation or college concerned, if any

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class BalanceReport:
    """``power`` is None only when the board has more organisations than the exact
    power computation accepts (dictator and veto checks are still made)."""

    ok: bool
    violations: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    seat_shares: Mapping[str, Fraction]
    seats: Mapping[str, int]
    women_share: Fraction
    power: PowerResult | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "violations": [v.as_dict() for v in self.violations],
            "warnings": [w.as_dict() for w in self.warnings],
            "seat_shares": {o: share_number(s) for o, s in self.seat_shares.items()},
            "women_share": share_number(self.women_share),
            "power": None if self.power is None else self.power.as_dict(),
        }


def _show(value: object, limit: int = 40) -> str:
    """A value quoted for a one-line message, cut to ``limit`` characters."""
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 3] + '..."'


show = _show
frozen_mapping = _frozen
