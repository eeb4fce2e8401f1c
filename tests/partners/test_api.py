"""The admissibility API: the same rights and services as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.partners import services
from sharaka.partners.models import Evidence
from tests.conftest import ROLES
from tests.factories import AssociationFactory
from tests.partners.conftest import PDF, PartnersWorld, pdf

pytestmark = pytest.mark.django_db
ALLOWED = {"admin", "officer"}


def _api(user: Any) -> Client:
    _token, raw = ApiToken.issue(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _user(pw: PartnersWorld, role: str) -> Any:
    return pw.member if role == "member" else pw.w.user(role)


@pytest.mark.parametrize("role", [*ROLES, "member"])
def test_reads_per_role(pw: PartnersWorld, role: str) -> None:
    piece = services.evidence_add(by=pw.w.officer, file=pw.file,
                                  criterion=pw.criterion("statutes"), document=pdf())  # fmt: skip
    client = _api(_user(pw, role))
    a, f = pw.authority.pk, pw.file.pk
    for url in (f"/api/partners/authorities/{a}/criteria", f"/api/partners/authorities/{a}/files",
                f"/api/partners/files/{f}", f"/api/partners/files/{f}/evidence",
                f"/api/partners/files/{f}/evidence/{piece.pk}/document"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == (200 if role in ALLOWED else 404), (url, role)


@pytest.mark.parametrize("role", [*ROLES, "member"])
def test_writes_per_role(pw: PartnersWorld, role: str) -> None:
    piece = services.evidence_add(by=pw.w.officer, file=pw.file,
                                  criterion=pw.criterion("local_roots"), score=2)  # fmt: skip
    client = _api(_user(pw, role))
    a, f = pw.authority.pk, pw.file.pk
    ok = role in ALLOWED
    other = AssociationFactory()
    opened = _json(client, f"/api/partners/authorities/{a}/files", {"association_id": other.pk})
    assert opened.status_code == (201 if ok else 404)
    added = client.post(f"/api/partners/files/{f}/evidence",
                        {"criterion_id": pw.criterion("local_roots").pk, "score": 4})  # fmt: skip
    assert added.status_code == (201 if ok else 404), added.content
    checked = _json(client, f"/api/partners/files/{f}/evidence/{piece.pk}/check",
                    {"status": "accepted"})  # fmt: skip
    assert checked.status_code == (200 if ok else 404)
    decided = _json(client, f"/api/partners/files/{f}/decision",
                    {"decision": "not_admissible", "reason": "Incomplet."})  # fmt: skip
    assert decided.status_code == (200 if ok else 404)
    assert Evidence.objects.count() == (2 if ok else 1)


def test_file_with_result_score_and_missing_items(pw: PartnersWorld) -> None:
    body = _api(pw.w.officer).get(f"/api/partners/files/{pw.file.pk}").json()
    assert body["outcome"] == "not_admissible"
    assert body["score"] == "0.0"
    receipt = body["missing"][0]
    assert receipt["code"] == "receipt" and receipt["gap"] == "missing"
    assert "1958" in receipt["reference"] and receipt["eliminatory"] is True
    pw.complete()
    body = _api(pw.w.officer).get(f"/api/partners/files/{pw.file.pk}").json()
    assert (body["outcome"], body["score"], body["missing"]) == ("admissible", "100.0", [])


def test_upload_through_the_api_and_bad_files(pw: PartnersWorld) -> None:
    client = _api(pw.w.officer)
    url = f"/api/partners/files/{pw.file.pk}/evidence"
    statutes = pw.criterion("statutes").pk
    good = client.post(url, {"criterion_id": statutes, "issued_on": "2025-01-10",
                             "document": pdf()})  # fmt: skip
    assert good.status_code == 201, good.content
    assert good.json()["content_type"] == "application/pdf"
    bad = client.post(url, {"criterion_id": statutes, "document": pdf("x.pdf", b"<html>")})
    assert bad.status_code == 409
    problem = bad.json()
    assert bad["Content-Type"] == "application/problem+json"
    assert problem["code"] == "document_type"
    missing = client.post(url, {"criterion_id": statutes})
    assert missing.status_code == 409 and missing.json()["code"] == "document_required"
    piece = Evidence.objects.get()
    download = client.get(f"{url}/{piece.pk}/document")
    assert b"".join(download.streaming_content) == PDF


def test_refusals_are_problem_json(pw: PartnersWorld) -> None:
    client = _api(pw.w.officer)
    decided = _json(client, f"/api/partners/files/{pw.file.pk}/decision",
                    {"decision": "admissible", "reason": "Bien."})  # fmt: skip
    assert decided.status_code == 409 and decided.json()["code"] == "decision_value"
    again = _json(client, f"/api/partners/authorities/{pw.authority.pk}/files",
                  {"association_id": pw.association.pk})  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "file_exists"
    unknown = _json(client, f"/api/partners/authorities/{pw.authority.pk}/files",
                    {"association_id": 999999})  # fmt: skip
    assert unknown.status_code == 422


def test_files_are_paged_by_key(pw: PartnersWorld) -> None:
    client = _api(pw.w.officer)
    body = client.get(f"/api/partners/authorities/{pw.authority.pk}/files?q=amal").json()
    assert [f["association"] for f in body["items"]] == ["Association Amal"]
    assert body["next_after"] is None
