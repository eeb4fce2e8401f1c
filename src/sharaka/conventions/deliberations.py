"""Council deliberations on a convention and the governor's oversight of them
(law 113-14 arts 92, 94 and 118; ADR 0021, ADR 0033): the deliberation approving a version,
its transmission, the oversight's outcome and the financial visa.

The convention's lifecycle reads them (``services.deliberations_missing``) before entry into
force; the pages, the API and the CLI import these writes from ``services`` too.
"""

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from sharaka.conventions.error_codes import ConventionErrorCode as Code
from sharaka.conventions.models import (
    Deliberation,
    OversightOutcome,
    VersionStatus,
    VisaOutcome,
)
from sharaka.conventions.rules import oversight
from sharaka.core.access import Perm, require
from sharaka.core.documents import UploadProblem
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.directory.models import AUTHORITY_KINDS
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import Party

#: Versions a council may approve: any, the draft included (a council deliberates on the
#: convention before its president signs it, law 113-14 arts 92 and 94); the lifecycle
#: counts the deliberation once that version is the current signed one (ADR 0021).
APPROVABLE = tuple(VersionStatus)


def oversight_steps(deliberation: Deliberation) -> oversight.Steps:
    return oversight.Steps(
        session=deliberation.session_date,
        transmitted=deliberation.transmitted_on,
        oversight=oversight.Oversight(deliberation.oversight),
        financial_effect=deliberation.financial_effect,
        visa=oversight.Visa(deliberation.visa),
    )


def _check_deliberation(deliberation: Deliberation) -> None:
    """Every refusal names its field; the first one found is raised."""
    party = deliberation.party
    if party.organization.kind not in AUTHORITY_KINDS:
        raise DomainError(
            Code.DELIBERATION_NOT_PUBLIC,
            gettext("Seule une collectivité partie délibère en conseil sur la convention."),
            field="party",
        )
    version = deliberation.version
    if version.convention.partnership_id != party.partnership_id:
        raise DomainError(
            Code.DELIBERATION_VERSION,
            gettext("La délibération approuve une version de la convention de ce partenariat."),
            field="version",
        )
    sent = deliberation.transmitted_on
    if sent is not None and sent < deliberation.session_date:
        raise DomainError(
            Code.DELIBERATION_DATES,
            gettext("La transmission au gouverneur ne peut précéder la séance."),
            field="transmitted_on",
        )
    answered = (
        deliberation.oversight != OversightOutcome.PENDING
        or deliberation.visa != VisaOutcome.PENDING
    )
    if sent is None and answered:
        raise DomainError(
            Code.DELIBERATION_DATES,
            gettext("La tutelle ne répond qu'à une délibération transmise : saisissez la date "
                    "de transmission."),
            field="transmitted_on",
        )  # fmt: skip
    objected = deliberation.oversight in (
        OversightOutcome.OBJECTION,
        OversightOutcome.OBJECTION_SETTLED,
    )
    if objected and not deliberation.objection_follow_up.strip():
        raise DomainError(
            Code.DELIBERATION_FOLLOW_UP,
            gettext("Décrivez la suite donnée à l'opposition (seconde délibération, tribunal "
                    "administratif)."),
            field="objection_follow_up",
        )  # fmt: skip
    if not deliberation.financial_effect and deliberation.visa != VisaOutcome.PENDING:
        raise DomainError(
            Code.DELIBERATION_VISA,
            gettext("Le visa ne concerne qu'une délibération à incidence financière."),
            field="visa",
        )


def _attach_document(deliberation: Deliberation, upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    check_upload_size(
        upload, field="document", label=gettext("Document"), code=Code.DELIBERATION_DOCUMENT_SIZE
    )
    if document_problem(upload) is not UploadProblem.NONE:
        raise DomainError(
            Code.DELIBERATION_DOCUMENT_TYPE,
            gettext("Formats acceptés : PDF, JPEG ou PNG (le contenu doit correspondre à "
                    "l'extension)."),
            field="document",
        )  # fmt: skip
    deliberation.document_name = name[:255]
    deliberation.document.save(name, upload, save=False)


_DELIBERATION_FIELDS = (
    "version", "number", "session_date", "transmitted_on", "oversight",
    "objection_follow_up", "financial_effect", "visa",
)  # fmt: skip


def _save_deliberation(deliberation: Deliberation, fields: Mapping[str, Any]) -> Deliberation:
    for name in _DELIBERATION_FIELDS:
        if name in fields:
            setattr(deliberation, name, fields[name])
    deliberation.number = (deliberation.number or "").strip()
    deliberation.objection_follow_up = (deliberation.objection_follow_up or "").strip()
    for name, label in (
        ("version", gettext("La version approuvée")),
        ("number", gettext("Le numéro de la délibération")),
        ("session_date", gettext("La date de la séance")),
    ):
        if not getattr(deliberation, name if name != "version" else "version_id"):
            raise DomainError(
                Code.DELIBERATION_REQUIRED, gettext("Champ requis : %(what)s.") % {"what": label},
                field=name,
            )  # fmt: skip
    _check_deliberation(deliberation)
    duplicate = (
        Deliberation.objects.filter(party=deliberation.party, version=deliberation.version)
        .exclude(pk=deliberation.pk)
        .exists()
    )
    if duplicate:
        raise DomainError(
            Code.DELIBERATION_EXISTS,
            gettext("Une délibération de cette partie approuve déjà cette version."),
            field="version",
        )
    calendar = calendars_get([deliberation.party.organization_id])[
        deliberation.party.organization_id
    ]
    waiting, due = oversight.waiting(oversight_steps(deliberation), calendar)
    deliberation.waiting_for, deliberation.due_on = str(waiting), due
    upload = fields.get("document")
    if upload:
        _attach_document(deliberation, upload)
    deliberation.save()
    return deliberation


@transaction.atomic
def deliberation_record(*, by: Actor, party: Party, fields: Mapping[str, Any]) -> Deliberation:
    """Record a public party's council deliberation approving a signed convention version,
    with what is known of its transmission and oversight."""
    require(by, Perm.CONVENTION_CHANGE, party.partnership)
    return _save_deliberation(Deliberation(party=party), fields)


@transaction.atomic
def deliberation_update(
    *, by: Actor, deliberation: Deliberation, fields: Mapping[str, Any]
) -> Deliberation:
    """Complete or correct a deliberation: its transmission, the governor's answers."""
    require(by, Perm.CONVENTION_CHANGE, deliberation.party.partnership)
    return _save_deliberation(deliberation, fields)
