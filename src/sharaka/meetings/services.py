"""Meeting writes: lifecycle, agenda, board pack, attendance, conflicts, motions, ballots,
decisions, minutes, signatures and errata.

Every service checks permission first (``meetings.access``), locks what it changes, checks
what SQL cannot state (with the pure rules of ``meetings.rules`` and the governance rules
engine), then saves. Lifecycle steps go through :func:`_transition`, the one place that
applies the transition table and records who moved the meeting, and when.

``at`` parameters (keyword-only, default: now) exist for data imports, the demo and tests;
the pages and the API never pass them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from sharaka.core.access import Perm, require
from sharaka.core.errors import AccessDenied, DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.uploads import check_upload_size
from sharaka.governance import selectors as governance_selectors
from sharaka.governance.models import Board, Mandate, OfficerRole
from sharaka.meetings import chain, notices, rules, uploads
from sharaka.meetings.access import meeting_can, meeting_require
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BoardDocument,
    ChainRecordType,
    Choice,
    Decision,
    DecisionKindChoice,
    Erratum,
    ItemKindChoice,
    Meeting,
    MeetingNotice,
    MeetingStatusChoice,
    MeetingTransition,
    Minutes,
    MinutesSignature,
    MinutesStatus,
    Motion,
    MotionStatus,
    NoticeKind,
    PresenceChoice,
    Recusal,
    SecretChoice,
    SignatureRole,
    VotingModeChoice,
)
from sharaka.meetings.selectors import (
    MemberRow,
    Roll,
    member_rows_for_user,
    quorum_get,
    recused_mandates_of,
    roll_get,
    run_tally,
)
from sharaka.partnerships.models import Partnership

MEETING_FIELDS = ("title", "kind", "starts_at", "ends_at", "place", "video_link")
ITEM_FIELDS = ("kind", "title", "description", "minutes_to_approve")
LANGS = ("fr", "en", "ar")


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _day(value: Any) -> str:
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
    meeting: Meeting, action: rules.Action, *, by: Any, at: datetime | None = None, note: str = ""
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
        by=by,
        at=_now(at),
        note=note,
    )


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
def meeting_create(*, by: Any, partnership: Partnership, fields: Mapping[str, Any]) -> Meeting:
    require(by, Perm.MEETING_VIEW, partnership)
    board = _board_of(partnership)
    meeting = assign_fields(
        Meeting(partnership=partnership, board=board, created_by=by), fields, allowed=MEETING_FIELDS
    )
    if getattr(meeting, "starts_at", None) is None:
        raise ValidationFailed(
            gettext("Indiquez la date et l'heure de la réunion."),
            {"starts_at": [gettext("Ce champ est obligatoire.")]},
        )
    if not meeting_can(by, Perm.MEETING_MANAGE, meeting):
        raise AccessDenied()
    _check_meeting_fields(meeting)
    meeting.status = MeetingStatusChoice.PLANNED
    return clean_and_save(meeting)


@transaction.atomic
def meeting_update(*, by: Any, meeting: Meeting, fields: Mapping[str, Any]) -> Meeting:
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


# --- Agenda --------------------------------------------------------------------------------------


def _agenda_frozen(meeting: Meeting) -> None:
    _require_status(
        meeting,
        rules.AGENDA_EDITABLE,
        Code.AGENDA_FROZEN,
        gettext("L'ordre du jour est arrêté depuis l'envoi de la convocation."),
    )


def _check_minutes_to_approve(meeting: Meeting, item: AgendaItem) -> None:
    target = item.minutes_to_approve
    if item.kind != ItemKindChoice.MINUTES_APPROVAL:
        item.minutes_to_approve = None
        return
    if target is None:
        raise DomainError(
            Code.MINUTES_TO_APPROVE_INVALID,
            gettext("Choisissez le procès-verbal à approuver."),
            field="minutes_to_approve",
        )
    other = target.meeting
    if other.board_id != meeting.board_id or other.starts_at >= meeting.starts_at:
        raise DomainError(
            Code.MINUTES_TO_APPROVE_INVALID,
            gettext("On approuve le procès-verbal d'une réunion antérieure du même conseil."),
            field="minutes_to_approve",
        )


@transaction.atomic
def item_add(*, by: Any, meeting: Meeting, fields: Mapping[str, Any]) -> AgendaItem:
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _agenda_frozen(meeting)
    item = assign_fields(AgendaItem(meeting=meeting), fields, allowed=ITEM_FIELDS)
    _check_minutes_to_approve(meeting, item)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    item.position = last + 1
    return clean_and_save(item)


@transaction.atomic
def item_update(*, by: Any, item: AgendaItem, fields: Mapping[str, Any]) -> AgendaItem:
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _agenda_frozen(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    assign_fields(item, fields, allowed=ITEM_FIELDS)
    _check_minutes_to_approve(meeting, item)
    return clean_and_save(item)


@transaction.atomic
def item_remove(*, by: Any, item: AgendaItem) -> None:
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _agenda_frozen(meeting)
    position = item.position
    item.delete()
    for later in AgendaItem.objects.filter(meeting=meeting, position__gt=position).order_by(
        "position"
    ):
        later.position -= 1
        later.save(update_fields=["position", "updated_at"])


@transaction.atomic
def item_move(*, by: Any, item: AgendaItem, up: bool) -> None:
    """Swap ``item`` with the one before (``up``) or after it."""
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _agenda_frozen(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    neighbours = AgendaItem.objects.filter(meeting=meeting)
    other = (
        neighbours.filter(position__lt=item.position).order_by("-position").first()
        if up
        else neighbours.filter(position__gt=item.position).order_by("position").first()
    )
    if other is None:
        return
    first, second = item.position, other.position
    item.position = 32000  # out of the way of the unique (meeting, position) constraint
    item.save(update_fields=["position"])
    other.position = first
    other.save(update_fields=["position"])
    item.position = second
    item.save(update_fields=["position", "updated_at"])


# --- Board pack ----------------------------------------------------------------------------------

_UPLOAD_MESSAGES = {
    "bad_extension": gettext_lazy("Format refusé : déposez un fichier %(formats)s."),
    "empty": gettext_lazy("Le fichier est vide."),
    "bad_content": gettext_lazy(
        "Le contenu du fichier ne correspond pas à son extension (%(formats)s attendus) : il "
        "a été refusé."
    ),
}


@transaction.atomic
def document_add(
    *, by: Any, meeting: Meeting, title: str, file: UploadedFile, item: AgendaItem | None = None
) -> BoardDocument:
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _require_status(
        meeting,
        rules.DOCUMENTS_EDITABLE,
        Code.DOCUMENTS_FROZEN,
        gettext("Le dossier de séance est clos : la réunion a eu lieu."),
    )
    if item is not None and item.meeting_id != meeting.pk:
        raise DomainError(
            Code.UPLOAD_REFUSED, gettext("Ce point n'est pas de cette réunion."), field="item"
        )
    check_upload_size(file, field="file", label=gettext("Fichier"), code=Code.UPLOAD_REFUSED)
    check = uploads.check_upload(file.name or "", file.size or 0, file)  # type: ignore[arg-type]
    if not check.ok:
        message = str(_UPLOAD_MESSAGES[check.code]) % {"formats": uploads.ALLOWED_LABEL}
        raise ValidationFailed(message, {"file": [message]})
    document = BoardDocument(
        meeting=meeting,
        item=item,
        title=title.strip() or (file.name or ""),
        original_name=(file.name or "")[:255],
        content_type=check.content_type,
        size=file.size or 0,
        uploaded_by=by,
    )
    document.file.save(file.name or "document", file, save=False)
    return clean_and_save(document)


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
    meeting: Meeting, *, kind: NoticeKind, by: Any, url: str, at: datetime | None
) -> MeetingNotice:
    from sharaka.meetings.selectors import items_of

    roll = roll_get(meeting=meeting)
    recipients, missing = _recipients(roll)
    sent, failed = notices.send(
        meeting, kind=kind, items=items_of(meeting), recipients=recipients, url=url
    )
    return MeetingNotice.objects.create(
        meeting=meeting,
        kind=kind,
        sent_at=_now(at),
        sent_by=by,
        recipients=sent,
        missing=missing + [gettext("%(email)s (envoi en échec)") % {"email": e} for e in failed],
    )


@transaction.atomic
def meeting_convene(
    *, by: Any, meeting: Meeting, url: str = "", at: datetime | None = None
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
def meeting_remind(*, by: Any, meeting: Meeting, url: str = "") -> MeetingNotice:
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
def meeting_open(*, by: Any, meeting: Meeting, at: datetime | None = None) -> Meeting:
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
    by: Any,
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
        created_by=by,
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
    *, by: Any, meeting: Meeting, entries: Mapping[int, AttendanceInput]
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
                "recorded_by": by,
            },
        )
        saved.append(row)
    return saved


# --- Conflicts of interest -----------------------------------------------------------------------


def _in_session(meeting: Meeting) -> None:
    _require_status(
        meeting,
        rules.IN_SESSION,
        Code.NOT_IN_SESSION,
        gettext("La séance n'est pas ouverte : le conseil délibère pendant la séance."),
    )


def _own_row(by: Any, roll: Roll) -> MemberRow:
    rows = member_rows_for_user(roll, by)
    if not rows:
        raise DomainError(
            Code.NOT_A_MEMBER, gettext("Vous ne siégez pas au conseil à la date de cette réunion.")
        )
    return rows[0]


@transaction.atomic
def recusal_declare(
    *, by: Any, item: AgendaItem, mandate_id: int | None = None, reason: str = ""
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
        row = roll.by_mandate.get(mandate_id)  # type: ignore[assignment]
        if row is None:
            raise DomainError(
                Code.NOT_A_MEMBER,
                gettext("Cette personne ne siège pas au conseil à cette date."),
                field="mandate",
            )
        own = member_rows_for_user(roll, by)
        if not (own and own[0].mandate.pk == mandate_id) and not meeting_can(
            by, Perm.MEETING_MANAGE, meeting
        ):
            raise AccessDenied()
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
        item=item, mandate_id=row.mandate.pk, reason=reason.strip(), declared_by=by
    )


# --- Motions -------------------------------------------------------------------------------------


def _check_quorum(roll: Roll, item: AgendaItem, round_number: int) -> None:
    report = quorum_get(roll, recused_mandates=recused_mandates_of(item), round_number=round_number)
    if not report.met:
        raise DomainError(
            Code.QUORUM_NOT_MET,
            gettext(
                "Quorum non atteint sur ce point : %(present)s membres présents ou "
                "représentés sur %(electorate)s appelés à voter, il en faut %(required)s. "
                "Le conseil ne peut pas délibérer."
            )
            % {
                "present": report.present,
                "electorate": report.electorate,
                "required": report.required,
            },
        )


def _check_appointment(roll: Roll, role: str, mandate_id: int | None) -> None:
    if not role and mandate_id is None:
        return
    if role not in OfficerRole.values:
        raise DomainError(
            Code.APPOINTMENT_INVALID, gettext("Fonction inconnue."), field="appoint_role"
        )
    row = roll.by_mandate.get(mandate_id or 0)
    if row is None or not row.voting:
        raise DomainError(
            Code.APPOINTMENT_INVALID,
            gettext("Le bureau se choisit parmi les membres avec voix délibérative."),
            field="appoint_mandate",
        )


@transaction.atomic
def motion_open(
    *,
    by: Any,
    item: AgendaItem,
    text: str,
    voting_mode: str,
    decision_kind: str = "",
    appoint_role: str = "",
    appoint_mandate_id: int | None = None,
    at: datetime | None = None,
) -> Motion:
    """Open the vote on ``item`` (first round); refused without a quorum on that item."""
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _in_session(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not item.votes:
        raise DomainError(Code.ITEM_NOT_VOTING, gettext("Un point d'information ne se vote pas."))
    if Motion.objects.filter(item=item).exists():
        raise DomainError(
            Code.MOTION_ALREADY_OPEN,
            gettext(
                "Ce point a déjà été mis au vote ; un nouveau tour s'ouvre depuis le "
                "résultat du précédent."
            ),
        )
    if voting_mode not in VotingModeChoice.values:
        raise ValidationFailed(
            gettext("Mode de scrutin inconnu."),
            {"voting_mode": [gettext("Mode de scrutin inconnu.")]},
        )
    kind = decision_kind or rules.default_decision_kind(rules.ItemKind(item.kind)).value
    if kind not in DecisionKindChoice.values:
        raise ValidationFailed(
            gettext("Nature de décision inconnue."),
            {"decision_kind": [gettext("Nature de décision inconnue.")]},
        )
    if not text.strip():
        raise ValidationFailed(
            gettext("Écrivez le texte soumis au vote."),
            {"text": [gettext("Ce champ est obligatoire.")]},
        )
    roll = roll_get(meeting=meeting)
    _check_appointment(roll, appoint_role, appoint_mandate_id)
    _check_quorum(roll, item, 1)
    return Motion.objects.create(
        item=item,
        round=1,
        text=text.strip(),
        voting_mode=voting_mode,
        decision_kind=kind,
        appoint_role=appoint_role,
        appoint_mandate_id=appoint_mandate_id,
        opened_by=by,
        opened_at=_now(at),
    )


@transaction.atomic
def motion_next_round(*, by: Any, motion: Motion, at: datetime | None = None) -> Motion:
    """After a round that did not adopt the motion, a new round under the rule that applies
    then (consensus first, then the fallback majority)."""
    meeting_require(by, Perm.MEETING_MANAGE, motion.item.meeting)
    meeting = _lock(motion.item.meeting)
    _in_session(meeting)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != MotionStatus.CLOSED:
        raise DomainError(Code.MOTION_OPEN, gettext("Clôturez d'abord le vote en cours."))
    if motion.adopted:
        raise DomainError(Code.MOTION_ALREADY_DECIDED, gettext("La motion a été adoptée."))
    if Motion.objects.filter(item_id=motion.item_id, round__gt=motion.round).exists():
        raise DomainError(Code.ROUND_NOT_ALLOWED, gettext("Un tour suivant existe déjà."))
    roll = roll_get(meeting=meeting)
    if not rules.next_round_allowed(roll.rule, motion.round):
        raise DomainError(
            Code.ROUND_NOT_ALLOWED,
            gettext(
                "Les règles en vigueur ne prévoient pas d'autre tour : la motion n'est pas adoptée."
            ),
        )
    next_round = motion.round + 1
    _check_quorum(roll, motion.item, next_round)
    return Motion.objects.create(
        item=motion.item,
        round=next_round,
        text=motion.text,
        voting_mode=motion.voting_mode,
        decision_kind=motion.decision_kind,
        appoint_role=motion.appoint_role,
        appoint_mandate_id=motion.appoint_mandate_id,
        opened_by=by,
        opened_at=_now(at),
    )


# --- Ballots -------------------------------------------------------------------------------------


def _open_motion(motion: Motion) -> tuple[Meeting, Motion]:
    """Lock the motion (ballots queue on it; no ballot after the close) and check it."""
    locked = Motion.objects.select_for_update().select_related("item").get(pk=motion.pk)
    meeting = Meeting.objects.select_related("partnership", "board").get(pk=locked.item.meeting_id)
    if locked.status != MotionStatus.OPEN:
        raise DomainError(
            Code.MOTION_CLOSED, gettext("Le vote est clos : plus aucun bulletin n'est accepté.")
        )
    _in_session(meeting)
    return meeting, locked


def _check_voter(roll: Roll, motion: Motion, row: MemberRow, *, via_proxy: bool) -> None:
    name = row.name
    if not row.voting:
        raise DomainError(
            Code.NOT_A_VOTING_MEMBER,
            gettext("%(member)s siège sans voix délibérative et ne vote pas.") % {"member": name},
        )
    if row.mandate.pk in recused_mandates_of(motion.item):
        raise DomainError(
            Code.RECUSED,
            gettext(
                "%(member)s a déclaré un conflit d'intérêts sur ce point et ne "
                "prend pas part au vote."
            )
            % {"member": name},
        )
    status = roll.status_of(row.mandate.pk)
    if status == PresenceChoice.PROXY and not via_proxy:
        holder = roll.holder_of(row.mandate.pk)
        raise DomainError(
            Code.REPRESENTED,
            gettext("%(member)s est représenté·e : %(holder)s vote pour lui ou elle.")
            % {"member": name, "holder": holder.name if holder else "?"},
        )
    if status not in (PresenceChoice.PRESENT, PresenceChoice.PROXY):
        raise DomainError(
            Code.ABSENT,
            gettext("%(member)s n'est pas noté·e présent·e : pas de vote.") % {"member": name},
        )
    if via_proxy:
        holder = roll.holder_of(row.mandate.pk)
        if holder is not None and holder.mandate.pk in recused_mandates_of(motion.item):
            raise DomainError(
                Code.RECUSED,
                gettext(
                    "Le porteur du pouvoir a déclaré un conflit d'intérêts "
                    "sur ce point : le pouvoir ne s'y applique pas."
                ),
            )


def _insert_ballot(
    motion: Motion, row: MemberRow, choice: str, *, by: Any, by_proxy: bool, secretary: bool
) -> Ballot:
    if choice not in Choice.values:
        raise ValidationFailed(
            gettext("Vote inconnu : pour, contre ou abstention."),
            {"choice": [gettext("Vote inconnu.")]},
        )
    secret = motion.is_secret
    ballot = Ballot(
        motion=motion,
        mandate=row.mandate,
        choice=None if secret else choice,  # a secret choice is stored apart, naming no one
        by_proxy=by_proxy,
        entered_by_secretary=secretary,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            ballot.save()
            if secret:
                SecretChoice(motion=motion, college=row.college, choice=choice).save()
    except IntegrityError:
        raise DomainError(
            Code.ALREADY_VOTED,
            gettext("Le vote de %(member)s est déjà enregistré : un seul bulletin par membre.")
            % {"member": row.name},
        ) from None
    return ballot


@transaction.atomic
def ballot_cast(
    *, by: Any, motion: Motion, choice: str, for_mandate_id: int | None = None
) -> Ballot:
    """A member casts their own ballot (nominal or secret vote), or the ballot of the
    member whose written proxy they hold (``for_mandate_id``)."""
    require(by, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    meeting, motion = _open_motion(motion)
    if not meeting_can(by, Perm.BALLOT_CAST_OWN, meeting):
        raise AccessDenied()
    if not rules.member_may_cast(rules.VotingMode(motion.voting_mode)):
        raise DomainError(
            Code.MODE_FORBIDS, gettext("Vote à main levée : le secrétariat saisit les votes.")
        )
    roll = roll_get(meeting=meeting)
    own = _own_row(by, roll)
    if for_mandate_id is None or for_mandate_id == own.mandate.pk:
        row, via_proxy = own, False
    else:
        represented = roll.by_mandate.get(for_mandate_id)
        holder = roll.holder_of(for_mandate_id) if represented else None
        if represented is None or holder is None or holder.mandate.pk != own.mandate.pk:
            raise DomainError(
                Code.REPRESENTED, gettext("Vous ne portez pas le pouvoir de ce membre.")
            )
        row, via_proxy = represented, True
        _check_voter(roll, motion, own, via_proxy=False)
    _check_voter(roll, motion, row, via_proxy=via_proxy)
    return _insert_ballot(motion, row, choice, by=by, by_proxy=via_proxy, secretary=False)


@transaction.atomic
def ballot_record(*, by: Any, motion: Motion, mandate_id: int, choice: str) -> Ballot:
    """The secretary enters one member's vote (show of hands, or a nominal vote)."""
    require(by, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    meeting, motion = _open_motion(motion)
    if not meeting_can(by, Perm.BALLOT_RECORD, meeting):
        raise AccessDenied(gettext("Seul le secrétariat du conseil saisit les votes."))
    if not rules.secretary_may_enter(rules.VotingMode(motion.voting_mode)):
        raise DomainError(
            Code.MODE_FORBIDS,
            gettext(
                "Scrutin secret : chaque membre vote lui-même ; personne ne "
                "saisit le vote d'un autre."
            ),
        )
    roll = roll_get(meeting=meeting)
    row = roll.by_mandate.get(mandate_id)
    if row is None:
        raise DomainError(
            Code.NOT_A_MEMBER,
            gettext("Cette personne ne siège pas au conseil à cette date."),
            field="mandate",
        )
    via_proxy = roll.status_of(mandate_id) == PresenceChoice.PROXY
    _check_voter(roll, motion, row, via_proxy=via_proxy)
    return _insert_ballot(motion, row, choice, by=by, by_proxy=via_proxy, secretary=True)


@transaction.atomic
def ballots_record(*, by: Any, motion: Motion, choices: Mapping[int, str]) -> list[Ballot]:
    """Several votes entered at once (a show of hands), all or none."""
    return [
        ballot_record(by=by, motion=motion, mandate_id=mandate_id, choice=choice)
        for mandate_id, choice in choices.items()
        if choice
    ]


# --- Closing a vote, decisions -------------------------------------------------------------------


def _engine_votes(roll: Roll, motion: Motion, ballots: list[Ballot]) -> dict[int, str]:
    """Mandate -> choice for the rules engine. A secret vote's choices name no one: each
    college's choices are dealt to that college's voters (``rules.secret_votes_by_member``),
    which keeps every count exact and tells nothing about anyone."""
    if not motion.is_secret:
        return {b.mandate_id: str(b.choice) for b in ballots}
    voters: dict[str, list[int]] = {}
    for b in ballots:
        voters.setdefault(roll.by_mandate[b.mandate_id].college, []).append(b.mandate_id)
    choices: dict[str, list[str]] = {}
    for college, choice in motion.secret_choices.values_list("college", "choice"):
        choices.setdefault(college, []).append(choice)
    return rules.secret_votes_by_member(voters, choices)


def _snapshot(roll: Roll, motion: Motion, ballots: list[Ballot], at: datetime) -> dict[str, Any]:
    recused = recused_mandates_of(motion.item)
    votes = _engine_votes(roll, motion, ballots)
    mode = rules.VotingMode(motion.voting_mode)
    outcomes = {
        lang: run_tally(
            roll,
            recused_mandates=recused,
            ballots=votes,
            round_number=motion.round,
            lang=lang,
            mode=mode,
        )
        for lang in LANGS
    }
    outcome = outcomes["fr"]
    from sharaka.meetings.selectors import engine_inputs

    inputs = engine_inputs(roll, recused_mandates=recused)
    secret = motion.voting_mode == VotingModeChoice.SECRET
    result = outcome.as_dict()
    del result["explanation"]
    return {
        "round": motion.round,
        "voting_mode": motion.voting_mode,
        "rules_source": roll.rules.source,
        "rule": rules.rule_as_dict(rules.rule_for_mode(roll.rule, mode)),
        "rule_applied": rules.rule_as_dict(outcome.rule_applied)
        if outcome.rule_applied is not None
        else None,
        "second_convocation_quorum": roll.meeting.quorum_override or None,
        "electorate": [
            {
                "id": row.key,
                "mandate_id": row.mandate.pk,
                "person_id": row.person.pk,
                "organization": row.organization,
                "college": row.college,
                "chair": row.chair,
            }
            for row in roll.voting
        ],
        "attendance": {key: str(value) for key, value in inputs.attendance.items()},
        "proxy_references": {
            roll.by_mandate[m].key: a.proxy_reference
            for m, a in roll.attendance.items()
            if a.status == PresenceChoice.PROXY and m in roll.by_mandate
        },
        "recused": inputs.recused,
        "lapsed_proxies": inputs.lapsed_proxies,
        "votes": None
        if secret
        else [
            {"name": roll.by_mandate[b.mandate_id].key, "choice": b.choice, "by_proxy": b.by_proxy}
            for b in ballots
            if b.mandate_id in roll.by_mandate
        ],
        "result": result,
        "explanation": {lang: list(o.explanation) for lang, o in outcomes.items()},
        "closed_at": at.isoformat(),
    }


def _allocate_number(partnership: Partnership, year: int) -> int:
    """The next sequence number of the year, under a lock on the partnership row."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = Decision.objects.filter(partnership=partnership, year=year).aggregate(m=Max("sequence"))[
        "m"
    ]
    return (last or 0) + 1


def _decision_title(motion: Motion) -> str:
    return motion.item.title[:300]


def _record_decision(
    *, by: Any, meeting: Meeting, motion: Motion, snapshot: dict[str, Any], at: datetime
) -> Decision:
    year = meeting.day.year
    sequence = _allocate_number(meeting.partnership, year)
    decision = Decision(
        partnership=meeting.partnership,
        year=year,
        sequence=sequence,
        number=rules.decision_number(year, sequence),
        meeting=meeting,
        item=motion.item,
        motion=motion,
        kind=motion.decision_kind,
        title=_decision_title(motion),
        text=motion.text,
        decided_on=meeting.day,
        snapshot=snapshot,
        created_by=by,
        created_at=at,
    )
    chain.append(ChainRecordType.DECISION, decision, lambda: chain.decision_content(decision))
    decision.save()
    chain.link(ChainRecordType.DECISION, decision)
    return decision


@dataclass
class CloseResult:
    motion: Motion
    decision: Decision | None
    appointment_error: str = ""


@transaction.atomic
def motion_close(*, by: Any, motion: Motion, at: datetime | None = None) -> CloseResult:
    """Close the vote: no ballot after this. The rules engine decides with the rule in force;
    an adopted motion becomes a numbered decision in the hash chain."""
    meeting_require(by, Perm.MEETING_MANAGE, motion.item.meeting)
    meeting, motion = _open_motion(motion)
    now = _now(at)
    roll = roll_get(meeting=meeting)
    ballots = list(Ballot.objects.filter(motion=motion).order_by("pk"))
    snapshot = _snapshot(roll, motion, ballots, now)
    motion.status = MotionStatus.CLOSED
    motion.closed_at = now
    motion.closed_by = by
    motion.adopted = bool(snapshot["result"]["adopted"])
    motion.outcome = snapshot
    secret_choices = list(SecretChoice.objects.filter(motion=motion))
    chain.append(
        ChainRecordType.MOTION,
        motion,
        lambda: chain.motion_content(motion, ballots, secret_choices),
    )
    motion.save()
    chain.link(ChainRecordType.MOTION, motion)
    decision = None
    error = ""
    if motion.adopted:
        decision = _record_decision(
            by=by, meeting=meeting, motion=motion, snapshot=snapshot, at=now
        )
        if motion.decision_kind == DecisionKindChoice.OFFICER_APPOINTMENT and motion.appoint_role:
            try:
                with transaction.atomic():
                    _appoint(by=by, decision=decision)
            except DomainError as failure:
                error = failure.message
    return CloseResult(motion=motion, decision=decision, appointment_error=error)


def _appoint(*, by: Any, decision: Decision) -> Any:
    from sharaka.governance import services as governance_services

    motion = decision.motion
    if motion.appoint_mandate_id is None:
        raise DomainError(Code.APPOINTMENT_INVALID, gettext("La décision ne nomme personne."))
    mandate = Mandate.objects.select_related("seat").get(pk=motion.appoint_mandate_id)
    return governance_services.officer_appoint(
        by=by,
        board=decision.meeting.board,
        mandate=mandate,
        role=motion.appoint_role,
        start_date=decision.decided_on,
        appointment_note=gettext("Décision %(number)s du conseil du %(day)s")
        % {"number": decision.number, "day": _day(decision.decided_on)},
        appointing_decision_id=decision.pk,
    )


@transaction.atomic
def decision_apply_appointment(*, by: Any, decision: Decision) -> Any:
    """Appoint the officer an adopted decision named, through the governance service (which
    records the decision as the appointing one). For when the role was still held at the
    close of the vote: end the previous term first, then apply."""
    from sharaka.governance.models import Officer

    require(by, Perm.DECISION_VIEW, decision.partnership)
    if decision.kind != DecisionKindChoice.OFFICER_APPOINTMENT or not decision.motion.appoint_role:
        raise DomainError(
            Code.APPOINTMENT_INVALID, gettext("Cette décision ne nomme personne au bureau.")
        )
    if Officer.objects.filter(appointing_decision_id=decision.pk).exists():
        raise DomainError(
            Code.APPOINTMENT_ALREADY_APPLIED, gettext("La nomination décidée est déjà appliquée.")
        )
    return _appoint(by=by, decision=decision)


# --- Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_draft(*, by: Any, meeting: Meeting, at: datetime | None = None) -> Minutes:
    """Close the session and draft the minutes from the meeting (or re-draft a draft)."""
    from sharaka.meetings import minutes as minutes_record

    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        if existing.is_signed:
            raise DomainError(
                Code.MINUTES_SIGNED, gettext("Le procès-verbal est signé : il ne change plus.")
            )
        existing.content = minutes_record.build(meeting)
        existing.save(update_fields=["content", "updated_at"])
        return existing
    if Motion.objects.filter(item__meeting=meeting, status=MotionStatus.OPEN).exists():
        raise DomainError(
            Code.MOTION_OPEN,
            gettext("Un vote est encore ouvert : clôturez-le avant de clore la séance."),
        )
    _transition(meeting, rules.Action.DRAFT_MINUTES, by=by, at=at)
    return Minutes.objects.create(
        meeting=meeting, content=minutes_record.build(meeting), drafted_by=by, drafted_at=_now(at)
    )


def _minutes_locked(minutes: Minutes) -> Minutes:
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.is_signed:
        raise DomainError(
            Code.MINUTES_SIGNED,
            gettext(
                "Le procès-verbal est signé : il ne change plus. Une correction se fait par "
                "un erratum."
            ),
        )
    return locked


@transaction.atomic
def minutes_update(
    *,
    by: Any,
    minutes: Minutes,
    opening_text: str,
    closing_text: str,
    item_notes: Mapping[str, str],
) -> Minutes:
    meeting_require(by, Perm.MEETING_MANAGE, minutes.meeting)
    locked = _minutes_locked(minutes)
    locked.opening_text = opening_text.strip()
    locked.closing_text = closing_text.strip()
    locked.item_notes = {str(k): v.strip() for k, v in item_notes.items() if v and v.strip()}
    locked.save()
    return locked


def _signature_officer(roll: Roll, role: str) -> Any:
    officer = roll.officers.get(role)
    if officer is None:
        raise DomainError(
            Code.NO_OFFICER,
            gettext(
                "Le conseil n'avait pas de %(role)s à la date de la réunion : nommez-le au "
                "bureau avant de signer."
            )
            % {"role": str(SignatureRole(role).label).lower()},
        )
    return officer


@transaction.atomic
def minutes_sign(
    *, by: Any, minutes: Minutes, role: str, at: datetime | None = None
) -> MinutesSignature:
    """The chair or the secretary signs. The officer signs in person; the secretariat may
    record an officer's handwritten signature on the paper original. The second signature
    seals the minutes: signed, chained, never changed again."""
    meeting = minutes.meeting
    require(by, Perm.MEETING_VIEW, meeting.partnership)
    if role not in SignatureRole.values:
        raise ValidationFailed(
            gettext("Qualité inconnue : président·e ou secrétaire."),
            {"role": [gettext("Qualité inconnue.")]},
        )
    meeting = _lock(meeting)
    locked = _minutes_locked(minutes)
    if MinutesSignature.objects.filter(minutes=locked, role=role).exists():
        raise DomainError(
            Code.ALREADY_SIGNED,
            gettext("Le procès-verbal porte déjà la signature du ou de la %(role)s.")
            % {"role": str(SignatureRole(role).label).lower()},
        )
    roll = roll_get(meeting=meeting)
    officer = _signature_officer(roll, role)
    in_person = getattr(by, "person_id", None) == officer.mandate.person_id
    if in_person:
        if not meeting_can(by, Perm.MINUTES_SIGN, meeting):
            raise AccessDenied()
    elif not meeting_can(by, Perm.MEETING_MANAGE, meeting):
        raise DomainError(
            Code.NOT_THE_OFFICER,
            gettext("Seul·e %(person)s signe en qualité de %(role)s.")
            % {"person": officer.mandate.person, "role": str(SignatureRole(role).label).lower()},
        )
    now = _now(at)
    signature = MinutesSignature.objects.create(
        minutes=locked,
        role=role,
        officer=officer,
        signer_name=str(officer.mandate.person),
        in_person=in_person,
        signed_by=by,
        signed_at=now,
    )
    signatures = list(MinutesSignature.objects.filter(minutes=locked))
    if {s.role for s in signatures} == set(SignatureRole.values):
        locked.status = MinutesStatus.SIGNED
        locked.signed_at = now
        chain.append(
            ChainRecordType.MINUTES, locked, lambda: chain.minutes_content(locked, signatures)
        )
        locked.save()
        chain.link(ChainRecordType.MINUTES, locked)
        _transition(meeting, rules.Action.SIGN_MINUTES, by=by, at=now)
    return signature


@transaction.atomic
def meeting_publish(*, by: Any, meeting: Meeting) -> Meeting:
    """Publish signed minutes on the public portal."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _transition(meeting, rules.Action.PUBLISH, by=by)
    return meeting


@transaction.atomic
def erratum_add(*, by: Any, minutes: Minutes, text: str, at: datetime | None = None) -> Erratum:
    """A correction to signed minutes, as a new chained record pointing to them."""
    meeting_require(by, Perm.MEETING_MANAGE, minutes.meeting)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_signed:
        raise DomainError(
            Code.MINUTES_NOT_SIGNED,
            gettext("Le procès-verbal est encore un projet : corrigez-le directement."),
        )
    if not text.strip():
        raise ValidationFailed(
            gettext("Écrivez la correction."), {"text": [gettext("Ce champ est obligatoire.")]}
        )
    erratum = Erratum(minutes=minutes, text=text.strip(), created_by=by, created_at=_now(at))
    chain.append(ChainRecordType.ERRATUM, erratum, lambda: chain.erratum_content(erratum))
    erratum.save()
    chain.link(ChainRecordType.ERRATUM, erratum)
    return erratum
