"""Partnership pages. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm, capabilities, permissions_for, require
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.core.history import history_entries
from sharaka.core.pagination import paginate, query_without_page
from sharaka.partnerships import selectors, services
from sharaka.partnerships.forms import (
    GrantForm,
    PartnershipFilterForm,
    PartnershipForm,
    PartyForm,
    TransitionForm,
)
from sharaka.partnerships.models import Partnership, PartnershipRole, Party, Sector

#: Detail tabs, in order: (slug, URL name). Each later part of the product fills its tab by
#: defining that URL name (taking the partnership ``slug``); until then the tab shows a
#: placeholder page.
TABS = (
    ("overview", "partnerships:detail"),
    ("board", "governance:board"),
    ("meetings", "meetings:list"),
    ("convention", "conventions:detail"),
    ("plan", "planning:plan"),
    ("structure", "structure:overview"),
    ("finance", "finance:summary"),
    ("evaluation", "evaluation:overview"),
    ("history", "partnerships:history"),
)
PLACEHOLDER_TABS = {
    "board", "meetings", "convention", "plan", "structure", "finance", "evaluation",
}  # fmt: skip


def _tab_label(slug: str) -> str:
    labels = {
        "overview": _("Vue d'ensemble"),
        "board": _("Conseil"),
        "meetings": _("Réunions"),
        "convention": _("Convention"),
        "plan": _("Plan d'action"),
        "structure": _("Structure"),
        "finance": _("Finances"),
        "evaluation": _("Évaluation"),
        "history": _("Historique"),
    }
    return labels[slug]


def partnership_tabs(partnership_slug: str) -> list[tuple[str, str, str]]:
    """(slug, label, url) of each tab; a tab whose part is not built yet gets a placeholder."""
    tabs = []
    for slug, url_name in TABS:
        try:
            url = reverse(url_name, kwargs={"slug": partnership_slug})
        except NoReverseMatch:
            url = reverse("partnerships:tab", kwargs={"slug": partnership_slug, "tab": slug})
        tabs.append((slug, _tab_label(slug), url))
    return tabs


def partnership_page(
    request: HttpRequest,
    partnership: Partnership,
    active_tab: str,
    **page: Any,
) -> dict[str, Any]:
    """The context of a page under a partnership's tabs: what
    ``partnerships/partials/header.html`` needs, the user's rights on the partnership as
    ``can`` (``core.access.Capabilities``: ``{{ can.plan_change }}``), plus the page's own
    data."""
    return {
        "partnership": partnership,
        "tabs": partnership_tabs(partnership.slug),
        "active_tab": active_tab,
        "can": capabilities(request.user, partnership),
        **page,
    }


def _detail_context(request: HttpRequest, partnership: Partnership, tab: str) -> dict[str, Any]:
    return partnership_page(request, partnership, tab)


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    authority = filters.get("authority")
    partnerships = selectors.partnership_list(
        user=request.user,
        search=filters.get("q", ""),
        sector=filters.get("sector", ""),
        status=filters.get("status", ""),
        authority=authority.pk if authority else None,
    )
    context = {
        "form": form,
        "page_obj": paginate(request, partnerships),
        "query": query_without_page(request),
        "can_create": Perm.PARTNERSHIP_CREATE in permissions_for(request.user),
    }
    template = "partnerships/pages/list.html"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PARTNERSHIP_CREATE)
    form = PartnershipForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(by=request.user, fields=form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Le partenariat a été créé (brouillon)."))
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(request, "partnerships/pages/form.html", {"form": form, "creating": True})


@login_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    context = _detail_context(request, partnership, "overview")
    context |= {
        "transitions": selectors.transitions_of(partnership=partnership),
        "transition_form": TransitionForm(partnership=partnership),
        "party_form": PartyForm(),
    }
    return render(request, "partnerships/pages/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_CHANGE
    )
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            partnership = services.partnership_update(
                by=request.user, partnership=partnership, fields=fields
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/pages/form.html",
        {"form": form, "partnership": partnership, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_transition(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_TRANSITION
    )
    form = TransitionForm(request.POST or request.GET or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_transition(
                by=request.user,
                partnership=partnership,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Nouveau statut : %(status)s.") % {"status": partnership.get_status_display()},
            )
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/pages/transition.html",
        {"partnership": partnership, "form": form},
    )


@login_required
@require_POST
def party_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_CHANGE
    )
    form = PartyForm(request.POST)
    if form.is_valid():
        try:
            services.party_add(by=request.user, partnership=partnership, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Partie ajoutée."))
    else:
        for errors in form.errors.values():
            for error_message in errors:
                messages.error(request, str(error_message))
    return redirect("partnerships:detail", slug=partnership.slug)


@login_required
@require_http_methods(["GET", "POST"])
def party_remove(request: HttpRequest, slug: str, party_id: int) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_CHANGE
    )
    party = get_object_or_404(Party.objects.select_related("organization"), pk=party_id,
                              partnership=partnership)  # fmt: skip
    if request.method == "POST":
        try:
            services.party_remove(by=request.user, party=party)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Partie retirée."))
        return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/pages/confirm.html",
        {
            "partnership": partnership,
            "question": _("Retirer %(org)s (%(role)s) des parties de ce partenariat ?")
            % {"org": party.organization, "role": party.get_role_display()},
            "confirm_label": _("Retirer"),
        },
    )


@login_required
def partnership_history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_HISTORY
    )
    context = _detail_context(request, partnership, "history")
    context |= {
        "entries": history_entries(partnership),
        "transitions": selectors.transitions_of(partnership=partnership),
    }
    return render(request, "partnerships/pages/history.html", context)


@login_required
def partnership_tab(request: HttpRequest, slug: str, tab: str) -> HttpResponse:
    if tab not in PLACEHOLDER_TABS:
        raise NotFound()
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    return render(
        request, "partnerships/pages/tab_placeholder.html",
        _detail_context(request, partnership, tab),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partnership_access(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_MANAGE_ACCESS
    )
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(
                by=request.user,
                partnership=partnership,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Rôle attribué."))
            return redirect("partnerships:access", slug=partnership.slug)
    context = _detail_context(request, partnership, "overview")
    context |= {"form": form, "grants": selectors.grants_of(partnership=partnership)}
    return render(request, "partnerships/pages/access.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_access_revoke(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_MANAGE_ACCESS
    )
    grant = get_object_or_404(PartnershipRole.objects.select_related("user"), pk=grant_id,
                              partnership=partnership)  # fmt: skip
    if request.method == "POST":
        services.role_revoke(by=request.user, grant=grant)
        messages.success(request, _("Rôle retiré."))
        return redirect("partnerships:access", slug=partnership.slug)
    return render(
        request,
        "partnerships/pages/confirm.html",
        {
            "partnership": partnership,
            "question": _("Retirer le rôle « %(role)s » à %(user)s ?")
            % {"role": grant.get_role_display(), "user": grant.user},
            "confirm_label": _("Retirer le rôle"),
        },
    )


# --- Public portal --------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    partnerships = selectors.public_partnership_list(search=search, sector=sector)
    return render(
        request,
        "partnerships/pages/public_list.html",
        {
            "page_obj": paginate(request, partnerships),
            "query": query_without_page(request),
            "search": search,
            "sector": sector,
            "sectors": Sector.choices,
        },
    )


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.public_partnership_get(slug=slug)
    return render(request, "partnerships/pages/public_detail.html", {"partnership": partnership})
