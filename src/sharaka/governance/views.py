"""Board pages. Thin: parse input, call a selector or service, render.

htmx requests get a template partial only (``page.html#partial``); without JavaScript the
same forms post normally and get the whole page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.core.history import history_entries
from sharaka.governance import charts, composition, selectors, services
from sharaka.governance.analysis import (
    Analysis,
    AnalysisSeat,
    analyse,
    deciding_rule,
    describe_rule,
    engine_lang,
)
from sharaka.governance.board_templates import TEMPLATES, propose, template_for
from sharaka.governance.forms import (
    INDEPENDENT,
    BoardCreateForm,
    CollegeEditForm,
    CollegeForm,
    CompositionFormSet,
    EndForm,
    GovernanceSettingsForm,
    MandateForm,
    OfficerForm,
    RuleForm,
    SeatCreateForm,
    SeatForm,
    SimulationFormSet,
    organization_choice,
)
from sharaka.governance.models import Board, BoardCollege
from sharaka.governance.rules.values import Rule
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

# --- Context helpers ---------------------------------------------------------------------------


def _context(
    request: HttpRequest, partnership: Partnership, board: Board | None, section: str
) -> dict[str, Any]:
    """The partnership page context, plus the board and the board's own rights."""
    return partnership_page(request, partnership, "board", board=board, section=section)


def _require_board(board: Board | None) -> Board:
    if board is None:
        raise NotFound(_("Ce partenariat n'a pas encore de conseil."))
    return board


def _party_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [(p.organization_id, p.name) for p in selectors.parties_info(partnership)]


def _party_organizations(partnership: Partnership) -> Any:
    from sharaka.directory.models import Organization

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


def _back(partnership: Partnership) -> HttpResponse:
    return redirect("governance:board", slug=partnership.slug)


# --- What-if simulation ------------------------------------------------------------------------


@dataclass
class Change:
    name: str
    college: str
    voting: bool
    before: int
    after: int


@dataclass
class Simulation:
    formset: Any
    rule_form: RuleForm
    analysis: Analysis | None = None
    plan: composition.Plan | None = None
    changes: list[Change] = field(default_factory=list)
    rule_changed: bool = False
    rule_fields: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.analysis is not None


def _rule_initial(rule: Rule) -> dict[str, Any]:
    fallback = rule.fallback
    return {
        "method": rule.method.value,
        "threshold": str(rule.threshold or "2/3"),
        "base": rule.base.value,
        "quorum": str(rule.effective_quorum.fraction),
        "fallback_method": fallback.rule.method.value if fallback else "",
        "fallback_threshold": str((fallback.rule.threshold if fallback else None) or "2/3"),
        "fallback_base": fallback.rule.base.value if fallback else "present",
        "fallback_from_round": fallback.from_round if fallback else 2,
    }


def _rows_initial(comp: selectors.Composition) -> list[dict[str, Any]]:
    counts = composition.counts_of(comp.seat_states)
    order = {block.college.code: i for i, block in enumerate(comp.colleges)}
    rows: dict[tuple[int | None, str], dict[str, Any]] = {}
    for group, count in counts.items():
        row = rows.setdefault(
            (group.organization_id, group.college),
            {
                "organization": organization_choice(group.organization_id),
                "college": group.college,
                "voting": 0,
                "advisory": 0,
            },
        )
        row["voting" if group.voting else "advisory"] += count
    return [
        rows[key]
        for key in sorted(rows, key=lambda k: (order.get(k[1], 99), k[0] is None, k[0] or 0))
    ]


def _analysis_seats(
    seats: list[composition.SimulatedSeat],
    names: Mapping[int, str],
    college_labels: Mapping[str, str],
) -> list[AnalysisSeat]:
    return [
        AnalysisSeat(
            key=s.key,
            organization_id=s.group.organization_id,
            organization_name=names.get(s.group.organization_id or 0, ""),
            college=s.group.college,
            college_label=college_labels.get(s.group.college, s.group.college),
            voting=s.group.voting,
            gender=s.gender if s.group.voting else "x",
            chair=s.chair and s.group.voting,
            occupied=not s.new and s.gender != "x",
        )
        for s in seats
    ]


def _simulation(
    request: HttpRequest, partnership: Partnership, comp: selectors.Composition, data: Any
) -> Simulation:
    organizations = _party_choices(partnership)
    colleges = [(b.college.code, b.college.label) for b in comp.colleges]
    formset = SimulationFormSet(
        data,
        initial=None if data else _rows_initial(comp),
        prefix="rows",
        organizations=organizations,
        colleges=colleges,
    )
    rule_form = RuleForm(data, initial=_rule_initial(comp.rules.decision_rule), prefix="rule")
    simulation = Simulation(formset=formset, rule_form=rule_form)
    if data is None or not (formset.is_valid() and rule_form.is_valid()):
        return simulation
    target = formset.target()
    names = dict(organizations)
    college_labels = dict(colleges)
    try:
        rule = selectors.rule_from_fields(rule_form.cleaned_data, base=comp.rules.decision_rule)
    except ValueError as error:
        rule_form.add_error(None, str(error))
        return simulation
    seats = composition.simulate(comp.seat_states, target)
    simulation.plan = composition.plan(comp.seat_states, target)
    simulation.analysis = analyse(
        _analysis_seats(seats, names, college_labels),
        rule=rule,
        policy=comp.rules.balance_policy,
        college_order=colleges,
        contributions=selectors.contribution_shares_get(partnership),
        officers=[o.mandate.person.gender for o in comp.officers],
    )
    before = composition.counts_of(comp.seat_states)
    for group in sorted(
        set(before) | set(target), key=lambda g: (g.college, g.organization_id or 0)
    ):
        old, new = before.get(group, 0), target.get(group, 0)
        if old != new:
            simulation.changes.append(
                Change(
                    name=names.get(group.organization_id or 0, _("Experts indépendants")),
                    college=college_labels.get(group.college, group.college),
                    voting=group.voting,
                    before=old,
                    after=new,
                )
            )
    initial = _rule_initial(comp.rules.decision_rule)
    changed = {k: v for k, v in rule_form.cleaned_data.items() if str(initial.get(k)) != str(v)}
    simulation.rule_changed = bool(changed)
    if changed:
        simulation.rule_fields = {
            k: (v if v is not None else "") for k, v in rule_form.cleaned_data.items()
        }
    return simulation


# --- Composition page ----------------------------------------------------------------------------


def _board_page(
    request: HttpRequest,
    partnership: Partnership,
    board: Board | None,
    *,
    day: date | None = None,
    simulation_data: Any = None,
) -> dict[str, Any]:
    comp = selectors.composition_get(partnership=partnership, at=day)
    context = _context(request, partnership, board, "composition")
    context["comp"] = comp
    context["analysis"] = comp.analysis
    context["contributions_available"] = comp.contributions_available
    if board is not None and comp.is_today:
        context["simulation"] = _simulation(request, partnership, comp, simulation_data)
    if comp.series:
        context["chart"] = charts.step_chart(
            comp.series,
            target=comp.rules.gender_target,
            title=_("Part des femmes parmi les sièges votants"),
            target_label=_("objectif %(target)s") % {"target": comp.rules.gender_target},
        )
    return context


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    context = _board_page(request, partnership, board, day=_parse_day(request))
    return render(request, "governance/pages/board.html", context)


@login_required
@require_POST
def board_simulate(request: HttpRequest, slug: str) -> HttpResponse:
    """Recompute balance and power for a simulated composition or rule. Saves nothing."""
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    _require_board(board)
    context = _board_page(request, partnership, board, simulation_data=request.POST)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "governance/pages/board.html#simulation-result", context)
    return render(request, "governance/pages/board.html", context)


@login_required
@require_POST
def board_simulate_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, then save the simulated composition (and rule) through the services."""
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    context = _board_page(request, partnership, board, simulation_data=request.POST)
    simulation: Simulation = context["simulation"]
    if not simulation.valid:
        return render(request, "governance/pages/board.html", context)
    rule_fields: dict[str, Any] | None = None
    if simulation.rule_changed:
        if Perm.GOVERNANCE_SETTINGS_CHANGE not in context["can"]:
            context["rule_note"] = _(
                "La règle simulée ne sera pas enregistrée : seuls la "
                "collectivité et l'administrateur changent les règles."
            )
        elif context["comp"].rules.source != "settings":
            context["rule_note"] = _(
                "La règle simulée ne sera pas enregistrée : elle est fixée "
                "par la convention en vigueur."
            )
        else:
            rule_fields = simulation.rule_fields
    context["rule_fields"] = rule_fields
    plan = simulation.plan
    nothing = plan is not None and not plan.changed and not rule_fields
    if request.POST.get("confirm") == "1" and not nothing:
        try:
            services.board_simulation_apply(
                by=request.user,
                board=board,
                target=simulation.formset.target(),
                rule_fields=rule_fields,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La nouvelle composition du conseil est enregistrée."))
            return _back(partnership)
    context["nothing"] = nothing
    context["posted"] = [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "confirm")
        for value in request.POST.getlist(key)
    ]
    return render(request, "governance/pages/apply_confirm.html", context)


# --- Board creation ------------------------------------------------------------------------------


def _target_analysis(
    partnership: Partnership,
    target: Mapping[composition.Group, int],
    colleges: list[tuple[str, str]],
) -> Analysis:
    rules = selectors.rules_in_force_get(partnership=partnership)
    seats = composition.simulate([], target)
    return analyse(
        _analysis_seats(seats, dict(_party_choices(partnership)), dict(colleges)),
        rule=rules.decision_rule,
        policy=rules.balance_policy,
        college_order=colleges,
    )


def _target_of(rows: list[dict[str, Any]]) -> dict[composition.Group, int]:
    target: dict[composition.Group, int] = {}
    for row in rows:
        if not row["include"]:
            continue
        organization = None if row["organization"] == INDEPENDENT else int(row["organization"])
        for voting, count in ((True, row["voting"]), (False, row["advisory"])):
            if count:
                group = composition.Group(organization, row["college"], voting)
                target[group] = target.get(group, 0) + count
    return target


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    if board is not None:
        messages.info(request, _("Ce partenariat a déjà un conseil."))
        return _back(partnership)
    from sharaka.governance.board_templates import DEFAULT_COLLEGES

    colleges = [(code, str(label)) for code, label in DEFAULT_COLLEGES]
    proposed = template_for(partnership.category, partnership.complexity)
    code = (request.POST or request.GET).get("template", proposed.code)
    template = TEMPLATES.get(code, proposed)
    form = BoardCreateForm(request.POST or None, initial={"template": template.code})
    initial = [
        {
            "include": r.include,
            "organization": organization_choice(r.organization_id),
            "college": r.college,
            "voting": r.voting,
            "advisory": r.advisory,
        }
        for r in propose(template, selectors.parties_info(partnership))
    ]
    is_post = request.method == "POST"
    formset = CompositionFormSet(
        request.POST if is_post else None,
        initial=None if is_post else initial,
        prefix="rows",
        organizations=_party_choices(partnership),
        colleges=colleges,
    )
    context = _context(request, partnership, None, "composition")
    context |= {"form": form, "formset": formset, "template": template, "proposed": proposed}
    preview = request.POST.get("preview") == "1"
    if is_post and formset.is_valid():
        context["analysis"] = _target_analysis(partnership, formset.target(), colleges)
    elif not is_post:
        context["analysis"] = _target_analysis(partnership, _target_of(initial), colleges)
    if is_post and not preview and form.is_valid() and formset.is_valid():
        try:
            services.board_create(
                by=request.user,
                partnership=partnership,
                target=formset.target(),
                template=form.cleaned_data["template"],
                name=form.cleaned_data["name"],
                established_on=form.cleaned_data["established_on"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Le conseil est composé. Nommez maintenant ses membres."))
            return _back(partnership)
    template_name = "governance/pages/board_create.html"
    if request.htmx and preview:  # type: ignore[attr-defined]
        template_name += "#preview"
    elif request.htmx and not is_post:  # type: ignore[attr-defined]
        template_name += "#proposal"
    return render(request, template_name, context)


# --- Seats ---------------------------------------------------------------------------------------


def _seat_form_kwargs(partnership: Partnership, board: Board) -> dict[str, Any]:
    return {
        "organizations": _party_organizations(partnership),
        "colleges": BoardCollege.objects.filter(board=board).order_by("order", "code"),
    }


def _form_page(
    request: HttpRequest,
    context: dict[str, Any],
    form: Any,
    *,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    context |= {"form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "governance/pages/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    form = SeatCreateForm(request.POST or None, **_seat_form_kwargs(partnership, board))
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_create(by=request.user, board=board, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Siège ajouté."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Ajouter un siège"),
        submit=_("Ajouter"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    initial = {
        "organization": seat.organization,
        "college": seat.college,
        "voting": seat.voting,
        "expertise": seat.expertise,
        "label": seat.label,
    }
    form = SeatForm(request.POST or None, initial=initial, **_seat_form_kwargs(partnership, board))
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_update(by=request.user, board=board, seat=seat, fields=form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Siège modifié."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Modifier le siège « %(seat)s »") % {"seat": seat},
        submit=_("Enregistrer"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_abolish(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    context = _context(request, partnership, board, "composition")
    if request.method == "POST":
        try:
            services.seat_abolish(by=request.user, board=board, seat=seat)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Siège supprimé."))
        return _back(partnership)
    context |= {
        "question": _(
            "Supprimer le siège « %(seat)s » ? Un siège qui a déjà été occupé reste "
            "dans l'historique du conseil."
        )
        % {"seat": seat},
        "confirm_label": _("Supprimer le siège"),
    }
    return render(request, "governance/pages/confirm.html", context)


# --- Mandates ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mandate_add(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    form = MandateForm(
        request.POST or None,
        people=selectors.person_choices(partnership=partnership, seat=seat),
        organizations=_party_organizations(partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_create(by=request.user, board=board, seat=seat, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Mandat enregistré."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Nommer un membre au siège « %(seat)s »") % {"seat": seat},
        submit=_("Nommer"),
        intro=_(
            "Un siège ne peut être tenu que par une personne à la fois : le nouveau mandat "
            "commence au plus tôt le lendemain de la fin du précédent."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandate_end(request: HttpRequest, slug: str, mandate_id: int) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    mandate = selectors.mandate_get(board=board, mandate_id=mandate_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_end(by=request.user, board=board, mandate=mandate, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Le mandat a pris fin ; il reste dans l'historique."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Mettre fin au mandat de %(person)s") % {"person": mandate.person},
        submit=_("Mettre fin au mandat"),
        intro=_(
            "Le mandat n'est pas supprimé : il reste dans l'historique du conseil, avec sa "
            "date de fin. Ses fonctions au bureau prennent fin le même jour."
        ),
    )


# --- Officers ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def officer_appoint(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    mandates = selectors.current_mandates(board=board).filter(seat__voting=True)
    form = OfficerForm(
        request.POST or None, mandates=mandates, initial={"role": request.GET.get("role", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_appoint(by=request.user, board=board, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Nomination au bureau enregistrée."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Nommer au bureau"),
        submit=_("Nommer"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_end(request: HttpRequest, slug: str, officer_id: int) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    officer = selectors.officer_get(board=board, officer_id=officer_id)
    form = EndForm(request.POST or None)
    del form.fields["reason"]
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_end(
                by=request.user,
                board=board,
                officer=officer,
                end_date=form.cleaned_data["end_date"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("La fonction au bureau a pris fin."))
            return _back(partnership)
    return _form_page(
        request,
        _context(request, partnership, board, "composition"),
        form,
        title=_("Mettre fin à la fonction de %(role)s de %(person)s")
        % {"role": officer.get_role_display(), "person": officer.mandate.person},
        submit=_("Mettre fin"),
    )


# --- Rules, colleges, history --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board_rules(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    context = _context(request, partnership, board, "rules")
    rules = selectors.rules_in_force_get(partnership=partnership)
    settings = selectors.governance_settings_get(partnership=partnership)
    colleges = (
        [(c.code, c.label) for c in board.colleges.order_by("order", "code")]
        if board is not None
        else [(code, str(label)) for code, label in _default_colleges()]
    )
    editable = Perm.GOVERNANCE_SETTINGS_CHANGE in context["can"] and rules.source == "settings"
    form = GovernanceSettingsForm(
        request.POST if request.method == "POST" else None, instance=settings, colleges=colleges
    )
    if request.method == "POST":
        if Perm.GOVERNANCE_SETTINGS_CHANGE not in context["can"]:
            from sharaka.core.errors import AccessDenied

            raise AccessDenied()
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.governance_settings_update(
                    by=request.user, partnership=partnership, fields=fields
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Règles enregistrées."))
                return redirect("governance:rules", slug=partnership.slug)
    rule = rules.decision_rule
    context |= {
        "form": form,
        "rules": rules,
        "editable": editable,
        "rule_label": describe_rule(rule, engine_lang()),
        "fallback_label": describe_rule(deciding_rule(rule), engine_lang())
        if rule.fallback
        else "",
    }
    return render(request, "governance/pages/rules.html", context)


def _default_colleges() -> Any:
    from sharaka.governance.board_templates import DEFAULT_COLLEGES

    return DEFAULT_COLLEGES


@login_required
@require_http_methods(["GET", "POST"])
def board_colleges(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    board = _require_board(board)
    context = _context(request, partnership, board, "colleges")
    form = CollegeForm(request.POST or None)
    if request.method == "POST":
        selectors.partnership_board_get(user=request.user, slug=slug, perm=Perm.BOARD_CHANGE)
        if form.is_valid():
            try:
                services.college_create(by=request.user, board=board, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Collège ajouté."))
                return redirect("governance:colleges", slug=partnership.slug)
    colleges = list(board.colleges.order_by("order", "code"))
    context |= {
        "form": form,
        "colleges": [
            (c, CollegeEditForm(initial={"label": c.label, "order": c.order}, prefix=f"c{c.pk}"))
            for c in colleges
        ],
    }
    return render(request, "governance/pages/colleges.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def college_edit(request: HttpRequest, slug: str, college_id: int) -> HttpResponse:
    """POST: rename or reorder (or delete, with ``delete=1``); GET: confirm the deletion."""
    partnership, board = selectors.partnership_board_get(
        user=request.user, slug=slug, perm=Perm.BOARD_CHANGE
    )
    board = _require_board(board)
    college = BoardCollege.objects.filter(board=board, pk=college_id).first()
    if college is None:
        raise NotFound()
    if request.method == "GET":
        context = _context(request, partnership, board, "colleges")
        context |= {
            "question": _(
                "Supprimer le collège « %(college)s » ? Seul un collège sans aucun "
                "siège peut l'être."
            )
            % {"college": college.label},
            "confirm_label": _("Supprimer le collège"),
            "hidden": [("delete", "1")],
            "cancel_url": reverse("governance:colleges", kwargs={"slug": partnership.slug}),
        }
        return render(request, "governance/pages/confirm.html", context)
    try:
        if request.POST.get("delete") == "1":
            services.college_delete(by=request.user, board=board, college=college)
            messages.success(request, _("Collège supprimé."))
        else:
            form = CollegeEditForm(request.POST, prefix=f"c{college.pk}")
            if form.is_valid():
                services.college_update(
                    by=request.user, board=board, college=college, **form.cleaned_data
                )
                messages.success(request, _("Collège modifié."))
            else:
                messages.error(request, _("Libellé ou ordre invalide."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("governance:colleges", slug=partnership.slug)


@login_required
def board_history(request: HttpRequest, slug: str) -> HttpResponse:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    board = _require_board(board)
    context = _context(request, partnership, board, "history")
    data = selectors.board_data_get(board=board)
    series = selectors.women_share_series(data, until=timezone.localdate())
    rules = selectors.rules_in_force_get(partnership=partnership)
    context |= {
        "mandates": selectors.mandate_history(board=board),
        "officers": selectors.officer_history(board=board),
        "series": series,
        "gender_target": rules.gender_target,
        "chart": charts.step_chart(
            series,
            target=rules.gender_target,
            title=_("Part des femmes parmi les sièges votants"),
            target_label=_("objectif %(target)s") % {"target": rules.gender_target},
        ),
        "entries": history_entries(board),
        "today": timezone.localdate(),
    }
    return render(request, "governance/pages/history.html", context)
