"""The register of decisions, and what the public portal reads: published minutes and the
head of the hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sharaka.core.access import Perm, partnership_scope, require
from sharaka.core.querysets import found, narrow, text_search
from sharaka.governance.models import Officer
from sharaka.meetings import chain
from sharaka.meetings.models import (
    Decision,
    Meeting,
    MeetingStatusChoice,
)
from sharaka.partnerships.models import Partnership


def decision_list(
    *,
    user: Any,
    partnership: Partnership | None = None,
    search: str = "",
    year: int | None = None,
    kind: str = "",
) -> QuerySet[Decision]:
    """Decisions the user may read (all partnerships when ``partnership`` is None)."""
    decisions = Decision.objects.select_related("partnership", "meeting", "item", "motion")
    if partnership is not None:
        require(user, Perm.DECISION_VIEW, partnership)
        decisions = decisions.filter(partnership=partnership)
    else:
        decisions = decisions.filter(
            partnership__in=Partnership.objects.filter(partnership_scope(user))
        )
    decisions = text_search(decisions, search, ("number", "title", "text", "item__title"))
    decisions = narrow(decisions, year=year, kind=kind)
    return decisions.order_by("-year", "-sequence", "-id")  # index meetings_decision_order


def decision_get(
    *, user: Any, decision_id: int, partnership: Partnership | None = None
) -> Decision:
    decisions = Decision.objects.select_related(
        "partnership", "meeting", "item", "motion", "created_by"
    )
    if partnership is not None:
        decisions = decisions.filter(partnership=partnership)
    decision = found(decisions.filter(pk=decision_id).first())
    require(user, Perm.DECISION_VIEW, decision.partnership)
    return decision


def decision_years(partnership: Partnership) -> list[int]:
    return list(
        Decision.objects.filter(partnership=partnership)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def appointed_officers(decision: Decision) -> list[Officer]:
    return list(
        Officer.objects.filter(appointing_decision_id=decision.pk).select_related("mandate__person")
    )


def public_meetings(*, partnership: Partnership) -> QuerySet[Meeting]:
    """Meetings whose minutes are published (the only thing the public sees)."""
    return Meeting.objects.filter(
        partnership=partnership, status=MeetingStatusChoice.PUBLISHED
    ).order_by("-starts_at")


@dataclass(frozen=True)
class ChainHeadView:
    """The head of the installation's hash chain, published on the portal: anyone who
    writes it down can later check that the chain still holds it (``sharaka verify
    --head POSITION:HASH``)."""

    position: int
    hash: str

    @property
    def anchor(self) -> str:
        return f"{self.position}:{self.hash}"


def chain_head_get() -> ChainHeadView | None:
    """The current head, ``None`` while nothing is chained."""
    position, value = chain.head_get()
    return ChainHeadView(position, value) if position else None


def public_meeting_get(*, partnership: Partnership, meeting_id: int) -> Meeting:
    return found(
        Meeting.objects.select_related("partnership", "board")
        .filter(partnership=partnership, pk=meeting_id, status=MeetingStatusChoice.PUBLISHED)
        .first()
    )
