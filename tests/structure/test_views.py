"""Management structure pages: access per role on every route, forms with field-level
errors, org chart and women's share, delegations, assets and documents, exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sharaka.structure import services
from sharaka.structure.models import Asset, AssetDocument, Delegation, StaffAssignment
from tests.conftest import ROLES
from tests.factories import PersonFactory
from tests.planning.conftest import make_decision
from tests.structure.conftest import StructureWorld

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def full(sw: StructureWorld) -> StructureWorld:
    director = sw.staff(
        PersonFactory(first_name="Nadia", last_name="Filali", gender="f"), role="director"
    )
    sw.staff(
        PersonFactory(first_name="Karim", last_name="Saidi", gender="m"),
        share="50",
        reports_to=director,
    )
    decision = make_decision(sw.w.a, "delegation")
    services.delegation_create(
        by=sw.w.coordinator,
        partnership=sw.w.a,
        fields={
            "delegate": sw.association,
            "decision": decision,
            "scope": "Accueil",
            "start_date": date(2025, 1, 1),
            "reporting_duty": "Rapport",
        },
    )
    asset = services.asset_create(
        by=sw.w.coordinator,
        partnership=sw.w.a,
        fields={
            "kind": "premises",
            "name": "Stade",
            "owner": sw.commune,
            "provided_by": sw.commune,
            "value": Decimal("1000000"),
        },
    )
    services.asset_document_add(
        by=sw.w.coordinator, asset=asset, title="Acte", upload=SimpleUploadedFile("acte.pdf", PDF)
    )
    return sw


def _urls(sw: StructureWorld) -> tuple[list[str], list[str]]:
    slug = sw.w.a.slug
    staff = StaffAssignment.objects.filter(structure=sw.structure).first()
    delegation = Delegation.objects.get()
    asset = Asset.objects.get()
    document = AssetDocument.objects.get()
    assert staff is not None
    read = [
        reverse("structure:overview", args=[slug]),
        reverse("structure:staff_export", args=[slug, "csv"]),
        reverse("structure:staff_export", args=[slug, "xlsx"]),
        reverse("structure:delegations", args=[slug]),
        reverse("structure:assets", args=[slug]),
        reverse("structure:asset", args=[slug, asset.pk]),
        reverse("structure:asset_export", args=[slug, "csv"]),
        reverse("structure:asset_export", args=[slug, "xlsx"]),
        reverse("structure:document", args=[slug, asset.pk, document.pk]),
    ]
    change = [
        reverse("structure:edit", args=[slug]),
        reverse("structure:staff_add", args=[slug]),
        reverse("structure:staff_edit", args=[slug, staff.pk]),
        reverse("structure:staff_remove", args=[slug, staff.pk]),
        reverse("structure:delegation_create", args=[slug]),
        reverse("structure:delegation_edit", args=[slug, delegation.pk]),
        reverse("structure:delegation_delete", args=[slug, delegation.pk]),
        reverse("structure:asset_create", args=[slug]),
        reverse("structure:asset_edit", args=[slug, asset.pk]),
        reverse("structure:asset_delete", args=[slug, asset.pk]),
        reverse("structure:document_remove", args=[slug, asset.pk, document.pk]),
    ]
    return read, change


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(
    full: StructureWorld, client_for: Any, role: str | None
) -> None:
    read, change = _urls(full)
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in CHANGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
def test_member_of_a_gets_404_on_b(full: StructureWorld, client_for: Any, role: str) -> None:
    client = client_for(role)
    assert client.get(reverse("structure:overview", args=[full.w.b.slug])).status_code == 404
    asset = Asset.objects.get()
    url = reverse("structure:asset", args=[full.w.b.slug, asset.pk])
    assert client_for("admin").get(url).status_code == 404


def test_unknown_export_format_is_404(full: StructureWorld, client_for: Any) -> None:
    url = reverse("structure:staff_export", args=[full.w.a.slug, "pdf"])
    assert client_for("admin").get(url).status_code == 404


def test_overview_shows_chart_and_women_share(full: StructureWorld, client_for: Any) -> None:
    text = client_for("auditor").get(reverse("structure:overview", args=[full.w.a.slug]))
    html = text.content.decode()
    assert "Équipe de projet" in html and 'class="org-chart"' in html
    assert "Nadia Filali" in html and "Délégation : Association Alpha" in html
    assert "50 %" in html  # one woman out of two
    assert "style=" not in html.split("<main")[1]
    assert reverse("structure:staff_add", args=[full.w.a.slug]) not in html


def test_women_alert(sw: StructureWorld, client_for: Any) -> None:
    sw.staff(PersonFactory(gender="m"))
    html = client_for("auditor").get(reverse("structure:overview", args=[sw.w.a.slug]))
    assert "Sous l'objectif" in html.content.decode()


def test_empty_state(world: Any, client_for: Any) -> None:
    html = client_for("coordinator").get(reverse("structure:overview", args=[world.a.slug]))
    assert "pas encore définie" in html.content.decode()
    assert (
        client_for("coordinator")
        .get(reverse("structure:staff_add", args=[world.a.slug]))
        .status_code
        == 404
    )
    response = client_for("coordinator").post(
        reverse("structure:edit", args=[world.a.slug]), {"kind": "light", "description": ""}
    )
    assert response.status_code == 302


def test_staff_form_shows_time_share_error_on_the_field(
    sw: StructureWorld, client_for: Any
) -> None:
    person = PersonFactory()
    sw.staff(person, "80")
    url = reverse("structure:staff_add", args=[sw.w.a.slug])
    response = client_for("coordinator").post(
        url,
        {
            "person": person.pk,
            "role": "volunteer",
            "origin_organization": sw.commune.pk,
            "time_share": "30",
            "start_date": "2025-06-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "100 %" in html and "errorlist" in html
    response = client_for("coordinator").post(
        url,
        {
            "person": person.pk,
            "role": "volunteer",
            "origin_organization": sw.commune.pk,
            "time_share": "20",
            "start_date": "2025-06-01",
        },
    )
    assert response.status_code == 302


def test_delegation_form_lists_only_delegation_decisions(
    sw: StructureWorld, client_for: Any
) -> None:
    good = make_decision(sw.w.a, "delegation", title="Délégation de l'accueil")
    bad = make_decision(sw.w.a, "action_plan_adoption", title="Adoption du plan")
    client = client_for("coordinator")
    url = reverse("structure:delegation_create", args=[sw.w.a.slug])
    html = client.get(url).content.decode()
    assert good.number in html and bad.number not in html
    response = client.post(
        url,
        {
            "delegate": sw.association.pk,
            "decision": bad.pk,
            "scope": "X",
            "start_date": "2025-01-01",
            "reporting_duty": "Y",
            "reporting_frequency": "yearly",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        url,
        {
            "delegate": sw.association.pk,
            "decision": good.pk,
            "scope": "X",
            "start_date": "2025-01-01",
            "reporting_duty": "Y",
            "reporting_frequency": "yearly",
        },
    )
    assert response.status_code == 302 and Delegation.objects.count() == 1
    page = client.get(reverse("structure:delegations", args=[sw.w.a.slug])).content.decode()
    assert good.number in page and "Annuel" in page


def test_document_upload_through_the_page(full: StructureWorld, client_for: Any) -> None:
    asset = Asset.objects.get()
    url = reverse("structure:document_add", args=[full.w.a.slug, asset.pk])
    client = client_for("coordinator")
    bad = client.post(url, {"title": "x", "file": SimpleUploadedFile("x.exe", b"MZ..")})
    assert bad.status_code == 422 and "PDF, JPEG ou PNG" in bad.content.decode()
    good = client.post(
        url, {"title": "Photo", "file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nxxxx")}
    )
    assert good.status_code == 302 and asset.documents.count() == 2
    document = asset.documents.get(title="Photo")
    download = client_for("auditor").get(
        reverse("structure:document", args=[full.w.a.slug, asset.pk, document.pk])
    )
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


def test_delete_needs_a_confirmation(full: StructureWorld, client_for: Any) -> None:
    asset = Asset.objects.get()
    url = reverse("structure:asset_delete", args=[full.w.a.slug, asset.pk])
    client = client_for("coordinator")
    assert "Confirmation" in client.get(url).content.decode()
    assert Asset.objects.exists()
    client.post(url)
    assert not Asset.objects.exists()


def test_staff_csv_parses_back(full: StructureWorld, client_for: Any) -> None:
    response = client_for("treasurer").get(
        reverse("structure:staff_export", args=[full.w.a.slug, "csv"])
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # French: ";" and "50,00"
    assert {r["Nom"] for r in rows} == {"Filali", "Saidi"}
    saidi = next(r for r in rows if r["Nom"] == "Saidi")
    assert saidi["Quotité (%)"] == "50,00" and saidi["Rend compte à"] == "Nadia Filali"
    assert saidi["Genre"] == "Homme" and saidi["Début"] == "2025-01-01"


def test_assets_xlsx_reopens(full: StructureWorld, client_for: Any) -> None:
    from openpyxl import load_workbook

    response = client_for("auditor").get(
        reverse("structure:asset_export", args=[full.w.a.slug, "xlsx"])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:2] == ("Nature", "Désignation")
    assert rows[1][1] == "Stade" and float(rows[1][5]) == 1000000.0 and rows[1][10] == 1


def test_staff_xlsx_and_assets_csv(full: StructureWorld, client_for: Any) -> None:
    from openpyxl import load_workbook

    client = client_for("admin")
    staff = client.get(reverse("structure:staff_export", args=[full.w.a.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(staff.content)).active
    assert sheet is not None and sheet.max_row == 3
    assets = client.get(reverse("structure:asset_export", args=[full.w.a.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(assets.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "Stade" and rows[1][5] == "1000000,00"


def test_anonymous_document_download_is_redirected(full: StructureWorld) -> None:
    asset = Asset.objects.get()
    document = AssetDocument.objects.get()
    url = reverse("structure:document", args=[full.w.a.slug, asset.pk, document.pk])
    assert Client().get(url).status_code == 302


def test_overview_query_count_is_fixed(sw: StructureWorld, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("coordinator")
    url = reverse("structure:overview", args=[sw.w.a.slug])
    head = sw.staff(role="director")
    sw.staff(reports_to=head, share="10")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(20):
        sw.staff(reports_to=head, share="10", role="volunteer")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
