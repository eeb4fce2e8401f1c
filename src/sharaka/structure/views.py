"""Management structure pages. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.uploads import document_response
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

NAV = ("partnerships/partials/header.html", "structure/partials/subnav.html")


def _context(request: HttpRequest, partnership: Partnership, section: str) -> dict[str, Any]:
    return partnership_page(request, partnership, "structure", section=section)


def _change(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.STRUCTURE_CHANGE)


def _frame(request: HttpRequest, partnership: Partnership, section: str) -> Frame:
    return Frame(_context(request, partnership, section), nav=NAV)


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
    back = reverse("structure:overview", kwargs={"slug": slug})
    return form_page(
        request, StructureForm(request.POST or None, instance=structure),
        save=lambda data: services.structure_set(by=request.user, partnership=partnership,
                                                 fields=data),
        success=_("Structure de gestion enregistrée."), done=back, cancel=back,
        frame=_frame(request, partnership, "overview"),
        title=_("Structure de gestion") if structure else _("Définir la structure de gestion"),
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
    return form_page(
        request, form,
        save=lambda data: services.staff_add(by=request.user, structure=structure, fields=data),
        success=_("Affectation ajoutée au registre du personnel."), done=back, cancel=back,
        frame=_frame(request, partnership, "overview"),
        title=_("Ajouter au registre du personnel"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.staff_get(partnership=partnership, pk=pk)
    form = StaffForm(
        request.POST or None, instance=row, partnership=partnership, structure=row.structure
    )
    back = reverse("structure:overview", kwargs={"slug": slug}) + "#staff"
    return form_page(
        request, form,
        save=lambda data: services.staff_update(
            by=request.user, assignment=selectors.staff_get(partnership=partnership, pk=pk),
            fields={name: data[name] for name in form.changed_data},
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership, "overview"),
        title=_("Affectation de %(person)s") % {"person": row.person},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.staff_get(partnership=partnership, pk=pk)
    back = reverse("structure:overview", kwargs={"slug": slug}) + "#staff"
    return confirm_page(
        request, act=lambda _data: services.staff_remove(by=request.user, assignment=row),
        success=_("Affectation retirée du registre."), done=back, cancel=back,
        frame=_frame(request, partnership, "overview"),
        question=_("Retirer l'affectation de %(person)s (%(role)s) du registre ? Pour une "
                   "affectation terminée, indiquez plutôt sa date de fin.")
        % {"person": row.person, "role": row.get_role_display()},
        confirm_label=_("Retirer"),
    )  # fmt: skip


@login_required
def staff_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    table = staff_table(selectors.staff_list(partnership=partnership))
    return spreadsheets.table_response(table, name=f"personnel-{partnership.slug}", fmt=fmt)


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


def _delegation_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The service's keywords: the delegation's own fields, and the activities apart."""
    fields = dict(data)
    return {"fields": fields, "activities": list(fields.pop("activities", []) or [])}


def _delegation_intro(form: DelegationForm) -> str:
    intro = _("Une délégation est décidée par le conseil : choisissez sa décision.")
    if not form.fields["decision"].queryset.exists():  # type: ignore[attr-defined]
        intro += " " + _(
            "Aucune décision « Délégation de responsabilité » n'est encore enregistrée pour ce "
            "partenariat : inscrivez la délégation à l'ordre du jour d'une réunion du conseil."
        )
    return intro


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = _delegation_form(request, partnership, initial={"start_date": timezone.localdate()})
    back = reverse("structure:delegations", kwargs={"slug": slug})
    return form_page(
        request, form,
        save=lambda data: services.delegation_create(
            by=request.user, partnership=partnership, **_delegation_fields(data)
        ),
        success=_("Délégation enregistrée."), done=back, cancel=back,
        frame=_frame(request, partnership, "delegations"),
        title=_("Nouvelle délégation"), intro=_delegation_intro(form),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def delegation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    delegation = selectors.delegation_get(partnership=partnership, pk=pk)
    back = reverse("structure:delegations", kwargs={"slug": slug})
    return form_page(
        request, _delegation_form(request, partnership, instance=delegation),
        save=lambda data: services.delegation_update(
            by=request.user, delegation=selectors.delegation_get(partnership=partnership, pk=pk),
            **_delegation_fields(data),
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership, "delegations"), title=str(delegation),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def delegation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    delegation = selectors.delegation_get(partnership=partnership, pk=pk)
    back = reverse("structure:delegations", kwargs={"slug": slug})
    return confirm_page(
        request, act=lambda _data: services.delegation_delete(by=request.user,
                                                              delegation=delegation),
        success=_("Délégation supprimée."), done=back, cancel=back,
        frame=_frame(request, partnership, "delegations"),
        question=_("Supprimer l'enregistrement de la délégation à %(org)s ? La décision "
                   "%(number)s du conseil reste inchangée.")
        % {"org": delegation.delegate, "number": delegation.decision.number},
        confirm_label=_("Supprimer"),
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
    back = reverse("structure:assets", kwargs={"slug": slug})
    return form_page(
        request, AssetForm(request.POST or None, partnership=partnership),
        save=lambda data: services.asset_create(by=request.user, partnership=partnership,
                                                fields=data),
        success=_("Bien ajouté au registre."), cancel=back,
        done=lambda asset: reverse("structure:asset", kwargs={"slug": slug, "pk": asset.pk}),
        frame=_frame(request, partnership, "assets"),
        title=_("Nouveau bien"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def asset_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    form = AssetForm(request.POST or None, instance=asset, partnership=partnership)
    back = reverse("structure:asset", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, form,
        save=lambda data: services.asset_update(
            by=request.user, asset=selectors.asset_get(partnership=partnership, pk=pk),
            fields={name: data[name] for name in form.changed_data},
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership, "assets"), title=str(asset),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def asset_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    return confirm_page(
        request, act=lambda _data: services.asset_delete(by=request.user, asset=asset),
        success=_("Bien retiré du registre."),
        done=reverse("structure:assets", kwargs={"slug": slug}),
        cancel=reverse("structure:asset", kwargs={"slug": slug, "pk": pk}),
        frame=_frame(request, partnership, "assets"),
        question=_("Retirer « %(asset)s » du registre des biens, avec ses documents ?")
        % {"asset": asset},
        confirm_label=_("Retirer"),
    )  # fmt: skip


@login_required
@require_http_methods(["POST"])
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    back = reverse("structure:asset", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, DocumentForm(request.POST, request.FILES),
        save=lambda data: services.asset_document_add(
            by=request.user, asset=asset, title=data["title"], upload=data["file"]),
        success=_("Document ajouté."), done=back,
        frame=_frame(request, partnership, "assets"), title=str(asset),
        template="structure/pages/asset.html", form_key="document_form", invalid_status=422,
        extra={"asset": asset},
    )  # fmt: skip


@login_required
def document_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    document = selectors.document_get(asset=asset, pk=doc)
    return document_response(document)


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, slug: str, pk: int, doc: int) -> HttpResponse:
    partnership = _change(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    document = selectors.document_get(asset=asset, pk=doc)
    back = reverse("structure:asset", kwargs={"slug": slug, "pk": pk})
    return confirm_page(
        request, act=lambda _data: services.asset_document_remove(
            by=request.user, document=document, asset=asset),
        success=_("Document supprimé."), done=back, cancel=back,
        frame=_frame(request, partnership, "assets"),
        question=_("Supprimer le document « %(title)s » ?") % {"title": document.title},
        confirm_label=_("Supprimer"),
    )  # fmt: skip


@login_required
def asset_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    table = assets_table(selectors.asset_list(partnership=partnership))
    return spreadsheets.table_response(table, name=f"biens-{partnership.slug}", fmt=fmt)
