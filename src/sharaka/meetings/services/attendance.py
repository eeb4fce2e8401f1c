"""The roll call (attendance and written proxies) and conflicts of interest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, require_open, signed_in
from sharaka.core.errors import AccessDenied, DomainError, ValidationFailed
from sharaka.core.types import Actor
from sharaka.meetings import rules
from sharaka.meetings.access import meeting_can, meeting_require
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Meeting,
    Motion,
    MotionStatus,
    PresenceChoice,
    Recusal,
)
from sharaka.meetings.selectors import (
    Roll,
    member_rows_for_user,
    roll_get,
)
from sharaka.meetings.services.common import (
    _lock,
    _member_row,
    _own_row,
    _require_status,
)

# --- Attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceInput:
    status: str
    proxy_holder: int | None = None  # mandate id
    proxy_reference: str = ""


def _attendance_message(problem: rules.AttendanceProblem, roll: Roll) -> str:
    by_key = {row.key: row for row in roll.members}
    member = problem.member
    holder = problem.holder or ""
    messages = {
        "proxy_from_non_voting": gettext(
            "%(member)s siège sans voix délibérative : pas de pouvoir à donner."
        ),
        "proxy_holder_missing": gettext(
            "%(member)s est représenté·e : indiquez qui porte le pouvoir."
        ),
        "proxy_self": gettext("%(member)s ne peut pas porter son propre pouvoir."),
        "proxy_reference_missing": gettext(
            "Le pouvoir de %(member)s est écrit : indiquez sa référence (date, objet)."
        ),
        "proxy_holder_not_voting": gettext(
            "%(holder)s siège sans voix délibérative et ne peut porter le pouvoir de %(member)s."
        ),
        "proxy_holder_absent": gettext(
            "%(holder)s doit être présent·e en personne pour porter le pouvoir de %(member)s."
        ),
        "proxy_limit": gettext(
            "%(holder)s porterait %(count)s pouvoirs ; les règles en vigueur "
            "en permettent %(max)s par membre."
        ),
    }
    del by_key
    return messages[problem.code] % {
        "member": member,
        "holder": holder,
        "count": problem.count,
        "max": roll.rule.effective_max_proxies,
    }


@transaction.atomic
def attendance_update(
    *, by: Actor, meeting: Meeting, entries: Mapping[int, AttendanceInput]
) -> list[Attendance]:
    """Record the roll call (by mandate id). The whole roll must stay consistent: proxies
    written, held by a voting member present in person, within the limit per holder."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _require_status(
        meeting,
        rules.ATTENDANCE_EDITABLE,
        Code.ATTENDANCE_CLOSED,
        gettext(
            "La feuille de présence se tient le jour de la séance (réunion convoquée ou en cours)."
        ),
    )
    if Motion.objects.filter(item__meeting=meeting, status=MotionStatus.OPEN).exists():
        raise DomainError(
            Code.MOTION_OPEN,
            gettext("Un vote est en cours : clôturez-le avant de modifier les présences."),
        )
    roll = roll_get(meeting=meeting)
    proposed: dict[int, AttendanceInput] = {
        mandate_id: AttendanceInput(row.status, row.proxy_holder_id, row.proxy_reference)
        for mandate_id, row in roll.attendance.items()
        if mandate_id in roll.by_mandate  # not a row of a mandate ended since the roll call
    }
    errors: dict[str, list[str]] = {}
    for mandate_id, entry in entries.items():
        if mandate_id not in roll.by_mandate:
            raise DomainError(
                Code.NOT_A_MEMBER,
                gettext("Cette personne ne siège pas au conseil à la date de la réunion."),
                field=f"m{mandate_id}",
            )
        if entry.status not in PresenceChoice.values:
            errors[f"m{mandate_id}"] = [gettext("Présence inconnue.")]
            continue
        proposed[mandate_id] = entry
    if errors:
        raise ValidationFailed(gettext("Présence inconnue."), errors)
    pure = {
        roll.by_mandate[m].key: rules.AttendanceEntry(
            status=rules.Presence(e.status),
            holder=roll.by_mandate[e.proxy_holder].key
            if e.proxy_holder in roll.by_mandate
            else (str(e.proxy_holder) if e.proxy_holder else None),
            reference=e.proxy_reference,
        )
        for m, e in proposed.items()
    }
    voting = {row.key for row in roll.voting}
    problems = rules.attendance_problems(pure, voting, roll.rule.effective_max_proxies)
    if problems:
        key_to_mandate = {row.key: row.mandate.pk for row in roll.members}
        for problem in problems:
            errors.setdefault(f"m{key_to_mandate.get(problem.member, 0)}", []).append(
                _attendance_message(problem, roll)
            )
        raise ValidationFailed(_attendance_message(problems[0], roll), errors)
    saved = []
    for mandate_id, entry in entries.items():
        is_proxy = entry.status == PresenceChoice.PROXY
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            mandate_id=mandate_id,
            defaults={
                "status": entry.status,
                "proxy_holder_id": entry.proxy_holder if is_proxy else None,
                "proxy_reference": entry.proxy_reference.strip() if is_proxy else "",
                "recorded_by": signed_in(by),
            },
        )
        saved.append(row)
    return saved


# --- Conflicts of interest -----------------------------------------------------------------------


def recusal_declare(
    *, by: Actor, item: AgendaItem, mandate_id: int | None = None, reason: str = ""
) -> Recusal:
    """A member declares a conflict of interest on ``item`` (their own, or recorded by the
    secretariat for a member): they take no part in its quorum nor its vote."""
    meeting = item.meeting
    require(by, Perm.MEETING_VIEW, meeting.partnership)
    meeting = _lock(meeting)
    _require_status(
        meeting,
        frozenset({rules.MeetingStatus.CONVENED, rules.MeetingStatus.HELD}),
        Code.NOT_IN_SESSION,
        gettext("Un conflit d'intérêts se déclare avant ou pendant la séance."),
    )
    roll = roll_get(meeting=meeting)
    if mandate_id is None:
        row = _own_row(by, roll)
    else:
        named = _member_row(roll, mandate_id)
        own = member_rows_for_user(roll, by)
        if not (own and own[0].mandate.pk == mandate_id) and not meeting_can(
            by, Perm.MEETING_MANAGE, meeting
        ):
            require_open(meeting.partnership)  # a terminated partnership says why
            raise AccessDenied()
        row = named
    if not row.voting:
        raise DomainError(
            Code.NOT_A_VOTING_MEMBER,
            gettext("%(member)s siège sans voix délibérative : ni quorum ni vote dont se retirer.")
            % {"member": row.name},
        )
    if Recusal.objects.filter(item=item, mandate_id=row.mandate.pk).exists():
        raise DomainError(
            Code.CONFLICT_ALREADY_DECLARED,
            gettext("%(member)s a déjà déclaré un conflit d'intérêts sur ce point.")
            % {"member": row.name},
        )
    if (
        Motion.objects.filter(item=item, status=MotionStatus.OPEN).exists()
        or Ballot.objects.filter(motion__item=item, mandate_id=row.mandate.pk).exists()
    ):
        raise DomainError(
            Code.CONFLICT_AFTER_VOTE,
            gettext(
                "Le vote sur ce point est ouvert ou a eu lieu : un conflit "
                "d'intérêts se déclare avant le vote."
            ),
        )
    return Recusal.objects.create(
        item=item, mandate_id=row.mandate.pk, reason=reason.strip(), declared_by=signed_in(by)
    )
