"""Issue 19: the partnership pages search the directory (a party, the authority filter)
instead of listing whole tables, and the list is ordered by an index with a tie-breaker."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sharaka.partnerships.models import Party
from tests.conftest import World
from tests.factories import OrganizationFactory
from tests.scale import assert_stays_small


def test_detail_page_does_not_grow_with_the_directory(world: World, client_for: Any) -> None:
    url = reverse("partnerships:detail", kwargs={"slug": world.a.slug})
    client = client_for("officer")
    assert 'id="id_organization"' in client.get(url).content.decode()  # the party form
    assert_stays_small(client, url)


def test_party_added_by_id(world: World, client_for: Any) -> None:
    organization = OrganizationFactory(name="Commune voisine")
    url = reverse("partnerships:party_add", kwargs={"slug": world.a.slug})
    client = client_for("officer")
    assert client.post(url, {"organization": "999999999", "role": "partner"}).status_code == 422
    assert client.post(url, {"organization": organization.pk, "role": "partner"}).status_code == 302
    assert Party.objects.filter(partnership=world.a, organization=organization).exists()


def test_list_page_does_not_grow_with_the_authorities(world: World, client_for: Any) -> None:
    client = client_for("admin")
    assert_stays_small(client, reverse("partnerships:list"))
    # A chosen authority is shown by its name and filters the list.
    url = reverse("partnerships:list") + f"?authority={world.b.lead_authority_id}"
    html = client.get(url).content.decode()
    assert 'value="Commune B"' in html
    assert "Partenariat B" in html and "Partenariat A" not in html


def test_list_order_is_indexed_and_stable(world: World) -> None:
    from sharaka.partnerships import selectors
    from sharaka.partnerships.models import Partnership
    from tests.factories import PartnershipFactory

    authority = world.a.lead_authority
    twins = [
        PartnershipFactory(title="Même titre", slug=f"meme-{i}", lead_authority=authority)
        for i in range(3)
    ]
    listed = selectors.partnership_list(user=world.admin)
    assert list(listed.query.order_by) == ["title", "id"]
    index = next(i for i in Partnership._meta.indexes if i.name == "partnerships_title_order")
    assert list(index.fields) == ["title", "id"]
    same = [p.pk for p in listed if p.title == "Même titre"]
    assert same == sorted(t.pk for t in twins)
