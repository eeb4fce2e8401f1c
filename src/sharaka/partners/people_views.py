"""Councillor and bureau pages (art. 65 conflicts of interest, ADR 0030): the authority's
councillors, the bureau of an association with a file there, adding a term and ending one
(confirm page; a term is never deleted). Thin: ``partners.people`` checks access."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.partners import access, people, selectors
from sharaka.partners.people_forms import BureauMemberForm, CouncillorForm, TermEndForm

NAV = ("partners/partials/head.html",)


def _frame(context: dict[str, object]) -> Frame:
    return Frame({**context, "nav_section": "partners"}, nav=NAV)


def _councillors_url(authority: int) -> str:
    return reverse("partners:councillors", kwargs={"authority": authority})


def _bureau_url(pk: int) -> str:
    return reverse("partners:bureau", kwargs={"pk": pk})


@login_required
def councillors(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    page = people.councillor_page_get(
        user=request.user, authority=organization,
        after=people.parse_after(request.GET.get("after", "")),
    )  # fmt: skip
    context = {"page": page, "can": page.can, **_frame({"authority": organization}).context}
    return render(request, "partners/pages/councillors.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def councillor_add(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    access.require(request.user, Perm.ADMISSIBILITY_CHANGE, organization.pk)
    return form_page(
        request, CouncillorForm(request.POST or None, user=request.user),
        save=lambda data: people.councillor_add(
            by=request.user, authority=organization, person=data["person"],
            start_date=data["start_date"], end_date=data["end_date"]),
        success=_("Élu·e enregistré·e."), done=_councillors_url(authority),
        cancel=_councillors_url(authority), frame=_frame({"authority": organization}),
        title=_("Ajouter un·e élu·e du conseil"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def councillor_end(request: HttpRequest, authority: int, pk: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    councillor = people.councillor_get(user=request.user, authority=organization, pk=pk)
    return confirm_page(
        request,
        act=lambda data: people.councillor_end(
            by=request.user, councillor=councillor, end_date=data["end_date"]),
        success=_("Mandat terminé ; il reste dans l'historique."),
        done=_councillors_url(authority), cancel=_councillors_url(authority),
        frame=_frame({"authority": organization}),
        title=_("Fin de mandat"),
        question=_("Terminer le mandat de %(person)s au conseil de %(authority)s ?")
        % {"person": councillor.person, "authority": organization.name},
        details=[_("Début du mandat : %(start)s") % {"start": councillor.start_date}],
        form=TermEndForm(request.POST or None, initial={"end_date": dt.date.today()}),
        confirm_label=_("Terminer le mandat"),
    )  # fmt: skip


@login_required
def bureau(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk)
    page = people.bureau_page_get(
        user=request.user, file=file, after=people.parse_after(request.GET.get("after", ""))
    )
    context = {
        "page": page, "can": page.can,
        **_frame({"authority": file.authority, "file": file}).context,
    }  # fmt: skip
    return render(request, "partners/pages/bureau.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bureau_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk, perm=Perm.ADMISSIBILITY_CHANGE)
    return form_page(
        request, BureauMemberForm(request.POST or None, user=request.user),
        save=lambda data: people.bureau_member_add(
            by=request.user, file=file, person=data["person"], role=data["role"],
            start_date=data["start_date"], end_date=data["end_date"]),
        success=_("Membre du bureau enregistré·e."), done=_bureau_url(pk),
        cancel=_bureau_url(pk), frame=_frame({"authority": file.authority, "file": file}),
        title=_("Ajouter un membre du bureau : %(name)s") % {"name": file.association.name},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def bureau_end(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk, perm=Perm.ADMISSIBILITY_CHANGE)
    seat = people.bureau_member_get(user=request.user, file=file, pk=member)
    return confirm_page(
        request,
        act=lambda data: people.bureau_member_end(
            by=request.user, file=file, member=seat, end_date=data["end_date"]),
        success=_("Mandat terminé ; il reste dans l'historique."),
        done=_bureau_url(pk), cancel=_bureau_url(pk),
        frame=_frame({"authority": file.authority, "file": file}),
        title=_("Fin de mandat"),
        question=_("Terminer le mandat de %(person)s au bureau de %(association)s ?")
        % {"person": seat.person, "association": file.association.name},
        details=[_("Depuis le %(start)s") % {"start": seat.start_date}],
        form=TermEndForm(request.POST or None, initial={"end_date": dt.date.today()}),
        confirm_label=_("Terminer le mandat"),
    )  # fmt: skip
