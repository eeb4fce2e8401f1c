"""Attendance and votes: the roll call, the quorum panel, an agenda item with its conflicts
of interest, motions and ballots. Who may vote, for whom, and what the secretariat records is
decided by the view models (``selectors.item_view_get``); the views build the forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.forms import Form
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import selectors, services
from sharaka.meetings.access import meeting_require
from sharaka.meetings.forms import AttendanceForm, CastForm, MotionForm, RecordForm, RecusalForm
from sharaka.meetings.models import Meeting, Motion
from sharaka.meetings.services import AttendanceInput, CloseResult
from sharaka.meetings.views.common import (
    HtmxHttpRequest,
    _context,
    _frame,
    _managed,
    _meeting,
    _motion,
    item_path,
    meeting_page_path,
    page_data,
)
from sharaka.partnerships.models import Partnership

ATTENDANCE = "meetings/pages/attendance.html"


# --- Attendance ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HtmxHttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """The sheet saves in place under htmx. A closed roll (a meeting not yet convened, or
    over) has no sheet: a POST gets the service's reason on the page."""
    partnership, meeting = _meeting(request, slug, meeting_id)
    if request.method == "POST":
        meeting_require(request.user, Perm.MEETING_MANAGE, meeting)
    view = selectors.attendance_view_get(user=request.user, meeting=meeting)
    sheet = AttendanceForm(request.POST or None, roll=view.roll) if view.editable else None
    response = form_page(
        request, sheet if sheet is not None else Form(request.POST or None),
        save=lambda _data: services.attendance_update(by=request.user, meeting=meeting,
                                                      entries=_entries(sheet)),
        success="" if request.htmx else _("Présences enregistrées."),
        done=meeting_page_path("attendance", meeting),
        frame=Frame(_context(request, partnership, **page_data(view))), title=_("Présences"),
        template=ATTENDANCE, partial="sheet", form_key="refusal" if sheet is None else "form",
    )  # fmt: skip
    if request.htmx and response.status_code == 302:
        return _saved_sheet(request, partnership, meeting)
    return response


def _entries(sheet: AttendanceForm | None) -> dict[int, AttendanceInput]:
    if sheet is None:
        return {}
    return {
        mandate: AttendanceInput(status, holder, reference)
        for mandate, (status, holder, reference) in sheet.entries().items()
    }


def _saved_sheet(request: HttpRequest, partnership: Partnership, meeting: Meeting) -> HttpResponse:
    """The sheet as saved, in place (htmx), with the quorum it gives now."""
    view = selectors.attendance_view_get(user=request.user, meeting=meeting)
    context = _context(
        request, partnership, **page_data(view), form=AttendanceForm(roll=view.roll), saved=True
    )
    return render(request, f"{ATTENDANCE}#sheet", context)


@login_required
def quorum_panel(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """The live quorum panel (htmx polls it during the session)."""
    partnership, meeting = _meeting(request, slug, meeting_id)
    roll = selectors.roll_get(meeting=meeting)
    context = {"partnership": partnership, "meeting": meeting, "roll": roll, "live": True}
    context["quorum"] = selectors.quorum_or_none(roll)
    return render(request, "meetings/partials/quorum.html", context)


# --- An agenda item: conflicts, motions, ballots ---------------------------------------------


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
@require_POST
def recusal_declare(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    roll, offer = selectors.recusal_offer_get(user=request.user, meeting=meeting)
    form = RecusalForm(request.POST, roll=roll, own_mandate=offer.own_mandate, manage=offer.manage)
    back = item_path(meeting, item.pk)
    return form_page(
        request, form,
        save=lambda data: services.recusal_declare(
            by=request.user, item=item, mandate_id=data.get("mandate"), reason=data["reason"]),
        success=_("Conflit d'intérêts noté : le membre ne prend part ni au quorum ni au vote "
                  "de ce point."),
        done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Conflits d'intérêts"),
    )  # fmt: skip


@login_required
@require_POST
def motion_open(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    form = MotionForm(request.POST, roll=selectors.roll_get(meeting=meeting), item=item)
    back = item_path(meeting, item.pk)
    return form_page(
        request, form,
        save=lambda data: services.motion_open(
            by=request.user, item=item, text=data["text"], voting_mode=data["voting_mode"],
            decision_kind=data["decision_kind"], appoint_role=data.get("appoint_role") or "",
            appoint_mandate_id=data.get("appoint_mandate")),
        success=_("Le vote est ouvert."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting),
        title=_("Mettre au vote"), submit=_("Ouvrir le vote"),
    )  # fmt: skip


@login_required
@require_POST
def ballot_cast(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    meeting_require(request.user, Perm.BALLOT_CAST_OWN, meeting)
    for_mandate = request.POST.get("for_mandate", "")
    form = CastForm(request.POST, for_mandate=int(for_mandate) if for_mandate.isdigit() else None)
    back = item_path(meeting, motion.item_id)
    return form_page(
        request, form,
        save=lambda data: services.ballot_cast(
            by=request.user, motion=motion, choice=data["choice"],
            for_mandate_id=data.get("for_mandate")),
        success=_("Votre vote est enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting),
        title=_("Vote"), submit=_("Voter"), intro=motion.text,
    )  # fmt: skip


@login_required
@require_POST
def ballot_record(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    meeting_require(request.user, Perm.BALLOT_RECORD, meeting)
    form = RecordForm(request.POST, voters=selectors.roll_get(meeting=meeting).voting)
    back = item_path(meeting, motion.item_id)
    return form_page(
        request, form,
        save=lambda _data: services.ballots_record(by=request.user, motion=motion,
                                                   choices=form.choices()),
        success=lambda recorded: _("%(n)s votes enregistrés.") % {"n": len(recorded)},
        done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Saisie des votes par le secrétariat"), submit=_("Enregistrer ces votes"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def motion_close(request: HttpRequest, slug: str, meeting_id: int, motion_id: int) -> HttpResponse:
    partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    meeting_require(request.user, Perm.MEETING_MANAGE, meeting)
    back = item_path(meeting, motion.item_id)
    return confirm_page(
        request, act=lambda _data: _close(request, motion),
        success="", done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Clore le vote"),
        question=_("Clore le vote sur « %(title)s » (tour %(round)s) ?")
        % {"title": motion.item.title, "round": motion.round},
        details=[
            _("%(n)s bulletins reçus.") % {"n": motion.ballots.count()},
            _("Après la clôture, plus aucun bulletin n'est accepté et le résultat ne change "
              "plus."),
        ],
        confirm_label=_("Clore le vote"),
    )  # fmt: skip


def _close(request: HttpRequest, motion: Motion) -> CloseResult:
    """Close the vote and say what came of it."""
    result = services.motion_close(by=request.user, motion=motion)
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
    return result


@login_required
@require_POST
def motion_next_round(
    request: HttpRequest, slug: str, meeting_id: int, motion_id: int
) -> HttpResponse:
    partnership, meeting, motion = _motion(request, slug, meeting_id, motion_id)
    meeting_require(request.user, Perm.MEETING_MANAGE, meeting)
    back = item_path(meeting, motion.item_id)
    return confirm_page(
        request, act=lambda _data: services.motion_next_round(by=request.user, motion=motion),
        success=_("Nouveau tour de vote ouvert."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Ouvrir le tour suivant"),
        question=_("Ouvrir un nouveau tour de vote sur « %(title)s » ?")
        % {"title": motion.item.title},
        confirm_label=_("Ouvrir le tour suivant"), danger=False,
    )  # fmt: skip
