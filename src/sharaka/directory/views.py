"""Directory pages: organisations and people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm, can, require
from sharaka.core.history import history_entries
from sharaka.core.htmx import HtmxHttpRequest, wants_partial
from sharaka.core.pages import Frame, form_page
from sharaka.core.pagination import paginate, query_without_page
from sharaka.directory import selectors, services
from sharaka.directory.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
)
from sharaka.directory.models import Organization, Person
from sharaka.directory.selectors import CONTACT_FIELDS

BREADCRUMB = "directory/partials/breadcrumb.html"


def _list_page(request: HtmxHttpRequest, template: str, form: Any, entries: Any) -> HttpResponse:
    """A list of the directory, filtered; an htmx filter gets the results only."""
    context = {
        "form": form,
        "page_obj": paginate(request, entries),
        "query": query_without_page(request),
        "can_change": can(request.user, Perm.DIRECTORY_CHANGE),
    }
    return render(request, template + "#results" if wants_partial(request) else template, context)


@dataclass(frozen=True)
class _Entries:
    """What the form of one kind of directory entry says and where it leads."""

    back: str  # the list (URL name)
    detail: str  # a saved entry's page (URL name)
    success: Promise
    new_title: Promise
    edit_title: Promise


ORGANIZATIONS = _Entries(
    "directory:organization_list", "directory:organization_detail",
    gettext_lazy("Organisation enregistrée."),
    gettext_lazy("Nouvelle organisation"), gettext_lazy("Modifier l'organisation"),
)  # fmt: skip
PEOPLE = _Entries(
    "directory:person_list", "directory:person_detail", gettext_lazy("Personne enregistrée."),
    gettext_lazy("Nouvelle personne"), gettext_lazy("Modifier la personne"),
)  # fmt: skip


def _entry_page(
    request: HtmxHttpRequest,
    form: Any,
    entry: Organization | Person | None,
    entries: _Entries,
    save: Callable[[dict[str, Any]], Organization | Person],
) -> HttpResponse:
    """The form of a directory entry, new (``entry`` None) or to change."""
    return form_page(
        request, form, save=save, success=str(entries.success), cancel=reverse(entries.back),
        done=lambda saved: reverse(entries.detail, kwargs={"pk": saved.pk}),
        frame=Frame({"back_url": entries.back, "entry": entry}, nav=(BREADCRUMB,)),
        title=str(entries.edit_title if entry else entries.new_title),
    )  # fmt: skip


# --- Organisations ----------------------------------------------------------------------------


@login_required
def organization_list(request: HtmxHttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organization_list(
        user=request.user, search=filters.get("q", ""), kind=filters.get("kind", ""),
        city=filters.get("city", ""),
    )  # fmt: skip
    return _list_page(request, "directory/pages/organization_list.html", form, organizations)


@login_required
def organization_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    context = {
        "organization": organization,
        "people": paginate(request, selectors.organization_people(organization=organization)),
        "can_change": selectors.organization_can_change(
            user=request.user, organization=organization
        ),
        "can_add": can(request.user, Perm.DIRECTORY_CHANGE),
    }
    return render(request, "directory/pages/organization_detail.html", context)


def _organization_page(request: HtmxHttpRequest, organization: Organization | None) -> HttpResponse:
    def save(data: dict[str, Any]) -> Organization:
        if organization is None:
            return services.organization_create(by=request.user, fields=data)
        return services.organization_update(by=request.user, organization=organization, fields=data)

    form = OrganizationForm(request.POST or None, instance=organization)
    return _entry_page(request, form, organization, ORGANIZATIONS, save)


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, Perm.DIRECTORY_CHANGE)
    return _organization_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_for_change(user=request.user, pk=pk)
    return _organization_page(request, organization)


@login_required
def organization_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    context = {"object": organization, "entries": history_entries(organization)}
    return render(request, "directory/pages/history.html", context)


# --- People -----------------------------------------------------------------------------------


@login_required
def person_list(request: HtmxHttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_list(
        user=request.user, search=filters.get("q", ""), gender=filters.get("gender", "")
    )
    return _list_page(request, "directory/pages/person_list.html", form, people)


@login_required
def person_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    capabilities = selectors.person_capabilities(user=request.user, person=person)
    context = {
        "person": person,
        "can_change": capabilities.change,
        "see_contact": capabilities.see_contact,
    }
    return render(request, "directory/pages/person_detail.html", context)


def _person_page(
    request: HtmxHttpRequest, person: Person | None, initial: dict[str, Any] | None = None
) -> HttpResponse:
    def save(data: dict[str, Any]) -> Person:
        if person is None:
            return services.person_create(by=request.user, fields=data)
        return services.person_update(by=request.user, person=person, fields=data)

    form = PersonForm(request.POST or None, instance=person, initial=initial)
    return _entry_page(request, form, person, PEOPLE, save)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, Perm.DIRECTORY_CHANGE)
    organization = request.GET.get("organization", "")
    initial = {"organization": int(organization)} if organization.isdigit() else {}
    return _person_page(request, None, initial)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_change(user=request.user, pk=pk)
    return _person_page(request, person)


@login_required
def person_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    capabilities = selectors.person_capabilities(user=request.user, person=person)
    hidden = () if capabilities.see_contact else CONTACT_FIELDS
    context = {"object": person, "entries": history_entries(person, hidden=hidden)}
    return render(request, "directory/pages/history.html", context)
