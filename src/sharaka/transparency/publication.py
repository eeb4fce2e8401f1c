"""Proactive publication (law 31-13, art. 10; law 113-14, art. 273): the read side of the
checklist. The lines are data (``rules.PUBLICATION_CHECKLIST``); the state of each line is
the pure rule ``rules.item_state`` over what the platform counts (its own records) or what
an officer recorded (``PublicationRecord``, for the lines it cannot count).

Every function here reads any number of partnerships in the same five queries (``_facts``):
the checklist page, the list per authority, the to-do list and the portal share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.models import VersionStatus as ConventionStatus
from sharaka.core.access import Perm, partnerships_where
from sharaka.core.errors import NotFound
from sharaka.meetings.models import Decision, Meeting
from sharaka.partnerships import rules as partnership_rules
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import PlanVersion
from sharaka.planning.models import VersionStatus as PlanStatus
from sharaka.transparency import rules
from sharaka.transparency.models import RECORDED_ITEMS, PublicationRecord

#: the label of each line of ``rules.PUBLICATION_CHECKLIST`` (the legal data stays in rules)
PUBLICATION_LABELS = {
    "convention": gettext_lazy("La convention en vigueur, sur le portail"),
    "decisions": gettext_lazy("Les décisions du conseil, affichées"),
    "minutes": gettext_lazy("Les procès-verbaux signés des séances tenues, sur le portail"),
    "budget": gettext_lazy("Le plan d'action et son budget adoptés, sur le portail"),
    "evaluations": gettext_lazy("Les rapports d'évaluation"),
    "audit_reports": gettext_lazy("Les rapports d'audit et de contrôle"),
}

#: partnerships per page of the list per authority
PAGE_SIZE = 25
#: the most records shown in a checklist's history (newest first)
HISTORY = 50
_HELD = ("held", "minutes_drafted", "minutes_signed", "published")

Facts = dict[str, tuple[int | None, int]]


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    label: str
    legal: str
    source: str
    due: int | None
    published: int
    state: rules.ItemState
    #: the latest publication an officer recorded, for a ``recorded`` line
    record: PublicationRecord | None = None


def _facts(partnerships: Sequence[Partnership]) -> dict[int, Facts]:
    """For each partnership and each computed line: how many things are due for publication
    and how many are published (four queries whatever the number of partnerships). The
    portal shows only a published partnership's records: while it is not public, nothing
    counts as on the portal."""
    ids = [p.pk for p in partnerships]
    in_force = set(
        ConventionVersion.objects.filter(
            convention__partnership_id__in=ids, status=ConventionStatus.IN_FORCE
        ).values_list("convention__partnership_id", flat=True)
    )
    decisions = {
        row["partnership_id"]: row
        for row in Decision.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(due=Count("id"), posted=Count("posting"))
        .order_by()
    }
    meetings = {
        row["partnership_id"]: row
        for row in Meeting.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(due=Count("id", filter=Q(status__in=_HELD)),
                  published=Count("id", filter=Q(status="published")))
        .order_by()
    }  # fmt: skip
    adopted = set(
        PlanVersion.objects.filter(
            plan__partnership_id__in=ids, status=PlanStatus.ADOPTED
        ).values_list("plan__partnership_id", flat=True)
    )
    facts = {}
    for p in partnerships:
        public = partnership_rules.Status(p.status) in partnership_rules.PUBLISHED
        posted = decisions.get(p.pk, {"due": 0, "posted": 0})
        held = meetings.get(p.pk, {"due": 0, "published": 0})
        facts[p.pk] = {
            "convention": (int(p.pk in in_force), int(p.pk in in_force and public)),
            "decisions": (posted["due"], posted["posted"]),
            "minutes": (held["due"], held["published"] if public else 0),
            "budget": (int(p.pk in adopted), int(p.pk in adopted and public)),
        }
    return facts


def latest_records(partnership_ids: Iterable[int]) -> dict[tuple[int, str], PublicationRecord]:
    """The latest record of each (partnership, line): one query (index
    ``transp_publication_line``), whatever the length of each line's history."""
    newest = PublicationRecord.objects.filter(
        partnership_id=OuterRef("partnership_id"), item=OuterRef("item")
    ).order_by("-published_on", "-id")
    rows = PublicationRecord.objects.filter(
        partnership_id__in=list(partnership_ids), id=Subquery(newest.values("id")[:1])
    ).defer("note")
    return {(r.partnership_id, r.item): r for r in rows}


def publication_facts(*, partnership: Partnership) -> Facts:
    """The counts of one partnership's computed lines (four queries)."""
    return _facts([partnership])[partnership.pk]


def _rows(facts: Facts, records: dict[str, PublicationRecord]) -> list[ChecklistRow]:
    rows = []
    for item in rules.PUBLICATION_CHECKLIST:
        due, published = facts.get(item.code, (None, 0))
        record = records.get(item.code)
        state = rules.item_state(due=due, published=published, recorded=record is not None)
        rows.append(ChecklistRow(
            item.code, str(PUBLICATION_LABELS.get(item.code, item.code)), item.legal,
            item.source, due, published, state, record,
        ))  # fmt: skip
    return rows


def checklists(partnerships: Sequence[Partnership]) -> dict[int, list[ChecklistRow]]:
    """The checklist of each partnership, in five queries whatever their number."""
    facts = _facts(partnerships)
    latest = latest_records(facts)
    return {
        p.pk: _rows(facts[p.pk], {item: r for (pk, item), r in latest.items() if pk == p.pk})
        for p in partnerships
    }


def publication_checklist(*, partnership: Partnership) -> list[ChecklistRow]:
    return checklists([partnership])[partnership.pk]


def records_list(*, partnership: Partnership) -> list[PublicationRecord]:
    """The history of what officers recorded, newest first (the latest ``HISTORY``)."""
    return list(
        PublicationRecord.objects.filter(partnership=partnership)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")[:HISTORY]
    )


def record_get(*, partnership: Partnership, pk: int) -> PublicationRecord:
    record = PublicationRecord.objects.filter(partnership=partnership, pk=pk).first()
    if record is None or not record.proof:
        raise NotFound()
    return record


def recorded_item_get(code: str) -> rules.PublicationItem:
    """The checklist line an officer may record (404 for a computed or unknown line)."""
    if code not in RECORDED_ITEMS:
        raise NotFound()
    return next(i for i in rules.PUBLICATION_CHECKLIST if i.code == code)


# --- Per authority: every partnership with its counts ----------------------------------------


@dataclass(frozen=True)
class Counts:
    published: int
    partial: int
    missing: int
    to_check: int


def counts_of(rows: Iterable[ChecklistRow]) -> Counts:
    states = [r.state for r in rows]
    return Counts(
        states.count(rules.ItemState.DONE), states.count(rules.ItemState.PARTIAL),
        states.count(rules.ItemState.MISSING), states.count(rules.ItemState.TO_CHECK),
    )  # fmt: skip


@dataclass(frozen=True)
class OverviewRow:
    partnership: Partnership
    counts: Counts


@dataclass(frozen=True)
class Overview:
    rows: list[OverviewRow]
    next_after: int | None
    after: int | None


def _readable(user: Any) -> QuerySet[Partnership]:
    return Partnership.objects.filter(partnerships_where(user, Perm.REQUEST_VIEW))


def keyset(
    rows: QuerySet[Partnership], after: int | None, size: int
) -> tuple[list[Partnership], int | None]:
    """A page of ``size`` partnerships by ``(title, id)`` after the one ``after`` (by key,
    index ``partnerships_title_order``), and the key of the next page."""
    if after is not None:
        title = rows.filter(pk=after).values_list("title", flat=True).first()
        if title is not None:
            rows = rows.filter(Q(title__gt=title) | Q(title=title, pk__gt=after))
    page = list(rows.order_by("title", "pk")[: size + 1])
    return page[:size], (page[size - 1].pk if len(page) > size else None)


def overview_view_get(*, user: Any, after: int | None, size: int = PAGE_SIZE) -> Overview:
    """The partnerships the user reads (an authority's officer: every partnership the
    authority leads), each with its checklist's counts: seven queries whatever the data."""
    partnerships, next_after = keyset(_readable(user), after, size)
    found = checklists(partnerships)
    rows = [OverviewRow(p, counts_of(found[p.pk])) for p in partnerships]
    return Overview(rows=rows, next_after=next_after, after=after)


def to_do(*, user: Any, limit: int) -> list[tuple[Partnership, Counts]]:
    """The user's partnerships (those whose information they manage) with a line missing,
    partly published or to check: the first ``limit`` by title, in six queries."""
    mine = Partnership.objects.filter(partnerships_where(user, Perm.REQUEST_MANAGE))
    partnerships = list(mine.order_by("title", "pk")[:limit])
    found = checklists(partnerships)
    result = []
    for p in partnerships:
        counts = counts_of(found[p.pk])
        if counts.missing or counts.partial or counts.to_check:
            result.append((p, counts))
    return result
