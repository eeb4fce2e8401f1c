"""The register of decisions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page
from sharaka.core.pagination import paginate, query_without_page
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import selectors, services
from sharaka.meetings.forms import DecisionFilterForm
from sharaka.meetings.models import Decision
from sharaka.meetings.views.common import HtmxHttpRequest, _context, page_data
from sharaka.partnerships.models import Partnership

NAV = ("partnerships/partials/header.html", "meetings/partials/subnav.html")


def _register(request: HttpRequest, slug: str) -> Partnership:
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    return partnership


def _decision(request: HttpRequest, slug: str, decision_id: int) -> tuple[Partnership, Decision]:
    partnership = _register(request, slug)
    decision = selectors.decision_get(
        user=request.user, decision_id=decision_id, partnership=partnership
    )
    return partnership, decision


@login_required
def decision_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = _register(request, slug)
    form = DecisionFilterForm(request.GET or None, years=selectors.decision_years(partnership))
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_list(
        user=request.user, partnership=partnership, search=filters.get("q", ""),
        year=filters.get("year"), kind=filters.get("kind", ""),
    )  # fmt: skip
    context = _context(
        request, partnership, form=form, page_obj=paginate(request, decisions),
        query=query_without_page(request),
    )  # fmt: skip
    template = "meetings/pages/decisions.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
def decision_detail(request: HttpRequest, slug: str, decision_id: int) -> HttpResponse:
    partnership, decision = _decision(request, slug, decision_id)
    view = selectors.decision_view_get(user=request.user, decision=decision, lang=engine_lang())
    context = _context(request, partnership, **page_data(view))
    return render(request, "meetings/pages/decision.html", context)


@login_required
@require_POST
def decision_apply(request: HttpRequest, slug: str, decision_id: int) -> HttpResponse:
    partnership, decision = _decision(request, slug, decision_id)
    back = reverse("meetings:decision", kwargs={"slug": slug, "decision_id": decision.pk})
    return confirm_page(
        request,
        act=lambda _data: services.decision_apply_appointment(by=request.user, decision=decision),
        success=_("Nomination appliquée au bureau du conseil."), done=back, cancel=back,
        frame=Frame(_context(request, partnership, section="decisions"), nav=NAV),
        title=_("Appliquer la nomination"),
        question=_("La nomination n'est pas encore inscrite au bureau du conseil (la fonction "
                   "était peut-être encore occupée)."),
        confirm_label=_("Appliquer la nomination"), danger=False,
    )  # fmt: skip
