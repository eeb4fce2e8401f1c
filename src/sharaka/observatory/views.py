"""The observatory's pages (issue 19, ADR 0037): country → province → authority, then the
partnership's own page. They read only the snapshot (``selectors``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sharaka.core.spreadsheets import Table, table_response
from sharaka.observatory import report, selectors


def _int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _render(request: HttpRequest, page: selectors.ObservatoryPage) -> HttpResponse:
    context = {"page": page, "nav_section": "observatory"}
    return render(request, "observatory/observatory.html", context)


@login_required
@require_GET
def country(request: HttpRequest) -> HttpResponse:
    province = selectors.supervised_province(request.user)
    if province is not None:
        return redirect("observatory:province", pk=province)
    page = selectors.country_view_get(user=request.user, after=_int(request, "apres"))
    return _render(request, page)


@login_required
@require_GET
def province(request: HttpRequest, pk: int) -> HttpResponse:
    after = _int(request, "apres")
    return _render(request, selectors.province_view_get(user=request.user, pk=pk, after=after))


@login_required
@require_GET
def authority(request: HttpRequest, pk: int) -> HttpResponse:
    after = _int(request, "apres")
    return _render(request, selectors.authority_view_get(user=request.user, pk=pk, after=after))


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    headers, rows = selectors.export_rows(
        user=request.user, province=_int(request, "province"),
        authority=_int(request, "authority"),
    )  # fmt: skip
    table = Table(title=_("Observatoire"), headers=headers, rows=rows)
    return table_response(table, name="observatoire", fmt=fmt)


def _summary(request: HttpRequest, level: str, pk: int | None, lang: str) -> HttpResponse:
    if lang not in report.LANGS:
        raise Http404
    summary = report.summary_get(user=request.user, level=level, pk=pk, lang=lang)
    response = HttpResponse(report.render_pdf(summary), content_type="application/pdf")
    name = f"observatoire-{level}{f'-{pk}' if pk else ''}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def country_summary(request: HttpRequest, lang: str) -> HttpResponse:
    province = selectors.supervised_province(request.user)
    if province is not None:
        return redirect("observatory:province_summary", pk=province, lang=lang)
    return _summary(request, "country", None, lang)


@login_required
@require_GET
def province_summary(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    return _summary(request, "province", pk, lang)


@login_required
@require_GET
def authority_summary(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    return _summary(request, "authority", pk, lang)
