"""Board templates by category and complexity (M2), proposed when a board is created.

A template says which colleges sit on the board, how many voting seats each party gets by
its college, and how many advisory expert seats to add. The proposal is a starting point:
the user adjusts every row before saving. The lead authority never gets more seats than
all the other voting seats together, so a proposal starts balanced (M5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

EXPERTS = "experts"

_DEFAULT_SOURCES: tuple[tuple[str, str], ...] = (
    ("local_public", gettext_noop("Collectivités territoriales")),
    ("other_public", gettext_noop("Autres organismes publics")),
    ("associative", gettext_noop("Associations")),
    ("private", gettext_noop("Secteur privé")),
    (EXPERTS, gettext_noop("Experts")),
)
#: The default colleges of a new board: (code, label), in order (``directory.College``).
DEFAULT_COLLEGES: tuple[tuple[str, Promise], ...] = tuple(
    (code, _(text)) for code, text in _DEFAULT_SOURCES
)
_SOURCE_BY_CODE = dict(_DEFAULT_SOURCES)


def college_label(code: str, stored: str) -> str:
    """A college's label in the interface language: a default college is stored with its
    French label (the source language) and shown translated until someone renames it; a
    renamed or added college shows its label as typed (ADR 0028)."""
    if _SOURCE_BY_CODE.get(code) == stored:
        return gettext(stored)
    return stored


@dataclass(frozen=True)
class BoardTemplate:
    code: str
    label: Promise
    description: Promise
    colleges: frozenset[str]  # parties in these colleges are proposed (checked)
    lead_seats: int
    seats_by_college: Mapping[str, int] = field(default_factory=dict)
    expert_seats: int = 0  # advisory


TEMPLATES: dict[str, BoardTemplate] = {
    t.code: t
    for t in (
        BoardTemplate(
            code="socio_light",
            label=_("Programme socio-économique — conseil restreint"),
            description=_(
                "La collectivité et les associations seulement : un programme "
                "socio-économique de petite taille ou associatif."
            ),
            colleges=frozenset({"local_public", "associative"}),
            lead_seats=2,
            seats_by_college={"local_public": 1, "associative": 1},
        ),
        BoardTemplate(
            code="programme_wide",
            label=_("Programme complexe — conseil élargi"),
            description=_(
                "Un problème complexe (l'emploi, par exemple) appelle un conseil "
                "élargi : autres organismes publics, associations, secteur privé "
                "et experts consultatifs."
            ),
            colleges=frozenset({"local_public", "other_public", "associative", "private"}),
            lead_seats=2,
            seats_by_college={"local_public": 1, "other_public": 1, "associative": 1, "private": 1},
            expert_seats=2,
        ),
        BoardTemplate(
            code="facility_large",
            label=_("Grand équipement"),
            description=_(
                "La collectivité, les autres partenaires, l'opérateur privé et des "
                "experts techniques avec voix consultative."
            ),
            colleges=frozenset({"local_public", "other_public", "associative", "private"}),
            lead_seats=3,
            seats_by_college={"local_public": 1, "other_public": 1, "associative": 2, "private": 1},
            expert_seats=2,
        ),
        BoardTemplate(
            code="facility_small",
            label=_("Petit équipement"),
            description=_(
                "Un conseil léger : les collectivités partenaires à parts égales et "
                "les associations locales."
            ),
            colleges=frozenset({"local_public", "other_public", "associative"}),
            lead_seats=2,
            seats_by_college={"local_public": 2, "other_public": 1, "associative": 1, "private": 1},
        ),
    )
}


def template_for(category: str, complexity: str) -> BoardTemplate:
    """The template proposed for a partnership of this category and complexity."""
    if category == "socio_economic":
        return TEMPLATES["programme_wide" if complexity == "large" else "socio_light"]
    return TEMPLATES["facility_large" if complexity == "large" else "facility_small"]


@dataclass(frozen=True)
class PartyInfo:
    organization_id: int
    name: str
    college: str  # the organisation's default college
    lead: bool = False


@dataclass(frozen=True)
class ProposedRow:
    organization_id: int | None  # None: independent experts
    name: str
    college: str
    voting: int
    advisory: int
    include: bool


def propose(template: BoardTemplate, parties: Sequence[PartyInfo]) -> list[ProposedRow]:
    """One row per organisation (lead first), then a row of expert seats."""
    seen: set[int] = set()
    rows: list[ProposedRow] = []
    lead: PartyInfo | None = None
    for party in parties:
        if party.organization_id in seen:
            continue
        seen.add(party.organization_id)
        if party.lead:
            lead = party
            continue
        include = party.college in template.colleges
        voting = template.seats_by_college.get(party.college, 1)
        rows.append(
            ProposedRow(party.organization_id, party.name, party.college, voting, 0, include)
        )
    others = sum(r.voting for r in rows if r.include)
    if lead is not None:
        lead_seats = min(template.lead_seats, max(1, others))
        rows.insert(
            0, ProposedRow(lead.organization_id, lead.name, lead.college, lead_seats, 0, True)
        )
    rows.append(
        ProposedRow(
            None,
            str(_("Experts indépendants")),
            EXPERTS,
            0,
            max(template.expert_seats, 1),
            template.expert_seats > 0,
        )
    )
    return rows
