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

- ``policy-marker``: the OECD DAC gender equality marker (vocabulary 1, code 1) once the
  partnership is scored (``evaluation.GenderMarker``);
- ``result`` per result of the framework that has indicators (type 1 output, 2 outcome,
  3 impact; title and description in fr, with ar and en narratives when written), each
  ``indicator`` with its measure (1 unit, 2 percentage, 5 qualitative), direction, baseline
  and one ``period`` per target: the ``target`` and, when a validated measurement falls in
  the period, the ``actual`` of the latest one, with one more ``actual`` per sex
  (``dimension`` sex: female, male) for an indicator disaggregated by sex. Measurements
  entered and not validated, and superseded ones, are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch, Sum
from django.utils import timezone
from lxml import etree

from sharaka.directory.models import Organization
from sharaka.evaluation.models import (
    GenderMarker,
    Indicator,
    Measurement,
    MeasurementStatus,
    Result,
    Target,
)
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

#: IATI ResultType and IndicatorMeasure codes of the results framework.
RESULT_TYPES = {"output": "1", "outcome": "2", "impact": "3"}
MEASURES = {"unit": "1", "percentage": "2", "qualitative": "5"}
GENDER_EQUALITY, OECD_DAC_CRS = "1", "1"  # PolicyMarker code, PolicyMarkerVocabulary code


def _text(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    narrative = etree.SubElement(element, "narrative")
    narrative.text = text
    return element


def _narratives(
    parent: etree._Element, tag: str, texts: Iterable[tuple[str, str]], **attributes: str
) -> etree._Element:
    """``tag`` with one narrative per (language, text) written, French first and unmarked
    (the activity's ``xml:lang``)."""
    element = etree.SubElement(parent, tag, **attributes)
    for language, text in texts:
        if not text:
            continue
        narrative = etree.SubElement(element, "narrative")
        if language != "fr":
            narrative.set(XML_LANG, language)
        narrative.text = text
    return element


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


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
    marker = GenderMarker.objects.filter(partnership=partnership).first()
    if marker is not None:
        etree.SubElement(
            root, "policy-marker", vocabulary=OECD_DAC_CRS, code=GENDER_EQUALITY,
            significance=str(marker.significance),
        )  # fmt: skip

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
    _results(root, publication)
    return root


def _results(root: etree._Element, publication: IatiPublication) -> None:
    """The results framework (four queries whatever its size)."""
    validated = Measurement.objects.filter(status=MeasurementStatus.VALIDATED).order_by(
        "period_end", "measured_on", "pk"
    )
    indicators = Indicator.objects.order_by("order", "pk").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start", "pk")),
        Prefetch("measurements", queryset=validated, to_attr="validated"),
    )
    results = (
        Result.objects.filter(partnership=publication.partnership)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )
    for result in results:
        chosen = list(result.indicators.all())
        if not chosen:  # IATI wants one indicator at least
            continue
        element = etree.SubElement(
            root, "result", type=RESULT_TYPES[result.kind], **{"aggregation-status": "0"}
        )
        _multilingual(element, result)
        for indicator in chosen:
            _indicator(element, indicator)


def _multilingual(parent: etree._Element, row: Result | Indicator) -> None:
    _narratives(parent, "title", [("fr", row.title), ("ar", row.title_ar), ("en", row.title_en)])
    if row.description:
        _narratives(
            parent, "description",
            [("fr", row.description), ("ar", row.description_ar), ("en", row.description_en)],
        )  # fmt: skip


def _indicator(parent: etree._Element, indicator: Indicator) -> None:
    qualitative = indicator.measure == "qualitative"
    attributes = {"measure": MEASURES[indicator.measure]}
    if not qualitative:
        attributes["ascending"] = "1" if indicator.direction == "ascending" else "0"
    element = etree.SubElement(parent, "indicator", **attributes)
    _multilingual(element, indicator)
    baseline = etree.SubElement(
        element, "baseline", year=str(indicator.baseline_date.year),
        **{"iso-date": indicator.baseline_date.isoformat()},
    )  # fmt: skip
    if indicator.baseline_value is not None:
        baseline.set("value", _number(indicator.baseline_value))
    measurements: list[Measurement] = indicator.validated  # type: ignore[attr-defined]
    for target in indicator.targets.all():
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", **{"iso-date": target.period_start.isoformat()})
        etree.SubElement(period, "period-end", **{"iso-date": target.period_end.isoformat()})
        goal = etree.SubElement(period, "target")
        if target.value is not None:
            goal.set("value", _number(target.value))
        elif target.text:
            _narratives(goal, "comment", [("fr", target.text)])
        inside = [
            m for m in measurements
            if target.period_start <= m.period_end <= target.period_end
        ]  # fmt: skip
        if not inside:
            continue
        last = inside[-1]
        actual = etree.SubElement(period, "actual")
        if last.value is not None:
            actual.set("value", _number(last.value))
        if last.text:
            _narratives(actual, "comment", [("fr", last.text)])
        if indicator.by_sex:
            for sex, part in (("female", last.women), ("male", last.men)):
                if part is None:
                    continue
                dimension = etree.SubElement(period, "actual", value=_number(part))
                etree.SubElement(dimension, "dimension", name="sex", value=sex)


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
