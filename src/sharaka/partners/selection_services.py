"""Writes of partner selection: partner profiles, recorded choices, calls for applications
and the public application. Each checks the right through ``partners.selection_access``
first and is atomic: a refusal (a ``DomainError`` naming the field) changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, signed_in
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.directory.models import College, Organization, OrganizationKind
from sharaka.partners import selection_access as access
from sharaka.partners import selection_rules as rules
from sharaka.partners import selection_selectors as selectors
from sharaka.partners import selectors as file_selectors
from sharaka.partners import tasks
from sharaka.partners.models import AdmissibilityFile, CriterionKind, Evidence
from sharaka.partners.selection_error_codes import SelectionErrorCode as Code
from sharaka.partners.selection_models import (
    Application,
    Call,
    ChoiceDecision,
    Competence,
    PartnerChoice,
    PartnerCompetence,
)
from sharaka.partners.services import _document_type
from sharaka.partnerships.models import Partnership

THROTTLE_WINDOW_SECONDS = 3600


class Throttled(DomainError):
    status = 429


# --- Partner profiles --------------------------------------------------------------------------


@transaction.atomic
def profile_set(
    *, by: Actor, organization: Organization, competence: Competence, level: int,
    reference: str = "", document: UploadedFile[bytes] | None = None,
) -> PartnerCompetence:  # fmt: skip
    """Record (or update) a competence ``organization`` brings, at ``level``, with its
    evidence: a reference text, a document (PDF, PNG, JPEG checked by content), or both."""
    access.require_profiles(by, Perm.ADMISSIBILITY_CHANGE)
    if level not in rules.LEVELS:
        raise DomainError(Code.LEVEL_RANGE, gettext("Niveau : de 1 à 3."), field="level")
    reference = reference.strip()
    line = PartnerCompetence.objects.filter(organization=organization,
                                            competence=competence).first()  # fmt: skip
    if not reference and document is None and not (line and line.document):
        raise DomainError(
            Code.EVIDENCE_REQUIRED,
            gettext("Référence : dites ce qui atteste cette compétence, ou joignez un "
                    "justificatif."),
            field="reference",
        )  # fmt: skip
    content_type = _document_type(document) if document is not None else ""
    line = line or PartnerCompetence(organization=organization, competence=competence)
    line.level = level
    line.reference = reference
    line.recorded_by = signed_in(by)
    if document is not None:
        line.content_type = content_type
        line.original_name = (document.name or "document")[:255]
        line.document.save(document.name or "document", document, save=False)
    line.save()
    return line


@transaction.atomic
def profile_remove(*, by: Actor, line: PartnerCompetence) -> None:
    access.require_profiles(by, Perm.ADMISSIBILITY_CHANGE)
    line.delete()


# --- Choices -----------------------------------------------------------------------------------


@transaction.atomic
def choice_record(
    *, by: Actor, partnership: Partnership, organization: Organization, decision: str,
    reason: str,
) -> PartnerChoice:  # fmt: skip
    """Record that ``by`` chose ``organization`` for ``partnership`` (or set it aside), and
    why, with its coverage of the sector's requirements at that moment. Append-only: a
    later choice on the same organisation supersedes this one."""
    access.require(by, Perm.ADMISSIBILITY_DECIDE, partnership)
    if decision not in ChoiceDecision.values:
        raise DomainError(Code.NOT_CANDIDATE, gettext("Choix : retenue ou écartée."),
                          field="decision")  # fmt: skip
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, gettext("Motif : dites pourquoi."),
                          field="reason")  # fmt: skip
    if organization.pk == partnership.lead_authority_id:
        raise DomainError(
            Code.NOT_CANDIDATE,
            gettext("La collectivité chef de file n'est pas une candidate."),
            field="organization",
        )  # fmt: skip
    requirements = selectors.requirements_for(authority_id=partnership.lead_authority_id,
                                              sector=partnership.sector)  # fmt: skip
    held = selectors.held_by([organization.pk])[organization.pk]
    return PartnerChoice.objects.create(
        partnership=partnership, organization=organization, decision=decision,
        reason=reason.strip(),
        coverage=selectors.percent(rules.coverage(selectors.as_rules(requirements), held)),
        chosen_by=signed_in(by),
    )  # fmt: skip


# --- Calls for applications --------------------------------------------------------------------


@transaction.atomic
def call_open(
    *, by: Actor, partnership: Partnership, title: str, text: str, opens_on: dt.date,
    closes_on: dt.date,
) -> Call:  # fmt: skip
    """Open a call for applications for ``partnership`` (dates inclusive)."""
    access.require(by, Perm.ADMISSIBILITY_DECIDE, partnership)
    if closes_on < opens_on:
        raise DomainError(Code.CALL_DATES, gettext("Clôture : au plus tôt le jour d'ouverture."),
                          field="closes_on")  # fmt: skip
    if closes_on < timezone.localdate():
        raise DomainError(Code.CALL_DATES, gettext("Clôture : cette date est passée."),
                          field="closes_on")  # fmt: skip
    return Call.objects.create(
        partnership=partnership, title=title.strip(), text=text.strip(), opens_on=opens_on,
        closes_on=closes_on, opened_by=signed_in(by),
    )  # fmt: skip


def throttle(*, ip_address: str) -> None:
    """Count an application sent from ``ip_address``; ``Throttled`` (429) beyond
    ``SHARAKA_REQUESTS_PER_IP`` an hour. The cache key holds a digest, never the address."""
    digest = hashlib.sha256(f"application:{ip_address}".encode()).hexdigest()[:32]
    key = f"sharaka:application:{digest}"
    cache.add(key, 0, timeout=THROTTLE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=THROTTLE_WINDOW_SECONDS)
        count = 1
    if count > settings.SHARAKA_REQUESTS_PER_IP:
        raise Throttled(
            Code.THROTTLED,
            gettext("Trop de candidatures envoyées depuis votre adresse : réessayez dans une "
                    "heure."),
        )  # fmt: skip


#: The documents of the public form: form field -> criterion code of the admissibility file.
DOCUMENTS = {"statutes": "statutes", "receipt": "receipt", "bureau_list": "bureau_list"}


def application_submit(
    *, call: Call, fields: dict[str, Any], ip_address: str, on: dt.date | None = None
) -> Application:
    """An association applies to an open call, without an account: the application
    creates its admissibility file with the lead authority (or adds to the existing one),
    its documents waiting there for an officer's check. Throttled per address."""
    throttle(ip_address=ip_address)
    return _submit(call=call, fields=fields, on=on or timezone.localdate())


@transaction.atomic
def _submit(*, call: Call, fields: dict[str, Any], on: dt.date) -> Application:
    if not call.is_open(on):
        raise DomainError(Code.CALL_CLOSED, gettext("Cet appel n'est pas ouvert."))
    authority = call.partnership.lead_authority
    name = " ".join(str(fields["name"]).split())
    organization = Organization.objects.filter(name__iexact=name).first()
    if organization is not None and organization.kind != OrganizationKind.ASSOCIATION:
        raise DomainError(
            Code.NOT_ASSOCIATION,
            gettext("« %(name)s » est inscrite dans l'annuaire et n'est pas une association.")
            % {"name": organization.name},
            field="name",
        )  # fmt: skip
    if organization is None:
        organization = Organization.objects.create(
            name=name, kind=OrganizationKind.ASSOCIATION, default_college=College.ASSOCIATIVE,
            city=str(fields.get("city", "")).strip(), email=fields["contact_email"],
        )  # fmt: skip
    elif Application.objects.filter(call=call, organization=organization).exists():
        raise DomainError(
            Code.ALREADY_APPLIED,
            gettext("« %(name)s » a déjà candidaté à cet appel.") % {"name": organization.name},
            field="name",
        )  # fmt: skip
    criteria = {c.code: c for c in file_selectors.criteria_list(authority_id=authority.pk)}
    checked = {key: _document_type(fields[key]) for key in DOCUMENTS if fields.get(key)}
    file, _created = AdmissibilityFile.objects.get_or_create(
        association=organization, authority=authority
    )
    for key, content_type in checked.items():
        criterion = criteria.get(DOCUMENTS[key])
        if criterion is None or criterion.kind != CriterionKind.DOCUMENT:
            continue
        upload = fields[key]
        piece = Evidence(
            file=file, criterion=criterion, content_type=content_type,
            original_name=(upload.name or "document")[:255], size=upload.size or 0,
        )  # fmt: skip
        piece.document.save(upload.name or "document", upload, save=False)
        piece.save()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, organization=organization, file=file,
                contact_name=str(fields["contact_name"]).strip(),
                contact_email=fields["contact_email"], message=str(fields["message"]).strip(),
                token=secrets.token_urlsafe(32),
            )  # fmt: skip
    except IntegrityError as error:
        raise DomainError(Code.ALREADY_APPLIED, gettext("Déjà candidaté."), field="name") from error
    declared = list(fields.get("competences") or ())
    if declared:
        application.competences.set(declared)
    tasks.application_notify_later(application.pk)
    return application


@transaction.atomic
def applications_seen(*, by: Actor, call: Call) -> int:
    """The officer has seen the call's applications: they leave the to-do list."""
    access.require(by, Perm.ADMISSIBILITY_VIEW, call.partnership)
    return Application.objects.filter(call=call, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
