"""Minutes: close the session and draft, read, write the debates, sign, publish, errata,
the PDF; the public portal's published minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error
from sharaka.meetings import rules, selectors, services
from sharaka.meetings.forms import (
    ErratumForm,
    MinutesForm,
    SignForm,
)
from sharaka.meetings.models import (
    SignatureRole,
)
from sharaka.meetings.views.common import (
    _back,
    _confirm,
    _context,
    _doc_lang,
    _error,
    _format_day,
    _meeting,
    _meeting_path,
    _minutes,
    _pdf_response,
    _require,
    page_data,
)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_draft(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    redraft = meeting.lifecycle_status is rules.MeetingStatus.MINUTES_DRAFTED
    if request.method == "POST":
        try:
            services.minutes_draft(by=request.user, meeting=meeting)
        except DomainError as error:
            _error(request, error)
            return _back(meeting)
        messages.success(
            request,
            _("Procès-verbal rédigé à partir de la séance : relisez-le et complétez les débats."),
        )
        return redirect("meetings:minutes", slug=slug, meeting_id=meeting.pk)
    return _confirm(
        request,
        partnership,
        title=_("Mettre à jour le projet") if redraft else _("Clore la séance"),
        question=_(
            "Reprendre le relevé de la séance dans le projet de procès-verbal ? Vos textes "
            "(ouverture, débats, clôture) sont conservés."
        )
        if redraft
        else _("Clore la séance et rédiger le procès-verbal ?"),
        confirm_label=_("Mettre à jour") if redraft else _("Clore la séance"),
        cancel_url=_meeting_path(meeting),
        danger=not redraft,
        details=[]
        if redraft
        else [_("Après la clôture, on ne note plus de présence ni de vote pour cette séance.")],
    )


@login_required
def minutes_view(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    view = selectors.minutes_view_get(user=request.user, meeting=meeting, lang=_doc_lang(request))
    context = _context(request, partnership, **page_data(view))
    return render(request, "meetings/pages/minutes.html", context)


@login_required
def minutes_pdf(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, _meeting_obj, minutes = _minutes(request, slug, meeting_id)
    return _pdf_response(minutes, _doc_lang(request))


def public_minutes(request: HttpRequest, slug: str) -> HttpResponse:
    view = selectors.public_minutes_list_get(slug=slug)
    return render(request, "meetings/pages/public_list.html", page_data(view))


def public_minutes_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    lang = _doc_lang(request)
    minutes = selectors.public_minutes_get(slug=slug, meeting_id=meeting_id)
    if request.GET.get("format") == "pdf":
        return _pdf_response(minutes, lang)
    view = selectors.public_minutes_view_get(minutes=minutes, lang=lang)
    return render(request, "meetings/pages/public_minutes.html", page_data(view))


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting, minutes = _minutes(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = MinutesForm(request.POST or None, minutes=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update(
                by=request.user,
                minutes=minutes,
                opening_text=form.cleaned_data["opening_text"],
                closing_text=form.cleaned_data["closing_text"],
                item_notes=form.item_notes(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Projet de procès-verbal enregistré."))
            return redirect("meetings:minutes", slug=slug, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/pages/minutes_edit.html",
        _context(request, partnership, meeting=meeting, minutes=minutes, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_sign(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting, minutes = _minutes(request, slug, meeting_id)
    form = SignForm(request.POST or request.GET or None)
    back = reverse("meetings:minutes", kwargs={"slug": slug, "meeting_id": meeting.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_sign(by=request.user, minutes=minutes, role=form.cleaned_data["role"])
        except DomainError as error:
            if error.status == 404:
                raise
            _error(request, error)
        else:
            minutes.refresh_from_db()
            messages.success(
                request,
                _("Signature enregistrée.")
                if not minutes.is_signed
                else _("Procès-verbal signé : il ne changera plus."),
            )
        return redirect(back)
    role = form.data.get("role", "") if form.is_bound else ""
    role_label = str(dict(SignatureRole.choices).get(role, "")).lower()
    return _confirm(
        request,
        partnership,
        title=_("Signer le procès-verbal"),
        question=_("Signer le procès-verbal de la réunion du %(day)s en qualité de %(role)s ?")
        % {"day": _format_day(meeting.day), "role": role_label or "…"},
        confirm_label=_("Signer"),
        cancel_url=back,
        danger=True,
        form=form,
        details=[
            _(
                "Une fois signé par le ou la président·e et le ou la secrétaire, le "
                "procès-verbal ne change plus ; une correction se fait par un erratum."
            )
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_publish(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    back = reverse("meetings:minutes", kwargs={"slug": slug, "meeting_id": meeting.pk})
    if request.method == "POST":
        try:
            services.meeting_publish(by=request.user, meeting=meeting)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Procès-verbal publié sur le portail public."))
        return redirect(back)
    return _confirm(
        request,
        partnership,
        title=_("Publier le procès-verbal"),
        question=_("Publier le procès-verbal signé sur le portail public ?"),
        confirm_label=_("Publier"),
        cancel_url=back,
        details=[
            _(
                "Toute personne pourra le lire. Les votes à bulletin secret n'y figurent que "
                "par leur décompte."
            )
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def erratum_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting, minutes = _minutes(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = ErratumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erratum_add(by=request.user, minutes=minutes, text=form.cleaned_data["text"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Erratum enregistré."))
            return redirect("meetings:minutes", slug=slug, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/pages/form.html",
        _context(
            request, partnership, meeting=meeting, form=form, title=_("Erratum au procès-verbal")
        ),
    )
