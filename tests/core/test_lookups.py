"""Search-as-you-type choices (core.lookups, issue 19): the endpoint, its access checks and
its limit, and the field that checks the chosen id against the same scoped query."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharaka.core import lookups
from sharaka.core.lookups import LIMIT, LookupField
from sharaka.directory.lookups import PEOPLE
from sharaka.partners import services as partners_services
from tests.conftest import World
from tests.factories import AssociationFactory, OrganizationFactory, PersonFactory
from tests.scale import fill_directory


def _url(name: str, **params: Any) -> str:
    from django.utils.http import urlencode

    base = reverse("core:lookup", kwargs={"name": name})
    return f"{base}?{urlencode(params)}" if params else base


@pytest.mark.parametrize("name", ["people", "organizations", "authorities"])
def test_anonymous_is_refused(world: World, name: str) -> None:
    response = Client().get(_url(name, q="a"))
    assert response.status_code == 302  # to the sign-in page, like every page
    assert reverse("accounts:login") in response["Location"]


def test_unknown_lookup_is_404(client_for: Any) -> None:
    assert client_for("outsider").get(_url("nothing")).status_code == 404


def test_people_results_are_limited_and_say_the_organisation(client_for: Any) -> None:
    commune = OrganizationFactory(name="Commune Tifawin")
    PersonFactory(first_name="Karim", last_name="Alami", organization=commune,
                  email="karim@example.org")  # fmt: skip
    fill_directory(LIMIT + 5)
    client = client_for("outsider")  # every signed-in user reads names and organisations
    response = client.get(_url("people", q="karim alami"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="option"') == 1
    assert "Karim Alami" in html and "Commune Tifawin" in html
    assert "karim@example.org" not in html  # never a contact
    many = client.get(_url("people", q="Masse")).content.decode()
    assert many.count('role="option"') == LIMIT
    assert "précisez la recherche" in many


def test_no_result_says_so(client_for: Any) -> None:
    html = client_for("officer").get(_url("organizations", q="zzzz")).content.decode()
    assert 'aria-disabled="true"' in html and "Aucun résultat" in html


def test_authorities_are_only_authorities(world: World, client_for: Any) -> None:
    AssociationFactory(name="Association Commune libre")
    html = client_for("officer").get(_url("authorities", q="Commune")).content.decode()
    assert "Commune A" in html and "Association Commune libre" not in html


def test_the_search_text_is_bounded(client_for: Any) -> None:
    response = client_for("officer").get(_url("people", q="x " * 5000))
    assert response.status_code == 200


# --- Associations: scoped to one authority's files --------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 200), ("admin", 200), ("other_officer", 404), ("coordinator", 404),
     ("outsider", 404), (None, 302)],
)  # fmt: skip
def test_associations_per_role(world: World, client_for: Any, role: str | None,
                               expected: int) -> None:  # fmt: skip
    url = _url("associations", authority=world.a.lead_authority_id, q="")
    assert client_for(role).get(url).status_code == expected


def test_associations_need_a_valid_authority(client_for: Any) -> None:
    for bad in ("", "abc", "9" * 30):
        assert client_for("admin").get(_url("associations", authority=bad)).status_code == 404


def test_associations_leave_out_those_with_a_file(world: World, client_for: Any) -> None:
    with_file = AssociationFactory(name="Association Déjà")
    AssociationFactory(name="Association Nouvelle")
    partners_services.file_open(by=world.officer, association=with_file,
                                authority=world.a.lead_authority)  # fmt: skip
    url = _url("associations", authority=world.a.lead_authority_id, q="Association")
    html = client_for("officer").get(url).content.decode()
    assert "Association Nouvelle" in html and "Association Déjà" not in html


# --- The field ---------------------------------------------------------------------------


def test_field_accepts_only_its_scope(world: World) -> None:
    from django import forms

    class PickForm(forms.Form):
        person = LookupField(lookup=PEOPLE, label="Personne")

    person = PersonFactory()
    unscoped = PickForm({"person": person.pk})
    assert not unscoped.is_valid()  # nothing is valid before the form is scoped to a user
    scoped = PickForm({"person": person.pk})
    scoped.fields["person"].scope_to(world.officer)
    assert scoped.is_valid() and scoped.cleaned_data["person"] == person
    bad = PickForm({"person": "999999"})
    bad.fields["person"].scope_to(world.officer)
    assert not bad.is_valid()


def test_widget_renders_a_labelled_combobox_with_its_choice(world: World) -> None:
    from django import forms

    class PickForm(forms.Form):
        person = LookupField(lookup=PEOPLE, label="Personne")

    person = PersonFactory(first_name="Salma", last_name="Idrissi")
    form = PickForm(initial={"person": person.pk})
    form.fields["person"].scope_to(world.officer)
    html = str(form["person"].label_tag()) + str(form["person"])
    assert 'for="id_person"' in html and 'id="id_person"' in html
    assert 'role="combobox"' in html and 'aria-controls="id_person_listbox"' in html
    assert 'role="listbox"' in html and 'aria-expanded="false"' in html
    assert f'name="person" value="{person.pk}"' in html and "Salma Idrissi" in html
    assert reverse("core:lookup", kwargs={"name": "people"}) in html


def test_registry() -> None:
    assert lookups.get("people") is PEOPLE
