"""The controls of an expense against the action plan (M15), in the user's language.

``finance.rules`` decides (pure); this module loads the facts (plan in force, activity,
line totals, tolerance of the rules in force) and words each finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, Sum
from django.utils import formats
from django.utils.translation import gettext

from sharaka.core import locale
from sharaka.finance import rules
from sharaka.finance.models import Expense, OverrunAuthorisation
from sharaka.finance.rules import Control, Finding
from sharaka.governance.selectors import rules_in_force_get
from sharaka.planning.models import BudgetAmount


def message(finding: Finding) -> str:
    """The finding explained to the person who entered the expense."""
    p = finding.param

    def day(name: str) -> str:
        value = p(name)
        return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else ""

    texts = {
        Control.NO_PLAN: lambda: (
            gettext(
                "Aucun plan d'action adopté par le conseil n'est en vigueur le %(date)s : une "
                "dépense doit être imputée à une activité du plan adopté."
            )
            % {"date": day("date")}
        ),
        Control.NOT_IN_PLAN: lambda: gettext(
            "L'activité choisie n'appartient pas au plan d'action en vigueur à la date de la "
            "dépense."
        ),
        Control.LINE_MISMATCH: lambda: (
            gettext("La ligne budgétaire choisie n'appartient pas à l'activité %(activity)s.")
            % {"activity": p("activity")}
        ),
        Control.OUTSIDE_PERIOD: lambda: (
            gettext(
                "La date de la dépense est hors de la période de l'activité %(activity)s "
                "(du %(start)s au %(end)s)."
            )
            % {"activity": p("activity"), "start": day("start"), "end": day("end")}
        ),
        Control.OVERRUN: lambda: (
            gettext(
                "Dépassement de la ligne budgétaire de %(excess)s au-delà de la tolérance de "
                "%(tolerance)s %% (prévu : %(planned)s) : une décision du conseil doit "
                "l'autoriser avant l'approbation."
            )
            % {
                "excess": locale.amount(p("excess")),
                "planned": locale.amount(p("planned")),
                "tolerance": locale.amount(p("tolerance"), trim=True),
            }
        ),
        Control.NO_DOCUMENT: lambda: gettext(
            "Pièce justificative manquante : joignez la facture ou le reçu."
        ),
        Control.CURRENCY: lambda: (
            gettext("La devise %(currency)s n'est pas celle du plan d'action (%(plan)s).")
            % {"currency": p("currency"), "plan": p("plan")}
        ),
    }
    return str(texts[finding.control]())


#: The form field each blocking control concerns.
FIELD = {
    Control.NO_PLAN: "date",
    Control.NOT_IN_PLAN: "activity",
    Control.LINE_MISMATCH: "line",
    Control.OUTSIDE_PERIOD: "date",
    Control.CURRENCY: "currency",
    Control.OVERRUN: "amount",
}


@dataclass(frozen=True)
class LineFacts:
    planned: Decimal
    spent: Decimal  # approved or paid, net of reversals
    committed: Decimal  # recorded or checked
    authorised: Decimal


def line_facts(line_id: int, *, exclude_expense: int | None = None) -> LineFacts:
    """Planned, spent, committed and authorised amounts of one line (three queries)."""
    planned = BudgetAmount.objects.filter(line_id=line_id).aggregate(t=Sum("amount"))["t"]
    expenses = Expense.objects.filter(line_id=line_id)
    if exclude_expense is not None:
        expenses = expenses.exclude(pk=exclude_expense)
    sums = expenses.aggregate(
        spent=Sum("amount", filter=Q(status__in=list(rules.SPENT))),
        committed=Sum("amount", filter=Q(status__in=list(rules.COMMITTED))),
    )
    authorised = OverrunAuthorisation.objects.filter(line_id=line_id).aggregate(t=Sum("amount"))[
        "t"
    ]
    return LineFacts(
        planned=planned or rules.ZERO,
        spent=sums["spent"] or rules.ZERO,
        committed=sums["committed"] or rules.ZERO,
        authorised=authorised or rules.ZERO,
    )


def tolerance_for(partnership: Any, day: date) -> Fraction:
    """The expense tolerance of the rules in force on ``day`` (default 1/10)."""
    return rules_in_force_get(partnership=partnership, at=day).expense_tolerance


def overrun_of(expense: Any) -> Finding | None:
    """Would approving ``expense`` take its line beyond the ceiling?"""
    if expense.amount <= 0:
        return None  # a reversal only ever lowers what a line spent
    facts = line_facts(expense.line_id, exclude_expense=expense.pk)
    return rules.overrun_finding(
        planned=facts.planned,
        already=facts.spent,
        amount=expense.amount,
        tolerance=tolerance_for(expense.partnership, expense.date),
        authorised=facts.authorised,
    )


def activity_facts(activity: Any) -> rules.ActivityFacts:
    """What the controls need of an ``Activity`` of the plan."""
    return rules.ActivityFacts(
        id=activity.pk,
        code=activity.code,
        start=activity.start_date,
        end=activity.end_date,
        version_id=activity.version_id,
    )


def findings_of(expense: Any) -> list[Finding]:
    """Every control of a stored expense, for its page: structural ones, then the overrun
    its approval would cause (while it is not approved yet)."""
    version = expense.plan_version
    activity = expense.activity
    findings = rules.structural_findings(
        rules.ExpenseFacts(
            day=expense.date,
            amount=expense.amount,
            currency=expense.currency,
            has_document=bool(expense.document) or expense.is_reversal,
        ),
        plan_version_id=version.pk,
        plan_currency=version.plan.currency,
        activity=activity_facts(activity),
        line_activity_id=expense.line.activity_id,
    )
    if not expense.is_frozen:
        found = overrun_of(expense)
        if found is not None:
            findings.append(found)
    return findings
