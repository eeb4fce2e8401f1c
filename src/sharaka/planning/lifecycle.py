"""The action plan's fact for the lifecycle conditions (``partnerships.ports``)."""

from __future__ import annotations

from sharaka.partnerships.models import Partnership
from sharaka.planning.models import PlanVersion, VersionStatus


def plan_adopted(partnership: Partnership) -> bool:
    """Whether a version of one of its action plans is adopted by the board (one query)."""
    return PlanVersion.objects.filter(
        plan__partnership=partnership, status=VersionStatus.ADOPTED
    ).exists()
