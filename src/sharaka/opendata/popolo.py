"""One public partnership in Popolo JSON: organizations, persons, posts, memberships,
events (the meetings), motions and vote events, in one document whose every ``*_id``
resolves inside it.

The board's part comes from ``governance.popolo`` and the votes from ``meetings.popolo``
(only meetings whose minutes are published); this module adds the partnership's parties
as organisations, the persons and organisations the votes name, and drops empty values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sharaka.directory.models import Organization, Person
from sharaka.governance.popolo import board_popolo
from sharaka.meetings.popolo import votes_popolo
from sharaka.opendata import selectors
from sharaka.partnerships.models import Partnership

COLLECTIONS = (
    "organizations", "persons", "posts", "memberships", "events", "motions", "vote_events",
)  # fmt: skip

#: Which collection each reference names (Popolo's ``*_id`` properties).
REFERENCES = {
    "organization_id": "organizations",
    "on_behalf_of_id": "organizations",
    "parent_id": "organizations",
    "group_id": "organizations",
    "person_id": "persons",
    "voter_id": "persons",
    "post_id": "posts",
    "motion_id": "motions",
    "legislative_session_id": "events",
}

_GENDERS = {"f": "female", "m": "male"}


def compact(value: Any) -> Any:
    """Drop ``None`` values (Popolo leaves absent what is unknown)."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def partnership_popolo(*, partnership: Partnership) -> dict[str, Any]:
    """The Popolo document of a public partnership (``selectors.public_partnership_get``
    first): a fixed number of queries whatever the size of the board and its history."""
    board = selectors.public_board_get(partnership=partnership)
    doc: dict[str, list[dict[str, Any]]] = {name: [] for name in COLLECTIONS}
    if board is not None:
        for key, items in board_popolo(partnership=partnership, board=board).items():
            doc[key].extend(items)
        votes = votes_popolo(partnership=partnership, published_only=True)
        for key, items in votes.as_dict().items():
            doc[key].extend(items)
    organizations = {o["id"] for o in doc["organizations"]}
    persons = {p["id"] for p in doc["persons"]}
    parties = selectors.public_parties().filter(partnership=partnership)
    for organization in (
        Organization.objects.filter(parties__in=parties).distinct().order_by("name", "pk")
    ):
        key = f"organization-{organization.pk}"
        if key not in organizations:
            organizations.add(key)
            doc["organizations"].append(
                {"id": key, "name": organization.name, "classification": organization.kind}
            )
    wanted_orgs, wanted_persons = _missing(doc, organizations, persons)
    for organization in Organization.objects.filter(pk__in=wanted_orgs).order_by("pk"):
        doc["organizations"].append(
            {"id": f"organization-{organization.pk}", "name": organization.name,
             "classification": organization.kind}
        )  # fmt: skip
    for person in Person.objects.filter(pk__in=wanted_persons).order_by("pk"):
        doc["persons"].append(
            {"id": f"person-{person.pk}", "name": str(person), "given_name": person.first_name,
             "family_name": person.last_name, "gender": _GENDERS.get(person.gender)}
        )  # fmt: skip
    return compact(doc)


def _ids(doc: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, str]]:
    """Every reference of the document: (property, id)."""
    for name in COLLECTIONS:
        for item in doc.get(name, []):
            yield from _refs_of(item)


def _refs_of(item: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in item.items():
        if key in REFERENCES and isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            for part in value:
                if isinstance(part, dict):
                    yield from _refs_of(part)


def _missing(
    doc: dict[str, list[dict[str, Any]]], organizations: set[str], persons: set[str]
) -> tuple[set[int], set[int]]:
    orgs: set[int] = set()
    people: set[int] = set()
    for key, value in _ids(doc):
        target = REFERENCES[key]
        if target == "organizations" and value not in organizations:
            if value.startswith("organization-"):
                orgs.add(int(value.removeprefix("organization-")))
        elif target == "persons" and value not in persons and value.startswith("person-"):
            people.add(int(value.removeprefix("person-")))
    return orgs, people


def dangling(doc: dict[str, Any]) -> list[str]:
    """The references of ``doc`` that name nothing in it (empty when all resolve)."""
    known = {name: {item.get("id") for item in doc.get(name, [])} for name in COLLECTIONS}
    return sorted(
        f"{key}={value}" for key, value in _ids(doc) if value not in known[REFERENCES[key]]
    )
