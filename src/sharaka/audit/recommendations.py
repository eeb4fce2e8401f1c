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

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, override

from sharaka.audit import plan_rules
from sharaka.audit.engagements import _engaged, _locked
from sharaka.audit.models import (
    Audit,
    AuditFinding,
    FollowUp,
    Recommendation,
    RecommendationStatus,
)
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.directory.models import Person
from sharaka.meetings.models import AgendaItem, ItemKindChoice, Meeting, MeetingStatusChoice
from sharaka.partnerships.models import Party


class Code(StrEnum):
    FIELD = "audit_recommendation_field_missing"
    DUE = "audit_recommendation_due_invalid"
    STATUS = "audit_recommendation_status"
    OWNER = "audit_recommendation_owner"
    EVIDENCE = "audit_recommendation_evidence"


def _required(fields: dict[str, Any], name: str) -> str:
    value = str(fields.get(name) or "").strip()
    if not value:
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field=name)
    return value


def _owner(partnership_id: int, fields: dict[str, Any]) -> tuple[Party, Person | None, str]:
    """The owner: a party of the partnership and, optionally, a person of that party's
    organisation; anything else is refused on its field."""
    party = fields.get("owner_party")
    if not party:
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field="owner_party")
    party_id = getattr(party, "pk", party)
    found = Party.objects.filter(pk=party_id, partnership_id=partnership_id)
    party = found.select_related("organization").first()
    if party is None:
        raise DomainError(
            Code.OWNER, gettext("Choisissez une partie du partenariat."), field="owner_party"
        )
    person = fields.get("owner_person")
    if not person:
        return party, None, party.organization.name
    person = Person.objects.filter(pk=getattr(person, "pk", person)).first()
    if person is None or person.organization_id != party.organization_id:
        raise DomainError(
            Code.OWNER,
            gettext("Choisissez une personne de la partie responsable."),
            field="owner_person",
        )
    return party, person, f"{person} ({party.organization.name})"


@transaction.atomic
def recommendation_add(
    *, by: Actor, finding: AuditFinding, fields: dict[str, Any], today: dt.date | None = None
) -> Recommendation:
    """Issue a recommendation on a finding: its text, its owner (a party of the partnership,
    optionally a person of it) and its due date, numbered per engagement under a lock on the
    audit."""
    audit = finding.audit
    _engaged(by, audit, today)
    text = _required(fields, "text")
    party, person, owner = _owner(audit.partnership_id, fields)
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
        owner_party=party,
        owner_person=person,
        due_on=due_on,
        created_by=signed_in(by),
    )


def _evidence(entry: FollowUp, upload: UploadedFile[bytes] | None) -> None:
    """Attach the evidence to the entry about to be saved, checked by size and content."""
    if upload is None:
        return
    name = upload.name or ""
    check_upload_size(upload, field="evidence", label=gettext("Preuve"), code=Code.EVIDENCE)
    if document_problem(upload) is not UploadProblem.NONE:
        raise DomainError(
            Code.EVIDENCE,
            gettext("Formats acceptés : PDF, JPEG ou PNG (le contenu doit correspondre à "
                    "l'extension)."),
            field="evidence",
        )  # fmt: skip
    entry.original_name = name[:255]
    entry.content_type = DOCUMENT_FORMATS[name.rsplit(".", 1)[-1].lower()]
    entry.size = upload.size or 0
    entry.evidence.save(name, upload, save=False)


def _move(
    by: Actor,
    recommendation: Recommendation,
    *,
    text: str,
    status: str,
    evidence: UploadedFile[bytes] | None,
    verifier: bool,
) -> FollowUp:
    if not text.strip():
        raise DomainError(Code.FIELD, gettext("Ce champ est obligatoire."), field="text")
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not plan_rules.recommendation_move_allowed(locked.status, status, verifier=verifier):
        field = "outcome" if verifier else "status"
        raise DomainError(Code.STATUS, _refusal(locked.status, verifier), field=field)
    entry = FollowUp(
        recommendation=locked,
        text=text.strip(),
        status=status,
        recorded_by=signed_in(by),
        by_auditor=verifier,
    )
    _evidence(entry, evidence)
    entry.save()
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])
    recommendation.status = status
    return entry


def _refusal(current: str, verifier: bool) -> str:
    if verifier:
        return gettext("L'auditeur ne vérifie qu'une recommandation déclarée mise en œuvre.")
    if current == RecommendationStatus.VERIFIED:
        return gettext("Une recommandation vérifiée garde son état.")
    return gettext(
        "Une recommandation mise en œuvre ou non acceptée garde son état ; seul l'auditeur "
        "la vérifie."
    )


@transaction.atomic
def follow_up_add(
    *,
    by: Actor,
    recommendation: Recommendation,
    text: str,
    status: str,
    evidence: UploadedFile[bytes] | None = None,
) -> FollowUp:
    """The management's answer (whoever changes the audit plan: the coordinator, the
    officer): an append-only entry, with optional evidence, that moves the recommendation to
    ``status`` (done, not accepted and verified are final for it), under a row lock."""
    require(by, Perm.AUDIT_PLAN_CHANGE, recommendation.partnership)
    return _move(by, recommendation, text=text, status=status, evidence=evidence, verifier=False)


def verifier_engagements(partnership_id: int) -> list[dict[str, Any]]:
    """The partnership's engagements, as ``plan_rules.may_verify`` reads them (one query)."""
    rows = Audit.objects.filter(partnership_id=partnership_id, auditor__isnull=False)
    return [dict(row) for row in rows.values("auditor_id", "starts_on", "ends_on", "status")]


@transaction.atomic
def recommendation_verify(
    *,
    by: Actor,
    recommendation: Recommendation,
    text: str,
    verified: bool,
    evidence: UploadedFile[bytes] | None = None,
    today: dt.date | None = None,
) -> FollowUp:
    """The auditor's verification of a recommendation the management says is done: verified,
    or back in progress with the reason. Only the auditor of an engagement of the partnership
    under way today (the one that issued it or a later one) verifies (ADR 0051)."""
    require(by, Perm.AUDIT_ENGAGE, recommendation.partnership)
    if not plan_rules.may_verify(
        actor_id=getattr(by, "pk", None),
        engagements=verifier_engagements(recommendation.partnership_id),
        today=today or timezone.localdate(),
    ):
        raise AccessDenied(
            gettext("Seul l'auditeur d'une mission en cours vérifie les recommandations.")
        )
    status = RecommendationStatus.VERIFIED if verified else RecommendationStatus.IN_PROGRESS
    return _move(by, recommendation, text=text, status=status, evidence=evidence, verifier=True)


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
