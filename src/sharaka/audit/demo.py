"""Demo of the pre-audit checks (idempotent): ``complexe-sportif`` gets one expense entered
twice (same supplier, reference and amount), then one stored run of the checks, which finds
it beside the demo's existing problems (missing receipts, the overrun awaiting a decision).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.audit import engagements, plans, services
from sharaka.audit.models import Audit, AuditKind, AuditStatus, CheckRun, SampleMethod, Trigger
from sharaka.core.errors import DomainError
from sharaka.finance import services as finance
from sharaka.finance.demo import PDF
from sharaka.finance.models import Expense, ExpenseStatus

SLUG = "complexe-sportif"
#: the description of the planted duplicate (how the demo finds it again)
DUPLICATE_NOTE = "Facture saisie une seconde fois"


def _plant_duplicate(partnership: Any, coordinator: Any) -> None:
    if Expense.objects.filter(partnership=partnership, description=DUPLICATE_NOTE).exists():
        return
    original = (
        Expense.objects.filter(partnership=partnership, status=ExpenseStatus.PAID)
        .exclude(document="")
        .exclude(reference="")
        .order_by("-pk")
        .first()
    )
    if original is None:
        return
    fields = {
        "date": original.date,
        "amount": original.amount,
        "supplier": original.supplier,
        "reference": original.reference,
        "activity": original.activity,
        "line": original.line,
        "description": DUPLICATE_NOTE,
    }
    receipt = SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")
    finance.expense_record(by=coordinator, partnership=partnership, fields=fields, document=receipt)


def load(context: Any) -> None:
    partnership = context.partnerships.get(SLUG)
    if partnership is None:
        return
    coordinator = context.users.get("coord.sport") or context.users["admin"]
    _plant_duplicate(partnership, coordinator)
    if not CheckRun.objects.filter(partnership=partnership).exists():
        services.check_run(by=None, partnership=partnership, trigger=Trigger.SCHEDULER)
    _plan(partnership, coordinator, context.users.get("auditeur"))


def _financial(partnership: Any, year: int) -> Audit | None:
    return (
        Audit.objects.filter(
            partnership=partnership, kind=AuditKind.FINANCIAL, period_start__year=year
        )
        .order_by("period_start", "id")
        .first()
    )


def _plan(partnership: Any, coordinator: Any, auditor: Any) -> None:
    """The audit plan from the convention's audit clause: the 2025 financial verification
    reported, the 2026 one in progress with the demo auditor and a drawn sample."""
    if Audit.objects.filter(partnership=partnership).exists():
        return
    try:
        plans.plan_generate(by=coordinator, partnership=partnership)
    except DomainError:
        return
    done = _financial(partnership, 2025)
    if done is not None:
        plans.audit_update(by=coordinator, audit=done, fields={
            "status": AuditStatus.REPORTED,
            "scope": "Comptes de l'exercice 2025, contributions et dépenses.",
        })  # fmt: skip
    current = _financial(partnership, 2026)
    if current is None or auditor is None:
        return
    today = timezone.localdate()
    starts = max(today - timedelta(days=20), partnership.start_date)
    ends = today + timedelta(days=40)
    if partnership.end_date is not None:
        ends = min(ends, partnership.end_date)
    current = plans.audit_update(by=coordinator, audit=current, fields={
        "auditor": auditor, "starts_on": starts, "ends_on": ends,
        "status": AuditStatus.IN_PROGRESS,
        "scope": "Vérification des dépenses 2026 au regard du plan d'action.",
    })  # fmt: skip
    population = len(plans.sample_population(current))
    if population:
        current = plans.sample_draw(by=coordinator, audit=current, size=min(8, population),
                                    method=SampleMethod.AMOUNT, seed=2026)  # fmt: skip
    _work(current, auditor)


def _work(audit: Audit, auditor: Any) -> None:
    """The auditor's work so far on the 2026 engagement: a work paper and two findings, one
    on sampled expenses."""
    paper = SimpleUploadedFile("grille-controle.pdf", PDF, content_type="application/pdf")
    engagements.paper_add(
        by=auditor, audit=audit, title="Grille de contrôle des pièces", upload=paper
    )
    engagements.finding_add(by=auditor, audit=audit, fields={
        "title": "Pièces justificatives incomplètes", "severity": "high",
        "criterion": "Convention, article financier : toute dépense est justifiée par une "
                     "facture acquittée.",
        "condition": "Deux dépenses de l'échantillon n'ont pas de facture jointe.",
        "cause": "Classement des pièces tenu à part par le prestataire.",
        "effect": "Dépenses non justifiables devant le comité de pilotage.",
        "responsible": "Commune", "expenses": list(audit.sample)[:2],
    })  # fmt: skip
    engagements.finding_add(by=auditor, audit=audit, fields={
        "title": "Visa de l'ordonnateur tardif", "severity": "medium",
        "criterion": "Procédure d'engagement des dépenses de la convention.",
        "condition": "Une dépense payée avant son approbation.",
        "cause": "Urgence d'une réparation.", "effect": "Contrôle interne contourné.",
        "responsible": "Coordination", "expenses": list(audit.sample)[2:3],
    })  # fmt: skip
