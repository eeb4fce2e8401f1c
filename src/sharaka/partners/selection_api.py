"""API: partner selection by competences, profiles and calls for applications, mounted at
``/api/selection``. The same rights as the pages (``partners.selection_access``: the lead
authority's officers for a partnership's selection and calls, any authority's officers
for profiles; 404 for anyone else) and the same services. Errors are RFC 9457 problem
JSON. No ``from __future__ import annotations`` (ADR 0001)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Status

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id
from sharaka.core.errors import ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.directory.models import Organization
from sharaka.partners import selection_access
from sharaka.partners import selection_selectors as selectors
from sharaka.partners import selection_services as services
from sharaka.partners.selection_models import Call, Competence, PartnerChoice

router = Router(tags=["selection"])


class CompetenceOut(Schema):
    code: str
    label: str
    label_fr: str
    label_ar: str
    label_en: str


class NeedOut(Schema):
    competence: str
    label: str
    level: int
    covered_by: list[str]


class CandidateOut(Schema):
    organization_id: int
    name: str
    coverage: int  # percent
    standing: str  # admissible / undecided / not_admissible
    past_partnerships: int
    fills: list[str]
    chosen: bool
    set_aside: bool


class ChoiceOut(Schema):
    id: int
    organization_id: int
    organization: str
    decision: str
    reason: str
    coverage: int
    chosen_by: str | None
    chosen_at: dt.datetime


class SelectionOut(Schema):
    partnership: str
    sector: str
    needs: list[NeedOut]
    gaps: list[str]
    candidates: list[CandidateOut]
    next_after: str | None
    choices: list[ChoiceOut]


class ChoiceIn(Schema):
    organization_id: Id
    decision: str
    reason: str


class ProfileLineOut(Schema):
    id: int
    competence: str
    level: int
    reference: str
    has_document: bool


class ProfileOut(Schema):
    organization_id: int
    name: str
    competences: list[ProfileLineOut]
    past_partnerships: int


class ProfileLineIn(Schema):
    competence: str
    level: int
    reference: str = ""


class CallOut(Schema):
    id: int
    title: str
    text: str
    opens_on: dt.date
    closes_on: dt.date


class CallIn(Schema):
    title: str
    text: str
    opens_on: BoundedDate
    closes_on: BoundedDate


class ApplicationOut(Schema):
    id: int
    organization_id: int
    organization: str
    file_id: int
    contact_name: str
    contact_email: str
    message: str
    received_at: dt.datetime
    seen_at: dt.datetime | None


def _choice_out(c: PartnerChoice) -> ChoiceOut:
    return ChoiceOut(
        id=c.pk, organization_id=c.organization_id, organization=c.organization.name,
        decision=c.decision, reason=c.reason, coverage=c.coverage,
        chosen_by=str(c.chosen_by) if c.chosen_by else None, chosen_at=c.chosen_at,
    )  # fmt: skip


def _call_out(call: Call) -> CallOut:
    return CallOut(id=call.pk, title=call.title, text=call.text, opens_on=call.opens_on,
                   closes_on=call.closes_on)  # fmt: skip


@router.get("/competences", response=list[CompetenceOut], summary="Catalogue des compétences")
def list_competences(request: HttpRequest) -> list[Competence]:
    selection_access.require_profiles(request.user, Perm.ADMISSIBILITY_VIEW)
    return selectors.competence_list()


@router.get("/partnerships/{slug}", response=SelectionOut,
            summary="Choix des partenaires : besoins, manques, candidats")  # fmt: skip
def get_selection(request: HttpRequest, slug: str, q: str = "", after: str = "") -> SelectionOut:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.selection_view_get(user=request.user, partnership=partnership,
                                        query=q[:100], after=after[:60])  # fmt: skip
    return SelectionOut(
        partnership=partnership.slug, sector=partnership.sector,
        needs=[NeedOut(competence=n.requirement.competence.code,
                       label=n.requirement.competence.label, level=n.requirement.level,
                       covered_by=n.covered_by) for n in view.needs],
        gaps=[g.competence.code for g in view.gaps],
        candidates=[CandidateOut(
            organization_id=r.organization.pk, name=r.organization.name, coverage=r.coverage,
            standing=r.standing.name.lower(), past_partnerships=r.past_partnerships,
            fills=r.fills, chosen=r.chosen, set_aside=r.set_aside) for r in view.rows],
        next_after=view.next_after, choices=[_choice_out(c) for c in view.choices],
    )  # fmt: skip


@router.post("/partnerships/{slug}/choices", response={201: ChoiceOut},
             summary="Enregistrer un choix (retenue ou écartée, avec le motif)")  # fmt: skip
def record_choice(request: HttpRequest, slug: str, payload: ChoiceIn) -> Status[ChoiceOut]:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.ADMISSIBILITY_DECIDE)  # fmt: skip
    organization = Organization.objects.filter(pk=payload.organization_id).first()
    if organization is None:
        raise ValidationFailed("organization_id : introuvable.",
                               {"organization_id": ["Introuvable."]})  # fmt: skip
    choice = services.choice_record(by=request.user, partnership=partnership,
                                    organization=organization, decision=payload.decision,
                                    reason=payload.reason)  # fmt: skip
    return Status(201, _choice_out(choice))


@router.get("/partnerships/{slug}/calls", response=list[CallOut], summary="Appels d'un partenariat")
def list_calls(request: HttpRequest, slug: str) -> list[CallOut]:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    calls = Call.objects.filter(partnership=partnership).order_by("-opens_on", "-pk")[:100]
    return [_call_out(c) for c in calls]


@router.post("/partnerships/{slug}/calls", response={201: CallOut},
             summary="Ouvrir un appel à manifestation d'intérêt")  # fmt: skip
def open_call(request: HttpRequest, slug: str, payload: CallIn) -> Status[CallOut]:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.ADMISSIBILITY_DECIDE)  # fmt: skip
    call = services.call_open(by=request.user, partnership=partnership, title=payload.title,
                              text=payload.text, opens_on=payload.opens_on,
                              closes_on=payload.closes_on)  # fmt: skip
    return Status(201, _call_out(call))


@router.get("/calls/{call_id}/applications", response=list[ApplicationOut],
            summary="Candidatures reçues (100 dernières)")  # fmt: skip
def list_applications(request: HttpRequest, call_id: int) -> list[ApplicationOut]:
    call = selectors.call_get(user=request.user, pk=call_id)
    return [
        ApplicationOut(
            id=a.pk, organization_id=a.organization_id, organization=a.organization.name,
            file_id=a.file_id, contact_name=a.contact_name, contact_email=a.contact_email,
            message=a.message, received_at=a.received_at, seen_at=a.seen_at,
        )
        for a in selectors.applications_of(call=call)
    ]  # fmt: skip


def _profile_out(request: HttpRequest, organization: Organization) -> ProfileOut:
    view = selectors.profile_view_get(user=request.user, organization=organization)
    return ProfileOut(
        organization_id=organization.pk, name=organization.name,
        competences=[ProfileLineOut(id=line.pk, competence=line.competence.code,
                                    level=line.level, reference=line.reference,
                                    has_document=bool(line.document)) for line in view.lines],
        past_partnerships=view.past_count,
    )  # fmt: skip


@router.get("/organizations/{organization_id}/profile", response=ProfileOut,
            summary="Profil de partenaire d'une organisation")  # fmt: skip
def get_profile(request: HttpRequest, organization_id: int) -> ProfileOut:
    organization = selectors.organization_get(user=request.user, pk=organization_id)
    return _profile_out(request, organization)


@router.post("/organizations/{organization_id}/profile", response=ProfileOut,
             summary="Enregistrer une compétence (code, niveau 1 à 3, référence)")  # fmt: skip
def set_profile(request: HttpRequest, organization_id: int, payload: ProfileLineIn) -> ProfileOut:
    organization = selectors.organization_get(user=request.user, pk=organization_id,
                                              perm=Perm.ADMISSIBILITY_CHANGE)  # fmt: skip
    competence = Competence.objects.filter(code=payload.competence).first()
    if competence is None:
        raise ValidationFailed("competence : introuvable.", {"competence": ["Introuvable."]})
    services.profile_set(by=request.user, organization=organization, competence=competence,
                         level=payload.level, reference=payload.reference)  # fmt: skip
    return _profile_out(request, organization)
