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

from sharaka.core.access import Capabilities, Perm
from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error
from sharaka.governance.analysis import engine_lang
from sharaka.governance.models import OfficerRole
from sharaka.meetings import rules, selectors, services
from sharaka.meetings.access import meeting_capabilities
from sharaka.meetings.forms import (
    AttendanceForm,
    CastForm,
    MotionForm,
    RecordForm,
    RecusalForm,
)
from sharaka.meetings.models import (
    AgendaItem,
    Choice,
    Motion,
    MotionStatus,
    PresenceChoice,
)
from sharaka.meetings.views.common import (
    _confirm,
    _context,
    _error,
    _form_errors,
    _meeting,
    _motion,
    _quorum_or_none,
    _require,
    _to_item,
)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    can = meeting_capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    editable = (
        Perm.MEETING_MANAGE in can
    ) and meeting.lifecycle_status in rules.ATTENDANCE_EDITABLE
    form = AttendanceForm(request.POST or None, roll=roll) if editable else None
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
                roll = selectors.roll_get(meeting=meeting)
                form = AttendanceForm(roll=roll)
    quorum = _quorum_or_none(roll)
    context = _context(
        request,
        partnership,
        meeting=meeting,
        can=can,
        roll=roll,
        form=form,
        quorum=quorum,
        saved=saved,
        editable=editable,
        presence=_presence(roll),
    )
    template = "meetings/pages/attendance.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#sheet"
    return render(request, template, context)


def _presence(roll: selectors.Roll) -> list[dict[str, Any]]:
    labels = dict(PresenceChoice.choices)
    rows = []
    for member in roll.members:
        record = roll.attendance.get(member.mandate.pk)
        holder = roll.holder_of(member.mandate.pk)
        rows.append(
            {
                "member": member,
                "label": labels.get(record.status, "—") if record else _("non notée"),
                "holder": holder.name if holder else "",
                "reference": record.proxy_reference if record else "",
            }
        )
    return rows


@login_required
def quorum_panel(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """The live quorum panel (htmx polls it during the session)."""
    partnership, meeting = _meeting(request, slug, meeting_id)
    roll = selectors.roll_get(meeting=meeting)
    return render(
        request,
        "meetings/partials/quorum.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "roll": roll,
            "quorum": _quorum_or_none(roll),
            "live": True,
        },
    )


@login_required
def item_detail(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    can = meeting_capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    recused = selectors.recused_mandates_of(item)
    lang = engine_lang()
    in_session = meeting.lifecycle_status in rules.IN_SESSION
    item_quorum = None
    if roll.attendance:
        try:
            item_quorum = selectors.quorum_get(roll, recused_mandates=recused)
        except DomainError:
            item_quorum = None
    motions = list(item.motions.order_by("round"))
    own = selectors.member_rows_for_user(roll, request.user)
    own_row = own[0] if own else None
    motion_views = [
        _motion_view(request, roll, item, m, own_row, can, lang, recused) for m in motions
    ]
    last = motions[-1] if motions else None
    can_next_round = (
        (Perm.MEETING_MANAGE in can)
        and in_session
        and last is not None
        and last.status == MotionStatus.CLOSED
        and not last.adopted
        and rules.next_round_allowed(roll.rule, last.round)
    )
    context = _context(
        request,
        partnership,
        meeting=meeting,
        item=item,
        can=can,
        roll=roll,
        recusals=[(roll.by_mandate.get(r.mandate_id), r) for r in item.recusals.all()],
        item_quorum=item_quorum,
        motions=motion_views,
        in_session=in_session,
        motion_form=MotionForm(roll=roll, item=item)
        if (Perm.MEETING_MANAGE in can) and in_session and item.votes and not motions
        else None,
        recusal_form=RecusalForm(
            roll=roll,
            own_mandate=own_row.mandate.pk if own_row else None,
            manage=(Perm.MEETING_MANAGE in can),
        )
        if meeting.lifecycle_status in (rules.MeetingStatus.CONVENED, rules.MeetingStatus.HELD)
        and ((Perm.MEETING_MANAGE in can) or (own_row is not None and own_row.voting))
        and not any(m.is_open for m in motions)
        else None,
        can_next_round=can_next_round,
        last=last,
        next_rule=roll.rule.for_round(last.round + 1) if can_next_round and last else None,
        documents=list(item.documents.all()),
    )
    return render(request, "meetings/pages/item.html", context)


def _motion_view(
    request: HttpRequest,
    roll: selectors.Roll,
    item: AgendaItem,
    motion: Motion,
    own_row: selectors.MemberRow | None,
    can: Capabilities,
    lang: str,
    recused: set[int],
) -> dict[str, Any]:
    ballots = selectors.ballots_of(motion)
    voted = {b.mandate_id for b in ballots}
    mode = rules.VotingMode(motion.voting_mode)
    view: dict[str, Any] = {"motion": motion, "ballot_count": len(ballots), "mode": mode.value}
    if motion.appoint_role:
        holder = roll.by_mandate.get(motion.appoint_mandate_id or 0)
        view["appointment"] = (
            f"{OfficerRole(motion.appoint_role).label} — {holder.name if holder else '?'}"
        )
    if motion.is_open:
        eligible = [
            r
            for r in roll.voting
            if r.mandate.pk not in recused
            and roll.status_of(r.mandate.pk) in (PresenceChoice.PRESENT, PresenceChoice.PROXY)
        ]
        view["eligible"] = len(eligible)
        casts = []
        if own_row is not None and (Perm.BALLOT_CAST_OWN in can) and rules.member_may_cast(mode):
            if (
                own_row.mandate.pk not in voted
                and own_row in eligible
                and (roll.status_of(own_row.mandate.pk) == PresenceChoice.PRESENT)
            ):
                casts.append({"label": _("Votre vote"), "form": CastForm()})
            for represented in roll.proxies_held_by(own_row.mandate.pk):
                if represented.mandate.pk not in voted and represented in eligible:
                    casts.append(
                        {
                            "label": _("Vote pour %(name)s (pouvoir)") % {"name": represented.name},
                            "form": CastForm(for_mandate=represented.mandate.pk),
                        }
                    )
            view["own_voted"] = own_row.mandate.pk in voted
        view["casts"] = casts
        if (Perm.BALLOT_RECORD in can) and rules.secretary_may_enter(mode):
            pending = [r for r in eligible if r.mandate.pk not in voted]
            view["record_form"] = RecordForm(voters=pending) if pending else None
            view["recorded"] = [
                (roll.by_mandate[b.mandate_id].name, b.get_choice_display(), b.by_proxy)
                for b in ballots
                if b.mandate_id in roll.by_mandate
            ]
    else:
        outcome = motion.outcome or {}
        view["explanation"] = (outcome.get("explanation") or {}).get(lang, [])
        view["counts"] = (outcome.get("result") or {}).get("counts")
        labels = dict(Choice.choices)
        view["votes"] = (
            None
            if motion.is_secret
            else [
                {**vote, "choice": labels.get(vote["choice"], vote["choice"])}
                for vote in outcome.get("votes") or []
            ]
        )
        view["decision"] = getattr(motion, "decision", None) if motion.adopted else None
    return view


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
