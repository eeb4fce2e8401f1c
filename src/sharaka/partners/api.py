"""API: admissibility of associations (criteria, files, evidence), mounted at
``/api/partners``. The same rights as the pages (``partners.access``: the officers of the
file's authority; 404 for anyone else) and the same services. Errors are RFC 9457 problem
JSON. No ``from __future__ import annotations`` (ADR 0001)."""

import datetime as dt
from decimal import Decimal

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id
from sharaka.core.errors import ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.core.uploads import stored_file_response
from sharaka.directory.models import Organization
from sharaka.partners import conflicts, rules, selectors, services
from sharaka.partners import grants as register
from sharaka.partners.models import (
    AdmissibilityFile,
    CheckStatus,
    Criterion,
    Decision,
    Evidence,
    Grant,
)
from sharaka.partnerships.ports import ConflictLine

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


# --- Conflicts of interest (law 113-14 art. 65, ADR 0030) ---------------------------------------


class ConflictOut(Schema):
    person_id: int
    person: str
    authority_id: int
    authority: str
    association_id: int
    association: str
    declared: bool
    declared_at: dt.datetime | None


class DeclarationIn(Schema):
    association_id: Id
    person_id: Id
    text: str = Field(max_length=4000)


class DeclarationOut(Schema):
    id: int
    authority_id: int
    association_id: int
    person_id: int
    text: str
    declared_at: dt.datetime


def _conflict_out(line: ConflictLine) -> ConflictOut:
    return ConflictOut(
        person_id=line.person_id, person=line.person, authority_id=line.authority_id,
        authority=line.authority, association_id=line.association_id,
        association=line.association, declared=line.declared, declared_at=line.declared_at,
    )  # fmt: skip


@router.get("/authorities/{authority_id}/conflicts", response=list[ConflictOut],
            summary="Conflits d'intérêts des élus d'une collectivité")  # fmt: skip
def list_conflicts(request: HttpRequest, authority_id: int) -> list[ConflictOut]:
    authority = _authority(request, authority_id)
    return [_conflict_out(c) for c in conflicts.conflicts_find(authority_id=authority.pk)]


@router.post("/authorities/{authority_id}/conflicts/declarations",
             response={201: DeclarationOut},
             summary="Déclarer un conflit d'intérêts (l'élu·e, ou un agent pour lui)")  # fmt: skip
def declare_conflict(
    request: HttpRequest, authority_id: int, payload: DeclarationIn
) -> Status[DeclarationOut]:
    authority, association, person = conflicts.declaration_subject_get(
        user=request.user, authority_id=authority_id, association_id=payload.association_id,
        person_id=payload.person_id,
    )  # fmt: skip
    declaration = conflicts.conflict_declare(
        by=request.user, authority=authority, association=association, person=person,
        text=payload.text,
    )  # fmt: skip
    return Status(
        201,
        DeclarationOut(
            id=declaration.pk, authority_id=declaration.authority_id,
            association_id=declaration.association_id, person_id=declaration.person_id,
            text=declaration.text, declared_at=declaration.declared_at,
        ),
    )  # fmt: skip


# --- Grants register (law 113-14 art. 275, ADR 0030) -------------------------------------------


class GrantOut(Schema):
    id: int
    year: int
    association_id: int
    association: str
    purpose: str
    amount: Decimal
    previous_year_amount: Decimal
    achievements: str
    remarks: str


class GrantPage(Schema):
    items: list[GrantOut]
    next_after: int | None
    total: Decimal


class GrantIn(Schema):
    association_id: Id
    purpose: str = Field(max_length=300)
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    achievements: str = Field("", max_length=4000)
    remarks: str = Field("", max_length=4000)


class RecordedOut(Schema):
    grant: GrantOut
    year_total: Decimal
    thresholds_crossed: list[str]


def _grant_out(grant: Grant, previous: Decimal) -> GrantOut:
    return GrantOut(
        id=grant.pk, year=grant.year, association_id=grant.association_id,
        association=grant.association.name, purpose=grant.purpose, amount=grant.amount,
        previous_year_amount=previous, achievements=grant.achievements, remarks=grant.remarks,
    )  # fmt: skip


@router.get("/authorities/{authority_id}/grants/{year}", response=GrantPage,
            summary="Tableau des subventions d'une année (par clé)")  # fmt: skip
def list_grants(
    request: HttpRequest, authority_id: int, year: int, after: Id | None = None
) -> GrantPage:
    table = register.grants_table_get(
        user=request.user, authority=_authority(request, authority_id), year=year, after=after
    )
    return GrantPage(
        items=[_grant_out(r.grant, r.previous) for r in table.rows],
        next_after=table.next_after, total=table.total,
    )  # fmt: skip


@router.post("/authorities/{authority_id}/grants/{year}", response={201: RecordedOut},
             summary="Enregistrer une subvention au registre")  # fmt: skip
def record_grant(
    request: HttpRequest, authority_id: int, year: int, payload: GrantIn
) -> Status[RecordedOut]:
    authority = _authority(request, authority_id)
    association = Organization.objects.filter(pk=payload.association_id).first()
    if association is None:
        raise ValidationFailed(
            "association_id : introuvable.", {"association_id": ["Introuvable."]}
        )
    recorded = register.grant_record(
        by=request.user, authority=authority, association=association, year=year,
        purpose=payload.purpose, amount=payload.amount, achievements=payload.achievements,
        remarks=payload.remarks,
    )  # fmt: skip
    previous = register.year_total(
        authority_id=authority.pk, association_id=association.pk, year=year - 1
    )
    return Status(201, RecordedOut(
        grant=_grant_out(recorded.grant, previous), year_total=recorded.total,
        thresholds_crossed=[f"{t.amount} — {t.reference}" for t in recorded.crossed],
    ))  # fmt: skip
