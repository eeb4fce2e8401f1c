"""Minutes: close the session and draft, read, write the debates, sign, publish, errata,
the PDF; the public portal's published minutes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.pages import confirm_page, form_page
from sharaka.meetings import rules, selectors, services
from sharaka.meetings.forms import ErratumForm, MinutesForm, SignForm
from sharaka.meetings.models import MinutesSignature, SignatureRole
from sharaka.meetings.views.common import (
    _context,
    _doc_lang,
    _format_day,
    _frame,
    _managed,
    _meeting,
    _minutes,
    _pdf_response,
    meeting_page_path,
    meeting_path,
    page_data,
)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_draft(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """Close the session and draft the minutes — or take the session's record again into a
    draft (the texts written are kept)."""
    partnership, meeting = _managed(request, slug, meeting_id)
    redraft = meeting.lifecycle_status is rules.MeetingStatus.MINUTES_DRAFTED
    return confirm_page(
        request, act=lambda _data: services.minutes_draft(by=request.user, meeting=meeting),
        success=_("Procès-verbal rédigé à partir de la séance : relisez-le et complétez les "
                  "débats."),
        done=meeting_page_path("minutes", meeting), cancel=meeting_path(meeting),
        frame=_frame(request, partnership, meeting), danger=not redraft,
        title=_("Mettre à jour le projet") if redraft else _("Clore la séance"),
        question=_("Reprendre le relevé de la séance dans le projet de procès-verbal ? Vos "
                   "textes (ouverture, débats, clôture) sont conservés.")
        if redraft else _("Clore la séance et rédiger le procès-verbal ?"),
        details=[] if redraft else [_("Après la clôture, on ne note plus de présence ni de "
                                      "vote pour cette séance.")],
        confirm_label=_("Mettre à jour") if redraft else _("Clore la séance"),
    )  # fmt: skip


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


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    minutes = selectors.minutes_get(meeting)
    form = MinutesForm(request.POST or None, minutes=minutes)
    back = meeting_page_path("minutes", meeting)
    return form_page(
        request, form,
        save=lambda data: services.minutes_update(
            by=request.user, minutes=minutes, opening_text=data["opening_text"],
            closing_text=data["closing_text"], item_notes=form.item_notes()),
        success=_("Projet de procès-verbal enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Rédiger le procès-verbal"),
        intro=_("Le relevé de la séance (présences, quorum, votes, explications, décisions) ne "
                "se modifie pas ici : il vient des données de la séance. Écrivez l'ouverture, "
                "les débats de chaque point et la clôture."),
        submit=_("Enregistrer le projet"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def minutes_sign(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting, minutes = _minutes(request, slug, meeting_id)
    form = SignForm(request.POST or request.GET or None)
    role = str(dict(SignatureRole.choices).get(form.data.get("role", ""), "")).lower()
    back = meeting_page_path("minutes", meeting)
    return confirm_page(
        request, form=form,
        act=lambda data: services.minutes_sign(by=request.user, minutes=minutes,
                                               role=data["role"]),
        success=_signed, done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Signer le procès-verbal"),
        question=_("Signer le procès-verbal de la réunion du %(day)s en qualité de %(role)s ?")
        % {"day": _format_day(meeting.day), "role": role or "…"},
        details=[_("Une fois signé par le ou la président·e et le ou la secrétaire, le "
                   "procès-verbal ne change plus ; une correction se fait par un erratum.")],
        confirm_label=_("Signer"),
    )  # fmt: skip


def _signed(signature: MinutesSignature) -> str:
    if signature.minutes.is_signed:
        return _("Procès-verbal signé : il ne changera plus.")
    return _("Signature enregistrée.")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_publish(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    back = meeting_page_path("minutes", meeting)
    return confirm_page(
        request, act=lambda _data: services.meeting_publish(by=request.user, meeting=meeting),
        success=_("Procès-verbal publié sur le portail public."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Publier le procès-verbal"),
        question=_("Publier le procès-verbal signé sur le portail public ?"),
        details=[_("Toute personne pourra le lire. Les votes à bulletin secret n'y figurent "
                   "que par leur décompte.")],
        confirm_label=_("Publier"), danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def erratum_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    minutes = selectors.minutes_get(meeting)
    back = meeting_page_path("minutes", meeting)
    return form_page(
        request, ErratumForm(request.POST or None),
        save=lambda data: services.erratum_add(by=request.user, minutes=minutes,
                                               text=data["text"]),
        success=_("Erratum enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Erratum au procès-verbal"),
    )  # fmt: skip


# --- Public portal ---------------------------------------------------------------------------


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
