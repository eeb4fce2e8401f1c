"""Duplicates (issue 20): the same expense recorded twice, the same file imported twice.

An expense is a *duplicate* of an earlier one of the same partnership when it has the same
supplier (ignoring case and surrounding spaces), the same non-empty reference and the same
amount; an expense without a reference is never taken for a duplicate (small purchases
from one shop repeat). An earlier expense already cancelled by a reversing entry does not
count: recording it again is how it is corrected. A file is a duplicate of an earlier import
of the partnership with the same SHA-256 that was imported or is being imported.

Either is refused, with a message naming the earlier record, unless whoever records it
confirms (the form's checkbox, ``confirm_duplicate`` in the API, ``--allow-duplicates`` on
the command line). The check reads, then the caller writes: ``lock`` serialises them per
partnership (the partnership's row), so two people recording the same invoice at the same
moment cannot both pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext

from sharaka.core import locale
from sharaka.core.errors import DomainError
from sharaka.finance.error_codes import FinanceErrorCode as Code
from sharaka.finance.models import Expense, ImportJob, ImportStatus
from sharaka.partnerships.models import Partnership

#: the form field and API flag that confirm a duplicate
CONFIRM = "confirm_duplicate"


class Duplicate(DomainError):
    """A record that repeats an earlier one, refused until confirmed."""

    status = 409


def lock(partnership_id: int) -> None:
    """Hold the partnership's row until the caller's transaction ends: whoever checks for a
    duplicate and then writes an expense or an import of the partnership takes it first."""
    Partnership.objects.select_for_update().filter(pk=partnership_id).values_list("pk").first()


def key(supplier: str, reference: str, amount: Decimal) -> tuple[str, str, Decimal]:
    return (supplier.strip().casefold(), reference.strip(), amount)


def earlier_expenses(
    partnership_id: int,
    keys: Iterable[tuple[str, str, Decimal]],
    *,
    job_id: int | None = None,
) -> dict[tuple[str, str, Decimal], Expense]:
    """The earliest expense of the partnership matching each of ``keys`` (``key(...)``):
    one query. With ``job_id``, the rows that import is still writing count too (a file
    that repeats one of its own lines)."""
    wanted = {k for k in keys if k[1]}
    if not wanted:
        return {}
    manager = Expense.all_objects if job_id is not None else Expense.objects
    rows = manager.filter(
        partnership_id=partnership_id,
        reference__in={k[1] for k in wanted},
        amount__in={k[2] for k in wanted},
        amount__gt=0,
        reversal__isnull=True,
    ).select_related("recorded_by")
    if job_id is not None:
        rows = rows.filter(Q(pending=False) | Q(import_job_id=job_id))
    found: dict[tuple[str, str, Decimal], Expense] = {}
    for expense in rows.order_by("pk"):
        k = key(expense.supplier, expense.reference, expense.amount)
        if k in wanted:
            found.setdefault(k, expense)
    return found


def expense_duplicate(expense: Expense) -> Expense | None:
    """The earlier expense that ``expense`` repeats, if any (itself excepted)."""
    k = key(expense.supplier or "", expense.reference or "", Decimal(expense.amount))
    if not k[1]:
        return None
    rows = (
        Expense.objects.filter(
            partnership_id=expense.partnership_id, reference=k[1], amount=k[2],
            supplier__iexact=k[0], reversal__isnull=True,
        )
        .exclude(pk=expense.pk)
        .select_related("recorded_by")
        .order_by("pk")
    )  # fmt: skip
    return next((e for e in rows if key(e.supplier, e.reference, e.amount) == k), None)


def repeated_by_import(partnership_id: int, job_id: int) -> Expense | None:
    """An expense recorded outside the import ``job_id`` that one of its rows repeats (one
    query; under ``lock``, at the end of the import)."""
    others = Expense.objects.filter(
        partnership_id=partnership_id, reference=OuterRef("reference"),
        amount=OuterRef("amount"), supplier__iexact=OuterRef("supplier"),
        reversal__isnull=True,
    ).exclude(import_job_id=job_id)  # fmt: skip
    row = (
        Expense.all_objects.filter(partnership_id=partnership_id, import_job_id=job_id)
        .exclude(reference="")
        .filter(Exists(others))
        .first()
    )
    if row is None:
        return None
    return (
        Expense.objects.filter(
            partnership_id=partnership_id, reference=row.reference, amount=row.amount,
            supplier__iexact=row.supplier, reversal__isnull=True,
        )
        .exclude(import_job_id=job_id)
        .select_related("recorded_by")
        .order_by("pk")
        .first()
    )  # fmt: skip


def _when(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def describe(expense: Expense) -> str:
    """The earlier expense, named so that one can find it."""
    return gettext(
        "la dépense n° %(id)s du %(date)s (%(supplier)s, référence %(reference)s, "
        "%(amount)s), enregistrée le %(recorded)s par %(who)s"
    ) % {
        "id": expense.pk, "date": _when(expense.date), "supplier": expense.supplier,
        "reference": expense.reference, "amount": locale.money(expense.amount, expense.currency),
        "recorded": _when(localtime(expense.recorded_at).date()),
        "who": str(expense.recorded_by) if expense.recorded_by else gettext("un import"),
    }  # fmt: skip


def check_expense(expense: Expense, *, confirmed: bool) -> None:
    """Refuse ``expense`` when it repeats an earlier one and was not confirmed; the caller
    holds ``lock``."""
    if confirmed:
        return
    earlier = expense_duplicate(expense)
    if earlier is not None:
        raise Duplicate(
            Code.DUPLICATE_EXPENSE,
            gettext("Doublon probable de %(earlier)s. S'il s'agit bien d'une autre dépense, "
                    "cochez « Ce n'est pas un doublon » et enregistrez à nouveau.")
            % {"earlier": describe(earlier)},
            field=CONFIRM,
        )  # fmt: skip


def earlier_import(partnership_id: int, sha256: str, *, exclude: int | None = None) -> Any:
    """The earlier import of the same file (by its SHA-256) that succeeded or is under way."""
    rows = ImportJob.objects.filter(
        partnership_id=partnership_id, sha256=sha256,
        status__in=[ImportStatus.DONE, ImportStatus.PENDING, ImportStatus.RUNNING],
    ).select_related("created_by")  # fmt: skip
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.order_by("created_at", "pk").first()


def check_file(
    partnership_id: int, sha256: str, *, confirmed: bool, exclude: int | None = None
) -> None:
    """Refuse a file already imported into the partnership, naming that import."""
    if confirmed or not sha256:
        return
    job = earlier_import(partnership_id, sha256, exclude=exclude)
    if job is None:
        return
    raise Duplicate(
        Code.DUPLICATE_FILE,
        gettext("Ce fichier a déjà été importé le %(date)s par %(who)s (« %(name)s », "
                "%(n)s dépenses). Pour l'importer une seconde fois, cochez « Importer quand "
                "même ce fichier ».")
        % {"date": _when(localtime(job.created_at).date()), "name": job.source_name,
           "who": str(job.created_by) if job.created_by else gettext("la ligne de commande"),
           "n": job.written},
        field="allow_duplicates",
    )  # fmt: skip
