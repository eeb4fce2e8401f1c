"""IATI 2.03 activity XML: valid against iati-activities-schema.xsd; only public
partnerships marked for publication; the funder, the sector, budgets and transactions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from sharaka.opendata.models import IatiPublication
from sharaka.partnerships.models import Partnership
from tests.opendata.conftest import PRIVATE, PUBLIC, body
from tests.opendata.standards import iati_errors

pytestmark = pytest.mark.django_db

FUNDER = "Agence régionale de développement de l'Atlas"


def test_demo_activity_is_valid(demo: None, anonymous: Client) -> None:
    response = anonymous.get("/open-data/iati.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    xml = body(response)
    assert iati_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.get("version") == "2.03"
    (activity,) = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"MA-COM-OUEDZITOUNE-{PUBLIC}"
    funders = activity.xpath("participating-org[@role='1']/narrative/text()")
    assert FUNDER in funders
    assert activity.xpath("participating-org[@role='2']/narrative/text()") == [
        "Commune d'Oued Zitoune"
    ]
    assert activity.xpath("sector/@code") == ["16065"]
    assert activity.findall("budget") and activity.findall("transaction")
    kinds = set(activity.xpath("transaction/transaction-type/@code"))
    assert kinds == {"1", "11", "4"}  # incoming funds, commitments, expenditure
    assert PRIVATE.encode() not in xml
    single = anonymous.get(f"/open-data/iati/{PUBLIC}.xml")
    assert iati_errors(body(single)) == []
    assert anonymous.get(f"/open-data/iati/{PRIVATE}.xml").status_code == 404


def test_marked_but_not_public_is_left_out(demo: None, anonymous: Client) -> None:
    private = Partnership.objects.get(slug=PRIVATE)
    publication = IatiPublication.objects.get(partnership__slug=PUBLIC)
    IatiPublication.objects.create(
        partnership=private, reporting_org_ref="MA-X", funder=publication.funder
    )
    xml = body(anonymous.get("/open-data/iati.xml"))
    assert PRIVATE.encode() not in xml and iati_errors(xml) == []
    Partnership.objects.filter(pk=private.pk).update(status="active")
    xml = body(anonymous.get("/open-data/iati.xml"))
    assert f"MA-X-{PRIVATE}".encode() in xml and iati_errors(xml) == []
    IatiPublication.objects.filter(partnership=private).update(published=False)
    assert PRIVATE.encode() not in body(anonymous.get("/open-data/iati.xml"))


def test_nothing_published_is_404(db: None, anonymous: Client) -> None:
    """The schema wants one activity at least: no file, and no catalogue entry."""
    assert anonymous.get("/open-data/iati.xml").status_code == 404
    assert "/open-data/iati.xml" not in anonymous.get("/open-data/").content.decode()


def test_results_and_gender_marker_are_exported(demo: None, anonymous: Client) -> None:
    """The demo's results framework: results, indicators with baseline, periods, targets
    and the validated actuals (one per sex when disaggregated), and the gender marker."""
    from sharaka.evaluation.models import Indicator, Measurement, MeasurementStatus

    xml = body(anonymous.get(f"/open-data/iati/{PUBLIC}.xml"))
    assert iati_errors(xml) == []
    (activity,) = etree.fromstring(xml).findall("iati-activity")
    marker = activity.find("policy-marker")
    assert marker is not None and marker.attrib == {
        "vocabulary": "1", "code": "1", "significance": "1"
    }  # fmt: skip
    results = activity.findall("result")
    indicators = Indicator.objects.filter(result__partnership__slug=PUBLIC)
    assert len(results) == len({i.result_id for i in indicators}) > 0
    assert len(activity.findall("result/indicator")) == indicators.count()
    assert {r.get("type") for r in results} <= {"1", "2", "3"}
    assert activity.xpath("result/indicator/baseline/@year")
    assert activity.xpath("result/indicator/period/target")
    assert activity.xpath("result/indicator/period/actual/dimension[@name='sex']/@value") != []
    assert activity.xpath("result/title/narrative[@xml:lang='ar']/text()")
    validated = Measurement.objects.filter(
        indicator__result__partnership__slug=PUBLIC, status=MeasurementStatus.VALIDATED
    )
    assert validated.exists()
    assert len(activity.xpath("result/indicator/period/actual[not(dimension)]")) <= (
        validated.values("indicator", "period_end").count()
    )


def test_results_keep_the_export_queries_fixed(
    demo: None, anonymous: Client, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sharaka.evaluation.models import Indicator, Target

    with CaptureQueriesContext(connection) as before:
        anonymous.get(f"/open-data/iati/{PUBLIC}.xml")
    indicator = Indicator.objects.filter(result__partnership__slug=PUBLIC).first()
    assert indicator is not None
    for n in range(3):
        copy = Indicator.objects.get(pk=indicator.pk)
        copy.pk = None
        copy.title = f"Copie {n}"
        copy.save()
        for target in indicator.targets.all():
            Target.objects.create(
                indicator=copy, period_start=target.period_start, period_end=target.period_end,
                value=target.value, text=target.text,
            )  # fmt: skip
    with django_assert_max_num_queries(len(before.captured_queries)):
        xml = body(anonymous.get(f"/open-data/iati/{PUBLIC}.xml"))
    assert iati_errors(xml) == []
