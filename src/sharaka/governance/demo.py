"""Demo boards for the three demo partnerships (idempotent: a board that exists is kept).

* ``complexe-sportif``: four voting colleges and two advisory experts (Mansouri, Kettani);
  a chair, a secretary and a treasurer; mandates since January 2025, one ended in June 2025
  and given to a woman, so the women's share chart has a history.
* ``base-de-plein-air``: small, two communes with two seats each.
* ``programme-emploi-jeunes``: the authority and the associations, the commune holding 4
  of 7 seats: a balance violation the user sees, and fixes in the simulator (one of its
  seats is vacant and can go).

Everything goes through the services, as the platform administrator.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from sharaka.directory.models import Organization, Person
from sharaka.directory.services import person_create
from sharaka.governance import services
from sharaka.governance.composition import Group
from sharaka.governance.models import Board, Mandate, Seat

COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"
ARDA = "Agence régionale de développement de l'Atlas"
AMAL = "Association Amal pour le sport"
TIFAWIN = "Association Tifawin des femmes rurales"
AJE = "Association Jeunesse et Emploi"
ATLAS = "Atlas Loisirs SARL"

EXTRA_PEOPLE: list[dict[str, Any]] = [
    {
        "first_name": "Samira",
        "last_name": "Bakkali",
        "gender": "f",
        "org": COZ,
        "position": "Conseillère communale déléguée aux sports",
    },
    {
        "first_name": "Nadia",
        "last_name": "Sabri",
        "gender": "f",
        "org": AMAL,
        "position": "Trésorière de l'association",
    },
]


def _day(value: date) -> date:
    """Demo dates are in the past; never create anything in the future of the machine."""
    return min(value, timezone.localdate())


def _people(context: Any, admin: Any) -> dict[str, Person]:
    people = dict(context.people)
    for spec in EXTRA_PEOPLE:
        found = Person.objects.filter(
            first_name=spec["first_name"], last_name=spec["last_name"]
        ).first()
        if found is None:
            fields = {k: v for k, v in spec.items() if k != "org"}
            fields["organization"] = context.organizations[spec["org"]]
            found = person_create(by=admin, fields=fields)
        people[found.last_name] = found
    return people


def _seats(board: Board, organization: Organization | None, college: str) -> list[Seat]:
    seats = Seat.objects.filter(board=board, college__code=college).order_by("pk")
    if organization is None:
        return list(seats.filter(organization__isnull=True))
    return list(seats.filter(organization=organization))


def _build(
    context: Any,
    admin: Any,
    slug: str,
    *,
    template: str,
    established: date,
    seats: list[tuple[str | None, str, bool, int]],
    mandates: list[tuple[str | None, str, int, str, date, date | None, str]],
    officers: list[tuple[str, str, date, str]],
) -> None:
    partnership = context.partnerships[slug]
    if Board.objects.filter(partnership=partnership).exists():
        return
    orgs: dict[str, Organization] = context.organizations
    people = _people(context, admin)
    target = {
        Group(orgs[name].pk if name else None, college, voting): count
        for name, college, voting, count in seats
    }
    board = services.board_create(
        by=admin,
        partnership=partnership,
        target=target,
        template=template,
        established_on=_day(established),
    )
    held: dict[str, Mandate] = {}
    for org_name, college, index, last_name, start, end, reason in mandates:
        seat = _seats(board, orgs[org_name] if org_name else None, college)[index]
        mandate = services.mandate_create(
            by=admin, board=board, seat=seat, person=people[last_name], start_date=_day(start)
        )
        if end is not None:
            mandate = services.mandate_end(
                by=admin, board=board, mandate=mandate, end_date=_day(end), reason=reason
            )
        else:
            held[last_name] = mandate
    for role, last_name, start, note in officers:
        services.officer_appoint(
            by=admin,
            board=board,
            mandate=held[last_name],
            role=role,
            start_date=_day(start),
            appointment_note=note,
        )


def load(context: Any) -> None:
    admin = context.users["admin"]
    jan = date(2025, 1, 1)
    _build(
        context,
        admin,
        "complexe-sportif",
        template="facility_large",
        established=jan,
        seats=[
            (COZ, "local_public", True, 3),
            (TIZGUI, "local_public", True, 1),
            (ARDA, "other_public", True, 1),
            (AMAL, "associative", True, 2),
            (ATLAS, "private", True, 1),
            (None, "experts", False, 2),
        ],
        mandates=[
            (COZ, "local_public", 0, "Alaoui", jan, None, ""),
            (
                COZ,
                "local_public",
                1,
                "Ouali",
                jan,
                date(2025, 6, 30),
                "Démission : nommé coordinateur du complexe",
            ),
            (COZ, "local_public", 1, "Bakkali", date(2025, 7, 1), None, ""),
            (COZ, "local_public", 2, "Berrada", jan, None, ""),
            (TIZGUI, "local_public", 0, "Tazi", jan, None, ""),
            (ARDA, "other_public", 0, "El Fassi", jan, None, ""),
            (AMAL, "associative", 0, "Bennani", jan, None, ""),
            (AMAL, "associative", 1, "Sabri", date(2025, 3, 1), None, ""),
            (ATLAS, "private", 0, "Lahlou", jan, None, ""),
            (None, "experts", 0, "Mansouri", jan, None, ""),
            (None, "experts", 1, "Kettani", jan, None, ""),
        ],
        officers=[
            ("chair", "Alaoui", date(2025, 1, 15), "Élue par le conseil du 15 janvier 2025"),
            ("secretary", "Bennani", date(2025, 1, 15), "Élue par le conseil du 15 janvier 2025"),
            ("treasurer", "Tazi", date(2025, 1, 15), "Élu par le conseil du 15 janvier 2025"),
        ],
    )
    april = date(2026, 4, 1)
    _build(
        context,
        admin,
        "base-de-plein-air",
        template="facility_small",
        established=april,
        seats=[(COZ, "local_public", True, 2), (TIZGUI, "local_public", True, 2)],
        mandates=[
            (COZ, "local_public", 0, "Alaoui", april, None, ""),
            (COZ, "local_public", 1, "Ouali", april, None, ""),
            (TIZGUI, "local_public", 0, "Tazi", april, None, ""),
            (TIZGUI, "local_public", 1, "Chraibi", april, None, ""),
        ],
        officers=[
            ("chair", "Tazi", april, "Désigné par la convention"),
            ("secretary", "Alaoui", april, "Désignée par la convention"),
        ],
    )
    september = date(2026, 9, 1)
    _build(
        context,
        admin,
        "programme-emploi-jeunes",
        template="socio_light",
        established=september,
        seats=[
            (COZ, "local_public", True, 4),
            (AJE, "associative", True, 2),
            (TIFAWIN, "associative", True, 1),
        ],
        mandates=[
            (COZ, "local_public", 0, "Alaoui", september, None, ""),
            (COZ, "local_public", 1, "Berrada", september, None, ""),
            (COZ, "local_public", 2, "Ouali", september, None, ""),
            (AJE, "associative", 0, "Idrissi", september, None, ""),
            (AJE, "associative", 1, "Zerouali", september, None, ""),
            (TIFAWIN, "associative", 0, "Amrani", september, None, ""),
        ],
        officers=[("chair", "Amrani", september, "Élue par le conseil d'installation")],
    )
