"""What-if reads of the board pages: the simulator (a composition or a decision rule the
board does not have, with the balance and voting power it would give) and the balance of
the composition proposed for a new board.

Reads only, like ``selectors``: nothing here writes. The pages save what the user confirms
through ``services.board_simulation_apply`` and ``services.board_create``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sharaka.core.access import Perm, capabilities
from sharaka.governance import composition, selectors
from sharaka.governance.analysis import Analysis, AnalysisSeat, analyse
from sharaka.governance.board_templates import (
    DEFAULT_COLLEGES,
    TEMPLATES,
    BoardTemplate,
    ProposedRow,
    propose,
    template_for,
)
from sharaka.governance.rules.values import Rule
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.partnerships.models import Partnership


@dataclass(frozen=True)
class Change:
    """One group of seats whose number the simulation changes."""

    name: str
    college: str
    voting: bool
    before: int
    after: int


@dataclass(frozen=True)
class Outcome:
    """What a simulated composition (and rule) would give: its balance and voting power,
    the seats to create, abolish or move (``plan``), the groups that change, and the
    simulated rule's fields when it differs from the rule in force."""

    analysis: Analysis
    plan: composition.Plan
    changes: list[Change]
    rule_fields: dict[str, Any] | None = None

    @property
    def rule_changed(self) -> bool:
        return self.rule_fields is not None


def party_choices(partnership: Partnership) -> list[tuple[int, str]]:
    """The partnership's parties as ``(organisation id, name)``, lead first."""
    return [(p.organization_id, p.name) for p in selectors.parties_info(partnership)]


def simulated_seats(
    seats: Sequence[composition.SimulatedSeat],
    names: Mapping[int, str],
    college_labels: Mapping[str, str],
) -> list[AnalysisSeat]:
    """The seats of a simulated composition, as the analysis reads them (a new seat is
    vacant)."""
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


def _changes(
    before: Mapping[composition.Group, int],
    target: Mapping[composition.Group, int],
    names: Mapping[int, str],
    college_labels: Mapping[str, str],
) -> list[Change]:
    groups = sorted(set(before) | set(target), key=lambda g: (g.college, g.organization_id or 0))
    return [
        Change(
            name=names.get(group.organization_id or 0, _("Experts indépendants")),
            college=college_labels.get(group.college, group.college),
            voting=group.voting,
            before=before.get(group, 0),
            after=target.get(group, 0),
        )
        for group in groups
        if before.get(group, 0) != target.get(group, 0)
    ]


def outcome_get(
    *,
    partnership: Partnership,
    comp: selectors.Composition,
    target: Mapping[composition.Group, int],
    rule: Rule,
    rule_fields: dict[str, Any] | None = None,
) -> Outcome:
    """The board ``comp`` with ``target`` seats per group, deciding by ``rule``."""
    names = dict(party_choices(partnership))
    colleges = [(b.college.code, b.college.display_label) for b in comp.colleges]
    seats = composition.simulate(comp.seat_states, target)
    analysis = analyse(
        simulated_seats(seats, names, dict(colleges)),
        rule=rule,
        policy=comp.rules.balance_policy,
        college_order=colleges,
        contributions=selectors.contribution_shares_get(partnership),
        officers=[o.mandate.person.gender for o in comp.officers],
    )
    return Outcome(
        analysis=analysis,
        plan=composition.plan(comp.seat_states, target),
        changes=_changes(composition.counts_of(comp.seat_states), target, names, dict(colleges)),
        rule_fields=rule_fields,
    )


@dataclass(frozen=True)
class Application:
    """What applying a simulation would save: the rule's fields (``None``: the rule stays,
    and ``rule_note`` says why when one was simulated) and whether anything changes."""

    rule_fields: dict[str, Any] | None
    rule_note: str
    nothing: bool


def application_get(
    *, user: Any, partnership: Partnership, rules: RulesInForce, outcome: Outcome
) -> Application:
    """A simulated rule is saved only by who changes the interim rules (``core.access``),
    and only while the convention does not fix them."""
    rule_fields, note = None, ""
    if outcome.rule_changed:
        if Perm.GOVERNANCE_SETTINGS_CHANGE not in capabilities(user, partnership):
            note = _("La règle simulée ne sera pas enregistrée : seuls la collectivité et "
                     "l'administrateur changent les règles.")  # fmt: skip
        elif rules.source != "settings":
            note = _("La règle simulée ne sera pas enregistrée : elle est fixée par la "
                     "convention en vigueur.")  # fmt: skip
        else:
            rule_fields = outcome.rule_fields
    nothing = not outcome.plan.changed and not rule_fields
    return Application(rule_fields=rule_fields, rule_note=note, nothing=nothing)


# --- A new board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Creation:
    """The board creation page: the template proposed for the partnership's category and
    size, the one chosen, and the rows of seats it proposes (to adjust before saving)."""

    proposed: BoardTemplate
    template: BoardTemplate
    rows: list[ProposedRow]
    organizations: list[tuple[int, str]]
    colleges: list[tuple[str, str]]


def creation_view_get(*, partnership: Partnership, template: str = "") -> Creation:
    """``template``: the code of the template chosen (the proposed one by default)."""
    proposed = template_for(partnership.category, partnership.complexity)
    chosen = TEMPLATES.get(template or proposed.code, proposed)
    return Creation(
        proposed=proposed,
        template=chosen,
        rows=propose(chosen, selectors.parties_info(partnership)),
        organizations=party_choices(partnership),
        colleges=[(code, str(label)) for code, label in DEFAULT_COLLEGES],
    )


def proposal_target(rows: Sequence[ProposedRow]) -> dict[composition.Group, int]:
    """Seats per group of the rows a template proposes (rows not retained count for
    nothing)."""
    target: dict[composition.Group, int] = {}
    for row in rows:
        if not row.include:
            continue
        for voting, count in ((True, row.voting), (False, row.advisory)):
            if count:
                group = composition.Group(row.organization_id, row.college, voting)
                target[group] = target.get(group, 0) + count
    return target


def proposal_analysis_get(
    *,
    partnership: Partnership,
    target: Mapping[composition.Group, int],
    colleges: list[tuple[str, str]],
) -> Analysis:
    """The balance of a new board of ``target`` seats (all vacant), under the rules in
    force."""
    rules = selectors.rules_in_force_get(partnership=partnership)
    seats = composition.simulate([], target)
    return analyse(
        simulated_seats(seats, dict(party_choices(partnership)), dict(colleges)),
        rule=rules.decision_rule,
        policy=rules.balance_policy,
        college_order=colleges,
    )
