"""What the board's services share: today's date, a date in words, the board an object
belongs to, the partnership's parties, overlapping periods."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.models import Board
from sharaka.partnerships.models import Party


def _today() -> date:
    return timezone.localdate()


def _day(value: date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _belongs(obj_board_id: int, board: Board, what: str) -> None:
    if obj_board_id != board.pk:
        raise DomainError(
            Code.WRONG_PARTNERSHIP,
            gettext("%(what)s n'appartient pas au conseil de ce partenariat.") % {"what": what},
        )


def _party_ids(partnership_id: int) -> set[int]:
    return set(
        Party.objects.filter(partnership_id=partnership_id).values_list(
            "organization_id", flat=True
        )
    )


QS = TypeVar("QS", bound=QuerySet[Any])


def _overlapping(queryset: QS, start: date, end: date | None) -> QS:
    """Rows of ``queryset`` (with start_date/end_date, end inclusive) overlapping the period."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset
