"""Admissibility pages: an authority's files, one file (result, score, what is missing,
evidence), opening a file, adding and checking evidence, deciding. Thin: a selector
(which checks access) or a service through ``core.pages``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.pages import Frame, form_page
from sharaka.core.uploads import stored_file_response
from sharaka.directory.models import Organization
from sharaka.partners import conflicts, selectors, services
from sharaka.partners import grants as register
from sharaka.partners.forms import (
    CheckForm,
    DecideForm,
    DeclarationForm,
    EvidenceForm,
    FileOpenForm,
    GrantForm,
    SearchForm,
)
from sharaka.partners.models import AdmissibilityFile

NAV = ("partners/partials/head.html",)
FILE_TEMPLATE = "partners/pages/file.html"


def _frame(authority: Organization, file: AdmissibilityFile | None = None) -> Frame:
    return Frame({"authority": authority, "file": file, "nav_section": "partners"}, nav=NAV)


def _file_url(pk: int) -> str:
    return reverse("partners:file", kwargs={"pk": pk})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    authority_id = selectors.default_authority_id(user=request.user)
    if authority_id is None:
        raise NotFound()
    return redirect("partners:files", authority=authority_id)


@login_required
def files(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    after = request.GET.get("after", "")
    view = selectors.file_list_view_get(
        user=request.user, authority=organization, query=query,
        after=int(after) if after.isdigit() and len(after) < 19 else None,
    )  # fmt: skip
    context = {"view": view, "search": search, "can": view.can, **_frame(organization).context}
    return render(request, "partners/pages/files.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def file_open(request: HttpRequest, authority: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    form = FileOpenForm(request.POST or None, user=request.user, authority_id=organization.pk)
    return form_page(
        request, form,
        save=lambda data: services.file_open(
            by=request.user, association=data["association"], authority=organization,
            previously_funded=data["previously_funded"]),
        success=_("Dossier de recevabilité ouvert."), done=lambda f: _file_url(f.pk),
        cancel=reverse("partners:files", kwargs={"authority": authority}),
        frame=_frame(organization), title=_("Ouvrir un dossier de recevabilité"),
        submit=_("Ouvrir"),
    )  # fmt: skip


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk)
    view = selectors.file_view_get(user=request.user, file=file)
    context = {
        "view": view, "can": view.can, "evidence_form": EvidenceForm(criteria=view.criteria),
        **_frame(file.authority, file).context,
    }  # fmt: skip
    return render(request, FILE_TEMPLATE, context)


@login_required
@require_http_methods(["POST"])
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk, perm=Perm.ADMISSIBILITY_CHANGE)
    view = selectors.file_view_get(user=request.user, file=file)
    form = EvidenceForm(request.POST, request.FILES, criteria=view.criteria)
    return form_page(
        request, form,
        save=lambda _data: services.evidence_add(by=request.user, file=file,
                                                 **form.service_fields()),
        success=_("Pièce ajoutée ; elle compte une fois vérifiée."), done=_file_url(pk),
        frame=_frame(file.authority, file), title=str(file.association),
        template=FILE_TEMPLATE, form_key="evidence_form", invalid_status=422,
        extra={"view": view, "can": view.can},
    )  # fmt: skip


@login_required
def evidence_document(request: HttpRequest, pk: int, evidence: int) -> FileResponse:
    file = selectors.file_get(user=request.user, pk=pk)
    piece = selectors.evidence_get(file=file, pk=evidence)
    return stored_file_response(
        piece.document, filename=piece.original_name, content_type=piece.content_type,
        attachment=piece.content_type == "application/pdf",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def evidence_check(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk, perm=Perm.ADMISSIBILITY_CHANGE)
    piece = selectors.evidence_get(file=file, pk=evidence)
    return form_page(
        request, CheckForm(request.POST or None, initial={"comment": piece.comment}),
        save=lambda data: services.evidence_check(
            by=request.user, evidence=piece, status=data["status"], comment=data["comment"]),
        success=_("Vérification enregistrée."), done=_file_url(pk), cancel=_file_url(pk),
        frame=_frame(file.authority, file),
        title=_("Vérifier : %(criterion)s") % {"criterion": piece.criterion.label},
        intro=piece.original_name,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def file_decide(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get(user=request.user, pk=pk, perm=Perm.ADMISSIBILITY_DECIDE)
    return form_page(
        request, DecideForm(request.POST or None),
        save=lambda data: services.file_decide(
            by=request.user, file=file, decision=data["decision"], reason=data["reason"]),
        success=_("Décision enregistrée."), done=_file_url(pk), cancel=_file_url(pk),
        frame=_frame(file.authority, file),
        title=_("Décider de la recevabilité : %(name)s") % {"name": file.association.name},
        submit=_("Décider"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def conflict_declare(
    request: HttpRequest, authority: int, association: int, person: int
) -> HttpResponse:
    body, party, member = conflicts.declaration_subject_get(
        user=request.user, authority_id=authority, association_id=association, person_id=person
    )
    return form_page(
        request, DeclarationForm(request.POST or None),
        save=lambda data: conflicts.conflict_declare(
            by=request.user, authority=body, association=party, person=member, text=data["text"]),
        success=_("Déclaration enregistrée ; le retrait des votes concernant l'association "
                  "est appliqué."),
        done=reverse("partnerships:home"), cancel=reverse("partnerships:home"),
        frame=Frame({"nav_section": "partners"}),
        title=_("Déclarer un conflit d'intérêts"),
        intro=_("%(person)s, élu·e de %(authority)s, membre du bureau de %(association)s.")
        % {"person": member, "authority": body.name, "association": party.name},
        submit=_("Déclarer"),
    )  # fmt: skip


def _grants_url(authority: int, year: int) -> str:
    return reverse("partners:grants", kwargs={"authority": authority, "year": year})


@login_required
def grants(request: HttpRequest, authority: int, year: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    after = request.GET.get("after", "")
    table = register.grants_table_get(
        user=request.user, authority=organization, year=year,
        after=int(after) if after.isdigit() and len(after) < 19 else None,
    )  # fmt: skip
    context = {"table": table, "can": table.can, **_frame(organization).context}
    return render(request, "partners/pages/grants.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grant_add(request: HttpRequest, authority: int, year: int) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    form = GrantForm(request.POST or None, user=request.user, authority_id=organization.pk)
    return form_page(
        request, form,
        save=lambda data: register.grant_record(
            by=request.user, authority=organization, year=year, association=data["association"],
            purpose=data["purpose"], amount=data["amount"], achievements=data["achievements"],
            remarks=data["remarks"]),
        success=register.recorded_message, done=_grants_url(authority, year),
        cancel=_grants_url(authority, year), frame=_frame(organization),
        title=_("Enregistrer une subvention (%(year)s)") % {"year": year},
    )  # fmt: skip


@login_required
def grants_export(request: HttpRequest, authority: int, year: int, fmt: str) -> HttpResponse:
    organization = selectors.authority_get(user=request.user, pk=authority)
    table = register.grants_table_get(
        user=request.user, authority=organization, year=year, size=None
    )
    name = f"subventions-{organization.pk}-{year}"
    if fmt == "xlsx":
        return spreadsheets.xlsx_response([register.grants_sheet(table)], filename=f"{name}.xlsx")
    if fmt == "pdf":
        return spreadsheets.download(
            register.grants_pdf(table), filename=f"{name}.pdf", content_type="application/pdf"
        )
    raise NotFound()
