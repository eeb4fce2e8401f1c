"""The board of a partnership in Popolo (organizations, persons, posts, memberships).

Used by the API (``/api/governance/partnerships/{slug}/board/popolo``) and by the open data
(``sharaka.opendata``), which adds the votes (``meetings.popolo``, same ids).
"""

from __future__ import annotations

from typing import Any

from sharaka.governance.models import Board
from sharaka.governance.selectors import board_data_get
from sharaka.partnerships.models import Partnership

_GENDERS = {"f": "female", "m": "male"}


def board_popolo(*, partnership: Partnership, board: Board) -> dict[str, Any]:
    """The board in Popolo: the board and the organisations of its seats and mandates,
    the persons holding a mandate (names and gender, never a contact detail), the seats
    as posts, mandates (``on_behalf_of_id``) and officers as memberships. Fixed queries."""
    data = board_data_get(board=board)
    board_id = f"board-{board.pk}"
    organizations: dict[str, dict[str, Any]] = {
        board_id: {
            "id": board_id,
            "name": board.name,
            "classification": "board",
            "identifiers": [{"scheme": "sharaka-partnership", "identifier": partnership.slug}],
        }
    }

    def org(o: Any) -> str | None:
        if o is None:
            return None
        key = f"organization-{o.pk}"
        organizations.setdefault(key, {"id": key, "name": o.name, "classification": o.kind})
        return key

    persons: dict[str, dict[str, Any]] = {}

    def person(p: Any) -> str:
        key = f"person-{p.pk}"
        persons.setdefault(
            key,
            {
                "id": key,
                "name": str(p),
                "given_name": p.first_name,
                "family_name": p.last_name,
                **({"gender": _GENDERS[p.gender]} if p.gender in _GENDERS else {}),
            },
        )
        return key

    posts = []
    for seat in data.seats:
        org(seat.organization)
        posts.append(
            {
                "id": f"seat-{seat.pk}",
                "organization_id": board_id,
                "label": str(seat),
                "role": "member" if seat.voting else "advisory member",
                "start_date": seat.established_on.isoformat(),
                "end_date": seat.abolished_on.isoformat() if seat.abolished_on else None,
                "extras": {
                    "college": seat.college.code,
                    "voting": seat.voting,
                    "expertise": seat.expertise or None,
                },
            }
        )
    memberships = []
    for mandate in data.mandates:
        memberships.append(
            {
                "id": f"mandate-{mandate.pk}",
                "person_id": person(mandate.person),
                "organization_id": board_id,
                "post_id": f"seat-{mandate.seat_id}",
                "on_behalf_of_id": org(mandate.on_behalf_of),
                "role": "member",
                "start_date": mandate.start_date.isoformat(),
                "end_date": mandate.end_date.isoformat() if mandate.end_date else None,
            }
        )
    for officer in data.officers:
        memberships.append(
            {
                "id": f"officer-{officer.pk}",
                "person_id": person(officer.mandate.person),
                "organization_id": board_id,
                "post_id": None,
                "on_behalf_of_id": None,
                "role": officer.role,
                "label": officer.get_role_display(),
                "start_date": officer.start_date.isoformat(),
                "end_date": officer.end_date.isoformat() if officer.end_date else None,
            }
        )
    return {
        "organizations": list(organizations.values()),
        "persons": list(persons.values()),
        "posts": posts,
        "memberships": memberships,
    }
