"""Meetings, their agenda, documents and minutes, as the pages and the API read them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.governance import selectors as governance_selectors
from sharaka.governance.models import Board
from sharaka.meetings.models import (
    AgendaItem,
    BoardDocument,
    Meeting,
    Minutes,
    Motion,
    Recusal,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.selectors import partnership_get


def partnership_meetings_get(
    *, user: Any, slug: str, perm: Perm = Perm.MEETING_VIEW
) -> tuple[Partnership, Board | None]:
    """The partnership ``slug`` (404 if the user cannot see it) and its board."""
    partnership = partnership_get(user=user, slug=slug)
    require(user, Perm.MEETING_VIEW, partnership)
    if perm != Perm.MEETING_VIEW:
        require(user, perm, partnership)
    return partnership, governance_selectors.board_get(partnership=partnership)


def meeting_list(*, partnership: Partnership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership=partnership)
        .select_related("reconvenes")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-starts_at", "-pk")
    )


def meeting_get(*, user: Any, partnership: Partnership, meeting_id: int) -> Meeting:
    """A meeting of ``partnership`` (the caller has checked the partnership is visible)."""
    return found(
        Meeting.objects.select_related("partnership", "board", "reconvenes")
        .filter(partnership=partnership, pk=meeting_id)
        .first()
    )


def meeting_by_id(*, user: Any, meeting_id: int) -> Meeting:
    """A meeting by id for the API: 404 if it does not exist or its partnership is hidden."""
    meeting = found(
        Meeting.objects.select_related("partnership", "board", "reconvenes")
        .filter(pk=meeting_id)
        .first()
    )
    require(user, Perm.MEETING_VIEW, meeting.partnership)
    return meeting


def items_of(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items with their motions, recusals and documents (4 queries)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("minutes_to_approve__meeting")
        .prefetch_related(
            Prefetch("motions", queryset=Motion.objects.order_by("round")),
            Prefetch("recusals", queryset=Recusal.objects.order_by("pk")),
            Prefetch("documents", queryset=BoardDocument.objects.order_by("pk")),
        )
        .order_by("position")
    )


def item_get(*, meeting: Meeting, item_id: int) -> AgendaItem:
    return found(
        AgendaItem.objects.select_related("association").filter(meeting=meeting, pk=item_id).first()
    )


def motion_get(*, meeting: Meeting, motion_id: int) -> Motion:
    return found(
        Motion.objects.select_related("item").filter(item__meeting=meeting, pk=motion_id).first()
    )


def motion_by_id(*, user: Any, motion_id: int) -> Motion:
    motion = found(
        Motion.objects.select_related("item__meeting__partnership", "item__meeting__board")
        .filter(pk=motion_id)
        .first()
    )
    require(user, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    return motion


def documents_of(meeting: Meeting) -> list[BoardDocument]:
    return list(BoardDocument.objects.filter(meeting=meeting).select_related("item"))


def document_get(*, meeting: Meeting, document_id: int) -> BoardDocument:
    return found(BoardDocument.objects.filter(meeting=meeting, pk=document_id).first())


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).prefetch_related("signatures", "errata").first()


def minutes_get(meeting: Meeting) -> Minutes:
    """The minutes of ``meeting`` (404 while they are not drafted)."""
    minutes = minutes_of(meeting)
    if minutes is None:
        raise NotFound(gettext("Le procès-verbal n'est pas encore rédigé."))
    minutes.meeting = meeting
    return minutes


def previous_minutes_choices(meeting: Meeting) -> QuerySet[Minutes]:
    """Minutes of earlier meetings of the same board (to approve at this one)."""
    return (
        Minutes.objects.filter(
            meeting__board_id=meeting.board_id, meeting__starts_at__lt=meeting.starts_at
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def today() -> date:
    return timezone.localdate()
