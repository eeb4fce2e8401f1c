"""The end of a partnership, as data (issue 17): the grounds of termination with their legal
references, the effective date, the kinds of wind-down items and their dispositions, when the
wind-down is closed, and the sharing key of the final accounts. Pure: no Django import.

French labels are marked with a local ``gettext_noop`` and translated where Django shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import lcm


def gettext_noop(message: str) -> str:
    """Marks a French label for the message catalogues; Django translates it when shown."""
    return message


# ------------------------------------------------------------------------ grounds


class Ground(StrEnum):
    EXPIRY = "expiry"
    NOTICE = "notice"
    AGREEMENT = "agreement"
    BREACH = "breach"


@dataclass(frozen=True)
class GroundSpec:
    code: Ground
    label: str
    legal: str
    clause: str  # the convention's clause that governs it ("" when none)
    needs_decision: bool  # the move must cite a board decision
    notice: str  # "" (none), "termination" (notice_days) or "breach" (breach_notice_days)


#: The grounds of termination. The convention's clauses come first (the catalogue's
#: « Durée et renouvellement », « Fin du partenariat », « Suspension, résiliation et
#: remboursement »); the law behind them second. Expiry needs no decision: the term ends by
#: itself (the platform starts it through the daily job).
GROUNDS: dict[Ground, GroundSpec] = {
    Ground.EXPIRY: GroundSpec(
        Ground.EXPIRY, gettext_noop("Expiration de la convention"),
        "Convention, clause « Durée et renouvellement » ; décret 2.16.404, art. 5",
        "duration", needs_decision=False, notice="",
    ),
    Ground.NOTICE: GroundSpec(
        Ground.NOTICE, gettext_noop("Dénonciation par une partie, avec préavis"),
        "Convention, clause « Fin du partenariat » (préavis) ; décret 2.16.404, art. 5",
        "termination", needs_decision=True, notice="termination",
    ),
    Ground.AGREEMENT: GroundSpec(
        Ground.AGREEMENT, gettext_noop("Accord des parties"),
        "Dahir des obligations et contrats, art. 230 (consentement mutuel)",
        "", needs_decision=True, notice="",
    ),
    Ground.BREACH: GroundSpec(
        Ground.BREACH, gettext_noop("Manquement d'une partie, après mise en demeure"),
        "Convention, clause « Suspension, résiliation et remboursement » ; "
        "Dahir des obligations et contrats, art. 259",
        "suspension", needs_decision=True, notice="breach",
    ),
}  # fmt: skip


def notice_days_for(ground: Ground, terms: Mapping[str, int | None]) -> int:
    """The notice period of ``ground`` under the convention's terms (0 when none applies):
    ``terms`` holds ``notice_days`` (termination clause) and ``breach_notice_days``."""
    spec = GROUNDS[ground]
    if spec.notice == "termination":
        return int(terms.get("notice_days") or 0)
    if spec.notice == "breach":
        return int(terms.get("breach_notice_days") or 0)
    return 0


def effective_date(ground: Ground, start: date, notice_days: int) -> date:
    """When the termination takes effect: the day the notice (received on ``start``) runs
    out, or ``start`` itself for expiry and agreement (the date of the end, agreed on)."""
    if notice_days < 0:
        raise ValueError("a notice period is not negative")
    if GROUNDS[ground].notice:
        return start + timedelta(days=notice_days)
    return start


def _add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28) + timedelta(days=1)


def convention_end(
    start: date | None,
    years: int | None,
    renewal: str = "none",
    renewal_years: int | None = None,
    renewals: int = 0,
) -> date | None:
    """The day after the last day of a convention made for ``years`` from ``start`` (its
    entry into force), extended by ``renewals`` tacit renewals of ``renewal_years`` each; or
    ``None``: no term, or tacitly renewed without a period (it ends only on notice)."""
    if start is None or not years:
        return None
    if renewal == "tacit":
        if not renewal_years:
            return None
        return _add_years(start, years + renewals * renewal_years)
    return _add_years(start, years)


def renews(renewal: str, renewal_years: int | None) -> bool:
    """Whether the term, once reached, renews itself instead of starting termination."""
    return renewal == "tacit" and bool(renewal_years)


#: Officers are told this many days before the convention's term (90, then urgent at 30).
EXPIRY_WARNING_DAYS = 90
EXPIRY_URGENT_DAYS = 30


def expiry_warning(end: date | None, today: date) -> str:
    """``"soon"`` within 30 days of the term, ``"info"`` within 90, ``""`` otherwise (or once
    the term is reached: the daily job then renews or starts the termination)."""
    if end is None or end <= today:
        return ""
    left = (end - today).days
    if left <= EXPIRY_URGENT_DAYS:
        return "soon"
    return "info" if left <= EXPIRY_WARNING_DAYS else ""


def expired(end: date | None, today: date) -> bool:
    return end is not None and end <= today


# ------------------------------------------------------------------ wind-down items


class ItemKind(StrEnum):
    ASSET = "asset"
    STAFF = "staff"
    CONTRIBUTION = "contribution"
    DELEGATION = "delegation"
    FINAL_ACCOUNTS = "final_accounts"
    DOCUMENTS = "documents"


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


CLOSED = frozenset({ItemStatus.DONE, ItemStatus.NOT_APPLICABLE})


@dataclass(frozen=True)
class ItemSpec:
    kind: ItemKind
    label: str
    legal: str
    dispositions: tuple[tuple[str, str], ...]  # (code, French label)
    automatic: bool = False  # closed by Sharaka itself, never by hand


#: What a wind-down checklist holds, generated from the registers when termination starts:
#: one item per asset and premises, per staff assignment still running, per delegation
#: still running, per partner whose pledged contributions are not all received, then the
#: final accounts (closed when they are approved) and the archiving of the documents.
ITEM_SPECS: dict[ItemKind, ItemSpec] = {
    ItemKind.ASSET: ItemSpec(
        ItemKind.ASSET, gettext_noop("Bien rendu ou transféré"),
        "Décret 2.16.404, art. 5 (inventaire final)",
        (("returned", gettext_noop("rendu à son propriétaire")),
         ("transferred", gettext_noop("transféré à une autre partie")),
         ("sold", gettext_noop("vendu")),
         ("written_off", gettext_noop("mis au rebut"))),
    ),
    ItemKind.STAFF: ItemSpec(
        ItemKind.STAFF, gettext_noop("Affectation ou contrat terminé"), "",
        (("returned_to_body", gettext_noop("fonctionnaire réintégré dans son corps d'origine")),
         ("stays_with_party", gettext_noop("salarié restant chez sa partie (droit du travail)")),
         ("contract_ended", gettext_noop("contrat terminé avec son préavis"))),
    ),
    ItemKind.CONTRIBUTION: ItemSpec(
        ItemKind.CONTRIBUTION, gettext_noop("Contributions promises soldées"), "",
        (("received", gettext_noop("reçues")),
         ("waived", gettext_noop("abandonnées par décision"))),
    ),
    ItemKind.DELEGATION: ItemSpec(
        ItemKind.DELEGATION, gettext_noop("Délégation terminée"), "",
        (("ended", gettext_noop("terminée")),),
    ),
    ItemKind.FINAL_ACCOUNTS: ItemSpec(
        ItemKind.FINAL_ACCOUNTS, gettext_noop("Comptes de clôture approuvés"), "",
        (), automatic=True,
    ),
    ItemKind.DOCUMENTS: ItemSpec(
        ItemKind.DOCUMENTS, gettext_noop("Documents archivés"), "",
        (("archived", gettext_noop("archivés")),),
    ),
}  # fmt: skip


def disposition_codes(kind: ItemKind) -> frozenset[str]:
    return frozenset(code for code, _label in ITEM_SPECS[kind].dispositions)


def wind_down_closed(statuses: Iterable[str]) -> bool:
    """Every item closed (done or not applicable), and at least one item."""
    seen = list(statuses)
    return bool(seen) and all(ItemStatus(s) in CLOSED for s in seen)


def item_problem(kind: ItemKind, status: ItemStatus, disposition: str) -> str:
    """Why an item cannot be saved so ("" when it can): an item done says what became of
    it (a disposition of its kind); an automatic item is never closed by hand."""
    spec = ITEM_SPECS[kind]
    if spec.automatic and status in CLOSED:
        return "automatic"
    if disposition and disposition not in disposition_codes(kind):
        return "disposition"
    if status == ItemStatus.DONE and spec.dispositions and not disposition:
        return "disposition_missing"
    return ""


# ------------------------------------------------------------- associations' assets


@dataclass(frozen=True)
class LegalNote:
    text: str  # French, translated where shown
    legal: str  # the reference, shown beside the rule


#: What becomes of a dissolved association's assets (``shared/domain/morocco.md``): shown
#: beside the final accounts for each association party.
ASSOCIATION_ASSETS = LegalNote(
    gettext_noop(
        "Si l'association est dissoute, ses biens vont comme ses statuts ou son assemblée "
        "générale le décident ; si elle a régulièrement reçu des subventions publiques, ils "
        "reviennent à l'État."
    ),
    "Dahir 1.58.376 du 15 novembre 1958 relatif aux associations, art. 37",
)


def associations(kinds: Mapping[str, str]) -> tuple[str, ...]:
    """The parties (name -> organization kind) to whom the note on dissolution applies, by
    name."""
    return tuple(sorted(name for name, kind in kinds.items() if kind == "association"))


# ------------------------------------------------------------------ final accounts


class KeySource(StrEnum):
    CONVENTION = "convention"  # the sharing key of the termination clause
    CONTRIBUTIONS = "contributions"  # each party's share of the pledged contributions
    LEAD = "lead"  # the clause gives the surplus (or deficit) to the lead authority


def sharing_keys(
    *,
    balance: Decimal,
    terms: Mapping[str, object] | None,
    parties: Mapping[str, str],
    contributions: Mapping[str, Decimal],
    lead: str,
) -> tuple[KeySource, dict[str, Fraction]]:
    """Which key shares ``balance`` and the key of each party (by id).

    The termination clause says what happens to a surplus (``surplus_disposition``) or a
    deficit (``deficit_disposition``): to the lead authority, or "by key". By key uses the
    clause's sharing key when each of its rows names a party (``parties``: id -> name,
    matched without case), otherwise the contribution shares (the issue's default)."""
    terms = terms or {}
    disposition = terms.get("surplus_disposition" if balance >= 0 else "deficit_disposition")
    if disposition == "lead_authority":
        return KeySource.LEAD, {lead: Fraction(1)}
    by_name = {name.strip().casefold(): pid for pid, name in parties.items()}
    rows = terms.get("sharing_key") or []
    keys: dict[str, Fraction] = {}
    if isinstance(rows, list) and rows:
        for row in rows:
            if not isinstance(row, Mapping):
                keys = {}
                break
            pid = by_name.get(str(row.get("organization", "")).strip().casefold())
            share = _fraction(row.get("share"))
            if pid is None or share is None or share < 0:
                keys = {}
                break
            keys[pid] = keys.get(pid, Fraction(0)) + share
        if keys and sum(keys.values()) > 0:
            return KeySource.CONVENTION, keys
    pledged = {pid: Fraction(amount) for pid, amount in contributions.items() if amount > 0}
    if pledged:
        return KeySource.CONTRIBUTIONS, pledged
    return KeySource.LEAD, {lead: Fraction(1)}


def integer_keys(keys: Mapping[str, Fraction]) -> dict[str, int]:
    """The same proportions as whole numbers (exact: scaled by the common denominator), for
    ``sharaka rules allocate``, whose keys are decimals."""
    scale = lcm(*(k.denominator for k in keys.values())) if keys else 1
    return {pid: int(k * scale) for pid, k in keys.items()}


def _fraction(value: object) -> Fraction | None:
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
