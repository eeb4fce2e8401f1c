"""Convention pages. Thin: parse input, call a selector or service, render."""

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

from sharaka.conventions import catalogue, renderers, rules, selectors, services
from sharaka.conventions.forms import (
    AddClauseForm,
    AmendmentForm,
    ClauseForm,
    SignatoryForm,
    SignedCopyForm,
    VersionTransitionForm,
)
from sharaka.conventions.models import Convention, ConventionVersion, VersionStatus
from sharaka.core.access import Capabilities, Perm, capabilities, require
from sharaka.core.errors import DomainError, NotFound
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    return partnership_page(request, partnership, "convention", **extra)


def _load(
    request: HttpRequest, slug: str, number: int, perm: Perm = Perm.CONVENTION_VIEW
) -> tuple[Partnership, ConventionVersion]:
    """The partnership (404 if not visible, 403 without ``perm``) and one of its versions."""
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=perm)
    convention = selectors.convention_require(partnership=partnership)
    return partnership, selectors.version_get(convention=convention, number=number)


def _version_url(version: ConventionVersion) -> str:
    return reverse(
        "conventions:version",
        kwargs={"slug": version.convention.partnership.slug, "number": version.number},
    )


def _status_choices(version: ConventionVersion, can: Capabilities) -> list[tuple[str, str]]:
    labels = dict(VersionStatus.choices)
    sign_targets = {rules.Status.SIGNED, rules.Status.IN_FORCE, rules.Status.ENDED}
    order = list(rules.Status)
    choices = []
    for target in sorted(rules.allowed_next(rules.Status(version.status)), key=order.index):
        needed = Perm.CONVENTION_SIGN if target in sign_targets else Perm.CONVENTION_CHANGE
        if needed in can:
            choices.append((target.value, str(labels[target.value])))
    return choices


def _render_version(
    request: HttpRequest, partnership: Partnership, convention: Convention,
    version: ConventionVersion | None,
) -> HttpResponse:  # fmt: skip
    versions = selectors.versions_of(convention=convention)
    today = timezone.localdate()
    if version is None:
        version = selectors.current_version(versions, today=today)
    else:
        version = next(v for v in versions if v.pk == version.pk)
    detail = selectors.version_detail_get(version=version)
    context = _context(request, partnership, convention=convention, versions=versions,
                       detail=detail, version=version)  # fmt: skip
    can = context["can"]
    in_force = selectors.version_in_force_get(partnership=partnership, at=today)
    terms = selectors.convention_terms_get(partnership=partnership, at=today) if in_force else None
    context |= {
        "in_force": in_force,
        "rules": selectors.convention_rules_get(partnership=partnership, at=today)
        if in_force
        else None,
        "rules_text": selectors.rules_summary(terms, detail.lang) if terms else {},
        "status_choices": _status_choices(version, can),
        "add_form": AddClauseForm(choices=detail.missing_codes),
        "signatory_form": SignatoryForm(partnership=partnership),
        "copy_form": SignedCopyForm(),
        "document_languages": [("fr", "Français"), ("ar", "العربية"), ("en", "English")],
        "can_amend": Perm.CONVENTION_CHANGE in can
        and in_force is not None
        and not any(v.is_editable for v in versions),
    }
    return render(request, "conventions/pages/detail.html", context)


@login_required
def convention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    convention = selectors.convention_get(partnership=partnership)
    if convention is None:
        return render(request, "conventions/pages/empty.html", _context(request, partnership))
    return _render_version(request, partnership, convention, None)


@login_required
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number)
    return _render_version(request, partnership, version.convention, version)


@login_required
@require_POST
def convention_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.CONVENTION_CHANGE)  # fmt: skip
    try:
        services.convention_create(by=request.user, partnership=partnership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Projet de convention créé à partir du catalogue : "
                                    "ajustez les clauses signalées."))  # fmt: skip
    return redirect("conventions:detail", slug=slug)


# --- Clauses -------------------------------------------------------------------------------


@login_required
def clause_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    _partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    code = request.GET.get("code", "")
    if code in catalogue.BY_CODE:
        return redirect("conventions:clause_new", slug=slug, number=number, code=code)
    messages.error(request, _("Choisissez une clause du catalogue."))
    return redirect(_version_url(version))


def _clause_page(request: HttpRequest, partnership: Partnership, version: ConventionVersion,
                 form: ClauseForm, *, clause: Any = None) -> HttpResponse:  # fmt: skip
    spec = form.spec
    return render(request, "conventions/pages/clause_form.html", _context(
        request, partnership, version=version, form=form, layout=form.bound_layout(),
        spec_title=spec.title.get(form.lang), clause=clause, custom=spec.code == "custom",
        has_params=bool(spec.params),
        problems=selectors.version_detail_get(version=version, lang=form.lang).problem_lists,
    ))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def clause_new(request: HttpRequest, slug: str, number: int, code: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    if code not in catalogue.BY_CODE:
        raise NotFound(_("Cette clause n'existe pas dans le catalogue."))
    spec = catalogue.spec_for(code)
    if request.method == "GET":
        draft = _Draft(services.starting_params(code, partnership))
        form = ClauseForm(spec=spec, clause=draft)  # type: ignore[arg-type]
        return _clause_page(request, partnership, version, form)
    form = ClauseForm(request.POST, spec=spec)
    if form.is_valid():
        try:
            services.clause_add(by=request.user, version=version, code=code,
                                params=form.params(), texts=form.texts(),
                                order=form.cleaned_data.get("order"))  # fmt: skip
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Clause ajoutée."))
            return redirect(_version_url(version))
    return _clause_page(request, partnership, version, form)


class _Draft:
    """Defaults shown in the form of a clause not yet added."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.order = None

    def __getattr__(self, name: str) -> str:
        if name.startswith(("title_", "text_")):
            return ""
        raise AttributeError(name)


@login_required
@require_http_methods(["GET", "POST"])
def clause_edit(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    clause = selectors.clause_get(version=version, key=key)
    spec = catalogue.spec_for(clause.code)
    form = ClauseForm(request.POST or None, spec=spec, clause=clause)
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_update(
                by=request.user,
                clause=clause,
                params=form.params(),
                texts=form.texts(),
                order=form.cleaned_data.get("order"),
            )
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Clause enregistrée."))
            return redirect(_version_url(version) + f"#clause-{clause.key}")
    return _clause_page(request, partnership, version, form, clause=clause)


@login_required
@require_http_methods(["GET", "POST"])
def clause_remove(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    clause = selectors.clause_get(version=version, key=key)
    if request.method == "POST":
        try:
            services.clause_remove(by=request.user, clause=clause)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Clause retirée."))
        return redirect(_version_url(version))
    title = rules.clause_title(services.clause_data(clause), services.active_lang())
    return render(request, "conventions/pages/confirm.html", _context(
        request, partnership, version=version,
        question=_("Retirer la clause « %(title)s » de %(version)s ?")
        % {"title": title, "version": version.label},
        confirm_label=_("Retirer la clause"), danger=True,
    ))  # fmt: skip


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
    spec = catalogue.spec_for(code)
    form = ClauseForm(request.POST, spec=spec, clause=clause)
    lang = services.active_lang()
    context: dict[str, Any] = {"preview": True, "problems": {}, "param_errors": []}
    if not form.is_valid():
        context["param_errors"] = [f"{form.fields[f].label} : {m}" if f in form.fields else m
                                   for f, ms in form.errors.items() for m in ms]  # fmt: skip
    else:
        try:
            params = rules.validate_params(spec, form.params())
        except rules.ParamErrors as error:
            context["param_errors"] = [m.get(lang) for ms in error.errors.values() for m in ms]
        else:
            order = form.cleaned_data.get("order")
            if order is None:
                order = clause.order if clause else catalogue.DEFAULT_ORDER[code]
            texts = form.texts()
            data = rules.ClauseData(
                key=clause.key if clause else (code if not spec.repeatable else f"{code}-new"),
                code=code, order=order, params=params,
                titles={lang_: texts[f"title_{lang_}"] for lang_ in catalogue.LANGS},
                texts={lang_: texts[f"text_{lang_}"] for lang_ in catalogue.LANGS},
            )  # fmt: skip
            context["problems"] = selectors.preview_problems(version, data, lang)
    return render(request, "conventions/partials/completeness.html", context)


# --- Signatories, lifecycle, amendment -----------------------------------------------------


@login_required
@require_POST
def signatory_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    form = SignatoryForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            services.signatory_add(by=request.user, version=version, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signataire ajouté."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label} : {message}" if label else str(message))
    return redirect(_version_url(version) + "#signatories")


@login_required
@require_http_methods(["GET", "POST"])
def signatory_remove(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_CHANGE)
    signatory = selectors.signatory_get(version=version, pk=pk)
    if request.method == "POST":
        try:
            services.signatory_remove(by=request.user, signatory=signatory)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signataire retiré."))
        return redirect(_version_url(version) + "#signatories")
    return render(request, "conventions/pages/confirm.html", _context(
        request, partnership, version=version,
        question=_("Retirer %(person)s (%(org)s) des signataires ?")
        % {"person": signatory.person, "org": signatory.organization},
        confirm_label=_("Retirer"), danger=True,
    ))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def version_transition(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number)
    can = capabilities(request.user, partnership)
    choices = _status_choices(version, can)
    if not choices:
        require(request.user, Perm.CONVENTION_SIGN, partnership)  # 403 for readers
    initial = {"to_status": request.GET.get("to_status", ""),
               "effective_date": version.effective_date}  # fmt: skip
    form = VersionTransitionForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_transition(
                by=request.user, version=version, to_status=form.cleaned_data["to_status"],
                on=form.cleaned_data.get("on"),
                effective_date=form.cleaned_data.get("effective_date"),
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            version.refresh_from_db()
            messages.success(request, _("%(version)s : %(status)s.")
                             % {"version": version.label,
                                "status": version.get_status_display()})  # fmt: skip
            return redirect(_version_url(version))
    detail = selectors.version_detail_get(version=version)
    irreversible = any(code not in {"under_negotiation", "draft"} for code, _label in choices)
    return render(request, "conventions/pages/transition.html", _context(
        request, partnership, version=version, form=form, detail=detail,
        irreversible=irreversible,
    ))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.CONVENTION_CHANGE)  # fmt: skip
    convention = selectors.convention_require(partnership=partnership)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.amendment_create(by=request.user, convention=convention,
                                              purpose=form.cleaned_data["purpose"])  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Avenant n° %(n)s ouvert : il reprend le texte en vigueur, à modifier.")
                % {"n": draft.number},
            )
            draft.convention = convention
            return redirect(_version_url(draft))
    in_force = selectors.version_in_force_get(partnership=partnership, at=timezone.localdate())
    return render(request, "conventions/pages/amendment.html", _context(
        request, partnership, form=form, in_force=in_force,
    ))  # fmt: skip


# --- Files: signed copy, rendered documents ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def signed_copy_upload(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership, version = _load(request, slug, number, Perm.CONVENTION_SIGN)
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signed_copy_upload(by=request.user, version=version,
                                        upload=form.cleaned_data["signed_copy"])  # fmt: skip
        except DomainError as error:
            form.add_error("signed_copy", error.message)
        else:
            messages.success(request, _("Copie signée déposée."))
            return redirect(_version_url(version))
    return render(request, "conventions/pages/upload.html",
                  _context(request, partnership, version=version, form=form))  # fmt: skip


@login_required
def signed_copy_download(request: HttpRequest, slug: str, number: int) -> FileResponse:
    _partnership, version = _load(request, slug, number)
    if not version.signed_copy:
        raise NotFound(_("Aucune copie signée n'a été déposée."))
    name = str(version.signed_copy.name).rsplit("/", 1)[-1]
    return FileResponse(version.signed_copy.open("rb"), as_attachment=True, filename=name)


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
    convention = selectors.convention_require(partnership=partnership)
    versions = selectors.versions_of(convention=convention)
    numbers = [v.number for v in versions]

    def pick(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    new_number = pick("to", numbers[-1])
    new = next(v for v in versions if v.number == new_number)
    default_old = new.based_on.number if new.based_on else max(new_number - 1, 0)
    old_number = pick("from", default_old)
    old = next(v for v in versions if v.number == old_number)
    rows = selectors.diff_get(old=old, new=new) if old.pk != new.pk else []
    return render(request, "conventions/pages/diff.html", _context(
        request, partnership, convention=convention, versions=versions, old=old, new=new,
        rows=rows,
    ))  # fmt: skip
