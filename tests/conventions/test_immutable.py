"""A signed convention version never changes (``core.immutable``, code ``version_locked``):
nor do its clauses and signatories. It moves on to in force and ended, its date of effect
is set once, and its scanned copy may be uploaded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory

from sharaka.accounts.models import ApiToken
from sharaka.conventions import services
from sharaka.conventions.models import Clause, ConventionVersion, Signatory
from sharaka.core.immutable import ImmutableError
from sharaka.core.middleware import DomainErrorMiddleware
from tests.conftest import World
from tests.conventions.conftest import sign
from tests.frozen import assert_frozen, refused

pytestmark = pytest.mark.django_db

CODE = "version_locked"


def test_a_signed_version_its_clauses_and_signatories_refuse_every_change(
    world: World, draft: ConventionVersion
) -> None:
    sign(world, draft)
    version = ConventionVersion.objects.get(pk=draft.pk)
    message = refused(lambda: ConventionVersion.objects.filter(pk=draft.pk).update(purpose="x"),
                      CODE)  # fmt: skip
    assert "version signée de la convention" in message.message
    assert_frozen(version, CODE, purpose="Réécrit")
    assert_frozen(ConventionVersion.objects.get(pk=draft.pk), CODE, status="draft")
    assert_frozen(
        ConventionVersion.objects.get(pk=draft.pk), CODE, effective_date=date(2025, 2, 1)
    )  # fmt: skip  (set at signature: fixed)
    assert_frozen(draft.clauses.get(code="audit"), CODE, params={})
    assert_frozen(Signatory.objects.get(version=draft), CODE, capacity="Autre")
    refused(lambda: Clause.objects.create(version=draft, key="custom-x", code="custom"), CODE)


def test_a_signed_version_moves_on_and_receives_its_copy(
    world: World, draft: ConventionVersion
) -> None:
    sign(world, draft, effective=None)
    version = ConventionVersion.objects.get(pk=draft.pk)
    version.status, version.effective_date = "in_force", date(2025, 1, 1)  # set once
    version.save()
    version.signed_copy.save("copie.pdf", SimpleUploadedFile("c.pdf", b"%PDF-1.4"), save=False)
    version.save(update_fields=["signed_copy", "updated_at"])
    version.status, version.ended_on = "ended", date(2025, 12, 31)
    version.save()
    stored = ConventionVersion.objects.get(pk=draft.pk)
    assert (stored.status, stored.effective_date) == ("ended", date(2025, 1, 1))
    assert stored.signed_copy and stored.ended_on == date(2025, 12, 31)
    assert_frozen(stored, CODE, status="in_force")


def test_a_draft_and_its_clauses_change_freely(draft: ConventionVersion) -> None:
    draft.purpose = "Objet"
    draft.save()
    assert Clause.objects.filter(version=draft, code="audit").update(params={}) == 1
    Clause.objects.filter(version=draft, code="audit").delete()
    assert not draft.clauses.filter(code="audit").exists()


# --- A refusal by the model alone: a 409 problem or a message, never a 500 ---------------


@pytest.fixture
def model_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services' own check removed, so that only the model stands in the way."""
    monkeypatch.setattr(services, "_check_editable", lambda version: None)


def test_the_api_answers_a_refusal_of_the_model_with_a_409_problem(
    world: World, draft: ConventionVersion, model_alone: None
) -> None:
    sign(world, draft)
    _token, raw = ApiToken.issue(user=world.user("coordinator"), name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)
    response = client.patch("/api/conventions/partenariat-a/versions/0/clauses/audit",
                            {"params": {"audit_frequency_months": 24}},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == CODE
    assert draft.clauses.get(code="audit").params["audit_frequency_months"] == 12  # unchanged


def test_a_page_shows_a_refusal_of_the_model_as_a_message(
    world: World, draft: ConventionVersion, model_alone: None, client_for: Any
) -> None:
    sign(world, draft)
    client = client_for("officer")
    client.raise_request_exception = False
    url = f"/partenariats/partenariat-a/convention/versions/{draft.number}/clauses/audit/retirer/"
    response = client.post(url, follow=True)
    assert response.status_code == 200, response.status_code
    assert "version signée de la convention" in response.content.decode()
    assert draft.clauses.filter(code="audit").exists()


def test_a_refusal_that_escapes_a_view_is_the_409_page(
    world: World, draft: ConventionVersion, rf: RequestFactory
) -> None:
    sign(world, draft)
    clause = draft.clauses.get(code="audit")
    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(ImmutableError) as caught:
        clause.delete()
    middleware = DomainErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, caught.value)
    assert response is not None and response.status_code == 409
    assert "version signée de la convention" in response.content.decode()
