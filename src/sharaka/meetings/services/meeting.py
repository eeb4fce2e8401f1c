"""Meetings and their convocation: create, change, convene, remind, open the session,
convene a second time for want of a quorum."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.governance import selectors as governance_selectors
from sharaka.governance.models import Board
from sharaka.meetings import notices, rules
from sharaka.meetings.access import meeting_require
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingNotice,
    MeetingStatusChoice,
    NoticeKind,
    NoticeState,
)
from sharaka.meetings.selectors import (
    Roll,
    quorum_get,
    roll_get,
)
from sharaka.meetings.services.common import (
    MEETING_FIELDS,
    _day,
    _lock,
    _now,
    _require_status,
    _transition,
)
from sharaka.partnerships.models import Partnership

# --- Meetings ------------------------------------------------------------------------------------


def _board_of(partnership: Partnership) -> Board:
    board = governance_selectors.board_get(partnership=partnership)
    if board is None:
        raise DomainError(
            Code.BOARD_MISSING,
            gettext("Ce partenariat n'a pas encore de conseil : composez-le d'abord."),
        )
    return board


def _check_meeting_fields(meeting: Meeting) -> None:
    if meeting.ends_at is not None and meeting.ends_at <= meeting.starts_at:
        raise ValidationFailed(
            gettext("La fin doit suivre le début de la réunion."),
            {"ends_at": [gettext("La fin doit suivre le début de la réunion.")]},
        )


@transaction.atomic
def meeting_create(*, by: Actor, partnership: Partnership, fields: Mapping[str, Any]) -> Meeting:
    require(by, Perm.MEETING_VIEW, partnership)
    board = _board_of(partnership)
    meeting = assign_fields(
        Meeting(partnership=partnership, board=board, created_by=signed_in(by)),
        fields,
        allowed=MEETING_FIELDS,
    )
    if getattr(meeting, "starts_at", None) is None:
        raise ValidationFailed(
            gettext("Indiquez la date et l'heure de la réunion."),
            {"starts_at": [gettext("Ce champ est obligatoire.")]},
        )
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    _check_meeting_fields(meeting)
    meeting.status = MeetingStatusChoice.PLANNED
    return clean_and_save(meeting)


@transaction.atomic
def meeting_update(*, by: Actor, meeting: Meeting, fields: Mapping[str, Any]) -> Meeting:
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _require_status(
        meeting,
        rules.AGENDA_EDITABLE,
        Code.AGENDA_FROZEN,
        gettext(
            "La convocation est partie : la date, le lieu et l'ordre du jour ne changent "
            "plus. Convoquez une nouvelle réunion si nécessaire."
        ),
    )
    assign_fields(meeting, fields, allowed=MEETING_FIELDS)
    _check_meeting_fields(meeting)
    return clean_and_save(meeting)


# --- Convocation ---------------------------------------------------------------------------------


def _recipients(roll: Roll) -> tuple[list[notices.Recipient], list[str]]:
    recipients, missing = [], []
    for row in roll.members:
        email = row.person.email.strip()
        role = "member" if row.voting else "expert"
        if email:
            recipients.append(notices.Recipient(row.name, email, role))
        else:
            missing.append(row.name)
    return recipients, missing


def _send(
    meeting: Meeting, *, kind: NoticeKind, by: Actor, url: str, at: datetime | None
) -> MeetingNotice:
    """Record the notice and queue its e-mails (sent by ``meetings.tasks`` once this
    transaction commits); the task records, per address, what was sent or refused."""
    roll = roll_get(meeting=meeting)
    recipients, missing = _recipients(roll)
    notice = MeetingNotice.objects.create(
        meeting=meeting,
        kind=kind,
        sent_at=_now(at),
        sent_by=signed_in(by),
        missing=missing,
        state=NoticeState.QUEUED,
        to_send=[[r.name, r.email, r.role] for r in recipients],
        url=url[:500],
    )
    notices.notice_queue(notice.pk)
    return notice


@transaction.atomic
def meeting_convene(
    *, by: Actor, meeting: Meeting, url: str = "", at: datetime | None = None
) -> MeetingNotice:
    """Send the convocation, if the notice period of the rules in force is respected."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    now = _now(at)
    if meeting.lifecycle_status is not rules.MeetingStatus.PLANNED:
        _transition(meeting, rules.Action.CONVENE, by=by, at=now)  # raises the clear refusal
    if not meeting.place.strip() and not meeting.video_link.strip():
        raise DomainError(
            Code.PLACE_MISSING,
            gettext("Indiquez le lieu de la réunion ou un lien de visioconférence."),
            field="place",
        )
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise DomainError(
            Code.AGENDA_EMPTY, gettext("L'ordre du jour est vide : ajoutez au moins un point.")
        )
    in_force = governance_selectors.rules_in_force_get(
        partnership=meeting.partnership, at=meeting.day
    )
    today = timezone.localtime(now).date()
    days = in_force.notice_period_days
    if not rules.notice_respected(today, meeting.day, days):
        earliest = rules.earliest_meeting_day(today, days)
        raise DomainError(
            Code.NOTICE_TOO_SHORT,
            gettext(
                "Délai de convocation trop court : les règles en vigueur (%(source)s) "
                "demandent %(days)s jours. Une réunion convoquée aujourd'hui peut se tenir "
                "au plus tôt le %(earliest)s ; déplacez la réunion à cette date ou après."
            )
            % {"source": in_force.source_label, "days": days, "earliest": _day(earliest)},
            field="starts_at",
        )
    meeting.convened_at = now
    meeting.save(update_fields=["convened_at", "updated_at"])
    _transition(meeting, rules.Action.CONVENE, by=by, at=now)
    return _send(meeting, kind=NoticeKind.CONVOCATION, by=by, url=url, at=now)


@transaction.atomic
def meeting_remind(*, by: Actor, meeting: Meeting, url: str = "") -> MeetingNotice:
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _require_status(
        meeting,
        frozenset({rules.MeetingStatus.CONVENED}),
        Code.TRANSITION_NOT_ALLOWED,
        gettext("Un rappel s'envoie pour une réunion convoquée qui n'a pas encore eu lieu."),
    )
    return _send(meeting, kind=NoticeKind.REMINDER, by=by, url=url, at=None)


@transaction.atomic
def meeting_open(*, by: Actor, meeting: Meeting, at: datetime | None = None) -> Meeting:
    """Open the session (the meeting is being held): attendance, conflicts and votes."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    now = _now(at)
    if (
        meeting.lifecycle_status is rules.MeetingStatus.CONVENED
        and timezone.localtime(now).date() < meeting.day
    ):
        raise DomainError(
            Code.MEETING_NOT_DUE,
            gettext("La séance s'ouvre le jour de la réunion (%(day)s), pas avant.")
            % {"day": _day(meeting.day)},
        )
    _transition(meeting, rules.Action.OPEN, by=by, at=now)
    meeting.opened_at = now
    meeting.save(update_fields=["opened_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_reconvene(
    *,
    by: Actor,
    meeting: Meeting,
    starts_at: datetime,
    place: str = "",
    video_link: str = "",
) -> Meeting:
    """A second convocation of a meeting that could not deliberate for want of a quorum:
    a new meeting with the same agenda and, if the rules set one, the second-convocation
    quorum."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    first = _lock(meeting)
    if first.convocation_number != 1:
        raise DomainError(
            Code.SECOND_CONVOCATION_NOT_ALLOWED,
            gettext("Cette réunion est déjà une seconde convocation."),
        )
    if Meeting.objects.filter(reconvenes=first).exists():
        raise DomainError(
            Code.SECOND_CONVOCATION_NOT_ALLOWED,
            gettext("Cette réunion a déjà été convoquée une seconde fois."),
        )
    if first.lifecycle_status is not rules.MeetingStatus.HELD:
        raise DomainError(
            Code.SECOND_CONVOCATION_NOT_ALLOWED,
            gettext("Une seconde convocation suit une séance ouverte sans quorum."),
        )
    roll = roll_get(meeting=first)
    if quorum_get(roll).met:
        raise DomainError(
            Code.SECOND_CONVOCATION_NOT_ALLOWED,
            gettext(
                "Le quorum est atteint : le conseil peut délibérer, il n'y a pas lieu de "
                "convoquer à nouveau."
            ),
        )
    if starts_at <= first.starts_at:
        raise ValidationFailed(
            gettext("La seconde réunion suit la première."),
            {"starts_at": [gettext("Choisissez une date postérieure à la première réunion.")]},
        )
    second_quorum = roll.rules.second_convocation_quorum
    second = Meeting(
        partnership=first.partnership,
        board=first.board,
        kind=first.kind,
        title=first.title,
        starts_at=starts_at,
        place=place or first.place,
        video_link=video_link or first.video_link,
        convocation_number=2,
        reconvenes=first,
        quorum_override=str(second_quorum) if second_quorum is not None else "",
        created_by=signed_in(by),
        status=MeetingStatusChoice.PLANNED,
    )
    clean_and_save(second)
    for item in AgendaItem.objects.filter(meeting=first).order_by("position"):
        AgendaItem.objects.create(
            meeting=second,
            position=item.position,
            kind=item.kind,
            title=item.title,
            description=item.description,
            minutes_to_approve=item.minutes_to_approve,
        )
    return second
