"""Who sees which meeting page: every route, per role (``world`` fixture). A user of
partnership A gets a 404 on B; the public sees published minutes only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from sharaka.core.access import Perm, Role, UnknownPermission, can, forget_grants
from sharaka.meetings import services
from sharaka.meetings.models import Decision, Meeting
from tests.conftest import sign_in
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db

READERS = ("admin", "officer", "coordinator", "board_member", "treasurer", "auditor")
MANAGERS = ("admin", "officer", "coordinator")
STRANGERS = ("other_officer", "outsider")


@dataclass
class Site:
    mw: MeetingWorld
    held: Meeting  # minutes signed and published
    planned: Meeting
    decision: Decision

    @property
    def base(self) -> str:
        return f"/partenariats/{self.mw.w.a.slug}"


@pytest.fixture
def site(mw: MeetingWorld) -> Site:
    held = mw.session()
    motion = mw.motion(held)
    mw.record(motion, chair="yes", secretary="yes")
    decision = services.motion_close(by=mw.admin, motion=motion).decision
    minutes = services.minutes_draft(by=mw.admin, meeting=held)
    services.minutes_sign(by=mw.admin, minutes=minutes, role="chair")
    services.minutes_sign(by=mw.admin, minutes=minutes, role="secretary")
    services.meeting_publish(by=mw.admin, meeting=held)
    planned = mw.meeting(days=40)
    mw.w.a.status = "active"
    mw.w.a.save()
    assert decision is not None
    return Site(mw=mw, held=held, planned=planned, decision=decision)


def _client(site: Site, role: str | None) -> Client:
    client = Client()
    if role is not None:
        sign_in(client, site.mw.w.user(role))
    return client


def _read_routes(site: Site) -> list[str]:
    m = site.held.pk
    item = site.held.items.get().pk
    return [
        f"{site.base}/reunions/",
        f"{site.base}/reunions/{m}/",
        f"{site.base}/reunions/{m}/presences/",
        f"{site.base}/reunions/{m}/quorum/",
        f"{site.base}/reunions/{m}/points/{item}/",
        f"{site.base}/reunions/{m}/proces-verbal/",
        f"{site.base}/reunions/{site.planned.pk}/invitation.ics",
        f"{site.base}/decisions/",
        f"{site.base}/decisions/{site.decision.pk}/",
    ]


def _manage_routes(site: Site) -> list[str]:
    p = site.planned.pk
    item = site.planned.items.get().pk
    return [
        f"{site.base}/reunions/nouvelle/",
        f"{site.base}/reunions/{p}/modifier/",
        f"{site.base}/reunions/{p}/convoquer/",
        f"{site.base}/reunions/{p}/ouvrir/",
        f"{site.base}/reunions/{p}/points/{item}/modifier/",
        f"{site.base}/reunions/{p}/points/{item}/retirer/",
        f"{site.base}/reunions/{site.held.pk}/proces-verbal/erratum/",
    ]


@pytest.mark.parametrize("role", [*READERS, *STRANGERS, None])
def test_read_routes_per_role(site: Site, role: str | None) -> None:
    client = _client(site, role)
    for url in _read_routes(site):
        response = client.get(url)
        if role in READERS:
            assert response.status_code == 200, url
        elif role is None:
            assert response.status_code == 302 and "/comptes/" in response["Location"], url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("role", [*READERS, *STRANGERS])
def test_manage_routes_per_role(site: Site, role: str) -> None:
    client = _client(site, role)
    for url in _manage_routes(site):
        status = client.get(url).status_code
        if role in MANAGERS:
            assert status == 200, url
        elif role in READERS:
            assert status == 403, url
        else:
            assert status == 404, url


@pytest.mark.parametrize("role", ["board_member", "coordinator", "officer"])
def test_a_user_of_a_gets_404_on_b(site: Site, role: str) -> None:
    client = _client(site, role)
    b = site.mw.w.b.slug
    assert client.get(f"/partenariats/{b}/reunions/").status_code == 404
    assert client.get(f"/partenariats/{b}/decisions/").status_code == 404
    # A's meeting under B's address, and B's meeting: not found either
    assert client.get(f"/partenariats/{b}/reunions/{site.held.pk}/").status_code == 404


def test_the_board_secretary_manages_whatever_their_grant(site: Site) -> None:
    client = Client()
    sign_in(client, site.mw.users["secretary"])  # a board_member grant, and the secretary
    assert client.get(f"{site.base}/reunions/{site.planned.pk}/convoquer/").status_code == 200
    other = Client()
    sign_in(other, site.mw.users["b"])
    assert other.get(f"{site.base}/reunions/{site.planned.pk}/convoquer/").status_code == 403


def test_posts_are_refused_like_gets(site: Site) -> None:
    client = _client(site, "board_member")
    p = site.planned.pk
    assert client.post(f"{site.base}/reunions/{p}/convoquer/").status_code == 403
    assert (
        client.post(
            f"{site.base}/reunions/{p}/ordre-du-jour/ajouter/",
            {"kind": "information", "title": "x"},
        ).status_code
        == 403
    )
    assert Meeting.objects.get(pk=p).status == "planned"
    stranger = _client(site, "outsider")
    assert stranger.post(f"{site.base}/reunions/{p}/convoquer/").status_code == 404


def test_the_public_sees_published_minutes_only(site: Site) -> None:
    client = Client()
    slug = site.mw.w.a.slug
    listing = client.get(f"/portail/{slug}/proces-verbaux/")
    assert listing.status_code == 200
    assert f"/portail/{slug}/proces-verbaux/{site.held.pk}/" in listing.content.decode()
    page = client.get(f"/portail/{slug}/proces-verbaux/{site.held.pk}/")
    assert (
        page.status_code == 200
        and "Procès-verbal de la réunion du conseil" in page.content.decode()
    )
    assert client.get(f"/portail/{slug}/proces-verbaux/{site.planned.pk}/").status_code == 404
    # nothing else is public
    for url in _read_routes(site):
        assert client.get(url).status_code == 302, url
    # a partnership that is not on the portal has no public minutes
    assert client.get(f"/portail/{site.mw.w.b.slug}/proces-verbaux/").status_code == 404


def test_unpublished_minutes_are_not_public(site: Site) -> None:
    meeting = site.mw.session()
    motion = site.mw.motion(meeting)
    site.mw.record(motion, chair="yes")
    services.motion_close(by=site.mw.admin, motion=motion)
    minutes = services.minutes_draft(by=site.mw.admin, meeting=meeting)
    services.minutes_sign(by=site.mw.admin, minutes=minutes, role="chair")
    services.minutes_sign(by=site.mw.admin, minutes=minutes, role="secretary")
    response = Client().get(f"/portail/{site.mw.w.a.slug}/proces-verbaux/{meeting.pk}/")
    assert response.status_code == 404


def test_policy_rows() -> None:
    from sharaka.core.access import POLICY

    assert Perm.BALLOT_RECORD not in POLICY[Role.BOARD_MEMBER]
    assert Perm.BALLOT_CAST_OWN in POLICY[Role.BOARD_MEMBER]
    assert Perm.MEETING_MANAGE in POLICY[Role.COORDINATOR]
    assert POLICY[Role.AUDITOR] & {Perm.BALLOT_CAST_OWN, Perm.MEETING_MANAGE} == set()
    assert Perm.MEETING_VIEW not in POLICY[Role.PUBLIC]


def test_can_is_per_partnership(site: Site) -> None:
    w = site.mw.w
    assert can(w.officer, Perm.MEETING_MANAGE, w.a) and not can(w.officer, Perm.MEETING_VIEW, w.b)


# --- Rights on a meeting come from the one policy (core.access.POLICY) ------------------------


def test_officer_roles_are_policy_roles(mw: MeetingWorld) -> None:
    from sharaka.meetings.access import officer_roles

    meeting = mw.meeting()
    board, day = meeting.board_id, meeting.day
    assert officer_roles(mw.users["chair"], board_id=board, day=day) == {Role.BOARD_CHAIR}
    assert officer_roles(mw.users["secretary"], board_id=board, day=day) == {Role.BOARD_SECRETARY}
    assert officer_roles(mw.users["b"], board_id=board, day=day) == frozenset()
    assert officer_roles(mw.w.admin, board_id=board, day=day) == frozenset()  # no person


def test_meeting_capabilities_add_the_officer_rows_of_the_policy(mw: MeetingWorld) -> None:
    from sharaka.core.access import POLICY
    from sharaka.meetings.access import meeting_can, meeting_capabilities

    meeting = mw.meeting()
    member = meeting_capabilities(mw.users["b"], meeting)
    chair = meeting_capabilities(mw.users["chair"], meeting)
    secretary = meeting_capabilities(mw.users["secretary"], meeting)
    assert member.perms == chair.perms - POLICY[Role.BOARD_CHAIR]
    assert Perm.MEETING_MANAGE in chair and Perm.BALLOT_RECORD not in chair
    assert {Perm.MEETING_MANAGE, Perm.BALLOT_RECORD} <= secretary.perms
    assert Perm.MEETING_MANAGE not in member and Perm.BALLOT_CAST_OWN in member
    assert meeting_can(mw.users["secretary"], Perm.BALLOT_RECORD, meeting)
    assert not meeting_can(mw.users["chair"], Perm.BALLOT_RECORD, meeting)
    # The template names: the permission in lower case; a typo fails loudly.
    assert secretary["ballot_record"] and not member["meeting_manage"]
    with pytest.raises(UnknownPermission):
        member["manage"]


def test_an_officer_out_of_the_partnership_gets_nothing(mw: MeetingWorld) -> None:
    """Officer rows count only for a user who sees the meetings (no grant, no rights)."""
    from sharaka.meetings.access import meeting_capabilities
    from sharaka.partnerships.models import PartnershipRole

    meeting = mw.meeting()
    chair = mw.users["chair"]
    PartnershipRole.objects.filter(user=chair).delete()
    forget_grants(chair)
    perms = meeting_capabilities(chair, meeting).perms
    assert not perms & {Perm.MEETING_VIEW, Perm.MEETING_MANAGE, Perm.BALLOT_RECORD}


@pytest.mark.parametrize(("name", "queries"), [("admin", 1), ("chair", 2), ("b", 2)])
def test_meeting_capabilities_cost_two_queries_at_most(
    mw: MeetingWorld, name: str, queries: int, django_assert_num_queries: Any
) -> None:
    """The grants (one query), and the officer roles only when the grant alone does not
    already give every officer right."""
    from sharaka.meetings.access import meeting_capabilities

    meeting = mw.meeting()
    user = type(mw.admin).objects.get(pk=(mw.admin if name == "admin" else mw.users[name]).pk)
    with django_assert_num_queries(queries):
        meeting_capabilities(user, meeting)
