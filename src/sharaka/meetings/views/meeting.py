"""Meetings and their convocation: the list, the meeting page, create and change, convene,
remind, the calendar invitation, open the session, a second convocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.meetings import rules, selectors, services
from sharaka.meetings.access import board_capabilities
from sharaka.meetings.forms import (
    DocumentForm,
    ItemForm,
    MeetingForm,
    ReconveneForm,
)
from sharaka.meetings.views.common import (
    _back,
    _confirm,
    _context,
    _error,
    _format_day,
    _meeting,
    _meeting_path,
    _meeting_url,
    _require,
    page_data,
)
from sharaka.partnerships.models import Partnership


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    view = selectors.meeting_list_view_get(user=request.user, partnership=partnership, board=board)
    context = _context(request, partnership, **page_data(view))
    return render(request, "meetings/pages/list.html", context)


@login_required
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    view = selectors.meeting_view_get(user=request.user, meeting=meeting)
    forms = {
        "item_form": ItemForm(minutes_choices=selectors.previous_minutes_choices(meeting))
        if view.can_add_items
        else None,
        "document_form": DocumentForm(meeting=meeting) if view.can_add_documents else None,
    }
    context = _context(request, partnership, **page_data(view), **forms)
    return render(request, "meetings/pages/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    if board is None:
        raise NotFound(_("Ce partenariat n'a pas encore de conseil."))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                by=request.user, partnership=partnership, fields=form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Réunion créée : préparez l'ordre du jour puis convoquez."))
            return _back(meeting)
    elif request.method == "GET" and not meeting_can_create(request, partnership, board.pk):
        from sharaka.core.errors import AccessDenied

        raise AccessDenied()
    return render(
        request,
        "meetings/pages/meeting_form.html",
        _context(request, partnership, form=form, creating=True),
    )


def meeting_can_create(request: HttpRequest, partnership: Partnership, board_id: int) -> bool:
    return Perm.MEETING_MANAGE in board_capabilities(
        request.user, partnership, board_id=board_id, day=selectors.today()
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            services.meeting_update(by=request.user, meeting=meeting, fields=fields)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return _back(meeting)
    return render(
        request,
        "meetings/pages/meeting_form.html",
        _context(request, partnership, form=form, meeting=meeting, creating=False),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_convene(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    if request.method == "POST":
        try:
            notice = services.meeting_convene(
                by=request.user, meeting=meeting, url=_meeting_url(request, meeting)
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                _("Convocation envoyée à %(n)s destinataires.") % {"n": len(notice.recipients)},
            )
            if notice.missing:
                messages.warning(
                    request,
                    _("Sans adresse électronique (à convoquer autrement) : %(names)s.")
                    % {"names": ", ".join(notice.missing)},
                )
        return _back(meeting)
    if meeting.lifecycle_status is not rules.MeetingStatus.PLANNED:
        messages.info(request, _("Cette réunion est déjà convoquée."))
        return _back(meeting)
    from sharaka.governance.selectors import rules_in_force_get

    in_force = rules_in_force_get(partnership=partnership, at=meeting.day)
    latest = rules.latest_convocation_day(meeting.day, in_force.notice_period_days)
    roll = selectors.roll_get(meeting=meeting)
    details = [
        _("Délai de convocation : %(days)s jours (%(source)s).")
        % {"days": in_force.notice_period_days, "source": in_force.source_label},
        _("Dernier jour pour convoquer cette réunion : %(day)s.") % {"day": _format_day(latest)},
        _(
            "Destinataires : %(members)s membres et %(experts)s experts, avec l'invitation "
            "d'agenda (iCalendar)."
        )
        % {"members": len(roll.voting), "experts": len(roll.experts)},
        _("Après l'envoi, la date, le lieu et l'ordre du jour ne changent plus."),
    ]
    return _confirm(
        request,
        partnership,
        title=_("Convoquer le conseil"),
        question=_("Envoyer la convocation à la réunion du %(day)s ?")
        % {"day": _format_day(meeting.day)},
        confirm_label=_("Envoyer la convocation"),
        cancel_url=_meeting_path(meeting),
        details=details,
    )


@login_required
@require_POST
def meeting_remind(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    try:
        notice = services.meeting_remind(
            by=request.user, meeting=meeting, url=_meeting_url(request, meeting)
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        _error(request, error)
    else:
        messages.success(
            request, _("Rappel envoyé à %(n)s destinataires.") % {"n": len(notice.recipients)}
        )
    return _back(meeting)


@login_required
def meeting_ics(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    from sharaka.meetings import notices

    _partnership, meeting = _meeting(request, slug, meeting_id)
    data = notices.ics_for(meeting, selectors.items_of(meeting), [])
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_open(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    if request.method == "POST":
        try:
            services.meeting_open(by=request.user, meeting=meeting)
        except DomainError as error:
            _error(request, error)
            return _back(meeting)
        messages.success(request, _("Séance ouverte : notez les présences."))
        return redirect("meetings:attendance", slug=slug, meeting_id=meeting.pk)
    return _confirm(
        request,
        partnership,
        title=_("Ouvrir la séance"),
        question=_("Ouvrir la séance du %(day)s ?") % {"day": _format_day(meeting.day)},
        confirm_label=_("Ouvrir la séance"),
        cancel_url=_meeting_path(meeting),
        details=[
            _(
                "Vous noterez ensuite les présences ; le conseil ne délibère que si le quorum "
                "est atteint."
            )
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reconvene(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = ReconveneForm(
        request.POST or None, initial={"place": meeting.place, "video_link": meeting.video_link}
    )
    if request.method == "POST" and form.is_valid():
        try:
            second = services.meeting_reconvene(
                by=request.user, meeting=meeting, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Seconde réunion créée avec le même ordre du jour : convoquez-la.")
            )
            return _back(second)
    from sharaka.governance.selectors import rules_in_force_get

    in_force = rules_in_force_get(partnership=partnership, at=meeting.day)
    return render(
        request,
        "meetings/pages/form.html",
        _context(
            request,
            partnership,
            meeting=meeting,
            form=form,
            title=_("Seconde convocation"),
            intro=_(
                "Le quorum n'est pas atteint. Les règles en vigueur fixent le quorum de seconde "
                "convocation à %(quorum)s."
            )
            % {"quorum": in_force.second_convocation_quorum}
            if in_force.second_convocation_quorum is not None
            else _(
                "Le quorum n'est pas atteint. Les règles en vigueur ne prévoient pas de quorum "
                "réduit : le même quorum s'appliquera."
            ),
        ),
    )
