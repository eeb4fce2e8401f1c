"""Results framework pages. Thin: load through a selector (which checks access), hand the
form and the service to ``core.pages``, or render a view model."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.uploads import document_response
from sharaka.evaluation import evaluation_selectors, imports, report, selectors, services
from sharaka.evaluation.forms import (
    CompleteForm,
    ConstraintForm,
    EvaluationForm,
    GenderMarkerForm,
    ImportForm,
    IndicatorForm,
    JudgementForm,
    MeasurementForm,
    RecommendationForm,
    ResultForm,
    TargetForm,
)
from sharaka.evaluation.models import Criterion, Indicator, Measurement
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import HEADER, partnership_page


def _context(request: HttpRequest, partnership: Partnership, **page: Any) -> dict[str, Any]:
    return partnership_page(request, partnership, "evaluation", **page)


def _frame(request: HttpRequest, partnership: Partnership) -> Frame:
    return Frame(_context(request, partnership), nav=(HEADER,))


def _change(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EVALUATION_CHANGE)


def _overview(slug: str) -> str:
    return reverse("evaluation:overview", kwargs={"slug": slug})


def _indicator_url(indicator: Indicator | Measurement, slug: str) -> str:
    pk = indicator.indicator_id if isinstance(indicator, Measurement) else indicator.pk
    return reverse("evaluation:indicator", kwargs={"slug": slug, "pk": pk})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.monitoring_view_get(
        partnership=partnership, filters=request.GET.dict(), rtl=get_language_bidi()
    )
    context = _context(request, partnership, view=view)
    return render(request, "evaluation/pages/overview.html", context)


@login_required
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.indicator_view_get(partnership=partnership, pk=pk, rtl=get_language_bidi())
    context = _context(request, partnership, view=view)
    return render(request, "evaluation/pages/indicator.html", context)


# --- Results and indicators ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def result_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    return form_page(
        request, ResultForm(request.POST or None),
        save=lambda data: services.result_create(by=request.user, partnership=partnership,
                                                 fields=data),
        success=_("Résultat ajouté au cadre de résultats."), done=_overview(slug),
        cancel=_overview(slug), frame=_frame(request, partnership),
        title=_("Nouveau résultat"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    form = ResultForm(
        request.POST or None, instance=selectors.result_get(partnership=partnership, pk=pk)
    )
    return form_page(
        request, form,
        save=lambda data: services.result_update(
            by=request.user, result=selectors.result_get(partnership=partnership, pk=pk),
            fields=data,
        ),
        success=_("Modifications enregistrées."), done=_overview(slug), cancel=_overview(slug),
        frame=_frame(request, partnership), title=_("Modifier le résultat"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def gender_marker_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = GenderMarkerForm(
        request.POST or None, instance=selectors.gender_marker_get(partnership=partnership)
    )
    return form_page(
        request, form,
        save=lambda data: services.gender_marker_set(
            by=request.user, partnership=partnership, fields=data
        ),
        success=_("Marqueur enregistré."), done=_overview(slug), cancel=_overview(slug),
        frame=_frame(request, partnership), title=_("Marqueur égalité femmes-hommes"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def constraint_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = ConstraintForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request, form,
        save=lambda data: services.constraint_add(
            by=request.user, partnership=partnership, fields=data
        ),
        success=_("Contrainte enregistrée."), done=_evaluations(slug), cancel=_evaluations(slug),
        frame=_frame(request, partnership), title=_("Nouvelle contrainte"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def constraint_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    constraint = evaluation_selectors.constraint_get(partnership=partnership, pk=pk)
    form = ConstraintForm(request.POST or None, instance=constraint)
    return form_page(
        request, form,
        save=lambda data: services.constraint_update(
            by=request.user, constraint=constraint, fields=data
        ),
        success=_("Modifications enregistrées."), done=_evaluations(slug),
        cancel=_evaluations(slug), frame=_frame(request, partnership),
        title=_("Modifier la contrainte"),
    )  # fmt: skip


def _indicator_form(request: HttpRequest, partnership: Partnership, **kwargs: Any) -> IndicatorForm:
    instance = kwargs.get("instance")
    linked = [a.pk for a in instance.activities.all()] if instance is not None else []
    return IndicatorForm(
        request.POST or None,
        results=selectors.result_choices(partnership=partnership),
        activities=selectors.activity_choices(partnership=partnership, linked=linked),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    result = selectors.result_get(partnership=partnership, pk=pk)
    form = _indicator_form(
        request, partnership, initial={"result": result.pk, "baseline_date": timezone.localdate()}
    )
    return form_page(
        request, form,
        save=lambda data: services.indicator_create(by=request.user, result=data.pop("result"),
                                                    fields=data),
        success=_("Indicateur ajouté ; fixez-lui maintenant ses cibles."),
        done=lambda indicator: _indicator_url(indicator, slug), cancel=_overview(slug),
        frame=_frame(request, partnership), title=_("Nouvel indicateur"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    form = _indicator_form(
        request, partnership, instance=selectors.indicator_get(partnership=partnership, pk=pk)
    )
    back = reverse("evaluation:indicator", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, form,
        save=lambda data: services.indicator_update(
            by=request.user, indicator=selectors.indicator_get(partnership=partnership, pk=pk),
            fields=data,
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Modifier l'indicateur"),
    )  # fmt: skip


# --- Targets ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    indicator = selectors.indicator_get(partnership=partnership, pk=pk)
    back = _indicator_url(indicator, slug)
    return form_page(
        request, TargetForm(request.POST or None, indicator=indicator),
        save=lambda data: services.target_set(by=request.user, indicator=indicator, fields=data),
        success=_("Cible ajoutée."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Nouvelle cible — %(name)s") % {"name": indicator.name}, submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, slug: str, pk: int, target: int) -> HttpResponse:
    partnership = _change(request, slug)
    indicator = selectors.indicator_get(partnership=partnership, pk=pk)
    row = selectors.target_get(indicator=indicator, pk=target)
    back = _indicator_url(indicator, slug)
    return form_page(
        request, TargetForm(request.POST or None, instance=row, indicator=indicator),
        save=lambda data: services.target_set(
            by=request.user, indicator=indicator, fields=data,
            target=selectors.target_get(indicator=indicator, pk=target),
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Cible — %(name)s") % {"name": indicator.name},
    )  # fmt: skip


# --- Measurements ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measurement_enter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    indicator = selectors.indicator_get(partnership=partnership, pk=pk)
    form = MeasurementForm(
        request.POST or None, request.FILES or None, indicator=indicator,
        initial={"measured_on": timezone.localdate()},
    )  # fmt: skip
    back = _indicator_url(indicator, slug)
    return form_page(
        request, form,
        save=lambda data: services.measurement_enter(by=request.user, indicator=indicator,
                                                     fields=data),
        success=_("Mesure enregistrée ; elle attend sa validation."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Saisir une mesure — %(name)s") % {"name": indicator.name},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def measurement_validate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.MEASUREMENT_VALIDATE
    )
    row = selectors.measurement_get(partnership=partnership, pk=pk)
    back = _indicator_url(row, slug)
    shown = (
        row.text if row.value is None else f"{row.value.normalize():f} {row.indicator.unit_label}"
    )
    return confirm_page(
        request, act=lambda _data: services.measurement_validate(by=request.user, measurement=row),
        success=_("Mesure validée."), done=back, cancel=back,
        frame=_frame(request, partnership), danger=False,
        question=_("Valider la mesure « %(value)s » de « %(name)s » pour la période du "
                   "%(start)s au %(end)s ? Une mesure validée ne se modifie plus : une erreur "
                   "se corrige par une nouvelle mesure.")
        % {"value": shown.strip(), "name": row.indicator.name,
           "start": row.period_start.strftime("%d/%m/%Y"),
           "end": row.period_end.strftime("%d/%m/%Y")},
        details=[_("Source : %(source)s") % {"source": row.source},
                 _("Saisie par %(user)s") % {"user": row.entered_by}],
        confirm_label=_("Valider"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def measurement_correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.measurement_get(partnership=partnership, pk=pk)
    initial = {
        name: getattr(row, name)
        for name in ("period_start", "period_end", "value", "women", "men", "text", "source")
    }
    form = MeasurementForm(
        request.POST or None, request.FILES or None, indicator=row.indicator,
        initial=initial | {"measured_on": timezone.localdate()},
    )  # fmt: skip
    back = _indicator_url(row, slug)
    return form_page(
        request, form,
        save=lambda data: services.measurement_correct(by=request.user, measurement=row,
                                                       fields=data),
        success=_("Correction enregistrée : elle remplace la mesure d'origine, qui reste "
                  "visible dans l'historique."),
        done=back, cancel=back, frame=_frame(request, partnership),
        title=_("Corriger une mesure — %(name)s") % {"name": row.indicator.name},
        intro=_("La mesure d'origine est conservée et marquée « remplacée » ; la correction "
                "est une nouvelle mesure, à valider."),
    )  # fmt: skip


@login_required
def evidence_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    row = selectors.measurement_get(partnership=partnership, pk=pk)
    document = selectors.evidence_get(measurement=row, pk=doc)
    return document_response(document)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_import(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    return form_page(
        request, ImportForm(request.POST or None, request.FILES or None),
        save=lambda data: imports.measurements_import(
            by=request.user, partnership=partnership, stream=data["file"],
            name=data["file"].name or "",
        ),
        success=lambda count: _("%(count)s mesures importées ; elles attendent leur "
                                "validation.") % {"count": count},
        done=_overview(slug), cancel=_overview(slug), frame=_frame(request, partnership),
        title=_("Importer des mesures"), submit=_("Importer"),
        template="evaluation/pages/import.html",
    )  # fmt: skip


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    tables = imports.template_tables(indicators=selectors.indicator_list(partnership=partnership))
    return spreadsheets.xlsx_response(tables, filename=f"mesures-{partnership.slug}.xlsx")


# --- Evaluations ------------------------------------------------------------------------------


def _record(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.EVALUATION_RECORD)


def _evaluations(slug: str) -> str:
    return reverse("evaluation:evaluations", kwargs={"slug": slug})


def _evaluation_url(slug: str, pk: int) -> str:
    return reverse("evaluation:evaluation", kwargs={"slug": slug, "pk": pk})


@login_required
def evaluations(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = evaluation_selectors.evaluations_view_get(
        partnership=partnership, today=timezone.localdate()
    )
    context = _context(request, partnership, view=view)
    return render(request, "evaluation/pages/evaluations.html", context)


@login_required
def evaluation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = evaluation_selectors.evaluation_view_get(
        partnership=partnership, pk=pk, today=timezone.localdate()
    )
    context = _context(request, partnership, view=view)
    return render(request, "evaluation/pages/evaluation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _record(request, slug)
    due = evaluation_selectors.schedule_get(partnership=partnership).next_due
    form = EvaluationForm(
        request.POST or None, request.FILES or None, initial={"planned_on": due},
        decisions=evaluation_selectors.decision_choices(partnership=partnership),
    )  # fmt: skip
    return form_page(
        request, form,
        save=lambda data: services.evaluation_create(by=request.user, partnership=partnership,
                                                     fields=data),
        success=_("Évaluation enregistrée."), done=lambda e: _evaluation_url(slug, e.pk),
        cancel=_evaluations(slug), frame=_frame(request, partnership),
        title=_("Nouvelle évaluation"), submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _record(request, slug)
    row = evaluation_selectors.evaluation_get(partnership=partnership, pk=pk)
    form = EvaluationForm(
        request.POST or None, request.FILES or None, instance=row,
        decisions=evaluation_selectors.decision_choices(partnership=partnership),
    )  # fmt: skip
    back = _evaluation_url(slug, pk)
    return form_page(
        request, form,
        save=lambda data: services.evaluation_update(
            by=request.user,
            evaluation=evaluation_selectors.evaluation_get(partnership=partnership, pk=pk),
            fields=data,
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Modifier l'évaluation"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def judgement_set(request: HttpRequest, slug: str, pk: int, criterion: str) -> HttpResponse:
    partnership = _record(request, slug)
    row = evaluation_selectors.evaluation_get(partnership=partnership, pk=pk)
    label = dict(Criterion.choices).get(criterion) or evaluation_selectors.not_found()
    back = _evaluation_url(slug, pk)
    return form_page(
        request, JudgementForm(request.POST or None,
                               initial=evaluation_selectors.judgement_initial(evaluation=row,
                                                                   criterion=criterion)),
        save=lambda data: services.judgement_set(by=request.user, evaluation=row,
                                                 criterion=criterion, **data),
        success=_("Jugement enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Critère « %(criterion)s » — %(title)s") % {"criterion": label,
                                                             "title": row.title},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_complete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _record(request, slug)
    row = evaluation_selectors.evaluation_get(partnership=partnership, pk=pk)
    back = _evaluation_url(slug, pk)
    return form_page(
        request, CompleteForm(request.POST or None, initial={"completed_on": timezone.localdate()}),
        save=lambda data: services.evaluation_complete(by=request.user, evaluation=row, **data),
        success=_("Évaluation achevée."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Achever l'évaluation — %(title)s")
        % {"title": row.title}, submit=_("Achever"),
        intro=_("Une évaluation achevée ne se modifie plus : chaque critère du CAD doit être "
                "jugé, les constats rédigés et la question de genre renseignée."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _record(request, slug)
    row = evaluation_selectors.evaluation_get(partnership=partnership, pk=pk)
    back = _evaluation_url(slug, pk)
    return form_page(
        request, RecommendationForm(request.POST or None),
        save=lambda data: services.recommendation_add(by=request.user, evaluation=row,
                                                      fields=data),
        success=_("Recommandation ajoutée."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Nouvelle recommandation"),
        submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    rec = evaluation_selectors.recommendation_get(partnership=partnership, pk=pk)
    evaluation_selectors.require_follow_up(user=request.user, partnership=partnership)
    back = _evaluation_url(slug, rec.evaluation_id) + f"#recommendation-{pk}"
    return form_page(
        request, RecommendationForm(request.POST or None, instance=rec),
        save=lambda data: services.recommendation_update(
            by=request.user, recommendation=evaluation_selectors.recommendation_get(
                partnership=partnership, pk=pk), fields=data),
        success=_("Suivi enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Suivi de la recommandation"),
    )  # fmt: skip


@login_required
def terms_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    row = evaluation_selectors.evaluation_get(partnership=partnership, pk=pk)
    document = evaluation_selectors.terms_get(evaluation=row, pk=doc)
    return document_response(document)


@login_required
def annual_report(
    request: HttpRequest, slug: str, year: int, lang: str, fmt: str = "pdf"
) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    if lang not in report.LANGS or fmt not in report.FORMATS or not 2000 <= year <= 2100:
        raise Http404
    document = report.report_get(partnership=partnership, year=year, lang=lang)
    render = report.render_pdf if fmt == "pdf" else report.render_docx
    response = HttpResponse(render(document), content_type=report.FORMATS[fmt])
    name = f"rapport-evaluation-{partnership.slug}-{year}-{lang}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
