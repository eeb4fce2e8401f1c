"""Action plan pages. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page
from sharaka.planning import charts, exports, selectors, services
from sharaka.planning.forms import (
    ActivityForm,
    AdoptForm,
    BudgetLineForm,
    ObjectiveForm,
    PlanCreateForm,
    PlanForm,
    ProgressForm,
    ReviseForm,
    party_organizations,
    staff_people,
)
from sharaka.planning.models import ActionPlan, Objective, PlanVersion


def _context(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    return partnership_page(request, partnership, "plan")


def _version_url(version: PlanVersion, anchor: str = "") -> str:
    url = reverse(
        "planning:version",
        kwargs={
            "slug": version.plan.partnership.slug,
            "plan_id": version.plan_id,
            "number": version.number,
        },
    )
    return url + (f"#{anchor}" if anchor else "")


def _load_version(
    request: HttpRequest, slug: str, plan_id: int, number: int, perm: Perm = Perm.PLAN_VIEW
) -> tuple[Partnership, ActionPlan, PlanVersion]:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=perm)
    plan = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    return partnership, plan, selectors.version_get(plan=plan, number=number)


def _form_page(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    *,
    title: str,
    submit: str,
    cancel: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    context = _context(request, partnership) | {
        "form": form,
        "title": title,
        "submit": submit,
        "cancel_url": cancel,
        "intro": intro,
        "multipart": multipart,
    }
    return render(request, "planning/pages/form.html", context)


def _confirm_page(
    request: HttpRequest,
    partnership: Partnership,
    *,
    question: str,
    confirm_label: str,
    cancel: str,
    danger: bool = True,
    form: Any = None,
) -> HttpResponse:
    context = _context(request, partnership) | {
        "question": question,
        "confirm_label": confirm_label,
        "cancel_url": cancel,
        "danger": danger,
        "form": form,
    }
    return render(request, "planning/pages/confirm.html", context)


# --- The plan page ---------------------------------------------------------------------------


@login_required
def plan_page(
    request: HttpRequest, slug: str, plan_id: int | None = None, number: int | None = None
) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    today = timezone.localdate()
    plans = selectors.plan_list(partnership=partnership)
    context = _context(request, partnership) | {
        "plans": plans,
        "deadline": selectors.adoption_deadline_get(partnership=partnership, today=today),
        "today": today,
    }
    if plan_id is not None:
        plan: ActionPlan | None = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    else:
        plan = selectors.default_plan(plans, today)
    if plan is None:
        return render(request, "planning/pages/plan.html", context)
    version = selectors.version_get(plan=plan, number=number) if number is not None else None
    view = selectors.plan_view_get(partnership=partnership, plan=plan, version=version)
    context |= {
        "plan": plan,
        "view": view,
        "version": view.version,
        "gantt": charts.gantt(
            view.gantt_rows,
            period_start=plan.period_start,
            period_end=plan.period_end,
            title=_("Calendrier des activités — %(plan)s, version %(number)s")
            % {"plan": plan.title, "number": view.version.number},
            rtl=get_language_bidi(),
            today=today,
        ),
    }
    return render(request, "planning/pages/plan.html", context)


@login_required
def plan_print(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number)
    view = selectors.plan_view_get(partnership=partnership, plan=plan, version=version)
    today = timezone.localdate()
    context = {
        "partnership": partnership,
        "plan": plan,
        "view": view,
        "version": view.version,
        "printing": True,
        "today": today,
        "gantt": charts.gantt(
            view.gantt_rows,
            period_start=plan.period_start,
            period_end=plan.period_end,
            title=_("Calendrier des activités"),
            rtl=get_language_bidi(),
        ),
    }
    return render(request, "planning/pages/print.html", context)


def _export_name(plan: ActionPlan, version: PlanVersion, extension: str) -> str:
    return f"plan-{slugify(plan.partnership.slug)}-{plan.pk}-v{version.number}.{extension}"


@login_required
def plan_export_csv(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number)
    view = selectors.plan_view_get(partnership=partnership, plan=plan, version=version)
    combined, _activities, _budget = exports.plan_tables(view)
    return spreadsheets.csv_response(combined, filename=_export_name(plan, version, "csv"))


@login_required
def plan_export_xlsx(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number)
    view = selectors.plan_view_get(partnership=partnership, plan=plan, version=version)
    _combined, activities, budget = exports.plan_tables(view)
    return spreadsheets.xlsx_response(
        [activities, budget], filename=_export_name(plan, version, "xlsx")
    )


# --- Plans -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    initial = {}
    if partnership.start_date and not selectors.plan_list(partnership=partnership):
        initial = {"period_start": partnership.start_date, "period_end": partnership.end_date}
    form = PlanCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "note"}
        try:
            plan = services.plan_create(
                by=request.user, partnership=partnership, fields=fields,
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Plan créé : sa première version est un projet."))
            return redirect("planning:version", slug=slug, plan_id=plan.pk, number=1)
    return _form_page(
        request, partnership, form, title=_("Nouveau plan d'action"), submit=_("Créer le plan"),
        cancel=reverse("planning:plan", kwargs={"slug": slug}),
        intro=_("Un plan couvre une période ; il se construit en projet puis est adopté par "
                "le conseil."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    plan = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    form = PlanForm(request.POST or None, instance=plan)
    cancel = reverse("planning:plan_detail", kwargs={"slug": slug, "plan_id": plan.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                by=request.user, plan=plan,
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(cancel)
    return _form_page(request, partnership, form, title=_("Modifier le plan"),
                      submit=_("Enregistrer"), cancel=cancel)  # fmt: skip


# --- Adoption, revision ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def version_adopt(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    decisions = selectors.adoption_decision_choices(partnership=partnership)
    form = AdoptForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_adopt(
                by=request.user, version=version, decision=form.cleaned_data["decision"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Version adoptée : elle est désormais en vigueur."))
            return redirect(_version_url(version))
    intro = _(
        "Le plan n'entre en vigueur qu'une fois adopté par le conseil. Choisissez la décision "
        "du conseil qui l'adopte ; la version en vigueur jusqu'ici sera remplacée."
    )
    if not decisions.exists():
        intro += " " + _(
            "Aucune décision « Adoption du plan d'action » n'est disponible : inscrivez "
            "l'adoption à l'ordre du jour d'une réunion du conseil."
        )
    return _form_page(
        request, partnership, form, title=_("Enregistrer l'adoption de la version %(n)s")
        % {"n": version.number}, submit=_("Enregistrer l'adoption"),
        cancel=_version_url(version), intro=intro,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_revise(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    form = ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.plan_version_revise(
                by=request.user, version=version, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_version_url(version))
        messages.success(
            request,
            _("Projet de révision créé (version %(n)s) : il entrera en vigueur une fois adopté "
              "par le conseil.") % {"n": draft.number},
        )  # fmt: skip
        draft.plan = version.plan
        return redirect(_version_url(draft))
    return _confirm_page(
        request, partnership, form=form, danger=False,
        question=_("Préparer une révision de la version %(n)s ? Elle sera copiée dans un "
                   "nouveau projet, qui devra être adopté par le conseil ; la version %(n)s "
                   "reste en vigueur d'ici là.") % {"n": version.number},
        confirm_label=_("Créer le projet de révision"), cancel=_version_url(version),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_discard(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    if request.method == "POST":
        try:
            services.plan_version_discard(by=request.user, version=version)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_version_url(version))
        messages.success(request, _("Projet abandonné."))
        return redirect("planning:plan_detail", slug=slug, plan_id=plan.pk)
    return _confirm_page(
        request, partnership,
        question=_("Abandonner le projet de version %(n)s ? Ses objectifs, activités et lignes "
                   "budgétaires seront supprimés.") % {"n": version.number},
        confirm_label=_("Abandonner le projet"), cancel=_version_url(version),
    )  # fmt: skip


# --- Objectives ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    form = ObjectiveForm(
        request.POST or None, initial={"position": version.objectives.count() + 1,
                                       "code": f"O{version.objectives.count() + 1}"},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(
                by=request.user, version=version, fields=form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Objectif ajouté."))
            return redirect(_version_url(version, f"objective-{objective.pk}"))
    return _form_page(request, partnership, form, title=_("Nouvel objectif"),
                      submit=_("Ajouter"), cancel=_version_url(version))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    objective = selectors.objective_get(partnership=partnership, pk=pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    back = _version_url(objective.version, f"objective-{objective.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                by=request.user, objective=objective,
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(request, partnership, form, title=_("Modifier l'objectif"),
                      submit=_("Enregistrer"), cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    objective = selectors.objective_get(partnership=partnership, pk=pk)
    back = _version_url(objective.version)
    if request.method == "POST":
        try:
            services.objective_delete(by=request.user, objective=objective)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Objectif supprimé."))
        return redirect(back)
    return _confirm_page(
        request, partnership, question=_("Supprimer l'objectif « %(title)s » ?")
        % {"title": objective}, confirm_label=_("Supprimer"), cancel=back,
    )  # fmt: skip


# --- Activities ------------------------------------------------------------------------------


def _activity_form(request: HttpRequest, version: PlanVersion, **kwargs: Any) -> ActivityForm:
    partnership = version.plan.partnership
    return ActivityForm(
        request.POST or None,
        objectives=Objective.objects.filter(version=version).order_by("position", "pk"),
        organizations=party_organizations(partnership),
        people=staff_people(partnership),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    initial: dict[str, Any] = {"start_date": plan.period_start, "end_date": plan.period_end}
    if request.GET.get("objective", "").isdigit():
        initial["objective"] = int(request.GET["objective"])
    form = _activity_form(request, version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                by=request.user, version=version, fields=form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Activité %(code)s ajoutée.") % {"code": activity.code})
            return redirect(_version_url(version, f"activity-{activity.pk}"))
    return _form_page(request, partnership, form, title=_("Nouvelle activité"),
                      submit=_("Ajouter"), cancel=_version_url(version))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    form = _activity_form(request, activity.version, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                by=request.user, activity=selectors.activity_get(partnership=partnership, pk=pk),
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(
        request, partnership, form, title=_("Modifier l'activité %(code)s")
        % {"code": activity.code}, submit=_("Enregistrer"), cancel=back,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version)
    if request.method == "POST":
        try:
            services.activity_delete(by=request.user, activity=activity)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Activité supprimée."))
        return redirect(back)
    return _confirm_page(
        request, partnership,
        question=_("Supprimer l'activité %(code)s « %(title)s » et ses lignes budgétaires ?")
        % {"code": activity.code, "title": activity.title},
        confirm_label=_("Supprimer"), cancel=back,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    form = ProgressForm(
        request.POST or None, initial={"status": activity.status, "progress": activity.progress}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_progress_record(by=request.user, activity=activity,
                                              **form.cleaned_data)  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Avancement enregistré."))
            return redirect(back)
    return _form_page(
        request, partnership, form, title=_("Avancement de l'activité %(code)s")
        % {"code": activity.code}, submit=_("Enregistrer"), cancel=back,
        intro=_("Le suivi de l'exécution (état, avancement) se met à jour sur la version en "
                "vigueur ; le reste du plan adopté ne change plus."),
    )  # fmt: skip


# --- Budget lines ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    plan = activity.version.plan
    form = BudgetLineForm(request.POST or None, years=plan.years, currency=plan.currency)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(
                by=request.user, activity=activity, fields=form.fields_data(),
                amounts=form.amounts(),
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Ligne budgétaire ajoutée."))
            return redirect(back)
    return _form_page(
        request, partnership, form, title=_("Nouvelle ligne budgétaire — %(code)s")
        % {"code": activity.code}, submit=_("Ajouter"), cancel=back,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    line = selectors.line_get(partnership=partnership, pk=pk)
    plan = line.activity.version.plan
    initial: dict[str, Any] = {"category": line.category, "label": line.label}
    initial |= {f"amount_{a.year}": a.amount for a in line.amounts.all()}
    form = BudgetLineForm(
        request.POST or None, initial=initial, years=plan.years, currency=plan.currency
    )
    back = _version_url(line.activity.version, f"activity-{line.activity_id}")
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(by=request.user, line=line, fields=form.fields_data(),
                                        amounts=form.amounts())  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(
        request, partnership, form, title=_("Ligne budgétaire — %(code)s")
        % {"code": line.activity.code}, submit=_("Enregistrer"), cancel=back,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)
    line = selectors.line_get(partnership=partnership, pk=pk)
    back = _version_url(line.activity.version, f"activity-{line.activity_id}")
    if request.method == "POST":
        try:
            services.budget_line_delete(by=request.user, line=line)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Ligne budgétaire supprimée."))
        return redirect(back)
    return _confirm_page(
        request, partnership,
        question=_("Supprimer la ligne « %(line)s » de l'activité %(code)s ?")
        % {"line": line, "code": line.activity.code},
        confirm_label=_("Supprimer"), cancel=back,
    )  # fmt: skip
