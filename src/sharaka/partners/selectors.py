"""Reads of admissibility files, each in a fixed number of queries; every one checks
access through ``partners.access`` first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from sharaka.core.access import Capabilities, Perm
from sharaka.core.errors import NotFound
from sharaka.core.history import HistoryEntry, history_entries
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind
from sharaka.partners import access, conflicts, rules
from sharaka.partners.models import (
    AdmissibilityFile,
    CriteriaSet,
    Criterion,
    Evidence,
    FundingThreshold,
    GapLabel,
    OutcomeLabel,
)
from sharaka.partnerships.ports import ConflictLine

PAGE_SIZE = 25


def authority_get(*, user: Actor | None, pk: int) -> Organization:
    """An authority whose files ``user`` reads (404 otherwise). 1 query."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, pk)
    authority = Organization.objects.filter(pk=pk, kind__in=AUTHORITY_KINDS).first()
    if authority is None:
        raise NotFound()
    return authority


def default_authority_id(*, user: Actor | None) -> int | None:
    """The authority whose files ``user`` reads by default: their own organisation."""
    organization_id: int | None = getattr(user, "organization_id", None)
    if organization_id is not None and access.capabilities(user, organization_id).perms:
        return organization_id
    return None


def criteria_set_get(*, authority_id: int) -> CriteriaSet | None:
    """The authority's own criteria set, else the default one (the oldest set without an
    authority). 1 query."""
    return (
        CriteriaSet.objects.filter(Q(authority_id=authority_id) | Q(authority__isnull=True))
        .order_by(F("authority_id").asc(nulls_last=True), "pk")
        .first()
    )


def criteria_list(*, authority_id: int) -> list[Criterion]:
    """The criteria an authority asks, in order. 2 queries."""
    criteria_set = criteria_set_get(authority_id=authority_id)
    if criteria_set is None:
        return []
    return list(criteria_set.criteria.order_by("position", "pk"))


def threshold_list(*, authority_id: int) -> list[rules.Threshold]:
    """The funding thresholds for an authority: its own if it has any, else the default
    ones. 1 query."""
    rows = list(
        FundingThreshold.objects.filter(Q(authority_id=authority_id) | Q(authority__isnull=True))
    )
    own = [row for row in rows if row.authority_id == authority_id]
    return [row.as_rule() for row in (own or rows)]


def facts_of(file: AdmissibilityFile) -> rules.Facts:
    return rules.Facts(
        public_utility=file.association.public_utility, previously_funded=file.previously_funded
    )


def assess(
    file: AdmissibilityFile, criteria: list[Criterion], evidence: list[Evidence], on: dt.date
) -> rules.Assessment:
    return rules.assess(
        [c.as_rule() for c in criteria], [e.as_rule() for e in evidence], on=on,
        facts=facts_of(file),
    )  # fmt: skip


# --- The files of one authority ---------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    file: AdmissibilityFile
    assessment: rules.Assessment

    @property
    def outcome_label(self) -> str:
        return str(OutcomeLabel(self.assessment.outcome).label)

    @property
    def items(self) -> list[tuple[rules.Item, str]]:
        """What is missing or expired, each with its reason as the page says it."""
        return [(item, str(GapLabel(item.gap).label)) for item in self.assessment.items]


@dataclass(frozen=True)
class FilesView:
    authority: Organization
    rows: list[FileRow]
    query: str
    next_after: int | None  # the key of the next page, None on the last one
    can: Capabilities
    on: dt.date


def file_list_view_get(
    *, user: Actor | None, authority: Organization, query: str = "", after: int | None = None,
    on: dt.date | None = None, size: int = PAGE_SIZE,
) -> FilesView:  # fmt: skip
    """One page of an authority's files, by association name then key (``after`` is the
    key of the last file of the previous page), optionally searched by association name.
    5 queries at most: the criteria (2), the name of the previous page's last file, the
    page, its evidence."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, authority.pk)
    on = on or timezone.localdate()
    criteria = criteria_list(authority_id=authority.pk)
    files = AdmissibilityFile.objects.filter(authority=authority).select_related(
        "association", "authority", "decided_by"
    )
    if query:
        files = files.filter(
            Q(association__name__icontains=query) | Q(association__short_name__icontains=query)
        )
    if after is not None:
        last = AdmissibilityFile.objects.filter(authority=authority, pk=after).values_list(
            "association__name", flat=True
        )
        name = last.first() or ""
        files = files.filter(
            Q(association__name__gt=name) | Q(association__name=name, pk__gt=after)
        )
    evidence = Prefetch("evidence", queryset=Evidence.objects.select_related("criterion"))
    page = list(files.order_by("association__name", "pk").prefetch_related(evidence)[: size + 1])
    more = len(page) > size
    page = page[:size]
    rows = [FileRow(f, assess(f, criteria, list(f.evidence.all()), on)) for f in page]
    return FilesView(
        authority=authority, rows=rows, query=query,
        next_after=page[-1].pk if more and page else None,
        can=access.capabilities(user, authority.pk), on=on,
    )  # fmt: skip


# --- One file ------------------------------------------------------------------------------------


def file_get(
    *, user: Actor | None, pk: int, perm: Perm = Perm.ADMISSIBILITY_VIEW
) -> AdmissibilityFile:
    """A file ``user`` may read (404 otherwise) and act on with ``perm`` (403). 1 query."""
    file = (
        AdmissibilityFile.objects.select_related("association", "authority", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if file is None:
        raise NotFound()
    access.require(user, perm, file.authority_id)
    return file


def evidence_get(*, file: AdmissibilityFile, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("criterion").filter(file=file, pk=pk).first()
    if evidence is None:
        raise NotFound()
    return evidence


@dataclass(frozen=True)
class FileView(FileRow):
    evidence: list[Evidence]
    criteria: list[Criterion]
    can: Capabilities
    on: dt.date
    history: list[HistoryEntry]
    conflicts: list[ConflictLine]


def file_view_get(
    *, user: Actor | None, file: AdmissibilityFile, on: dt.date | None = None
) -> FileView:
    """Everything a file's page shows. 9 queries at most: the criteria, the evidence with
    their criteria and checkers, the decision history (2), the conflicts of interest (4)."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, file.authority_id)
    on = on or timezone.localdate()
    criteria = criteria_list(authority_id=file.authority_id)
    evidence = list(Evidence.objects.filter(file=file).select_related("criterion", "checked_by"))
    return FileView(
        file=file, assessment=assess(file, criteria, evidence, on), evidence=evidence,
        criteria=criteria, can=access.capabilities(user, file.authority_id), on=on,
        history=history_entries(file, limit=50),
        conflicts=conflicts.conflicts_find(
            authority_id=file.authority_id, association_id=file.association_id, on=on
        ),
    )  # fmt: skip


def association_choices(*, authority_id: int) -> QuerySet[Organization]:
    """Associations that have no file with this authority yet (for opening one): searched,
    never listed whole (``partners.lookups``)."""
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION).exclude(
        admissibility_files__authority_id=authority_id
    )


def file_assessment_get(*, file: AdmissibilityFile, on: dt.date | None = None) -> rules.Assessment:
    """The computed result of one file (services: before a decision). 2 queries."""
    on = on or timezone.localdate()
    criteria = criteria_list(authority_id=file.authority_id)
    return assess(
        file, criteria, list(Evidence.objects.filter(file=file).select_related("criterion")), on
    )


# --- Funding thresholds (read by finance for its contribution page) ----------------------------


@dataclass(frozen=True)
class FundingWarning:
    """One association's yearly funding by one authority, above these thresholds."""

    association: str
    year: int
    total: Decimal
    thresholds: list[rules.Threshold]


def funding_warnings(
    *, authority_id: int, totals: dict[tuple[str, int], Decimal]
) -> list[FundingWarning]:
    """For each (association name, year) total of one authority's funding, the thresholds
    it is above (lowest first); the latest year first. 1 query (the thresholds)."""
    if not totals:
        return []
    thresholds = threshold_list(authority_id=authority_id)
    warnings = []
    for (name, year), total in sorted(totals.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        above = rules.thresholds_above(thresholds, total)
        if above:
            warnings.append(FundingWarning(association=name, year=year, total=total,
                                           thresholds=above))  # fmt: skip
    return warnings
