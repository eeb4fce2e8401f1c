"""Management structure reads: the structure and its organisation chart, the staff
register, the women's share of management staff (M12), delegations, the assets register."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings.models import Decision, DecisionKindChoice
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import Activity, VersionStatus
from sharaka.structure import rules
from sharaka.structure.models import (
    Asset,
    AssetDocument,
    Delegation,
    ManagementStructure,
    StaffAssignment,
    StaffRole,
)


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.STRUCTURE_VIEW) -> Partnership:
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


def structure_get(*, partnership: Partnership) -> ManagementStructure | None:
    structure = ManagementStructure.objects.filter(partnership=partnership).first()
    if structure is not None:
        structure.partnership = partnership
    return structure


def structure_require(*, partnership: Partnership) -> ManagementStructure:
    structure = structure_get(partnership=partnership)
    if structure is None:
        raise NotFound(gettext("Ce partenariat n'a pas encore de structure de gestion."))
    return structure


# --- Staff -----------------------------------------------------------------------------------

ROLE_ORDER = {role: index for index, role in enumerate(StaffRole.values)}


def staff_list(*, partnership: Partnership, on: date | None = None) -> list[StaffAssignment]:
    """The staff register (every assignment, or those active on ``on``), heads first."""
    rows = list(
        StaffAssignment.objects.filter(structure__partnership=partnership)
        .select_related("person", "origin_organization", "reports_to__person")
        .order_by("start_date", "pk")
    )
    if on is not None:
        rows = [row for row in rows if row.active_on(on)]
    return sorted(
        rows, key=lambda r: (ROLE_ORDER.get(r.role, 99), r.person.last_name, r.person.first_name)
    )


def staff_person_ids(*, partnership: Partnership) -> set[int]:
    """The people on the partnership's staff register (at any date)."""
    return set(
        StaffAssignment.objects.filter(structure__partnership=partnership).values_list(
            "person_id", flat=True
        )
    )


def staff_get(*, partnership: Partnership, pk: int) -> StaffAssignment:
    row = found(
        StaffAssignment.objects.select_related("person", "origin_organization", "structure")
        .filter(structure__partnership=partnership, pk=pk)
        .first(),
        gettext("Cette affectation n'existe pas."),
    )
    row.structure.partnership = partnership
    return row


def women_share_get(
    *, partnership: Partnership, staff: list[StaffAssignment], on: date
) -> rules.GenderShare:
    """Women's share of the management staff active on ``on`` (each person once), against
    the same target as the board (``RulesInForce.gender_target``)."""
    target = rules_in_force_get(partnership=partnership, at=on).gender_target
    people = {row.person_id: row.person.gender for row in staff if row.active_on(on)}
    return rules.gender_share(people.values(), target=target)


# --- Organisation chart ----------------------------------------------------------------------


@dataclass
class ChartNode:
    title: str
    subtitle: str = ""
    kind: str = "staff"  # board | staff | group | delegation
    children: list[ChartNode] = field(default_factory=list)


def _staff_node(row: StaffAssignment) -> ChartNode:
    details = [row.get_role_display()]
    if row.title:
        details.append(row.title)
    details.append(row.origin_organization.short_name or row.origin_organization.name)
    details.append(f"{row.time_share.normalize():f} %")
    return ChartNode(title=str(row.person), subtitle=" · ".join(details))


def _grouped(children: list[tuple[StaffAssignment, ChartNode]]) -> list[ChartNode]:
    """Three or more people in the same role under one head are shown as one group."""
    by_role: dict[str, list[tuple[StaffAssignment, ChartNode]]] = {}
    for row, node in children:
        by_role.setdefault(row.role, []).append((row, node))
    result: list[ChartNode] = []
    for role in sorted(by_role, key=lambda r: ROLE_ORDER.get(r, 99)):
        members = by_role[role]
        if len(members) >= 3 and not any(node.children for _row, node in members):
            label = StaffRole(role).label
            result.append(
                ChartNode(
                    title=f"{label} ({len(members)})", kind="group",
                    children=[node for _row, node in members],
                )
            )  # fmt: skip
        else:
            result.extend(node for _row, node in members)
    return result


def org_chart_get(
    *,
    structure: ManagementStructure,
    staff: list[StaffAssignment],
    delegations: list[Delegation],
    on: date,
) -> ChartNode:
    """The board at the top; the head of the structure (director, else coordinator, else
    facilitator) under it; everyone else under whom they report to (the head by default);
    delegations to partner organisations beside the structure."""
    active = [row for row in staff if row.active_on(on)]
    nodes = {row.pk: _staff_node(row) for row in active}
    head = None
    for role in rules.HEAD_ROLES:
        head = next((r for r in active if r.role == role and r.reports_to_id is None), None)
        if head is not None:
            break
    children: dict[int | None, list[tuple[StaffAssignment, ChartNode]]] = {}
    for row in active:
        if head is not None and row.pk == head.pk:
            parent: int | None = None
        elif row.reports_to_id in nodes and row.reports_to_id != row.pk:
            parent = row.reports_to_id
        else:
            parent = head.pk if head is not None else None
        children.setdefault(parent, []).append((row, nodes[row.pk]))
    for pk, node in nodes.items():
        node.children = _grouped(children.get(pk, []))
    board = ChartNode(
        title=gettext("Conseil d'administration"),
        subtitle=structure.get_kind_display(),
        kind="board",
    )
    board.children = _grouped(children.get(None, []))
    for delegation in delegations:
        if not rules.active_on(delegation.start_date, delegation.end_date, on):
            continue
        codes = ", ".join(sorted(a.code for a in delegation.activities.all()))
        board.children.append(
            ChartNode(
                title=gettext("Délégation : %(org)s") % {"org": delegation.delegate.name},
                subtitle=(codes + " · " if codes else "") + delegation.decision.number,
                kind="delegation",
            )
        )
    return board


# --- Delegations -----------------------------------------------------------------------------


def delegation_list(*, partnership: Partnership) -> list[Delegation]:
    return list(
        Delegation.objects.filter(partnership=partnership)
        .select_related("delegate", "decision")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("version"))
        )
        .order_by("start_date", "pk")
    )


def delegation_get(*, partnership: Partnership, pk: int) -> Delegation:
    delegation = found(
        Delegation.objects.select_related("delegate", "decision")
        .filter(partnership=partnership, pk=pk)
        .first(),
        gettext("Cette délégation n'existe pas."),
    )
    delegation.partnership = partnership
    return delegation


def delegation_decision_choices(*, partnership: Partnership) -> QuerySet[Decision]:
    return Decision.objects.filter(
        partnership=partnership, kind=DecisionKindChoice.DELEGATION
    ).order_by("-decided_on", "-sequence")


def delegable_activities(*, partnership: Partnership) -> list[Any]:
    """Activities that may be delegated: those of the version in force of each plan, else
    of its draft (codes sorted)."""
    activities = list(
        Activity.objects.filter(
            version__plan__partnership=partnership,
            version__status__in=[VersionStatus.ADOPTED, VersionStatus.DRAFT],
        ).select_related("version__plan")
    )
    chosen: dict[tuple[int, str], Any] = {}
    for activity in activities:
        key = (activity.version.plan_id, activity.code)
        current = chosen.get(key)
        if current is None or activity.version.status == VersionStatus.ADOPTED:
            chosen[key] = activity
    return sorted(chosen.values(), key=lambda a: (a.version.plan_id, a.sort_key))


# --- Assets ----------------------------------------------------------------------------------


def asset_list(*, partnership: Partnership, kind: str = "") -> list[Asset]:
    assets = (
        Asset.objects.filter(partnership=partnership)
        .select_related("owner", "provided_by")
        .prefetch_related(Prefetch("documents", queryset=AssetDocument.objects.order_by("pk")))
    )
    if kind:
        assets = assets.filter(kind=kind)
    return list(assets.order_by("kind", "name", "pk"))


def asset_get(*, partnership: Partnership, pk: int) -> Asset:
    asset = found(
        Asset.objects.select_related("owner", "provided_by")
        .prefetch_related("documents")
        .filter(partnership=partnership, pk=pk)
        .first(),
        gettext("Ce bien n'existe pas."),
    )
    asset.partnership = partnership
    return asset


def document_get(*, asset: Asset, pk: int) -> AssetDocument:
    return found(
        AssetDocument.objects.filter(asset=asset, pk=pk).first(),
        gettext("Ce document n'existe pas."),
    )


# --- The structure page ----------------------------------------------------------------------


@dataclass
class StructureView:
    structure: ManagementStructure | None
    staff: list[StaffAssignment]
    active_count: int
    women: rules.GenderShare
    chart: ChartNode | None
    delegations: list[Delegation]
    today: date


def structure_view_get(*, partnership: Partnership, today: date | None = None) -> StructureView:
    day = today or timezone.localdate()
    structure = structure_get(partnership=partnership)
    staff = staff_list(partnership=partnership)
    delegations = delegation_list(partnership=partnership)
    chart = None
    if structure is not None:
        chart = org_chart_get(structure=structure, staff=staff, delegations=delegations, on=day)
    return StructureView(
        structure=structure,
        staff=staff,
        active_count=sum(1 for row in staff if row.active_on(day)),
        women=women_share_get(partnership=partnership, staff=staff, on=day),
        chart=chart,
        delegations=delegations,
        today=day,
    )


def person_workplaces(person_ids: Collection[int], on: date) -> list[tuple[int, int, int]]:
    """``(person, partnership, lead authority)`` for each staff assignment of these people that has
    not ended before ``on`` (the directory's access check; one query)."""
    return list(
        StaffAssignment.objects.filter(person_id__in=person_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list(
            "person_id", "structure__partnership_id", "structure__partnership__lead_authority_id"
        )
        .distinct()
    )
