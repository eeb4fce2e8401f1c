"""API: conventions, their versions and clauses, the rules in force, rendered documents, the
public parties' council deliberations and the oversight dashboard of an authority."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Status

from sharaka.conventions import catalogue, renderers, rules, selectors, services
from sharaka.conventions.models import Clause, Convention, ConventionVersion
from sharaka.core.access import Perm, Role, roles_for
from sharaka.core.bounds import BoundedDate, Id, Position
from sharaka.core.errors import NotFound
from sharaka.core.schemas import Schema

router = Router(tags=["conventions"])


class ParamSchema(Schema):
    name: str
    type: str
    label: str
    required: bool
    default: Any = None
    choices: list[str] = []
    minimum: int | None = None
    maximum: int | None = None
    columns: list[ParamSchema] = []


class CatalogueClause(Schema):
    code: str
    kind: str
    title: str
    mandatory: bool
    repeatable: bool
    params: list[ParamSchema]


class ConventionVersionSummary(Schema):
    number: int
    label: str
    status: str
    effective_date: dt.date | None
    ended_on: dt.date | None
    based_on: int | None
    signed_at: dt.datetime | None
    content_hash: str


class ConventionOut(Schema):
    partnership: str
    reference: str
    versions: list[ConventionVersionSummary]
    in_force_today: int | None


class ClauseOut(Schema):
    key: str
    code: str
    order: int
    title: str
    params: dict[str, Any]
    titles: dict[str, str]
    texts: dict[str, str]


class ProblemOut(Schema):
    code: str
    message: str
    clause: str | None
    param: str | None


class CompletenessOut(Schema):
    complete: bool
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


class SignatoryOut(Schema):
    organization: str
    person: str
    capacity: str
    mandate_reference: str
    signed_on: dt.date | None


class ConventionVersionOut(ConventionVersionSummary):
    purpose: str
    clauses: list[ClauseOut]
    completeness: CompletenessOut
    signatories: list[SignatoryOut]


class RulesOut(Schema):
    date: dt.date
    source: str
    source_label: str
    version: int
    decision_rule: dict[str, Any]
    decision_text: str
    balance_policy: dict[str, Any]
    notice_period_days: int
    second_convocation_quorum: str | None
    gender_target: str
    expense_tolerance: str
    plan_adoption_deadline_days: int | None
    audit_frequency_months: int | None
    evaluation_frequency_months: int | None
    termination: dict[str, Any]


class ClauseIn(Schema):
    code: str = Field(..., max_length=40)
    params: dict[str, Any] | None = None
    texts: dict[str, str] | None = None
    order: Position | None = None


class ClausePatch(Schema):
    params: dict[str, Any] | None = Field(
        None, description="Parameters to change; a null value removes one."
    )
    texts: dict[str, str] | None = None
    order: Position | None = None


class DeliberationOut(Schema):
    id: int
    number: str
    version: int
    session_date: dt.date
    has_document: bool
    transmitted_on: dt.date | None
    transmission_due: dt.date
    transmission_overdue: bool
    oversight: str
    objection_follow_up: str
    objection_end: dt.date | None
    financial_effect: bool
    visa: str
    visa_deemed_on: dt.date | None
    visa_deemed_granted: bool
    state: str
    waiting_for: str
    due_on: dt.date | None


class PartyDeliberationsOut(Schema):
    party: int
    organization: str
    role: str
    current_version_cleared: bool
    deliberations: list[DeliberationOut]


class DeliberationsOut(Schema):
    partnership: str
    current_version: int | None
    parties: list[PartyDeliberationsOut]


class WaitingOut(Schema):
    id: int
    partnership: str
    number: str
    version: int
    session_date: dt.date
    waiting_for: str
    due_on: dt.date
    overdue: bool


class OversightOut(Schema):
    authority: int
    authority_name: str
    today: dt.date
    items: list[WaitingOut]
    next_after: str = Field(..., description="Key of the next page; empty on the last page.")


class OversightQuery(Schema):
    authority: Id | None = Field(None, description="Required for the platform administrator.")
    after: str = Field("", max_length=40)


class RulesQuery(Schema):
    date: BoundedDate | None = None


class Format(StrEnum):
    PDF = "pdf"
    DOCX = "docx"


class Lang(StrEnum):
    FR = "fr"
    AR = "ar"
    EN = "en"


class RenderQuery(Schema):
    format: Format = Format.PDF
    lang: Lang = Lang.FR


def _param_schema(param: catalogue.Param, lang: str) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.type.value,
        "label": param.label.get(lang),
        "required": param.required,
        "default": param.default,
        "choices": [code for code, _label in param.choices],
        "minimum": param.minimum,
        "maximum": param.maximum,
        "columns": [_param_schema(c, lang) for c in param.columns],
    }


def _summary(version: ConventionVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "label": version.label,
        "status": version.status,
        "effective_date": version.effective_date,
        "ended_on": version.ended_on,
        "based_on": version.based_on.number if version.based_on else None,
        "signed_at": version.signed_at,
        "content_hash": version.content_hash,
    }


def _clause(clause: Clause, lang: str) -> dict[str, Any]:
    data = services.clause_data(clause)
    return {
        "key": clause.key,
        "code": clause.code,
        "order": clause.order,
        "title": rules.clause_title(data, lang),
        "params": clause.params or {},
        "titles": {k: v for k, v in clause.titles.items() if v},
        "texts": {k: v for k, v in clause.texts.items() if v},
    }


def _problem(problem: rules.Problem, lang: str) -> dict[str, Any]:
    return {"code": problem.code, "message": problem.text(lang), "clause": problem.clause,
            "param": problem.param}  # fmt: skip


def _load(request: HttpRequest, slug: str) -> Convention:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    return selectors.convention_require(partnership=partnership)


@router.get("/catalogue", response=list[CatalogueClause], summary="Catalogue des clauses")
def get_catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    lang = services.active_lang()
    return [
        {"code": spec.code, "kind": spec.kind.value, "title": spec.title.get(lang),
         "mandatory": spec.mandatory, "repeatable": spec.repeatable,
         "params": [_param_schema(p, lang) for p in spec.params]}
        for spec in catalogue.CATALOGUE
    ]  # fmt: skip


@router.get(
    "/oversight",
    response=OversightOut,
    summary="Délibérations d'une collectivité en attente de transmission ou de réponse",
)
def get_oversight(request: HttpRequest, query: Query[OversightQuery]) -> dict[str, Any]:
    """The authority officer's own authority (another one is 404); the platform admin names
    it. Paged by the key (due date, id): pass ``next_after`` as ``after``."""
    own = getattr(request.user, "organization_id", None)
    admin = Role.PLATFORM_ADMIN in roles_for(request.user)
    if query.authority is not None and query.authority != own and not admin:
        raise NotFound(gettext("Choisissez une collectivité."))
    page = selectors.oversight_dashboard_get(user=request.user, authority_id=query.authority,
                                             after=query.after)  # fmt: skip
    return {
        "authority": page.authority.pk,
        "authority_name": page.authority.name,
        "today": page.today,
        "items": [selectors.waiting_data(r) for r in page.rows],
        "next_after": page.next_key,
    }  # fmt: skip


@router.get("/{slug}", response=ConventionOut, summary="Lire la convention et ses versions")
def get_convention(request: HttpRequest, slug: str) -> dict[str, Any]:
    convention = _load(request, slug)
    versions = selectors.versions_of(convention=convention)
    in_force = selectors.version_in_force_get(partnership=convention.partnership,
                                              at=timezone.localdate())  # fmt: skip
    return {
        "partnership": convention.partnership.slug,
        "reference": convention.reference,
        "versions": [_summary(v) for v in versions],
        "in_force_today": in_force.number if in_force else None,
    }


@router.get("/{slug}/versions/{number}", response=ConventionVersionOut,
            summary="Lire une version : clauses, paramètres, complétude")  # fmt: skip
def get_version(request: HttpRequest, slug: str, number: int) -> dict[str, Any]:
    convention = _load(request, slug)
    version = selectors.version_get(convention=convention, number=number)
    lang = services.active_lang()
    detail = selectors.version_detail_get(version=version, lang=lang)
    return {
        **_summary(version),
        "purpose": version.purpose,
        "clauses": [_clause(row.clause, lang) for row in detail.clauses],
        "completeness": {
            "complete": detail.complete,
            "errors": [_problem(p, lang) for p in detail.errors],
            "warnings": [_problem(p, lang) for p in detail.warnings],
        },
        "signatories": [
            {"organization": s.organization.name, "person": str(s.person),
             "capacity": s.capacity, "mandate_reference": s.mandate_reference,
             "signed_on": s.signed_on}
            for s in detail.signatories
        ],
    }  # fmt: skip


@router.get("/{slug}/rules", response=RulesOut, summary="Règles en vigueur à une date")
def get_rules(request: HttpRequest, slug: str, query: Query[RulesQuery]) -> dict[str, Any]:
    convention = _load(request, slug)
    day = query.date or timezone.localdate()
    version = selectors.version_in_force_get(partnership=convention.partnership, at=day)
    if version is None:
        raise NotFound(gettext("Aucune version de la convention n'est en vigueur le %(date)s.")
                       % {"date": day.strftime("%d/%m/%Y")})  # fmt: skip
    terms = rules.rules_json([services.clause_data(c) for c in version.clauses.all()])
    second = terms.second_convocation_quorum
    return {
        "date": day,
        "source": f"convention:{version.pk}",
        "source_label": selectors.source_label(version),
        "version": version.number,
        "decision_rule": terms.decision_rule,
        "decision_text": terms.decision_text.get(services.active_lang()),
        "balance_policy": terms.balance_policy,
        "notice_period_days": terms.notice_period_days,
        "second_convocation_quorum": rules.fraction_text(second) if second else None,
        "gender_target": rules.fraction_text(terms.gender_target),
        "expense_tolerance": rules.fraction_text(terms.expense_tolerance),
        "plan_adoption_deadline_days": terms.plan_adoption_deadline_days,
        "audit_frequency_months": terms.audit_frequency_months,
        "evaluation_frequency_months": terms.evaluation_frequency_months,
        "termination": dict(terms.termination),
    }


@router.post("/{slug}/versions/{number}/clauses", response={201: ClauseOut},
             summary="Ajouter une clause")  # fmt: skip
def add_clause(request: HttpRequest, slug: str, number: int, payload: ClauseIn) -> Any:
    convention = _load(request, slug)
    version = selectors.version_get(convention=convention, number=number)
    clause = services.clause_add(by=request.user, version=version, code=payload.code,
                                 params=payload.params, texts=payload.texts,
                                 order=payload.order)  # fmt: skip
    return Status(201, _clause(clause, services.active_lang()))


@router.patch(
    "/{slug}/versions/{number}/clauses/{key}",
    response=ClauseOut,
    summary="Modifier les paramètres, les textes ou la position d'une clause",
)
def patch_clause(
    request: HttpRequest, slug: str, number: int, key: str, payload: ClausePatch
) -> dict[str, Any]:
    convention = _load(request, slug)
    version = selectors.version_get(convention=convention, number=number)
    clause = selectors.clause_get(version=version, key=key)
    clause = services.clause_update(by=request.user, clause=clause, params=payload.params,
                                    merge=True, texts=payload.texts,
                                    order=payload.order)  # fmt: skip
    return _clause(clause, services.active_lang())


@router.get("/{slug}/versions/{number}/render", summary="Document PDF ou DOCX",
            response={200: None})  # fmt: skip
def render_version(
    request: HttpRequest, slug: str, number: int, query: Query[RenderQuery]
) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CONVENTION_VIEW)
    convention = selectors.convention_require(partnership=partnership)
    version = selectors.version_get(convention=convention, number=number)
    fmt, lang = query.format.value, query.lang.value
    data = renderers.render_version(version, fmt, lang)
    response = HttpResponse(data, content_type=renderers.FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{renderers.filename(version, fmt, lang)}"'
    )
    return response


@router.get("/{slug}/deliberations", response=DeliberationsOut,
            summary="Délibérations des conseils et contrôle de tutelle (loi 113-14)")  # fmt: skip
def get_deliberations(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Each public party with its deliberations (one per approved version at most: the list
    is bounded by the parties and versions, not paged), due dates computed on its calendar."""
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CONVENTION_VIEW)
    parties, current = selectors.party_deliberations_get(partnership=partnership)
    return {
        "partnership": partnership.slug,
        "current_version": current.number if current else None,
        "parties": [
            {"party": p.party.pk, "organization": p.party.organization.name,
             "role": p.party.role, "current_version_cleared": p.current_cleared,
             "deliberations": [selectors.deliberation_data(r) for r in p.rows]}
            for p in parties
        ],
    }  # fmt: skip
