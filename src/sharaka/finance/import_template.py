"""The expense import's template: a header and one example row per activity of the plan in
force, which imports as it is."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sharaka.core.spreadsheets import csv_text
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import BudgetLine
from sharaka.planning.selectors import plan_in_force_get

COLUMNS = (
    "date", "amount", "currency", "supplier", "reference", "activity_code", "line",
    "description",
)  # fmt: skip


def template_rows(*, partnership: Partnership, at: date | None = None) -> list[list[str]]:
    """A header and one example row per activity of the plan in force that parses back."""
    day = at or timezone.localdate()
    version = plan_in_force_get(partnership=partnership, at=day)
    rows: list[list[str]] = [list(COLUMNS)]
    if version is None:
        return rows
    lines = list(
        BudgetLine.objects.filter(activity__version=version)
        .select_related("activity")
        .order_by("activity__code", "category", "pk")
    )
    counts: dict[tuple[int, str], int] = {}
    for line in lines:
        key = (line.activity_id, line.category)
        counts[key] = counts.get(key, 0) + 1
    seen: set[int] = set()
    number = 0
    for line in lines:
        activity = line.activity
        if activity.pk in seen:
            continue
        start = max(activity.start_date, version.adopted_on or day, version.plan.period_start)
        if start > min(activity.end_date, version.plan.period_end):
            continue
        if version.superseded_on is not None and start >= version.superseded_on:
            continue
        seen.add(activity.pk)
        number += 1
        ref = line.category if counts[(line.activity_id, line.category)] == 1 else str(line.pk)
        rows.append([
            start.isoformat(), "1500.00", version.plan.currency, "Fournisseur exemple SARL",
            f"FAC-{start.year}-{number:04d}", activity.code, ref,
            f"Exemple : {line}"[:500],
        ])  # fmt: skip
    return rows


def template_csv(*, partnership: Partnership) -> str:
    """The template as CSV, through the one guarded writer (a control character in a line's
    label would otherwise make the template fail its own import)."""
    return csv_text(template_rows(partnership=partnership), lineterminator="\n")
