"""Partnership reads. Each returns plain data or a query whose query count is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from sharaka.core.access import Perm, partnership_scope, permissions_for, require
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found, narrow, text_search
from sharaka.core.todo import TodoItem, todo_for
from sharaka.directory.models import AUTHORITY_KINDS, Organization
from sharaka.partnerships import ports, rules
from sharaka.partnerships.models import (
    Partnership,
    PartnershipRole,
    Party,
    StatusChoice,
    StatusTransition,
)


def partnership_list(
    *,
    user: Any,
    search: str = "",
    sector: str = "",
    status: str = "",
    authority: int | None = None,
) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.filter(partnership_scope(user)).select_related(
        "lead_authority"
    )
    partnerships = text_search(
        partnerships, search, ("title", "description", "slug", "lead_authority__name")
    )
    partnerships = narrow(partnerships, sector=sector, status=status, lead_authority_id=authority)
    return partnerships.order_by("title", "id")  # index partnerships_title_order


def _get(slug: str) -> Partnership:
    return found(
        Partnership.objects.select_related("lead_authority")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").order_by(
                    Case(When(role="lead", then=0), default=1), "role", "organization__name"
                ),
            )
        )
        .filter(slug=slug)
        .first()
    )


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.PARTNERSHIP_VIEW) -> Partnership:
    partnership = _get(slug)
    require(user, Perm.PARTNERSHIP_VIEW, partnership)
    if perm != Perm.PARTNERSHIP_VIEW:
        require(user, perm, partnership)
    return partnership


@dataclass(frozen=True)
class TransitionOption:
    status: str
    label: str


def transition_options(partnership: Partnership) -> list[TransitionOption]:
    current = rules.Status(partnership.status)
    order = list(rules.Status)
    return [
        TransitionOption(status=s.value, label=str(StatusChoice(s.value).label))
        for s in sorted(rules.allowed_next(current), key=order.index)
    ]


def transitions_of(*, partnership: Partnership) -> list[StatusTransition]:
    return list(partnership.transitions.select_related("by").order_by("-at", "-pk"))


def conflicts_of(*, partnership: Partnership) -> list[ports.ConflictLine]:
    """The conflicts of interest of the partnership's elected members (law 113-14 art. 65),
    declared or not, from ``partners`` through the port. 4 queries at most."""
    return ports.conflicts_of_interest.provider(partnership)


def grants_of(*, partnership: Partnership) -> list[PartnershipRole]:
    return list(partnership.user_roles.select_related("user").order_by("role", "user__last_name"))


_Row = TypeVar("_Row", Party, PartnershipRole)


def _of(partnership: Partnership, rows: QuerySet[_Row], pk: int) -> _Row:
    """Row ``pk`` of ``rows`` if it belongs to ``partnership`` (404 otherwise)."""
    row = found(rows.filter(pk=pk, partnership=partnership).first())
    row.partnership = partnership
    return row


def party_get(*, partnership: Partnership, party_id: int) -> Party:
    return _of(partnership, Party.objects.select_related("organization"), party_id)


def grant_get(*, partnership: Partnership, grant_id: int) -> PartnershipRole:
    return _of(partnership, PartnershipRole.objects.select_related("user"), grant_id)


def authority_choices() -> QuerySet[Organization]:
    return Organization.objects.filter(kind__in=AUTHORITY_KINDS).order_by("name")


@dataclass(frozen=True)
class Dashboard:
    total: int
    by_status: list[tuple[str, str, int]]
    recent: list[Partnership]
    can_create: bool
    todo: list[TodoItem]


def dashboard_get(*, user: Any) -> Dashboard:
    visible = Partnership.objects.filter(partnership_scope(user))
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = [(s.value, str(s.label), counts.get(s.value, 0)) for s in StatusChoice]
    recent = list(visible.select_related("lead_authority").order_by("-updated_at")[:5])
    return Dashboard(
        total=sum(counts.values()),
        by_status=by_status,
        recent=recent,
        can_create=Perm.PARTNERSHIP_CREATE in permissions_for(user),
        todo=todo_for(user),
    )


# --- Public portal (anonymous readers) ------------------------------------------------------


def public_partnership_list(
    *, search: str = "", sector: str = "", status: str = ""
) -> QuerySet[Partnership]:
    """The published partnerships, by title (search on the title or the lead authority's
    name; filters by sector and by status, among the published ones)."""
    published = [s.value for s in rules.PUBLISHED]
    partnerships = Partnership.objects.filter(
        status__in=[status] if status in published else published
    ).select_related("lead_authority")
    if search:
        partnerships = partnerships.filter(
            Q(title__icontains=search) | Q(lead_authority__name__icontains=search)
        )
    if sector:
        partnerships = partnerships.filter(sector=sector)
    return partnerships.order_by("title", "id")  # index partnerships_title_order


def public_partnership_get(*, slug: str) -> Partnership:
    partnership = _get(slug)
    if rules.Status(partnership.status) not in rules.PUBLISHED:
        raise NotFound()
    return partnership


# ------------------------------------------------------------------ conditions to move


def lifecycle_facts_get(*, partnership: Partnership) -> rules.Facts:
    """The facts the lifecycle conditions look at, in a fixed number of queries: the
    parties here, the rest from the apps that own them (``partnerships.ports``)."""
    kinds = dict(
        Party.objects.filter(partnership=partnership).values_list(
            "organization_id", "organization__kind"
        )
    )
    organization_ids = frozenset(kinds)
    authority_ids = frozenset(o for o, kind in kinds.items() if kind in AUTHORITY_KINDS)
    composed, balanced = ports.board_facts.provider(partnership)
    ground, wound_down, accounts = ports.closure_facts.provider(partnership)
    return rules.Facts(
        parties=len(organization_ids),
        board_composed=composed,
        board_balanced=balanced,
        convention_signed_by_all=ports.convention_signed.provider(partnership, organization_ids),
        deliberations_recorded=ports.deliberations_recorded.provider(partnership, authority_ids),
        action_plan_adopted=ports.plan_adopted.provider(partnership),
        board_decisions=ports.decision_numbers.provider(partnership),
        termination_ground=ground,
        wind_down_closed=wound_down,
        final_accounts_approved=accounts,
    )


#: The page that fixes each kind of missing condition: (URL name, anchor).
FIX_PAGES: dict[rules.Fix, tuple[str, str]] = {
    rules.Fix.PARTIES: ("partnerships:detail", "#parties-title"),
    rules.Fix.BOARD: ("governance:board", ""),
    rules.Fix.CONVENTION: ("conventions:detail", ""),
    rules.Fix.PLAN: ("planning:plan", ""),
    rules.Fix.MEETINGS: ("meetings:list", ""),
    rules.Fix.DELIBERATIONS: ("conventions:deliberations", ""),
    rules.Fix.CLOSURE: ("closure:overview", ""),
}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    legal: str
    state: str  # "done", "missing" or "upcoming" (Sharaka cannot record it yet)
    fix_url: str


@dataclass(frozen=True)
class MoveChecklist:
    status: str
    label: str
    items: tuple[ChecklistItem, ...]
    standing: bool = False  # not a move: the conditions of the status it already holds

    @property
    def ready(self) -> bool:
        """Every condition Sharaka can check is met (the "upcoming" ones are checked by hand)."""
        return all(item.state != "missing" for item in self.items)


def _fix_url(fix: rules.Fix, slug: str) -> str:
    if fix not in FIX_PAGES:
        return ""
    name, anchor = FIX_PAGES[fix]
    try:
        return reverse(name, kwargs={"slug": slug}) + anchor
    except NoReverseMatch:
        return ""


def lifecycle_checklists_get(*, partnership: Partnership) -> list[MoveChecklist]:
    """For each move allowed from the current status, its conditions and whether each is
    met, with the page that fixes a missing one (fixed number of queries)."""
    current = rules.Status(partnership.status)
    facts = lifecycle_facts_get(partnership=partnership)
    moves = [(current, rules.Status(option.status), option.label, False)
             for option in transition_options(partnership)]  # fmt: skip
    if current in (rules.Status.ACTIVE, rules.Status.SUSPENDED):
        # an active partnership still shows whether it meets the conditions of being active
        # (the demo's, and those made active before the conditions existed)
        active = rules.Status.ACTIVE
        moves.append((rules.Status.NEGOTIATION, active, str(StatusChoice(active).label), True))
    result = []
    for before, target, label, standing in moves:
        items = tuple(
            ChecklistItem(
                code=checked.condition.code,
                label=gettext(checked.condition.before or checked.condition.label),
                legal=checked.condition.legal,
                state="done" if checked.met
                else "missing" if checked.condition.available else "upcoming",
                fix_url=_fix_url(checked.condition.fix, partnership.slug)
                if checked.condition.available else "",
            )
            for checked in rules.check_move(before, target, facts)
        )  # fmt: skip
        result.append(MoveChecklist(target.value, label, items, standing=standing))
    return result
