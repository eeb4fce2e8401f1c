"""Criteria pages (issue 13): the criteria an authority asks, adopting its own set, adding,
changing and removing a criterion (form/confirm pattern). Thin: ``partners.criteria``
checks access and decides."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.partners import access, criteria, selectors
from sharaka.partners.criteria_forms import CriterionForm
from sharaka.partners.models import Criterion

NAV = ("partners/partials/head.html",)
_FIELDS = [field.name for field in fields(criteria.CriterionData)]


def _frame(context: dict[str, object]) -> Frame:
    return Frame({**context, "nav_section": "partners"}, nav=NAV)


def _list_url(authority: int) -> str:
    return reverse("partners:criteria", kwargs={"authority": authority})


def _data(cleaned: dict[str, Any]) -> criteria.CriterionData:
    return criteria.CriterionData(**{name: cleaned[name] for name in _FIELDS})


def _default_intro(own: bool) -> str:
    if own:
        return ""
    return _("Cette collectivité applique le jeu par défaut, qui ne se modifie pas ici : "
             "adoptez d'abord votre propre jeu.")  # fmt: skip


@login_required
def criteria_list(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    view = criteria.criteria_view_get(user=request.user, authority=organization)
    context = {"view": view, "can": view.can, **_frame({"authority": organization}).context}
    return render(request, "partners/pages/criteria.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_adopt(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    access.require(request.user, Perm.ADMISSIBILITY_CHANGE, organization.pk)
    return confirm_page(
        request,
        act=lambda _data: criteria.criteria_set_adopt(by=request.user, authority=organization),
        success=_("Votre jeu de critères est créé : vous pouvez maintenant le modifier."),
        done=_list_url(authority), cancel=_list_url(authority),
        frame=_frame({"authority": organization}),
        title=_("Adopter son propre jeu de critères"),
        question=_("Copier le jeu par défaut dans un jeu propre à %(authority)s ?")
        % {"authority": organization.name},
        details=[_("Les critères copiés pourront ensuite être modifiés, ajoutés ou retirés ; "
                   "le jeu par défaut ne change pas.")],
        confirm_label=_("Adopter son propre jeu"), danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    access.require(request.user, Perm.ADMISSIBILITY_CHANGE, organization.pk)
    current = selectors.criteria_set_get(authority_id=organization.pk)
    return form_page(
        request, CriterionForm(request.POST or None),
        save=lambda data: criteria.criterion_add(
            by=request.user, authority=organization, data=_data(data)),
        success=_("Critère ajouté."), done=_list_url(authority), cancel=_list_url(authority),
        frame=_frame({"authority": organization}), title=_("Ajouter un critère"),
        intro=_default_intro(current is not None and current.authority_id is not None),
    )  # fmt: skip


def _initial(criterion: Criterion) -> dict[str, Any]:
    return {name: getattr(criterion, name) for name in _FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, authority: int, pk: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    criterion = criteria.criterion_get(user=request.user, authority=organization, pk=pk)
    return form_page(
        request, CriterionForm(request.POST or None, initial=_initial(criterion)),
        save=lambda data: criteria.criterion_change(
            by=request.user, authority=organization, criterion=criterion,
            data=_data(data)),
        success=_("Critère modifié."), done=_list_url(authority), cancel=_list_url(authority),
        frame=_frame({"authority": organization}),
        title=_("Modifier le critère « %(code)s »") % {"code": criterion.code},
        intro=_default_intro(criterion.criteria_set.authority_id is not None),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def criterion_remove(request: HttpRequest, authority: int, pk: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    criterion = criteria.criterion_get(user=request.user, authority=organization, pk=pk)
    return confirm_page(
        request,
        act=lambda _data: criteria.criterion_remove(
            by=request.user, authority=organization, criterion=criterion),
        success=_("Critère retiré ; il reste dans l'historique."),
        done=_list_url(authority), cancel=_list_url(authority),
        frame=_frame({"authority": organization}),
        title=_("Retirer un critère"),
        question=_("Retirer le critère « %(label)s » des critères de %(authority)s ?")
        % {"label": criterion.label, "authority": organization.name},
        details=[_("Code : %(code)s") % {"code": criterion.code}],
        confirm_label=_("Retirer le critère"),
    )  # fmt: skip
