"""API: admissibility of associations (criteria, files, evidence), mounted at
``/api/partners``. The same rights as the pages (``partners.access``: the officers of the
file's authority; 404 for anyone else) and the same services. Errors are RFC 9457 problem
JSON. No ``from __future__ import annotations`` (ADR 0001)."""

import datetime as dt

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id
from sharaka.core.errors import ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.core.uploads import stored_file_response
from sharaka.directory.models import Organization
from sharaka.partners import rules, selectors, services
from sharaka.partners.models import AdmissibilityFile, CheckStatus, Criterion, Decision, Evidence

router = Router(tags=["partners"])


class CriterionOut(Schema):
    id: int
    code: str
    label: str
    label_fr: str
    label_ar: str
    label_en: str
    reference: str
    kind: str
    weight: int
    max_score: int
    eliminatory: bool
    condition: str


class MissingItemOut(Schema):
    code: str
    label: str
    reference: str
    gap: str
    eliminatory: bool


class FileOut(Schema):
    id: int
    association_id: int
    association: str
    authority_id: int
    outcome: str
    score: str  # out of 100, one decimal
    missing: list[MissingItemOut]
    decision: str
    decision_reason: str
    decided_by: str | None
    decided_at: dt.datetime | None


class FilePage(Schema):
    items: list[FileOut]
    next_after: int | None


class FileIn(Schema):
    association_id: Id
    previously_funded: bool = False


class EvidenceOut(Schema):
    id: int
    criterion: str
    original_name: str
    content_type: str
    size: int
    issued_on: dt.date | None
    expires_on: dt.date | None
    provisional: bool
    value: bool | None
    score: int | None
    status: str
    comment: str

    @staticmethod
    def resolve_criterion(obj: Evidence) -> str:
        return obj.criterion.code


class EvidenceIn(Schema):
    criterion_id: Id
    issued_on: BoundedDate | None = None
    expires_on: BoundedDate | None = None
    provisional: bool = False
    value: bool | None = None
    score: int | None = Field(None, ge=0, le=100)


class CheckIn(Schema):
    status: CheckStatus
    comment: str = Field("", max_length=2000)


class DecisionIn(Schema):
    decision: Decision
    reason: str = Field(..., min_length=1, max_length=4000)


def _criterion_out(criterion: Criterion) -> CriterionOut:
    return CriterionOut(
        id=criterion.pk, code=criterion.code, label=criterion.label,
        label_fr=criterion.label_fr, label_ar=criterion.label_ar, label_en=criterion.label_en,
        reference=criterion.reference, kind=criterion.kind, weight=criterion.weight,
        max_score=criterion.max_score, eliminatory=criterion.eliminatory,
        condition=criterion.condition,
    )  # fmt: skip


def _file_out(file: AdmissibilityFile, assessment: rules.Assessment) -> FileOut:
    return FileOut(
        id=file.pk, association_id=file.association_id, association=file.association.name,
        authority_id=file.authority_id, outcome=assessment.outcome.value,
        score=str(assessment.percent),
        missing=[MissingItemOut(code=i.code, label=i.label, reference=i.reference, gap=i.gap.value,
                         eliminatory=i.eliminatory) for i in assessment.items],
        decision=file.decision, decision_reason=file.decision_reason,
        decided_by=str(file.decided_by) if file.decided_by else None,
        decided_at=file.decided_at,
    )  # fmt: skip


def _authority(request: HttpRequest, pk: int) -> Organization:
    return selectors.authority_get(user=request.user, pk=pk)


@router.get("/authorities/{authority_id}/criteria", response=list[CriterionOut],
            summary="Critères de recevabilité d'une collectivité")  # fmt: skip
def list_criteria(request: HttpRequest, authority_id: int) -> list[CriterionOut]:
    authority = _authority(request, authority_id)
    return [_criterion_out(c) for c in selectors.criteria_list(authority_id=authority.pk)]


@router.get("/authorities/{authority_id}/files", response=FilePage,
            summary="Dossiers de recevabilité d'une collectivité (par clé)")  # fmt: skip
def list_files(
    request: HttpRequest, authority_id: int, q: str = "", after: Id | None = None
) -> FilePage:
    authority = _authority(request, authority_id)
    view = selectors.file_list_view_get(
        user=request.user, authority=authority, query=q[:100], after=after
    )
    return FilePage(
        items=[_file_out(row.file, row.assessment) for row in view.rows],
        next_after=view.next_after,
    )


@router.post("/authorities/{authority_id}/files", response={201: FileOut},
             summary="Ouvrir un dossier")  # fmt: skip
def open_file(request: HttpRequest, authority_id: int, payload: FileIn) -> Status[FileOut]:
    authority = _authority(request, authority_id)
    association = Organization.objects.filter(pk=payload.association_id).first()
    if association is None:
        raise ValidationFailed(
            "association_id : introuvable.", {"association_id": ["Introuvable."]}
        )
    file = services.file_open(
        by=request.user, association=association, authority=authority,
        previously_funded=payload.previously_funded,
    )  # fmt: skip
    return Status(201, _file_out(file, selectors.file_assessment_get(file=file)))


@router.get("/files/{file_id}", response=FileOut, summary="Lire un dossier")
def get_file(request: HttpRequest, file_id: int) -> FileOut:
    file = selectors.file_get(user=request.user, pk=file_id)
    return _file_out(file, selectors.file_assessment_get(file=file))


@router.get("/files/{file_id}/evidence", response=list[EvidenceOut], summary="Pièces d'un dossier")
def list_evidence(request: HttpRequest, file_id: int) -> list[Evidence]:
    file = selectors.file_get(user=request.user, pk=file_id)
    return list(file.evidence.select_related("criterion"))


@router.post("/files/{file_id}/evidence", response={201: EvidenceOut},
             summary="Ajouter une pièce (multipart : champs et document)")  # fmt: skip
def add_evidence(
    request: HttpRequest, file_id: int, payload: Form[EvidenceIn],
    document: UploadedFile | None = File(None),  # noqa: B008 (ninja's way to declare it)
) -> Status[Evidence]:  # fmt: skip
    file = selectors.file_get(user=request.user, pk=file_id, perm=Perm.ADMISSIBILITY_CHANGE)
    criterion = Criterion.objects.filter(pk=payload.criterion_id).first()
    if criterion is None:
        raise ValidationFailed("criterion_id : introuvable.", {"criterion_id": ["Introuvable."]})
    evidence = services.evidence_add(
        by=request.user, file=file, criterion=criterion, document=document,
        issued_on=payload.issued_on, expires_on=payload.expires_on,
        provisional=payload.provisional, value=payload.value, score=payload.score,
    )  # fmt: skip
    return Status(201, evidence)


@router.post("/files/{file_id}/evidence/{evidence_id}/check", response=EvidenceOut,
             summary="Vérifier une pièce")  # fmt: skip
def check_evidence(
    request: HttpRequest, file_id: int, evidence_id: int, payload: CheckIn
) -> Evidence:
    file = selectors.file_get(user=request.user, pk=file_id, perm=Perm.ADMISSIBILITY_CHANGE)
    evidence = selectors.evidence_get(file=file, pk=evidence_id)
    return services.evidence_check(
        by=request.user, evidence=evidence, status=payload.status, comment=payload.comment
    )


@router.get("/files/{file_id}/evidence/{evidence_id}/document", summary="Télécharger une pièce")
def download_evidence(request: HttpRequest, file_id: int, evidence_id: int) -> FileResponse:
    file = selectors.file_get(user=request.user, pk=file_id)
    evidence = selectors.evidence_get(file=file, pk=evidence_id)
    return stored_file_response(
        evidence.document, filename=evidence.original_name, content_type=evidence.content_type
    )


@router.post("/files/{file_id}/decision", response=FileOut, summary="Décider de la recevabilité")
def decide(request: HttpRequest, file_id: int, payload: DecisionIn) -> FileOut:
    file = selectors.file_get(user=request.user, pk=file_id, perm=Perm.ADMISSIBILITY_DECIDE)
    file = services.file_decide(
        by=request.user, file=file, decision=payload.decision, reason=payload.reason
    )
    return _file_out(file, selectors.file_assessment_get(file=file))
