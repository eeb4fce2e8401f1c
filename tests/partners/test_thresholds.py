"""Funding thresholds: finance's contribution page warns when the lead authority's yearly
cash funding of an association party crosses 10,000 DH (art. 32 ter) or 50,000 DH
(circular 7/2003, unverified)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sharaka.finance.models import Contribution
from sharaka.finance.selectors import association_funding_totals, contributions_view_get
from sharaka.partnerships.models import Party, PartyRole
from tests.conftest import World, sign_in
from tests.factories import AssociationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _cash(partnership: object, organization: object, year: int, amount: str) -> Contribution:
    return Contribution.objects.create(
        partnership=partnership, organization=organization, year=year, kind="cash",
        pledged=Decimal(amount),
    )  # fmt: skip


def test_warnings_name_the_threshold_and_its_reference(world: World) -> None:
    a = world.a
    authority = a.lead_authority
    association = AssociationFactory(name="Association Amal")
    Party.objects.create(partnership=a, organization=association, role=PartyRole.PARTNER)
    _cash(a, authority, 2026, "9000")
    _cash(a, association, 2026, "90000")  # the association's own money is no public funding
    assert contributions_view_get(partnership=a).funding == []
    # A second partnership of the same authority with the same association adds up.
    other = PartnershipFactory(lead_authority=authority)
    Party.objects.create(partnership=other, organization=association, role=PartyRole.PARTNER)
    _cash(other, authority, 2026, "2000")
    _cash(other, authority, 2025, "60000")
    totals = association_funding_totals(partnership=a)
    assert totals == {("Association Amal", 2026): Decimal("11000"),
                      ("Association Amal", 2025): Decimal("60000")}  # fmt: skip
    warnings = contributions_view_get(partnership=a).funding
    assert [(w.year, [(t.amount, t.verified) for t in w.thresholds]) for w in warnings] == [
        (2026, [(10000, True)]),
        (2025, [(10000, True), (50000, False)]),
    ]
    client = sign_in(Client(), world.officer)
    with translation.override("fr"):
        page = client.get(reverse("finance:contributions", kwargs={"slug": a.slug}))
    text = page.content.decode()
    assert "Association Amal : 11" in text and "art. 32 ter" in text
    assert "7/2003" in text and "source à vérifier" in text


def test_no_association_no_warning(world: World) -> None:
    _cash(world.a, world.a.lead_authority, 2026, "900000")
    assert contributions_view_get(partnership=world.a).funding == []


def test_recording_a_contribution_that_crosses_a_threshold_says_so(world: World) -> None:
    a = world.a
    association = AssociationFactory(name="Association Amal")
    Party.objects.create(partnership=a, organization=association, role=PartyRole.PARTNER)
    _cash(a, a.lead_authority, 2026, "9000")
    client = sign_in(Client(), world.officer)
    url = reverse("finance:contribution_create", kwargs={"slug": a.slug})
    fields = {"organization": a.lead_authority.pk, "year": 2026, "kind": "cash",
              "pledged": "500", "received": "0", "currency": "MAD"}  # fmt: skip
    with translation.override("fr"):
        small = client.post(url, fields, follow=True)
        assert "Attention" not in small.content.decode()  # 9,500: below
        crossed = client.post(url, {**fields, "pledged": "1000"}, follow=True)
    messages = [str(m) for m in crossed.context["messages"]]
    assert any("Association Amal dépasse 10\xa0000 DH en 2026" in m and "art. 32 ter" in m
               for m in messages), messages  # fmt: skip
    assert Contribution.objects.filter(year=2026).count() == 3
