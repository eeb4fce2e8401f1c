"""Partnership pages. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm, capabilities, require
from sharaka.core.errors import NotFound
from sharaka.core.history import history_entries
from sharaka.core.htmx import HtmxHttpRequest, wants_partial
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.pagination import paginate, query_without_page
from sharaka.partnerships import ports, rules, selectors, services
from sharaka.partnerships.forms import (
    GrantForm,
    PartnershipFilterForm,
    PartnershipForm,
    PartyForm,
    TransitionForm,
)
from sharaka.partnerships.models import Partnership, Sector, StatusChoice

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
    ("transparency", "transparency:requests"),
    ("closure", "closure:overview"),
    ("selection", "partners:selection"),
    ("history", "partnerships:history"),
)
PLACEHOLDER_TABS = {
    "board", "meetings", "convention", "plan", "structure", "finance",
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
        "transparency": _("Demandes d'information"),
        "closure": _("Clôture"),
        "selection": _("Partenaires"),
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


BREADCRUMB = "partnerships/partials/breadcrumb.html"
HEADER = "partnerships/partials/header.html"


def _detail_url(partnership: Partnership) -> str:
    return reverse("partnerships:detail", kwargs={"slug": partnership.slug})


def _partnership(
    request: HtmxHttpRequest, slug: str, perm: Perm = Perm.PARTNERSHIP_VIEW
) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=perm)


def _crumbs(partnership: Partnership | None = None) -> Frame:
    """A form about the registry or one partnership, under the breadcrumb."""
    return Frame({"partnership": partnership} if partnership else {}, nav=(BREADCRUMB,))


def _frame(request: HtmxHttpRequest, partnership: Partnership) -> Frame:
    """A page about one partnership, under its header and tabs."""
    return Frame(partnership_page(request, partnership, "overview"), nav=(HEADER,))


def home(request: HtmxHttpRequest) -> HttpResponse:
    """The home page: a signed-in user's partnerships at a glance, else the welcome."""
    dashboard = (
        selectors.dashboard_get(user=request.user) if request.user.is_authenticated else None
    )
    return render(request, "partnerships/pages/home.html", {"dashboard": dashboard})


@login_required
def partnership_list(request: HtmxHttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    authority = filters.get("authority")
    partnerships = selectors.partnership_list(
        user=request.user, search=filters.get("q", ""), sector=filters.get("sector", ""),
        status=filters.get("status", ""), authority=authority.pk if authority else None,
    )  # fmt: skip
    context = {
        "form": form, "page_obj": paginate(request, partnerships),
        "query": query_without_page(request), "can": capabilities(request.user),
    }  # fmt: skip
    template = "partnerships/pages/list.html"
    return render(request, template + "#results" if wants_partial(request) else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HtmxHttpRequest) -> HttpResponse:
    require(request.user, Perm.PARTNERSHIP_CREATE)
    return form_page(
        request, PartnershipForm(request.POST or None, user=request.user),
        save=lambda data: services.partnership_create(by=request.user, fields=data),
        success=_("Le partenariat a été créé (brouillon)."), done=_detail_url,
        cancel=reverse("partnerships:list"), frame=_crumbs(),
        title=_("Nouveau partenariat"), submit=_("Créer"),
    )  # fmt: skip


@login_required
def partnership_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    return render(request, "partnerships/pages/detail.html", _detail(request, partnership))


def _detail(request: HtmxHttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The context of a partnership's overview (where the party form lives)."""
    return partnership_page(
        request, partnership, "overview", party_form=PartyForm(user=request.user),
        transitions=selectors.transitions_of(partnership=partnership),
        transition_form=TransitionForm(partnership=partnership),
        conflicts=selectors.conflicts_of(partnership=partnership),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_CHANGE)
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    return form_page(
        request, form,
        save=lambda data: services.partnership_update(
            by=request.user, partnership=partnership,
            fields={name: data[name] for name in form.changed_data}),
        success=_("Modifications enregistrées."), done=_detail_url,
        cancel=_detail_url(partnership), title=_("Modifier le partenariat"),
        frame=_crumbs(partnership),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partnership_transition(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_TRANSITION)
    return form_page(
        request, TransitionForm(request.POST or request.GET or None, partnership=partnership),
        save=lambda data: services.partnership_transition(
            by=request.user, partnership=partnership, to_status=data["to_status"],
            note=data["note"]),
        success=lambda transition: _("Nouveau statut : %(status)s.")
        % {"status": transition.get_to_status_display()},
        done=_detail_url(partnership), cancel=_detail_url(partnership),
        frame=_crumbs(partnership),
        title=_("Changer de statut"), submit=_("Confirmer le changement"),
        intro=_("Statut actuel : %(status)s.") % {"status": partnership.get_status_display()},
        template="partnerships/pages/transition.html",
        extra={"checklists": selectors.lifecycle_checklists_get(partnership=partnership)},
    )  # fmt: skip


@login_required
@require_POST
def party_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_CHANGE)
    return form_page(
        request, PartyForm(request.POST, user=request.user),
        save=lambda data: services.party_add(by=request.user, partnership=partnership, **data),
        success=_("Partie ajoutée."), done=_detail_url(partnership),
        frame=Frame(_detail(request, partnership)), title=partnership.title,
        template="partnerships/pages/detail.html", form_key="party_form", invalid_status=422,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def party_remove(request: HtmxHttpRequest, slug: str, party_id: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_CHANGE)
    party = selectors.party_get(partnership=partnership, party_id=party_id)
    back = _detail_url(partnership)
    return confirm_page(
        request, act=lambda _data: services.party_remove(by=request.user, party=party),
        success=_("Partie retirée."), done=back, cancel=back,
        frame=_frame(request, partnership),
        question=_("Retirer %(org)s (%(role)s) des parties de ce partenariat ?")
        % {"org": party.organization, "role": party.get_role_display()},
        confirm_label=_("Retirer"),
    )  # fmt: skip


@login_required
def partnership_history(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_HISTORY)
    context = partnership_page(
        request, partnership, "history", entries=history_entries(partnership),
        transitions=selectors.transitions_of(partnership=partnership),
    )  # fmt: skip
    return render(request, "partnerships/pages/history.html", context)


@login_required
def partnership_tab(request: HtmxHttpRequest, slug: str, tab: str) -> HttpResponse:
    if tab not in PLACEHOLDER_TABS:
        raise NotFound()
    partnership = _partnership(request, slug)
    return render(
        request, "partnerships/pages/tab_placeholder.html",
        partnership_page(request, partnership, tab),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partnership_access(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_MANAGE_ACCESS)
    return form_page(
        request, GrantForm(request.POST or None),
        save=lambda data: services.role_grant(
            by=request.user, partnership=partnership, user=data["username"], role=data["role"]),
        success=_("Rôle attribué."), done=reverse("partnerships:access", kwargs={"slug": slug}),
        frame=_frame(request, partnership), title=_("Attribuer un rôle"), submit=_("Attribuer"),
        template="partnerships/pages/access.html",
        extra={"grants": selectors.grants_of(partnership=partnership)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partnership_access_revoke(request: HtmxHttpRequest, slug: str, grant_id: int) -> HttpResponse:
    partnership = _partnership(request, slug, Perm.PARTNERSHIP_MANAGE_ACCESS)
    grant = selectors.grant_get(partnership=partnership, grant_id=grant_id)
    back = reverse("partnerships:access", kwargs={"slug": slug})
    return confirm_page(
        request, act=lambda _data: services.role_revoke(by=request.user, grant=grant),
        success=_("Rôle retiré."), done=back, cancel=back, frame=_frame(request, partnership),
        question=_("Retirer le rôle « %(role)s » à %(user)s ?")
        % {"role": grant.get_role_display(), "user": grant.user},
        confirm_label=_("Retirer le rôle"),
    )  # fmt: skip


# --- Public portal --------------------------------------------------------------------------


def public_list(request: HtmxHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    published = [
        (s.value, s.label) for s in StatusChoice if rules.Status(s.value) in rules.PUBLISHED
    ]
    status = request.GET.get("status", "")
    if status not in dict(published):
        status = ""
    partnerships = selectors.public_partnership_list(search=search, sector=sector, status=status)
    return render(
        request,
        "partnerships/pages/public_list.html",
        {
            "page_obj": paginate(request, partnerships),
            "query": query_without_page(request),
            "search": search,
            "sector": sector,
            "sectors": Sector.choices,
            "status": status,
            "statuses": published,
        },
    )


def public_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.public_partnership_get(slug=slug)
    summary = ports.public_summary.provider(partnership, request)  # rendered by opendata
    return render(request, "partnerships/pages/public_detail.html",
                  {"partnership": partnership, "summary": summary})  # fmt: skip
