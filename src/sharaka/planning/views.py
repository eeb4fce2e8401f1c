"""Action plan pages. Thin: parse input, call a selector or service, render.

Every form is a ``core.pages.form_page`` and every question a ``core.pages.confirm_page``
(a refusal shows on the page, nothing changes); the plan page renders the view model
``selectors.plan_page_view_get``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.meetings.models import Decision
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

NAV = ("partnerships/partials/header.html",)


def _context(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    return partnership_page(request, partnership, "plan")


def _frame(request: HttpRequest, partnership: Partnership) -> Frame:
    return Frame(_context(request, partnership), nav=NAV)


def _back_to(request: HttpRequest, partnership: Partnership, back: str) -> dict[str, Any]:
    """A form or question that leads back to ``back`` whether done or cancelled (``done``,
    ``cancel`` and ``frame`` of ``form_page``/``confirm_page``)."""
    return {"done": back, "cancel": back, "frame": _frame(request, partnership)}


def _change(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_CHANGE)


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


def _changed(form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The fields the user changed (an update writes only those)."""
    return {name: data[name] for name in form.changed_data}


# --- The plan page ---------------------------------------------------------------------------


def _plan_context(view: selectors.PlanView, *, title: str, today: date | None) -> dict[str, Any]:
    """What the plan page and its printable version show of one version, with its Gantt."""
    plan = view.plan
    gantt = charts.gantt(
        view.gantt_rows, period_start=plan.period_start, period_end=plan.period_end,
        title=title, rtl=get_language_bidi(), today=today,
    )  # fmt: skip
    return {"plan": plan, "view": view, "version": view.version, "gantt": gantt}


@login_required
def plan_page(
    request: HttpRequest, slug: str, plan_id: int | None = None, number: int | None = None
) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    page = selectors.plan_page_view_get(partnership=partnership, plan_id=plan_id, number=number)
    context = _context(request, partnership) | {
        "plans": page.plans, "deadline": page.deadline, "today": page.today,
    }  # fmt: skip
    if page.view is not None:
        title = _("Calendrier des activités — %(plan)s, version %(number)s") % {
            "plan": page.view.plan.title, "number": page.view.version.number}  # fmt: skip
        context |= _plan_context(page.view, title=title, today=page.today)
    return render(request, "planning/pages/plan.html", context)


@login_required
def plan_print(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number)
    view = selectors.plan_view_get(partnership=partnership, plan=plan, version=version)
    context = {"partnership": partnership, "printing": True, "today": timezone.localdate()}
    context |= _plan_context(view, title=_("Calendrier des activités"), today=None)
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
    partnership = _change(request, slug)
    initial = selectors.new_plan_initial(partnership=partnership)
    return form_page(
        request, PlanCreateForm(request.POST or None, initial=initial),
        save=lambda data: services.plan_create(
            by=request.user, partnership=partnership, note=data["note"],
            fields={k: v for k, v in data.items() if k != "note"},
        ),
        success=_("Plan créé : sa première version est un projet."),
        done=lambda plan: reverse("planning:version",
                                  kwargs={"slug": slug, "plan_id": plan.pk, "number": 1}),
        cancel=reverse("planning:plan", kwargs={"slug": slug}), frame=_frame(request, partnership),
        title=_("Nouveau plan d'action"), submit=_("Créer le plan"),
        intro=_("Un plan couvre une période ; il se construit en projet puis est adopté par "
                "le conseil."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    partnership = _change(request, slug)
    plan = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    form = PlanForm(request.POST or None, instance=plan)
    back = reverse("planning:plan_detail", kwargs={"slug": slug, "plan_id": plan.pk})
    return form_page(
        request, form,
        save=lambda data: services.plan_update(by=request.user, plan=plan,
                                               fields=_changed(form, data)),
        success=_("Modifications enregistrées."), **_back_to(request, partnership, back),
        title=_("Modifier le plan"),
    )  # fmt: skip


# --- Adoption, revision ----------------------------------------------------------------------


def _adopt_intro(decisions: QuerySet[Decision]) -> str:
    """How adoption works, and what to do first when no board decision can adopt."""
    how = _(
        "Le plan n'entre en vigueur qu'une fois adopté par le conseil. Choisissez la décision "
        "du conseil qui l'adopte ; la version en vigueur jusqu'ici sera remplacée."
    )
    first = _(
        "Aucune décision « Adoption du plan d'action » n'est disponible : inscrivez "
        "l'adoption à l'ordre du jour d'une réunion du conseil."
    )
    return how if decisions.exists() else f"{how} {first}"


@login_required
@require_http_methods(["GET", "POST"])
def version_adopt(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    decisions = selectors.adoption_decision_choices(partnership=partnership)
    return form_page(
        request, AdoptForm(request.POST or None, decisions=decisions),
        save=lambda data: services.plan_version_adopt(by=request.user, version=version,
                                                      decision=data["decision"]),
        success=_("Version adoptée : elle est désormais en vigueur."),
        **_back_to(request, partnership, _version_url(version)), intro=_adopt_intro(decisions),
        title=_("Enregistrer l'adoption de la version %(n)s") % {"n": version.number},
        submit=_("Enregistrer l'adoption"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_revise(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    return confirm_page(
        request, form=ReviseForm(request.POST or None), danger=False,
        act=lambda data: services.plan_version_revise(by=request.user, version=version,
                                                      note=data["note"]),
        success=lambda draft: _("Projet de révision créé (version %(n)s) : il entrera en "
                                "vigueur une fois adopté par le conseil.") % {"n": draft.number},
        done=lambda draft: reverse("planning:version", kwargs={
            "slug": slug, "plan_id": plan_id, "number": draft.number}),
        cancel=_version_url(version), frame=_frame(request, partnership),
        question=_("Préparer une révision de la version %(n)s ? Elle sera copiée dans un "
                   "nouveau projet, qui devra être adopté par le conseil ; la version %(n)s "
                   "reste en vigueur d'ici là.") % {"n": version.number},
        confirm_label=_("Créer le projet de révision"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_discard(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    return confirm_page(
        request, act=lambda _data: services.plan_version_discard(by=request.user,
                                                                 version=version),
        success=_("Projet abandonné."),
        done=reverse("planning:plan_detail", kwargs={"slug": slug, "plan_id": plan.pk}),
        cancel=_version_url(version), frame=_frame(request, partnership),
        question=_("Abandonner le projet de version %(n)s ? Ses objectifs, activités et lignes "
                   "budgétaires seront supprimés.") % {"n": version.number},
        confirm_label=_("Abandonner le projet"),
    )  # fmt: skip


# --- Objectives ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, slug: str, plan_id: int, number: int) -> HttpResponse:
    partnership, _plan, version = _load_version(request, slug, plan_id, number, Perm.PLAN_CHANGE)
    initial = selectors.new_objective_initial(version=version)
    return form_page(
        request, ObjectiveForm(request.POST or None, initial=initial),
        save=lambda data: services.objective_create(by=request.user, version=version,
                                                    fields=data),
        success=_("Objectif ajouté."), cancel=_version_url(version),
        done=lambda objective: _version_url(version, f"objective-{objective.pk}"),
        frame=_frame(request, partnership), title=_("Nouvel objectif"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    objective = selectors.objective_get(partnership=partnership, pk=pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    back = _version_url(objective.version, f"objective-{objective.pk}")
    return form_page(
        request, form,
        save=lambda data: services.objective_update(by=request.user, objective=objective,
                                                    fields=_changed(form, data)),
        success=_("Modifications enregistrées."), **_back_to(request, partnership, back),
        title=_("Modifier l'objectif"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    objective = selectors.objective_get(partnership=partnership, pk=pk)
    back = _version_url(objective.version)
    return confirm_page(
        request, act=lambda _data: services.objective_delete(by=request.user,
                                                             objective=objective),
        success=_("Objectif supprimé."), **_back_to(request, partnership, back),
        question=_("Supprimer l'objectif « %(title)s » ?") % {"title": objective},
        confirm_label=_("Supprimer"),
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
    return form_page(
        request, _activity_form(request, version, initial=initial),
        save=lambda data: services.activity_create(by=request.user, version=version,
                                                   fields=data),
        success=lambda activity: _("Activité %(code)s ajoutée.") % {"code": activity.code},
        done=lambda activity: _version_url(version, f"activity-{activity.pk}"),
        cancel=_version_url(version), frame=_frame(request, partnership),
        title=_("Nouvelle activité"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    form = _activity_form(request, activity.version, instance=activity)
    return form_page(
        request, form,
        save=lambda data: services.activity_update(
            by=request.user, activity=selectors.activity_get(partnership=partnership, pk=pk),
            fields=_changed(form, data),
        ),
        success=_("Modifications enregistrées."), **_back_to(request, partnership, back),
        title=_("Modifier l'activité %(code)s") % {"code": activity.code},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version)
    return confirm_page(
        request, act=lambda _data: services.activity_delete(by=request.user, activity=activity),
        success=_("Activité supprimée."), **_back_to(request, partnership, back),
        question=_("Supprimer l'activité %(code)s « %(title)s » et ses lignes budgétaires ?")
        % {"code": activity.code, "title": activity.title},
        confirm_label=_("Supprimer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    initial = {"status": activity.status, "progress": activity.progress}
    return form_page(
        request, ProgressForm(request.POST or None, initial=initial),
        save=lambda data: services.activity_progress_record(by=request.user,
                                                            activity=activity, **data),
        success=_("Avancement enregistré."), **_back_to(request, partnership, back),
        title=_("Avancement de l'activité %(code)s") % {"code": activity.code},
        intro=_("Le suivi de l'exécution (état, avancement) se met à jour sur la version en "
                "vigueur ; le reste du plan adopté ne change plus."),
    )  # fmt: skip


# --- Budget lines ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    plan = activity.version.plan
    form = BudgetLineForm(request.POST or None, years=plan.years, currency=plan.currency)
    back = _version_url(activity.version, f"activity-{activity.pk}")
    return form_page(
        request, form,
        save=lambda _data: services.budget_line_create(
            by=request.user, activity=activity, fields=form.fields_data(), amounts=form.amounts()
        ),
        success=_("Ligne budgétaire ajoutée."), **_back_to(request, partnership, back),
        title=_("Nouvelle ligne budgétaire — %(code)s") % {"code": activity.code},
        submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    line = selectors.line_get(partnership=partnership, pk=pk)
    plan = line.activity.version.plan
    initial: dict[str, Any] = {"category": line.category, "label": line.label}
    initial |= {f"amount_{a.year}": a.amount for a in line.amounts.all()}
    form = BudgetLineForm(request.POST or None, initial=initial, years=plan.years,
                          currency=plan.currency)  # fmt: skip
    back = _version_url(line.activity.version, f"activity-{line.activity_id}")
    return form_page(
        request, form,
        save=lambda _data: services.budget_line_update(
            by=request.user, line=line, fields=form.fields_data(), amounts=form.amounts()
        ),
        success=_("Modifications enregistrées."), **_back_to(request, partnership, back),
        title=_("Ligne budgétaire — %(code)s") % {"code": line.activity.code},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    line = selectors.line_get(partnership=partnership, pk=pk)
    back = _version_url(line.activity.version, f"activity-{line.activity_id}")
    return confirm_page(
        request, act=lambda _data: services.budget_line_delete(by=request.user, line=line),
        success=_("Ligne budgétaire supprimée."), **_back_to(request, partnership, back),
        question=_("Supprimer la ligne « %(line)s » de l'activité %(code)s ?")
        % {"line": line, "code": line.activity.code},
        confirm_label=_("Supprimer"),
    )  # fmt: skip
