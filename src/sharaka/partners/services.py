"""Writes on admissibility files. Each service checks the right through ``partners.access``
first and is atomic: a refusal (a ``DomainError`` naming the field) changes nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from sharaka.core.access import Perm, signed_in
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind
from sharaka.partners import access, rules, selectors
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import (
    AdmissibilityFile,
    CheckStatus,
    Criterion,
    CriterionKind,
    Decision,
    Evidence,
)
from sharaka.partners.selection_models import Application, Level, PartnerCompetence

#: Accepted documents: extension -> (content type, first bytes).
DOCUMENT_FORMATS: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


@transaction.atomic
def file_open(
    *, by: Actor, association: Organization, authority: Organization,
    previously_funded: bool = False,
) -> AdmissibilityFile:  # fmt: skip
    """Open the admissibility file of ``association`` with ``authority`` (one per pair)."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    if authority.kind not in AUTHORITY_KINDS:
        raise DomainError(
            Code.NOT_AUTHORITY, gettext("Seule une collectivité tient des dossiers de "
                                        "recevabilité."), field="authority",
        )  # fmt: skip
    if association.kind != OrganizationKind.ASSOCIATION:
        raise DomainError(
            Code.NOT_ASSOCIATION,
            gettext("« %(name)s » n'est pas une association.") % {"name": association.name},
            field="association",
        )
    if AdmissibilityFile.objects.filter(association=association, authority=authority).exists():
        raise DomainError(
            Code.FILE_EXISTS,
            gettext("« %(name)s » a déjà un dossier auprès de cette collectivité.")
            % {"name": association.name},
            field="association",
        )
    try:
        with transaction.atomic():
            return AdmissibilityFile.objects.create(
                association=association, authority=authority,
                previously_funded=previously_funded, created_by=signed_in(by),
            )  # fmt: skip
    except IntegrityError as error:  # opened at the same moment by someone else
        raise DomainError(
            Code.FILE_EXISTS, gettext("Ce dossier existe déjà."), field="association"
        ) from error


def _document_type(upload: UploadedFile[bytes]) -> str:
    """The content type of an accepted document, judged by its first bytes (not its name);
    refused with a message on the ``document`` field."""
    check_upload_size(upload, field="document", label=gettext("Document"),
                      code=Code.DOCUMENT_SIZE)  # fmt: skip
    name = upload.name or ""
    if not upload.size:
        raise DomainError(Code.DOCUMENT_EMPTY, gettext("Document : le fichier est vide."),
                          field="document")  # fmt: skip
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = DOCUMENT_FORMATS.get(extension)
    if expected is None or not head.startswith(expected[1]):
        raise DomainError(
            Code.DOCUMENT_TYPE,
            gettext("Document : PDF, PNG ou JPEG seulement (le contenu du fichier doit "
                    "correspondre à son extension)."),
            field="document",
        )  # fmt: skip
    return expected[0]


@transaction.atomic
def evidence_add(
    *, by: Actor, file: AdmissibilityFile, criterion: Criterion,
    document: UploadedFile[bytes] | None = None, issued_on: dt.date | None = None,
    expires_on: dt.date | None = None, provisional: bool = False, value: bool | None = None,
    score: int | None = None,
) -> Evidence:  # fmt: skip
    """Add a piece for one criterion of the file's authority: a document (PDF, PNG, JPEG),
    a yes/no answer or a score, as the criterion's kind asks. It waits for an officer's
    check before it counts."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, file.authority_id)
    criteria_set = selectors.criteria_set_get(authority_id=file.authority_id)
    if criteria_set is None or criterion.criteria_set_id != criteria_set.pk:
        raise DomainError(
            Code.CRITERION_OTHER_SET,
            gettext("Ce critère n'est pas demandé par cette collectivité."), field="criterion",
        )  # fmt: skip
    if issued_on and expires_on and expires_on <= issued_on:
        raise DomainError(
            Code.DATES_ORDER, gettext("L'échéance doit suivre la date de délivrance."),
            field="expires_on",
        )  # fmt: skip
    evidence = Evidence(
        file=file, criterion=criterion, issued_on=issued_on, expires_on=expires_on,
        provisional=provisional, uploaded_by=signed_in(by),
    )  # fmt: skip
    if criterion.kind == CriterionKind.DOCUMENT:
        if document is None:
            raise DomainError(
                Code.DOCUMENT_REQUIRED, gettext("Document : joignez le document demandé."),
                field="document",
            )  # fmt: skip
        evidence.content_type = _document_type(document)
    elif criterion.kind == CriterionKind.FACT and value is None:
        raise DomainError(Code.VALUE_REQUIRED, gettext("Réponse : choisissez oui ou non."),
                          field="value")  # fmt: skip
    elif criterion.kind == CriterionKind.SCORED and (
        score is None or not 0 <= score <= criterion.max_score
    ):
        raise DomainError(
            Code.SCORE_RANGE,
            gettext("Note : un entier de 0 à %(max)s.") % {"max": criterion.max_score},
            field="score",
        )
    if criterion.kind == CriterionKind.FACT:
        evidence.value = value
    if criterion.kind == CriterionKind.SCORED:
        evidence.score = score
    if document is not None:
        if not evidence.content_type:
            evidence.content_type = _document_type(document)
        name = document.name or "document"
        evidence.original_name = name[:255]
        evidence.size = document.size or 0
        # Every check passed above: the file is written only for a row about to be saved.
        evidence.document.save(name, document, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_check(*, by: Actor, evidence: Evidence, status: str, comment: str = "") -> Evidence:
    """The officer accepts or rejects a piece; a rejection says why."""
    file = evidence.file
    access.require(by, Perm.ADMISSIBILITY_CHANGE, file.authority_id)
    if status not in (CheckStatus.ACCEPTED, CheckStatus.REJECTED):
        raise DomainError(Code.CHECK_STATUS, gettext("Vérification : acceptée ou refusée."),
                          field="status")  # fmt: skip
    if status == CheckStatus.REJECTED and not comment.strip():
        raise DomainError(
            Code.COMMENT_REQUIRED, gettext("Commentaire : dites pourquoi la pièce est refusée."),
            field="comment",
        )  # fmt: skip
    evidence.status = status
    evidence.comment = comment.strip()
    evidence.checked_by = signed_in(by)
    evidence.checked_at = timezone.now()
    evidence.save(update_fields=["status", "comment", "checked_by", "checked_at"])
    return evidence


@transaction.atomic
def file_decide(
    *, by: Actor, file: AdmissibilityFile, decision: str, reason: str,
    on: dt.date | None = None,
) -> AdmissibilityFile:  # fmt: skip
    """The officer's decision (who, when, why), kept in the file's history. A file whose
    computed result is not "admissible" on ``on`` cannot be declared admissible."""
    access.require(by, Perm.ADMISSIBILITY_DECIDE, file.authority_id)
    if decision not in (Decision.ADMISSIBLE, Decision.NOT_ADMISSIBLE):
        raise DomainError(Code.DECISION_VALUE, gettext("Décision : recevable ou non recevable."),
                          field="decision")  # fmt: skip
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, gettext("Motif : dites pourquoi."),
                          field="reason")  # fmt: skip
    if decision == Decision.ADMISSIBLE:
        assessment = selectors.file_assessment_get(file=file, on=on)
        if assessment.outcome is not rules.Outcome.ADMISSIBLE:
            raise DomainError(
                Code.DECISION_VALUE,
                gettext("Décision : le dossier n'est pas complet (%(missing)s) ; il ne peut "
                        "pas être déclaré recevable.")
                % {"missing": ", ".join(i.label or i.code for i in assessment.items
                                        if i.eliminatory)},
                field="decision",
            )  # fmt: skip
    file.decision = decision
    file.decision_reason = reason.strip()
    file.decided_by = signed_in(by)
    file.decided_at = timezone.now()
    file.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at",
                             "updated_at"])  # fmt: skip
    if decision == Decision.ADMISSIBLE:
        declared_competences_feed(file=file, by=by)
    return file


def _declared(call_title: str) -> str:
    """The reference of a declared competence, stored in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Déclarée, non justifiée : candidature à « %(call)s ».") % {
            "call": call_title
        }


def declared_competences_feed(*, file: AdmissibilityFile, by: Actor) -> int:
    """The file was declared admissible: the competences its applications declared enter
    the association's profile, at the base level, marked "declared, not evidenced", where
    the profile does not hold them yet (an officer's line is never overwritten). Called
    inside ``file_decide``'s transaction; how many lines were added."""
    held = set(
        PartnerCompetence.objects.filter(organization_id=file.association_id)
        .values_list("competence_id", flat=True)
    )  # fmt: skip
    added = 0
    rows = (
        Application.competences.through.objects.filter(application__file=file)
        .select_related("application__call").order_by("application__received_at", "pk")
    )  # fmt: skip
    for row in rows:
        if row.competence_id in held:
            continue
        held.add(row.competence_id)
        PartnerCompetence.objects.create(
            organization_id=file.association_id, competence_id=row.competence_id,
            level=Level.BASIC, recorded_by=signed_in(by),
            reference=_declared(row.application.call.title),
        )  # fmt: skip
        added += 1
    return added
