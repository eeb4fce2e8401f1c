"""Issue 19: the convention page of an editable version searches the directory for a
signatory instead of listing every person."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sharaka.conventions.models import ConventionVersion
from tests.conftest import World
from tests.factories import PersonFactory
from tests.scale import assert_stays_small


def test_editable_version_page_does_not_grow(world: World, draft: ConventionVersion,
                                             client_for: Any) -> None:  # fmt: skip
    url = reverse("conventions:detail", kwargs={"slug": world.a.slug})
    client = client_for("officer")
    html = client.get(url).content.decode()
    assert 'name="person"' in html and 'role="combobox"' in html  # the signatory form is there
    assert_stays_small(client, url)


def test_signatory_chosen_by_id(world: World, draft: ConventionVersion, client_for: Any) -> None:
    person = PersonFactory(first_name="Nadia", last_name="Bennani")
    url = reverse("conventions:signatory_add", kwargs={"slug": world.a.slug, "number": 0})
    data = {"organization": world.a.lead_authority_id, "capacity": "Présidente"}
    client = client_for("officer")
    assert client.post(url, {**data, "person": "999999999"}).status_code == 422
    assert client.post(url, {**data, "person": person.pk}).status_code == 302
    assert draft.signatories.filter(person=person).exists()
