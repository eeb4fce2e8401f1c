"""The partnership lifecycle: which status may follow which. Pure, no Django import.

    draft -> negotiation -> active -> terminating -> terminated
                            active <-> suspended

A negotiation may also fall back to draft, and a suspended partnership may go straight
into termination. Everything else is refused. This table is the only place that says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    NEGOTIATION = "negotiation"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATING = "terminating"
    TERMINATED = "terminated"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.NEGOTIATION}),
    Status.NEGOTIATION: frozenset({Status.ACTIVE, Status.DRAFT}),
    Status.ACTIVE: frozenset({Status.SUSPENDED, Status.TERMINATING}),
    Status.SUSPENDED: frozenset({Status.ACTIVE, Status.TERMINATING}),
    Status.TERMINATING: frozenset({Status.TERMINATED}),
    Status.TERMINATED: frozenset(),
}

#: Statuses in which a partnership is shown on the public portal.
PUBLISHED = frozenset({Status.ACTIVE, Status.SUSPENDED, Status.TERMINATING, Status.TERMINATED})


def allowed_next(current: Status) -> frozenset[Status]:
    return TRANSITIONS[current]


def is_allowed(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


# ------------------------------------------------------------------ conditions to move
#
# Each move has conditions, held here as data (issue 17): a code, a French label (marked
# for translation where Django shows it), the legal reference where there is one, the page
# that fixes it, and whether Sharaka can record the data yet. A condition whose data cannot
# be recorded yet is shown on every checklist as "à venir", to be checked by hand, and does
# not block its move until its data can be recorded (ADR 0018).


def gettext_noop(message: str) -> str:
    """Marks a French label for the message catalogues; Django translates it when shown."""
    return message


@dataclass(frozen=True)
class Facts:
    """What the conditions look at, gathered by ``selectors.lifecycle_facts_get``."""

    parties: int = 0
    board_composed: bool = False  # a board, every voting seat held
    board_balanced: bool = False  # no violation of the balance policy
    imbalance_accepted: bool = False  # kept for ports; the move's reason cites the decision
    convention_signed_by_all: bool = False  # a signed version, a signatory for every party
    deliberations_recorded: bool = False  # every public party's deliberation, oversight cleared
    action_plan_adopted: bool = False  # a plan version adopted by the board
    board_decisions: frozenset[str] = frozenset()  # numbers of the board's recorded decisions
    termination_ground: str = ""  # the recorded ground of termination (closure), if any
    wind_down_closed: bool = False  # every wind-down item closed (closure)
    final_accounts_approved: bool = False  # the final accounts approved (closure)


class Fix(StrEnum):
    """The page where an officer fixes a missing condition (``views`` maps it to a URL)."""

    PARTIES = "parties"
    BOARD = "board"
    CONVENTION = "convention"
    PLAN = "plan"
    MEETINGS = "meetings"
    DELIBERATIONS = "deliberations"
    CLOSURE = "closure"
    NONE = ""


#: The ground of termination that needs no board decision: the convention's term has come.
EXPIRY = "expiry"


def _cites_a_decision(facts: Facts, note: str | None) -> bool:
    """Before the move (``note`` None): a decision exists to cite. At the move: the reason
    names one of the board's recorded decisions by its number. Expiry needs none."""
    if facts.termination_ground == EXPIRY:
        return True
    return _cites(facts, note)


def _cites(facts: Facts, note: str | None) -> bool:
    if note is None:
        return bool(facts.board_decisions)
    return any(
        re.search(rf"(?<![\w-]){re.escape(number)}(?![\w-])", note, re.IGNORECASE)
        for number in facts.board_decisions
    )


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    check: Callable[[Facts, str | None], bool]
    legal: str = ""
    fix: Fix = Fix.NONE
    available: bool = True  # False: Sharaka cannot record this yet ("à venir")
    before: str = ""  # the label on the status page, before the move's reason is typed


def _balanced_or_accepted(facts: Facts, note: str | None) -> bool:
    """A balanced board, or its imbalance accepted by a board decision recorded in Sharaka
    and cited by its number in the move's reason (as the termination reason does)."""
    return facts.board_balanced or facts.imbalance_accepted or _cites(facts, note)


TWO_PARTIES = Condition(
    "two_parties",
    gettext_noop("Au moins deux parties"),
    lambda f, _n: f.parties >= 2,
    fix=Fix.PARTIES,
)
BOARD_COMPOSED = Condition(
    "board_composed", gettext_noop("Conseil composé (chaque siège avec voix délibérative pourvu)"),
    lambda f, _n: f.board_composed, fix=Fix.BOARD,
)  # fmt: skip
BOARD_BALANCED = Condition(
    "board_balanced", gettext_noop("Conseil équilibré, ou déséquilibre accepté par une décision"),
    _balanced_or_accepted, fix=Fix.BOARD,
    before=gettext_noop("Conseil équilibré ; sinon, citez dans le motif la décision du conseil "
                        "qui accepte le déséquilibre"),
)  # fmt: skip
CONVENTION_SIGNED = Condition(
    "convention_signed", gettext_noop("Convention signée par chaque partie"),
    lambda f, _n: f.convention_signed_by_all, legal="Loi organique 113-14, art. 94",
    fix=Fix.CONVENTION,
)  # fmt: skip
DELIBERATIONS = Condition(
    "council_deliberations",
    gettext_noop(
        "Délibération approuvant la convention, pour chaque partie publique, et contrôle "
        "de tutelle levé"
    ),
    lambda f, _n: f.deliberations_recorded,
    legal="Loi organique 113-14, art. 92 et 116 à 118", fix=Fix.DELIBERATIONS,
)  # fmt: skip
PLAN_ADOPTED = Condition(
    "action_plan_adopted", gettext_noop("Plan d'action adopté par le conseil"),
    lambda f, _n: f.action_plan_adopted, fix=Fix.PLAN,
)  # fmt: skip
TERMINATION_GROUND = Condition(
    "termination_ground",
    gettext_noop("Motif de fin enregistré (expiration, préavis, accord, manquement)"),
    lambda f, _n: bool(f.termination_ground), fix=Fix.CLOSURE,
)  # fmt: skip
TERMINATION_DECISION = Condition(
    "termination_decision",
    gettext_noop("Décision du conseil sur la résiliation, citée par son numéro dans le motif"),
    _cites_a_decision, fix=Fix.MEETINGS,
    before=gettext_noop("Une décision du conseil existe à citer"),
)  # fmt: skip
WIND_DOWN_CLOSED = Condition(
    "wind_down_closed", gettext_noop("Liste de liquidation entièrement soldée"),
    lambda f, _n: f.wind_down_closed, legal="Décret 2.16.404, art. 5", fix=Fix.CLOSURE,
)  # fmt: skip
FINAL_ACCOUNTS = Condition(
    "final_accounts_approved", gettext_noop("Comptes de clôture approuvés par le conseil"),
    lambda f, _n: f.final_accounts_approved, fix=Fix.CLOSURE,
)  # fmt: skip

#: The conditions of each move; a move not listed has none (back to draft, suspension,
#: resumption after a suspension).
CONDITIONS: dict[tuple[Status, Status], tuple[Condition, ...]] = {
    (Status.DRAFT, Status.NEGOTIATION): (TWO_PARTIES,),
    (Status.NEGOTIATION, Status.ACTIVE): (
        TWO_PARTIES, BOARD_COMPOSED, BOARD_BALANCED, CONVENTION_SIGNED, DELIBERATIONS,
        PLAN_ADOPTED,
    ),
    (Status.ACTIVE, Status.TERMINATING): (TERMINATION_GROUND, TERMINATION_DECISION),
    (Status.SUSPENDED, Status.TERMINATING): (TERMINATION_GROUND, TERMINATION_DECISION),
    (Status.TERMINATING, Status.TERMINATED): (WIND_DOWN_CLOSED, FINAL_ACCOUNTS),
}  # fmt: skip


@dataclass(frozen=True)
class Checked:
    condition: Condition
    met: bool


def conditions_of(current: Status, target: Status) -> tuple[Condition, ...]:
    return CONDITIONS.get((current, target), ())


def check_move(
    current: Status, target: Status, facts: Facts, note: str | None = None
) -> tuple[Checked, ...]:
    """Every condition of the move with whether it is met (``note``: the move's reason, or
    None before the move, on the status page)."""
    return tuple(Checked(c, c.check(facts, note)) for c in conditions_of(current, target))


def missing(current: Status, target: Status, facts: Facts, note: str | None = None) -> list[str]:
    """The codes of the unmet conditions of the move that Sharaka can check (empty: the move
    may happen). A condition it cannot record yet is left to the officer, and shown."""
    return [
        c.condition.code
        for c in check_move(current, target, facts, note)
        if not c.met and c.condition.available
    ]
