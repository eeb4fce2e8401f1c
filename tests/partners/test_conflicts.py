"""Conflicts of interest (law 113-14 art. 65, ADR 0030): the pure rule (hypothesis), the
declaration with its refusals and the recusal it applies, the pages that flag an undeclared
conflict, access per role, the to-do provider and its fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.errors import DomainError, NotFound
from sharaka.core.immutable import ImmutableError
from sharaka.meetings.models import AgendaItem, Recusal
from sharaka.partners import conflicts, rules
from sharaka.partners.models import BureauMember, ConflictDeclaration, Councillor
from sharaka.partnerships.models import Party, PartyRole
from tests.conftest import ROLES, World, sign_in
from tests.factories import AssociationFactory, PartnershipFactory, PersonFactory
from tests.meetings.conftest import MeetingWorld, build_meeting_world

START = date(2020, 1, 1)

# --- The rule ----------------------------------------------------------------------------------

pairs = st.sets(st.tuples(st.integers(1, 6), st.integers(1, 6)), max_size=20)


@given(pairs, pairs, pairs)
def test_a_conflict_needs_a_seat_a_bureau_and_a_link(councillors, bureau, links) -> None:
    for c in rules.conflicts(councillors, bureau, links):
        assert (c.person, c.authority) in councillors
        assert (c.person, c.association) in bureau
        assert (c.authority, c.association) in links


@given(pairs, pairs, pairs)
def test_every_such_triple_is_a_conflict(councillors, bureau, links) -> None:
    found = rules.conflicts(councillors, bureau, links)
    for person, authority in councillors:
        for member, association in bureau:
            if member == person and (authority, association) in links:
                assert rules.Conflict(person, authority, association) in found


@given(pairs, pairs, pairs, pairs)
def test_more_links_never_remove_a_conflict(councillors, bureau, links, more) -> None:
    assert rules.conflicts(councillors, bureau, links) <= rules.conflicts(
        councillors, bureau, links | more
    )


@given(pairs, pairs, pairs, st.sets(st.tuples(*(st.integers(1, 6),) * 3)))
def test_declared_conflicts_are_exactly_the_ones_left_out(councillors, bureau, links, declared):
    found = rules.conflicts(councillors, bureau, links)
    left = rules.undeclared(found, declared)
    assert left == sorted(left)
    assert {(c.person, c.authority, c.association) for c in left} == {
        (c.person, c.authority, c.association) for c in found
    } - declared


# --- Data --------------------------------------------------------------------------------------


@pytest.fixture
def mw(world: World) -> MeetingWorld:
    """Partnership A with its board; member ``a`` (a commune seat, user ``board_member``)
    is an elected member of commune A and the treasurer of Association Alpha, a party."""
    mw = build_meeting_world(world)
    person = mw.m["a"].person
    Councillor.objects.create(authority=world.a.lead_authority, person=person, start_date=START)
    BureauMember.objects.create(
        association=_alpha(mw), person=person, role="Trésorier", start_date=START
    )
    return mw


def _alpha(mw: MeetingWorld) -> Any:
    return Party.objects.get(
        partnership=mw.w.a, organization__name="Association Alpha"
    ).organization


def _declare(mw: MeetingWorld, by: Any = None, text: str = "Trésorier depuis 2020.") -> Any:
    return conflicts.conflict_declare(
        by=by or mw.w.officer, authority=mw.w.a.lead_authority, association=_alpha(mw),
        person=mw.m["a"].person, text=text,
    )  # fmt: skip


def test_the_conflict_is_found_undeclared_then_declared(mw: MeetingWorld) -> None:
    [line] = conflicts.partnership_conflicts(mw.w.a)
    assert (line.person_id, line.association, line.declared) == (
        mw.m["a"].person.pk,
        "Association Alpha",
        False,
    )
    _declare(mw)
    [line] = conflicts.partnership_conflicts(mw.w.a)
    assert line.declared


def test_no_conflict_once_the_seat_has_ended_or_without_a_shared_partnership(
    mw: MeetingWorld,
) -> None:
    alpha = _alpha(mw)
    Party.objects.filter(partnership=mw.w.a, organization=alpha).delete()
    assert conflicts.conflicts_find(authority_id=mw.w.a.lead_authority.pk) == []
    Party.objects.create(partnership=mw.w.a, organization=alpha, role=PartyRole.PARTNER)
    Councillor.objects.update(end_date=date.today() - timedelta(days=1))
    assert conflicts.conflicts_find(authority_id=mw.w.a.lead_authority.pk) == []


def test_declaring_recuses_the_member_from_items_concerning_the_association(
    mw: MeetingWorld,
) -> None:
    meeting = mw.convene(
        mw.meeting(items=(("deliberation", "Subvention"), ("deliberation", "Budget")))
    )
    AgendaItem.objects.filter(meeting=meeting, position=1).update(association=_alpha(mw))
    declaration = _declare(mw)
    assert declaration.declared_by == mw.w.officer
    recusal = Recusal.objects.get()
    assert (recusal.item.position, recusal.mandate_id) == (1, mw.m["a"].pk)
    assert "113-14" in recusal.reason


def test_the_member_declares_their_own(mw: MeetingWorld) -> None:
    declaration = _declare(mw, by=mw.w.board_member)
    assert declaration.person == mw.m["a"].person


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"text": "  "}, "text_required"),
        ({"person": "other"}, "no_conflict"),
        ({"twice": True}, "already_declared"),
    ],
)
def test_refusals_change_nothing(mw: MeetingWorld, change: dict[str, Any], code: str) -> None:
    if change.get("twice"):
        _declare(mw)
    before = (ConflictDeclaration.objects.count(), Recusal.objects.count())
    person = PersonFactory() if change.get("person") else mw.m["a"].person
    with pytest.raises(DomainError) as refused:
        conflicts.conflict_declare(
            by=mw.w.officer, authority=mw.w.a.lead_authority, association=_alpha(mw),
            person=person, text=change.get("text", "Trésorier."),
        )  # fmt: skip
    assert refused.value.code == code
    assert (ConflictDeclaration.objects.count(), Recusal.objects.count()) == before


@pytest.mark.parametrize("role", ["other_officer", "coordinator", "outsider"])
def test_nobody_else_declares(mw: MeetingWorld, role: str) -> None:
    with pytest.raises(NotFound):
        _declare(mw, by=mw.w.user(role))
    assert not ConflictDeclaration.objects.exists()


def test_a_declaration_never_changes(mw: MeetingWorld) -> None:
    declaration = _declare(mw)
    declaration.text = "Autre chose."
    with pytest.raises(ImmutableError):
        declaration.save()
    with pytest.raises(ImmutableError):
        declaration.delete()


# --- Pages -------------------------------------------------------------------------------------


def _get(user: Any, url: str) -> Any:
    client = Client()
    sign_in(client, user)
    return client.get(url)


def test_partnership_board_and_item_pages_flag_the_undeclared_conflict(mw: MeetingWorld) -> None:
    meeting = mw.convene(mw.meeting())
    AgendaItem.objects.filter(meeting=meeting).update(association=_alpha(mw))
    item = AgendaItem.objects.get(meeting=meeting)
    slug = mw.w.a.slug
    pages = [
        reverse("partnerships:detail", kwargs={"slug": slug}),
        reverse("governance:board", kwargs={"slug": slug}),
        reverse(
            "meetings:item", kwargs={"slug": slug, "meeting_id": meeting.pk, "item_id": item.pk}
        ),
    ]
    for url in pages:
        page = _get(mw.w.admin, url).content.decode()
        assert "non déclaré" in page or "Conflit d&#x27;intérêts non déclaré" in page, url
    _declare(mw)
    for url in pages:
        page = _get(mw.w.admin, url).content.decode()
        assert "non déclaré" not in page, url


def test_the_file_page_flags_it_with_a_link_to_declare(mw: MeetingWorld) -> None:
    from sharaka.partners import services

    file = services.file_open(
        by=mw.w.officer, association=_alpha(mw), authority=mw.w.a.lead_authority
    )
    page = _get(mw.w.officer, reverse("partners:file", kwargs={"pk": file.pk})).content.decode()
    assert "non déclaré" in page
    assert conflicts.declare_url(conflicts.partnership_conflicts(mw.w.a)[0]) in page


@pytest.mark.parametrize("role", [*ROLES, "member"])
def test_declaration_page_per_role(mw: MeetingWorld, role: str) -> None:
    line = conflicts.partnership_conflicts(mw.w.a)[0]
    url = conflicts.declare_url(line)
    user = mw.w.board_member if role == "member" else mw.w.user(role)
    client = Client()
    sign_in(client, user)
    # board_member is the member concerned (``a``): they may declare their own
    allowed = role in {"admin", "officer", "member", "board_member"}
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, {"text": "Trésorier de l'association."})
    assert response.status_code == (302 if allowed else 404)
    assert ConflictDeclaration.objects.exists() == allowed


# --- To-do list --------------------------------------------------------------------------------


def test_todo_for_the_officer_and_the_member(mw: MeetingWorld) -> None:
    today = date.today()
    for user in (mw.w.officer, mw.w.board_member):
        [item] = conflicts.todo_missing_declarations(user, today)
        assert "Association Alpha" in item.label
    assert conflicts.todo_missing_declarations(mw.w.other_officer, today) == []
    assert conflicts.todo_missing_declarations(mw.w.outsider, today) == []
    _declare(mw)
    assert conflicts.todo_missing_declarations(mw.w.officer, today) == []


def _more(mw: MeetingWorld, n: int) -> None:
    commune = mw.w.a.lead_authority
    person = mw.m["a"].person
    for _ in range(n):
        association = AssociationFactory()
        partnership = PartnershipFactory(lead_authority=commune)
        Party.objects.create(partnership=partnership, organization=association, role="partner")
        BureauMember.objects.create(association=association, person=person, start_date=START)
        other = PersonFactory()
        Councillor.objects.create(authority=commune, person=other, start_date=START)
        BureauMember.objects.create(association=association, person=other, start_date=START)


def test_todo_fixed_query_count(mw: MeetingWorld) -> None:
    mw.w.officer.person = PersonFactory()
    mw.w.officer.save()
    counts = []
    for n in (1, 6):
        _more(mw, n)
        with CaptureQueriesContext(connection) as queries:
            items = conflicts.todo_missing_declarations(mw.w.officer, date.today())
        counts.append(len(queries))
        assert items
    assert counts[0] == counts[1] <= 8


def test_file_page_fixed_query_count(mw: MeetingWorld) -> None:
    from sharaka.partners import services

    file = services.file_open(
        by=mw.w.officer, association=_alpha(mw), authority=mw.w.a.lead_authority
    )
    client = Client()
    sign_in(client, mw.w.officer)
    url = reverse("partners:file", kwargs={"pk": file.pk})
    counts = []
    for n in (1, 6):
        for _ in range(n):
            other = PersonFactory()
            Councillor.objects.create(
                authority=mw.w.a.lead_authority, person=other, start_date=START
            )
            BureauMember.objects.create(association=_alpha(mw), person=other, start_date=START)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
