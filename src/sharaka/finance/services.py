"""Finance writes. Each checks the access policy first, then the pure rules, then saves.

The same services serve the pages, the API and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.documents import UploadProblem
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor, SignedIn
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.finance import controls, duplicates, rules
from sharaka.finance.error_codes import FinanceErrorCode as Code
from sharaka.finance.models import (
    Contribution,
    ContributionKind,
    Expense,
    OverrunAuthorisation,
    frozen_error,
)
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership, Party
from sharaka.planning.models import BudgetLine
from sharaka.planning.selectors import plan_in_force_get
from sharaka.planning.services import budget_line_lock

CONTRIBUTION_FIELDS = (
    "organization", "year", "kind", "in_kind_type", "description", "pledged", "received",
    "currency", "valuation_method", "valuation_note",
)  # fmt: skip
EXPENSE_FIELDS = (
    "date", "amount", "currency", "supplier", "reference", "activity", "line", "description",
)  # fmt: skip


def _invalid(field: str, text: str) -> ValidationFailed:
    return ValidationFailed(text, {field: [text]})


# --- Contributions ----------------------------------------------------------------------------


def _check_contribution(contribution: Contribution) -> None:
    if not Party.objects.filter(
        partnership_id=contribution.partnership_id, organization_id=contribution.organization_id
    ).exists():
        raise DomainError(
            Code.NOT_A_PARTY,
            gettext("Seule une partie du partenariat peut y contribuer."),
            field="organization",
        )
    if contribution.kind == ContributionKind.CASH:
        contribution.in_kind_type = ""
        contribution.valuation_method = ""
    else:
        if not contribution.in_kind_type:
            raise _invalid("in_kind_type", gettext("Précisez ce que l'apport en nature fournit."))
        if not contribution.valuation_method:
            raise _invalid(
                "valuation_method", gettext("Précisez comment l'apport en nature est valorisé.")
            )


@transaction.atomic
def contribution_create(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> Contribution:
    require(by, Perm.CONTRIBUTION_CHANGE, partnership)
    contribution = Contribution(partnership=partnership, created_by=signed_in(by))
    assign_fields(contribution, fields, allowed=CONTRIBUTION_FIELDS)
    _check_contribution(contribution)
    return clean_and_save(contribution)


@transaction.atomic
def contribution_update(
    *, by: Actor, contribution: Contribution, fields: Mapping[str, object]
) -> Contribution:
    require(by, Perm.CONTRIBUTION_CHANGE, contribution.partnership)
    assign_fields(contribution, fields, allowed=CONTRIBUTION_FIELDS)
    _check_contribution(contribution)
    return clean_and_save(contribution)


@transaction.atomic
def contribution_delete(*, by: Actor, contribution: Contribution) -> None:
    require(by, Perm.CONTRIBUTION_CHANGE, contribution.partnership)
    contribution.delete()


# --- Expenses ---------------------------------------------------------------------------------


def _refuse(finding: rules.Finding) -> DomainError:
    return DomainError(
        finding.control, controls.message(finding), field=controls.FIELD.get(finding.control)
    )


def _attach_document(expense: Expense, upload: UploadedFile[bytes]) -> None:
    name = upload.name or ""
    check_upload_size(
        upload, field="document", label=gettext("Pièce justificative"), code=Code.BAD_DOCUMENT
    )
    problem = document_problem(upload)
    if problem is UploadProblem.BAD_TYPE:
        text = gettext("La pièce justificative doit être un PDF, un JPEG ou un PNG.")
    elif problem is UploadProblem.EMPTY:
        text = gettext("La pièce justificative est vide.")
    else:
        replaced = expense.document.name if expense.document else ""
        expense.document_name = name[:255]
        expense.document.save(name, upload, save=False)
        _delete_file_on_commit(replaced)
        return
    raise DomainError(Code.BAD_DOCUMENT, text, field="document")


def _delete_file_on_commit(name: str | None) -> None:
    """Delete a stored file once the change that drops it has committed: never before (a
    rollback would leave a row pointing at nothing)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _apply_plan(expense: Expense, partnership: Partnership) -> None:
    """Charge the expense to the plan in force on its date; refuse what the controls block."""
    version = plan_in_force_get(partnership=partnership, at=expense.date)
    activity = expense.activity if expense.activity_id else None
    findings = rules.structural_findings(
        rules.ExpenseFacts(
            day=expense.date, amount=expense.amount, currency=expense.currency, has_document=True
        ),
        plan_version_id=version.pk if version else None,
        plan_currency=version.plan.currency if version else expense.currency,
        activity=controls.activity_facts(activity) if activity is not None else None,
        line_activity_id=expense.line.activity_id if expense.line_id else None,
    )
    for finding in findings:
        if finding.blocking:
            raise _refuse(finding)
    assert version is not None
    expense.plan_version = version


def _clean_expense(expense: Expense) -> None:
    if expense.date is None:
        raise _invalid("date", gettext("Indiquez la date de la dépense."))
    try:
        amount = Decimal(expense.amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid("amount", gettext("Montant invalide.")) from None
    if not amount.is_finite() or amount <= 0:
        raise _invalid("amount", gettext("Le montant doit être positif."))
    if amount != amount.quantize(Decimal("0.01")):
        raise _invalid("amount", gettext("Le montant a au plus deux décimales."))
    expense.amount = amount
    if not (expense.supplier or "").strip():
        raise _invalid("supplier", gettext("Indiquez le fournisseur."))
    if not expense.line_id:
        raise _invalid("line", gettext("Choisissez la ligne budgétaire."))
    if not expense.activity_id:
        raise _invalid("activity", gettext("Choisissez l'activité."))
    expense.currency = (expense.currency or "").upper()


@transaction.atomic
def expense_record(
    *,
    by: Actor,
    partnership: Partnership,
    fields: Mapping[str, object],
    document: UploadedFile[bytes] | None = None,
    confirm_duplicate: bool = False,
) -> Expense:
    """Record an expense against an activity and a line of the plan in force on its date;
    one that repeats an earlier expense (supplier, reference, amount) only when
    ``confirm_duplicate`` (``finance.duplicates``)."""
    require(by, Perm.EXPENSE_RECORD, partnership)
    expense = Expense(
        partnership=partnership, recorded_by=signed_in(by), recorded_at=timezone.now()
    )
    assign_fields(expense, fields, allowed=EXPENSE_FIELDS)
    _clean_expense(expense)
    _apply_plan(expense, partnership)
    duplicates.lock(partnership.pk)
    duplicates.check_expense(expense, confirmed=confirm_duplicate)
    if document is not None:
        _attach_document(expense, document)
    expense.year = expense.date.year
    return clean_and_save(expense, exclude=["plan_version", "year"])


def _contents(expense: Expense) -> tuple[object, ...]:
    """What an expense says (its fields and its document), to tell whether it changed."""
    fields = [f for f in Expense._meta.concrete_fields if f.name in EXPENSE_FIELDS]
    return (*(getattr(expense, f.attname) for f in fields), expense.document.name or "")


@transaction.atomic
def expense_update(
    *,
    by: Actor,
    expense: Expense,
    fields: Mapping[str, object],
    document: UploadedFile[bytes] | None = None,
    confirm_duplicate: bool = False,
) -> Expense:
    """Correct an expense not yet approved (an approved one is corrected by reversal). A
    checked expense that changes goes back to be checked again: what was checked is not
    what it says any more (the history keeps who had checked it). A change that makes it
    repeat another expense needs ``confirm_duplicate``."""
    require(by, Perm.EXPENSE_RECORD, expense.partnership)
    if expense.is_frozen:
        raise frozen_error()
    before = _contents(expense)
    assign_fields(expense, fields, allowed=EXPENSE_FIELDS)
    _clean_expense(expense)
    _apply_plan(expense, expense.partnership)
    if _contents(expense) != before:
        duplicates.lock(expense.partnership_id)
        duplicates.check_expense(expense, confirmed=confirm_duplicate)
    if document is not None:
        _attach_document(expense, document)
    expense.year = expense.date.year
    if expense.status == rules.Status.CHECKED and _contents(expense) != before:
        expense.status, expense.checked_by, expense.checked_at = rules.Status.RECORDED, None, None
    return clean_and_save(expense, exclude=["plan_version", "year"])


@transaction.atomic
def expense_document_attach(
    *, by: Actor, expense: Expense, document: UploadedFile[bytes]
) -> Expense:
    """Attach the supporting document (allowed at any stage: it completes the record)."""
    require(by, Perm.EXPENSE_RECORD, expense.partnership)
    if expense.is_frozen:
        if expense.document:
            raise frozen_error()
        _attach_document(expense, document)
        # The one addition an approved expense accepts: its missing receipt.
        Expense.objects.filter(pk=expense.pk).update(
            document=expense.document.name, document_name=expense.document_name
        )
        return expense
    _attach_document(expense, document)
    expense.save()
    return expense


@transaction.atomic
def expense_delete(*, by: Actor, expense: Expense) -> None:
    require(by, Perm.EXPENSE_RECORD, expense.partnership)
    if expense.is_frozen:
        raise frozen_error()
    document = expense.document.name if expense.document else ""
    expense.delete()
    _delete_file_on_commit(document)


def _transition(expense: Expense, action: rules.Action) -> rules.Status:
    target = rules.next_status(expense.status, action)
    if target is None:
        raise DomainError(
            Code.TRANSITION,
            gettext("Cette étape n'est pas possible pour une dépense « %(status)s ».")
            % {"status": expense.get_status_display()},
        )
    return target


def _locked(expense: Expense) -> Expense:
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    locked.partnership = expense.partnership
    return locked


def _advance(expense: Expense, target: rules.Status, step: str, by: SignedIn) -> Expense:
    """Move ``expense`` to ``target``, recording who took ``step`` (``checked``,
    ``approved``, ``paid``: the ``<step>_by`` and ``<step>_at`` columns) and when."""
    expense.status = target
    setattr(expense, f"{step}_by", by)
    setattr(expense, f"{step}_at", timezone.now())
    expense.save(update_fields=["status", f"{step}_by", f"{step}_at"])
    return expense


@transaction.atomic
def expense_check(*, by: Actor, expense: Expense) -> Expense:
    require(by, Perm.EXPENSE_CHECK, expense.partnership)
    expense = _locked(expense)
    return _advance(expense, _transition(expense, rules.Action.CHECK), "checked", signed_in(by))


@transaction.atomic
def expense_approve(*, by: Actor, expense: Expense) -> Expense:
    """The treasurer approves a checked expense: never one they recorded, never one whose
    line would overrun its ceiling without a board decision."""
    require(by, Perm.EXPENSE_APPROVE, expense.partnership)
    approver = signed_in(by)
    expense = _locked(expense)
    target = _transition(expense, rules.Action.APPROVE)
    if not rules.may_approve(recorded_by=expense.recorded_by_id, approver=approver.pk):
        raise DomainError(
            Code.OWN_EXPENSE,
            gettext("Vous avez enregistré cette dépense : une autre personne doit l'approuver."),
        )
    # Serialise approvals on the line: the check below reads what the line has spent, then
    # this transaction adds to it; without the lock two approvals could each see the room
    # the other is about to take (READ COMMITTED on PostgreSQL).
    budget_line_lock(line_id=expense.line_id)
    found = controls.overrun_of(expense)
    if found is not None:
        raise _refuse(found)
    return _advance(expense, target, "approved", approver)


@transaction.atomic
def expense_pay(*, by: Actor, expense: Expense) -> Expense:
    require(by, Perm.EXPENSE_PAY, expense.partnership)
    expense = _locked(expense)
    return _advance(expense, _transition(expense, rules.Action.PAY), "paid", signed_in(by))


@transaction.atomic
def expense_reverse(*, by: Actor, expense: Expense, reason: str) -> Expense:
    """Correct an approved expense by a reversing entry: the opposite amount, same line and
    date, pointing to the original, approved at once by the person who reverses it."""
    require(by, Perm.EXPENSE_APPROVE, expense.partnership)
    author = signed_in(by)
    expense = _locked(expense)
    if not expense.is_frozen or expense.is_reversal:
        raise DomainError(
            Code.NOT_REVERSIBLE,
            gettext("Seule une dépense approuvée, qui n'est pas elle-même une écriture "
                    "d'annulation, se corrige par une écriture d'annulation ; une dépense pas "
                    "encore approuvée se modifie ou se supprime depuis sa fiche."),
        )  # fmt: skip
    if Expense.objects.filter(reverses=expense).exists():
        raise DomainError(Code.ALREADY_REVERSED, gettext("Cette dépense est déjà annulée."))
    if not reason.strip():
        raise _invalid("reason", gettext("Indiquez le motif de l'annulation."))
    now = timezone.now()
    reversal = Expense(
        partnership=expense.partnership,
        plan_version_id=expense.plan_version_id,
        activity_id=expense.activity_id,
        line_id=expense.line_id,
        date=expense.date,
        year=expense.year,
        amount=-expense.amount,
        currency=expense.currency,
        supplier=expense.supplier,
        reference=expense.reference,
        description=(gettext("Annulation : %(reason)s") % {"reason": reason.strip()})[:500],
        status=expense.status,
        recorded_by=author,
        recorded_at=now,
        approved_by=author,
        approved_at=now,
        paid_by=author if expense.status == rules.Status.PAID else None,
        paid_at=now if expense.status == rules.Status.PAID else None,
        reverses=expense,
    )
    reversal.save()
    return reversal


# --- Overrun authorisations ------------------------------------------------------------------


@transaction.atomic
def overrun_authorise(
    *,
    by: Actor,
    partnership: Partnership,
    line: BudgetLine,
    decision: Decision,
    amount: Decimal | int | str,
    note: str = "",
) -> OverrunAuthorisation:
    """Link a board decision authorising ``line`` to spend ``amount`` beyond its ceiling."""
    require(by, Perm.EXPENSE_RECORD, partnership)
    if decision.partnership_id != partnership.pk:
        raise DomainError(
            Code.DECISION_OTHER_PARTNERSHIP,
            gettext("La décision doit être une décision du conseil de ce partenariat."),
            field="decision",
        )
    if line.activity.version.plan.partnership_id != partnership.pk:
        raise _invalid("line", gettext("Cette ligne n'appartient pas au plan du partenariat."))
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid("amount", gettext("Montant invalide.")) from None
    if value <= 0:
        raise _invalid("amount", gettext("Le montant doit être positif."))
    authorisation = OverrunAuthorisation(
        partnership=partnership, line=line, decision=decision, amount=value, note=note,
        created_by=signed_in(by),
    )  # fmt: skip
    return clean_and_save(authorisation)


def today() -> date:
    return timezone.localdate()
