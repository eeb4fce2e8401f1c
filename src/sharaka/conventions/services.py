"""Convention writes: drafting from the catalogue, clauses, signatories, the version
lifecycle (signature, entry into force, end), amendments and the scanned signed copy.

Every service checks the access policy first, then refuses any change to a signed version
(the models refuse it once more on ``save()``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language, gettext

from sharaka.conventions import catalogue, rules
from sharaka.conventions.deliberations import (  # the writes are re-exported from here
    APPROVABLE as APPROVABLE,
)
from sharaka.conventions.deliberations import (
    deliberation_record as deliberation_record,
)
from sharaka.conventions.deliberations import (
    deliberation_update as deliberation_update,
)
from sharaka.conventions.deliberations import oversight_steps as oversight_steps
from sharaka.conventions.engine import balance_findings
from sharaka.conventions.error_codes import ConventionErrorCode as Code
from sharaka.conventions.models import (
    EDITABLE,
    Clause,
    Convention,
    ConventionVersion,
    Deliberation,
    Signatory,
    VersionStatus,
)
from sharaka.conventions.rules import oversight
from sharaka.core.access import Perm, require, signed_in
from sharaka.core.bounds import POSITION_MAX
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size
from sharaka.directory.models import AUTHORITY_KINDS, Organization, Person
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import Partnership, Party

SIGNED_COPY_TYPES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def active_lang() -> str:
    """The user's language among fr/ar/en (French when unknown)."""
    lang = (get_language() or "fr")[:2]
    return lang if lang in catalogue.LANGS else "fr"


def _param_errors(error: rules.ParamErrors) -> ValidationFailed:
    lang = active_lang()
    errors = {field: [m.get(lang) for m in messages] for field, messages in error.errors.items()}
    first_field, first_messages = next(iter(errors.items()))
    return ValidationFailed(
        gettext("Paramètres invalides — %(detail)s") % {"detail": first_messages[0]},
        {first_field: first_messages, **errors},
    )


def _check_editable(version: ConventionVersion) -> None:
    if version.status not in EDITABLE:
        raise DomainError(
            Code.VERSION_LOCKED,
            gettext("%(version)s est signée : son texte ne change plus. Pour la modifier, "
                    "préparez un avenant.") % {"version": version.label},
        )  # fmt: skip


def _lock(version: ConventionVersion) -> ConventionVersion:
    return (
        ConventionVersion.objects.select_for_update()
        .select_related("convention__partnership")
        .get(pk=version.pk)
    )


def _editable(by: Actor, version: ConventionVersion) -> ConventionVersion:
    """``version``, locked, if ``by`` may change the convention and its text still may."""
    require(by, Perm.CONVENTION_CHANGE, version.convention.partnership)
    version = _lock(version)
    _check_editable(version)
    return version


def clause_data(clause: Clause) -> rules.ClauseData:
    return rules.ClauseData(
        key=clause.key,
        code=clause.code,
        order=clause.order,
        params=clause.params or {},
        titles=clause.titles,
        texts=clause.texts,
    )


# --- Drafting from the catalogue -----------------------------------------------------------


def _party_organizations(partnership: Partnership) -> list[Organization]:
    seen: dict[int, Organization] = {partnership.lead_authority_id: partnership.lead_authority}
    for party in partnership.parties.select_related("organization").order_by("role", "pk"):
        seen.setdefault(party.organization_id, party.organization)
    return list(seen.values())


def starting_params(code: str, partnership: Partnership) -> dict[str, Any]:
    """Catalogue defaults, completed with what the partnership already says (its parties,
    its lead authority's country)."""
    spec = catalogue.spec_for(code)
    params = spec.defaults()
    organizations = _party_organizations(partnership)
    lead = partnership.lead_authority
    if code == "board":
        params["composition"] = [
            {"organization": org.name,
             "college": org.default_college if org.default_college in dict(catalogue.COLLEGES)
             else "experts",
             "seats": 2, "voting": True, "women": 1}
            for org in organizations
        ]  # fmt: skip
    elif code == "termination":
        share = Fraction(1, len(organizations))
        params["sharing_key"] = [
            {"organization": org.name, "share": rules.fraction_text(share)} for org in organizations
        ]
    elif code == "commitments":
        params["commitments"] = [
            {"organization": lead.name, "nature": "in_kind",
             "description": gettext("Mise à disposition de l'équipement ou des moyens du "
                                    "programme")}
        ]  # fmt: skip
    elif code == "legal_framework":
        country = lead.country if lead.country in catalogue.LEGAL_REFERENCES else "other"
        params["country"] = country
        params["references"] = catalogue.LEGAL_REFERENCES[country]
    elif code == "object" and partnership.title:
        params["object"] = {"fr": partnership.title[:1].lower() + partnership.title[1:]}
    elif code == "funding":
        from django.conf import settings

        params["currency"] = getattr(settings, "SHARAKA_CURRENCY", "MAD")
    return params


@transaction.atomic
def convention_create(*, by: Actor, partnership: Partnership, reference: str = "") -> Convention:
    """Open the convention of ``partnership`` with a first draft (version 0) holding every
    mandatory clause of the catalogue, filled with defaults to adjust."""
    require(by, Perm.CONVENTION_CHANGE, partnership)
    if Convention.objects.filter(partnership=partnership).exists():
        raise DomainError(Code.CONVENTION_EXISTS,
                          gettext("Ce partenariat a déjà sa convention."))  # fmt: skip
    convention = Convention.objects.create(partnership=partnership, reference=reference[:100])
    version = ConventionVersion.objects.create(convention=convention, number=0)
    for code in catalogue.mandatory_codes(partnership.kind):
        Clause.objects.create(
            version=version, key=code, code=code, order=catalogue.DEFAULT_ORDER[code],
            params=starting_params(code, partnership),
        )  # fmt: skip
    return convention


# --- Clauses -------------------------------------------------------------------------------

_TEXT_FIELDS = tuple(f"{kind}_{lang}" for kind in ("title", "text") for lang in catalogue.LANGS)


def _apply_texts(clause: Clause, texts: Mapping[str, str] | None) -> None:
    for name, value in (texts or {}).items():
        if name not in _TEXT_FIELDS:
            raise ValidationFailed(gettext("Champ inconnu : %(field)s") % {"field": name},
                                   {name: [gettext("Champ inconnu.")]})  # fmt: skip
        limit = 200 if name.startswith("title") else 20000
        value = (value or "").strip()
        if len(value) > limit:
            raise ValidationFailed(
                gettext("Texte trop long : %(field)s") % {"field": name},
                {name: [gettext("%(n)s caractères au plus.") % {"n": limit}]},
            )
        setattr(clause, name, value)


@transaction.atomic
def clause_add(
    *,
    by: Actor,
    version: ConventionVersion,
    code: str,
    params: Mapping[str, object] | None = None,
    texts: Mapping[str, str] | None = None,
    order: int | None = None,
) -> Clause:
    """Add a clause of the catalogue (``params`` None: its defaults) or a free article."""
    partnership = version.convention.partnership
    require(by, Perm.CONVENTION_CHANGE, partnership)
    version = _lock(version)
    _check_editable(version)
    if code not in catalogue.BY_CODE:
        raise ValidationFailed(
            gettext("Clause inconnue : %(code)s") % {"code": code},
            {"code": [gettext("Choisissez une clause du catalogue.")]},
        )
    spec = catalogue.spec_for(code)
    if not spec.repeatable and version.clauses.filter(code=code).exists():
        raise DomainError(
            Code.CLAUSE_DUPLICATE,
            gettext("La clause « %(title)s » figure déjà dans cette version.")
            % {"title": spec.title.get(active_lang())},
            field="code",
        )
    try:
        cleaned = rules.validate_params(
            spec, params if params is not None else starting_params(code, partnership)
        )
    except rules.ParamErrors as error:
        raise _param_errors(error) from None
    if spec.repeatable:
        numbers = [int(k.split("-", 1)[1]) for k in version.clauses.filter(code=code)
                   .values_list("key", flat=True) if k.split("-", 1)[1].isdigit()]  # fmt: skip
        key = f"{code}-{max(numbers, default=0) + 1}"
    else:
        key = code
    if order is None:
        highest = version.clauses.aggregate(m=Max("order"))["m"] or 0
        order = catalogue.DEFAULT_ORDER[code] if not spec.repeatable else highest + 10
    _check_order(order)
    clause = Clause(version=version, key=key, code=code, order=order, params=cleaned)
    _apply_texts(clause, texts)
    if code == "custom" and not clause.title_fr:
        raise ValidationFailed(gettext("Un article libre a besoin d'un titre en français."),
                               {"title_fr": [gettext("Ce champ est obligatoire.")]})  # fmt: skip
    try:
        with transaction.atomic():
            clause.save()
    except IntegrityError:
        raise DomainError(Code.CLAUSE_DUPLICATE, gettext("Cette clause existe déjà."),
                          field="code") from None  # fmt: skip
    return clause


def _check_order(order: int) -> None:
    """A clause's position is a whole number from 0 to ``POSITION_MAX``."""
    if not 0 <= order <= POSITION_MAX:
        raise ValidationFailed(
            gettext("Position invalide."),
            {"order": [gettext("Un nombre entier de 0 à %(max)d.") % {"max": POSITION_MAX}]},
        )


@transaction.atomic
def clause_update(
    *,
    by: Actor,
    clause: Clause,
    params: Mapping[str, object] | None = None,
    merge: bool = False,
    texts: Mapping[str, str] | None = None,
    order: int | None = None,
) -> Clause:
    """Change a clause's parameters (all of them, or with ``merge`` only those given; a
    ``None`` value then removes one), its texts or its position."""
    _editable(by, clause.version)
    clause = Clause.objects.get(pk=clause.pk)
    spec = catalogue.spec_for(clause.code)
    if params is not None:
        raw = dict(params)
        if merge:
            raw = {**(clause.params or {}), **raw}
            raw = {k: v for k, v in raw.items() if v is not None}
        try:
            clause.params = rules.validate_params(spec, raw)
        except rules.ParamErrors as error:
            raise _param_errors(error) from None
    _apply_texts(clause, texts)
    if clause.code == "custom" and not clause.title_fr:
        raise ValidationFailed(gettext("Un article libre a besoin d'un titre en français."),
                               {"title_fr": [gettext("Ce champ est obligatoire.")]})  # fmt: skip
    if order is not None:
        _check_order(order)
        clause.order = order
    clause.save()
    return clause


@transaction.atomic
def clause_remove(*, by: Actor, clause: Clause) -> None:
    _editable(by, clause.version)
    clause.delete()


# --- Signatories ---------------------------------------------------------------------------


@transaction.atomic
def signatory_add(
    *,
    by: Actor,
    version: ConventionVersion,
    organization: Organization,
    person: Person,
    capacity: str,
    mandate_reference: str = "",
    signed_on: date | None = None,
) -> Signatory:
    version = _editable(by, version)
    capacity = (capacity or "").strip()
    if not capacity:
        raise ValidationFailed(gettext("Indiquez la qualité du signataire."),
                               {"capacity": [gettext("Ce champ est obligatoire.")]})  # fmt: skip
    if Signatory.objects.filter(version=version, organization=organization,
                                person=person).exists():  # fmt: skip
        raise DomainError(
            Code.SIGNATORY_DUPLICATE,
            gettext("%(person)s signe déjà pour %(org)s.") % {"person": person,
                                                             "org": organization},
            field="person",
        )  # fmt: skip
    highest = version.signatories.aggregate(m=Max("order"))["m"] or 0
    return Signatory.objects.create(
        version=version, organization=organization, person=person, capacity=capacity[:200],
        mandate_reference=(mandate_reference or "").strip()[:300], signed_on=signed_on,
        order=highest + 1,
    )  # fmt: skip


@transaction.atomic
def signatory_remove(*, by: Actor, signatory: Signatory) -> None:
    _editable(by, signatory.version)
    signatory.delete()


# --- Lifecycle -----------------------------------------------------------------------------


def version_problems(
    version: ConventionVersion, clauses: list[Clause] | None = None
) -> list[rules.Problem]:
    if clauses is None:
        clauses = list(version.clauses.all())
    return rules.completeness(
        [clause_data(c) for c in clauses],
        partnership_kind=version.convention.partnership.kind,
        balance_fn=balance_findings,
    )


def version_hash(
    version: ConventionVersion,
    clauses: list[Clause] | None = None,
    signatories: list[Signatory] | None = None,
) -> str:
    """SHA-256 of the version's text: clauses, signatories, number, purpose."""
    if clauses is None:
        clauses = list(version.clauses.all())
    if signatories is None:
        signatories = list(version.signatories.select_related("organization", "person")
                           .order_by("order", "pk"))  # fmt: skip
    people = [
        {"organization": s.organization.name, "person": str(s.person), "capacity": s.capacity,
         "mandate": s.mandate_reference, "signed_on": s.signed_on}
        for s in sorted(signatories, key=lambda s: (s.order, s.pk))
    ]  # fmt: skip
    meta = {
        "partnership": version.convention.partnership.slug,
        "number": version.number,
        "based_on": version.based_on.number if version.based_on else None,
        "purpose": version.purpose,
    }
    return rules.content_hash([clause_data(c) for c in clauses], meta=meta, signatories=people)


def _refuse_transition(version: ConventionVersion, target: str) -> DomainError:
    labels = dict(VersionStatus.choices)
    return DomainError(
        Code.TRANSITION_NOT_ALLOWED,
        gettext("%(version)s « %(from)s » ne peut pas passer à « %(to)s ».")
        % {"version": version.label, "from": labels.get(version.status, version.status),
           "to": labels.get(target, target)},
        field="to_status",
    )  # fmt: skip


@transaction.atomic
def version_transition(
    *,
    by: Actor,
    version: ConventionVersion,
    to_status: str,
    on: date | None = None,
    effective_date: date | None = None,
) -> ConventionVersion:
    """Move a version along draft → under negotiation → signed → in force → ended.

    Signing requires a complete convention and at least one signatory; it stamps each
    signatory's date (``on``, today by default) and stores the content hash. Entering into
    force ends the version it replaces on the same date.
    """
    partnership = version.convention.partnership
    try:
        target = rules.Status(to_status)
    except ValueError:
        raise _refuse_transition(version, to_status) from None
    perm = (
        Perm.CONVENTION_SIGN
        if target in {rules.Status.SIGNED, rules.Status.IN_FORCE, rules.Status.ENDED}
        else Perm.CONVENTION_CHANGE
    )
    require(by, perm, partnership)  # fmt: skip
    given = version
    version = _lock(version)
    current = rules.Status(version.status)
    if target not in rules.allowed_next(current):
        raise _refuse_transition(version, target)
    day = on or timezone.localdate()
    if target is rules.Status.SIGNED:
        _sign(by, version, day, effective_date)
    elif target is rules.Status.IN_FORCE:
        if version.effective_date and effective_date and effective_date != version.effective_date:
            raise DomainError(
                Code.EFFECTIVE_DATE_ORDER,
                gettext("La date d'effet fixée à la signature (%(date)s) ne change plus.")
                % {"date": version.effective_date.strftime("%d/%m/%Y")},
                field="effective_date",
            )
        _check_deliberations(version)
        _enter_into_force(version, version.effective_date or effective_date)
    elif target is rules.Status.ENDED:
        version.effective_date = version.effective_date or day
        version.ended_on = max(day, version.effective_date)
    version.status = target.value
    version.save()
    for name in ("status", "effective_date", "ended_on", "signed_at", "signed_by",
                 "content_hash"):  # fmt: skip
        setattr(given, name, getattr(version, name))
    return version


def _sign(by: Actor, version: ConventionVersion, day: date, effective_date: date | None) -> None:
    errors = rules.errors_only(version_problems(version))
    if errors:
        lang = active_lang()
        raise DomainError(
            Code.INCOMPLETE,
            gettext("La convention ne peut pas être signée : %(count)s problème(s) à corriger "
                    "(%(first)s).") % {"count": len(errors), "first": errors[0].text(lang)},
        )  # fmt: skip
    signatories = list(version.signatories.all())
    if not signatories:
        raise DomainError(Code.NO_SIGNATORY,
                          gettext("Ajoutez au moins un signataire avant de signer."))  # fmt: skip
    for signatory in signatories:
        if signatory.signed_on is None:
            signatory.signed_on = day
            signatory.save(update_fields=["signed_on"])
    if effective_date is not None:
        _check_effective_date(version, effective_date)
        version.effective_date = effective_date
    version.signed_at = timezone.now()
    version.signed_by = signed_in(by)
    version.content_hash = version_hash(version)


def _check_effective_date(version: ConventionVersion, effective_date: date) -> None:
    previous = version.based_on
    if (
        previous is not None
        and previous.effective_date
        and effective_date <= (previous.effective_date)
    ):
        raise DomainError(
            Code.EFFECTIVE_DATE_ORDER,
            gettext("La date d'effet doit suivre celle de la version modifiée (%(date)s).")
            % {"date": previous.effective_date.strftime("%d/%m/%Y")},
            field="effective_date",
        )


def deliberations_missing(version: ConventionVersion) -> list[str]:
    """What each public party still lacks before ``version`` may enter into force (law
    113-14 arts 92, 116-118): its council deliberation approving this version, its
    transmission to the governor, the oversight cleared (and the visa where the deliberation
    has a financial effect: granted, or deemed granted after 20 days). Three queries."""
    parties = list(
        Party.objects.filter(
            partnership_id=version.convention.partnership_id,
            organization__kind__in=AUTHORITY_KINDS,
        )
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    recorded = {d.party_id: d for d in Deliberation.objects.filter(version=version)}
    calendars = calendars_get([party.organization_id for party in parties])
    today = timezone.localdate()
    missing: list[str] = []
    for party in parties:
        name = party.organization.name
        deliberation = recorded.get(party.pk)
        if deliberation is None:
            missing.append(gettext("%(party)s : délibération du conseil non enregistrée")
                           % {"party": name})  # fmt: skip
            continue
        steps = oversight_steps(deliberation)
        calendar = calendars[party.organization_id]
        state = oversight.state(steps, calendar, today)
        if state is oversight.State.TO_TRANSMIT:
            text = gettext("%(party)s : transmission au gouverneur non enregistrée")
        elif state is oversight.State.OBJECTION:
            text = gettext("%(party)s : opposition du gouverneur non réglée")
        elif state is oversight.State.VISA_REFUSED:
            text = gettext("%(party)s : visa du gouverneur refusé")
        elif state is oversight.State.AWAITING_ANSWER:
            due = oversight.next_due(steps, calendar, today)
            text = gettext("%(party)s : contrôle de tutelle en cours (jusqu'au %(date)s)")
            missing.append(text % {"party": name,
                                   "date": due.strftime("%d/%m/%Y") if due else "—"})  # fmt: skip
            continue
        else:
            continue
        missing.append(text % {"party": name})
    return missing


def _check_deliberations(version: ConventionVersion) -> None:
    missing = deliberations_missing(version)
    if missing:
        raise DomainError(
            Code.DELIBERATIONS_INCOMPLETE,
            gettext("%(version)s ne peut pas entrer en vigueur avant les délibérations et le "
                    "contrôle de tutelle : %(missing)s.")
            % {"version": version.label, "missing": " ; ".join(missing)},
            field="to_status",
        )  # fmt: skip


def _enter_into_force(version: ConventionVersion, effective_date: date | None) -> None:
    if effective_date is None:
        raise DomainError(Code.EFFECTIVE_DATE_REQUIRED,
                          gettext("Indiquez la date d'effet."), field="effective_date")  # fmt: skip
    _check_effective_date(version, effective_date)
    version.effective_date = effective_date
    replaced = (
        ConventionVersion.objects.select_for_update()
        .filter(convention=version.convention, status=VersionStatus.IN_FORCE)
        .exclude(pk=version.pk)
    )
    for old in replaced:
        old.status = VersionStatus.ENDED
        old.ended_on = max(effective_date, old.effective_date or effective_date)
        old.save()


@transaction.atomic
def amendment_create(*, by: Actor, convention: Convention, purpose: str = "") -> ConventionVersion:
    """A new draft (avenant) copying the clauses of the version in force."""
    require(by, Perm.CONVENTION_CHANGE, convention.partnership)
    Convention.objects.select_for_update().filter(pk=convention.pk).first()
    if convention.versions.filter(status__in=list(EDITABLE)).exists():
        raise DomainError(
            Code.OPEN_DRAFT_EXISTS,
            gettext("Une version est déjà en préparation : terminez-la avant d'ouvrir un "
                    "nouvel avenant."),
        )  # fmt: skip
    base = convention.versions.filter(status=VersionStatus.IN_FORCE).order_by("-number").first()
    if base is None:
        raise DomainError(
            Code.AMENDMENT_NEEDS_VERSION_IN_FORCE,
            gettext("Un avenant modifie la version en vigueur ; aucune version n'est en "
                    "vigueur."),
        )  # fmt: skip
    number = (convention.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = ConventionVersion.objects.create(
        convention=convention, number=number, based_on=base, purpose=purpose.strip()
    )
    Clause.objects.bulk_create(
        Clause(version=draft, key=c.key, code=c.code, order=c.order, params=c.params,
               **{name: getattr(c, name) for name in _TEXT_FIELDS})
        for c in base.clauses.all()
    )  # fmt: skip
    for s in base.signatories.all():
        Signatory.objects.create(
            version=draft, organization_id=s.organization_id, person_id=s.person_id,
            capacity=s.capacity, mandate_reference=s.mandate_reference, order=s.order,
        )  # fmt: skip
    return draft


@transaction.atomic
def version_update(
    *, by: Actor, version: ConventionVersion, purpose: str | None = None,
    effective_date: date | None = None,
) -> ConventionVersion:  # fmt: skip
    version = _editable(by, version)
    if purpose is not None:
        version.purpose = purpose.strip()
    if effective_date is not None:
        _check_effective_date(version, effective_date)
        version.effective_date = effective_date
    version.save()
    return version


# --- Scanned signed copy -------------------------------------------------------------------


def _check_upload(upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SIGNED_COPY_TYPES:
        raise DomainError(
            Code.SIGNED_COPY_TYPE,
            gettext("Format refusé (%(name)s) : déposez un PDF, un JPEG ou un PNG.")
            % {"name": name or "?"},
            field="signed_copy",
        )
    check_upload_size(
        upload,
        field="signed_copy",
        label=gettext("Copie signée numérisée"),
        code=Code.SIGNED_COPY_SIZE,
    )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in SIGNED_COPY_TYPES[suffix]):
        raise DomainError(
            Code.SIGNED_COPY_TYPE,
            gettext("Le contenu de %(name)s n'est pas un fichier %(type)s valide.")
            % {"name": name, "type": suffix.upper()},
            field="signed_copy",
        )


@transaction.atomic
def signed_copy_upload(
    *, by: Actor, version: ConventionVersion, upload: UploadedFile[bytes]
) -> ConventionVersion:
    """Attach the scanned signed copy (PDF, JPEG or PNG, 10 MB at most) to a signed
    version. A new upload replaces the shown copy; earlier files stay on disk and in the
    version's history."""
    require(by, Perm.CONVENTION_SIGN, version.convention.partnership)
    version = _lock(version)
    if version.status in EDITABLE:
        raise DomainError(
            Code.SIGNED_COPY_NOT_SIGNED,
            gettext("La copie signée se dépose une fois la version signée."),
            field="signed_copy",
        )
    _check_upload(upload)
    version.signed_copy.save(upload.name or "copie.pdf", upload, save=False)
    version.save(update_fields=["signed_copy", "updated_at"])
    return version
