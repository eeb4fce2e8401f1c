"""Meetings and their convocation: the list, the meeting page, create and change, convene,
remind, the calendar invitation, open the session, a second convocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm, require_open
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.pages import confirm_page, form_page
from sharaka.meetings import notices, rules, selectors, services
from sharaka.meetings.access import board_capabilities
from sharaka.meetings.forms import DocumentForm, ItemForm, MeetingForm, ReconveneForm
from sharaka.meetings.models import Meeting, MeetingNotice
from sharaka.meetings.views.common import (
    _context,
    _format_day,
    _frame,
    _managed,
    _meeting,
    _meeting_url,
    meeting_page_path,
    meeting_path,
    page_data,
)


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    view = selectors.meeting_list_view_get(user=request.user, partnership=partnership, board=board)
    context = _context(request, partnership, **page_data(view))
    return render(request, "meetings/pages/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    if board is None:
        raise NotFound(_("Ce partenariat n'a pas encore de conseil."))
    day = selectors.today()
    if Perm.MEETING_MANAGE not in board_capabilities(
        request.user, partnership, board_id=board.pk, day=day
    ):
        require_open(partnership)  # a terminated partnership says why
        raise AccessDenied()
    return form_page(
        request, MeetingForm(request.POST or None),
        save=lambda data: services.meeting_create(by=request.user, partnership=partnership,
                                                  fields=data),
        success=_("Réunion créée : préparez l'ordre du jour puis convoquez."),
        done=meeting_path, cancel=reverse("meetings:list", kwargs={"slug": slug}),
        frame=_frame(request, partnership), title=_("Nouvelle réunion du conseil"),
        submit=_("Créer"), intro=_notice_checked(),
    )  # fmt: skip


def _notice_checked() -> str:
    return _("Le délai de convocation des règles en vigueur sera vérifié à l'envoi de la "
             "convocation.")  # fmt: skip


@login_required
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    view = selectors.meeting_view_get(user=request.user, meeting=meeting)
    forms = {
        "item_form": ItemForm(
            minutes_choices=selectors.previous_minutes_choices(meeting), user=request.user
        )
        if view.can_add_items
        else None,
        "document_form": DocumentForm(meeting=meeting) if view.can_add_documents else None,
    }
    context = _context(request, partnership, **page_data(view), **forms)
    return render(request, "meetings/pages/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    form = MeetingForm(request.POST or None, instance=meeting)
    back = meeting_path(meeting)
    return form_page(
        request, form,
        save=lambda data: services.meeting_update(
            by=request.user, meeting=meeting,
            fields={name: data[name] for name in form.changed_data},
        ),
        success=_("Modifications enregistrées."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Modifier la réunion"),
        intro=_notice_checked(),
    )  # fmt: skip


# --- Convocation, session --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_convene(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    back = meeting_path(meeting)
    if request.method == "GET" and meeting.lifecycle_status is not rules.MeetingStatus.PLANNED:
        messages.info(request, _("Cette réunion est déjà convoquée."))
        return redirect(back)
    return confirm_page(
        request, act=lambda _data: _convene(request, meeting),
        success=lambda notice: _("Convocation mise en file d'attente pour %(n)s "
                                 "destinataires ; le journal des envois dit qui l'a reçue.")
        % {"n": len(notice.to_send)},
        done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Convoquer le conseil"),
        question=_("Envoyer la convocation à la réunion du %(day)s ?")
        % {"day": _format_day(meeting.day)},
        details=_convocation_details(selectors.convocation_view_get(meeting=meeting)),
        confirm_label=_("Envoyer la convocation"), danger=False,
    )  # fmt: skip


def _convene(request: HttpRequest, meeting: Meeting) -> MeetingNotice:
    """Send the convocation; say who could not be reached by e-mail."""
    notice = services.meeting_convene(
        by=request.user, meeting=meeting, url=_meeting_url(request, meeting)
    )
    if notice.missing:
        messages.warning(
            request,
            _("Sans adresse électronique (à convoquer autrement) : %(names)s.")
            % {"names": ", ".join(notice.missing)},
        )
    return notice


def _convocation_details(preview: selectors.ConvocationPreview) -> list[str]:
    return [
        _("Délai de convocation : %(days)s jours (%(source)s).")
        % {"days": preview.rules.notice_period_days, "source": preview.rules.source_label},
        _("Dernier jour pour convoquer cette réunion : %(day)s.")
        % {"day": _format_day(preview.latest_day)},
        _(
            "Destinataires : %(members)s membres et %(experts)s experts, avec l'invitation "
            "d'agenda (iCalendar)."
        )
        % {"members": preview.members, "experts": preview.experts},
        _("Après l'envoi, la date, le lieu et l'ordre du jour ne changent plus."),
    ]


@login_required
@require_POST
def meeting_remind(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    back = meeting_path(meeting)
    return confirm_page(
        request, act=lambda _data: services.meeting_remind(
            by=request.user, meeting=meeting, url=_meeting_url(request, meeting)),
        success=lambda notice: _("Rappel mis en file d'attente pour %(n)s destinataires ; "
                                 "le journal des envois dit qui l'a reçu.")
        % {"n": len(notice.to_send)},
        done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Envoyer un rappel"),
        question=_("Envoyer un rappel de la réunion du %(day)s à ses membres et experts ?")
        % {"day": _format_day(meeting.day)},
        confirm_label=_("Envoyer un rappel"), danger=False,
    )  # fmt: skip


@login_required
def meeting_ics(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    data = notices.ics_for(
        meeting, selectors.items_of(meeting), [], host=notices.uid_host(request.get_host()),
        method="PUBLISH",
    )  # fmt: skip
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_open(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    return confirm_page(
        request, act=lambda _data: services.meeting_open(by=request.user, meeting=meeting),
        success=_("Séance ouverte : notez les présences."),
        done=meeting_page_path("attendance", meeting), cancel=meeting_path(meeting),
        frame=_frame(request, partnership, meeting), title=_("Ouvrir la séance"),
        question=_("Ouvrir la séance du %(day)s ?") % {"day": _format_day(meeting.day)},
        details=[_("Vous noterez ensuite les présences ; le conseil ne délibère que si le "
                   "quorum est atteint.")],
        confirm_label=_("Ouvrir la séance"), danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reconvene(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    form = ReconveneForm(
        request.POST or None, initial={"place": meeting.place, "video_link": meeting.video_link}
    )
    return form_page(
        request, form,
        save=lambda data: services.meeting_reconvene(by=request.user, meeting=meeting, **data),
        success=_("Seconde réunion créée avec le même ordre du jour : convoquez-la."),
        done=meeting_path, cancel=meeting_path(meeting),
        frame=_frame(request, partnership, meeting), title=_("Seconde convocation"),
        intro=_reconvene_intro(selectors.reconvene_quorum_get(meeting=meeting)),
    )  # fmt: skip


def _reconvene_intro(quorum: object) -> str:
    if quorum is None:
        return _(
            "Le quorum n'est pas atteint. Les règles en vigueur ne prévoient pas de quorum "
            "réduit : le même quorum s'appliquera."
        )
    return _(
        "Le quorum n'est pas atteint. Les règles en vigueur fixent le quorum de seconde "
        "convocation à %(quorum)s."
    ) % {"quorum": quorum}
