"""Reads of partner selection: the sector's requirements, partner profiles, the candidates
of a partnership (ranked, searched, paged by key), its gaps, choices and calls. Each in a
fixed number of queries; each checks access first (``partners.selection_access``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sharaka.core.access import Capabilities, Perm
from sharaka.core.errors import NotFound
from sharaka.core.types import Actor
from sharaka.directory.models import Organization
from sharaka.partners import selection_access as access
from sharaka.partners import selection_rules as rules
from sharaka.partners import selectors as file_selectors
from sharaka.partners.models import AdmissibilityFile, Decision, Evidence
from sharaka.partners.selection_models import (
    Application,
    Call,
    ChoiceDecision,
    Competence,
    PartnerChoice,
    PartnerCompetence,
    SectorRequirement,
)
from sharaka.partnerships.models import Partnership, Party

PAGE_SIZE = 20


def requirements_for(*, authority_id: int | None, sector: str) -> list[SectorRequirement]:
    """What a partnership of ``sector`` led by that authority needs: the authority's own
    requirements for the sector if it has any, else the defaults. 1 query."""
    rows = list(
        SectorRequirement.objects.filter(sector=sector)
        .filter(Q(authority_id=authority_id) | Q(authority__isnull=True))
        .select_related("competence")
        .order_by("competence__position", "pk")
    )
    own = [row for row in rows if row.authority_id is not None]
    return own or rows


def as_rules(requirements: list[SectorRequirement]) -> list[rules.Requirement]:
    return [rules.Requirement(r.competence.code, r.level) for r in requirements]


def held_by(organization_ids: list[int]) -> dict[int, dict[str, int]]:
    """What each organisation holds: competence code -> level. 1 query."""
    held: dict[int, dict[str, int]] = {pk: {} for pk in organization_ids}
    if not organization_ids:
        return held
    rows = PartnerCompetence.objects.filter(organization_id__in=organization_ids).values_list(
        "organization_id", "competence__code", "level"
    )
    for organization_id, code, level in rows:
        held[organization_id][code] = level
    return held


def percent(value: Fraction) -> int:
    return int(value * 100)


# --- The selection page of a partnership -----------------------------------------------------


def partnership_get(
    *, user: Actor | None, slug: str, perm: Perm = Perm.ADMISSIBILITY_VIEW
) -> Partnership:
    """A partnership whose selection ``user`` reads (404) and acts on with ``perm`` (403).
    1 query."""
    partnership = Partnership.objects.select_related("lead_authority").filter(slug=slug).first()
    if partnership is None:
        raise NotFound()
    access.require(user, perm, partnership)
    return partnership


@dataclass(frozen=True)
class Need:
    requirement: SectorRequirement
    covered_by: list[str]  # names of the current set covering it


@dataclass(frozen=True)
class CandidateRow:
    organization: Organization
    coverage: int  # percent
    standing: rules.Standing
    decision_label: str
    past_partnerships: int
    fills: list[str]  # labels of the gaps it would fill
    held: list[tuple[str, int]]  # (label, level) of the needed competences it holds
    chosen: bool
    set_aside: bool


@dataclass(frozen=True)
class CallRow:
    call: Call
    applications: int
    unseen: int
    is_open: bool


@dataclass(frozen=True)
class SelectionView:
    partnership: Partnership
    needs: list[Need]
    gaps: list[SectorRequirement]
    current: list[Organization]  # parties and chosen organisations
    rows: list[CandidateRow]
    query: str
    next_after: str | None
    choices: list[PartnerChoice]
    calls: list[CallRow]
    can: Capabilities
    on: dt.date


def _standing() -> Coalesce:
    """The officer's decision on the candidate's file with the lead authority, as a rank."""
    decisions = AdmissibilityFile.objects.filter(
        association_id=OuterRef("pk"), authority_id=OuterRef("lead")
    ).annotate(
        rank=Case(
            When(decision=Decision.ADMISSIBLE, then=Value(int(rules.Standing.ADMISSIBLE))),
            When(decision=Decision.NOT_ADMISSIBLE, then=Value(int(rules.Standing.NOT_ADMISSIBLE))),
            default=Value(int(rules.Standing.UNDECIDED)), output_field=IntegerField(),
        )
    ).values("rank")[:1]  # fmt: skip
    return Coalesce(Subquery(decisions), Value(int(rules.Standing.UNDECIDED)))


def _covered(requirements: list[SectorRequirement]) -> Coalesce:
    covers = Q(pk__in=[])
    for r in requirements:
        covers |= Q(competence_id=r.competence_id, level__gte=r.level)
    count = (
        PartnerCompetence.objects.filter(covers, organization_id=OuterRef("pk"))
        .values("organization_id").annotate(n=Count("pk")).values("n")
    )  # fmt: skip
    return Coalesce(Subquery(count), Value(0))


def _key(organization: Organization) -> str:
    """The key of a candidate row: the next page starts after it."""
    covered, standing = getattr(organization, "covered", 0), getattr(organization, "standing", 1)
    return f"{covered}-{standing}-{organization.pk}"


def _after(token: str) -> tuple[int, int, int] | None:
    parts = token.split("-")
    if len(parts) != 3 or not all(p.isdigit() and len(p) < 19 for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def candidates(
    *, partnership: Partnership, requirements: list[SectorRequirement], exclude: list[int],
    query: str = "",
) -> QuerySet[Organization]:  # fmt: skip
    """The organisations holding at least one needed competence (whatever its level), but
    the lead authority and the parties, annotated with ``covered`` (requirements met),
    ``standing`` and ``past`` (partnerships in Sharaka), in ranking order."""
    needed = [r.competence_id for r in requirements]
    profiled = PartnerCompetence.objects.filter(
        organization_id=OuterRef("pk"), competence_id__in=needed
    )
    past = (
        Party.objects.filter(organization_id=OuterRef("pk"))
        .values("organization_id").annotate(n=Count("partnership_id", distinct=True))
        .values("n")
    )  # fmt: skip
    rows = (
        Organization.objects.filter(Exists(profiled))
        .exclude(pk__in=[*exclude, partnership.lead_authority_id])
        .annotate(lead=Value(partnership.lead_authority_id, output_field=IntegerField()))
        .annotate(covered=_covered(requirements), standing=_standing(),
                  past=Coalesce(Subquery(past), Value(0)))
    )  # fmt: skip
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return rows.order_by("-covered", "standing", "pk")


def selection_view_get(
    *, user: Actor | None, partnership: Partnership, query: str = "", after: str = "",
    size: int = PAGE_SIZE, on: dt.date | None = None,
) -> SelectionView:  # fmt: skip
    """Everything the selection page shows, in 8 queries whatever the data: the
    requirements, the parties, the choices, what the current set holds, one page of
    candidates, what they hold, the calls."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, partnership)
    on = on or timezone.localdate()
    requirements = requirements_for(authority_id=partnership.lead_authority_id,
                                    sector=partnership.sector)  # fmt: skip
    needs_rules = as_rules(requirements)
    parties = {
        p.organization_id: p.organization
        for p in Party.objects.filter(partnership=partnership).select_related("organization")
        if p.organization_id != partnership.lead_authority_id
    }
    choices = list(
        PartnerChoice.objects.filter(partnership=partnership)
        .select_related("organization", "chosen_by").order_by("-chosen_at", "-pk")[:200]
    )  # fmt: skip
    latest: dict[int, PartnerChoice] = {}
    for choice in choices:
        latest.setdefault(choice.organization_id, choice)
    chosen = {pk: c.organization for pk, c in latest.items()
              if c.decision == ChoiceDecision.CHOSEN and pk not in parties}  # fmt: skip
    current = {**parties, **chosen}
    held_current = held_by(list(current))
    needs = [
        Need(r, [current[pk].name for pk, held in held_current.items()
                 if rules.covers(held, rule)])
        for r, rule in zip(requirements, needs_rules, strict=True)
    ]  # fmt: skip
    gaps = [need.requirement for need in needs if not need.covered_by]
    rows_qs = candidates(partnership=partnership, requirements=requirements,
                         exclude=list(parties), query=query)  # fmt: skip
    key = _after(after)
    if key is not None:
        c, s, pk = key
        rows_qs = rows_qs.filter(
            Q(covered__lt=c) | Q(covered=c, standing__gt=s) | Q(covered=c, standing=s, pk__gt=pk)
        )
    page = list(rows_qs[: size + 1]) if requirements else []
    more = len(page) > size
    page = page[:size]
    held_page = held_by([o.pk for o in page])
    labels = {r.competence.code: r.competence.label for r in requirements}
    decision_labels = {
        rules.Standing.ADMISSIBLE: str(Decision.ADMISSIBLE.label),
        rules.Standing.NOT_ADMISSIBLE: str(Decision.NOT_ADMISSIBLE.label),
        rules.Standing.UNDECIDED: "",
    }
    rows = []
    for org in page:
        held = held_page[org.pk]
        standing = rules.Standing(getattr(org, "standing", rules.Standing.UNDECIDED))
        candidate = rules.Candidate(org.pk, org.name, held, standing)
        rows.append(CandidateRow(
            organization=org, coverage=percent(rules.coverage(needs_rules, held)),
            standing=candidate.standing, decision_label=decision_labels[candidate.standing],
            past_partnerships=getattr(org, "past", 0),
            fills=[labels[r.competence] for r in rules.fills(needs_rules, candidate,
                                                               held_current.values())],
            held=[(labels[code], level) for code, level in held.items() if code in labels],
            chosen=org.pk in chosen,
            set_aside=org.pk in latest and latest[org.pk].decision == ChoiceDecision.SET_ASIDE,
        ))  # fmt: skip
    last = page[-1] if page else None
    calls = list(
        Call.objects.filter(partnership=partnership)
        .annotate(n=Count("applications"),
                  unseen=Count("applications", filter=Q(applications__seen_at__isnull=True)))
        .order_by("-opens_on", "-pk")[:20]
    )  # fmt: skip
    return SelectionView(
        partnership=partnership, needs=needs, gaps=gaps, current=list(current.values()),
        rows=rows, query=query,
        next_after=_key(last) if more and last else None,
        choices=choices[:50],
        calls=[CallRow(c, c.n, c.unseen, c.is_open(on)) for c in calls],
        can=access.capabilities(user, partnership), on=on,
    )  # fmt: skip


# --- Partner profiles --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileView:
    organization: Organization
    lines: list[PartnerCompetence]
    past_partnerships: list[Partnership]
    past_count: int
    can: Capabilities


def organization_get(
    *, user: Actor | None, pk: int, perm: Perm = Perm.ADMISSIBILITY_VIEW
) -> Organization:
    access.require_profiles(user, perm)
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise NotFound()
    return organization


def profile_view_get(*, user: Actor | None, organization: Organization) -> ProfileView:
    """An organisation's competences with their evidence, and its partnerships in Sharaka
    (counted from the registry's parties). 3 queries."""
    access.require_profiles(user, Perm.ADMISSIBILITY_VIEW)
    lines = list(
        PartnerCompetence.objects.filter(organization=organization)
        .select_related("competence", "recorded_by").order_by("competence__position", "pk")
    )  # fmt: skip
    partnerships = Partnership.objects.filter(parties__organization=organization).distinct()
    return ProfileView(
        organization=organization, lines=lines,
        past_partnerships=list(partnerships.order_by("title", "pk")[:10]),
        past_count=partnerships.count(), can=access.profile_capabilities(user),
    )  # fmt: skip


def profile_line_get(*, organization: Organization, pk: int) -> PartnerCompetence:
    line = (
        PartnerCompetence.objects.select_related("competence")
        .filter(organization=organization, pk=pk).first()
    )  # fmt: skip
    if line is None:
        raise NotFound()
    return line


def competence_list() -> list[Competence]:
    return list(Competence.objects.order_by("position", "pk"))


# --- Calls and applications --------------------------------------------------------------------


def call_get(*, user: Actor | None, pk: int, perm: Perm = Perm.ADMISSIBILITY_VIEW) -> Call:
    call = Call.objects.select_related("partnership__lead_authority").filter(pk=pk).first()
    if call is None:
        raise NotFound()
    access.require(user, perm, call.partnership)
    return call


def public_call_get(*, pk: int, on: dt.date | None = None) -> Call:
    """A call open today, for the public form (404 otherwise: a closed call is gone)."""
    on = on or timezone.localdate()
    call = (
        Call.objects.select_related("partnership__lead_authority")
        .filter(pk=pk, opens_on__lte=on, closes_on__gte=on).first()
    )  # fmt: skip
    if call is None:
        raise NotFound()
    return call


def applications_of(*, call: Call, limit: int = 100) -> list[Application]:
    return list(
        Application.objects.filter(call=call).select_related("organization", "file")
        .prefetch_related("competences").order_by("-received_at", "-pk")[:limit]
    )  # fmt: skip


def unseen_applications(*, authority_id: int) -> list[dict[str, Any]]:
    """Per call of the authority's partnerships: how many applications no officer has
    seen yet. 1 query."""
    rows = (
        Application.objects.filter(seen_at__isnull=True,
                                   call__partnership__lead_authority_id=authority_id)
        .values("call_id", "call__title", "call__partnership__slug")
        .annotate(n=Count("pk")).order_by("call_id")
    )  # fmt: skip
    return [dict(row) for row in rows]


def organization_in_directory(*, pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise NotFound()
    return organization


@dataclass(frozen=True)
class CallView:
    call: Call
    applications: list[Application]
    is_open: bool
    can: Capabilities


def call_view_get(*, user: Actor | None, call: Call, on: dt.date | None = None) -> CallView:
    """A call and its applications (newest first, 100 at most), with their declared
    competences. 2 queries."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, call.partnership)
    on = on or timezone.localdate()
    return CallView(
        call=call, applications=applications_of(call=call), is_open=call.is_open(on),
        can=access.capabilities(user, call.partnership),
    )  # fmt: skip


# --- The applicant's own view, through its private link (ADR 0039) -----------------------------


@dataclass(frozen=True)
class ApplicationStatusView:
    application: Application
    file: file_selectors.FileRow
    evidence: list[Any]
    competences: list[Competence]


def application_status_get(*, token: str, on: dt.date | None = None) -> ApplicationStatusView:
    """The application whose private link is ``token``, its file's computed result, the
    pieces and their check, the declared competences: what the association may read of its
    own application (not the officers' comments' authors, not the file's history). 404 for
    any other token. 5 queries."""
    if not token or len(token) > 64:
        raise NotFound()
    application = (
        Application.objects.select_related("call__partnership__lead_authority", "organization",
                                           "file")
        .filter(token=token).first()
    )  # fmt: skip
    if application is None:
        raise NotFound()
    on = on or timezone.localdate()
    file = application.file
    criteria = file_selectors.criteria_list(authority_id=file.authority_id)
    evidence = list(
        Evidence.objects.filter(file=file).select_related("criterion").order_by("uploaded_at", "pk")
    )  # fmt: skip
    return ApplicationStatusView(
        application=application,
        file=file_selectors.FileRow(file=file,
                                    assessment=file_selectors.assess(file, criteria, evidence, on)),
        evidence=evidence,
        competences=list(application.competences.order_by("position", "pk")),
    )  # fmt: skip
