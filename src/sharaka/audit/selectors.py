"""Reads of the audit app: the page of the pre-audit checks (a view model, fixed queries)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from sharaka.audit import plan_rules, plans, recommendations, rules
from sharaka.audit.models import (
    Audit,
    AuditFinding,
    AuditStatus,
    CheckFinding,
    CheckRun,
    FollowUp,
    Recommendation,
    RecommendationStatus,
    Severity,
    WorkPaper,
)
from sharaka.core import locale
from sharaka.core.access import Perm, can, grant_in_force
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor
from sharaka.finance.models import Expense
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import GrantRole, Partnership, PartnershipRole

#: Findings shown on the page (the command line's ``--json`` gives every one).
PAGE_FINDINGS = 300


def partnership_get(*, user: Actor | None, slug: str, perm: Perm = Perm.AUDIT_VIEW) -> Partnership:
    """The partnership, if ``user`` may view it (404 otherwise) and holds ``perm`` (403)."""
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


def run_latest(*, partnership: Partnership) -> CheckRun | None:
    return (
        CheckRun.objects.filter(partnership=partnership)
        .select_related("run_by")
        .order_by("-started_at", "-id")
        .first()
    )


#: The rules' parameters that hold an amount ("4200.00") or a day ("2026-11-23"): stored
#: plain, shown in the reader's formats (docs/locale.md).
_AMOUNTS = frozenset({"amount", "excess", "planned", "missing"})
_DAYS = frozenset({"date", "received", "paid", "due"})


def _shown(key: str, value: Any) -> Any:
    try:
        if key in _AMOUNTS:
            return locale.money(value)
        if key in _DAYS:
            return date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except (ValueError, ArithmeticError):
        pass
    return value


def finding_message(code: str, params: Mapping[str, Any]) -> str:
    """A finding in the reader's language (the check's French source, translated), its
    amounts and days in the reader's formats."""
    try:
        check = rules.CHECKS[rules.Code(code)]
    except ValueError:
        return code
    shown = {key: _shown(key, value) for key, value in dict(params).items()}
    try:
        return gettext(check.message) % shown
    except (KeyError, TypeError, ValueError):
        return check.message % shown


def check_title(code: str) -> str:
    try:
        return gettext(rules.CHECKS[rules.Code(code)].title)
    except ValueError:
        return code


def check_reference(code: str) -> str:
    try:
        return rules.CHECKS[rules.Code(code)].reference
    except ValueError:
        return ""


#: record type -> (URL name, needs the record's id, label of the link)
_LINKS: dict[str, tuple[str, bool, str]] = {
    "expense": ("finance:expense", True, gettext_noop("Dépense n° %(id)s")),
    "budget_line": ("finance:summary", False, gettext_noop("Ligne budgétaire n° %(id)s")),
    "contribution": ("finance:contributions", False, gettext_noop("Contribution n° %(id)s")),
    "staff_assignment": ("structure:overview", False, gettext_noop("Affectation n° %(id)s")),
    "asset": ("structure:asset", True, gettext_noop("Bien n° %(id)s")),
    "meeting": ("meetings:detail", True, gettext_noop("Séance n° %(id)s")),
    "minutes": ("", False, gettext_noop("Procès-verbal n° %(id)s")),
    "admissibility_file": (
        "partners:file",
        True,
        gettext_noop("Dossier de recevabilité n° %(id)s"),
    ),
    "organization": ("directory:organization_detail", True, gettext_noop("Organisation n° %(id)s")),
}
_NO_SLUG = {"partners:file", "directory:organization_detail"}


@dataclass(frozen=True)
class RecordLink:
    type: str
    id: int
    label: str
    url: str


def record_link(slug: str, record: Mapping[str, Any]) -> RecordLink:
    kind = str(record.get("type", ""))
    pk = int(record.get("id", 0))
    name, with_id, label = _LINKS.get(kind, ("", False, "%(id)s"))
    url = ""
    if name:
        kwargs: dict[str, Any] = {} if name in _NO_SLUG else {"slug": slug}
        if with_id:
            kwargs["meeting_id" if name == "meetings:detail" else "pk"] = pk
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            url = ""
    return RecordLink(kind, pk, gettext(label) % {"id": pk}, url)


@dataclass(frozen=True)
class FindingRow:
    code: str
    title: str
    message: str
    reference: str
    records: tuple[RecordLink, ...]


@dataclass(frozen=True)
class SeverityGroup:
    severity: str
    label: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class ChecksView:
    run: CheckRun | None
    groups: tuple[SeverityGroup, ...]
    errors: tuple[tuple[str, str], ...]  # (check title, why it failed)
    shown: int
    total: int
    checks: tuple[tuple[str, str, str, int], ...]  # (severity label, title, reference, count)


def checks_view_get(*, partnership: Partnership) -> ChecksView:
    """The last run's findings by severity, with links to the records (three queries)."""
    run = run_latest(partnership=partnership)
    labels = dict(Severity.choices)
    if run is None:
        return ChecksView(None, (), (), 0, 0, ())
    rows = list(CheckFinding.objects.filter(run=run).order_by("rank", "id")[:PAGE_FINDINGS])
    groups = []
    for severity in rules.SEVERITY_ORDER:
        members = tuple(
            FindingRow(
                code=row.code,
                title=check_title(row.code),
                message=finding_message(row.code, row.params),
                reference=check_reference(row.code),
                records=tuple(record_link(partnership.slug, r) for r in row.records),
            )
            for row in rows
            if row.severity == severity.value
        )
        if members:
            groups.append(SeverityGroup(severity.value, str(labels[severity.value]), members))
    errors = tuple((check_title(code), why) for code, why in sorted(run.errors.items()))
    checks = tuple(
        (
            str(labels[c.severity.value]),
            gettext(c.title),
            c.reference,
            int(run.counts.get(c.code.value, 0)),
        )
        for c in rules.CHECKS.values()
    )
    return ChecksView(run, tuple(groups), errors, len(rows), run.finding_count, checks)


# --- Audit plan and engagements (ADR 0034) --------------------------------------------------

#: Audits shown on the plan page (a partnership has a few per year).
PLAN_ROWS = 200
#: Sampled expenses listed on an engagement's page.
SAMPLE_ROWS = 200


@dataclass(frozen=True)
class AuditRow:
    audit: Audit
    overdue: bool


@dataclass(frozen=True)
class PlanView:
    rows: tuple[AuditRow, ...]
    by_status: tuple[tuple[str, int], ...]  # (label, count) in the order of the statuses
    overdue: int


def plan_view_get(*, partnership: Partnership, today: date) -> PlanView:
    """The plan page: every audit of the partnership, by period (two queries)."""
    audits = list(
        Audit.objects.filter(partnership=partnership)
        .select_related("auditor")
        .order_by("period_start", "kind", "id")[:PLAN_ROWS]
    )
    counts = dict(
        Audit.objects.filter(partnership=partnership)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rows = tuple(AuditRow(a, plan_rules.is_overdue(a.status, a.due_on, today)) for a in audits)
    return PlanView(
        rows=rows,
        by_status=tuple((str(label), counts.get(value, 0)) for value, label in AuditStatus.choices),
        overdue=sum(1 for r in rows if r.overdue),
    )


def audit_get(*, user: Actor | None, slug: str, pk: int, perm: Perm = Perm.AUDIT_VIEW) -> Audit:
    """One audit of a partnership ``user`` may read (404 otherwise), if they hold ``perm``."""
    partnership = partnership_get(user=user, slug=slug, perm=perm)
    audit = Audit.objects.filter(partnership=partnership, pk=pk).select_related("auditor").first()
    if audit is None:
        raise NotFound()
    audit.partnership = partnership
    return audit


@dataclass(frozen=True)
class FindingView:
    finding: AuditFinding
    expenses: tuple[Expense, ...]
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class EngagementView:
    audit: Audit
    overdue: bool
    sample: tuple[Expense, ...]
    sample_checks: bool
    papers: tuple[WorkPaper, ...] = ()
    findings: tuple[FindingView, ...] = ()
    may_record: bool = False
    may_issue: bool = False


#: Work papers and findings listed on an engagement's page and in its report.
ENGAGEMENT_ROWS = 500


def engagement_findings(audit: Audit) -> tuple[tuple[FindingView, ...], tuple[Expense, ...]]:
    """The engagement's findings with their expenses, and the shown part of its sample (two
    queries)."""
    findings = list(AuditFinding.objects.filter(audit=audit).order_by("number")[:ENGAGEMENT_ROWS])
    shown = list(audit.sample)[:SAMPLE_ROWS]
    wanted = set(shown) | {i for f in findings for i in f.expenses}
    expenses = {
        e.pk: e for e in Expense.objects.filter(partnership_id=audit.partnership_id, pk__in=wanted)
    }
    sample = tuple(
        sorted((expenses[i] for i in shown if i in expenses), key=lambda e: (e.date, e.pk))
    )
    views = tuple(
        FindingView(f, tuple(expenses[i] for i in f.expenses if i in expenses)) for f in findings
    )
    return views, sample


def engagement_view_get(*, audit: Audit, today: date, user: Actor | None = None) -> EngagementView:
    """An audit's page: its engagement, its sample (re-drawn to check it), its work papers
    and its findings with their recommendations (six queries)."""
    findings, sample = engagement_findings(audit)
    recs: dict[int, list[Recommendation]] = {}
    for rec in Recommendation.objects.filter(audit=audit).order_by("number")[:ENGAGEMENT_ROWS]:
        recs.setdefault(rec.finding_id, []).append(rec)
    findings = tuple(
        replace(f, recommendations=tuple(recs.get(f.finding.pk, ()))) for f in findings
    )
    papers = tuple(
        WorkPaper.objects.filter(audit=audit).order_by("uploaded_at", "id")[:ENGAGEMENT_ROWS]
    )
    may_record = user is not None and can(user, Perm.AUDIT_ENGAGE, audit.partnership) and (
        plan_rules.auditor_may_record(
            actor_id=getattr(user, "pk", None), auditor_id=audit.auditor_id,
            starts_on=audit.starts_on, ends_on=audit.ends_on, status=audit.status, today=today,
        )
    )  # fmt: skip
    return EngagementView(
        audit=audit,
        overdue=plan_rules.is_overdue(audit.status, audit.due_on, today),
        sample=sample,
        sample_checks=plans.sample_checks(audit) if audit.sample else False,
        papers=papers,
        findings=findings,
        may_record=may_record,
        may_issue=may_record and plan_rules.issuable(audit.status),
    )


def engaged_audit_get(*, user: Actor | None, slug: str, pk: int, today: date) -> Audit:
    """An engagement ``user`` records in: 404 when they may not read it, 403 unless they are
    its auditor and the engagement is under way."""
    audit = audit_get(user=user, slug=slug, pk=pk, perm=Perm.AUDIT_ENGAGE)
    if not plan_rules.auditor_may_record(
        actor_id=getattr(user, "pk", None), auditor_id=audit.auditor_id,
        starts_on=audit.starts_on, ends_on=audit.ends_on, status=audit.status, today=today,
    ):  # fmt: skip
        raise AccessDenied()
    return audit


def paper_get(*, audit: Audit, pk: int) -> WorkPaper:
    paper = WorkPaper.objects.filter(audit=audit, pk=pk).first()
    if paper is None:
        raise NotFound()
    return paper


def sample_choices(audit: Audit) -> list[tuple[int, str]]:
    """The engagement's sampled expenses, to link a finding to (the sample only: scoped)."""
    rows = Expense.objects.filter(
        partnership_id=audit.partnership_id, pk__in=list(audit.sample)
    ).order_by("date", "id")
    return [
        (e.pk, f"{date_format(e.date, 'SHORT_DATE_FORMAT')} · {e.supplier} · "
               f"{locale.money(e.amount, e.currency)}")
        for e in rows
    ]  # fmt: skip


def overdue_audits_todo(user: Actor, today: date) -> list[TodoItem]:
    """To-do provider: the overdue audits of the partnerships where ``user`` is coordinator
    or the audit's auditor (while their access holds). Two queries."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return []
    coordinated = list(
        PartnershipRole.objects.filter(
            grant_in_force(today), user_id=user.pk, role=GrantRole.COORDINATOR
        ).values_list("partnership_id", flat=True)
    )
    audits = (
        Audit.objects.filter(
            Q(partnership_id__in=coordinated) | Q(auditor_id=user.pk),
            status__in=[s.value for s in plan_rules.OPEN_STATUSES],
            due_on__lt=today,
        )
        .select_related("partnership")
        .order_by("due_on", "id")[:TODO_ROWS]
    )
    items = []
    for audit in audits:
        if not can(user, Perm.AUDIT_VIEW, audit.partnership):
            continue
        items.append(
            TodoItem(
                label=todo_label(
                    gettext("%(audit)s en retard · %(partnership)s"),
                    {
                        "audit": audit.get_kind_display().capitalize(),
                        "partnership": audit.partnership.title,
                    },
                ),
                url=reverse("audit:audit", kwargs={"slug": audit.partnership.slug, "pk": audit.pk}),
                urgency=Urgency.OVERDUE,
                due_on=audit.due_on,
            )
        )
    return items


TODO_ROWS = 20


def overdue_recommendations_todo(user: Actor, today: date) -> list[TodoItem]:
    """To-do provider: the overdue recommendations of the partnerships the user coordinates
    (the coordinator answers them). Two queries whatever the data."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return []
    coordinated = list(
        PartnershipRole.objects.filter(
            grant_in_force(today), user_id=user.pk, role=GrantRole.COORDINATOR
        ).values_list("partnership_id", flat=True)
    )
    if not coordinated:
        return []
    recs = (
        Recommendation.objects.filter(
            partnership_id__in=coordinated,
            status__in=[s.value for s in plan_rules.PENDING_RECOMMENDATIONS],
            due_on__lt=today,
        )
        .select_related("partnership")
        .order_by("due_on", "id")[:TODO_ROWS]
    )
    return [
        TodoItem(
            label=todo_label(
                gettext("Recommandation d'audit R%(n)s en retard · %(partnership)s"),
                {"n": rec.number, "partnership": rec.partnership.title},
            ),
            url=reverse(
                "audit:recommendation",
                kwargs={"slug": rec.partnership.slug, "pk": rec.audit_id, "rec": rec.pk},
            ),
            urgency=Urgency.OVERDUE,
            due_on=rec.due_on,
        )
        for rec in recs
    ]


# --- Recommendations and their follow-up (ADR 0047, ADR 0051) ---------------------------------


def finding_get(*, audit: Audit, pk: int) -> AuditFinding:
    finding = AuditFinding.objects.filter(audit=audit, pk=pk).first()
    if finding is None:
        raise NotFound()
    finding.audit = audit
    return finding


def recommendation_get(
    *, user: Actor | None, slug: str, pk: int, rec: int, perm: Perm = Perm.AUDIT_VIEW
) -> Recommendation:
    """A recommendation of an audit ``user`` may read (404 otherwise), if they hold ``perm``
    (403)."""
    audit = audit_get(user=user, slug=slug, pk=pk, perm=perm)
    found = (
        Recommendation.objects.filter(audit=audit, pk=rec)
        .select_related("finding", "agenda_item__meeting")
        .first()
    )
    if found is None:
        raise NotFound()
    found.audit = found.finding.audit = audit
    found.partnership = audit.partnership
    return found


def verified_recommendation_get(
    *, user: Actor | None, slug: str, pk: int, rec: int, today: date
) -> Recommendation:
    """A recommendation ``user`` verifies: 404 when they may not read it, 403 unless they are
    the auditor of an engagement of the partnership under way today."""
    found = recommendation_get(user=user, slug=slug, pk=pk, rec=rec, perm=Perm.AUDIT_ENGAGE)
    if not plan_rules.may_verify(
        actor_id=getattr(user, "pk", None),
        engagements=recommendations.verifier_engagements(found.partnership_id),
        today=today,
    ):
        raise AccessDenied()
    return found


def evidence_get(*, recommendation: Recommendation, pk: int) -> FollowUp:
    entry = (
        FollowUp.objects.filter(recommendation=recommendation, pk=pk).exclude(evidence="").first()
    )
    if entry is None:
        raise NotFound()
    return entry


@dataclass(frozen=True)
class RecommendationView:
    recommendation: Recommendation
    history: tuple[FollowUp, ...]
    overdue: bool
    may_answer: bool
    may_verify: bool


def recommendation_view_get(
    *, recommendation: Recommendation, user: Actor | None, today: date
) -> RecommendationView:
    """A recommendation's page: its finding, owner and due date, the agenda item it was put
    on, and its history of follow-up entries (three queries)."""
    rec = recommendation
    history = tuple(
        FollowUp.objects.filter(recommendation=rec)
        .select_related("recorded_by")
        .order_by("recorded_at", "id")[:ENGAGEMENT_ROWS]
    )
    verifier = (
        user is not None
        and rec.status == RecommendationStatus.DONE
        and can(user, Perm.AUDIT_ENGAGE, rec.audit.partnership)
        and plan_rules.may_verify(
            actor_id=getattr(user, "pk", None),
            engagements=recommendations.verifier_engagements(rec.partnership_id),
            today=today,
        )
    )
    return RecommendationView(
        recommendation=rec,
        history=history,
        overdue=plan_rules.recommendation_overdue(rec.status, rec.due_on, today),
        may_answer=user is not None
        and can(user, Perm.AUDIT_PLAN_CHANGE, rec.audit.partnership)
        and plan_rules.recommendation_move_allowed(rec.status, rec.status),
        may_verify=bool(verifier),
    )
