"""Demo finances of ``complexe-sportif`` (idempotent): contributions from every party (cash
and in kind), a few hundred expenses over the lines of the plan in force, one line overrun
waiting for a board decision, and a few expenses missing their receipt.

Skipped when no plan is in force (the planning demo adopts it once the meetings demo has
recorded the board's decision).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sharaka.finance import services
from sharaka.finance.models import Contribution, Expense
from sharaka.planning.models import BudgetLine
from sharaka.planning.selectors import plan_in_force_get

SLUG = "complexe-sportif"
SUPPLIERS = [
    "Atlas Loisirs SARL", "Électricité du Souss", "Piscines Services Maroc", "Imprimerie Agadir",
    "Bureau d'études Tadla", "Sport Équipement SA", "Hydro Traitement", "Café des sports",
    "Transport Zitoune", "Informatique du Sud",
]  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# (party kind) -> list of (kind, in-kind type, description, pledged by year, valuation)
IN_KIND = {
    "commune": ("premises", "Mise à disposition du complexe et de ses terrains", "market",
                "Valeur locative annuelle estimée par le service des domaines"),
    "other_public": ("staff", "Ingénieur détaché à mi-temps", "time",
                     "0,5 ETP x coût annuel chargé de l'ingénieur"),
    "association": ("services", "Encadrement bénévole des entraînements", "time",
                    "Heures de bénévolat x taux horaire d'un éducateur sportif"),
    "private_company": ("equipment", "Prêt de matériel de chronométrage", "market",
                        "Prix de location du marché"),
}  # fmt: skip


def _contributions(partnership: Any, admin: Any) -> None:
    if Contribution.objects.filter(partnership=partnership).exists():
        return
    parties = list(partnership.parties.select_related("organization"))
    seen: set[int] = set()
    for index, party in enumerate(parties):
        organization = party.organization
        if organization.pk in seen:
            continue
        seen.add(organization.pk)
        public = organization.kind in ("commune", "grouping", "province_region", "other_public")
        base = Decimal(900000 if party.role == "lead" else 300000 if public else 40000)
        for year in (2025, 2026):
            received = base if year == 2025 else (base / 2).quantize(Decimal("1"))
            services.contribution_create(by=admin, partnership=partnership, fields={
                "organization": organization, "year": year, "kind": "cash",
                "pledged": base, "received": received,
                "description": "Participation au budget de fonctionnement",
            })  # fmt: skip
        kind = IN_KIND.get(organization.kind)
        if kind is not None:
            in_kind_type, description, method, note = kind
            services.contribution_create(by=admin, partnership=partnership, fields={
                "organization": organization, "year": 2025, "kind": "in_kind",
                "in_kind_type": in_kind_type, "description": description,
                "valuation_method": method, "valuation_note": note,
                "pledged": Decimal(120000 if public else 15000) + index * 1000,
                "received": Decimal(120000 if public else 15000) + index * 1000,
            })  # fmt: skip


def _expenses(partnership: Any, version: Any, users: dict[str, Any]) -> None:
    if Expense.objects.filter(partnership=partnership).exists():
        return
    rng = random.Random(8)
    today = timezone.localdate()
    now = timezone.now()
    coordinator = users.get("coord.sport") or users["admin"]
    treasurer = users.get("tresorier") or users["admin"]
    lines = list(
        BudgetLine.objects.filter(activity__version=version)
        .select_related("activity")
        .prefetch_related("amounts")
        .order_by("activity__code", "pk")
    )
    rows: list[Expense] = []
    overrun_line = None
    first_line = None  # the overrun's line when no activity has finished since the adoption
    for line in lines:
        activity = line.activity
        start = max(activity.start_date, version.adopted_on)
        end = min(activity.end_date, today)
        if start > end:
            continue
        planned = line.total
        if overrun_line is None and activity.end_date < today:
            overrun_line = line  # a finished activity whose line will overrun
        first_line = first_line or line
        count = rng.randint(12, 30)
        budget_share = planned * Decimal("0.7") / count
        for _ in range(count):
            day = start + timedelta(days=rng.randint(0, (end - start).days))
            amount = (budget_share * Decimal(rng.uniform(0.4, 1.4))).quantize(Decimal("0.01"))
            age = (today - day).days
            # The plan was adopted a few weeks ago: older expenses went further through the
            # workflow.
            status = "paid" if age > 30 else "approved" if age > 18 else (
                "checked" if age > 7 else "recorded")  # fmt: skip
            approved = status in ("approved", "paid")
            rows.append(Expense(
                partnership=partnership, plan_version=version, activity=activity, line=line,
                date=day, year=day.year, amount=max(amount, Decimal("10.00")),
                supplier=rng.choice(SUPPLIERS), reference=f"FAC-{day.year}-{len(rows) + 1:04d}",
                description=f"{line} — {activity.code}", status=status,
                recorded_by=coordinator, recorded_at=now,
                checked_by=coordinator if status != "recorded" else None,
                checked_at=now if status != "recorded" else None,
                approved_by=treasurer if approved else None, approved_at=now if approved else None,
                paid_by=treasurer if status == "paid" else None,
                paid_at=now if status == "paid" else None,
            ))  # fmt: skip
    Expense.objects.bulk_create(rows, batch_size=500)
    overrun_line = overrun_line or first_line
    if overrun_line is not None:
        # Spend the line up to its planned amount, then a checked expense beyond the 10 %
        # tolerance: its approval waits for a board decision.
        activity = overrun_line.activity
        day = min(activity.end_date, today)
        spent = sum((e.amount for e in rows if e.line_id == overrun_line.pk), Decimal("0"))
        top_up = overrun_line.total - spent
        extra = [
            (top_up, "approved", "Complément de prestation"),
            ((overrun_line.total * Decimal("0.18")).quantize(Decimal("0.01")), "checked",
             "Avenant au marché : travaux supplémentaires"),
        ]  # fmt: skip
        for amount, status, text in extra:
            if amount <= 0:
                continue
            Expense.objects.create(
                partnership=partnership, plan_version=version, activity=activity,
                line=overrun_line, date=day, year=day.year, amount=amount,
                supplier="Atlas Loisirs SARL", reference=f"FAC-{day.year}-9{len(text)}",
                description=text, status=status, recorded_by=coordinator, recorded_at=now,
                checked_by=coordinator, checked_at=now,
                approved_by=treasurer if status == "approved" else None,
                approved_at=now if status == "approved" else None,
            )  # fmt: skip
    # Receipts: every expense has one except a handful, flagged on the page.
    kept = list(Expense.objects.filter(partnership=partnership).order_by("pk").values_list(
        "pk", flat=True))  # fmt: skip
    missing = set(rng.sample(kept, min(6, len(kept))))
    sample = Expense.objects.filter(pk=kept[0]).first() if kept else None
    if sample is not None:
        sample.document.save("recu-demo.pdf", ContentFile(PDF), save=False)
        Expense.objects.filter(partnership=partnership).exclude(pk__in=missing).update(
            document=sample.document.name, document_name="recu.pdf"
        )


def load(context: Any) -> None:
    partnership = context.partnerships.get(SLUG)
    if partnership is None:
        return
    admin = context.users["admin"]
    with transaction.atomic():
        _contributions(partnership, admin)
        version = plan_in_force_get(partnership=partnership, at=date.today())
        if version is None:
            return
        _expenses(partnership, version, context.users)
