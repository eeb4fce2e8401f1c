"""The agenda item's "association concerned" (law 113-14 art. 65): chosen on the item form
with the scoped search-as-you-type (``directory_associations``), refused when it is not an
association, kept on the item."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sharaka.core.errors import DomainError
from sharaka.core.lookups import get
from sharaka.meetings import services
from sharaka.meetings.models import AgendaItem
from tests.factories import AssociationFactory, OrganizationFactory
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def test_the_item_form_sets_the_association(mw: MeetingWorld, client_for: Any) -> None:
    meeting = mw.meeting()
    association = AssociationFactory(name="Association Jeunesse")
    client = client_for("admin")
    url = reverse("meetings:item_add", kwargs={"slug": mw.w.a.slug, "meeting_id": meeting.pk})
    page = client.get(url).content.decode()
    assert "directory_associations" in page  # the search-as-you-type widget
    response = client.post(url, {"kind": "deliberation", "title": "Subvention",
                                 "association": association.pk})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    item = AgendaItem.objects.get(meeting=meeting, title="Subvention")
    assert item.association == association
    edit = reverse("meetings:item_edit", kwargs={"slug": mw.w.a.slug, "meeting_id": meeting.pk,
                                                 "item_id": item.pk})  # fmt: skip
    assert client.post(edit, {"kind": "deliberation", "title": "Subvention",
                              "association": ""}).status_code == 302  # fmt: skip
    assert AgendaItem.objects.get(pk=item.pk).association is None


def test_an_organisation_that_is_no_association_is_refused(mw: MeetingWorld,
                                                           client_for: Any) -> None:  # fmt: skip
    meeting = mw.meeting()
    company = OrganizationFactory(name="Société X", kind="private_company")
    url = reverse("meetings:item_add", kwargs={"slug": mw.w.a.slug, "meeting_id": meeting.pk})
    before = AgendaItem.objects.count()
    response = client_for("admin").post(url, {"kind": "deliberation", "title": "S",
                                              "association": company.pk})  # fmt: skip
    assert response.status_code in (200, 422) and AgendaItem.objects.count() == before
    with pytest.raises(DomainError) as refusal:
        services.item_add(
            by=mw.admin,
            meeting=meeting,
            fields={"kind": "deliberation", "title": "S", "association": company},
        )
    assert refusal.value.field == "association" and AgendaItem.objects.count() == before


def test_the_lookup_lists_associations_only_to_signed_in_users(client_for: Any,
                                                               world: Any) -> None:  # fmt: skip
    AssociationFactory(name="Association Amal")
    OrganizationFactory(name="Amal SARL", kind="private_company")
    assert get("directory_associations").name == "directory_associations"
    url = reverse("core:lookup", kwargs={"name": "directory_associations"}) + "?q=amal"
    body = client_for("coordinator").get(url).content.decode()
    assert "Association Amal" in body and "Amal SARL" not in body
    assert client_for(None).get(url).status_code in (302, 401, 404)
