"""Many members casting at the same moment: no ballot lost, none recorded twice, none
accepted after the close. Threads against PostgreSQL (in process) and against a SQLite file
database (a script in a subprocess, on a copy of the test database)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sharaka.governance import services as governance_services
from sharaka.governance.composition import Group
from sharaka.governance.models import Mandate
from sharaka.meetings import services
from sharaka.meetings.models import Attendance, Motion
from sharaka.partnerships.models import GrantRole
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory, grant
from tests.governance.conftest import START, add_parties
from tests.meetings import concurrency
from tests.meetings.conftest import MeetingWorld, build_meeting_world
from tests.race import postgresql_only, race

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = 12


def _big_board(world: World) -> tuple[MeetingWorld, list[Any]]:
    association, _company = add_parties(world)
    commune = world.a.lead_authority
    board = governance_services.board_create(
        by=world.admin,
        partnership=world.a,
        established_on=START,
        target={
            Group(commune.pk, "local_public", True): MEMBERS // 2,
            Group(association.pk, "associative", True): MEMBERS // 2,
        },
    )
    users, mandates = [], {}
    for index, seat in enumerate(board.seats.order_by("pk")):
        person = PersonFactory(first_name=f"Votant{index}", last_name="Concurrent")
        mandates[f"v{index}"] = governance_services.mandate_create(
            by=world.admin, board=board, seat=seat, person=person, start_date=START
        )
        user = UserFactory(username=f"votant{index}", person=person)
        grant(user, world.a, GrantRole.BOARD_MEMBER)
        users.append(user)
    return MeetingWorld(w=world, board=board, m=mandates), users


def _open_vote(world: World) -> tuple[Motion, list[Any]]:
    mw, users = _big_board(world)
    meeting = mw.open(mw.convene(mw.meeting()))
    services.attendance_update(
        by=mw.admin,
        meeting=meeting,
        entries={
            m.pk: services.AttendanceInput("present")
            for m in Mandate.objects.filter(seat__board=mw.board)
        },
    )
    return mw.motion(meeting, mode="nominal"), users


def _run(motion: Motion, users: list[Any], tmp_path: Path, *, close_by: Any = None) -> dict:  # type: ignore[type-arg]
    ids = [u.pk for u in users]
    if connection.vendor != "sqlite":
        return concurrency.cast_all(motion.pk, ids, close_by=close_by.pk if close_by else None)
    # SQLite: copy the (in-memory) test database to a file, run the threads on the file in
    # a subprocess with the production settings (WAL, IMMEDIATE transactions, busy timeout)
    target = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    command = (
        ["cast", str(motion.pk)]
        if close_by is None
        else ["cast-and-close", str(motion.pk), str(close_by.pk)]
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "SHARAKA_VAR_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.meetings.concurrency", *command, *map(str, ids)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_simultaneous_ballots_none_lost_none_twice(world: World, tmp_path: Path) -> None:
    motion, users = _open_vote(world)
    result = _run(motion, users, tmp_path)
    assert result["outcomes"] == {"ok": MEMBERS, "already_voted": MEMBERS}, result
    assert result["ballots"] == result["distinct_voters"] == MEMBERS


def test_ballots_racing_the_close(world: World, tmp_path: Path) -> None:
    motion, users = _open_vote(world)
    result = _run(motion, users, tmp_path, close_by=world.admin)
    outcomes = result["outcomes"]
    assert outcomes.get("closed") == 1, result
    assert set(outcomes) <= {"ok", "already_voted", "motion_closed", "closed"}, result
    assert result["status"] == "closed"
    # every accepted ballot is in the database and in the tally, and nothing after the close
    assert outcomes.get("ok", 0) == result["ballots"] == result["counted"], result


@postgresql_only
def test_two_rolls_at_once_never_exceed_the_proxy_limit(world: World) -> None:
    """Two secretaries give ``a`` a second proxy at the same moment (limit one per holder):
    the meeting's row lock lets one roll in, the other is refused."""
    mw = build_meeting_world(world)
    meeting = mw.open(mw.convene(mw.meeting()))
    mw.attend(meeting, chair="present", a="present", secretary="present")
    outcomes = race(
        partial(mw.attend, meeting, b=("proxy", "a", "Pouvoir de B")),
        partial(mw.attend, meeting, c=("proxy", "a", "Pouvoir de C")),
    )
    assert sorted(outcomes) == ["invalid", "ok"], outcomes
    assert Attendance.objects.filter(meeting=meeting, proxy_holder=mw.m["a"]).count() == 1
