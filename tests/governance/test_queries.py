"""The composition page costs the same number of queries at 5 seats as at 40."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.governance import services
from sharaka.governance.composition import Group
from sharaka.governance.models import Seat
from sharaka.partnerships.models import Party, PartyRole
from tests.factories import AssociationFactory, PersonFactory
from tests.governance.conftest import START


def _fill(bw) -> None:
    """Give every vacant seat a holder; make sure there is a chair and a secretary."""
    for seat in Seat.objects.filter(board=bw.board, mandates__isnull=True):
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=seat,
            person=PersonFactory(gender="f" if seat.pk % 2 else "m"),
            start_date=max(START, seat.established_on),
        )


def _count(client, url: str, method: str = "get", data: dict | None = None) -> int:
    getattr(client, method)(url, data or {})  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(queries)


def _grow_to_40(bw) -> None:
    target: dict[Group, int] = {
        Group(bw.commune.pk, "local_public", True): 6,
        Group(bw.association.pk, "associative", True): 5,
        Group(bw.company.pk, "private", True): 4,
        Group(None, "experts", False): 3,
    }
    for _n in range(11):  # 11 more associations: 14 organisations in all
        association = AssociationFactory()
        Party.objects.create(partnership=bw.w.a, organization=association, role=PartyRole.PARTNER)
        target[Group(association.pk, "associative", True)] = 2
    services.board_composition_apply(by=bw.w.admin, board=bw.board, target=target)
    assert Seat.objects.filter(board=bw.board, abolished_on__isnull=True).count() == 40
    _fill(bw)


def test_board_page_query_count_is_fixed(bw, client_for):
    _fill(bw)
    chair_seat = bw.seat(bw.commune)
    services.officer_appoint(
        by=bw.w.admin,
        board=bw.board,
        mandate=chair_seat.mandates.get(),
        role="chair",
        start_date=START,
    )
    client = client_for("board_member")
    urls = [
        reverse("governance:board", kwargs={"slug": bw.w.a.slug}),
        reverse("governance:board", kwargs={"slug": bw.w.a.slug}) + "?date=2025-06-01",
        reverse("governance:history", kwargs={"slug": bw.w.a.slug}),
    ]
    small = [_count(client, url) for url in urls]
    assert Seat.objects.filter(board=bw.board).count() == 6
    _grow_to_40(bw)
    services.officer_appoint(
        by=bw.w.admin,
        board=bw.board,
        mandate=bw.seats(bw.association)[0].mandates.get(),
        role="secretary",
        start_date=START,
    )
    large = [_count(client, url) for url in urls]
    assert small == large, (small, large)


def test_simulator_and_api_query_counts_are_fixed(bw, client_for):
    from tests.governance.test_api import api

    _fill(bw)
    client = client_for("officer")
    token_client = api(bw.w.officer)
    simulate = reverse("governance:simulate", kwargs={"slug": bw.w.a.slug})
    data = {
        "rows-TOTAL_FORMS": 1,
        "rows-INITIAL_FORMS": 0,
        "rows-0-organization": bw.commune.pk,
        "rows-0-college": "local_public",
        "rows-0-voting": 3,
        "rows-0-advisory": 0,
        "rule-method": "consensus",
        "rule-threshold": "2/3",
        "rule-base": "present",
        "rule-quorum": "1/2",
        "rule-fallback_method": "qualified",
        "rule-fallback_threshold": "2/3",
        "rule-fallback_base": "present",
        "rule-fallback_from_round": 2,
    }
    base = f"/api/governance/partnerships/{bw.w.a.slug}/board"
    small = [
        _count(client, simulate, "post", data),
        _count(token_client, base + "/balance"),
        _count(token_client, base),
        _count(token_client, base + "/popolo"),
    ]
    _grow_to_40(bw)
    large = [
        _count(client, simulate, "post", data),
        _count(token_client, base + "/balance"),
        _count(token_client, base),
        _count(token_client, base + "/popolo"),
    ]
    assert small == large, (small, large)
