"""Two requests filed at the same moment with one authority get consecutive numbers: the
authority's row lock serialises the read of the last number and the write of the next."""

from __future__ import annotations

import pytest

from sharaka.transparency.models import InformationRequest
from tests.conftest import World
from tests.race import postgresql_only, race
from tests.transparency.conftest import record


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_filings_get_consecutive_numbers(world: World) -> None:
    outcomes = race(*(lambda: record(world) for _ in range(4)))
    assert outcomes == ["ok"] * 4
    numbers = InformationRequest.objects.filter(authority_id=world.a.lead_authority_id)
    assert sorted(numbers.values_list("sequence", flat=True)) == [1, 2, 3, 4]
