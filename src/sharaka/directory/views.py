"""Directory pages: organisations and people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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


#: A directory entry (organisation or person) as its services take and return it.
Entry = TypeVar("Entry", Organization, Person)


@dataclass(frozen=True)
class _Entries(Generic[Entry]):
    """One kind of directory entry: its pages (URL names), what its form says, its services."""

    back: str  # the list
    detail: str  # a saved entry's page
    success: Promise
    new_title: Promise
    edit_title: Promise
    create: Callable[[Any, dict[str, Any]], Entry]  # (by, fields)
    update: Callable[[Any, Entry, dict[str, Any]], Entry]  # (by, entry, fields)


ORGANIZATIONS = _Entries[Organization](
    "directory:organization_list", "directory:organization_detail",
    gettext_lazy("Organisation enregistrée."),
    gettext_lazy("Nouvelle organisation"), gettext_lazy("Modifier l'organisation"),
    create=lambda by, fields: services.organization_create(by=by, fields=fields),
    update=lambda by, entry, fields: services.organization_update(
        by=by, organization=entry, fields=fields),
)  # fmt: skip
PEOPLE = _Entries[Person](
    "directory:person_list", "directory:person_detail", gettext_lazy("Personne enregistrée."),
    gettext_lazy("Nouvelle personne"), gettext_lazy("Modifier la personne"),
    create=lambda by, fields: services.person_create(by=by, fields=fields),
    update=lambda by, entry, fields: services.person_update(by=by, person=entry, fields=fields),
)  # fmt: skip


def _entry_page(
    request: HtmxHttpRequest, form: Any, entry: Entry | None, entries: _Entries[Entry]
) -> HttpResponse:
    """The form of a directory entry, new (``entry`` None) or to change."""

    def save(data: dict[str, Any]) -> Entry:
        if entry is None:
            return entries.create(request.user, data)
        return entries.update(request.user, entry, data)

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


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, Perm.DIRECTORY_CHANGE)
    form = OrganizationForm(request.POST or None)
    return _entry_page(request, form, None, ORGANIZATIONS)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_for_change(user=request.user, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    return _entry_page(request, form, organization, ORGANIZATIONS)


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


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, Perm.DIRECTORY_CHANGE)
    organization = request.GET.get("organization", "")
    initial = {"organization": int(organization)} if organization.isdigit() else {}
    form = PersonForm(request.POST or None, initial=initial)
    return _entry_page(request, form, None, PEOPLE)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_change(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    return _entry_page(request, form, person, PEOPLE)


@login_required
def person_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    capabilities = selectors.person_capabilities(user=request.user, person=person)
    hidden = () if capabilities.see_contact else CONTACT_FIELDS
    context = {"object": person, "entries": history_entries(person, hidden=hidden)}
    return render(request, "directory/pages/history.html", context)
