"""Closure pages. Thin: load through a selector (which checks access), hand over to
``core.pages`` or render the view model."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.closure import bundle, selectors, services
from sharaka.closure import report as report_module
from sharaka.closure.forms import ApproveForm, ItemForm, TerminationForm
from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.uploads import stored_file_response
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("partnerships/partials/header.html",)


def _frame(request: HttpRequest, partnership: Partnership) -> Frame:
    return Frame(partnership_page(request, partnership, "closure"), nav=NAV)


def _back(slug: str, anchor: str = "") -> str:
    return reverse("closure:overview", kwargs={"slug": slug}) + anchor


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.closure_view_get(user=request.user, partnership=partnership)
    context = partnership_page(request, partnership, "closure", view=view)
    return render(request, "closure/pages/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def termination_start(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.PARTNERSHIP_TRANSITION
    )
    form = TerminationForm(request.POST or None, request.FILES or None, partnership=partnership)
    return form_page(
        request, form,
        save=lambda data: services.termination_start(by=request.user, partnership=partnership,
                                                     **data),
        success=_("Fin du partenariat enregistrée : la dissolution commence."),
        done=_back(slug), cancel=_back(slug), frame=_frame(request, partnership),
        title=_("Mettre fin au partenariat"), submit=_("Enregistrer la fin"),
        intro=_("Le partenariat passe « En cours de dissolution » ; la liste de liquidation "
                "est dressée à partir des registres."),
    )  # fmt: skip


@login_required
def termination_document(request: HttpRequest, slug: str) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    termination = selectors.termination_document(partnership=partnership)
    return stored_file_response(termination.document, filename=termination.document_name)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CLOSURE_CHANGE)
    item = selectors.item_get(partnership=partnership, pk=pk)
    form = ItemForm(request.POST or None, request.FILES or None, item=item)
    return form_page(
        request, form,
        save=lambda data: services.item_update(
            by=request.user, item=item, evidence=data.pop("evidence"),
            evidence_title=data.pop("evidence_title"), fields=data,
        ),
        success=_("Élément de liquidation enregistré."), done=_back(slug, f"#item-{pk}"),
        cancel=_back(slug), frame=_frame(request, partnership),
        title=f"{item.get_kind_display()} · {item.subject}", submit=_("Enregistrer"),
        intro=_(item.spec.label) + (f" ({item.spec.legal})" if item.spec.legal else ""),
    )  # fmt: skip


@login_required
def evidence_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    document = selectors.evidence_get(item=selectors.item_get(partnership=partnership, pk=pk),
                                      pk=doc)  # fmt: skip
    return stored_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def accounts_approve(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CLOSURE_CHANGE)
    accounts = selectors.accounts_get(partnership=partnership)
    data = request.POST if request.method == "POST" else None  # every field is optional
    return confirm_page(
        request, form=ApproveForm(data, partnership=partnership),
        act=lambda data: services.accounts_approve(by=request.user, partnership=partnership,
                                                   decision=data.get("decision")),
        success=_("Comptes de clôture approuvés et enregistrés."), done=_back(slug, "#accounts"),
        cancel=_back(slug, "#accounts"), frame=_frame(request, partnership),
        title=_("Approuver les comptes de clôture"), danger=False,
        question=_("Approuver ces comptes et leur répartition ? Une fois approuvés, ils ne "
                   "changent plus."),
        confirm_label=_("Approuver"), template="closure/pages/approve.html",
        extra={"accounts": accounts},
    )  # fmt: skip


@login_required
def report(request: HttpRequest, slug: str, lang: str, fmt: str = "pdf") -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    if lang not in report_module.LANGS or fmt not in report_module.FORMATS:
        raise Http404
    document = report_module.report_get(partnership=partnership, lang=lang)
    render = report_module.render_pdf if fmt == "pdf" else report_module.render_docx
    response = HttpResponse(render(document), content_type=report_module.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="cloture-{slug}-{lang}.{fmt}"'
    return response


@login_required
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    data: Any = bundle.build(partnership=partnership)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="archive-{slug}.zip"'
    return response
