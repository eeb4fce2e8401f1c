"""The pre-audit checks page of a partnership (under the finance tab) and its button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.audit import selectors, tasks
from sharaka.audit.models import CheckRun
from sharaka.core.access import Perm
from sharaka.core.htmx import HtmxHttpRequest
from sharaka.core.pages import Frame, confirm_page
from sharaka.partnerships.views import partnership_page

NAV = ("finance/partials/nav.html",)


@login_required
def checks(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.checks_view_get(partnership=partnership)
    context = partnership_page(request, partnership, "finance", section="audit", view=view)
    return render(request, "audit/pages/checks.html", context)


def _done(run: CheckRun | None) -> str:
    if run is None:
        return _("Contrôles lancés en tâche de fond : leurs constats apparaîtront ici.")
    return _("Contrôles exécutés : %(count)s constat(s).") % {"count": run.finding_count}


@login_required
@require_http_methods(["GET", "POST"])
def run(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.AUDIT_RUN)
    back = reverse("audit:checks", kwargs={"slug": slug})
    return confirm_page(
        request,
        act=lambda _data: tasks.check_run_request(by=request.user, partnership=partnership),
        success=_done,
        done=back,
        cancel=back,
        danger=False,
        frame=Frame(partnership_page(request, partnership, "finance", section="audit"), nav=NAV),
        question=_(
            "Lancer maintenant les contrôles pré-audit sur les données du partenariat ? "
            "Ils ne modifient aucun enregistrement."
        ),
        confirm_label=_("Lancer les contrôles"),
        title=_("Contrôles pré-audit"),
    )
