"""An unapproved expense's page names who may approve it (issue 20: "whoever may approve
must be someone on the partnership, and the page says who")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sharaka.core.access import Perm, can
from sharaka.finance import selectors
from sharaka.partnerships.models import GrantRole, PartnershipRole
from tests.finance.conftest import FinWorld

pytestmark = pytest.mark.django_db


def _page(client: Any, fw: FinWorld, expense: Any, username: str) -> str:
    client.force_login(fw.w.user(username))
    url = reverse("finance:expense", kwargs={"slug": fw.w.a.slug, "pk": expense.pk})
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_names_the_treasurer_who_may_approve(client: Any, fw: FinWorld) -> None:
    fw.w.treasurer.first_name, fw.w.treasurer.last_name = "Karim", "Bennani"
    fw.w.treasurer.save()
    expense = fw.record(by=fw.w.coordinator)
    view = selectors.expense_view_get(partnership=fw.w.a, expense_id=expense.pk)
    assert view.approvers == ("Karim Bennani",)
    # every name the page gives holds the right, by the one policy
    assert can(fw.w.treasurer, Perm.EXPENSE_APPROVE, fw.w.a)
    assert not can(fw.w.coordinator, Perm.EXPENSE_APPROVE, fw.w.a)
    html = _page(client, fw, expense, "coordinator")
    assert "Peut l'approuver :" in html
    assert "<bdi>Karim Bennani</bdi>" in html


def test_the_recorder_is_not_named_and_nobody_left_says_so(client: Any, fw: FinWorld) -> None:
    expense = fw.record(by=fw.w.treasurer)
    view = selectors.expense_view_get(partnership=fw.w.a, expense_id=expense.pk)
    assert view.approvers == ()
    html = _page(client, fw, expense, "officer")
    assert "Personne ne peut encore approuver cette dépense" in html
    assert reverse("partnerships:access", kwargs={"slug": fw.w.a.slug}) in html


def test_an_expired_grant_and_another_partnership_name_nobody(fw: FinWorld) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    PartnershipRole.objects.filter(user=fw.w.treasurer, partnership=fw.w.a).update(
        valid_until=yesterday
    )
    PartnershipRole.objects.create(user=fw.w.outsider, partnership=fw.w.b, role=GrantRole.TREASURER)
    expense = fw.record(by=fw.w.coordinator)
    assert selectors.expense_approvers(partnership=fw.w.a, expense=expense) == ()


def test_an_approved_expense_names_nobody(fw: FinWorld) -> None:
    expense = fw.approved()
    view = selectors.expense_view_get(partnership=fw.w.a, expense_id=expense.pk)
    assert view.approvers == ()
