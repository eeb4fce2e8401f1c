"""Meeting pages. Thin: parse input, call a selector or service, render.

htmx requests get a template partial only (``page.html#partial``): the attendance sheet
saves in place and the quorum panel refreshes itself; without JavaScript the same forms
post normally and get the whole page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm, can
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.core.pagination import paginate, query_without_page
from sharaka.governance.analysis import engine_lang
from sharaka.governance.models import OfficerRole
from sharaka.meetings import document, rules, selectors, services
from sharaka.meetings.access import officer_roles
from sharaka.meetings.forms import (
    AttendanceForm,
    CastForm,
    DecisionFilterForm,
    DocumentForm,
    ErratumForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    ReconveneForm,
    RecordForm,
    RecusalForm,
    SignForm,
)
from sharaka.meetings.models import (
    AgendaItem,
    Choice,
    Meeting,
    MeetingStatusChoice,
    Minutes,
    Motion,
    MotionStatus,
    PresenceChoice,
    SignatureRole,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

# --- Context helpers -------------------------------------------------------------------------


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    """The partnership page context (header rights only), plus this page's data."""
    return partnership_page(request, partnership, "meetings", **extra)


def _meeting(request: HttpRequest, slug: str, meeting_id: int) -> tuple[Partnership, Meeting]:
    partnership, _board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    return partnership, selectors.meeting_get(
        user=request.user, partnership=partnership, meeting_id=meeting_id
    )


def _require(request: HttpRequest, perm: Perm, meeting: Meeting) -> None:
    from sharaka.meetings.access import meeting_require

    meeting_require(request.user, perm, meeting)


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", slug=meeting.partnership.slug, meeting_id=meeting.pk)


def _meeting_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(
        reverse(
            "meetings:detail", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
        )
    )


def _error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _confirm(
    request: HttpRequest,
    partnership: Partnership,
    *,
    title: str,
    question: str,
    confirm_label: str,
    cancel_url: str,
    details: list[str] | None = None,
    danger: bool = False,
    form: Any = None,
) -> HttpResponse:
    return render(
        request,
        "meetings/pages/confirm.html",
        _context(
            request,
            partnership,
            title=title,
            question=question,
            confirm_label=confirm_label,
            cancel_url=cancel_url,
            details=details or [],
            danger=danger,
            form=form,
        ),
    )


# --- Meetings --------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    today = selectors.today()
    meetings = list(selectors.meeting_list(partnership=partnership))
    upcoming = [m for m in meetings if m.day >= today and m.status in ("planned", "convened")]
    past = [m for m in meetings if m not in upcoming]
    upcoming.reverse()
    can_create = board is not None and (
        can(request.user, Perm.MEETING_MANAGE, partnership)
        or bool(officer_roles(request.user, board_id=board.pk, day=today) & {"chair", "secretary"})
    )
    context = _context(
        request,
        partnership,
        board=board,
        upcoming=upcoming,
        past=past,
        can_create=can_create,
        decision_count=partnership.decisions.count(),
    )
    return render(request, "meetings/pages/list.html", context)


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
    return can(request.user, Perm.MEETING_MANAGE, partnership) or bool(
        officer_roles(request.user, board_id=board_id, day=selectors.today())
        & {"chair", "secretary"}
    )


@login_required
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    cap = selectors.capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    items = selectors.items_of(meeting)
    status = meeting.lifecycle_status
    minutes = selectors.minutes_of(meeting) if status in rules.HAS_MINUTES else None
    quorum = _quorum_or_none(roll)
    context = _context(
        request,
        partnership,
        meeting=meeting,
        cap=cap,
        roll=roll,
        items=items,
        quorum=quorum,
        minutes=minutes,
        status=status.value,
        transitions=list(meeting.transitions.select_related("by")),
        notices=list(meeting.notices.select_related("sent_by")),
        documents=selectors.documents_of(meeting),
        item_form=ItemForm(minutes_choices=selectors.previous_minutes_choices(meeting))
        if cap["manage"] and status in rules.AGENDA_EDITABLE
        else None,
        document_form=DocumentForm(meeting=meeting)
        if cap["manage"] and status in rules.DOCUMENTS_EDITABLE
        else None,
        second_convocation=getattr(meeting, "second_convocation", None)
        if hasattr(meeting, "second_convocation")
        else None,
        can_reconvene=cap["manage"]
        and status is rules.MeetingStatus.HELD
        and meeting.convocation_number == 1
        and quorum is not None
        and not quorum.met,
        agenda_editable=status in rules.AGENDA_EDITABLE,
        in_session=status in rules.IN_SESSION,
    )
    return render(request, "meetings/pages/detail.html", context)


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


# --- Agenda and board pack -------------------------------------------------------------------


@login_required
@require_POST
def item_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = ItemForm(request.POST, minutes_choices=selectors.previous_minutes_choices(meeting))
    if form.is_valid():
        try:
            services.item_add(by=request.user, meeting=meeting, fields=form.cleaned_data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Point ajouté à l'ordre du jour."))
    else:
        _form_errors(request, form)
    return _back(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    form = ItemForm(
        request.POST or None,
        instance=item,
        minutes_choices=selectors.previous_minutes_choices(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(by=request.user, item=item, fields=form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Point modifié."))
            return _back(meeting)
    return render(
        request,
        "meetings/pages/form.html",
        _context(
            request,
            partnership,
            meeting=meeting,
            form=form,
            title=_("Modifier le point %(n)s") % {"n": item.position},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    if request.method == "POST":
        try:
            services.item_remove(by=request.user, item=item)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Point retiré de l'ordre du jour."))
        return _back(meeting)
    return _confirm(
        request,
        partnership,
        title=_("Retirer un point"),
        question=_("Retirer le point « %(title)s » de l'ordre du jour ?") % {"title": item.title},
        confirm_label=_("Retirer"),
        cancel_url=_meeting_path(meeting),
        danger=True,
    )


def _meeting_path(meeting: Meeting) -> str:
    return reverse(
        "meetings:detail", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
    )


@login_required
@require_POST
def item_move(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    try:
        services.item_move(by=request.user, item=item, up=request.POST.get("direction") == "up")
    except DomainError as error:
        if error.status in (403, 404):
            raise
        _error(request, error)
    return _back(meeting)


@login_required
@require_POST
def document_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        try:
            services.document_add(
                by=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                item=form.cleaned_data["item"],
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Document ajouté au dossier de séance."))
    else:
        _form_errors(request, form)
    return _back(meeting)


@login_required
def document_download(
    request: HttpRequest, slug: str, meeting_id: int, document_id: int
) -> FileResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    doc = selectors.document_get(meeting=meeting, document_id=document_id)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise NotFound(_("Le fichier n'est plus disponible.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Convocation, session --------------------------------------------------------------------


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


def _format_day(day: Any) -> str:
    from django.utils import formats

    return str(formats.date_format(day, "DATE_FORMAT"))


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


# --- Attendance ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    cap = selectors.capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    editable = cap["manage"] and meeting.lifecycle_status in rules.ATTENDANCE_EDITABLE
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
        cap=cap,
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


def _quorum_or_none(roll: selectors.Roll) -> Any:
    if not roll.attendance:
        return None
    try:
        return selectors.quorum_get(roll)
    except DomainError:
        return None


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


# --- Items: conflicts, motions, ballots ------------------------------------------------------


@login_required
def item_detail(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    cap = selectors.capabilities(request.user, meeting)
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
        _motion_view(request, roll, item, m, own_row, cap, lang, recused) for m in motions
    ]
    last = motions[-1] if motions else None
    can_next_round = (
        cap["manage"]
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
        cap=cap,
        roll=roll,
        recusals=[(roll.by_mandate.get(r.mandate_id), r) for r in item.recusals.all()],
        item_quorum=item_quorum,
        motions=motion_views,
        in_session=in_session,
        motion_form=MotionForm(roll=roll, item=item)
        if cap["manage"] and in_session and item.votes and not motions
        else None,
        recusal_form=RecusalForm(
            roll=roll, own_mandate=own_row.mandate.pk if own_row else None, manage=cap["manage"]
        )
        if meeting.lifecycle_status in (rules.MeetingStatus.CONVENED, rules.MeetingStatus.HELD)
        and (cap["manage"] or (own_row is not None and own_row.voting))
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
    cap: dict[str, bool],
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
        if own_row is not None and cap["cast"] and rules.member_may_cast(mode):
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
        if cap["record"] and rules.secretary_may_enter(mode):
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
    cap = selectors.capabilities(request.user, meeting)
    roll = selectors.roll_get(meeting=meeting)
    own = selectors.member_rows_for_user(roll, request.user)
    form = RecusalForm(
        request.POST,
        roll=roll,
        own_mandate=own[0].mandate.pk if own else None,
        manage=cap["manage"],
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


def _motion(
    request: HttpRequest, slug: str, meeting_id: int, motion_id: int
) -> tuple[Partnership, Meeting, Motion]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    return partnership, meeting, selectors.motion_get(meeting=meeting, motion_id=motion_id)


def _to_item(motion: Motion) -> HttpResponse:
    meeting = motion.item.meeting
    return redirect(
        "meetings:item",
        slug=meeting.partnership.slug,
        meeting_id=meeting.pk,
        item_id=motion.item_id,
    )


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


# --- Minutes ---------------------------------------------------------------------------------


def _minutes(
    request: HttpRequest, slug: str, meeting_id: int
) -> tuple[Partnership, Meeting, Minutes]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise NotFound(_("Le procès-verbal n'est pas encore rédigé."))
    return partnership, meeting, minutes


def _doc_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in document.LANGS else engine_lang()


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
    partnership, meeting, minutes = _minutes(request, slug, meeting_id)
    cap = selectors.capabilities(request.user, meeting)
    signatures = list(minutes.signatures.select_related("signed_by"))
    errata = list(minutes.errata.all())
    lang = _doc_lang(request)
    doc = document.build(minutes, lang=lang, signatures=signatures, errata=errata)
    signed_roles = {s.role for s in signatures}
    roles_left = [
        (value, label) for value, label in SignatureRole.choices if value not in signed_roles
    ]
    approvals = list(minutes.approval_items.select_related("meeting").prefetch_related("decisions"))
    context = _context(
        request,
        partnership,
        meeting=meeting,
        minutes=minutes,
        doc=doc,
        cap=cap,
        signatures=signatures,
        roles_left=roles_left,
        approvals=approvals,
        doc_html=document.render_html(doc, standalone=False),
        lang=lang,
        doc_languages=[("fr", "Français"), ("ar", "العربية"), ("en", "English")],
        can_publish=cap["manage"] and meeting.status == MeetingStatusChoice.MINUTES_SIGNED,
    )
    return render(request, "meetings/pages/minutes.html", context)


@login_required
def minutes_pdf(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, _meeting_obj, minutes = _minutes(request, slug, meeting_id)
    return _pdf_response(minutes, _doc_lang(request))


def _pdf_response(minutes: Minutes, lang: str) -> HttpResponse:
    doc = document.build(
        minutes,
        lang=lang,
        signatures=list(minutes.signatures.select_related("signed_by")),
        errata=list(minutes.errata.all()),
    )
    response = HttpResponse(document.render_pdf(doc), content_type="application/pdf")
    name = f"proces-verbal-{minutes.meeting.day.isoformat()}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


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


# --- Decisions -------------------------------------------------------------------------------


@login_required
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    form = DecisionFilterForm(request.GET or None, years=selectors.decision_years(partnership))
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_list(
        user=request.user,
        partnership=partnership,
        search=filters.get("q", ""),
        year=filters.get("year"),
        kind=filters.get("kind", ""),
    )
    context = _context(
        request,
        partnership,
        form=form,
        page_obj=paginate(request, decisions),
        query=query_without_page(request),
    )
    template = "meetings/pages/decisions.html"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


@login_required
def decision_detail(request: HttpRequest, slug: str, decision_id: int) -> HttpResponse:
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    decision = selectors.decision_get(
        user=request.user, decision_id=decision_id, partnership=partnership
    )
    lang = engine_lang()
    snapshot = decision.snapshot
    officers = selectors.appointed_officers(decision)
    motion = decision.motion
    context = _context(
        request,
        partnership,
        decision=decision,
        snapshot=snapshot,
        explanation=(snapshot.get("explanation") or {}).get(lang, []),
        votes=snapshot.get("votes"),
        officers=officers,
        can_apply=decision.kind == "officer_appointment"
        and bool(motion.appoint_role)
        and not officers
        and can(request.user, Perm.BOARD_CHANGE, partnership),
        rule_text=_rule_text(snapshot.get("rule_applied") or snapshot.get("rule"), lang),
    )
    return render(request, "meetings/pages/decision.html", context)


def _rule_text(rule_dict: dict[str, Any] | None, lang: str) -> str:
    if not rule_dict:
        return ""
    from sharaka.governance.analysis import describe_rule
    from sharaka.governance.rules import parse

    try:
        rule = parse.parse_rule(rule_dict)
    except ValueError:
        return ""
    return describe_rule(rule, lang)


@login_required
@require_POST
def decision_apply(request: HttpRequest, slug: str, decision_id: int) -> HttpResponse:
    partnership, _board = selectors.partnership_meetings_get(
        user=request.user, slug=slug, perm=Perm.DECISION_VIEW
    )
    decision = selectors.decision_get(
        user=request.user, decision_id=decision_id, partnership=partnership
    )
    try:
        services.decision_apply_appointment(by=request.user, decision=decision)
    except DomainError as error:
        if error.status == 404:
            raise
        _error(request, error)
    else:
        messages.success(request, _("Nomination appliquée au bureau du conseil."))
    return redirect("meetings:decision", slug=slug, decision_id=decision.pk)


# --- Public portal ---------------------------------------------------------------------------


def public_minutes(request: HttpRequest, slug: str) -> HttpResponse:
    from sharaka.partnerships.selectors import public_partnership_get

    partnership = public_partnership_get(slug=slug)
    meetings = list(selectors.public_meetings(partnership=partnership))
    return render(
        request,
        "meetings/pages/public_list.html",
        {"partnership": partnership, "meetings": meetings, "head": selectors.chain_head_get()},
    )


def public_minutes_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    from sharaka.partnerships.selectors import public_partnership_get

    partnership = public_partnership_get(slug=slug)
    meeting = selectors.public_meeting_get(partnership=partnership, meeting_id=meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None or not minutes.is_signed:
        raise NotFound()
    lang = _doc_lang(request)
    if request.GET.get("format") == "pdf":
        return _pdf_response(minutes, lang)
    doc = document.build(
        minutes,
        lang=lang,
        signatures=list(minutes.signatures.all()),
        errata=list(minutes.errata.all()),
    )
    return render(
        request,
        "meetings/pages/public_minutes.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "doc": doc,
            "lang": lang,
            "doc_html": document.render_html(doc, standalone=False),
            "doc_languages": [("fr", "Français"), ("ar", "العربية"), ("en", "English")],
        },
    )
