"""Issue 13/19: opening an admissibility file searches the associations without a file
instead of listing every association of the country."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sharaka.partners.models import AdmissibilityFile
from tests.factories import AssociationFactory
from tests.partners.conftest import PartnersWorld
from tests.scale import assert_stays_small


def test_file_open_page_does_not_grow(pw: PartnersWorld, client_for: Any) -> None:
    url = reverse("partners:file_open", kwargs={"authority": pw.authority.pk})
    client = client_for("officer")
    html = client.get(url).content.decode()
    assert f"authority={pw.authority.pk}" in html and 'role="combobox"' in html
    assert_stays_small(client, url)


def test_file_open_checks_the_scope(pw: PartnersWorld, client_for: Any) -> None:
    url = reverse("partners:file_open", kwargs={"authority": pw.authority.pk})
    client = client_for("officer")
    # An association that already has a file with this authority is not a valid choice.
    assert client.post(url, {"association": pw.association.pk}).status_code == 200
    assert AdmissibilityFile.objects.filter(association=pw.association).count() == 1
    new = AssociationFactory(name="Association Nouvelle")
    assert client.post(url, {"association": new.pk}).status_code == 302
    assert AdmissibilityFile.objects.filter(association=new, authority=pw.authority).exists()
