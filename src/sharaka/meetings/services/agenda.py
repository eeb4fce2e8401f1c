"""The agenda and the board pack (documents of the meeting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_lazy

from sharaka.core.access import Perm, signed_in
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size
from sharaka.meetings import rules, uploads
from sharaka.meetings.access import meeting_require
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    BoardDocument,
    ItemKindChoice,
    Meeting,
)
from sharaka.meetings.services.common import (
    ITEM_FIELDS,
    _lock,
    _require_status,
)

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


def _check_association(item: AgendaItem) -> None:
    """The organisation an item concerns is an association (the conflict-of-interest check
    of law 113-14 art. 65 reads its bureau)."""
    if item.association is not None and item.association.kind != "association":
        raise DomainError(
            Code.ITEM_ASSOCIATION,
            gettext("Association concernée : choisissez une association."),
            field="association",
        )


@transaction.atomic
def item_add(*, by: Actor, meeting: Meeting, fields: Mapping[str, Any]) -> AgendaItem:
    meeting_require(by, Perm.MEETING_MANAGE, meeting)
    meeting = _lock(meeting)
    _agenda_frozen(meeting)
    item = assign_fields(AgendaItem(meeting=meeting), fields, allowed=ITEM_FIELDS)
    _check_minutes_to_approve(meeting, item)
    _check_association(item)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    item.position = last + 1
    return clean_and_save(item)


@transaction.atomic
def item_update(*, by: Actor, item: AgendaItem, fields: Mapping[str, Any]) -> AgendaItem:
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _agenda_frozen(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    assign_fields(item, fields, allowed=ITEM_FIELDS)
    _check_minutes_to_approve(meeting, item)
    _check_association(item)
    return clean_and_save(item)


@transaction.atomic
def item_remove(*, by: Actor, item: AgendaItem) -> None:
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
def item_move(*, by: Actor, item: AgendaItem, up: bool) -> None:
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
    *,
    by: Actor,
    meeting: Meeting,
    title: str,
    file: UploadedFile[bytes],
    item: AgendaItem | None = None,
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
        uploaded_by=signed_in(by),
    )
    document.file.save(file.name or "document", file, save=False)
    return clean_and_save(document)
