"""What an import checks row by row beyond the plan: rows repeating an earlier expense
(``finance.duplicates``) and rows naming an expense by its ``id`` (the expense export read
back, docs/decisions/0055-reimportable-expense-export.md): such a row updates that expense
when it is not approved yet, is skipped when it changes nothing, and is refused when it
would change an approved one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.finance import duplicates
from sharaka.finance.error_codes import FinanceErrorCode as Code
from sharaka.finance.import_files import amount_of, day_month_year
from sharaka.finance.models import Expense


def repeats(
    keys: list[tuple[int, tuple[str, str, Decimal]]],
    partnership_id: int,
    job_id: int,
    fail: Callable[[int, str, str], bool],
) -> bool:
    """Report the rows of the batch about to be written that repeat an earlier expense, or
    an earlier row of the file (one query); True when there was one. Empties ``keys``."""
    if not keys:
        return False
    found = duplicates.earlier_expenses(partnership_id, (k for _, k in keys), job_id=job_id)
    seen: dict[tuple[str, str, Decimal], int] = {}
    repeated = False
    for line, k in keys:
        if k in found:
            text = gettext("doublon de %(earlier)s") % {"earlier": duplicates.describe(found[k])}
        elif k in seen:
            text = gettext("répète la ligne %(n)s du fichier") % {"n": seen[k]}
        else:
            seen[k] = line
            continue
        repeated = True
        if fail(line, "reference", text):
            break
    keys.clear()
    return repeated


_BEFORE = (
    "pk", "status", "date", "amount", "currency", "supplier", "reference", "description",
    "activity_id", "activity__code", "line_id", "line__category", "plan_version_id",
)  # fmt: skip


class Existing:
    """The expenses of the partnership that rows name by their id (a query per row)."""

    def __init__(self, partnership_id: int) -> None:
        self.rows = Expense.objects.filter(partnership_id=partnership_id)

    def get(self, text: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the expense as it is, or None; the problem, or None)."""
        value = text.strip()
        if value.endswith(".0"):  # a spreadsheet wrote the number as a float
            value = value[:-2]
        if not value.isdigit():
            return None, gettext("identifiant invalide « %(v)s »") % {"v": text[:20]}
        row = self.rows.filter(pk=int(value)).values(*_BEFORE).first()
        if row is None:
            return None, gettext("aucune dépense n° %(v)s dans ce partenariat") % {"v": value}
        row["frozen"] = row["status"] in FROZEN_EXPENSE
        return row, None


FROZEN_EXPENSE = ("approved", "paid")


def same_frozen(before: dict[str, Any], cells: Sequence[str]) -> bool:
    """Whether a row naming an approved expense says what the export wrote for it."""
    day_s, amount_s, currency, supplier, reference, code, line_s, description = cells
    try:
        day: date | None = date.fromisoformat(day_s.strip())
    except ValueError:
        day = day_month_year(day_s)
    text = amount_s.strip()
    negative = text.startswith("-")
    amount = amount_of(text[1:] if negative else text)
    if isinstance(amount, Decimal) and negative:
        amount = -amount
    ref = line_s.strip()
    return (
        day == before["date"] and amount == before["amount"]
        and (currency.strip().upper() or str(settings.SHARAKA_CURRENCY)) == before["currency"]
        and supplier.strip() == before["supplier"].strip()
        and reference.strip() == before["reference"].strip()
        and description.strip() == before["description"].strip()
        and code.strip() == before["activity__code"]
        and (ref == str(before["line_id"]) or ref.lower() == before["line__category"])
    )  # fmt: skip


def update_problem(
    before: dict[str, Any], values: dict[str, Any], checking: bool, partnership_id: int
) -> str | None:
    """ "" when the row changes nothing, a message when the change repeats another expense,
    else None (to update)."""
    if all(before[name] == value for name, value in values.items()):
        return ""
    if not checking:
        return None
    probe = Expense(
        pk=before["pk"], partnership_id=partnership_id, supplier=values["supplier"],
        reference=values["reference"], amount=values["amount"],
    )  # fmt: skip
    earlier = duplicates.expense_duplicate(probe)
    if earlier is None:
        return None
    return gettext("doublon de %(earlier)s") % {"earlier": duplicates.describe(earlier)}


def updates_apply(partnership_id: int, updates: list[tuple[int, dict[str, Any]]]) -> int:
    """Apply the validated updates, in the import's final transaction: each expense locked,
    refused if it was approved meanwhile; a checked one that changes is to be checked again
    (as ``services.expense_update``). The history keeps each version."""
    pending = updates
    for start in range(0, len(pending), 1000):
        chunk = dict(pending[start : start + 1000])
        locked = (
            Expense.objects.select_for_update()
            .filter(partnership_id=partnership_id, pk__in=list(chunk))
            .in_bulk()
        )
        for pk, values in chunk.items():
            expense = locked.get(pk)
            if expense is None or expense.is_frozen:
                raise DomainError(
                    Code.EXPENSE_FROZEN,
                    gettext("La dépense n° %(id)s a été approuvée ou supprimée pendant "
                            "l'import ; rien n'a été enregistré.") % {"id": pk},
                )  # fmt: skip
            for name, value in values.items():
                setattr(expense, name, value)
            expense.year = expense.date.year
            if expense.status == "checked":
                expense.status, expense.checked_by, expense.checked_at = "recorded", None, None
            expense.save()
    return len(pending)


def file_sha256(source: Any) -> str:
    """The SHA-256 of an upload or of an open file (read from its start, left where it was)."""
    digest = hashlib.sha256()
    if hasattr(source, "chunks"):
        for chunk in source.chunks():
            digest.update(chunk)
        source.seek(0)
        return digest.hexdigest()
    position = source.tell()
    source.seek(0)
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(position)
    return digest.hexdigest()
