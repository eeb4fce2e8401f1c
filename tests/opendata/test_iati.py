"""IATI 2.03 activity XML: valid against iati-activities-schema.xsd; only public
partnerships marked for publication; the funder, the sector, budgets and transactions."""

from __future__ import annotations

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
