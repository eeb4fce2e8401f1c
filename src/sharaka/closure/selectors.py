"""Closure reads: the convention's terms of termination, the balance and its sharing, the
page's view model. Each runs a fixed number of queries whatever the size."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.closure import rules
from sharaka.closure.models import (
    Evidence,
    FinalAccounts,
    KeySource,
    Renewal,
    Termination,
    WindDownItem,
)
from sharaka.conventions.catalogue import BY_CODE
from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.selectors import version_in_force_get
from sharaka.core.access import Capabilities, Perm, capabilities, require
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.core.rules import allocate
from sharaka.directory.models import Organization
from sharaka.finance import rules as finance_rules
from sharaka.finance.models import Contribution, Expense, default_currency
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership, Party
from sharaka.partnerships.selectors import partnership_get as _partnership_get

ZERO = Decimal("0")
#: How the balance is shared (``core.rules.allocate``): the floors of the exact shares, the
#: cents left over one each to the largest remainders.
METHOD = "largest_remainder"
CENT = Decimal("0.01")


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.CLOSURE_VIEW) -> Partnership:
    partnership = _partnership_get(user=user, slug=slug)
    require(user, perm, partnership)
    return partnership


# ---------------------------------------------------------------- the convention's terms


@dataclass(frozen=True)
class Terms:
    """What the convention in force says of the end (catalogue defaults when a clause is
    absent, none when no version is in force)."""

    source: str  # "Convention initiale", "Avenant n° 1", or "" (no convention in force)
    termination: Mapping[str, Any] = field(default_factory=dict)
    breach_notice_days: int = 0
    duration_years: int | None = None
    renewal: str = "none"
    started_on: date | None = None  # entry into force of the original convention
    renewal_years: int | None = None
    renewals: int = 0  # tacit renewals recorded (``Renewal``)

    @property
    def notice(self) -> dict[str, int | None]:
        return {
            "notice_days": self.termination.get("notice_days"),
            "breach_notice_days": self.breach_notice_days,
        }

    @property
    def end(self) -> date | None:
        return rules.convention_end(
            self.started_on, self.duration_years, self.renewal, self.renewal_years, self.renewals
        )


def terms_get(*, partnership: Partnership, at: date | None = None) -> Terms:
    """The termination terms of the convention in force on ``at`` (four queries)."""
    version = version_in_force_get(partnership=partnership, at=at or timezone.localdate())
    if version is None:
        return Terms(source="")
    params = {c.code: c.params or {} for c in version.clauses.all()}

    def of(code: str) -> dict[str, Any]:
        return {**BY_CODE[code].defaults(), **params.get(code, {})}

    first = (
        ConventionVersion.objects.filter(convention_id=version.convention_id, number=0)
        .values_list("effective_date", flat=True)
        .first()
    )
    duration = of("duration")
    return Terms(
        source=version.label,
        termination=of("termination"),
        breach_notice_days=int(of("suspension").get("breach_notice_days") or 0),
        duration_years=duration.get("duration_years"),
        renewal=str(duration.get("renewal") or "none"),
        started_on=first or version.effective_date,
        renewal_years=duration.get("renewal_years"),
        renewals=Renewal.objects.filter(partnership=partnership).count(),
    )


def convention_end_get(*, partnership: Partnership, at: date | None = None) -> date | None:
    """The convention's end date: the term of the duration clause, or failing a convention
    in force, the partnership's own end date (the day after it)."""
    end = terms_get(partnership=partnership, at=at).end
    if end is None and partnership.end_date is not None:
        return partnership.end_date + timedelta(days=1)
    return end


# ------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class ShareRow:
    organization_id: int
    name: str
    key: str  # the key as given (a contribution amount, a share)
    percent: float
    amount: Decimal


@dataclass(frozen=True)
class AccountsView:
    currency: str
    received: Decimal
    spent: Decimal
    balance: Decimal
    key_source: str
    key_label: str
    method: str
    shares: tuple[ShareRow, ...]
    approved: FinalAccounts | None = None
    associations: tuple[str, ...] = ()  # association parties (dahir 1958, art. 37)

    @property
    def association_note(self) -> str:
        return gettext(rules.ASSOCIATION_ASSETS.text) if self.associations else ""

    @property
    def association_legal(self) -> str:
        return rules.ASSOCIATION_ASSETS.legal

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.shares), ZERO)


def _cents(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(CENT)


def accounts_get(*, partnership: Partnership) -> AccountsView:
    """The final accounts: recorded ones once approved, else computed now — contributions
    received minus expenses spent (approved or paid), shared among the parties by
    ``sharaka rules allocate`` (``core.rules.allocate.run``, the command's own function)
    with the convention's key or the contribution shares. Six queries."""
    recorded = (
        FinalAccounts.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("shares__organization"))
        .first()
    )
    if recorded is not None:
        shares = list(recorded.shares.all())
        stored = {s.organization_id: Fraction(s.key) for s in shares}
        stored_total = sum(stored.values(), Fraction(0)) or Fraction(1)
        return AccountsView(
            currency=recorded.currency, received=recorded.received, spent=recorded.spent,
            balance=recorded.balance, key_source=recorded.key_source,
            key_label=str(KeySource(recorded.key_source).label), method=recorded.method,
            shares=tuple(
                ShareRow(s.organization_id, s.organization.name, s.key,
                         float(stored[s.organization_id] / stored_total) * 100, s.amount)
                for s in shares
            ),
            approved=recorded,
            associations=rules.associations(
                {s.organization.name: s.organization.kind for s in shares}
            ),
        )  # fmt: skip
    contributions = Contribution.objects.filter(partnership=partnership)
    received = _cents(contributions.aggregate(t=Sum("received"))["t"])
    spent = _cents(
        Expense.objects.filter(
            partnership=partnership, pending=False, status__in=sorted(finance_rules.SPENT)
        ).aggregate(t=Sum("amount"))["t"]
    )
    currency = contributions.values_list("currency", flat=True).first() or default_currency()
    balance = received - spent
    rows = list(
        Party.objects.filter(partnership=partnership)
        .order_by("organization__name", "organization_id")
        .values_list("organization_id", "organization__name", "organization__kind")
    )
    parties: dict[int, str] = {pid: name for pid, name, _kind in rows}
    pledged = {
        row["organization_id"]: _cents(row["total"])
        for row in contributions.values("organization_id").annotate(total=Sum("pledged")).order_by()
    }
    terms = terms_get(partnership=partnership)
    source, keys = rules.sharing_keys(
        balance=balance,
        terms=terms.termination if terms.source else None,
        parties={str(pid): name for pid, name in parties.items()},
        contributions={str(pid): amount for pid, amount in pledged.items()},
        lead=str(partnership.lead_authority_id),
    )
    by_id = {int(pid): key for pid, key in keys.items()}
    ordered = sorted(by_id, key=lambda pid: (parties.get(pid, ""), pid))
    whole = {int(pid): units for pid, units in rules.integer_keys(keys).items()}
    document: dict[str, object] = {
        "amount": str(balance),
        "minor_units": 2,
        "method": METHOD,
        "keys": [{"id": str(pid), "key": str(whole[pid])} for pid in ordered],
    }
    allocation = allocate.run(document)  # the function behind `sharaka rules allocate`
    amounts = {
        int(s.id): Decimal(allocate.format_units(s.units, allocation.minor_units))
        for s in allocation.shares
    }
    total_key = sum(by_id.values(), Fraction(0))
    return AccountsView(
        currency=currency, received=received, spent=spent, balance=balance,
        key_source=source.value, key_label=str(KeySource(source.value).label),
        method=METHOD,
        shares=tuple(
            ShareRow(pid, parties.get(pid, "?"), _key_text(by_id[pid]),
                     float(by_id[pid] / total_key) * 100, amounts[pid])
            for pid in ordered
        ),
        associations=rules.associations({name: kind for _pid, name, kind in rows}),
    )  # fmt: skip


def _key_text(key: Fraction) -> str:
    return str(key.numerator) if key.denominator == 1 else f"{key.numerator}/{key.denominator}"


# ---------------------------------------------------------------------------- pages


def items_of(*, partnership: Partnership) -> list[WindDownItem]:
    return list(
        WindDownItem.objects.filter(partnership=partnership)
        .select_related("owner")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("position", "pk")
    )


def termination_of(*, partnership: Partnership) -> Termination | None:
    return (
        Termination.objects.filter(partnership=partnership)
        .select_related("party", "decision", "transition__by", "recorded_by")
        .first()
    )


@dataclass(frozen=True)
class ClosureView:
    partnership: Partnership
    can: Capabilities
    termination: Termination | None
    items: list[WindDownItem]
    accounts: AccountsView | None
    terms: Terms
    convention_end: date | None
    today: date

    @property
    def convention_last_day(self) -> date | None:
        """The last day of the convention (``convention_end`` is the day it has ended)."""
        return self.convention_end - timedelta(days=1) if self.convention_end else None

    @property
    def open_items(self) -> int:
        return sum(1 for item in self.items if not item.is_closed)

    @property
    def winding_down(self) -> bool:
        return self.partnership.status == "terminating"

    @property
    def can_start(self) -> bool:
        return (
            self.termination is None
            and self.partnership.status in ("active", "suspended")
            and Perm.PARTNERSHIP_TRANSITION in self.can
        )

    @property
    def can_manage(self) -> bool:
        return self.winding_down and Perm.CLOSURE_CHANGE in self.can

    @property
    def notice_running(self) -> bool:
        return self.termination is not None and self.termination.effective_date > self.today


def closure_view_get(*, user: Any, partnership: Partnership) -> ClosureView:
    termination = termination_of(partnership=partnership)
    terms = terms_get(partnership=partnership)
    return ClosureView(
        partnership=partnership,
        can=capabilities(user, partnership),
        termination=termination,
        items=items_of(partnership=partnership) if termination else [],
        accounts=accounts_get(partnership=partnership) if termination else None,
        terms=terms,
        convention_end=convention_end_get(partnership=partnership),
        today=timezone.localdate(),
    )


def item_get(*, partnership: Partnership, pk: int) -> WindDownItem:
    item = found(
        WindDownItem.objects.filter(partnership=partnership, pk=pk).select_related("owner").first()
    )
    item.partnership = partnership
    return item


def evidence_get(*, item: WindDownItem, pk: int) -> Evidence:
    return found(Evidence.objects.filter(item=item, pk=pk).first())


def decision_choices(*, partnership: Partnership) -> QuerySet[Decision]:
    return Decision.objects.filter(partnership=partnership).order_by("-decided_on", "-sequence")


def party_choices(*, partnership: Partnership) -> QuerySet[Any]:
    return (
        Organization.objects.filter(parties__partnership=partnership)
        .distinct()
        .order_by("name", "pk")
    )


def termination_document(*, partnership: Partnership) -> Termination:
    termination = termination_of(partnership=partnership)
    if termination is None or not termination.document:
        raise NotFound()
    return termination


def expiring() -> QuerySet[Partnership]:
    """Partnerships that may expire: active or suspended, with no termination recorded."""
    return (
        Partnership.objects.filter(status__in=["active", "suspended"])
        .filter(Q(termination__isnull=True))
        .order_by("pk")
    )
