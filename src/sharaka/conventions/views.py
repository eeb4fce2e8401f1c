"""Convention pages. Thin: parse input, call a selector or service, render.

Forms go through ``core.pages.form_page`` and questions through ``core.pages.confirm_page``
(a refusal shows on the page, nothing changes); the convention page renders the view model
``selectors.version_page_view_get``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.conventions import catalogue, forms, renderers, rules, selectors, services
from sharaka.conventions.models import Clause, Convention, ConventionVersion
from sharaka.core.access import Perm, capabilities, require
from sharaka.core.errors import NotFound
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.uploads import stored_file_response
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("partnerships/partials/header.html",)
DOCUMENT_LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    return partnership_page(request, partnership, "convention", **extra)


def _frame(request: HttpRequest, partnership: Partnership, **extra: Any) -> Frame:
    return Frame(_context(request, partnership, **extra), nav=NAV)


def _load(
    request: HttpRequest, slug: str, number: int, perm: Perm = Perm.CONVENTION_VIEW
) -> tuple[Partnership, ConventionVersion]:
    """The partnership (404 if not visible, 403 without ``perm``) and one of its versions."""
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=perm)
    convention = selectors.convention_require(partnership=partnership)
    return partnership, selectors.version_get(convention=convention, number=number)


def _version_url(version: ConventionVersion, anchor: str = "") -> str:
    url = reverse(
        "conventions:version",
        kwargs={"slug": version.convention.partnership.slug, "number": version.number},
    )
    return url + (f"#{anchor}" if anchor else "")


# --- The convention page ---------------------------------------------------------------------


def _version_page(
    request: HttpRequest, partnership: Partnership, convention: Convention,
    number: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The context of the convention page: its view model and its (blank) forms."""
    page = selectors.version_page_view_get(user=request.user, partnership=partnership,
                                           convention=convention, number=number)  # fmt: skip
    return _context(request, partnership) | vars(page) | {
        "add_form": forms.AddClauseForm(choices=page.detail.missing_codes),
        "signatory_form": forms.SignatoryForm(partnership=partnership, user=request.user),
        "copy_form": forms.SignedCopyForm(),
        "document_languages": DOCUMENT_LANGUAGES,
    }  # fmt: skip


@login_required
def convention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    convention = selectors.convention_get(partnership=partnership)
    if convention is None:
        return render(request, "conventions/pages/empty.html", _context(request, partnership))
    context = _version_page(request, partnership, convention)
    return render(request, "conventions/pages/detail.html", context)


@login_required
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    convention = selectors.convention_require(partnership=partnership)
    context = _version_page(request, partnership, convention, number)
    return render(request, "conventions/pages/detail.html", context)


@login_required
@require_POST
def convention_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.CONVENTION_CHANGE)  # fmt: skip
    back = reverse("conventions:detail", kwargs={"slug": slug})
    return confirm_page(
        request, act=lambda _data: services.convention_create(by=request.user,
                                                              partnership=partnership),
        success=_("Projet de convention créé à partir du catalogue : ajustez les clauses "
                  "signalées."), done=back, cancel=back,
        frame=_frame(request, partnership), danger=False,
        question=_("Le projet reprend toutes les clauses obligatoires du catalogue, "
                   "pré-remplies avec les parties du partenariat : vous ajustez ensuite chaque "
                   "clause, le contrôle de complétude vous guide."),
        confirm_label=_("Rédiger la convention à partir du catalogue"),
    )  # fmt: skip


# --- Clauses -------------------------------------------------------------------------------


@login_required
def clause_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    _partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    code = request.GET.get("code", "")
    if code in catalogue.BY_CODE:
        return redirect("conventions:clause_new", slug=slug, number=number, code=code)
    messages.error(request, _("Choisissez une clause du catalogue."))
    return redirect(_version_url(version))


def _clause_page(
    request: HttpRequest, partnership: Partnership, version: ConventionVersion,
    form: forms.ClauseForm, *, clause: Clause | None = None, **outcome: Any,
) -> HttpResponse:  # fmt: skip
    """The clause form (``form_page``), beside the completeness panel of its version."""
    spec_title = form.spec.title.get(form.lang)
    problems = selectors.version_detail_get(version=version, lang=form.lang).problem_lists
    return form_page(
        request, form, **outcome, cancel=_version_url(version), title=spec_title,
        frame=_frame(request, partnership), template="conventions/pages/clause_form.html",
        extra={"version": version, "layout": form.bound_layout(), "spec_title": spec_title,
               "clause": clause, "custom": form.spec.code == "custom",
               "has_params": bool(form.spec.params), "problems": problems},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def clause_new(request: HttpRequest, slug: str, number: int, code: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    if code not in catalogue.BY_CODE:
        raise NotFound(_("Cette clause n'existe pas dans le catalogue."))
    starting = services.starting_params(code, partnership) if request.method == "GET" else None
    form = forms.ClauseForm(request.POST or None, spec=catalogue.spec_for(code), starting=starting)
    return _clause_page(
        request, partnership, version, form,
        save=lambda _data: services.clause_add(by=request.user, version=version, code=code,
                                               **form.content()),
        success=_("Clause ajoutée."), done=_version_url(version),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def clause_edit(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    clause = selectors.clause_get(version=version, key=key)
    form = forms.ClauseForm(
        request.POST or None, spec=catalogue.spec_for(clause.code), clause=clause
    )
    return _clause_page(
        request, partnership, version, form, clause=clause,
        save=lambda _data: services.clause_update(by=request.user, clause=clause,
                                                  **form.content()),
        success=_("Clause enregistrée."), done=_version_url(version, f"clause-{clause.key}"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def clause_remove(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    clause = selectors.clause_get(version=version, key=key)
    title = rules.clause_title(services.clause_data(clause), services.active_lang())
    return confirm_page(
        request, act=lambda _data: services.clause_remove(by=request.user, clause=clause),
        success=_("Clause retirée."), done=_version_url(version),
        cancel=_version_url(version), frame=_frame(request, partnership),
        question=_("Retirer la clause « %(title)s » de %(version)s ?")
        % {"title": title, "version": version.label},
        confirm_label=_("Retirer la clause"),
    )  # fmt: skip


@login_required
@require_POST
def clause_check(
    request: HttpRequest, slug: str, number: int, key: str = "", code: str = ""
) -> HttpResponse:
    """htmx: the completeness panel as it would be with the form's values (nothing saved)."""
    _partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    clause = selectors.clause_get(version=version, key=key) if key else None
    code = clause.code if clause else code
    if code not in catalogue.BY_CODE:
        raise NotFound()
    form = forms.ClauseForm(request.POST, spec=catalogue.spec_for(code), clause=clause)
    check = selectors.ClauseCheck(param_errors=form.error_lines())
    if form.is_valid():
        check = selectors.clause_check_get(
            version=version, clause=clause, code=code, lang=services.active_lang(),
            **form.content(),
        )  # fmt: skip
    context = {"preview": True, "problems": check.problems, "param_errors": check.param_errors}
    return render(request, "conventions/partials/completeness.html", context)


# --- Signatories, lifecycle, amendment -----------------------------------------------------


@login_required
@require_POST
def signatory_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The signatory form sits on the convention page: a refusal shows it there (422)."""
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    page = _version_page(request, partnership, version.convention, number)
    return form_page(
        request, forms.SignatoryForm(request.POST, partnership=partnership, user=request.user),
        save=lambda data: services.signatory_add(by=request.user, version=version, **data),
        success=_("Signataire ajouté."), done=_version_url(version, "signatories"),
        frame=_frame(request, partnership), title=version.label,
        template="conventions/pages/detail.html", form_key="signatory_form",
        invalid_status=422, extra={k: v for k, v in page.items() if k != "signatory_form"},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def signatory_remove(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    signatory = selectors.signatory_get(version=version, pk=pk)
    back = _version_url(version, "signatories")
    return confirm_page(
        request, act=lambda _data: services.signatory_remove(by=request.user,
                                                             signatory=signatory),
        success=_("Signataire retiré."), done=back, cancel=_version_url(version),
        frame=_frame(request, partnership),
        question=_("Retirer %(person)s (%(org)s) des signataires ?")
        % {"person": signatory.person, "org": signatory.organization},
        confirm_label=_("Retirer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_transition(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number)
    choices = selectors.status_choices(version, capabilities(request.user, partnership))
    if not choices:
        require(request.user, Perm.CONVENTION_SIGN, partnership)  # 403 for readers
    initial = {"to_status": request.GET.get("to_status", ""),
               "effective_date": version.effective_date}  # fmt: skip
    form = forms.VersionTransitionForm(request.POST or None, choices=choices, initial=initial)
    return form_page(
        request, form,
        save=lambda data: services.version_transition(
            by=request.user, version=version, to_status=data["to_status"], on=data.get("on"),
            effective_date=data.get("effective_date")),
        success=lambda changed: _("%(version)s : %(status)s.") % {
            "version": changed.label, "status": changed.get_status_display()},
        done=_version_url(version), cancel=_version_url(version),
        frame=_frame(request, partnership), title=_("Changer de statut"), submit=_("Confirmer"),
        template="conventions/pages/transition.html", extra={
            "version": version, "detail": selectors.version_detail_get(version=version),
            "irreversible": any(code not in {"under_negotiation", "draft"} for code, _l in choices),
        },
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.CONVENTION_CHANGE)  # fmt: skip
    convention = selectors.convention_require(partnership=partnership)
    in_force = selectors.version_in_force_get(partnership=partnership, at=timezone.localdate())
    return form_page(
        request, forms.AmendmentForm(request.POST or None),
        save=lambda data: services.amendment_create(by=request.user, convention=convention,
                                                    purpose=data["purpose"]),
        success=lambda draft: _("Avenant n° %(n)s ouvert : il reprend le texte en vigueur, à "
                                "modifier.") % {"n": draft.number},
        done=lambda draft: reverse("conventions:version",
                                   kwargs={"slug": slug, "number": draft.number}),
        cancel=reverse("conventions:detail", kwargs={"slug": slug}),
        frame=_frame(request, partnership), title=_("Préparer un avenant"),
        submit=_("Ouvrir l'avenant"), intro=_amendment_intro(in_force),
    )  # fmt: skip


def _amendment_intro(in_force: ConventionVersion | None) -> str:
    if in_force is None:
        return ""
    return _(
        "L'avenant reprend le texte de la version en vigueur (%(label)s) dans un nouveau "
        "brouillon, avec ses signataires. Vous modifiez ensuite les clauses voulues ; la page "
        "« Différences » montre ce que l'avenant change."
    ) % {"label": in_force.label}


# --- Files: signed copy, rendered documents ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def signed_copy_upload(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_SIGN)
    intro = _("Une copie est déjà déposée : la nouvelle la remplacera à l'écran ; l'ancienne "
              "reste conservée dans l'historique.") if version.signed_copy else ""  # fmt: skip
    return form_page(
        request, forms.SignedCopyForm(request.POST or None, request.FILES or None),
        save=lambda data: services.signed_copy_upload(by=request.user, version=version,
                                                      upload=data["signed_copy"]),
        success=_("Copie signée déposée."), done=_version_url(version),
        cancel=_version_url(version), frame=_frame(request, partnership), intro=intro,
        title=_("Déposer la copie signée numérisée") + f" — {version.label}",
        submit=_("Déposer"),
    )  # fmt: skip


@login_required
def signed_copy_download(request: HttpRequest, slug: str, number: int) -> FileResponse:
    _partnership, version = _load(request, slug, number)
    if not version.signed_copy:
        raise NotFound(_("Aucune copie signée n'a été déposée."))
    name = str(version.signed_copy.name).rsplit("/", 1)[-1]
    return stored_file_response(version.signed_copy, filename=name)


@login_required
def version_render(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    _partnership, version = _load(request, slug, number)
    fmt = request.GET.get("format", "pdf")
    lang = request.GET.get("lang", services.active_lang())
    if fmt not in renderers.FORMATS or lang not in renderers.LANGS:
        raise NotFound(_("Format ou langue inconnus."))
    data = renderers.render_version(version, fmt, lang)
    response = HttpResponse(data, content_type=renderers.FORMATS[fmt])
    name = renderers.filename(version, fmt, lang)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Differences ---------------------------------------------------------------------------


@login_required
def version_diff(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    page = selectors.diff_view_get(partnership=partnership, old=request.GET.get("from", ""),
                                   new=request.GET.get("to", ""))  # fmt: skip
    context = _context(request, partnership) | vars(page)
    return render(request, "conventions/pages/diff.html", context)


# --- Council deliberations and oversight ----------------------------------------------------


def _deliberations_url(partnership: Partnership) -> str:
    return reverse("conventions:deliberations", kwargs={"slug": partnership.slug})


@login_required
def deliberations(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CONVENTION_VIEW)
    page = selectors.deliberations_view_get(user=request.user, partnership=partnership)
    context = _context(request, partnership) | vars(page)
    return render(request, "conventions/pages/deliberations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deliberation_add(request: HttpRequest, slug: str, party_id: int) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.CONVENTION_CHANGE
    )
    party = selectors.public_party_get(partnership=partnership, party_id=party_id)
    back = _deliberations_url(partnership)
    return form_page(
        request, forms.DeliberationForm(request.POST or None, request.FILES or None,
                                        partnership=partnership),
        save=lambda data: services.deliberation_record(by=request.user, party=party, fields=data),
        success=_("Délibération enregistrée."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Délibération du conseil — %(party)s") % {"party": party.organization},
        submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def deliberation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.CONVENTION_CHANGE
    )
    deliberation = selectors.deliberation_get(partnership=partnership, pk=pk)
    back = _deliberations_url(partnership)
    return form_page(
        request, forms.DeliberationForm(request.POST or None, request.FILES or None,
                                        partnership=partnership, instance=deliberation),
        save=lambda data: services.deliberation_update(by=request.user, deliberation=deliberation,
                                                       fields=data),
        success=_("Délibération mise à jour."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Délibération %(number)s — %(party)s")
        % {"number": deliberation.number, "party": deliberation.party.organization},
        submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
def deliberation_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.CONVENTION_VIEW)
    deliberation = selectors.deliberation_get(partnership=partnership, pk=pk)
    if not deliberation.document:
        raise NotFound(_("Aucun document n'a été déposé."))
    name = deliberation.document_name or str(deliberation.document.name).rsplit("/", 1)[-1]
    return FileResponse(deliberation.document.open("rb"), as_attachment=True, filename=name)


@login_required
def oversight_dashboard(request: HttpRequest) -> HttpResponse:
    """Per authority: the deliberations waiting for transmission or an answer."""
    raw = request.GET.get("authority", "")
    page = selectors.oversight_dashboard_get(
        user=request.user, authority_id=int(raw) if raw.isdigit() else None,
        after=request.GET.get("after", ""),
    )  # fmt: skip
    return render(request, "conventions/pages/oversight_dashboard.html", {"page": page})
