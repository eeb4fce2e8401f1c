"""Rebuild the observatory's snapshot (issue 19, ADR 0037).

The facts each score needs are read for every partnership at once, a few grouped queries
per measure (never one query per partnership), then scored by the pure ``rules`` and
written whole in one transaction: the pages never see half a snapshot."""

from __future__ import annotations

import functools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from sharaka.audit.models import Audit, AuditStatus, CheckRun
from sharaka.conventions.models import ConventionVersion, VersionStatus
from sharaka.directory.models import Gender, Organization, OrganizationKind
from sharaka.evaluation.models import Evaluation
from sharaka.finance.models import Expense, ExpenseStatus
from sharaka.governance.models import Mandate
from sharaka.meetings.models import Decision, Meeting
from sharaka.observatory import rules
from sharaka.observatory.models import AuthorityScore, PartnershipScore, Refresh, TerritoryScore
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import BudgetAmount, PlanVersion
from sharaka.planning.models import VersionStatus as PlanStatus
from sharaka.transparency import rules as transparency_rules
from sharaka.transparency.models import DecisionPosting, InformationRequest

C = rules.Code
PROVINCE = OrganizationKind.PROVINCE_REGION
#: Meeting statuses once the meeting has been held.
_HELD = ("held", "minutes_drafted", "minutes_signed", "published")


@dataclass
class Facts:
    """What the scores of every partnership need, keyed by partnership id."""

    seats: dict[int, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    women: Counter[int] = field(default_factory=Counter)
    members: Counter[int] = field(default_factory=Counter)
    convention: set[int] = field(default_factory=set)
    plan: set[int] = field(default_factory=set)
    minutes_due: Counter[int] = field(default_factory=Counter)
    minutes_in_time: Counter[int] = field(default_factory=Counter)
    budget: dict[int, Decimal] = field(default_factory=dict)
    spent: dict[int, Decimal] = field(default_factory=dict)
    findings: dict[int, int] = field(default_factory=dict)
    requests_due: Counter[int] = field(default_factory=Counter)
    requests_in_time: Counter[int] = field(default_factory=Counter)
    decisions_due: Counter[int] = field(default_factory=Counter)
    decisions_in_time: Counter[int] = field(default_factory=Counter)
    audits_due: Counter[int] = field(default_factory=Counter)
    audits_kept: Counter[int] = field(default_factory=Counter)
    evaluations_due: Counter[int] = field(default_factory=Counter)
    evaluations_kept: Counter[int] = field(default_factory=Counter)


def facts_get(today: date) -> Facts:
    facts = Facts()
    current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    mandates = Mandate.objects.filter(
        current, seat__voting=True, seat__abolished_on__isnull=True
    ).values_list("seat__board__partnership_id", "seat__college_id", "person__gender")
    for pid, college, gender in mandates.iterator(chunk_size=5000):
        facts.seats[pid][college] += 1
        facts.members[pid] += 1
        facts.women[pid] += gender == Gender.FEMALE
    facts.convention = set(
        ConventionVersion.objects.filter(status=VersionStatus.IN_FORCE).values_list(
            "convention__partnership_id", flat=True
        )
    )
    facts.plan = set(
        PlanVersion.objects.filter(
            status=PlanStatus.ADOPTED, plan__period_start__lte=today, plan__period_end__gte=today
        ).values_list("plan__partnership_id", flat=True)
    )
    _minutes(facts, today)
    budget = (
        BudgetAmount.objects.filter(
            year=today.year, line__activity__version__status=PlanStatus.ADOPTED
        )
        .values_list("line__activity__version__plan__partnership_id")
        .annotate(total=Sum("amount"))
    )
    facts.budget = dict(budget)
    spent = (
        Expense.objects.filter(
            year=today.year, status__in=(ExpenseStatus.APPROVED, ExpenseStatus.PAID)
        )
        .values_list("partnership_id")
        .annotate(total=Sum("amount"))
    )
    facts.spent = dict(spent)
    last = CheckRun.objects.filter(partnership_id=OuterRef("partnership_id")).order_by(
        "-started_at", "-id"
    )
    runs = CheckRun.objects.filter(pk=Subquery(last.values("pk")[:1]))
    facts.findings = dict(runs.values_list("partnership_id", "finding_count"))
    _requests(facts, today)
    _postings(facts, today)
    _schedule(facts, today)
    return facts


def _minutes(facts: Facts, today: date) -> None:
    """Meetings held at least ``MINUTES_DAYS`` ago, and whether their minutes were signed
    within that time."""
    cutoff = timezone.now() - timedelta(days=rules.MINUTES_DAYS)
    held = Meeting.objects.filter(status__in=_HELD, starts_at__lte=cutoff)
    rows = held.values_list("partnership_id", "starts_at", "minutes__signed_at")
    for pid, starts_at, signed_at in rows.iterator(chunk_size=5000):
        facts.minutes_due[pid] += 1
        limit = starts_at + timedelta(days=rules.MINUTES_DAYS)
        facts.minutes_in_time[pid] += signed_at is not None and signed_at <= limit


def _requests(facts: Facts, today: date) -> None:
    due = InformationRequest.objects.filter(Q(due_on__lt=today) | Q(answered_on__isnull=False))
    rows = due.values_list("partnership_id").annotate(
        n=Count("id"), in_time=Count("id", filter=Q(answered_on__lte=F("due_on")))
    )
    for pid, n, in_time in rows:
        facts.requests_due[pid] = n
        facts.requests_in_time[pid] = in_time


def _postings(facts: Facts, today: date) -> None:
    """Decisions whose posting is due (posted, or past their 8 days: ADR 0036) and those
    posted by their due date, by the transparency app's own rules. Two queries."""
    postings = {
        decision: (due, posted)
        for decision, due, posted in DecisionPosting.objects.values_list(
            "decision_id", "due_on", "posted_on"
        ).iterator(chunk_size=5000)
    }
    due_of = functools.cache(transparency_rules.posting_due)  # few distinct dates
    state = transparency_rules.posting_state
    rows = Decision.objects.values_list("pk", "partnership_id", "decided_on")
    for pk, pid, decided_on in rows.iterator(chunk_size=5000):
        due, posted = postings.get(pk) or (due_of(decided_on), None)
        result = state(due=due, posted=posted, today=today)
        if result != transparency_rules.PostingState.DUE:
            facts.decisions_due[pid] += 1
            facts.decisions_in_time[pid] += result == transparency_rules.PostingState.ON_TIME


def _schedule(facts: Facts, today: date) -> None:
    """Audits of the plan whose report is due, and those reported (ADR 0034); evaluations
    whose planned date has passed, and those started by then (ADR 0035)."""
    reported = (AuditStatus.REPORTED, AuditStatus.CLOSED)
    audits = (
        Audit.objects.filter(due_on__lt=today)
        .values_list("partnership_id")
        .annotate(n=Count("id"), kept=Count("id", filter=Q(status__in=reported)))
    )
    for pid, n, kept in audits:
        facts.audits_due[pid] = n
        facts.audits_kept[pid] = kept
    evaluations = (
        Evaluation.objects.filter(planned_on__lt=today)
        .values_list("partnership_id")
        .annotate(n=Count("id"), kept=Count("id", filter=Q(started_on__lte=F("planned_on"))))
    )
    for pid, n, kept in evaluations:
        facts.evaluations_due[pid] = n
        facts.evaluations_kept[pid] = kept


def scores_of(pid: int, facts: Facts) -> dict[str, rules.Score]:
    """Every measure's score of one partnership (``None``: not yet measured)."""
    scores: dict[str, rules.Score] = {
        C.BOARD_BALANCE: rules.board_balance({str(k): v for k, v in facts.seats[pid].items()}),
        C.WOMEN_SHARE: rules.women_share(facts.women[pid], facts.members[pid]),
        C.CONVENTION: rules.convention_in_force(pid in facts.convention),
        C.ACTION_PLAN: rules.action_plan_in_force(pid in facts.plan),
        C.MINUTES_ON_TIME: rules.minutes_on_time(
            facts.minutes_due[pid], facts.minutes_in_time[pid]
        ),
        C.BUDGET_EXECUTION: rules.budget_execution(
            facts.budget.get(pid, Decimal(0)), facts.spent.get(pid, Decimal(0))
        ),
        C.AUDIT_FINDINGS: rules.audit_findings(facts.findings.get(pid)),
        C.REQUESTS_ON_TIME: rules.requests_on_time(
            facts.requests_due[pid], facts.requests_in_time[pid]
        ),
        C.DECISIONS_POSTED: rules.decisions_posted(
            facts.decisions_due[pid], facts.decisions_in_time[pid]
        ),
        C.EVALUATIONS_ON_SCHEDULE: rules.on_schedule(
            facts.audits_due[pid],
            facts.audits_kept[pid],
            facts.evaluations_due[pid],
            facts.evaluations_kept[pid],
        ),
    }
    return {m.code.value: scores.get(m.code) if m.measured else None for m in rules.MEASURES}


@transaction.atomic
def snapshot_refresh(*, today: date | None = None) -> Refresh:
    """Score every partnership and every lead authority; replace the snapshot whole."""
    started = time.monotonic()
    today = today or timezone.localdate()
    facts = facts_get(today)
    partnerships = Partnership.objects.values_list(
        "pk", "title", "slug", "sector", "status", "lead_authority_id",
        "lead_authority__province_id", "lead_authority__kind",
    ).order_by("pk")  # fmt: skip
    rows: list[PartnershipScore] = []
    by_authority: dict[int, list[dict[str, rules.Score]]] = defaultdict(list)
    for pid, title, slug, sector, status, authority, province, kind in partnerships.iterator(2000):
        if kind == PROVINCE and province is None:
            province = authority  # a province leads in its own territory
        scores = scores_of(pid, facts)
        by_authority[authority].append(scores)
        rows.append(
            PartnershipScore(
                partnership_id=pid, title=title, slug=slug, sector=sector, status=status,
                authority_id=authority, province_id=province,
                scores=scores, overall=rules.overall(scores),
            )
        )  # fmt: skip
    PartnershipScore.objects.all().delete()
    PartnershipScore.objects.bulk_create(rows, batch_size=2000)
    _territories(rows, _authorities(by_authority))
    refresh = Refresh.objects.create(
        finished_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
        partnerships=len(rows),
    )
    return refresh


def _authorities(by_authority: dict[int, list[dict[str, rules.Score]]]) -> dict[int, str]:
    """Write one row per lead authority; returns the provinces' names by id."""
    orgs = Organization.objects.filter(pk__in=list(by_authority)).values_list(
        "pk", "name", "kind", "province_id", "province__name"
    )
    rows = []
    provinces: dict[int, str] = {}
    for pk, name, kind, province, province_name in orgs.iterator(2000):
        if kind == PROVINCE and province is None:
            province, province_name = pk, name  # a province leads in its own territory
        if province is not None:
            provinces[province] = province_name
        scores = rules.authority_scores(by_authority[pk])
        rows.append(
            AuthorityScore(
                authority_id=pk, name=name, province_id=province,
                province_name=province_name or "", partnerships=len(by_authority[pk]),
                scores=scores, overall=rules.overall(scores),
            )
        )  # fmt: skip
    AuthorityScore.objects.all().delete()
    AuthorityScore.objects.bulk_create(rows, batch_size=2000)
    return provinces


def _territories(rows: list[PartnershipScore], provinces: dict[int, str]) -> None:
    """The country and each province: counts by sector and status, mean scores."""
    groups: dict[int | None, list[PartnershipScore]] = defaultdict(list)
    groups[None] = []  # the country, even empty
    for row in rows:
        groups[None].append(row)
        if row.province_id is not None:
            groups[row.province_id].append(row)
    territories = []
    for province, members in groups.items():
        scores = rules.authority_scores(row.scores for row in members)
        territories.append(
            TerritoryScore(
                province_id=province, name=provinces.get(province, "") if province else "",
                partnerships=len(members), authorities=len({r.authority_id for r in members}),
                by_sector=dict(Counter(r.sector for r in members)),
                by_status=dict(Counter(r.status for r in members)),
                scores=scores, overall=rules.overall(scores),
            )
        )  # fmt: skip
    TerritoryScore.objects.all().delete()
    TerritoryScore.objects.bulk_create(territories)
