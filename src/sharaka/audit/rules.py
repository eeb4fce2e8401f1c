"""Pure pre-audit checks (issue 15): no Django, plain values in, findings out.

Each check has a stable ``code``, a ``severity``, a message (French source with
``%(name)s`` placeholders, translated by the caller: ``gettext(check.message) % params``)
and the legal or contractual reference an auditor would quote. A check function takes the
facts of one partnership as plain values (``audit.facts`` gathers them; SQL has already
narrowed large tables to candidate rows, docs/decisions/0023) and returns findings naming
the records involved, ``Record("expense", 42)``.

The functions never trust the narrowing: each decides on its own from the values it is
given, so handing one every row gives the same findings as handing it the candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

ZERO = Decimal("0")


def gettext_noop(message: str) -> str:
    """Marks a French source text for the translation catalogue (no Django here): the
    caller translates it with ``gettext``."""
    return message


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


#: Most serious first (the page and the command list findings in this order).
SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}


class Code(StrEnum):
    OUTSIDE_PLAN = "expense_outside_plan"
    LINE_OVERRUN = "line_overrun_unauthorised"
    MISSING_RECEIPT = "expense_missing_receipt"
    RECEIPT_AFTER_PAYMENT = "expense_receipt_after_payment"
    DUPLICATE = "expense_possible_duplicate"
    SELF_APPROVED = "expense_self_approved"
    CONTRIBUTION_OVERDUE = "contribution_not_received"
    IN_KIND_UNVALUED = "in_kind_without_valuation"
    STAFF_OVERBOOKED = "staff_time_over_100"
    ASSET_UNLOCATED = "asset_without_owner_or_location"
    MINUTES_LATE = "minutes_not_signed_in_time"
    ADMISSIBILITY_EXPIRED = "association_admissibility_expired"


@dataclass(frozen=True)
class Check:
    code: Code
    severity: Severity
    title: str  # French source, short
    message: str  # French source with %(name)s placeholders
    reference: str  # legal or contractual reference (quoted, not translated)


CHECKS: dict[Code, Check] = {
    check.code: check
    for check in (
        Check(
            Code.OUTSIDE_PLAN,
            Severity.HIGH,
            gettext_noop("Dépense hors du plan en vigueur"),
            gettext_noop(
                "La dépense du %(date)s n'est pas imputée à une activité et une ligne du plan "
                "d'action en vigueur à sa date."
            ),
            "Convention, clause du plan d'action ; loi organique 113-14, art. 150",
        ),
        Check(
            Code.LINE_OVERRUN,
            Severity.HIGH,
            gettext_noop("Dépassement de ligne non autorisé"),
            gettext_noop(
                "La ligne %(line)s dépasse son plafond de %(excess)s (prévu %(planned)s, tolérance "
                "%(tolerance)s %%) sans décision du conseil qui l'autorise."
            ),
            "Convention, clause de tolérance budgétaire ; décision du conseil requise",
        ),
        Check(
            Code.MISSING_RECEIPT,
            Severity.MEDIUM,
            gettext_noop("Pièce justificative manquante"),
            gettext_noop(
                "La dépense du %(date)s (%(supplier)s, %(amount)s) n'a pas de pièce justificative."
            ),
            "Dahir 1.58.376, art. 32 ter (comptes présentés au financeur) ; convention, clause "
            "financière",
        ),
        Check(
            Code.RECEIPT_AFTER_PAYMENT,
            Severity.MEDIUM,
            gettext_noop("Pièce jointe après le paiement"),
            gettext_noop(
                "La pièce de la dépense du %(date)s a été jointe le %(received)s, après son "
                "paiement le %(paid)s."
            ),
            "Convention, clause financière : pas de paiement sans pièce",
        ),
        Check(
            Code.DUPLICATE,
            Severity.MEDIUM,
            gettext_noop("Doublon possible"),
            gettext_noop(
                "%(count)s dépenses portent le même fournisseur (%(supplier)s), la même référence "
                "(%(reference)s) et le même montant (%(amount)s)."
            ),
            "Contrôle interne : un même justificatif ne se paie qu'une fois",
        ),
        Check(
            Code.SELF_APPROVED,
            Severity.HIGH,
            gettext_noop("Dépense approuvée par qui l'a enregistrée"),
            gettext_noop(
                "La dépense du %(date)s a été enregistrée et approuvée par la même personne."
            ),
            "Contrôle interne : séparation des tâches ; loi organique 113-14, art. 271",
        ),
        Check(
            Code.CONTRIBUTION_OVERDUE,
            Severity.MEDIUM,
            gettext_noop("Contribution promise non reçue"),
            gettext_noop(
                "La contribution %(year)s de %(partner)s : %(missing)s promis non reçus à "
                "l'échéance du %(due)s."
            ),
            "Loi organique 113-14, art. 150 (ressources engagées par chaque partie)",
        ),
        Check(
            Code.IN_KIND_UNVALUED,
            Severity.MEDIUM,
            gettext_noop("Apport en nature non valorisé"),
            gettext_noop(
                "L'apport en nature %(year)s de %(partner)s n'indique pas sa méthode de "
                "valorisation ou comment il est valorisé."
            ),
            "Loi organique 113-14, art. 150 ; convention, clause des contributions",
        ),
        Check(
            Code.STAFF_OVERBOOKED,
            Severity.HIGH,
            gettext_noop("Quotité de temps au-delà de 100 %"),
            gettext_noop(
                "%(person)s est affecté(e) à %(share)s %% d'un temps plein le %(date)s, tous "
                "partenariats confondus."
            ),
            "Convention, clause du personnel mis à disposition",
        ),
        Check(
            Code.ASSET_UNLOCATED,
            Severity.LOW,
            gettext_noop("Bien sans propriétaire ou emplacement"),
            gettext_noop("Le bien « %(asset)s » n'a pas de propriétaire ou d'emplacement inscrit."),
            "Décret 2.16.404, art. 5 (inventaire final) ; convention, clause des biens",
        ),
        Check(
            Code.MINUTES_LATE,
            Severity.MEDIUM,
            gettext_noop("Procès-verbal non signé dans le délai"),
            gettext_noop(
                "Le procès-verbal de la séance du %(date)s n'était pas signé le %(due)s "
                "(%(days)s jours ouvrables)."
            ),
            "Loi organique 113-14, art. 116 (procès-verbaux transmis sous 15 jours ouvrables)",
        ),
        Check(
            Code.ADMISSIBILITY_EXPIRED,
            Severity.HIGH,
            gettext_noop("Dossier de recevabilité expiré"),
            gettext_noop(
                "Le dossier de recevabilité de l'association %(partner)s a des pièces expirées : "
                "%(criteria)s."
            ),
            "Dahir 1.58.376 ; règlement de l'appel à projets de la collectivité",
        ),
    )
}


@dataclass(frozen=True, order=True)
class Record:
    type: str
    id: int

    def as_dict(self) -> dict[str, object]:
        return {"type": self.type, "id": self.id}


@dataclass(frozen=True)
class Finding:
    code: Code
    records: tuple[Record, ...]
    params: tuple[tuple[str, str], ...] = ()

    @property
    def check(self) -> Check:
        return CHECKS[self.code]

    @property
    def severity(self) -> Severity:
        return self.check.severity

    @property
    def message(self) -> str:
        """The French source text with its values (the caller translates the template)."""
        return self.check.message % dict(self.params)


def _finding(code: Code, records: Iterable[Record], **params: object) -> Finding:
    return Finding(code, tuple(records), tuple((k, str(v)) for k, v in params.items()))


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


# --- Expenses ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenseInPlan:
    """An expense and the plan it is charged to: the version's period of force
    (``in_force_from`` to ``in_force_until``, exclusive; ``None`` when not adopted / not
    superseded) and the plan's period, the version of its activity and the activity of its
    line."""

    id: int
    day: date
    version_id: int
    in_force_from: date | None
    in_force_until: date | None
    plan_start: date
    plan_end: date
    activity_id: int | None
    activity_version_id: int | None
    line_activity_id: int | None


def outside_plan(expenses: Iterable[ExpenseInPlan]) -> list[Finding]:
    found = []
    for e in expenses:
        in_force = (
            e.in_force_from is not None
            and e.in_force_from <= e.day
            and (e.in_force_until is None or e.day < e.in_force_until)
            and e.plan_start <= e.day <= e.plan_end
        )
        charged = (
            e.activity_id is not None
            and e.activity_version_id == e.version_id
            and e.line_activity_id == e.activity_id
        )
        if not (in_force and charged):
            found.append(
                _finding(Code.OUTSIDE_PLAN, [Record("expense", e.id)], date=e.day.isoformat())
            )
    return sorted(found, key=lambda f: f.records[0].id)  # the rows come in the index's order


@dataclass(frozen=True)
class LineUse:
    """A budget line: planned, used (spent and committed, net of reversals), authorised."""

    id: int
    label: str
    planned: Decimal
    used: Decimal
    authorised: Decimal


def line_overruns(lines: Iterable[LineUse], *, tolerance: Fraction) -> list[Finding]:
    """Lines whose use passes planned x (1 + tolerance) + what the board authorised."""
    found = []
    for line in lines:
        ceiling = Fraction(line.planned) * (1 + tolerance) + Fraction(line.authorised)
        excess = Fraction(line.used) - ceiling
        if excess > 0:
            amount = (Decimal(excess.numerator) / Decimal(excess.denominator)).quantize(
                Decimal("0.01")
            )
            found.append(
                _finding(
                    Code.LINE_OVERRUN,
                    [Record("budget_line", line.id)],
                    line=line.label,
                    excess=_money(amount),
                    planned=_money(line.planned),
                    tolerance=f"{float(tolerance) * 100:g}",
                )
            )
    return found


@dataclass(frozen=True)
class ExpenseReceipt:
    id: int
    day: date
    supplier: str
    amount: Decimal
    has_receipt: bool
    is_reversal: bool = False


def missing_receipts(expenses: Iterable[ExpenseReceipt]) -> list[Finding]:
    """Expenses without a receipt (a reversing entry needs none: it points to the original)."""
    return [
        _finding(
            Code.MISSING_RECEIPT,
            [Record("expense", e.id)],
            date=e.day.isoformat(),
            supplier=e.supplier,
            amount=_money(e.amount),
        )
        for e in expenses
        if not e.has_receipt and not e.is_reversal
    ]


@dataclass(frozen=True)
class ReceiptTiming:
    id: int
    day: date
    paid_at: datetime | None
    received_at: datetime | None  # when the receipt was attached


def receipts_after_payment(expenses: Iterable[ReceiptTiming]) -> list[Finding]:
    """Expenses paid on a day before their receipt was attached (days in the same time
    zone as both times)."""
    return [
        _finding(
            Code.RECEIPT_AFTER_PAYMENT,
            [Record("expense", e.id)],
            date=e.day.isoformat(),
            received=e.received_at.date().isoformat(),
            paid=e.paid_at.date().isoformat(),
        )
        for e in expenses
        if e.paid_at is not None
        and e.received_at is not None
        and e.received_at.date() > e.paid_at.date()
    ]


@dataclass(frozen=True)
class ExpenseKey:
    id: int
    supplier: str
    reference: str
    amount: Decimal


def _supplier_key(supplier: str) -> str:
    return " ".join(supplier.split()).casefold()


def duplicates(expenses: Iterable[ExpenseKey]) -> list[Finding]:
    """Groups of two or more expenses with the same supplier (spaces and case aside), the
    same non-blank reference and the same amount: one finding per group, naming each."""
    groups: dict[tuple[str, str, Decimal], list[ExpenseKey]] = defaultdict(list)
    for e in expenses:
        reference = e.reference.strip()
        if reference:
            groups[(_supplier_key(e.supplier), reference.casefold(), e.amount)].append(e)
    found = []
    for _key, members in sorted(groups.items(), key=lambda item: min(m.id for m in item[1])):
        ids = sorted({m.id for m in members})
        if len(ids) < 2:
            continue
        first = min(members, key=lambda m: m.id)
        found.append(
            _finding(
                Code.DUPLICATE,
                [Record("expense", i) for i in ids],
                count=len(ids),
                supplier=first.supplier.strip(),
                reference=first.reference.strip(),
                amount=_money(first.amount),
            )
        )
    return found


@dataclass(frozen=True)
class ExpenseApproval:
    id: int
    day: date
    recorded_by: int | None
    approved_by: int | None
    is_reversal: bool = False


def self_approved(expenses: Iterable[ExpenseApproval]) -> list[Finding]:
    """Expenses approved by the person who recorded them; a reversing entry is, by design
    (its author approves it at once), and is left out."""
    return [
        _finding(Code.SELF_APPROVED, [Record("expense", e.id)], date=e.day.isoformat())
        for e in expenses
        if e.recorded_by is not None and e.recorded_by == e.approved_by and not e.is_reversal
    ]


# --- Contributions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionFacts:
    id: int
    partner: str
    year: int
    in_kind: bool
    pledged: Decimal
    received: Decimal
    valuation_method: str = ""
    valuation_note: str = ""
    due: date | None = None  # None: the end of its year


def contribution_due(c: ContributionFacts) -> date:
    return c.due or date(c.year, 12, 31)


def contributions_overdue(
    contributions: Iterable[ContributionFacts], *, today: date
) -> list[Finding]:
    """Pledged more than received once the due date has passed."""
    found = []
    for c in contributions:
        due = contribution_due(c)
        if due < today and c.received < c.pledged:
            found.append(
                _finding(
                    Code.CONTRIBUTION_OVERDUE,
                    [Record("contribution", c.id)],
                    year=c.year,
                    partner=c.partner,
                    missing=_money(c.pledged - c.received),
                    due=due.isoformat(),
                )
            )
    return found


def in_kind_unvalued(contributions: Iterable[ContributionFacts]) -> list[Finding]:
    """In-kind contributions without a valuation method, or without saying how the method
    was applied (the figures behind a market value, the hours behind a time valuation)."""
    return [
        _finding(
            Code.IN_KIND_UNVALUED, [Record("contribution", c.id)], year=c.year, partner=c.partner
        )
        for c in contributions
        if c.in_kind and not (c.valuation_method.strip() and c.valuation_note.strip())
    ]


# --- Staff and assets --------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffShare:
    """One assignment of a person, in this partnership or another (``ours``)."""

    id: int
    person_id: int
    person: str
    share: Decimal  # percent of full time
    start: date
    end: date | None  # inclusive; None: open-ended
    ours: bool = True


def staff_overbooked(assignments: Iterable[StaffShare]) -> list[Finding]:
    """People whose concurrent shares, across partnerships, pass 100 % on some day: one
    finding per person, on the first day of their heaviest load, naming the assignments
    of that day (at least one of them in this partnership)."""
    by_person: dict[int, list[StaffShare]] = defaultdict(list)
    for a in assignments:
        by_person[a.person_id].append(a)
    found = []
    for person_id in sorted(by_person):
        rows = by_person[person_id]
        # A sweep over the days where the load changes: starts add, the day after an end
        # removes.
        events: dict[date, Decimal] = defaultdict(Decimal)
        for a in rows:
            events[a.start] += a.share
            if a.end is not None:
                events[a.end + timedelta(days=1)] -= a.share
        load = ZERO
        peak, peak_day = ZERO, None
        for day in sorted(events):
            load += events[day]
            if load > peak:
                peak, peak_day = load, day
        if peak <= 100 or peak_day is None:
            continue
        on = [a for a in rows if a.start <= peak_day and (a.end is None or peak_day <= a.end)]
        if not any(a.ours for a in on):
            continue
        found.append(
            _finding(
                Code.STAFF_OVERBOOKED,
                sorted(Record("staff_assignment", a.id) for a in on),
                person=rows[0].person,
                share=f"{peak:g}",
                date=peak_day.isoformat(),
            )
        )
    return found


@dataclass(frozen=True)
class AssetFacts:
    id: int
    name: str
    owner_id: int | None
    location: str


def assets_unlocated(assets: Iterable[AssetFacts]) -> list[Finding]:
    return [
        _finding(Code.ASSET_UNLOCATED, [Record("asset", a.id)], asset=a.name)
        for a in assets
        if a.owner_id is None or not a.location.strip()
    ]


# --- Meetings ----------------------------------------------------------------------------------


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``; public holidays aside."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@dataclass(frozen=True)
class MinutesFacts:
    meeting_id: int
    held_on: date
    minutes_id: int | None
    signed_on: date | None


def minutes_late(
    meetings: Iterable[MinutesFacts], *, today: date, delay_days: int = 15
) -> list[Finding]:
    """Minutes of a held meeting signed after ``delay_days`` working days, or still unsigned
    once they have passed."""
    found = []
    for m in meetings:
        due = add_working_days(m.held_on, delay_days)
        late = m.signed_on > due if m.signed_on is not None else today > due
        if late:
            records = [Record("meeting", m.meeting_id)]
            if m.minutes_id is not None:
                records.append(Record("minutes", m.minutes_id))
            found.append(
                _finding(
                    Code.MINUTES_LATE,
                    records,
                    date=m.held_on.isoformat(),
                    due=due.isoformat(),
                    days=delay_days,
                )
            )
    return found


# --- Partners ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdmissibilityFacts:
    """The admissibility file of an association party with the lead authority: for each
    criterion, the expiry dates of its accepted pieces (``None``: does not expire)."""

    file_id: int
    organization_id: int
    partner: str
    pieces: Mapping[str, tuple[date | None, ...]]


def admissibility_expired(files: Iterable[AdmissibilityFacts], *, today: date) -> list[Finding]:
    """Files where a criterion's accepted pieces have all expired (a piece counts until the
    day before its expiry date)."""
    found = []
    for f in files:
        expired = sorted(
            criterion
            for criterion, ends in f.pieces.items()
            if ends and all(end is not None and end <= today for end in ends)
        )
        if expired:
            found.append(
                _finding(
                    Code.ADMISSIBILITY_EXPIRED,
                    [
                        Record("admissibility_file", f.file_id),
                        Record("organization", f.organization_id),
                    ],
                    partner=f.partner,
                    criteria=", ".join(expired),
                )
            )
    return found


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most serious first, then by check and by the first record."""
    return sorted(
        findings,
        key=lambda f: (SEVERITY_RANK[f.severity], f.code.value, f.records[:1]),
    )
