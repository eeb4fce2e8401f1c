"""Meeting fixtures: partnership A (of the ``world`` fixture) with a board of five voting
members (two communal, two associative, one private) and one expert; a chair and a
secretary; users linked to their directory person for the members who vote themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from sharaka.governance import services as governance_services
from sharaka.governance.models import Board, GovernanceSettings, Mandate, Seat
from sharaka.meetings import services
from sharaka.meetings.models import AgendaItem, Meeting, Motion
from sharaka.partnerships.models import GrantRole
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory, grant
from tests.governance.conftest import START, add_parties, default_target

NAMES = ("chair", "secretary", "a", "b", "c", "expert")


@dataclass
class MeetingWorld:
    w: World
    board: Board
    m: dict[str, Mandate]  # by name
    users: dict[str, Any] = field(default_factory=dict)  # by member name

    @property
    def admin(self) -> Any:
        return self.w.admin

    def settings(self, **fields: Any) -> None:
        GovernanceSettings.objects.filter(partnership=self.w.a).update(**fields)

    def meeting(
        self,
        *,
        days: int = 20,
        items: tuple[tuple[str, str], ...] = (("deliberation", "Budget"),),
        **fields: Any,
    ) -> Meeting:
        starts = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=days), time(10))
        )
        meeting = services.meeting_create(
            by=self.admin,
            partnership=self.w.a,
            fields={"starts_at": starts, "place": "Salle du conseil", **fields},
        )
        for kind, title in items:
            services.item_add(by=self.admin, meeting=meeting, fields={"kind": kind, "title": title})
        return meeting

    def convene(self, meeting: Meeting) -> Meeting:
        services.meeting_convene(by=self.admin, meeting=meeting)
        return Meeting.objects.get(pk=meeting.pk)

    def open(self, meeting: Meeting) -> Meeting:
        services.meeting_open(by=self.admin, meeting=meeting, at=meeting.starts_at)
        return Meeting.objects.get(pk=meeting.pk)

    def attend(self, meeting: Meeting, **statuses: Any) -> None:
        """``attend(m, a="present", b=("proxy", "a", "ref"))``; unnamed voting members
        stay as they are."""
        entries = {}
        for name, status in statuses.items():
            if isinstance(status, tuple):
                kind, holder, reference = status
                entries[self.m[name].pk] = services.AttendanceInput(
                    kind, self.m[holder].pk, reference
                )
            else:
                entries[self.m[name].pk] = services.AttendanceInput(status)
        services.attendance_update(by=self.admin, meeting=meeting, entries=entries)

    def session(self, **statuses: Any) -> Meeting:
        """A meeting in session, everybody present unless said otherwise."""
        meeting = self.open(self.convene(self.meeting()))
        everyone = dict.fromkeys(NAMES, "present")
        everyone.update(statuses)
        present_first = dict(sorted(everyone.items(), key=lambda kv: isinstance(kv[1], tuple)))
        self.attend(meeting, **present_first)
        return meeting

    def item(self, meeting: Meeting, position: int = 1) -> AgendaItem:
        return AgendaItem.objects.get(meeting=meeting, position=position)

    def motion(
        self, meeting: Meeting, *, mode: str = "show_of_hands", position: int = 1, **extra: Any
    ) -> Motion:
        return services.motion_open(
            by=self.admin,
            item=self.item(meeting, position),
            text="Le conseil adopte.",
            voting_mode=mode,
            **extra,
        )

    def record(self, motion: Motion, **choices: str) -> None:
        for name, choice in choices.items():
            services.ballot_record(
                by=self.admin, motion=motion, mandate_id=self.m[name].pk, choice=choice
            )


def build_meeting_world(world: World) -> MeetingWorld:
    association, company = add_parties(world)
    commune = world.a.lead_authority
    board = governance_services.board_create(
        by=world.admin,
        partnership=world.a,
        target=default_target(commune, association, company),
        established_on=START,
    )
    seats = {
        "commune": list(Seat.objects.filter(board=board, organization=commune).order_by("pk")),
        "association": list(
            Seat.objects.filter(board=board, organization=association).order_by("pk")
        ),
        "company": list(Seat.objects.filter(board=board, organization=company)),
        "expert": list(Seat.objects.filter(board=board, voting=False)),
    }
    placement = {
        "chair": seats["commune"][0],
        "a": seats["commune"][1],
        "secretary": seats["association"][0],
        "b": seats["association"][1],
        "c": seats["company"][0],
        "expert": seats["expert"][0],
    }
    mandates = {}
    for name in NAMES:
        person = PersonFactory(
            first_name=name.capitalize(),
            last_name="Membre",
            email=f"{name}@example.org" if name != "c" else "",
        )
        mandates[name] = governance_services.mandate_create(
            by=world.admin, board=board, seat=placement[name], person=person, start_date=START
        )
    for role, name in (("chair", "chair"), ("secretary", "secretary")):
        governance_services.officer_appoint(
            by=world.admin, board=board, mandate=mandates[name], role=role, start_date=START
        )
    users = {"a": world.board_member}
    world.board_member.person = mandates["a"].person
    world.board_member.save()
    for name in ("chair", "secretary", "b", "c", "expert"):
        user = UserFactory(username=f"user_{name}", person=mandates[name].person)
        grant(user, world.a, GrantRole.BOARD_MEMBER)
        users[name] = user
    return MeetingWorld(w=world, board=board, m=mandates, users=users)


@pytest.fixture
def mw(world: World) -> MeetingWorld:
    return build_meeting_world(world)
