"""Reads of the council deliberations on a convention and of their oversight: the
partnership's deliberations page, and an authority's dashboard of what waits for
transmission or an answer (ADR 0021, ADR 0033). Re-exported by ``selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.conventions.lifecycle import SIGNED
from sharaka.conventions.models import (
    ConventionVersion,
    Deliberation,
    WaitingFor,
)
from sharaka.conventions.rules import oversight
from sharaka.conventions.services import (
    oversight_steps,
)
from sharaka.core.access import (
    Capabilities,
    Role,
    capabilities,
    partnership_scope,
    roles_for,
)
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.querysets import found
from sharaka.core.rules.deadline import Calendar
from sharaka.directory.models import AUTHORITY_KINDS, Organization
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import Partnership, Party


@dataclass(frozen=True)
class DeliberationRow:
    deliberation: Deliberation
    dues: oversight.Dues
    state: str  # oversight.State
    overdue: bool  # transmission late
    visa_deemed: bool


@dataclass(frozen=True)
class PartyDeliberations:
    party: Party
    rows: tuple[DeliberationRow, ...]
    current_cleared: bool  # a cleared deliberation approves the current signed version


@dataclass(frozen=True)
class DeliberationsView:
    parties: tuple[PartyDeliberations, ...]
    current_version: ConventionVersion | None
    can: Capabilities
    today: date
    dashboard: bool  # the user has an oversight dashboard (``oversight_dashboard_get``)


def _dashboard_allowed(user: Any) -> bool:
    roles = roles_for(user)
    return Role.PLATFORM_ADMIN in roles or (
        Role.AUTHORITY_OFFICER in roles and getattr(user, "organization_id", None) is not None
    )


def _row(deliberation: Deliberation, calendar: Calendar, today: date) -> DeliberationRow:
    steps = oversight_steps(deliberation)
    return DeliberationRow(
        deliberation=deliberation,
        dues=oversight.dues(steps, calendar),
        state=str(oversight.state(steps, calendar, today)),
        overdue=oversight.overdue(steps, calendar, today),
        visa_deemed=oversight.visa_deemed_granted(steps, calendar, today),
    )


def party_deliberations_get(
    *, partnership: Partnership
) -> tuple[tuple[PartyDeliberations, ...], ConventionVersion | None]:
    """The public parties of the partnership with their deliberations, due dates and overdue
    flags, and the current signed version (five queries whatever their number). No access
    check: the page and the API check the partnership first; the CLI is trusted."""
    parties = list(
        Party.objects.filter(partnership=partnership, organization__kind__in=AUTHORITY_KINDS)
        .select_related("organization")
        .order_by("role", "organization__name", "pk")
    )
    current = (
        ConventionVersion.objects.filter(convention__partnership=partnership, status__in=SIGNED)
        .order_by("-number")
        .first()
    )
    by_party: dict[int, list[Deliberation]] = {}
    for d in (
        Deliberation.objects.filter(party__partnership=partnership)
        .select_related("version")
        .order_by("session_date", "pk")
    ):
        by_party.setdefault(d.party_id, []).append(d)
    calendars = calendars_get(p.organization_id for p in parties)
    today = timezone.localdate()
    result = []
    for party in parties:
        rows = tuple(
            _row(d, calendars[party.organization_id], today) for d in by_party.get(party.pk, [])
        )
        cleared = current is not None and any(
            r.deliberation.version_id == current.pk and r.state == oversight.State.CLEARED
            for r in rows
        )
        result.append(PartyDeliberations(party, rows, cleared))
    return tuple(result), current


def deliberation_data(row: DeliberationRow) -> dict[str, Any]:
    """One deliberation as plain data, for the API and ``sharaka convention deliberations``."""
    d = row.deliberation
    return {
        "id": d.pk, "number": d.number, "version": d.version.number,
        "session_date": d.session_date, "has_document": bool(d.document),
        "transmitted_on": d.transmitted_on, "transmission_due": row.dues.transmission_due,
        "transmission_overdue": row.overdue, "oversight": d.oversight,
        "objection_follow_up": d.objection_follow_up, "objection_end": row.dues.objection_end,
        "financial_effect": d.financial_effect, "visa": d.visa,
        "visa_deemed_on": row.dues.visa_deemed, "visa_deemed_granted": row.visa_deemed,
        "state": row.state, "waiting_for": d.waiting_for, "due_on": d.due_on,
    }  # fmt: skip


def deliberations_view_get(*, user: Any, partnership: Partnership) -> DeliberationsView:
    """The deliberations page: ``party_deliberations_get`` and the user's rights."""
    parties, current = party_deliberations_get(partnership=partnership)
    return DeliberationsView(
        parties, current, capabilities(user, partnership), timezone.localdate(),
        _dashboard_allowed(user),
    )  # fmt: skip


def deliberation_get(*, partnership: Partnership, pk: int) -> Deliberation:
    """One deliberation of a party of ``partnership`` (404 otherwise)."""
    rows = Deliberation.objects.filter(party__partnership=partnership, pk=pk)
    return found(rows.select_related("party__organization", "version").first())


def public_party_get(*, partnership: Partnership, party_id: int) -> Party:
    """One party of ``partnership`` that is a local authority (404 otherwise)."""
    rows = Party.objects.filter(
        partnership=partnership, organization__kind__in=AUTHORITY_KINDS, pk=party_id
    )
    return found(rows.select_related("organization").first())


# --- The dashboard of an authority ---------------------------------------------------------

DASHBOARD_PAGE = 50


@dataclass(frozen=True)
class DashboardRow:
    deliberation: Deliberation
    waiting_for: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class OversightDashboard:
    authority: Organization
    rows: tuple[DashboardRow, ...]
    next_key: str  # "" on the last page
    today: date


def _parse_key(after: str) -> tuple[date, int] | None:
    day, _sep, pk = after.partition("_")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _late(deliberation: Deliberation, today: date) -> bool:
    due = deliberation.due_on
    return deliberation.waiting_for == WaitingFor.TRANSMISSION and due is not None and due < today


def oversight_dashboard_get(
    *, user: Any, authority_id: int | None, after: str = ""
) -> OversightDashboard:
    """The deliberations of one authority waiting for their transmission or for the
    governor's answer (its window still open), by due date then pk, paged by that key
    (index ``conv_delib_due_idx``). An authority officer sees their own authority; the
    platform admin any. Only the partnerships the user may view are listed."""
    if not _dashboard_allowed(user):
        raise AccessDenied()
    if Role.PLATFORM_ADMIN not in roles_for(user):
        authority_id = getattr(user, "organization_id", None)
    if authority_id is None:
        raise NotFound(gettext("Choisissez une collectivité."))
    authority = found(
        Organization.objects.filter(kind__in=AUTHORITY_KINDS, pk=authority_id).first()
    )
    return oversight_waiting_get(
        authority=authority,
        after=after,
        partnerships=Partnership.objects.filter(partnership_scope(user)),
    )


def oversight_waiting_get(
    *, authority: Organization, after: str = "", partnerships: Any = None
) -> OversightDashboard:
    """One page of ``authority``'s deliberations waiting for their transmission or for the
    governor's answer (its window still open), by due date then pk after the key ``after``
    (index ``conv_delib_due_idx``), among ``partnerships`` (a queryset; all by default: the
    CLI is trusted). One query whatever the page."""
    today = timezone.localdate()
    rows = Deliberation.objects.filter(
        Q(waiting_for=WaitingFor.TRANSMISSION)
        | Q(waiting_for=WaitingFor.ANSWER, due_on__gte=today),
        party__organization=authority,
    ).select_related("party__partnership", "version")
    if partnerships is not None:
        rows = rows.filter(party__partnership__in=partnerships)
    key = _parse_key(after) if after else None
    if key is not None:
        rows = rows.filter(Q(due_on__gt=key[0]) | Q(due_on=key[0], pk__gt=key[1]))
    page = list(rows.order_by("due_on", "pk")[: DASHBOARD_PAGE + 1])
    more = len(page) > DASHBOARD_PAGE
    page = page[:DASHBOARD_PAGE]
    next_key = f"{page[-1].due_on.isoformat()}_{page[-1].pk}" if more and page[-1].due_on else ""
    return OversightDashboard(
        authority=authority,
        rows=tuple(
            DashboardRow(d, d.waiting_for, d.due_on, _late(d, today))
            for d in page
            if d.due_on is not None
        ),
        next_key=next_key,
        today=today,
    )


def waiting_data(row: DashboardRow) -> dict[str, Any]:
    """One dashboard row as plain data, for the API and ``sharaka convention oversight``."""
    d = row.deliberation
    return {
        "id": d.pk, "partnership": d.party.partnership.slug, "number": d.number,
        "version": d.version.number, "session_date": d.session_date,
        "waiting_for": row.waiting_for, "due_on": row.due_on, "overdue": row.overdue,
    }  # fmt: skip
