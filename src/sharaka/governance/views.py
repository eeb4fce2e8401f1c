"""Board pages. Thin: parse input, call a selector or service, render.

Forms go through ``core.pages.form_page`` and questions through ``core.pages.confirm_page``
(a refusal shows on the page, nothing changes). The simulator's and the board creation's
reads are in ``governance.simulation``. htmx requests get a template partial only
(``page.html#partial``); without JavaScript the same forms post normally and get the whole
page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.htmx import HtmxHttpRequest
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.directory.models import Organization
from sharaka.governance import charts, selectors, services, simulation
from sharaka.governance.forms import (
    BaseCompositionFormSet,
    BoardCreateForm,
    CollegeDeleteForm,
    CollegeEditForm,
    CollegeForm,
    CompositionFormSet,
    EndForm,
    GovernanceSettingsForm,
    MandateForm,
    OfficerEndForm,
    OfficerForm,
    RuleForm,
    SeatCreateForm,
    SeatForm,
    SimulationApplyForm,
    SimulationFormSet,
    composition_initial,
    proposal_initial,
)
from sharaka.governance.models import Board, BoardCollege
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("partnerships/partials/header.html", "governance/partials/subnav.html")

# --- Context helpers ---------------------------------------------------------------------------


def _context(
    request: HttpRequest, partnership: Partnership, board: Board | None, section: str
) -> dict[str, Any]:
    """The partnership page context, plus the board and the section of the sub-navigation."""
    return partnership_page(request, partnership, "board", board=board, section=section)


def _frame(
    request: HttpRequest, partnership: Partnership, board: Board | None,
    section: str = "composition",
) -> Frame:  # fmt: skip
    return Frame(_context(request, partnership, board, section), nav=NAV)


def _board(
    request: HttpRequest, slug: str, perm: Perm = Perm.BOARD_VIEW
) -> tuple[Partnership, Board]:
    """The partnership (404 if not visible, 403 without ``perm``) and its board (404 while
    it has none)."""
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug, perm=perm)
    if board is None:
        raise NotFound(_("Ce partenariat n'a pas encore de conseil."))
    return partnership, board


def _board_url(partnership: Partnership) -> str:
    return reverse("governance:board", kwargs={"slug": partnership.slug})


def _on_board(request: HttpRequest, partnership: Partnership, board: Board) -> dict[str, Any]:
    """Where a form or a question about the board's members sits and leads back to: the
    composition page (``done``, ``cancel`` and ``frame`` of ``form_page``/``confirm_page``)."""
    back = _board_url(partnership)
    return {"done": back, "cancel": back, "frame": _frame(request, partnership, board)}


def _party_organizations(partnership: Partnership) -> QuerySet[Organization]:
    return Organization.objects.filter(parties__partnership=partnership).distinct().order_by("name")


def _parse_day(request: HttpRequest) -> date | None:
    raw = request.GET.get("date", "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.warning(request, _("Date invalide : utilisez le format AAAA-MM-JJ."))
        return None


def _women_chart(series: Sequence[tuple[date, Fraction]], target: Fraction) -> SafeString:
    return charts.step_chart(
        series,
        target=target,
        title=_("Part des femmes parmi les sièges votants"),
        target_label=_("objectif %(target)s") % {"target": target},
    )


# --- Composition page and the what-if simulator --------------------------------------------------


@dataclass(frozen=True)
class Simulation:
    """The simulator on the board page: its forms, and what they would give once valid."""

    formset: BaseCompositionFormSet
    rule_form: RuleForm
    outcome: simulation.Outcome | None = None


def _simulation(partnership: Partnership, comp: selectors.Composition, data: Any) -> Simulation:
    """The simulator's forms, bound to ``data`` (``None``: the board as it is today)."""
    formset = SimulationFormSet(
        data, initial=None if data else composition_initial(comp), prefix="rows",
        organizations=simulation.party_choices(partnership),
        colleges=[(b.college.code, b.college.display_label) for b in comp.colleges],
    )  # fmt: skip
    rule_form = RuleForm(
        data, initial=RuleForm.initial_for(comp.rules.decision_rule), prefix="rule"
    )
    if data is None or not (formset.is_valid() and rule_form.is_valid()):
        return Simulation(formset, rule_form)
    rule = rule_form.rule(base=comp.rules.decision_rule)
    if rule is None:
        return Simulation(formset, rule_form)
    outcome = simulation.outcome_get(partnership=partnership, comp=comp, target=formset.target(),
                                     rule=rule, rule_fields=rule_form.changed_fields())  # fmt: skip
    return Simulation(formset, rule_form, outcome)


def _board_page(
    request: HttpRequest, partnership: Partnership, board: Board | None, *,
    day: date | None = None, data: Any = None,
) -> dict[str, Any]:  # fmt: skip
    comp = selectors.composition_get(partnership=partnership, at=day)
    context = _context(request, partnership, board, "composition") | {
        "comp": comp, "analysis": comp.analysis,
        "contributions_available": comp.contributions_available,
        "conflicts": selectors.conflicts_of(partnership=partnership),
    }  # fmt: skip
    if board is not None and comp.is_today:
        context["simulation"] = _simulation(partnership, comp, data)
    if comp.series:
        context["chart"] = _women_chart(comp.series, comp.rules.gender_target)
    return context


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    context = _board_page(request, partnership, board, day=_parse_day(request))
    return render(request, "governance/pages/board.html", context)


@login_required
@require_POST
def board_simulate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Recompute balance and power for a simulated composition or rule. Saves nothing."""
    partnership, board = _board(request, slug)
    context = _board_page(request, partnership, board, data=request.POST)
    partial = "#simulation-result" if request.htmx else ""
    return render(request, "governance/pages/board.html" + partial, context)


def _posted(request: HttpRequest) -> list[tuple[str, str]]:
    """The simulation as posted, to post it again with the confirmation."""
    skip = ("csrfmiddlewaretoken", "confirm")
    return [(key, value) for key in request.POST if key not in skip
            for value in request.POST.getlist(key)]  # fmt: skip


@login_required
@require_POST
def board_simulate_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Show what the simulated composition (and rule) would change; once confirmed, save
    it through the services."""
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    context = _board_page(request, partnership, board, data=request.POST)
    outcome = context["simulation"].outcome
    if outcome is None:
        return render(request, "governance/pages/board.html", context)
    application = simulation.application_get(
        user=request.user, partnership=partnership, rules=context["comp"].rules, outcome=outcome
    )
    confirmed = request.POST.get("confirm") == "1" and not application.nothing
    return confirm_page(
        request, form=SimulationApplyForm(request.POST if confirmed else None), danger=False,
        act=lambda _data: services.board_simulation_apply(
            by=request.user, board=board, target=context["simulation"].formset.target(),
            rule_fields=application.rule_fields),
        success=_("La nouvelle composition du conseil est enregistrée."),
        done=_board_url(partnership), cancel=_board_url(partnership),
        frame=Frame(context, nav=NAV), title=_("Appliquer la composition simulée ?"),
        question="", confirm_label=_("Enregistrer cette composition"),
        template="governance/pages/apply_confirm.html",
        extra={"outcome": outcome, "application": application, "posted": _posted(request)},
    )  # fmt: skip


# --- Board creation ------------------------------------------------------------------------------


def _proposal_analysis(
    partnership: Partnership, creation: simulation.Creation, formset: BaseCompositionFormSet
) -> Any:
    """The balance of the rows proposed (unbound) or posted (if valid)."""
    if formset.is_bound and not formset.is_valid():
        return None
    target = formset.target() if formset.is_bound else simulation.proposal_target(creation.rows)
    return simulation.proposal_analysis_get(partnership=partnership, target=target,
                                            colleges=creation.colleges)  # fmt: skip


def _creation_forms(
    request: HttpRequest, partnership: Partnership
) -> tuple[BoardCreateForm, dict[str, Any]]:
    """The board creation form with its rows of seats, and what the page shows beside."""
    data = request.POST or None
    chosen = (request.POST or request.GET).get("template", "")
    creation = simulation.creation_view_get(partnership=partnership, template=chosen)
    formset = CompositionFormSet(
        data, initial=None if data else proposal_initial(creation.rows), prefix="rows",
        organizations=creation.organizations, colleges=creation.colleges,
    )  # fmt: skip
    form = BoardCreateForm(data, formset=formset, initial={"template": creation.template.code})
    return form, {"formset": formset, "template": creation.template,
                  "proposed": creation.proposed,
                  "analysis": _proposal_analysis(partnership, creation, formset)}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    if board is not None:
        messages.info(request, _("Ce partenariat a déjà un conseil."))
        return redirect(_board_url(partnership))
    form, extra = _creation_forms(request, partnership)
    template, frame = "governance/pages/board_create.html", Frame(
        _context(request, partnership, None, "composition"))  # fmt: skip
    if request.POST.get("preview") == "1":  # check the balance, save nothing
        context = {**frame.context, "form": form, **extra}
        return render(request, template + ("#preview" if request.htmx else ""), context)
    return form_page(
        request, form,
        save=lambda data: services.board_create(
            by=request.user, partnership=partnership, target=form.formset.target(),
            template=data["template"], name=data["name"], established_on=data["established_on"]),
        success=_("Le conseil est composé. Nommez maintenant ses membres."),
        done=_board_url(partnership), frame=frame, title=_("Composer le conseil"),
        template=template, partial="proposal" if request.method == "GET" else "", extra=extra,
    )  # fmt: skip


# --- Seats -----------------------------------------------------------------------------------


def _seat_form_kwargs(partnership: Partnership, board: Board) -> dict[str, Any]:
    return {
        "organizations": _party_organizations(partnership),
        "colleges": BoardCollege.objects.filter(board=board).order_by("order", "code"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    form = SeatCreateForm(request.POST or None, **_seat_form_kwargs(partnership, board))
    return form_page(
        request, form,
        save=lambda data: services.seat_create(by=request.user, board=board, **data),
        success=_("Siège ajouté."), **_on_board(request, partnership, board),
        title=_("Ajouter un siège"), submit=_("Ajouter"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    initial = {name: getattr(seat, name)
               for name in ("organization", "college", "voting", "expertise", "label")}  # fmt: skip
    form = SeatForm(request.POST or None, initial=initial, **_seat_form_kwargs(partnership, board))
    return form_page(
        request, form,
        save=lambda data: services.seat_update(by=request.user, board=board, seat=seat,
                                               fields=data),
        success=_("Siège modifié."), **_on_board(request, partnership, board),
        title=_("Modifier le siège « %(seat)s »") % {"seat": seat},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def seat_abolish(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    return confirm_page(
        request, act=lambda _data: services.seat_abolish(by=request.user, board=board, seat=seat),
        success=_("Siège supprimé."), **_on_board(request, partnership, board),
        question=_("Supprimer le siège « %(seat)s » ? Un siège qui a déjà été occupé reste "
                   "dans l'historique du conseil.") % {"seat": seat},
        confirm_label=_("Supprimer le siège"),
    )  # fmt: skip


# --- Mandates and officers -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mandate_add(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    form = MandateForm(request.POST or None,
                       user=request.user,
                       organizations=_party_organizations(partnership))  # fmt: skip
    return form_page(
        request, form,
        save=lambda data: services.mandate_create(by=request.user, board=board, seat=seat,
                                                  **data),
        success=_("Mandat enregistré."), **_on_board(request, partnership, board),
        title=_("Nommer un membre au siège « %(seat)s »") % {"seat": seat}, submit=_("Nommer"),
        intro=_("Un siège ne peut être tenu que par une personne à la fois : le nouveau mandat "
                "commence au plus tôt le lendemain de la fin du précédent."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def mandate_end(request: HttpRequest, slug: str, mandate_id: int) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    mandate = selectors.mandate_get(board=board, mandate_id=mandate_id)
    return form_page(
        request, EndForm(request.POST or None),
        save=lambda data: services.mandate_end(by=request.user, board=board, mandate=mandate,
                                               **data),
        success=_("Le mandat a pris fin ; il reste dans l'historique."),
        **_on_board(request, partnership, board), submit=_("Mettre fin au mandat"),
        title=_("Mettre fin au mandat de %(person)s") % {"person": mandate.person},
        intro=_("Le mandat n'est pas supprimé : il reste dans l'historique du conseil, avec sa "
                "date de fin. Ses fonctions au bureau prennent fin le même jour."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def officer_appoint(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    mandates = selectors.current_mandates(board=board).filter(seat__voting=True)
    form = OfficerForm(request.POST or None, mandates=mandates,
                       initial={"role": request.GET.get("role", "")})  # fmt: skip
    return form_page(
        request, form,
        save=lambda data: services.officer_appoint(by=request.user, board=board, **data),
        success=_("Nomination au bureau enregistrée."), **_on_board(request, partnership, board),
        title=_("Nommer au bureau"), submit=_("Nommer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def officer_end(request: HttpRequest, slug: str, officer_id: int) -> HttpResponse:
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    officer = selectors.officer_get(board=board, officer_id=officer_id)
    return form_page(
        request, OfficerEndForm(request.POST or None),
        save=lambda data: services.officer_end(by=request.user, board=board, officer=officer,
                                               end_date=data["end_date"]),
        success=_("La fonction au bureau a pris fin."), **_on_board(request, partnership, board),
        title=_("Mettre fin à la fonction de %(role)s de %(person)s")
        % {"role": officer.get_role_display(), "person": officer.mandate.person},
        submit=_("Mettre fin"),
    )  # fmt: skip


# --- Rules, colleges, history --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The rules in force; the interim rules' form for who may change them."""
    perm = Perm.GOVERNANCE_SETTINGS_CHANGE if request.method == "POST" else Perm.BOARD_VIEW
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug, perm=perm)
    page = selectors.rules_view_get(user=request.user, partnership=partnership, board=board)
    form = GovernanceSettingsForm(request.POST if request.method == "POST" else None,
                                  instance=page.settings, colleges=page.colleges)  # fmt: skip
    return form_page(
        request, form,
        save=lambda data: services.governance_settings_update(
            by=request.user, partnership=partnership,
            fields={name: data[name] for name in form.changed_data}),
        success=_("Règles enregistrées."), done=reverse("governance:rules", kwargs={"slug": slug}),
        cancel=_board_url(partnership), frame=_frame(request, partnership, board, "rules"),
        title=_("Modifier les règles provisoires"), submit=_("Enregistrer les règles"),
        template="governance/pages/rules.html", extra=vars(page),
    )  # fmt: skip


def _college_rows(
    board: Board, edited: CollegeEditForm | None = None
) -> list[tuple[BoardCollege, CollegeEditForm]]:
    """Each college with its rename form (``edited``, bound, for the one being renamed)."""
    return [
        (college, edited if edited is not None and edited.prefix == f"c{college.pk}" else
         CollegeEditForm(initial={"label": college.label, "order": college.order},
                         prefix=f"c{college.pk}"))
        for college in selectors.colleges_get(board=board)
    ]  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def board_colleges(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's colleges; POST adds one."""
    perm = Perm.BOARD_CHANGE if request.method == "POST" else Perm.BOARD_VIEW
    partnership, board = _board(request, slug, perm)
    back = reverse("governance:colleges", kwargs={"slug": slug})
    return form_page(
        request, CollegeForm(request.POST or None),
        save=lambda data: services.college_create(by=request.user, board=board, **data),
        success=_("Collège ajouté."), done=back,
        frame=_frame(request, partnership, board, "colleges"),
        title=_("Ajouter un collège"), submit=_("Ajouter"),
        template="governance/pages/colleges.html", extra={"colleges": _college_rows(board)},
    )  # fmt: skip


def _college_rename(
    request: HttpRequest, partnership: Partnership, board: Board, college: BoardCollege
) -> HttpResponse:
    """The rename form sits on the colleges page: a refusal shows it there (422)."""
    form = CollegeEditForm(request.POST, prefix=f"c{college.pk}")
    return form_page(
        request, form,
        save=lambda data: services.college_update(by=request.user, board=board, college=college,
                                                  **data),
        success=_("Collège modifié."), done=reverse("governance:colleges",
                                                    kwargs={"slug": partnership.slug}),
        frame=_frame(request, partnership, board, "colleges"),
        title=_("Ajouter un collège"), submit=_("Ajouter"),
        template="governance/pages/colleges.html", form_key="edited", invalid_status=422,
        extra={"colleges": _college_rows(board, form), "form": CollegeForm()},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def college_edit(request: HttpRequest, slug: str, college_id: int) -> HttpResponse:
    """POST: rename or reorder (or delete, with ``delete=1``); GET: confirm the deletion."""
    partnership, board = _board(request, slug, Perm.BOARD_CHANGE)
    college = selectors.college_get(board=board, college_id=college_id)
    if request.method == "POST" and request.POST.get("delete") != "1":
        return _college_rename(request, partnership, board, college)
    back = reverse("governance:colleges", kwargs={"slug": slug})
    return confirm_page(
        request, form=CollegeDeleteForm(request.POST or None),
        act=lambda _data: services.college_delete(by=request.user, board=board, college=college),
        success=_("Collège supprimé."), done=back, cancel=back,
        frame=_frame(request, partnership, board, "colleges"),
        question=_("Supprimer le collège « %(college)s » ? Seul un collège sans aucun siège "
                   "peut l'être.") % {"college": college.label},
        confirm_label=_("Supprimer le collège"),
    )  # fmt: skip


@login_required
def board_history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = _board(request, slug)
    page = selectors.history_view_get(partnership=partnership, board=board)
    context = _context(request, partnership, board, "history") | vars(page)
    context["chart"] = _women_chart(page.series, page.gender_target)
    return render(request, "governance/pages/history.html", context)
