"""Recommendations drawn from an engagement's findings, their follow-up, and the escalation
of overdue ones to the next board meeting's agenda (issue 15, ADR 0047).

The engaged auditor issues recommendations (during the engagement, like findings); the
coordinator answers them with append-only follow-up entries that move their state. Every
function is atomic, and a refusal names its field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, override

from sharaka.audit import plan_rules
from sharaka.audit.engagements import _engaged, _locked
from sharaka.audit.models import AuditFinding, FollowUp, Recommendation
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.meetings.models import AgendaItem, ItemKindChoice, Meeting, MeetingStatusChoice


class Code(StrEnum):
    FIELD = "audit_recommendation_field_missing"
    DUE = "audit_recommendation_due_invalid"
    STATUS = "audit_recommendation_status"


def _required(fields: dict[str, Any], name: str) -> str:
    value = str(fields.get(name) or "").strip()
    if not value:
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field=name)
    return value


@transaction.atomic
def recommendation_add(
    *, by: Actor, finding: AuditFinding, fields: dict[str, Any], today: dt.date | None = None
) -> Recommendation:
    """Issue a recommendation on a finding: its text, its owner (a party or a person of the
    partnership) and its due date, numbered per engagement under a lock on the audit."""
    audit = finding.audit
    _engaged(by, audit, today)
    text = _required(fields, "text")
    owner = _required(fields, "owner")
    due_on = fields.get("due_on")
    if not due_on:
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field="due_on")
    if not isinstance(due_on, dt.date) or due_on < finding.recorded_at.date():
        raise DomainError(
            Code.DUE,
            gettext("L'échéance ne peut précéder la date du constat."),
            field="due_on",
        )
    audit = _locked(audit)
    last = Recommendation.objects.filter(audit=audit).aggregate(n=Max("number"))["n"] or 0
    return Recommendation.objects.create(
        finding=finding,
        audit=audit,
        partnership_id=audit.partnership_id,
        number=last + 1,
        text=text,
        owner=owner[:200],
        due_on=due_on,
        created_by=signed_in(by),
    )


@transaction.atomic
def follow_up_add(*, by: Actor, recommendation: Recommendation, text: str, status: str) -> FollowUp:
    """The coordinator's answer: an append-only entry that moves the recommendation to
    ``status`` (done and not accepted are final), read and written under a row lock."""
    require(by, Perm.AUDIT_PLAN_CHANGE, recommendation.partnership)
    if not text.strip():
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field="text")
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not plan_rules.recommendation_move_allowed(locked.status, status):
        raise DomainError(
            Code.STATUS,
            gettext("Une recommandation mise en œuvre ou non acceptée garde son état."),
            field="status",
        )
    entry = FollowUp.objects.create(
        recommendation=locked, text=text.strip(), status=status, recorded_by=signed_in(by)
    )
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])
    recommendation.status = status
    return entry


def _next_meeting(partnership_id: int, now: dt.datetime) -> Meeting | None:
    """The partnership's next board meeting whose agenda is still open."""
    return (
        Meeting.objects.filter(
            partnership_id=partnership_id,
            status=MeetingStatusChoice.PLANNED,
            starts_at__gte=now,
        )
        .order_by("starts_at", "id")
        .first()
    )


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None, partnership_id: int | None = None) -> int:
    """Put each overdue recommendation not yet escalated on its partnership's next board
    meeting (in preparation) as an information item the secretary sees and may move or
    remove. Once per recommendation; one without a next meeting waits for one. Returns how
    many items were added."""
    today = today or timezone.localdate()
    now = timezone.now()
    pending = Recommendation.objects.select_for_update().filter(
        status__in=[s.value for s in plan_rules.PENDING_RECOMMENDATIONS],
        due_on__lt=today,
        agenda_item__isnull=True,
    )
    if partnership_id is not None:
        pending = pending.filter(partnership_id=partnership_id)
    added = 0
    meetings: dict[int, Meeting | None] = {}
    for rec in pending.order_by("partnership_id", "due_on", "id"):
        if rec.partnership_id not in meetings:
            meetings[rec.partnership_id] = _next_meeting(rec.partnership_id, now)
        meeting = meetings[rec.partnership_id]
        if meeting is None:
            continue
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        with override("fr"):
            title = gettext("Recommandation d'audit en retard : R%(n)s (échéance %(due)s)") % {
                "n": rec.number,
                "due": rec.due_on.strftime("%d/%m/%Y"),
            }
            description = f"{rec.text}\n\n{gettext('Responsable')} : {rec.owner}"
        rec.agenda_item = AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            kind=ItemKindChoice.INFORMATION,
            title=title[:300],
            description=description,
        )
        rec.save(update_fields=["agenda_item"])
        added += 1
    return added
