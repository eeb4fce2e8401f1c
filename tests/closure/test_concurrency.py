"""Two approvals of the final accounts at the same moment: the partnership's row lock lets one
write them; the other is told they are already approved. Without the lock both would pass
the "already approved?" check and write two sets of shares."""

from __future__ import annotations

import pytest

from sharaka.closure import services
from sharaka.closure.models import FinalAccounts, FinalShare
from tests.closure.conftest import ClosureWorld
from tests.race import postgresql_only, race


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_write_the_accounts_once(cw: ClosureWorld) -> None:
    cw.start()
    outcomes = race(
        lambda: services.accounts_approve(by=cw.w.coordinator, partnership=cw.a),
        lambda: services.accounts_approve(by=cw.w.officer, partnership=cw.a),
    )
    assert sorted(outcomes) == ["closure_accounts_approved", "ok"]
    accounts = FinalAccounts.objects.get(partnership=cw.a)  # one set, not two
    shares = FinalShare.objects.filter(accounts__partnership=cw.a)
    assert sum(s.amount for s in shares) == accounts.balance
