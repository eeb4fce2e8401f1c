"""The register of decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError
from sharaka.core.pagination import paginate, query_without_page
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import selectors, services
from sharaka.meetings.forms import (
    DecisionFilterForm,
)
from sharaka.meetings.models import Decision
from sharaka.meetings.views.common import (
    _context,
    _error,
    page_data,
)
from sharaka.partnerships.models import Partnership


@login_required
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    form = DecisionFilterForm(request.GET or None, years=selectors.decision_years(partnership))
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_list(
        user=request.user,
        partnership=partnership,
        search=filters.get("q", ""),
        year=filters.get("year"),
        kind=filters.get("kind", ""),
    )
    context = _context(
        request,
        partnership,
        form=form,
        page_obj=paginate(request, decisions),
        query=query_without_page(request),
    )
    template = "meetings/pages/decisions.html"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
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
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    decision = selectors.decision_get(
        user=request.user, decision_id=decision_id, partnership=partnership
    )
    try:
        services.decision_apply_appointment(by=request.user, decision=decision)
    except DomainError as error:
        if error.status == 404:
            raise
        _error(request, error)
    else:
        messages.success(request, _("Nomination appliquée au bureau du conseil."))
    return redirect("meetings:decision", slug=slug, decision_id=decision.pk)


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
