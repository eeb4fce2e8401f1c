"""Partner selection pages: a partnership's candidates, gaps, choices and calls; partner
profiles; the public call and its application form. Thin: a selector (which checks
access) or a service through ``core.pages``."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.pages import Frame, confirm_page, form_page, submit_form
from sharaka.core.uploads import stored_file_response
from sharaka.directory.models import Organization
from sharaka.partners import selection_access
from sharaka.partners import selection_selectors as selectors
from sharaka.partners import selection_services as services
from sharaka.partners.selection_forms import (
    ApplicationForm,
    CallForm,
    CandidateSearchForm,
    ChoiceForm,
    ProfileLineForm,
    ProfileOpenForm,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import HEADER, partnership_page

PROFILE_TEMPLATE = "partners/pages/profile.html"
PROFILE_NAV = ("partners/partials/profiles_head.html",)


def _selection_url(slug: str, anchor: str = "") -> str:
    return reverse("partners:selection", kwargs={"slug": slug}) + anchor


def _frame(request: HttpRequest, partnership: Partnership) -> Frame:
    return Frame(partnership_page(request, partnership, "selection"), nav=(HEADER,))


def _profile_url(pk: int) -> str:
    return reverse("partners:profile", kwargs={"pk": pk})


def _profile_frame(organization: Organization | None = None) -> Frame:
    return Frame({"organization": organization, "nav_section": "partners"}, nav=PROFILE_NAV)


@login_required
def selection(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    search = CandidateSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    view = selectors.selection_view_get(user=request.user, partnership=partnership, query=query,
                                        after=request.GET.get("after", "")[:60])  # fmt: skip
    context = partnership_page(request, partnership, "selection", view=view, search=search)
    return render(request, "partners/pages/selection.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def choice_record(request: HttpRequest, slug: str, organization: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.ADMISSIBILITY_DECIDE)  # fmt: skip
    candidate = selectors.organization_in_directory(pk=organization)
    return form_page(
        request, ChoiceForm(request.POST or None),
        save=lambda data: services.choice_record(
            by=request.user, partnership=partnership, organization=candidate,
            decision=data["decision"], reason=data["reason"]),
        success=_("Choix enregistré."), done=_selection_url(slug, "#choices"),
        cancel=_selection_url(slug), frame=_frame(request, partnership),
        title=_("Choisir : %(name)s") % {"name": candidate.name}, submit=_("Enregistrer le choix"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def call_open(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug,
                                            perm=Perm.ADMISSIBILITY_DECIDE)  # fmt: skip
    return form_page(
        request, CallForm(request.POST or None),
        save=lambda data: services.call_open(by=request.user, partnership=partnership, **data),
        success=_("Appel à manifestation d'intérêt ouvert."),
        done=lambda call: reverse("partners:call", kwargs={"pk": call.pk}),
        cancel=_selection_url(slug), frame=_frame(request, partnership),
        title=_("Ouvrir un appel à manifestation d'intérêt"), submit=_("Ouvrir l'appel"),
    )  # fmt: skip


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    view = selectors.call_view_get(user=request.user, call=call)
    context = partnership_page(request, call.partnership, "selection", view=view, call=call)
    return render(request, "partners/pages/call.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def applications_seen(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    back = reverse("partners:call", kwargs={"pk": pk})
    return confirm_page(
        request, act=lambda _data: services.applications_seen(by=request.user, call=call),
        success=_("Candidatures marquées comme vues."), done=back, cancel=back,
        frame=_frame(request, call.partnership), danger=False,
        question=_("Marquer les candidatures de « %(title)s » comme vues ? Elles quittent "
                   "votre liste de choses à faire.") % {"title": call.title},
        confirm_label=_("Marquer comme vues"),
    )  # fmt: skip


# --- Public: the call and its application form (no account) -------------------------------------


@require_http_methods(["GET", "POST"])
def public_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The public form: CSRF, throttled per address (429), documents checked by content."""
    call = selectors.public_call_get(pk=pk)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        ip_address = get_client_ip_address(request) or "unknown"
        attempt = submit_form(form, lambda data: services.application_submit(
            call=call, fields=data, ip_address=ip_address))  # fmt: skip
        if attempt.saved and attempt.result is not None:
            return redirect("partners:application_status", token=attempt.result.token)
        status = attempt.status if attempt.status != 200 else 400
    context = {"call": call, "form": form}
    return render(request, "partners/pages/public_call.html", context, status=status)


@require_http_methods(["GET"])
def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's own view of its application, through its private link (no account,
    ADR 0039): whoever holds the link reads it; any other token is a 404."""
    view = selectors.application_status_get(token=token)
    response = render(request, "partners/pages/application_status.html", {"view": view})
    response["Referrer-Policy"] = "no-referrer"  # the link never leaves in a Referer
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def public_call_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.public_call_get(pk=pk)
    return render(request, "partners/pages/public_call_thanks.html", {"call": call})


# --- Partner profiles ------------------------------------------------------------------------


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    selection_access.require_profiles(request.user, Perm.ADMISSIBILITY_VIEW)
    form = ProfileOpenForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect("partners:profile", pk=form.cleaned_data["organization"].pk)
    context = {"form": form, "title": _("Profils des partenaires"), "submit": _("Ouvrir"),
               **_profile_frame().context, "nav": PROFILE_NAV}  # fmt: skip
    return render(request, "partners/pages/profiles.html", context)


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    view = selectors.profile_view_get(user=request.user, organization=organization)
    context = {"view": view, "can": view.can, "line_form": ProfileLineForm(),
               **_profile_frame(organization).context}  # fmt: skip
    return render(request, PROFILE_TEMPLATE, context)


@login_required
@require_http_methods(["POST"])
def profile_set(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk,
                                              perm=Perm.ADMISSIBILITY_CHANGE)  # fmt: skip
    view = selectors.profile_view_get(user=request.user, organization=organization)
    return form_page(
        request, ProfileLineForm(request.POST, request.FILES),
        save=lambda data: services.profile_set(by=request.user, organization=organization,
                                               **data),
        success=_("Compétence enregistrée."), done=_profile_url(pk),
        frame=_profile_frame(organization), title=organization.name, template=PROFILE_TEMPLATE,
        form_key="line_form", invalid_status=422, extra={"view": view, "can": view.can},
    )  # fmt: skip


@login_required
def profile_document(request: HttpRequest, pk: int, line: int) -> FileResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    item = selectors.profile_line_get(organization=organization, pk=line)
    if not item.document:
        raise NotFound()
    return stored_file_response(
        item.document, filename=item.original_name, content_type=item.content_type,
        attachment=item.content_type == "application/pdf",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def profile_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk,
                                              perm=Perm.ADMISSIBILITY_CHANGE)  # fmt: skip
    item = selectors.profile_line_get(organization=organization, pk=line)
    return confirm_page(
        request, act=lambda _data: services.profile_remove(by=request.user, line=item),
        success=_("Compétence retirée du profil."), done=_profile_url(pk),
        cancel=_profile_url(pk), frame=_profile_frame(organization),
        question=_("Retirer « %(competence)s » du profil de %(name)s ?")
        % {"competence": item.competence.label, "name": organization.name},
        confirm_label=_("Retirer"),
    )  # fmt: skip
