"""The plan as tables (one for CSV, two sheets for XLSX), written by the one spreadsheet
writer, ``core.spreadsheets``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from sharaka.core.spreadsheets import Table
from sharaka.planning.models import PlanVersion
from sharaka.planning.selectors import PlanView


def _responsible(activity: Any) -> str:
    return str(activity.responsible) if activity.responsible else ""


def plan_tables(view: PlanView) -> tuple[Table, Table, Table]:
    """(plan as one table for CSV, activities sheet, budget sheet)."""
    version: PlanVersion = view.version
    years = view.budget.years
    currency = view.plan.currency
    activity_headers = [
        gettext("Objectif"), gettext("Code"), gettext("Activité"), gettext("Responsable"),
        gettext("Début"), gettext("Fin"), gettext("État"), gettext("Avancement (%)"),
        gettext("Livrables"), gettext("Délégation"),
    ]  # fmt: skip
    budget_headers = [
        gettext("Catégorie"), gettext("Libellé"),
        *[f"{year} ({currency})" for year in years], gettext("Total (%(currency)s)")
        % {"currency": currency},
    ]  # fmt: skip
    combined_rows: list[list[Any]] = []
    activity_rows: list[list[Any]] = []
    budget_rows: list[list[Any]] = []
    for block in view.objectives:
        for row in block.activities:
            a = row.activity
            delegated = ", ".join(d.delegate.name for d in row.delegations)
            base = [
                str(block.objective), a.code, a.title, _responsible(a), a.start_date,
                a.end_date, a.get_status_display(), a.progress, a.deliverables, delegated,
            ]  # fmt: skip
            activity_rows.append([*base, row.total])
            if not row.lines:
                combined_rows.append([*base, "", "", *[None for _ in years], Decimal(0)])
            for line in row.lines:
                cells = [line.line.get_category_display(), line.line.label, *line.by_year,
                         line.total]  # fmt: skip
                combined_rows.append([*base, *cells])
                budget_rows.append([a.code, a.title, *cells])
    title = gettext("Plan v%(number)s") % {"number": version.number}
    combined = Table(title, [*activity_headers, *budget_headers], combined_rows)
    activities = Table(
        gettext("Activités"), [*activity_headers, gettext("Budget (%(currency)s)")
                               % {"currency": currency}], activity_rows,
    )  # fmt: skip
    budget = Table(
        gettext("Budget"), [gettext("Code"), gettext("Activité"), *budget_headers], budget_rows
    )
    return combined, activities, budget
