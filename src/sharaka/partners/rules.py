"""Admissibility of an association (M3): pure rules, no Django.

A criteria set (``Criterion``) and the evidence supplied (``Evidence``) give, as of a date,
a result, a score and the list of what is missing or expired, each item naming its
criterion and legal reference (``assess``). Funding thresholds (dahir of 1958 art. 32 ter,
circular 7/2003) are data too (``Threshold``); ``thresholds_crossed`` says which ones a new
amount crosses.

The result, following issue 13's wording ("an eliminatory criterion missing always means
not admissible"; "an expired document turns a file from admissible to incomplete on the
day it expires"):

- ``NOT_ADMISSIBLE``: an eliminatory criterion that applies is **missing**: nothing was
  supplied for it, or everything supplied was rejected by the officer, or the fact was
  answered "no", or the judgement scored 0;
- ``INCOMPLETE``: no eliminatory criterion is missing, but one is not met today only
  because its document **expired**, is **awaiting** the officer's check, or is a provisional
  receipt whose waiting time has not run yet;
- ``ADMISSIBLE``: every eliminatory criterion that applies is met on that date.

Non-eliminatory criteria never change the result: they add to the score, and a missing
one is listed. The result does not depend on the order of the evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class CriterionKind(StrEnum):
    DOCUMENT = "document"  # a document, with an issue date and maybe an expiry date
    FACT = "fact"  # a yes/no fact
    SCORED = "scored"  # a judgement scored 0..max_score


class Condition(StrEnum):
    """When a criterion applies to an association."""

    ALWAYS = "always"
    PUBLIC_UTILITY = "public_utility"  # recognised of public utility (art. 9)
    PREVIOUSLY_FUNDED = "previously_funded"  # funded before by the authority


class Outcome(StrEnum):
    ADMISSIBLE = "admissible"
    NOT_ADMISSIBLE = "not_admissible"
    INCOMPLETE = "incomplete"


class Check(StrEnum):
    """The officer's check of one piece of evidence."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Gap(StrEnum):
    """Why a criterion is not met on the date."""

    MISSING = "missing"  # nothing usable: not supplied, rejected, "no", or scored 0
    EXPIRED = "expired"  # an accepted document whose expiry date has passed
    PENDING = "pending"  # supplied, awaiting the officer's check
    WAITING = "waiting"  # a provisional receipt whose waiting time has not run yet


@dataclass(frozen=True)
class Criterion:
    code: str
    kind: CriterionKind
    weight: int = 1
    eliminatory: bool = False
    max_score: int = 1  # for SCORED; 1 for the other kinds
    reference: str = ""
    label: str = ""
    condition: Condition = Condition.ALWAYS
    # A provisional receipt counts once this many days have passed since it was issued
    # (dahir of 1958 art. 5: 60 days); ``None``: a provisional document never counts.
    provisional_wait_days: int | None = None


@dataclass(frozen=True)
class Evidence:
    criterion: str  # the criterion's code
    check: Check = Check.PENDING
    issued_on: date | None = None
    expires_on: date | None = None  # counts on the day before, not on this day
    value: bool | None = None  # a FACT's answer
    score: int | None = None  # a SCORED judgement
    provisional: bool = False


@dataclass(frozen=True)
class Facts:
    """What the rules need to know of the association."""

    public_utility: bool = False
    previously_funded: bool = False


@dataclass(frozen=True)
class Item:
    """A criterion that is not (fully) met: what the file page and the API list."""

    code: str
    label: str
    reference: str
    gap: Gap
    eliminatory: bool


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    score: Fraction  # weighted points earned
    max_score: int  # sum of the weights of the criteria that apply
    items: tuple[Item, ...]

    @property
    def percent(self) -> Decimal:
        """The score out of 100, one decimal (0 when no criterion applies)."""
        if not self.max_score:
            return Decimal(0)
        value = self.score * 100 / self.max_score
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"))


def applies(criterion: Criterion, facts: Facts) -> bool:
    if criterion.condition is Condition.PUBLIC_UTILITY:
        return facts.public_utility
    if criterion.condition is Condition.PREVIOUSLY_FUNDED:
        return facts.previously_funded
    return True


def valid_on(evidence: Evidence, criterion: Criterion, on: date) -> bool:
    """Is this accepted piece in force on ``on``? Issued on or before, not expired (the
    expiry date is the first day it no longer counts), a provisional one past its wait."""
    if evidence.issued_on is not None and evidence.issued_on > on:
        return False
    if evidence.expires_on is not None and evidence.expires_on <= on:
        return False
    if evidence.provisional:
        wait = criterion.provisional_wait_days
        if wait is None or evidence.issued_on is None:
            return False
        return evidence.issued_on + timedelta(days=wait) <= on
    return True


def _points(evidence: Evidence, criterion: Criterion) -> Fraction:
    """What one accepted, valid piece earns, between 0 and 1 of the criterion's weight."""
    if criterion.kind is CriterionKind.FACT:
        return Fraction(1 if evidence.value else 0)
    if criterion.kind is CriterionKind.SCORED:
        top = max(criterion.max_score, 1)
        return Fraction(min(max(evidence.score or 0, 0), top), top)
    return Fraction(1)


def _gap(criterion: Criterion, pieces: Sequence[Evidence], on: date) -> Gap:
    """Why a criterion earning nothing is not met: the most hopeful reason wins."""
    if any(e.check is Check.PENDING for e in pieces):
        return Gap.PENDING
    accepted = [e for e in pieces if e.check is Check.ACCEPTED]
    useful = [e for e in accepted if _points(e, criterion) > 0]
    wait = criterion.provisional_wait_days
    if wait is not None and any(
        e.provisional and e.issued_on is not None and e.issued_on + timedelta(days=wait) > on
        and (e.expires_on is None or e.expires_on > on)
        for e in useful
    ):  # fmt: skip
        return Gap.WAITING
    if any(e.expires_on is not None and e.expires_on <= on for e in useful):
        return Gap.EXPIRED
    return Gap.MISSING


def assess(
    criteria: Iterable[Criterion], evidence: Iterable[Evidence], *, on: date, facts: Facts
) -> Assessment:
    """The admissibility of a file on ``on`` (see the module's docstring for the result).

    Each criterion earns, times its weight, the best of its accepted pieces valid on
    ``on`` (a document or a "yes": 1; a judgement: score / max_score). Adding a piece can
    only add a candidate to that best: the score never goes down."""
    by_code: dict[str, list[Evidence]] = {}
    for piece in evidence:
        by_code.setdefault(piece.criterion, []).append(piece)
    score = Fraction(0)
    total = 0
    items: list[Item] = []
    worst = Outcome.ADMISSIBLE
    for criterion in criteria:
        if not applies(criterion, facts):
            continue
        total += criterion.weight
        pieces = by_code.get(criterion.code, [])
        valid = [e for e in pieces if e.check is Check.ACCEPTED and valid_on(e, criterion, on)]
        best = max((_points(e, criterion) for e in valid), default=Fraction(0))
        score += best * criterion.weight
        if best > 0:
            continue  # met (a judgement's partial score counts: nothing is missing)
        gap = _gap(criterion, pieces, on)
        items.append(
            Item(criterion.code, criterion.label, criterion.reference, gap, criterion.eliminatory)
        )
        if criterion.eliminatory:
            if gap is Gap.MISSING:
                worst = Outcome.NOT_ADMISSIBLE
            elif worst is Outcome.ADMISSIBLE:
                worst = Outcome.INCOMPLETE
    return Assessment(outcome=worst, score=score, max_score=total, items=tuple(items))


# --- Funding thresholds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """Cumulative public funding of one association by one authority in one year above
    ``amount`` requires something (accounts, a convention), under ``reference``."""

    amount: Decimal
    requirement: str
    reference: str
    verified: bool = True


def thresholds_crossed(
    thresholds: Iterable[Threshold], *, before: Decimal, after: Decimal
) -> list[Threshold]:
    """The thresholds that a total going from ``before`` to ``after`` goes above ("more
    than" the amount: reaching it exactly crosses nothing), lowest first."""
    return sorted((t for t in thresholds if before <= t.amount < after), key=lambda t: t.amount)


def thresholds_above(thresholds: Iterable[Threshold], total: Decimal) -> list[Threshold]:
    """The thresholds a yearly total is above, lowest first."""
    return thresholds_crossed(thresholds, before=Decimal(0), after=total)


# --- Conflicts of interest (law 113-14 art. 65) -------------------------------------------------


@dataclass(frozen=True, order=True)
class Conflict:
    """An elected member (``person``) of ``authority`` who sits on the bureau of
    ``association``, while the two are parties to one same partnership."""

    person: int
    authority: int
    association: int


def conflicts(
    councillors: Iterable[tuple[int, int]],
    bureau: Iterable[tuple[int, int]],
    links: Iterable[tuple[int, int]],
) -> frozenset[Conflict]:
    """The conflicts of interest, from the councillors ``(person, authority)`` sitting
    today, the bureau members ``(person, association)`` sitting today and the pairs
    ``(authority, association)`` that are parties to one same partnership (law 113-14
    art. 65: an elected member may not have an interest in an association that deals
    with the authority)."""
    associations_of: dict[int, set[int]] = {}
    for person, association in bureau:
        associations_of.setdefault(person, set()).add(association)
    linked = set(links)
    return frozenset(
        Conflict(person, authority, association)
        for person, authority in councillors
        for association in associations_of.get(person, ())
        if (authority, association) in linked
    )


def undeclared(
    found: Iterable[Conflict], declared: Iterable[tuple[int, int, int]]
) -> list[Conflict]:
    """The conflicts with no declaration ``(person, authority, association)`` yet, in a
    stable order."""
    done = set(declared)
    return sorted(c for c in found if (c.person, c.authority, c.association) not in done)
