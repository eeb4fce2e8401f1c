"""A database constraint's name never reaches the person (issue 20): the contribution form
says on its fields what an in-kind contribution needs, and any model form turns a
constraint that still refuses the values into a message on the fields it reads."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from sharaka.core.forms import ModelForm
from sharaka.finance.models import Contribution
from tests.finance.conftest import FinWorld
from tests.finance.test_views import url

pytestmark = pytest.mark.django_db


def _in_kind(fw: FinWorld, **extra: Any) -> dict[str, Any]:
    return {
        "organization": fw.pw.association.pk, "year": 2025, "kind": "in_kind",
        "pledged": "10", "received": "0", "currency": "MAD",
    } | extra  # fmt: skip


def test_an_in_kind_contribution_without_its_nature_is_refused_on_the_fields(
    fw: FinWorld, client_for: Any
) -> None:
    response = client_for("treasurer").post(url("contribution_create"), _in_kind(fw))
    assert response.status_code == 200
    html = response.content.decode()
    assert "finance_contrib_in_kind_described" not in html and "contrainte" not in html.lower()
    form = response.context["form"]
    assert form.errors["in_kind_type"] == ["Pour un apport en nature, dites ce qu'il fournit."]
    assert "valuation_method" in form.errors
    assert not Contribution.objects.exists()


def test_a_cash_contribution_drops_the_in_kind_details(fw: FinWorld, client_for: Any) -> None:
    data = _in_kind(fw, kind="cash", in_kind_type="premises", valuation_method="market")
    response = client_for("treasurer").post(url("contribution_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Contribution.objects.get()
    assert saved.kind == "cash" and saved.in_kind_type == "" and saved.valuation_method == ""


class _BareContributionForm(ModelForm[Contribution]):
    """The model's fields and nothing of the contribution form's own rules: what a form
    that forgot one would show."""

    class Meta:
        model = Contribution
        fields = ["partnership", "organization", "year", "kind", "in_kind_type", "pledged",
                  "received", "currency", "valuation_method"]  # fmt: skip


def test_a_constraint_still_refusing_is_said_on_its_fields(fw: FinWorld) -> None:
    form = _BareContributionForm(
        {"partnership": fw.w.a.pk} | _in_kind(fw, received="0"),
    )
    assert not form.is_valid()
    shown = [str(m) for messages in form.errors.values() for m in messages]
    assert not any("finance_contrib" in m for m in shown), shown
    assert forms.forms.NON_FIELD_ERRORS not in form.errors
    message = "Ces valeurs ne vont pas ensemble : vérifiez « "
    assert any((m.startswith(message) and "Type" in m) or m.startswith(message) for m in shown)
    assert not Contribution.objects.exists()
