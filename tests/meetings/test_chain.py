"""The hash chain of decisions, signed minutes and errata, and ``sharaka verify``: a record
altered directly in the database (raw SQL) is detected and named; exit 1, else 0."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from sharaka.meetings import services, verify
from sharaka.meetings.models import ChainHead, ChainLink, Decision, Minutes
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _run() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verify.main(out, err)
    return code, out.getvalue(), err.getvalue()


def _chain(mw: MeetingWorld) -> tuple[list[Decision], Minutes]:
    """Two decisions, then signed minutes, then an erratum: four links."""
    meeting = mw.open(
        mw.convene(mw.meeting(items=(("deliberation", "Un"), ("deliberation", "Deux"))))
    )
    mw.attend(meeting, chair="present", secretary="present", a="present")
    decisions = []
    for position in (1, 2):
        motion = mw.motion(meeting, position=position)
        mw.record(motion, chair="yes", secretary="yes")
        decisions.append(services.motion_close(by=mw.admin, motion=motion).decision)
    minutes = services.minutes_draft(by=mw.admin, meeting=meeting)
    services.minutes_sign(by=mw.admin, minutes=minutes, role="chair")
    services.minutes_sign(by=mw.admin, minutes=minutes, role="secretary")
    services.erratum_add(by=mw.admin, minutes=minutes, text="Correction")
    return decisions, Minutes.objects.get(pk=minutes.pk)  # type: ignore[return-value]


def test_nothing_to_verify(db: None) -> None:
    code, out, err = _run()
    assert (code, err) == (0, "") and out.startswith("OK: nothing to verify")


def test_an_intact_chain_verifies(mw: MeetingWorld) -> None:
    decisions, minutes = _chain(mw)
    assert [d.chain_position for d in decisions] == [1, 2] and minutes.chain_position == 3
    assert decisions[1].chain_prev_hash == decisions[0].chain_hash
    assert minutes.chain_prev_hash == decisions[1].chain_hash
    assert list(ChainLink.objects.values_list("position", "record_type")) == [
        (1, "decision"),
        (2, "decision"),
        (3, "minutes"),
        (4, "erratum"),
    ]
    code, out, err = _run()
    assert code == 0 and err == ""
    assert out.startswith("OK: 4 chained records verified") and ChainHead.objects.get().hash in out


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_decision_altered_in_the_database_is_named(mw: MeetingWorld) -> None:
    decisions, _minutes = _chain(mw)
    first = decisions[0]
    _sql("UPDATE meetings_decision SET text = %s WHERE id = %s", "Texte falsifié", first.pk)
    code, out, err = _run()
    assert code == 1 and out == ""
    assert err == f"sharaka verify: decision {first.number} (id {first.pk}): hash mismatch\n"


def test_signed_minutes_altered_in_the_database_are_named(mw: MeetingWorld) -> None:
    _decisions, minutes = _chain(mw)
    _sql("UPDATE meetings_minutes SET closing_text = %s WHERE id = %s", "ajouté", minutes.pk)
    code, _out, err = _run()
    assert code == 1
    assert f"minutes of meeting {minutes.meeting_id} (id {minutes.pk}): hash mismatch" in err


def test_a_signature_altered_in_the_database_breaks_the_minutes(mw: MeetingWorld) -> None:
    _decisions, minutes = _chain(mw)
    _sql(
        "UPDATE meetings_minutessignature SET signer_name = %s WHERE minutes_id = %s",
        "Quelqu'un d'autre",
        minutes.pk,
    )
    assert "hash mismatch" in _run()[2]


def test_a_rewritten_hash_breaks_the_next_link(mw: MeetingWorld) -> None:
    decisions, _minutes = _chain(mw)
    from sharaka.meetings import chain, rules

    first = Decision.objects.get(pk=decisions[0].pk)
    first.text = "Texte falsifié"
    forged = rules.chain_hash(first.chain_prev_hash, chain.decision_content(first))
    _sql(
        "UPDATE meetings_decision SET text = %s, chain_hash = %s WHERE id = %s",
        first.text,
        forged,
        first.pk,
    )
    _sql("UPDATE meetings_chainlink SET hash = %s WHERE position = 1", forged)
    code, _out, err = _run()
    assert code == 1
    assert f"decision {decisions[1].number} (id {decisions[1].pk}): previous hash mismatch" in err


def test_a_deleted_record_is_named(mw: MeetingWorld) -> None:
    decisions, _minutes = _chain(mw)
    last = decisions[1]
    # foreign keys are checked at commit (deferred), which a test never reaches
    _sql("DELETE FROM meetings_decision WHERE id = %s", last.pk)
    code, _out, err = _run()
    assert code == 1 and f"decision (id {last.pk}): missing record" in err


def test_verify_on_the_command_line(tmp_path: Path) -> None:
    """``sharaka verify`` as a user runs it: demo data (exit 0), then one decision altered
    with SQL behind the application's back (exit 1, naming it)."""
    if connection.vendor != "sqlite":
        pytest.skip("the command line check runs on the SQLite demo database")
    env = {**os.environ, "SHARAKA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "sharaka"]
    demo = subprocess.run(  # noqa: S603
        [*command, "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    ok = subprocess.run(  # noqa: S603
        [*command, "verify"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 6 chained records"), ok.stderr
    with sqlite3.connect(tmp_path / "sharaka.sqlite3") as db:
        number, pk = db.execute(
            "SELECT number, id FROM meetings_decision ORDER BY id DESC"
        ).fetchone()
        db.execute("UPDATE meetings_decision SET title = 'Falsifié' WHERE id = ?", (pk,))
    broken = subprocess.run(  # noqa: S603
        [*command, "verify"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert broken.returncode == 1
    assert broken.stderr.strip() == f"sharaka verify: decision {number} (id {pk}): hash mismatch"
    assert "Traceback" not in broken.stderr
