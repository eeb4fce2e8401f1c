"""The view models of the meeting pages (``selectors.<page>_view_get``): who may vote, for
whom, what the secretariat records, which forms a page offers — decided from the one policy,
the roll and the meeting's status, not in the views."""

from __future__ import annotations

import pytest

from sharaka.core.access import Perm
from sharaka.meetings import selectors, services
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def test_a_member_casts_their_own_ballot_and_the_proxy_they_hold(mw: MeetingWorld) -> None:
    meeting = mw.session(b=("proxy", "a", "Pouvoir écrit"))
    motion = mw.motion(meeting, mode="nominal")
    view = selectors.item_view_get(
        user=mw.users["a"], meeting=meeting, item_id=motion.item_id, lang="fr"
    )
    [panel] = view.motions
    assert [(c.label, c.for_mandate) for c in panel.casts] == [
        ("Votre vote", None),
        ("Vote pour B Membre (pouvoir)", mw.m["b"].pk),
    ]
    assert panel.eligible == 5 and not panel.own_voted
    assert panel.record_voters == () and panel.recorded is None  # not the secretariat
    assert view.recusal is None  # a vote is open: too late to declare a conflict
    services.ballot_cast(by=mw.users["a"], motion=motion, choice="yes")
    [panel] = selectors.item_view_get(
        user=mw.users["a"], meeting=meeting, item_id=motion.item_id, lang="fr"
    ).motions
    assert [c.for_mandate for c in panel.casts] == [mw.m["b"].pk] and panel.own_voted


def test_the_secretary_records_a_show_of_hands(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting)
    mw.record(motion, chair="yes")
    view = selectors.item_view_get(
        user=mw.users["secretary"], meeting=meeting, item_id=motion.item_id, lang="fr"
    )
    [panel] = view.motions
    assert panel.casts == ()  # a show of hands: members do not cast their own ballot
    pending = {row.mandate.pk for row in panel.record_voters}
    assert pending == {mw.m[n].pk for n in ("secretary", "a", "b", "c")}
    assert panel.recorded == (("Chair Membre", "Pour", False),)
    assert Perm.MEETING_MANAGE in view.can and not view.can_open_motion  # already voted


def test_an_auditor_reads_the_item_and_is_offered_nothing(mw: MeetingWorld) -> None:
    meeting = mw.session()
    item = mw.item(meeting)
    view = selectors.item_view_get(user=mw.w.auditor, meeting=meeting, item_id=item.pk, lang="fr")
    assert not view.can_open_motion and view.recusal is None and view.motions == []
    manager = selectors.item_view_get(user=mw.admin, meeting=meeting, item_id=item.pk, lang="fr")
    assert manager.can_open_motion and manager.recusal is not None and manager.recusal.manage
    member = selectors.item_view_get(
        user=mw.users["c"], meeting=meeting, item_id=item.pk, lang="fr"
    )
    assert member.recusal is not None and member.recusal.own_mandate == mw.m["c"].pk
    assert not member.recusal.manage


def test_a_closed_vote_shows_its_result_and_a_next_round_when_the_rules_allow(
    mw: MeetingWorld,
) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting)
    mw.record(motion, chair="yes", secretary="yes", a="yes", b="yes", c="yes")
    decision = services.motion_close(by=mw.admin, motion=motion).decision
    view = selectors.item_view_get(
        user=mw.users["b"], meeting=meeting, item_id=motion.item_id, lang="en"
    )
    [panel] = view.motions
    assert panel.decision == decision and panel.counts is not None and panel.counts["yes"] == 5
    assert panel.explanation and all(isinstance(s, str) for s in panel.explanation)
    assert panel.votes is not None and {v["choice"] for v in panel.votes} == {"Pour"}
    assert not view.can_next_round  # adopted


def test_the_meeting_page_offers_the_agenda_forms_to_managers_only(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    admin = selectors.meeting_view_get(user=mw.admin, meeting=meeting)
    member = selectors.meeting_view_get(user=mw.users["b"], meeting=meeting)
    chair = selectors.meeting_view_get(user=mw.users["chair"], meeting=meeting)
    assert admin.can_add_items and admin.can_add_documents and chair.can_add_items
    assert not member.can_add_items and not member.can_add_documents
    assert admin.status == "planned" and admin.quorum is None and not admin.can_reconvene


def test_a_second_convocation_is_offered_when_the_quorum_is_missed(mw: MeetingWorld) -> None:
    meeting = mw.session(chair="absent", secretary="absent", a="absent", b="absent")
    view = selectors.meeting_view_get(user=mw.admin, meeting=meeting)
    assert view.quorum is not None and not view.quorum.met and view.can_reconvene
    assert not selectors.meeting_view_get(user=mw.users["b"], meeting=meeting).can_reconvene


def test_the_attendance_sheet_is_editable_by_managers_while_the_roll_is_open(
    mw: MeetingWorld,
) -> None:
    planned = mw.meeting()
    assert not selectors.attendance_view_get(user=mw.admin, meeting=planned).editable
    convened = mw.convene(mw.meeting(days=30))
    assert selectors.attendance_view_get(user=mw.users["secretary"], meeting=convened).editable
    view = selectors.attendance_view_get(user=mw.users["a"], meeting=convened)
    assert not view.editable and {row.label for row in view.presence} == {"non notée"}


def test_the_board_officers_may_prepare_a_meeting(mw: MeetingWorld) -> None:
    w = mw.w
    for user, allowed in ((mw.users["chair"], True), (mw.users["b"], False), (w.auditor, False)):
        view = selectors.meeting_list_view_get(user=user, partnership=w.a, board=mw.board)
        assert view.can_create is allowed
    assert not selectors.meeting_list_view_get(
        user=mw.admin, partnership=w.a, board=None
    ).can_create


def test_the_minutes_page_offers_signing_and_publishing(mw: MeetingWorld) -> None:
    meeting = mw.session()
    services.minutes_draft(by=mw.admin, meeting=meeting)
    view = selectors.minutes_view_get(user=mw.users["chair"], meeting=meeting, lang="ar")
    assert [value for value, _label in view.roles_left] == ["chair", "secretary"]
    assert Perm.MINUTES_SIGN in view.can and not view.can_publish and view.lang == "ar"
    minutes = selectors.minutes_get(meeting)
    for role in ("chair", "secretary"):
        services.minutes_sign(by=mw.admin, minutes=minutes, role=role)
    meeting.refresh_from_db()
    view = selectors.minutes_view_get(user=mw.users["secretary"], meeting=meeting, lang="fr")
    assert view.roles_left == [] and view.can_publish
    assert not selectors.minutes_view_get(
        user=mw.users["b"], meeting=meeting, lang="fr"
    ).can_publish
