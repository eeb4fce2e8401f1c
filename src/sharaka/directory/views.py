"""Directory pages: organisations and people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm, can, require, require_on_organization, require_on_person
from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error
from sharaka.core.history import history_entries
from sharaka.core.pagination import paginate, query_without_page
from sharaka.directory import selectors, services
from sharaka.directory.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
)
from sharaka.directory.selectors import CONTACT_FIELDS


def _list_template(request: HttpRequest, template: str) -> str:
    return template + "#results" if request.htmx else template  # type: ignore[attr-defined]


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organization_list(
        user=request.user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        city=filters.get("city", ""),
    )
    return render(
        request,
        _list_template(request, "directory/pages/organization_list.html"),
        {
            "form": form,
            "page_obj": paginate(request, organizations),
            "query": query_without_page(request),
            "can_change": can(request.user, Perm.DIRECTORY_CHANGE),
        },
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    return render(
        request,
        "directory/pages/organization_detail.html",
        {
            "organization": organization,
            "people": paginate(request, selectors.organization_people(organization=organization)),
            "can_change": selectors.organization_can_change(
                user=request.user, organization=organization
            ),
            "can_add": can(request.user, Perm.DIRECTORY_CHANGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk) if pk else None
    if organization is None:
        require(request.user, Perm.DIRECTORY_CHANGE)
    else:
        require_on_organization(request.user, Perm.ORGANIZATION_CHANGE, organization.pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            if organization is None:
                organization = services.organization_create(
                    by=request.user, fields=form.cleaned_data
                )
            else:
                organization = services.organization_update(
                    by=request.user, organization=organization, fields=form.cleaned_data
                )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Organisation enregistrée."))
            return redirect("directory:organization_detail", pk=organization.pk)
    return render(
        request,
        "directory/pages/form.html",
        {
            "form": form,
            "object": organization,
            "title": _("Modifier l'organisation") if organization else _("Nouvelle organisation"),
            "back_url": "directory:organization_list",
        },
    )


@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    return render(
        request,
        "directory/pages/history.html",
        {"object": organization, "entries": history_entries(organization)},
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_list(
        user=request.user, search=filters.get("q", ""), gender=filters.get("gender", "")
    )
    return render(
        request,
        _list_template(request, "directory/pages/person_list.html"),
        {
            "form": form,
            "page_obj": paginate(request, people),
            "query": query_without_page(request),
            "can_change": can(request.user, Perm.DIRECTORY_CHANGE),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    capabilities = selectors.person_capabilities(user=request.user, person=person)
    return render(
        request,
        "directory/pages/person_detail.html",
        {
            "person": person,
            "can_change": capabilities.change,
            "see_contact": capabilities.see_contact,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk) if pk else None
    if person is None:
        require(request.user, Perm.DIRECTORY_CHANGE)
    else:
        require_on_person(
            request.user, Perm.PERSON_CHANGE, selectors.person_scope_get(person=person)
        )
    initial = {}
    if person is None and request.GET.get("organization", "").isdigit():
        initial["organization"] = int(request.GET["organization"])
    form = PersonForm(request.POST or None, instance=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                person = services.person_create(by=request.user, fields=form.cleaned_data)
            else:
                person = services.person_update(
                    by=request.user, person=person, fields=form.cleaned_data
                )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Personne enregistrée."))
            return redirect("directory:person_detail", pk=person.pk)
    return render(
        request,
        "directory/pages/form.html",
        {
            "form": form,
            "object": person,
            "title": _("Modifier la personne") if person else _("Nouvelle personne"),
            "back_url": "directory:person_list",
        },
    )


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    capabilities = selectors.person_capabilities(user=request.user, person=person)
    hidden = () if capabilities.see_contact else CONTACT_FIELDS
    return render(
        request,
        "directory/pages/history.html",
        {"object": person, "entries": history_entries(person, hidden=hidden)},
    )
