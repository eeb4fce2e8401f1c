"""Attendance and votes: the roll call, the quorum panel, an agenda item with its conflicts
of interest, motions and ballots."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import selectors, services
from sharaka.meetings.access import meeting_capabilities
from sharaka.meetings.forms import (
    AttendanceForm,
    CastForm,
    MotionForm,
    RecordForm,
    RecusalForm,
)
from sharaka.meetings.views.common import (
    _confirm,
    _context,
    _error,
    _form_errors,
    _meeting,
    _motion,
    _require,
    _to_item,
    page_data,
)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    view = selectors.attendance_view_get(user=request.user, meeting=meeting)
    form = AttendanceForm(request.POST or None, roll=view.roll) if view.editable else None
    saved = False
    if request.method == "POST":
        _require(request, Perm.MEETING_MANAGE, meeting)
        if form is None:
            # The roll is closed (e.g. the meeting is over or published): the service says
            # why, and the page shows it instead of failing.
            try:
                services.attendance_update(by=request.user, meeting=meeting, entries={})
            except DomainError as error:
                _error(request, error)
            return redirect("meetings:attendance", slug=slug, meeting_id=meeting.pk)
        if form.is_valid():
            entries = {
                mandate: services.AttendanceInput(status, holder, reference)
                for mandate, (status, holder, reference) in form.entries().items()
            }
            try:
                services.attendance_update(by=request.user, meeting=meeting, entries=entries)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                saved = True
                if not request.htmx:  # type: ignore[attr-defined]
                    messages.success(request, _("Présences enregistrées."))
                    return redirect("meetings:attendance", slug=slug, meeting_id=meeting.pk)
                view = selectors.attendance_view_get(user=request.user, meeting=meeting)
                form = AttendanceForm(roll=view.roll)
    context = _context(request, partnership, **page_data(view), form=form, saved=saved)
    template = "meetings/pages/attendance.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#sheet"
    return render(request, template, context)


@login_required
def item_detail(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    view = selectors.item_view_get(
        user=request.user, meeting=meeting, item_id=item_id, lang=engine_lang()
    )
    context = _context(request, partnership, **(page_data(view) | _item_forms(view)))
    return render(request, "meetings/pages/item.html", context)


def _item_forms(view: selectors.ItemPage) -> dict[str, Any]:
    """The forms the view model offers: a ballot per cast option, the secretariat's sheet,
    opening the vote, declaring a conflict of interest."""
    recusal = view.recusal
    return {
        "motions": [_motion_forms(panel) for panel in view.motions],
        "motion_form": MotionForm(roll=view.roll, item=view.item) if view.can_open_motion else None,
        "recusal_form": RecusalForm(
            roll=view.roll, own_mandate=recusal.own_mandate, manage=recusal.manage
        )
        if recusal
        else None,
    }


def _motion_forms(panel: selectors.MotionPanel) -> dict[str, Any]:
    return {
        **page_data(panel),
        "casts": [
            {"label": c.label, "form": CastForm(for_mandate=c.for_mandate)} for c in panel.casts
        ],
        "record_form": RecordForm(voters=list(panel.record_voters))
        if panel.record_voters
        else None,
    }


@login_required
def quorum_panel(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """The live quorum panel (htmx polls it during the session)."""
    partnership, meeting = _meeting(request, slug, meeting_id)
    roll = selectors.roll_get(meeting=meeting)
    context = {"partnership": partnership, "meeting": meeting, "roll": roll, "live": True}
    context["quorum"] = selectors.quorum_or_none(roll)
    return render(request, "meetings/partials/quorum.html", context)


@login_required
@require_POST
def recusal_declare(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    can = meeting_capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    own = selectors.member_rows_for_user(roll, request.user)
    form = RecusalForm(
        request.POST,
        roll=roll,
        own_mandate=own[0].mandate.pk if own else None,
        manage=(Perm.MEETING_MANAGE in can),
    )
    if form.is_valid():
        try:
            services.recusal_declare(
                by=request.user,
                item=item,
                mandate_id=form.cleaned_data.get("mandate"),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            _error(request, error)
        else:
            messages.success(
                request,
                _(
                    "Conflit d'intérêts noté : le membre ne prend part ni au "
                    "quorum ni au vote de ce point."
                ),
            )
    else:
        _form_errors(request, form)
    return redirect("meetings:item", slug=slug, meeting_id=meeting.pk, item_id=item.pk)


@login_required
@require_POST
def motion_open(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    roll = selectors.roll_get(meeting=meeting)
    form = MotionForm(request.POST, roll=roll, item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.motion_open(
                by=request.user,
                item=item,
                text=data["text"],
                voting_mode=data["voting_mode"],
                decision_kind=data["decision_kind"],
                appoint_role=data.get("appoint_role") or "",
                appoint_mandate_id=data.get("appoint_mandate"),
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Le vote est ouvert."))
    else:
        _form_errors(request, form)
    return redirect("meetings:item", slug=slug, meeting_id=meeting.pk, item_id=item.pk)


@login_required
@require_POST
def ballot_cast(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    _partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    for_mandate = request.POST.get("for_mandate") or None
    prefix = f"p{for_mandate}" if for_mandate else None
    form = CastForm(
        request.POST,
        prefix=prefix,
        for_mandate=int(for_mandate) if for_mandate and for_mandate.isdigit() else None,
    )
    if form.is_valid():
        try:
            services.ballot_cast(
                by=request.user,
                motion=motion,
                choice=form.cleaned_data["choice"],
                for_mandate_id=form.cleaned_data.get("for_mandate"),
            )
        except DomainError as error:
            if error.status == 404:
                raise
            _error(request, error)
        else:
            messages.success(request, _("Votre vote est enregistré."))
    else:
        messages.error(request, _("Choisissez pour, contre ou abstention."))
    motion.item.meeting = meeting
    return _to_item(motion)


@login_required
@require_POST
def ballot_record(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    _partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    roll = selectors.roll_get(meeting=meeting)
    form = RecordForm(request.POST, voters=roll.voting)
    if form.is_valid():
        try:
            recorded = services.ballots_record(
                by=request.user, motion=motion, choices=form.choices()
            )
        except DomainError as error:
            if error.status == 404:
                raise
            _error(request, error)
        else:
            messages.success(request, _("%(n)s votes enregistrés.") % {"n": len(recorded)})
    motion.item.meeting = meeting
    return _to_item(motion)


@login_required
@require_http_methods(["GET", "POST"])
def motion_close(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    motion.item.meeting = meeting
    if request.method == "POST":
        try:
            result = services.motion_close(by=request.user, motion=motion)
        except DomainError as error:
            _error(request, error)
        else:
            if result.decision is not None:
                messages.success(
                    request,
                    _("Vote clos : motion adoptée, décision %(number)s.")
                    % {"number": result.decision.number},
                )
            else:
                messages.warning(request, _("Vote clos : la motion n'est pas adoptée."))
            if result.appointment_error:
                messages.warning(
                    request,
                    _(
                        "La nomination n'a pas pu être appliquée au bureau "
                        "(%(error)s) : appliquez-la depuis la décision."
                    )
                    % {"error": result.appointment_error},
                )
        return _to_item(motion)
    count = motion.ballots.count()
    return _confirm(
        request,
        partnership,
        title=_("Clore le vote"),
        question=_("Clore le vote sur « %(title)s » (tour %(round)s) ?")
        % {"title": motion.item.title, "round": motion.round},
        confirm_label=_("Clore le vote"),
        danger=True,
        cancel_url=reverse(
            "meetings:item",
            kwargs={"slug": slug, "meeting_id": meeting.pk, "item_id": motion.item_id},
        ),
        details=[
            _("%(n)s bulletins reçus.") % {"n": count},
            _("Après la clôture, plus aucun bulletin n'est accepté et le résultat ne change plus."),
        ],
    )


@login_required
@require_POST
def motion_next_round(
    request: HttpRequest, slug: str, meeting_id: int, motion_id: int
) -> HttpResponse:
    _partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    motion.item.meeting = meeting
    try:
        services.motion_next_round(by=request.user, motion=motion)
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Nouveau tour de vote ouvert."))
    return _to_item(motion)
