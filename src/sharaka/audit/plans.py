"""The audit plan and its engagements (issue 15, ADR 0034): generated from the convention's
audit clause in force, edited, an auditor let in for the engagement's days only, and a
reproducible sample of expenses drawn from a stored seed.

Every function is atomic and a refusal changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.audit import plan_rules
from sharaka.audit.models import Audit, AuditKind, AuditStatus
from sharaka.conventions import selectors as convention_selectors
from sharaka.core.access import Perm, forget_grants, require
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.finance.models import Expense
from sharaka.partnerships.models import GrantRole, Partnership, PartnershipRole


class Code(StrEnum):
    NO_CONVENTION = "audit_no_convention"
    NO_START = "audit_partnership_without_start"
    PERIOD_OUTSIDE_LIFE = "audit_period_outside_life"
    PERIOD_MISSING = "audit_period_missing"
    SAMPLE_TOO_LARGE = "audit_sample_too_large"
    SAMPLE_NO_ENGAGEMENT = "audit_sample_without_engagement"


#: Plan generated this far ahead when the partnership has no end date.
HORIZON_YEARS = 1


def _clause(partnership: Partnership, at: date) -> tuple[dict[str, Any], str]:
    version = convention_selectors.version_in_force_get(partnership=partnership, at=at)
    if version is None:
        raise DomainError(
            Code.NO_CONVENTION,
            gettext("Aucune convention n'est en vigueur : le plan d'audit ne peut être établi."),
        )
    clause = version.clauses.filter(code="audit").first()
    params = dict(clause.params) if clause is not None else {}
    return params, f"convention:{version.pk}"


@transaction.atomic
def plan_generate(*, by: Actor, partnership: Partnership, today: date | None = None) -> int:
    """Add the audits the audit clause in force provides for, from the partnership's start
    to its end (or a year ahead); audits already in the plan are kept as edited. Returns
    how many were added."""
    require(by, Perm.AUDIT_PLAN_CHANGE, partnership)
    today = today or timezone.localdate()
    if partnership.start_date is None:
        raise DomainError(
            Code.NO_START,
            gettext("Le partenariat n'a pas de date de début : fixez-la d'abord."),
            field="start_date",
        )
    params, source = _clause(partnership, today)
    end = partnership.end_date or date(today.year + HORIZON_YEARS, 12, 31)
    frequencies = {AuditKind.FINANCIAL: plan_rules.FINANCIAL_FREQUENCY_MONTHS}
    if params.get("audit_frequency_months"):
        frequencies[AuditKind.AUDIT] = int(params["audit_frequency_months"])
    existing = set(
        Audit.objects.filter(partnership=partnership).values_list("kind", "period_start")
    )
    rows = [
        Audit(
            partnership=partnership,
            kind=kind,
            period_start=first,
            period_end=last,
            due_on=plan_rules.report_due(last),
            auditor_kind=str(params.get("auditor") or ""),
            auditor_name=str(params.get("auditor_name") or "")[:200],
            source=source,
        )
        for kind, months in frequencies.items()
        for first, last in plan_rules.plan_periods(partnership.start_date, end, months)
        if (kind.value, first) not in existing
    ]
    Audit.objects.bulk_create(rows)
    return len(rows)


def _sync_auditor_grant(user: Any, partnership: Partnership) -> None:
    """The auditor's time-bound grant spans their engagements on the partnership (none: no
    grant). A permanent auditor grant is never narrowed."""
    grants = PartnershipRole.objects.filter(
        user=user, partnership=partnership, role=GrantRole.AUDITOR
    )
    grant = grants.first()
    if grant is not None and grant.valid_from is None and grant.valid_until is None:
        return
    span = Audit.objects.filter(
        partnership=partnership, auditor=user, starts_on__isnull=False, ends_on__isnull=False
    ).aggregate(first=Min("starts_on"), last=Max("ends_on"))
    if span["first"] is None:
        grants.delete()
    elif grant is None:
        PartnershipRole.objects.create(
            user=user,
            partnership=partnership,
            role=GrantRole.AUDITOR,
            valid_from=span["first"],
            valid_until=span["last"],
        )
    else:
        grant.valid_from, grant.valid_until = span["first"], span["last"]
        grant.save(update_fields=["valid_from", "valid_until"])
    forget_grants(user)


@transaction.atomic
def audit_update(*, by: Actor, audit: Audit, fields: dict[str, Any]) -> Audit:
    """Edit one audit of the plan: its status, due date, scope and engagement (auditor and
    period). The auditor may read the partnership from the engagement's first to its last
    day only (``core.access``: a time-bound grant)."""
    require(by, Perm.AUDIT_PLAN_CHANGE, audit.partnership)
    previous = audit.auditor
    for name in ("status", "due_on", "scope", "auditor", "starts_on", "ends_on"):
        if name in fields:
            setattr(audit, name, fields[name])
    partnership = audit.partnership
    if audit.auditor is not None and (audit.starts_on is None or audit.ends_on is None):
        field = "starts_on" if audit.starts_on is None else "ends_on"
        raise DomainError(
            Code.PERIOD_MISSING,
            gettext("Une mission a une date de début et une date de fin."),
            field=field,
        )
    if audit.starts_on is not None and audit.ends_on is not None:
        problem = plan_rules.engagement_problem(
            audit.starts_on,
            audit.ends_on,
            life_start=partnership.start_date,
            life_end=partnership.end_date,
        )
        if problem is not None:
            raise DomainError(
                Code.PERIOD_OUTSIDE_LIFE,
                gettext(
                    "La période de la mission doit finir après son début et rester dans la "
                    "vie du partenariat."
                ),
                field=problem,
            )
    if audit.auditor is not None and audit.status == AuditStatus.DUE:
        audit.status = AuditStatus.PLANNED
    audit.save()
    for user in {u for u in (previous, audit.auditor) if u is not None}:
        _sync_auditor_grant(user, partnership)
    return audit


def sample_population(audit: Audit) -> list[tuple[int, Any]]:
    """``(id, amount)`` of the partnership's expenses dated within the audited period."""
    return list(
        Expense.objects.filter(
            partnership_id=audit.partnership_id,
            date__gte=audit.period_start,
            date__lte=audit.period_end,
        )
        .order_by("id")
        .values_list("id", "amount")
    )


@transaction.atomic
def sample_draw(
    *, by: Actor, audit: Audit, size: int, method: str, seed: int | None = None
) -> Audit:
    """Draw (or re-draw) the engagement's sample of expenses from a stored seed."""
    require(by, Perm.AUDIT_ENGAGE, audit.partnership)
    if audit.auditor_id is None:
        raise DomainError(
            Code.SAMPLE_NO_ENGAGEMENT,
            gettext("Nommez d'abord l'auditeur et la période de la mission."),
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    population = sample_population(audit)
    try:
        ids = plan_rules.draw_sample(
            population, size=size, seed=seed, method=plan_rules.SampleMethod(method)
        )
    except plan_rules.SampleTooLarge as error:
        raise DomainError(
            Code.SAMPLE_TOO_LARGE,
            gettext(
                "L'échantillon (%(size)s) dépasse la population de dépenses de la période "
                "(%(population)s)."
            )
            % {"size": error.size, "population": error.population},
            field="size",
        ) from None
    audit.sample_method = method
    audit.sample_seed = seed
    audit.sample_population = len(population)
    audit.sample = ids
    audit.sample_drawn_at = timezone.now()
    if audit.status in (AuditStatus.DUE, AuditStatus.PLANNED):
        audit.status = AuditStatus.IN_PROGRESS
    audit.save()
    return audit


def sample_checks(audit: Audit) -> bool:
    """Whether re-drawing the stored sample from its seed gives the same expenses."""
    if audit.sample_seed is None or not audit.sample_method:
        return False
    try:
        again = plan_rules.draw_sample(
            sample_population(audit),
            size=len(audit.sample),
            seed=audit.sample_seed,
            method=plan_rules.SampleMethod(audit.sample_method),
        )
    except plan_rules.SampleTooLarge:
        return False
    return again == list(audit.sample)
