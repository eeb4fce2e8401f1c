from __future__ import annotations

import pytest

from sharaka.core.querysets import narrow, text_search
from sharaka.directory.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _names(queryset: object) -> list[str]:
    return sorted(queryset.values_list("name", flat=True))  # type: ignore[attr-defined]


def test_the_text_search_looks_in_each_field_in_any_case_and_an_empty_one_keeps_all() -> None:
    OrganizationFactory(name="Commune d'Ifrane", kind="commune", city="Ifrane")
    OrganizationFactory(name="Association Atlas", kind="association", city="Azrou")
    everyone = Organization.objects.all()
    assert _names(text_search(everyone, "IFRANE", ("name",))) == ["Commune d'Ifrane"]
    assert _names(text_search(everyone, "azr", ("name", "city"))) == ["Association Atlas"]
    assert _names(text_search(everyone, "", ("name",))) == _names(everyone)
    assert _names(text_search(everyone, "rabat", ("name", "city"))) == []


def test_narrow_filters_only_on_the_choices_made() -> None:
    OrganizationFactory(name="Commune d'Ifrane", kind="commune", city="Ifrane")
    OrganizationFactory(name="Association Atlas", kind="association", city="Ifrane")
    everyone = Organization.objects.all()
    assert _names(narrow(everyone, kind="", city__iexact=None)) == _names(everyone)
    assert _names(narrow(everyone, kind="commune", city__iexact="")) == ["Commune d'Ifrane"]
    assert _names(narrow(everyone, kind="association", city__iexact="ifrane")) == [
        "Association Atlas"
    ]
