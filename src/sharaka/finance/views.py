"""Finance pages. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import locale, spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.htmx import HtmxHttpRequest, wants_partial
from sharaka.core.pages import Frame, Outcome, confirm_page, form_page
from sharaka.core.pagination import DeferredRows, paginate, query_without_page
from sharaka.core.uploads import stored_file_response
from sharaka.finance import exports, importer, selectors, services, tasks
from sharaka.finance.forms import (
    ContributionForm,
    DocumentForm,
    ExpenseFilterForm,
    ExpenseForm,
    ImportForm,
    OverrunForm,
    ReasonForm,
)
from sharaka.finance.models import Contribution, ContributionKind, Expense
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("finance/partials/nav.html",)
EXPENSE_FORM = "finance/pages/expense_form.html"
EXPENSE_CONFIRM = "finance/pages/expense_confirm.html"


def _context(request: HtmxHttpRequest, partnership: Partnership, section: str) -> dict[str, Any]:
    return partnership_page(request, partnership, "finance", section=section)


def _frame(request: HtmxHttpRequest, partnership: Partnership, section: str) -> Frame:
    return Frame(_context(request, partnership, section), nav=NAV)


def _partnership(
    request: HtmxHttpRequest, slug: str, perm: Perm = Perm.FINANCE_VIEW
) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=perm)


def _url(name: str, slug: str, **kwargs: Any) -> str:
    return reverse(f"finance:{name}", kwargs={"slug": slug, **kwargs})


def _year(request: HtmxHttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2999 else None


@login_required
def summary(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    view = selectors.summary_view_get(
        partnership=partnership, year=_year(request), rtl=get_language_bidi()
    )
    context = _context(request, partnership, "summary") | {"view": view}
    return render(request, "finance/pages/summary.html", context)


@login_required
def export_xlsx(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.FINANCE_EXPORT)
    budget = selectors.budget_summary_get(partnership=partnership, year=_year(request))
    expenses = selectors.expense_list(partnership=partnership, year=_year(request))
    content = exports.budget_xlsx(
        budget, expenses.iterator(chunk_size=2000), partnership_id=partnership.pk
    )
    return spreadsheets.download(
        content, filename=f"finances-{partnership.slug}.xlsx", content_type=spreadsheets.XLSX_TYPE
    )


# --- Contributions ----------------------------------------------------------------------------


@login_required
def contributions(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    view = selectors.contributions_view_get(partnership=partnership)
    context = _context(request, partnership, "contributions") | {"view": view}
    return render(request, "finance/pages/contributions.html", context)


def _contribution_page(
    request: HtmxHttpRequest, partnership: Partnership, instance: Contribution | None
) -> HttpResponse:
    """The contribution form, new (``instance`` None) or to correct one."""
    form = ContributionForm(
        request.POST or None, instance=instance, initial={"kind": ContributionKind.CASH},
        organizations=selectors.party_organizations(partnership=partnership),
    )  # fmt: skip

    def save(data: dict[str, Any]) -> Contribution:
        fields = {name: data[name] for name in form.fields}
        if instance is None:
            return services.contribution_create(
                by=request.user, partnership=partnership, fields=fields
            )
        return services.contribution_update(by=request.user, contribution=instance, fields=fields)

    def saved(contribution: Contribution) -> str:
        """The success message; a new contribution that crosses a funding threshold of an
        association (partners' data) says which, with its reference."""
        crossed = [] if instance else selectors.funding_crossed(contribution=contribution)
        notes = [
            _("Attention : %(association)s dépasse %(amount)s DH en %(year)s — %(text)s (%(ref)s).")
            % {"association": w.association, "amount": locale.amount(t.amount, 0),
               "year": w.year, "text": t.requirement, "ref": t.reference}
            for w in crossed for t in w.thresholds
        ]  # fmt: skip
        return " ".join([_("Contribution enregistrée."), *notes])

    back = _url("contributions", partnership.slug)
    return form_page(
        request, form, save=save, success=saved, done=back, cancel=back,
        frame=_frame(request, partnership, "contributions"),
        title=_("Modifier la contribution") if instance else _("Nouvelle contribution"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.CONTRIBUTION_CHANGE)
    return _contribution_page(request, partnership, None)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.CONTRIBUTION_CHANGE)
    contribution = selectors.contribution_get(partnership=partnership, contribution_id=pk)
    return _contribution_page(request, partnership, contribution)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.CONTRIBUTION_CHANGE)
    contribution = selectors.contribution_get(partnership=partnership, contribution_id=pk)
    back = _url("contributions", slug)
    return confirm_page(
        request, act=lambda _data: services.contribution_delete(
            by=request.user, contribution=contribution),
        success=_("Contribution supprimée."), done=back, cancel=back,
        frame=_frame(request, partnership, "contributions"),
        question=_("Supprimer la contribution %(year)s de %(org)s (promis %(pledged)s, reçu "
                   "%(received)s) ? L'historique du partenariat garde la trace de la suppression.")
        % {"year": contribution.year, "org": contribution.organization.name,
           "pledged": contribution.pledged, "received": contribution.received},
        confirm_label=_("Supprimer"),
    )  # fmt: skip


# --- Expenses ---------------------------------------------------------------------------------


@login_required
def expenses(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    form = ExpenseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.expense_list(
        partnership=partnership, status=filters.get("status", ""),
        activity=filters.get("activity", ""), year=filters.get("year"),
        missing_document=bool(filters.get("missing")), search=filters.get("q", ""),
    )  # fmt: skip
    context = _context(request, partnership, "expenses") | {
        "form": form, "page_obj": paginate(request, DeferredRows(items)),
        "query": query_without_page(request),
    }  # fmt: skip
    template = "finance/pages/expenses.html"
    return render(request, template + "#results" if wants_partial(request) else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    version, choices = selectors.expense_line_choices(partnership=partnership)
    form = ExpenseForm(request.POST or None, request.FILES or None, choices=choices)
    return form_page(
        request, form,
        save=lambda _data: services.expense_record(
            by=request.user, partnership=partnership, **form.service_args()),
        success=_("Dépense enregistrée."), cancel=_url("expenses", slug),
        done=lambda expense: _url("expense", slug, pk=expense.pk),
        frame=_frame(request, partnership, "expenses"),
        title=_("Enregistrer une dépense"), submit=_("Enregistrer la dépense"),
        intro=_("La dépense est imputée à une activité et à une ligne du plan d'action en "
                "vigueur à sa date ; elle suit ensuite les étapes vérification, approbation "
                "par le trésorier et paiement."),
        template=EXPENSE_FORM, extra={"no_plan": version is None},
    )  # fmt: skip


@login_required
def expense_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    view = selectors.expense_view_get(partnership=partnership, expense_id=pk)
    context = _context(request, partnership, "expenses") | {
        "view": view, "document_form": DocumentForm(),
    }  # fmt: skip
    return render(request, "finance/pages/expense.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    _version, choices = selectors.expense_line_choices(
        partnership=partnership, version=expense.plan_version
    )
    form = ExpenseForm(
        request.POST or None, request.FILES or None, choices=choices, expense=expense
    )
    back = _url("expense", slug, pk=pk)
    return form_page(
        request, form,
        save=lambda _data: services.expense_update(
            by=request.user, expense=expense, **form.service_args()),
        success=_("Dépense modifiée."), done=back, cancel=back,
        frame=_frame(request, partnership, "expenses"), title=_("Modifier la dépense"),
        intro=_("Une dépense se corrige tant qu'elle n'est pas approuvée ; elle reste imputée "
                "au plan d'action en vigueur à sa date. L'historique garde chaque modification."),
        template=EXPENSE_FORM, extra={"expense": expense},
    )  # fmt: skip


def _expense_question(
    request: HtmxHttpRequest,
    partnership: Partnership,
    expense: Expense,
    *,
    act: Callable[[dict[str, Any]], object],
    success: str,
    question: str,
    confirm_label: str,
    done: Outcome[Any] = "",
    form: ReasonForm | None = None,
    danger: bool = True,
) -> HttpResponse:
    """A question about one expense (a workflow step, a reversal, a deletion), asked under
    the finance tabs with the expense named above it; back to the expense (or ``done``)."""
    back = _url("expense", partnership.slug, pk=expense.pk)
    return confirm_page(
        request, act=act, success=success, done=done or back, cancel=back, form=form,
        frame=_frame(request, partnership, "expenses"), question=question,
        confirm_label=confirm_label, danger=danger, template=EXPENSE_CONFIRM,
        extra={"expense": expense},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def expense_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    return _expense_question(
        request, partnership, expense,
        act=lambda _data: services.expense_delete(by=request.user, expense=expense),
        success=_("Dépense supprimée."), done=_url("expenses", slug),
        question=_("Supprimer cette dépense, qui n'est pas encore approuvée ? Elle sort des "
                   "comptes ; l'historique garde ce qu'elle était et qui l'a supprimée."),
        confirm_label=_("Supprimer la dépense"),
    )  # fmt: skip


@login_required
def expense_document(request: HtmxHttpRequest, slug: str, pk: int) -> FileResponse:
    partnership = _partnership(request, slug)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    return stored_file_response(
        expense.document, filename=expense.document_name or "piece",
        attachment=(expense.document.name or "").endswith(".pdf"),
    )  # fmt: skip


@login_required
@require_http_methods(["POST"])
def expense_attach(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    view = selectors.expense_view_get(partnership=partnership, expense_id=pk)
    return form_page(
        request, DocumentForm(request.POST, request.FILES),
        save=lambda data: services.expense_document_attach(
            by=request.user, expense=view.expense, document=data["document"]),
        success=_("Pièce justificative jointe."), done=_url("expense", slug, pk=pk),
        frame=_frame(request, partnership, "expenses"), title=_("Dépense"),
        template="finance/pages/expense.html", form_key="document_form", invalid_status=422,
        extra={"view": view},
    )  # fmt: skip


#: step: (permission, service, question, button, message)
_STEPS = {
    "check": (Perm.EXPENSE_CHECK, services.expense_check,
              gettext_lazy("Vérifier cette dépense ?"), gettext_lazy("Marquer vérifiée"),
              gettext_lazy("Dépense vérifiée.")),
    "approve": (Perm.EXPENSE_APPROVE, services.expense_approve,
                gettext_lazy("Approuver cette dépense ? Une dépense approuvée ne pourra plus "
                             "être modifiée ni supprimée : seule une écriture d'annulation "
                             "pourra la corriger."),
                gettext_lazy("Approuver"), gettext_lazy("Dépense approuvée.")),
    "pay": (Perm.EXPENSE_PAY, services.expense_pay,
            gettext_lazy("Enregistrer le paiement de cette dépense ?"),
            gettext_lazy("Enregistrer le paiement"), gettext_lazy("Paiement enregistré.")),
}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def expense_step(request: HtmxHttpRequest, slug: str, pk: int, step: str) -> HttpResponse:
    if step not in _STEPS:
        raise NotFound()
    perm, service, question, label, done = _STEPS[step]
    partnership = _partnership(request, slug, perm)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    return _expense_question(
        request, partnership, expense,
        act=lambda _data: service(by=request.user, expense=expense), success=str(done),
        question=str(question), confirm_label=str(label), danger=step == "approve",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def expense_reverse(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_APPROVE)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    return _expense_question(
        request, partnership, expense, form=ReasonForm(request.POST or None),
        act=lambda data: services.expense_reverse(
            by=request.user, expense=expense, reason=data["reason"]),
        success=_("Écriture d'annulation enregistrée."),
        done=lambda reversal: _url("expense", slug, pk=reversal.pk),
        question=_("Annuler cette dépense approuvée par une écriture de sens opposé ? "
                   "Les deux écritures resteront dans les comptes."),
        confirm_label=_("Enregistrer l'annulation"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def overrun_authorise(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    form = OverrunForm(
        request.POST or None, initial={"line": request.GET.get("line")},
        lines=selectors.overrun_line_choices(partnership=partnership),
        decisions=selectors.decision_choices(partnership=partnership),
    )  # fmt: skip
    back = _url("summary", slug)
    return form_page(
        request, form,
        save=lambda data: services.overrun_authorise(
            by=request.user, partnership=partnership, decision=data["decision"],
            line=selectors.budget_line_get(partnership=partnership, line_id=data["line"]),
            amount=data["amount"], note=data["note"]),
        success=_("Autorisation du conseil enregistrée."), done=back, cancel=back,
        frame=_frame(request, partnership, "summary"),
        title=_("Autorisation de dépassement par le conseil"),
        intro=_("Une ligne qui dépasse son montant prévu au-delà de la tolérance ne peut "
                "plus approuver de dépenses tant qu'une décision du conseil ne l'autorise "
                "pas : reliez ici la décision et le montant autorisé."),
        submit=_("Enregistrer l'autorisation"),
    )  # fmt: skip


# --- Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    return form_page(
        request, ImportForm(request.POST or None, request.FILES or None),
        save=lambda data: tasks.import_job_start(
            by=request.user, partnership=partnership, upload=data["file"],
            allow_duplicates=data["allow_duplicates"]),
        success="", done=lambda job: _url("import_job", slug, pk=job.pk),
        frame=_frame(request, partnership, "import"), title=_("Importer des dépenses"),
        intro=_("Un export comptable en CSV ou XLSX. Chaque ligne est contrôlée contre le plan "
                "d'action en vigueur à sa date ; une seule ligne invalide fait refuser tout le "
                "fichier, et rien n'est enregistré. Les gros fichiers sont traités en "
                "arrière-plan."),
        submit=_("Importer"), template="finance/pages/import.html",
    )  # fmt: skip


@login_required
def import_job(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    job = selectors.import_job_get(partnership=partnership, job_id=pk)
    rows, percent = tasks.progress_of(job)
    context = _context(request, partnership, "import") | {
        "job": job, "rows": rows, "percent": percent,
    }  # fmt: skip
    template = "finance/pages/import_job.html"
    return render(request, template + "#progress" if request.htmx else template, context)


@login_required
def import_template(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    response = HttpResponse(
        # a byte-order mark, so Excel reads the accents as UTF-8 (the import skips it)
        "\ufeff" + importer.template_csv(partnership=partnership),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="depenses-{partnership.slug}.csv"'
    return response
