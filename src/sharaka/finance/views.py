"""Finance pages. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.core.pagination import paginate, query_without_page
from sharaka.directory.models import Organization
from sharaka.finance import charts, controls, exports, importer, selectors, services, tasks
from sharaka.finance.forms import (
    ContributionForm,
    DocumentForm,
    ExpenseFilterForm,
    ExpenseForm,
    ImportForm,
    OverrunForm,
    ReasonForm,
)
from sharaka.finance.models import ContributionKind
from sharaka.partnerships.views import partnership_page


def _context(request: HttpRequest, partnership: Any, section: str) -> dict[str, Any]:
    return partnership_page(request, partnership, "finance", section=section)


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2999 else None


@login_required
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    year = _year(request)
    budget = selectors.budget_summary_get(partnership=partnership, year=year)
    contributions = selectors.contribution_summary_get(partnership=partnership)
    chart = charts.budget_bars(
        [
            (f"{row.code} {row.label}", row.totals.planned, row.totals.committed, row.totals.spent)
            for row in budget.activities
        ],
        title=_("Budget et réalisé par activité"),
        rtl=get_language_bidi(),
    )
    context = _context(request, partnership, "summary") | {
        "budget": budget,
        "contributions": contributions,
        "chart": chart,
        "missing_documents": selectors.missing_document_count(partnership=partnership),
    }
    return render(request, "finance/pages/summary.html", context)


@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.FINANCE_EXPORT)
    budget = selectors.budget_summary_get(partnership=partnership, year=_year(request))
    expenses = selectors.expense_list(partnership=partnership, year=_year(request))
    content = exports.budget_xlsx(budget, expenses.iterator(chunk_size=2000))
    return spreadsheets.download(
        content, filename=f"finances-{partnership.slug}.xlsx", content_type=spreadsheets.XLSX_TYPE
    )


# --- Contributions ----------------------------------------------------------------------------


@login_required
def contributions(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    summary_data = selectors.contribution_summary_get(partnership=partnership)
    context = _context(request, partnership, "contributions") | {
        "summary": summary_data,
        "contributions": selectors.contribution_list(partnership=partnership),
        "power": selectors.power_comparison_get(partnership=partnership, summary=summary_data),
    }
    return render(request, "finance/pages/contributions.html", context)


def _party_organizations(partnership: Any) -> Any:
    return Organization.objects.filter(parties__partnership=partnership).distinct().order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def contribution_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.CONTRIBUTION_CHANGE
    )
    instance = (
        selectors.contribution_get(partnership=partnership, contribution_id=pk) if pk else None
    )
    form = ContributionForm(
        request.POST or None,
        instance=instance,
        organizations=_party_organizations(partnership),
        initial={"kind": ContributionKind.CASH},
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if instance is None:
                services.contribution_create(
                    by=request.user, partnership=partnership, fields=fields
                )
            else:
                services.contribution_update(by=request.user, contribution=instance, fields=fields)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Contribution enregistrée."))
            return redirect("finance:contributions", slug=slug)
    context = _context(request, partnership, "contributions") | {
        "form": form,
        "title": _("Modifier la contribution") if instance else _("Nouvelle contribution"),
        "submit": _("Enregistrer"),
        "cancel_url": reverse("finance:contributions", kwargs={"slug": slug}),
    }
    return render(request, "finance/pages/form.html", context)


# --- Expenses ---------------------------------------------------------------------------------


@login_required
def expenses(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    form = ExpenseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.expense_list(
        partnership=partnership,
        status=filters.get("status", ""),
        activity=filters.get("activity", ""),
        year=filters.get("year"),
        missing_document=bool(filters.get("missing")),
        search=filters.get("q", ""),
    )
    context = _context(request, partnership, "expenses") | {
        "form": form,
        "page_obj": paginate(request, items),
        "query": query_without_page(request),
    }
    template = "finance/pages/expenses.html"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request: HttpRequest, slug: str) -> HttpResponse:
    from sharaka.planning.selectors import plan_in_force_get

    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_RECORD)
    version = plan_in_force_get(partnership=partnership)
    choices = selectors.line_choices(version=version) if version else []
    form = ExpenseForm(request.POST or None, request.FILES or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity, line = form.lines[data["line"]]
        names = ("date", "amount", "currency", "supplier", "reference", "description")
        fields = {k: data[k] for k in names} | {"activity": activity, "line": line}
        try:
            expense = services.expense_record(
                by=request.user, partnership=partnership, fields=fields,
                document=data.get("document"),
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
            if error.field == "activity":
                form.add_error("line", error.message)
        else:
            messages.success(request, _("Dépense enregistrée."))
            return redirect("finance:expense", slug=slug, pk=expense.pk)
    context = _context(request, partnership, "expenses") | {
        "form": form,
        "title": _("Enregistrer une dépense"),
        "intro": _("La dépense est imputée à une activité et à une ligne du plan d'action en "
                   "vigueur à sa date ; elle suit ensuite les étapes vérification, approbation "
                   "par le trésorier et paiement."),
        "submit": _("Enregistrer la dépense"),
        "cancel_url": reverse("finance:expenses", kwargs={"slug": slug}),
        "multipart": True,
        "no_plan": version is None,
    }  # fmt: skip
    return render(request, "finance/pages/form.html", context)


@login_required
def expense_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    findings = controls.findings_of(expense)
    context = _context(request, partnership, "expenses") | {
        "expense": expense,
        "findings": [(f, controls.message(f)) for f in findings],
        "blocked": any(f.blocking for f in findings),
        "document_form": DocumentForm(),
    }
    return render(request, "finance/pages/expense.html", context)


@login_required
def expense_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    if not expense.document:
        raise NotFound()
    return FileResponse(
        expense.document.open("rb"), filename=expense.document_name or "piece",
        as_attachment=(expense.document.name or "").endswith(".pdf"),
    )  # fmt: skip


@login_required
@require_http_methods(["POST"])
def expense_attach(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_RECORD)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.expense_document_attach(
                by=request.user, expense=expense, document=form.cleaned_data["document"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Pièce justificative jointe."))
    else:
        messages.error(request, _("Choisissez un fichier PDF, JPEG ou PNG."))
    return redirect("finance:expense", slug=slug, pk=pk)


_STEPS = {
    "check": (Perm.EXPENSE_CHECK, services.expense_check, "Vérifier cette dépense ?",
              "Marquer vérifiée", "Dépense vérifiée."),
    "approve": (Perm.EXPENSE_APPROVE, services.expense_approve,
                "Approuver cette dépense ? Une dépense approuvée ne pourra plus être modifiée "
                "ni supprimée : seule une écriture d'annulation pourra la corriger.",
                "Approuver", "Dépense approuvée."),
    "pay": (Perm.EXPENSE_PAY, services.expense_pay, "Enregistrer le paiement de cette dépense ?",
            "Enregistrer le paiement", "Paiement enregistré."),
}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def expense_step(request: HttpRequest, slug: str, pk: int, step: str) -> HttpResponse:
    if step not in _STEPS:
        raise NotFound()
    perm, service, question, label, done = _STEPS[step]
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=perm)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    error = ""
    if request.method == "POST":
        try:
            service(by=request.user, expense=expense)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _(done))
            return redirect("finance:expense", slug=slug, pk=pk)
    context = _context(request, partnership, "expenses") | {
        "question": _(question), "confirm_label": _(label), "error": error,
        "danger": step == "approve", "expense": expense,
        "cancel_url": reverse("finance:expense", kwargs={"slug": slug, "pk": pk}),
    }  # fmt: skip
    return render(request, "finance/pages/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expense_reverse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_APPROVE)
    expense = selectors.expense_get(partnership=partnership, expense_id=pk)
    form = ReasonForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.expense_reverse(
                by=request.user, expense=expense, reason=form.cleaned_data["reason"]
            )
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Écriture d'annulation enregistrée."))
            return redirect("finance:expense", slug=slug, pk=reversal.pk)
    context = _context(request, partnership, "expenses") | {
        "question": _("Annuler cette dépense approuvée par une écriture de sens opposé ? "
                      "Les deux écritures resteront dans les comptes."),
        "confirm_label": _("Enregistrer l'annulation"), "danger": True, "form": form,
        "error": error, "expense": expense,
        "cancel_url": reverse("finance:expense", kwargs={"slug": slug, "pk": pk}),
    }  # fmt: skip
    return render(request, "finance/pages/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def overrun_authorise(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_RECORD)
    budget = selectors.budget_summary_get(partnership=partnership)
    lines = {row.line_id: row for row in budget.lines if row.line_id is not None}
    form = OverrunForm(
        request.POST or None,
        lines=[(pk, f"{row.code} — {row.label}") for pk, row in lines.items()],
        decisions=selectors.decision_choices(partnership=partnership),
        initial={"line": request.GET.get("line")},
    )
    if request.method == "POST" and form.is_valid():
        from sharaka.planning.models import BudgetLine

        data = form.cleaned_data
        line = BudgetLine.objects.select_related("activity__version__plan").get(pk=data["line"])
        try:
            services.overrun_authorise(
                by=request.user, partnership=partnership, line=line, decision=data["decision"],
                amount=data["amount"], note=data["note"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Autorisation du conseil enregistrée."))
            return redirect("finance:summary", slug=slug)
    context = _context(request, partnership, "summary") | {
        "form": form,
        "title": _("Autorisation de dépassement par le conseil"),
        "intro": _("Une ligne qui dépasse son montant prévu au-delà de la tolérance ne peut "
                   "plus approuver de dépenses tant qu'une décision du conseil ne l'autorise "
                   "pas : reliez ici la décision et le montant autorisé."),
        "submit": _("Enregistrer l'autorisation"),
        "cancel_url": reverse("finance:summary", kwargs={"slug": slug}),
    }  # fmt: skip
    return render(request, "finance/pages/form.html", context)


# --- Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_RECORD)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = tasks.import_job_start(
                by=request.user, partnership=partnership, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("finance:import_job", slug=slug, pk=job.pk)
    context = _context(request, partnership, "import") | {"form": form}
    return render(request, "finance/pages/import.html", context)


@login_required
def import_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EXPENSE_RECORD)
    job = selectors.import_job_get(partnership=partnership, job_id=pk)
    rows, percent = tasks.progress_of(job)
    context = _context(request, partnership, "import") | {
        "job": job, "rows": rows, "percent": percent,
    }  # fmt: skip
    template = "finance/pages/import_job.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#progress"
    return render(request, template, context)


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    response = HttpResponse(
        importer.template_csv(partnership=partnership), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="depenses-{partnership.slug}.csv"'
    return response
