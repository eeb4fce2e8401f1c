"""Demo of the pre-audit checks (idempotent): ``complexe-sportif`` gets one expense entered
twice (same supplier, reference and amount), then one stored run of the checks, which finds
it beside the demo's existing problems (missing receipts, the overrun awaiting a decision).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.audit import services
from sharaka.audit.models import CheckRun, Trigger
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
