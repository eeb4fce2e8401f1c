"""The work of an engagement (issue 15, ADR 0040): work papers, findings and the issuing of
the report, each done by the engaged auditor only, from the engagement's first to its last
day (``plan_rules.auditor_may_record``).

Every function is atomic and a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.audit import plan_rules
from sharaka.audit.models import Audit, AuditFinding, AuditStatus, Severity, WorkPaper
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem


class Code(StrEnum):
    PAPER_SIZE = "audit_paper_too_large"
    PAPER_TYPE = "audit_paper_type"
    PAPER_EMPTY = "audit_paper_empty"
    FINDING_FIELD = "audit_finding_field_missing"
    FINDING_SEVERITY = "audit_finding_severity"
    FINDING_UNSAMPLED = "audit_finding_expense_not_sampled"
    REPORT_STATUS = "audit_report_status"


def _engaged(by: Actor, audit: Audit, today: date | None = None) -> None:
    """Refuse anyone but the engaged auditor during the engagement (403)."""
    require(by, Perm.AUDIT_ENGAGE, audit.partnership)
    if not plan_rules.auditor_may_record(
        actor_id=getattr(by, "pk", None),
        auditor_id=audit.auditor_id,
        starts_on=audit.starts_on,
        ends_on=audit.ends_on,
        status=audit.status,
        today=today or timezone.localdate(),
    ):
        raise AccessDenied(
            gettext(
                "Seul l'auditeur de la mission, pendant la mission, y ajoute des papiers de "
                "travail et des constats."
            )
        )


def _locked(audit: Audit) -> Audit:
    """The audit, re-read under a row lock (numbers and status decided one at a time)."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    locked.partnership = audit.partnership
    return locked


@transaction.atomic
def paper_add(
    *, by: Actor, audit: Audit, title: str, upload: UploadedFile[bytes], today: date | None = None
) -> WorkPaper:
    """Attach a work paper (PDF, JPEG or PNG, checked by content) to the engagement."""
    _engaged(by, audit, today)
    name = upload.name or ""
    check_upload_size(upload, field="file", label=gettext("Fichier"), code=Code.PAPER_SIZE)
    problem = document_problem(upload)
    if problem is UploadProblem.EMPTY:
        raise DomainError(Code.PAPER_EMPTY, gettext("Le fichier est vide."), field="file")
    if problem is not UploadProblem.NONE:
        raise DomainError(
            Code.PAPER_TYPE,
            gettext("Formats acceptés : PDF, JPEG ou PNG (le contenu doit correspondre à "
                    "l'extension)."),
            field="file",
        )  # fmt: skip
    paper = WorkPaper(
        audit=audit,
        title=title.strip()[:200] or name[:200],
        original_name=name[:255],
        content_type=DOCUMENT_FORMATS[name.rsplit(".", 1)[-1].lower()],
        size=upload.size or 0,
        uploaded_by=signed_in(by),
    )
    paper.file.save(name, upload, save=False)
    paper.save()
    return paper


_REQUIRED = ("title", "criterion", "condition")


@transaction.atomic
def finding_add(
    *, by: Actor, audit: Audit, fields: dict[str, Any], today: date | None = None
) -> AuditFinding:
    """Record a finding of the engagement, numbered in order; the expenses it names must be
    in the engagement's sample."""
    _engaged(by, audit, today)
    for name in _REQUIRED:
        if not str(fields.get(name) or "").strip():
            raise DomainError(Code.FINDING_FIELD, gettext("Ce champ est obligatoire."), field=name)
    severity = str(fields.get("severity") or "")
    if severity not in Severity.values:
        raise DomainError(Code.FINDING_SEVERITY, gettext("Gravité inconnue."), field="severity")
    audit = _locked(audit)
    expenses = sorted({int(i) for i in fields.get("expenses") or []})
    if strangers := plan_rules.unsampled(expenses, audit.sample):
        raise DomainError(
            Code.FINDING_UNSAMPLED,
            gettext("Dépense(s) hors de l'échantillon de la mission : %(ids)s.")
            % {"ids": ", ".join(map(str, strangers))},
            field="expenses",
        )
    last = AuditFinding.objects.filter(audit=audit).aggregate(n=Max("number"))["n"] or 0
    return AuditFinding.objects.create(
        audit=audit,
        number=last + 1,
        title=str(fields["title"]).strip()[:200],
        severity=severity,
        criterion=str(fields["criterion"]).strip(),
        condition=str(fields["condition"]).strip(),
        cause=str(fields.get("cause") or "").strip(),
        effect=str(fields.get("effect") or "").strip(),
        responsible=str(fields.get("responsible") or "").strip()[:200],
        expenses=expenses,
        recorded_by=signed_in(by),
    )


@transaction.atomic
def report_issue(*, by: Actor, audit: Audit, today: date | None = None) -> Audit:
    """Issue the engagement's report (a clean report, without findings, is one): the audit
    becomes "reported"; its findings stay append-only."""
    _engaged(by, audit, today)
    audit = _locked(audit)
    if not plan_rules.issuable(audit.status):
        raise DomainError(
            Code.REPORT_STATUS,
            gettext("Le rapport ne peut être remis que pour un audit programmé ou en cours."),
            field="status",
        )
    audit.status = AuditStatus.REPORTED
    audit.reported_at = timezone.now()
    audit.save(update_fields=["status", "reported_at"])
    return audit
