"""What every meeting service shares: the clock, the lock on the meeting row, the
status checks and :func:`_transition`, the one place that applies the transition table and
records who moved the meeting, and when."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext

from sharaka.core.access import signed_in
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.meetings import rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    Meeting,
    MeetingStatusChoice,
    MeetingTransition,
)
from sharaka.meetings.selectors import (
    MemberRow,
    Roll,
    member_rows_for_user,
)

MEETING_FIELDS = ("title", "kind", "starts_at", "ends_at", "place", "video_link")
ITEM_FIELDS = ("kind", "title", "description", "minutes_to_approve", "association")
LANGS = ("fr", "en", "ar")


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _day(value: date | datetime) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


def _status_label(status: str) -> str:
    return str(MeetingStatusChoice(status).label)


def _lock(meeting: Meeting) -> Meeting:
    """Lock the meeting row for this transaction and return it fresh (relations kept)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    locked.partnership = meeting.partnership
    locked.board = meeting.board
    return locked


def _require_status(
    meeting: Meeting, allowed: frozenset[rules.MeetingStatus], code: Code, message: str
) -> None:
    if meeting.lifecycle_status not in allowed:
        raise DomainError(code, message)


def _transition(
    meeting: Meeting, action: rules.Action, *, by: Actor, at: datetime | None = None, note: str = ""
) -> MeetingTransition:
    """Apply ``action`` to the (locked) meeting if the transition table allows it."""
    current = meeting.lifecycle_status
    target = rules.next_status(current, action)
    if target is None:
        needed = rules.required_status(action)
        raise DomainError(
            Code.TRANSITION_NOT_ALLOWED,
            gettext(
                "Impossible depuis le statut « %(current)s » : il faut une réunion au "
                "statut « %(needed)s »."
            )
            % {"current": _status_label(current), "needed": _status_label(needed)},
        )
    meeting.status = target.value
    meeting.save(update_fields=["status", "updated_at"])
    return MeetingTransition.objects.create(
        meeting=meeting,
        action=action.value,
        from_status=current.value,
        to_status=target.value,
        by=signed_in(by),
        at=_now(at),
        note=note,
    )


def _in_session(meeting: Meeting) -> None:
    _require_status(
        meeting,
        rules.IN_SESSION,
        Code.NOT_IN_SESSION,
        gettext("La séance n'est pas ouverte : le conseil délibère pendant la séance."),
    )


def _member_row(roll: Roll, mandate_id: int) -> MemberRow:
    """The roll's row of ``mandate_id``; refused on the field ``mandate`` when that mandate
    does not sit on the board on the meeting's date."""
    row = roll.by_mandate.get(mandate_id)
    if row is None:
        raise DomainError(
            Code.NOT_A_MEMBER,
            gettext("Cette personne ne siège pas au conseil à cette date."),
            field="mandate",
        )
    return row


def _own_row(by: Actor, roll: Roll) -> MemberRow:
    rows = member_rows_for_user(roll, by)
    if not rows:
        raise DomainError(
            Code.NOT_A_MEMBER, gettext("Vous ne siégez pas au conseil à la date de cette réunion.")
        )
    return rows[0]
