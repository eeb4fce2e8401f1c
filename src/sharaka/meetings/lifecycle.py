"""The board's decisions for the lifecycle conditions (``partnerships.ports``)."""

from __future__ import annotations

from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership


def decision_numbers(partnership: Partnership) -> frozenset[str]:
    """The numbers of the board's recorded decisions (``CA-2026-007``; one query)."""
    return frozenset(
        Decision.objects.filter(partnership=partnership).values_list("number", flat=True)
    )
