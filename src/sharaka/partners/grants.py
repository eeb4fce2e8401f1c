"""The grants register and the published table of an authority (law 113-14 art. 275, ADR
0030): per year, each grant with its association, purpose, amount, the association's grants
of the previous year, achievements and remarks. The register gives the exact yearly total
per association and authority that the funding thresholds (dahir art. 32 ter, circular
7/2003) are checked against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext

from sharaka.core import locale
from sharaka.core.access import Capabilities, Perm, signed_in
from sharaka.core.errors import DomainError
from sharaka.core.pdf import write_pdf
from sharaka.core.spreadsheets import Table
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind
from sharaka.partners import access, rules
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import Grant
from sharaka.partners.selectors import threshold_list

PAGE_SIZE = 50


def _check(association: Organization, year: int, purpose: str, amount: Decimal) -> None:
    if association.kind != OrganizationKind.ASSOCIATION:
        raise DomainError(
            Code.NOT_ASSOCIATION,
            gettext("« %(name)s » n'est pas une association.") % {"name": association.name},
            field="association",
        )
    if not 2000 <= year <= 2100:
        raise DomainError(Code.YEAR_RANGE, gettext("Année entre 2000 et 2100."), field="year")
    if not purpose.strip():
        raise DomainError(
            Code.PURPOSE_REQUIRED, gettext("Indiquez l'objet de la subvention."), field="purpose"
        )
    if amount <= 0:
        raise DomainError(
            Code.AMOUNT_POSITIVE, gettext("Le montant doit être positif."), field="amount"
        )


@dataclass(frozen=True)
class Recorded:
    grant: Grant
    total: Decimal  # the association's exact total of the year with this authority
    crossed: list[rules.Threshold]  # the thresholds this grant made that total cross


@transaction.atomic
def grant_record(
    *, by: Actor, authority: Organization, association: Organization, year: int, purpose: str,
    amount: Decimal, achievements: str = "", remarks: str = "",
) -> Recorded:  # fmt: skip
    """Record a grant in the authority's register; say which funding thresholds the
    association's exact yearly total now crosses. A refusal changes nothing."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    if authority.kind not in AUTHORITY_KINDS:
        raise DomainError(
            Code.NOT_AUTHORITY, gettext("Seule une collectivité tient un registre des "
                                        "subventions."), field="authority",
        )  # fmt: skip
    _check(association, year, purpose, amount)
    before = year_total(authority_id=authority.pk, association_id=association.pk, year=year)
    grant = Grant.objects.create(
        authority=authority, association=association, year=year, purpose=purpose.strip(),
        amount=amount, achievements=achievements.strip(), remarks=remarks.strip(),
        recorded_by=signed_in(by),
    )  # fmt: skip
    thresholds = threshold_list(authority_id=authority.pk)
    return Recorded(
        grant=grant, total=before + amount,
        crossed=rules.thresholds_crossed(thresholds, before=before, after=before + amount),
    )  # fmt: skip


def year_total(*, authority_id: int, association_id: int, year: int) -> Decimal:
    """The exact total of one association's grants from one authority in a year. 1 query."""
    total = Grant.objects.filter(
        authority_id=authority_id, association_id=association_id, year=year
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def register_totals(
    *, authority_id: int, association_names: set[str]
) -> dict[tuple[str, int], Decimal]:
    """The register's exact yearly totals of one authority's grants to these associations,
    by (association name, year). 1 query."""
    rows = (
        Grant.objects.filter(authority_id=authority_id, association__name__in=association_names)
        .values("association__name", "year")
        .annotate(total=Sum("amount"))
        .values_list("association__name", "year", "total")
    )
    return {(name, year): total for name, year, total in rows}


# --- The table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantRow:
    grant: Grant
    previous: Decimal  # the association's grants of the previous year (same authority)


@dataclass(frozen=True)
class Warning:
    association: str
    total: Decimal
    thresholds: list[rules.Threshold]


@dataclass(frozen=True)
class GrantsTable:
    authority: Organization
    year: int
    rows: list[GrantRow]
    next_after: int | None
    total: Decimal
    warnings: list[Warning]
    can: Capabilities


def grants_table_get(
    *, user: Actor | None, authority: Organization, year: int, after: int | None = None,
    size: int | None = PAGE_SIZE,
) -> GrantsTable:  # fmt: skip
    """One page of the year's table, by key (``after``: the last grant of the previous
    page), with each association's previous-year amount, the year's total and the threshold
    warnings on the exact yearly totals. 5 queries: the page, the previous year's totals,
    the year's totals per association, the thresholds, the capabilities (none)."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, authority.pk)
    grants = Grant.objects.filter(authority=authority, year=year).select_related("association")
    if after is not None:
        grants = grants.filter(pk__gt=after)
    page = list(grants.order_by("id")[: size + 1] if size is not None else grants.order_by("id"))
    more = size is not None and len(page) > size
    page = page[:size] if size is not None else page
    ids = {g.association_id for g in page}
    previous = dict(
        Grant.objects.filter(authority=authority, year=year - 1, association_id__in=ids)
        .values("association_id")
        .annotate(total=Sum("amount"))
        .values_list("association_id", "total")
    )
    totals = list(
        Grant.objects.filter(authority=authority, year=year)
        .values("association_id", "association__name")
        .annotate(total=Sum("amount"))
        .order_by("association__name", "association_id")
        .values_list("association__name", "total")
    )
    thresholds = threshold_list(authority_id=authority.pk)
    warnings = [
        Warning(association=name, total=total, thresholds=above)
        for name, total in totals
        if (above := rules.thresholds_above(thresholds, total))
    ]
    return GrantsTable(
        authority=authority, year=year,
        rows=[GrantRow(g, previous.get(g.association_id, Decimal("0"))) for g in page],
        next_after=page[-1].pk if more and page else None,
        total=sum((t for _n, t in totals), Decimal("0")), warnings=warnings,
        can=access.capabilities(user, authority.pk),
    )  # fmt: skip


def grants_sheet(table: GrantsTable) -> Table:
    """The table as a spreadsheet (the whole year: ``size=None``)."""
    return Table(
        title=gettext("Subventions %(year)s") % {"year": table.year},
        headers=[
            gettext("Association"), gettext("Objet"), gettext("Montant (DH)"),
            gettext("Montant de l'année précédente (DH)"), gettext("Réalisations"),
            gettext("Observations"),
        ],
        rows=[
            [r.grant.association.name, r.grant.purpose, r.grant.amount, r.previous,
             r.grant.achievements, r.grant.remarks]
            for r in table.rows
        ],
    )  # fmt: skip


def current_year() -> int:
    return dt.date.today().year


def recorded_message(recorded: Recorded) -> str:
    """What the page says after recording: the thresholds crossed, with their reference."""
    text = gettext("Subvention enregistrée.")
    for threshold in recorded.crossed:
        text += " " + gettext(
            "Le total de l'année pour cette association (%(total)s DH) dépasse %(amount)s DH : "
            "%(requirement)s (%(reference)s)."
        ) % {
            "total": locale.amount(recorded.total), "amount": locale.amount(threshold.amount),
            "requirement": threshold.requirement, "reference": threshold.reference,
        }  # fmt: skip
    return text


def grants_pdf(table: GrantsTable) -> bytes:
    """The year's table as a PDF ready to publish (WeasyPrint)."""
    html = render_to_string("partners/pdf/grants.html", {"table": table})
    return write_pdf(html, author=table.authority.name)
