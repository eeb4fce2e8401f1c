"""Management structure pages. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page
from sharaka.structure import selectors, services
from sharaka.structure.exports import assets_table, staff_table
from sharaka.structure.forms import (
    AssetFilterForm,
    AssetForm,
    DelegationForm,
    DocumentForm,
    StaffForm,
    StructureForm,
)


def _context(request: HttpRequest, partnership: Partnership, section: str) -> dict[str, Any]:
    can = selectors.capabilities(request.user, partnership)
    return partnership_page(request, partnership, "structure", can, section=section)


def _change(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.STRUCTURE_CHANGE)


def _form_page(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    *,
    section: str,
    title: str,
    submit: str,
    cancel: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    context = _context(request, partnership, section) | {
        "form": form, "title": title, "submit": submit, "cancel_url": cancel, "intro": intro,
        "multipart": multipart,
    }  # fmt: skip
    return render(request, "structure/pages/form.html", context)


def _confirm_page(
    request: HttpRequest,
    partnership: Partnership,
    *,
    section: str,
    question: str,
    confirm_label: str,
    cancel: str,
) -> HttpResponse:
    context = _context(request, partnership, section) | {
        "question": question, "confirm_label": confirm_label, "cancel_url": cancel,
    }  # fmt: skip
    return render(request, "structure/pages/confirm.html", context)


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "xlsx"):
        raise NotFound()


# --- Overview: structure, organisation chart, staff register ----------------------------------


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.structure_view_get(partnership=partnership)
    context = _context(request, partnership, "overview") | {"view": view}
    return render(request, "structure/pages/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    structure = selectors.structure_get(partnership=partnership)
    form = StructureForm(request.POST or None, instance=structure)
    back = reverse("structure:overview", kwargs={"slug": slug})
    if request.method == "POST" and form.is_valid():
        try:
            services.structure_set(by=request.user, partnership=partnership,
                                   fields=form.cleaned_data)  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Structure de gestion enregistrée."))
            return redirect(back)
    return _form_page(
        request, partnership, form, section="overview",
        title=_("Structure de gestion") if structure else _("Définir la structure de gestion"),
        submit=_("Enregistrer"), cancel=back,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    structure = selectors.structure_require(partnership=partnership)
    form = StaffForm(
        request.POST or None, partnership=partnership, structure=structure,
        initial={"start_date": timezone.localdate(), "time_share": 100},
    )  # fmt: skip
    back = reverse("structure:overview", kwargs={"slug": slug}) + "#staff"
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_add(by=request.user, structure=structure, fields=form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Affectation ajoutée au registre du personnel."))
            return redirect(back)
    return _form_page(request, partnership, form, section="overview",
                      title=_("Ajouter au registre du personnel"), submit=_("Ajouter"),
                      cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.staff_get(partnership=partnership, pk=pk)
    form = StaffForm(
        request.POST or None, instance=row, partnership=partnership, structure=row.structure
    )
    back = reverse("structure:overview", kwargs={"slug": slug}) + "#staff"
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(
                by=request.user, assignment=selectors.staff_get(partnership=partnership, pk=pk),
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(request, partnership, form, section="overview",
                      title=_("Affectation de %(person)s") % {"person": row.person},
                      submit=_("Enregistrer"), cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.staff_get(partnership=partnership, pk=pk)
    back = reverse("structure:overview", kwargs={"slug": slug}) + "#staff"
    if request.method == "POST":
        services.staff_remove(by=request.user, assignment=row)
        messages.success(request, _("Affectation retirée du registre."))
        return redirect(back)
    return _confirm_page(
        request, partnership, section="overview",
        question=_("Retirer l'affectation de %(person)s (%(role)s) du registre ? Pour une "
                   "affectation terminée, indiquez plutôt sa date de fin.")
        % {"person": row.person, "role": row.get_role_display()},
        confirm_label=_("Retirer"), cancel=back,
    )  # fmt: skip


@login_required
def staff_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    _check_format(fmt)
    table = staff_table(selectors.staff_list(partnership=partnership))
    name = f"personnel-{partnership.slug}"
    if fmt == "xlsx":
        return spreadsheets.xlsx_response([table], filename=f"{name}.xlsx")
    return spreadsheets.csv_response(table, filename=f"{name}.csv")


# --- Delegations -----------------------------------------------------------------------------


@login_required
def delegation_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    context = _context(request, partnership, "delegations") | {
        "delegations": selectors.delegation_list(partnership=partnership),
        "today": timezone.localdate(),
    }
    return render(request, "structure/pages/delegations.html", context)


def _delegation_form(request: HttpRequest, partnership: Partnership, **kwargs: Any) -> Any:
    return DelegationForm(
        request.POST or None,
        partnership=partnership,
        decisions=selectors.delegation_decision_choices(partnership=partnership),
        activities=selectors.delegable_activities(partnership=partnership),
        **kwargs,
    )


def _delegation_fields(form: Any) -> tuple[dict[str, Any], list[Any]]:
    data = dict(form.cleaned_data)
    activities = list(data.pop("activities", []) or [])
    return data, activities


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = _delegation_form(request, partnership, initial={"start_date": timezone.localdate()})
    back = reverse("structure:delegations", kwargs={"slug": slug})
    if request.method == "POST" and form.is_valid():
        fields, activities = _delegation_fields(form)
        try:
            services.delegation_create(by=request.user, partnership=partnership, fields=fields,
                                       activities=activities)  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Délégation enregistrée."))
            return redirect(back)
    intro = _("Une délégation est décidée par le conseil : choisissez sa décision.")
    if not form.fields["decision"].queryset.exists():
        intro += " " + _(
            "Aucune décision « Délégation de responsabilité » n'est encore enregistrée pour ce "
            "partenariat : inscrivez la délégation à l'ordre du jour d'une réunion du conseil."
        )
    return _form_page(request, partnership, form, section="delegations",
                      title=_("Nouvelle délégation"), submit=_("Enregistrer"), cancel=back,
                      intro=intro)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def delegation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    delegation = selectors.delegation_get(partnership=partnership, pk=pk)
    form = _delegation_form(request, partnership, instance=delegation)
    back = reverse("structure:delegations", kwargs={"slug": slug})
    if request.method == "POST" and form.is_valid():
        fields, activities = _delegation_fields(form)
        try:
            services.delegation_update(
                by=request.user, delegation=selectors.delegation_get(partnership=partnership,
                                                                     pk=pk),
                fields=fields, activities=activities,
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(request, partnership, form, section="delegations",
                      title=str(delegation), submit=_("Enregistrer"), cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def delegation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    delegation = selectors.delegation_get(partnership=partnership, pk=pk)
    back = reverse("structure:delegations", kwargs={"slug": slug})
    if request.method == "POST":
        services.delegation_delete(by=request.user, delegation=delegation)
        messages.success(request, _("Délégation supprimée."))
        return redirect(back)
    return _confirm_page(
        request, partnership, section="delegations",
        question=_("Supprimer l'enregistrement de la délégation à %(org)s ? La décision "
                   "%(number)s du conseil reste inchangée.")
        % {"org": delegation.delegate, "number": delegation.decision.number},
        confirm_label=_("Supprimer"), cancel=back,
    )  # fmt: skip


# --- Assets ----------------------------------------------------------------------------------


@login_required
def asset_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    form = AssetFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    assets = selectors.asset_list(partnership=partnership, kind=kind)
    context = _context(request, partnership, "assets") | {
        "form": form,
        "assets": assets,
        "total": sum((a.value for a in assets), start=0),
        "currency": assets[0].currency if assets else "",
    }
    return render(request, "structure/pages/assets.html", context)


@login_required
def asset_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    context = _context(request, partnership, "assets") | {
        "asset": asset,
        "document_form": DocumentForm(),
    }
    return render(request, "structure/pages/asset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asset_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = AssetForm(request.POST or None, partnership=partnership)
    back = reverse("structure:assets", kwargs={"slug": slug})
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(by=request.user, partnership=partnership,
                                          fields=form.cleaned_data)  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Bien ajouté au registre."))
            return redirect("structure:asset", slug=slug, pk=asset.pk)
    return _form_page(request, partnership, form, section="assets", title=_("Nouveau bien"),
                      submit=_("Ajouter"), cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def asset_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    form = AssetForm(request.POST or None, instance=asset, partnership=partnership)
    back = reverse("structure:asset", kwargs={"slug": slug, "pk": pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(
                by=request.user, asset=selectors.asset_get(partnership=partnership, pk=pk),
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(back)
    return _form_page(request, partnership, form, section="assets", title=str(asset),
                      submit=_("Enregistrer"), cancel=back)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def asset_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    if request.method == "POST":
        services.asset_delete(by=request.user, asset=asset)
        messages.success(request, _("Bien retiré du registre."))
        return redirect("structure:assets", slug=slug)
    return _confirm_page(
        request, partnership, section="assets",
        question=_("Retirer « %(asset)s » du registre des biens, avec ses documents ?")
        % {"asset": asset},
        confirm_label=_("Retirer"),
        cancel=reverse("structure:asset", kwargs={"slug": slug, "pk": pk}),
    )  # fmt: skip


@login_required
@require_http_methods(["POST"])
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.asset_document_add(by=request.user, asset=asset,
                                        title=form.cleaned_data["title"],
                                        upload=form.cleaned_data["file"])  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Document ajouté."))
            return redirect("structure:asset", slug=slug, pk=pk)
    context = _context(request, partnership, "assets") | {"asset": asset, "document_form": form}
    return render(request, "structure/pages/asset.html", context, status=422)


@login_required
def document_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    document = selectors.document_get(asset=asset, pk=doc)
    response = FileResponse(
        document.file.open("rb"), as_attachment=document.content_type == "application/pdf",
        filename=document.original_name, content_type=document.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, slug: str, pk: int, doc: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    document = selectors.document_get(asset=asset, pk=doc)
    back = reverse("structure:asset", kwargs={"slug": slug, "pk": pk})
    if request.method == "POST":
        services.asset_document_remove(by=request.user, document=document, asset=asset)
        messages.success(request, _("Document supprimé."))
        return redirect(back)
    return _confirm_page(request, partnership, section="assets",
                         question=_("Supprimer le document « %(title)s » ?")
                         % {"title": document.title},
                         confirm_label=_("Supprimer"), cancel=back)  # fmt: skip


@login_required
def asset_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    _check_format(fmt)
    table = assets_table(selectors.asset_list(partnership=partnership))
    name = f"biens-{partnership.slug}"
    if fmt == "xlsx":
        return spreadsheets.xlsx_response([table], filename=f"{name}.xlsx")
    return spreadsheets.csv_response(table, filename=f"{name}.csv")
