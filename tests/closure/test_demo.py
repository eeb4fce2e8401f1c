"""The demo's closure scenario: base-de-plein-air winding down after its convention expired."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sharaka import demo
from sharaka.closure import selectors
from sharaka.closure.models import Termination, WindDownItem
from sharaka.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_base_de_plein_air_winds_down_on_expiry_with_one_item_open() -> None:
    demo.load_demo()
    demo.load_demo()  # idempotent
    partnership = Partnership.objects.get(slug="base-de-plein-air")
    termination = Termination.objects.get(partnership=partnership)
    assert partnership.status == "terminating" and termination.ground == "expiry"
    assert termination.recorded_by is None  # the daily job started it
    items = WindDownItem.objects.filter(partnership=partnership)
    by_kind: dict[str, set[str]] = {}
    for item in items:
        by_kind.setdefault(item.kind, set()).add(item.disposition)
    assert by_kind["asset"] == {"returned", "transferred", "sold", "written_off"}
    assert by_kind["staff"] == {"returned_to_body", "contract_ended", "stays_with_party"}
    still_open = [i.kind for i in items if i.status not in ("done", "not_applicable")]
    assert still_open == ["documents"]
    accounts = selectors.accounts_get(partnership=partnership)
    assert accounts.approved is not None and accounts.approved.decision is not None
    assert accounts.balance == Decimal("127433.37")
    # The clause's key is each commune's share of the contributions (75,000.00 / 52,433.37).
    assert {s.name: s.amount for s in accounts.shares} == {
        "Commune d'Oued Zitoune": Decimal("75000.00"),
        "Commune de Tizgui": Decimal("52433.37"),
    }
    assert Partnership.objects.get(slug="complexe-sportif").status == "active"
