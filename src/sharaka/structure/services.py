"""Management structure writes: the structure's type, the staff register, delegations
decided by the board, the assets register and its documents.

A person's total time share across overlapping assignments (in every partnership) never
exceeds 100 %: the check runs with the person's row locked, so two assignments saved at
the same moment cannot both pass it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.directory.models import Person
from sharaka.meetings.models import DecisionKindChoice
from sharaka.meetings.services import decision_require
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity
from sharaka.structure import rules
from sharaka.structure.error_codes import StructureErrorCode as Code
from sharaka.structure.models import (
    Asset,
    AssetDocument,
    Delegation,
    ManagementStructure,
    StaffAssignment,
)

STRUCTURE_FIELDS = ("kind", "description")
STAFF_FIELDS = (
    "person", "role", "title", "origin_organization", "time_share", "start_date", "end_date",
    "reports_to", "note",
)  # fmt: skip
DELEGATION_FIELDS = (
    "delegate", "decision", "scope", "start_date", "end_date", "reporting_duty",
    "reporting_frequency",
)  # fmt: skip
ASSET_FIELDS = (
    "kind", "name", "reference", "description", "owner", "provided_by", "value", "currency",
    "location", "condition", "acquired_on",
)  # fmt: skip


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


def _is_party(partnership: Partnership, organization_id: int | None) -> bool:
    return (
        organization_id is not None
        and partnership.parties.filter(organization_id=organization_id).exists()
    )


# --- Structure -------------------------------------------------------------------------------


@transaction.atomic
def structure_set(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> ManagementStructure:
    """Create the partnership's management structure, or change its type or description."""
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    structure = ManagementStructure.objects.select_for_update().filter(
        partnership=partnership
    ).first() or ManagementStructure(partnership=partnership)
    assign_fields(structure, fields, allowed=STRUCTURE_FIELDS)
    return clean_and_save(structure)


# --- Staff register --------------------------------------------------------------------------


def _check_staff(row: StaffAssignment, structure: ManagementStructure) -> None:
    partnership = structure.partnership
    if row.start_date and row.end_date and row.end_date < row.start_date:
        raise _invalid("end_date", gettext("La fin précède le début."))
    if row.origin_organization_id and not _is_party(partnership, row.origin_organization_id):
        raise _invalid(
            "origin_organization",
            gettext("L'organisation d'origine doit être une partie du partenariat."),
        )
    if row.reports_to_id is not None:
        if row.pk is not None and row.reports_to_id == row.pk:
            raise _invalid("reports_to", gettext("Une personne ne se rend pas compte à elle-même."))
        if not StaffAssignment.objects.filter(pk=row.reports_to_id, structure=structure).exists():
            raise _invalid("reports_to", gettext("Choisissez un membre de cette structure."))


def _check_time_share(row: StaffAssignment) -> None:
    """Lock the person, then add up their overlapping assignments (every partnership)."""
    if row.person_id is None or row.start_date is None or row.time_share is None:
        return
    Person.objects.select_for_update().filter(pk=row.person_id).first()
    others = StaffAssignment.objects.filter(person_id=row.person_id)
    if row.pk is not None:
        others = others.exclude(pk=row.pk)
    candidate = rules.Assignment(row.start_date, row.end_date, row.time_share)
    existing = [
        rules.Assignment(start, end, share)
        for start, end, share in others.values_list("start_date", "end_date", "time_share")
    ]
    peak = rules.peak_with(candidate, existing)
    if peak > rules.FULL_TIME:
        raise _invalid(
            "time_share",
            gettext("Avec ses autres affectations sur la même période, %(person)s serait "
                    "occupé·e à %(peak)s %% : le total ne peut dépasser 100 %%.")
            % {"person": row.person, "peak": f"{peak.normalize():f}"},
        )  # fmt: skip


@transaction.atomic
def staff_add(
    *, by: Actor, structure: ManagementStructure, fields: Mapping[str, object]
) -> StaffAssignment:
    require(by, Perm.STRUCTURE_CHANGE, structure.partnership)
    row = assign_fields(StaffAssignment(structure=structure), fields, allowed=STAFF_FIELDS)
    _check_staff(row, structure)
    _check_time_share(row)
    return clean_and_save(row)


@transaction.atomic
def staff_update(
    *, by: Actor, assignment: StaffAssignment, fields: Mapping[str, object]
) -> StaffAssignment:
    structure = assignment.structure
    require(by, Perm.STRUCTURE_CHANGE, structure.partnership)
    row = StaffAssignment.objects.select_for_update().get(pk=assignment.pk)
    assign_fields(row, fields, allowed=STAFF_FIELDS)
    _check_staff(row, structure)
    _check_time_share(row)
    return clean_and_save(row)


@transaction.atomic
def staff_remove(*, by: Actor, assignment: StaffAssignment) -> None:
    """Remove an assignment recorded by mistake (one that ended is kept: set its end)."""
    require(by, Perm.STRUCTURE_CHANGE, assignment.structure.partnership)
    StaffAssignment.objects.filter(reports_to=assignment).update(reports_to=None)
    assignment.delete()


# --- Delegations -----------------------------------------------------------------------------


def _check_delegation(delegation: Delegation, activities: Iterable[Activity] | None) -> None:
    partnership = delegation.partnership
    decision = delegation.decision if delegation.decision_id else None
    if decision is not None:
        decision_require(
            decision,
            partnership_id=partnership.pk,
            kind=DecisionKindChoice.DELEGATION,
            wrong_kind=gettext("La décision %(number)s n'est pas une délégation (%(kind)s)."),
        )
    if delegation.delegate_id and not _is_party(partnership, delegation.delegate_id):
        raise _invalid(
            "delegate", gettext("On ne délègue qu'à une organisation partie au partenariat.")
        )
    if (
        delegation.start_date
        and delegation.end_date
        and delegation.end_date < delegation.start_date
    ):
        raise _invalid("end_date", gettext("La fin précède le début."))
    if activities is not None:
        for activity in activities:
            if activity.version.plan.partnership_id != partnership.pk:
                raise _invalid(
                    "activities",
                    gettext("L'activité %(code)s n'appartient pas au plan de ce partenariat.")
                    % {"code": activity.code},
                )


@transaction.atomic
def delegation_create(
    *,
    by: Actor,
    partnership: Partnership,
    fields: Mapping[str, object],
    activities: Iterable[Activity] = (),
) -> Delegation:
    """Record a delegation decided by the board (a decision of kind ``delegation``)."""
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    delegation = assign_fields(Delegation(partnership=partnership), fields,
                               allowed=DELEGATION_FIELDS)  # fmt: skip
    chosen = list(activities)
    _check_delegation(delegation, chosen)
    clean_and_save(delegation)
    delegation.activities.set(chosen)
    return delegation


@transaction.atomic
def delegation_update(
    *,
    by: Actor,
    delegation: Delegation,
    fields: Mapping[str, object],
    activities: Iterable[Activity] | None = None,
) -> Delegation:
    require(by, Perm.STRUCTURE_CHANGE, delegation.partnership)
    partnership = delegation.partnership
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    delegation.partnership = partnership
    assign_fields(delegation, fields, allowed=DELEGATION_FIELDS)
    chosen = list(activities) if activities is not None else None
    _check_delegation(delegation, chosen)
    clean_and_save(delegation)
    if chosen is not None:
        delegation.activities.set(chosen)
    return delegation


@transaction.atomic
def delegation_delete(*, by: Actor, delegation: Delegation) -> None:
    """Remove a delegation recorded by mistake (the board's decision stays)."""
    require(by, Perm.STRUCTURE_CHANGE, delegation.partnership)
    delegation.activities.clear()
    delegation.delete()


# --- Assets ----------------------------------------------------------------------------------


@transaction.atomic
def asset_create(*, by: Actor, partnership: Partnership, fields: Mapping[str, object]) -> Asset:
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    asset = assign_fields(Asset(partnership=partnership), fields, allowed=ASSET_FIELDS)
    _check_asset(asset)
    return clean_and_save(asset)


@transaction.atomic
def asset_update(*, by: Actor, asset: Asset, fields: Mapping[str, object]) -> Asset:
    require(by, Perm.STRUCTURE_CHANGE, asset.partnership)
    partnership = asset.partnership
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    asset.partnership = partnership
    assign_fields(asset, fields, allowed=ASSET_FIELDS)
    _check_asset(asset)
    return clean_and_save(asset)


def _check_asset(asset: Asset) -> None:
    if asset.provided_by_id and not _is_party(asset.partnership, asset.provided_by_id):
        raise _invalid(
            "provided_by",
            gettext("Le bien est mis à disposition par une partie du partenariat."),
        )


@transaction.atomic
def asset_delete(*, by: Actor, asset: Asset) -> None:
    require(by, Perm.STRUCTURE_CHANGE, asset.partnership)
    for document in asset.documents.all():
        _delete_file_on_commit(document.file)
    asset.delete()


def _delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the deletion of its row is committed: a rolled-back
    deletion keeps both the row and its file."""
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _upload_error(problem: UploadProblem) -> DomainError:
    if problem is UploadProblem.EMPTY:
        return DomainError(Code.DOCUMENT_EMPTY, gettext("Le fichier est vide."), field="file")
    return DomainError(
        Code.DOCUMENT_TYPE,
        gettext("Formats acceptés : PDF, JPEG ou PNG (le contenu doit correspondre à "
                "l'extension)."),
        field="file",
    )  # fmt: skip


@transaction.atomic
def asset_document_add(
    *, by: Actor, asset: Asset, title: str, upload: UploadedFile[bytes]
) -> AssetDocument:
    """Attach a PDF, JPEG or PNG (``SHARAKA_MAX_UPLOAD_MB`` at most) to an asset."""
    require(by, Perm.STRUCTURE_CHANGE, asset.partnership)
    name = upload.name or ""
    size = upload.size or 0
    check_upload_size(upload, field="file", label=gettext("Fichier"), code=Code.DOCUMENT_SIZE)
    problem = document_problem(upload)
    if problem is not UploadProblem.NONE:
        raise _upload_error(problem)
    extension = name.rsplit(".", 1)[-1].lower()
    document = AssetDocument(
        asset=asset,
        title=title.strip() or name,
        original_name=name[:255],
        content_type=DOCUMENT_FORMATS[extension],
        size=size,
        uploaded_by=signed_in(by),
    )
    document.file.save(name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def asset_document_remove(*, by: Actor, document: AssetDocument, asset: Asset) -> None:
    require(by, Perm.STRUCTURE_CHANGE, asset.partnership)
    _delete_file_on_commit(document.file)
    document.delete()
