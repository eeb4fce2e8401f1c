"""IATI 2.03 activity XML for the public partnerships marked for IATI publication
(``IatiPublication``), valid against ``iati-activities-schema.xsd``.

One ``iati-activity`` per partnership:

- ``reporting-org``: the lead authority, with the publication's IATI identifier;
- ``participating-org``: the funder of the publication and every party of role *funder*
  (role 1, funding), the lead authority (2, accountable; 3, extending), the other parties
  (4, implementing);
- ``activity-status`` from the lifecycle, ``activity-date`` from the partnership's dates,
  ``recipient-country`` Morocco, one ``sector`` (OECD DAC 5-digit) from the partnership's;
- ``budget`` per year of the action plan in force (planned amounts, original);
- ``transaction``: per contribution in cash, an incoming commitment (pledged) and incoming
  funds (received); per activity of the plan and year, one expenditure summing the approved
  or paid expenses (no supplier: open data gives sums, not payees).

Results and indicators are added once the evaluation app exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from lxml import etree

from sharaka.directory.models import Organization
from sharaka.finance.models import ContributionKind
from sharaka.opendata import selectors
from sharaka.opendata.models import IatiPublication

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: OECD DAC 5-digit purpose codes (IATI Sector vocabulary 1) of the partnership sectors.
SECTORS = {
    "sports_facility": "16065",  # recreation and sport
    "museum_culture": "16061",  # culture and recreation
    "outdoor_base": "16065",
    "forest": "31210",  # forestry policy and administrative management
    "tourism": "33210",  # tourism policy and administrative management
    "local_economy": "25010",  # business policy and administration
    "environment": "41010",  # environmental policy and administrative management
    "health": "12110",  # health policy and administrative management
    "social_services": "16010",  # social protection
    "employment": "16020",  # employment creation
    "other": "99810",  # sectors not specified
}

#: IATI OrganisationType codes of the directory's organisation kinds.
ORGANISATION_TYPES = {
    "commune": "11",  # local government
    "grouping": "11",
    "province_region": "11",
    "other_public": "15",  # other public sector
    "association": "22",  # national NGO
    "cooperative": "90",
    "private_company": "70",  # private sector
    "other": "90",
}

#: IATI ActivityStatus codes of the lifecycle statuses.
ACTIVITY_STATUS = {
    "draft": "1", "negotiation": "1", "active": "2", "suspended": "6",
    "terminating": "3", "terminated": "4",
}  # fmt: skip

FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
PARTY_ROLES = {"lead": (ACCOUNTABLE, EXTENDING), "funder": (FUNDING,),
               "partner": (IMPLEMENTING,), "operator": (IMPLEMENTING,)}  # fmt: skip

INCOMING_FUNDS, INCOMING_COMMITMENT, EXPENDITURE = "1", "11", "4"


def _text(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    narrative = etree.SubElement(element, "narrative")
    narrative.text = text
    return element


def _org_type(organization: Organization) -> str:
    return ORGANISATION_TYPES.get(organization.kind, "90")


def _value(parent: etree._Element, amount: Decimal, currency: str, day: date) -> None:
    value = etree.SubElement(parent, "value", currency=currency, **{"value-date": day.isoformat()})
    value.text = f"{amount:.2f}"


def _year_end(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


def activity(publication: IatiPublication, *, today: date) -> etree._Element:
    partnership = publication.partnership
    lead = partnership.lead_authority
    currency = str(settings.SHARAKA_CURRENCY)
    root = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": partnership.updated_at.astimezone(UTC).isoformat(
                timespec="seconds"
            ),
            XML_LANG: "fr",
            "default-currency": currency,
            "hierarchy": "1",
        },
    )
    etree.SubElement(root, "iati-identifier").text = publication.identifier
    _text(root, "reporting-org", lead.name, ref=publication.reporting_org_ref, type=_org_type(lead))
    _text(root, "title", partnership.title)
    _text(root, "description", partnership.description or partnership.title, type="1")

    participants: list[tuple[Organization, str, str]] = [
        (publication.funder, FUNDING, publication.funder_ref)
    ]
    parties = (
        selectors.public_parties()
        .filter(partnership=partnership)
        .select_related("organization")
        .order_by("role", "organization__name", "pk")
    )
    for party in parties:
        for role in PARTY_ROLES.get(party.role, (IMPLEMENTING,)):
            participants.append((party.organization, role, ""))
    seen: set[tuple[int, str]] = set()
    for organization, role, ref in sorted(participants, key=lambda p: (p[1], p[0].name)):
        if (organization.pk, role) in seen:
            continue
        seen.add((organization.pk, role))
        attributes = {"role": role, "type": _org_type(organization)}
        if ref:
            attributes["ref"] = ref
        _text(root, "participating-org", organization.name, **attributes)

    etree.SubElement(root, "activity-status", code=ACTIVITY_STATUS.get(partnership.status, "2"))
    start = partnership.start_date or partnership.created_at.date()
    etree.SubElement(root, "activity-date", type="1", **{"iso-date": start.isoformat()})
    if partnership.end_date:
        etree.SubElement(
            root, "activity-date", type="3", **{"iso-date": partnership.end_date.isoformat()}
        )
    etree.SubElement(root, "recipient-country", code="MA")
    etree.SubElement(root, "sector", vocabulary="1", code=SECTORS.get(partnership.sector, "99810"))

    budgets = (
        selectors.public_budget_amounts()
        .filter(line__activity__version__plan__partnership=partnership)
        .values("year", "line__activity__version__plan__period_start",
                "line__activity__version__plan__period_end")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )  # fmt: skip
    for row in budgets:
        year = row["year"]
        begin = max(date(year, 1, 1), row["line__activity__version__plan__period_start"])
        end = min(date(year, 12, 31), row["line__activity__version__plan__period_end"])
        if end < begin:
            continue
        budget = etree.SubElement(root, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": begin.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
        _value(budget, row["total"] or Decimal(0), currency, begin)

    _transactions(root, publication, today=today)
    return root


def _transactions(root: etree._Element, publication: IatiPublication, *, today: date) -> None:
    partnership = publication.partnership
    contributions = (
        selectors.public_contributions()
        .filter(partnership=partnership, kind=ContributionKind.CASH)
        .select_related("organization")
        .order_by("year", "organization__name", "pk")
    )
    for contribution in contributions:
        day = _year_end(contribution.year, today)
        for kind, amount in (
            (INCOMING_COMMITMENT, contribution.pledged),
            (INCOMING_FUNDS, contribution.received),
        ):
            if not amount:
                continue
            transaction = etree.SubElement(root, "transaction")
            etree.SubElement(transaction, "transaction-type", code=kind)
            etree.SubElement(transaction, "transaction-date", **{"iso-date": day.isoformat()})
            _value(transaction, amount, contribution.currency, day)
            _text(transaction, "description", contribution.description or str(contribution.year))
            _text(
                transaction, "provider-org", contribution.organization.name,
                type=_org_type(contribution.organization),
            )  # fmt: skip
    spent = (
        selectors.public_expenses()
        .filter(partnership=partnership)
        .values("activity__code", "activity__title", "year", "currency")
        .annotate(total=Sum("amount"), last=Max("date"))
        .order_by("year", "activity__code", "currency")
    )
    for row in spent:
        transaction = etree.SubElement(root, "transaction")
        etree.SubElement(transaction, "transaction-type", code=EXPENDITURE)
        last: date = row["last"]
        etree.SubElement(transaction, "transaction-date", **{"iso-date": last.isoformat()})
        _value(transaction, row["total"] or Decimal(0), row["currency"], last)
        _text(transaction, "description", f"{row['activity__code']} {row['activity__title']}")


def activities(publications: Iterable[IatiPublication], *, now: datetime | None = None) -> bytes:
    """The ``iati-activities`` document of ``publications`` (public ones only:
    ``selectors.iati_publications``), as UTF-8 XML bytes."""
    moment = now or timezone.now()
    root = etree.Element(
        "iati-activities",
        version=VERSION,
        **{"generated-datetime": moment.astimezone(UTC).isoformat(timespec="seconds")},
    )
    today = timezone.localdate(moment)
    for publication in publications:
        root.append(activity(publication, today=today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
