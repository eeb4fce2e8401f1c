"""The demo's closure scenario: base-de-plein-air winding down on Tizgui's notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sharaka import demo
from sharaka.closure import selectors
from sharaka.closure.models import Termination, WindDownItem
from sharaka.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_base_de_plein_air_is_winding_down_with_its_notice_running() -> None:
    demo.load_demo()
    demo.load_demo()  # idempotent
    partnership = Partnership.objects.get(slug="base-de-plein-air")
    termination = Termination.objects.get(partnership=partnership)
    today = timezone.localdate()
    assert partnership.status == "terminating" and termination.ground == "notice"
    assert termination.notice_days == 180 and termination.effective_date > today
    assert termination.notice_on == today - timedelta(days=40)
    assert termination.decision is not None
    assert termination.decision.number in termination.transition.note  # type: ignore[union-attr]
    items = WindDownItem.objects.filter(partnership=partnership)
    statuses = list(items.values_list("status", flat=True))
    assert statuses.count("done") == 1 and "in_progress" in statuses and "open" in statuses
    accounts = selectors.accounts_get(partnership=partnership)
    assert accounts.approved is None and sum(s.amount for s in accounts.shares) == accounts.balance
    assert Partnership.objects.get(slug="complexe-sportif").status == "active"
