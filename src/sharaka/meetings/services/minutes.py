"""Minutes: draft from the session, write the debates, sign (the second signature seals
and chains them), publish, and correct signed minutes by an erratum."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.types import Actor
from sharaka.governance.models import Officer
from sharaka.meetings import chain, rules
from sharaka.meetings import minutes as minutes_record
from sharaka.meetings.access import meeting_can, meeting_require
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    ChainRecordType,
    Erratum,
    Meeting,
    Minutes,
    MinutesSignature,
    MinutesStatus,
    Motion,
    MotionStatus,
    SignatureRole,
)
from sharaka.meetings.selectors import (
    Roll,
    roll_get,
)
from sharaka.meetings.services.common import (
    _lock,
    _now,
    _transition,
)

# --- Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_draft(*, by: Actor, meeting: Meeting, at: datetime | None = None) -> Minutes:
    """Close the session and draft the minutes from the meeting (or re-draft a draft)."""
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
        meeting=meeting,
        content=minutes_record.build(meeting),
        drafted_by=signed_in(by),
        drafted_at=_now(at),
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
    by: Actor,
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


def _signature_officer(roll: Roll, role: str) -> Officer:
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
    *, by: Actor, minutes: Minutes, role: str, at: datetime | None = None
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
        meeting_require(by, Perm.MINUTES_SIGN, meeting)
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
        signed_by=signed_in(by),
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
def meeting_publish(*, by: Actor, meeting: Meeting) -> Meeting:
    """Publish signed minutes on the public portal."""
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _transition(meeting, rules.Action.PUBLISH, by=by)
    return meeting


@transaction.atomic
def erratum_add(*, by: Actor, minutes: Minutes, text: str, at: datetime | None = None) -> Erratum:
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
    erratum = Erratum(
        minutes=minutes, text=text.strip(), created_by=signed_in(by), created_at=_now(at)
    )
    chain.append(ChainRecordType.ERRATUM, erratum, lambda: chain.erratum_content(erratum))
    erratum.save()
    chain.link(ChainRecordType.ERRATUM, erratum)
    return erratum
