"""The audit dashboards (per partnership, per authority) and the XLSX export of findings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.views.decorators.http import require_GET

from sharaka.audit import dashboard, exports, selectors
from sharaka.core.spreadsheets import XLSX_TYPE, download
from sharaka.partnerships.views import partnership_page


@login_required
@require_GET
def partnership_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = dashboard.partnership_dashboard_view_get(
        user=request.user, partnership=partnership, today=timezone.localdate(),
        rtl=get_language_bidi(),
    )  # fmt: skip
    context = partnership_page(request, partnership, "finance", section="dashboard", view=view)
    return render(request, "audit/pages/dashboard.html", context)


def _after(request: HttpRequest) -> int | None:
    value = request.GET.get("apres", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
@require_GET
def authority_dashboard(request: HttpRequest, authority: int) -> HttpResponse:
    view = dashboard.authority_dashboard_view_get(
        user=request.user, pk=authority, after=_after(request), today=timezone.localdate(),
        rtl=get_language_bidi(),
    )  # fmt: skip
    return render(request, "audit/pages/authority_dashboard.html", {"view": view})


@login_required
@require_GET
def findings_export(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    content = exports.findings_xlsx(
        partnership=partnership, today=timezone.localdate(), rtl=get_language_bidi()
    )
    name = f"constats-audit-{partnership.slug}.xlsx"
    return download(content, filename=name, content_type=XLSX_TYPE)
