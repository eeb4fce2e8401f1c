"""The hash chain of closed votes, decisions, signed minutes and errata, and ``sharaka
verify``: a record altered directly in the database (raw SQL) is detected and named; exit 1,
else 0. The chain is keyed (a key outside the database), covers ballots and outcomes, and is
checked against a head published earlier (``--head``, ``--head-file``)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sharaka.meetings import chain, rules, services, verify
from sharaka.meetings.models import (
    ChainHead,
    ChainLink,
    Decision,
    Erratum,
    Minutes,
    Motion,
    SecretChoice,
)
from tests.frozen import migration_apps
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _run(**options: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verify.main(out, err, **options)
    return code, out.getvalue(), err.getvalue()


def _chain(mw: MeetingWorld) -> tuple[list[Decision], Minutes]:
    """Two votes and their decisions, then signed minutes, then an erratum: six links."""
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
    assert [d.chain_position for d in decisions] == [2, 4] and minutes.chain_position == 5
    assert decisions[1].chain_prev_hash == decisions[1].motion.chain_hash
    assert minutes.chain_prev_hash == decisions[1].chain_hash
    assert list(ChainLink.objects.values_list("position", "record_type")) == [
        (1, "motion"),
        (2, "decision"),
        (3, "motion"),
        (4, "decision"),
        (5, "minutes"),
        (6, "erratum"),
    ]
    code, out, err = _run()
    assert code == 0 and err == ""
    head = ChainHead.objects.get()
    assert out.startswith("OK: 6 chained records verified") and f"head 6:{head.hash}" in out


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
    first = Decision.objects.get(pk=decisions[0].pk)
    first.text = "Texte falsifié"
    # with the key (an insider): the record holds, the next link does not
    forged = rules.chain_hash(first.chain_prev_hash, chain.decision_content(first), chain.key())
    _sql(
        "UPDATE meetings_decision SET text = %s, chain_hash = %s WHERE id = %s",
        first.text,
        forged,
        first.pk,
    )
    _sql("UPDATE meetings_chainlink SET hash = %s WHERE position = 2", forged)
    code, _out, err = _run()
    assert code == 1
    following = Motion.objects.get(pk=decisions[1].motion_id)
    assert f"{following.chain_label}: previous hash mismatch" in err


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
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 14 chained records"), ok.stderr
    key_file = tmp_path / "chain_key"  # the demo's votes created it, outside the database
    assert key_file.stat().st_mode & 0o777 == 0o600
    head_file = tmp_path / "head.json"
    exported = subprocess.run(  # noqa: S603
        [*command, "verify", "--export-head", str(head_file)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert exported.returncode == 0 and json.loads(head_file.read_text())["position"] == 14
    bad = subprocess.run(  # noqa: S603
        [*command, "verify", "--head", "12:xyz"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("sharaka verify: --head:")
    assert "Traceback" not in bad.stderr
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


# --- What the chain covers: votes, ballots, outcomes --------------------------------------


def _vote(mw: MeetingWorld, mode: str, **choices: str) -> Motion:
    """A closed vote on a one-item meeting; members vote themselves unless show of hands."""
    meeting = mw.session()
    motion = mw.motion(meeting, mode=mode)
    for name, choice in choices.items():
        if mode == "show_of_hands":
            mw.record(motion, **{name: choice})
        else:
            services.ballot_cast(by=mw.users[name], motion=motion, choice=choice)
    return services.motion_close(by=mw.admin, motion=motion).motion


def test_a_changed_public_ballot_is_named(mw: MeetingWorld) -> None:
    motion = _vote(mw, "nominal", chair="yes", secretary="yes", a="no", b="yes", c="yes")
    assert _run()[0] == 0
    _sql(
        "UPDATE meetings_ballot SET choice = 'yes' WHERE motion_id = %s AND mandate_id = %s",
        motion.pk,
        mw.m["a"].pk,
    )
    code, _out, err = _run()
    assert code == 1 and err == f"sharaka verify: {motion.chain_label}: hash mismatch\n"


def test_a_changed_secret_count_is_named(mw: MeetingWorld) -> None:
    motion = _vote(mw, "secret", chair="yes", secretary="no", a="yes", b="no", c="yes")
    content = chain.content_of("motion", Motion.objects.get(pk=motion.pk))
    # who voted, not what they chose; what was chosen, counted per college
    assert {b["choice"] for b in content["ballots"]} == {None}
    assert sum(n for per in content["secret_counts"].values() for n in per.values()) == 5
    assert all(set(per) <= {"yes", "no", "abstain"} for per in content["secret_counts"].values())
    assert _run()[0] == 0
    one_no = SecretChoice.objects.filter(motion=motion, choice="no").first()
    assert one_no is not None
    SecretChoice._base_manager.filter(pk=one_no.pk).update(choice="yes")  # as raw SQL would
    code, _out, err = _run()
    assert code == 1 and err == f"sharaka verify: {motion.chain_label}: hash mismatch\n"


def test_a_flipped_outcome_is_named(mw: MeetingWorld) -> None:
    """A rejected vote has no decision: its outcome is protected by the vote's own link."""
    motion = _vote(mw, "show_of_hands", chair="no", secretary="no", a="no", b="yes", c="no")
    assert motion.adopted is False and not Decision.objects.exists()
    _sql("UPDATE meetings_motion SET adopted = %s WHERE id = %s", True, motion.pk)
    code, _out, err = _run()
    assert code == 1 and err == f"sharaka verify: {motion.chain_label}: hash mismatch\n"


def test_a_closed_vote_outside_the_chain_is_named(mw: MeetingWorld) -> None:
    """A vote forged in the database (inserted closed, never sealed) is named."""
    motion = _vote(mw, "show_of_hands", chair="no", secretary="no", a="no", b="no", c="no")
    _sql("DELETE FROM meetings_chainlink WHERE position = %s", motion.chain_position)
    _sql("UPDATE meetings_chainhead SET position = 0, hash = %s", rules.GENESIS)
    _sql("UPDATE meetings_motion SET chain_position = NULL WHERE id = %s", motion.pk)
    code, _out, err = _run()
    assert (
        code == 1 and err == f"sharaka verify: {motion.chain_label}: closed but not in the chain\n"
    )


# --- The key: recomputing the chain without it is detected ------------------------------


def _forge(hash_function: Callable[[str, Any], str]) -> None:
    """Recompute every hash, link and the head in order, as someone holding the database
    and the code but not the key would."""
    contents: dict[str, Callable[[Any], Any]] = {
        "motion": lambda r: chain.motion_content(r, r.ballots.all(), r.secret_choices.all()),
        "decision": chain.decision_content,
        "minutes": lambda r: chain.minutes_content(r, list(r.signatures.all())),
        "erratum": chain.erratum_content,
    }
    models: dict[str, Any] = {
        "motion": Motion,
        "decision": Decision,
        "minutes": Minutes,
        "erratum": Erratum,
    }
    previous = rules.GENESIS
    for link in ChainLink.objects.order_by("position"):
        model = models[link.record_type]
        record = model.objects.get(pk=link.record_id)
        forged = hash_function(previous, contents[link.record_type](record))
        # past the models' guard, as raw SQL would
        model._base_manager.filter(pk=record.pk).update(chain_prev_hash=previous, chain_hash=forged)
        ChainLink._base_manager.filter(position=link.position).update(hash=forged)
        previous = forged
    ChainHead.objects.filter(pk=1).update(hash=previous)


def _sha256(previous: str, content: Any) -> str:
    return hashlib.sha256((previous + rules.canonical_json(content)).encode()).hexdigest()


def _hmac_guessed_key(previous: str, content: Any) -> str:
    data = (previous + rules.canonical_json(content)).encode()
    return hmac.new(b"guessed key", data, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("hash_function", [_sha256, _hmac_guessed_key])
def test_a_decision_rewritten_and_the_chain_recomputed_without_the_key_is_named(
    mw: MeetingWorld, hash_function: Callable[[str, Any], str]
) -> None:
    decisions, _minutes = _chain(mw)
    first = decisions[0]
    _sql("UPDATE meetings_decision SET text = %s WHERE id = %s", "Texte falsifié", first.pk)
    _forge(hash_function)
    code, _out, err = _run()
    assert code == 1
    # the first record re-hashed without the key is the first one named
    assert err.startswith("sharaka verify: ") and err.endswith(": hash mismatch\n")
    assert Motion.objects.get(pk=first.motion_id).chain_label in err


def test_the_same_data_under_another_key_does_not_verify(mw: MeetingWorld, settings: Any) -> None:
    _chain(mw)
    assert _run()[0] == 0
    settings.SHARAKA_CHAIN_KEY = "another key"
    assert _run()[0] == 1


def test_without_any_key_verify_says_so(mw: MeetingWorld, settings: Any) -> None:
    _chain(mw)
    settings.SHARAKA_CHAIN_KEY = ""
    code, out, err = _run()
    assert code == 2 and out == ""
    assert err.startswith("sharaka verify: no chain key: set SHARAKA_CHAIN_KEY")
    assert not Path(settings.SHARAKA_CHAIN_KEY_FILE).exists()  # verify never makes one up


def test_an_unreadable_key_file_is_reported_not_a_traceback(
    mw: MeetingWorld, settings: Any, tmp_path: Path
) -> None:
    _chain(mw)
    settings.SHARAKA_CHAIN_KEY = ""
    settings.SHARAKA_CHAIN_KEY_FILE = tmp_path / "a-folder"
    settings.SHARAKA_CHAIN_KEY_FILE.mkdir()
    code, _out, err = _run()
    assert code == 2 and err.startswith("sharaka verify: cannot read the chain key file")


def test_the_key_file_is_created_on_first_use_readable_by_its_owner_only(
    mw: MeetingWorld, settings: Any
) -> None:
    settings.SHARAKA_CHAIN_KEY = ""
    path = Path(settings.SHARAKA_CHAIN_KEY_FILE)
    assert not path.exists()
    _chain(mw)
    assert path.stat().st_mode & 0o777 == 0o600 and len(path.read_text().strip()) == 64
    assert _run()[0] == 0
    assert chain.key() == path.read_text().strip().encode()


# --- The head: deleted, moved back, and checked against a published one -------------------


def test_a_deleted_head_row_is_named(mw: MeetingWorld) -> None:
    _chain(mw)
    _sql("DELETE FROM meetings_chainhead")
    code, _out, err = _run()
    assert code == 1
    assert err == "sharaka verify: chain head missing (last record at position 6)\n"


def test_no_record_is_chained_after_the_head_row_is_deleted(mw: MeetingWorld) -> None:
    from sharaka.core.errors import DomainError

    _chain(mw)
    _sql("DELETE FROM meetings_chainhead")
    meeting = mw.session()
    motion = mw.motion(meeting)
    mw.record(motion, chair="yes", secretary="yes", a="yes")
    with pytest.raises(DomainError) as excinfo:
        services.motion_close(by=mw.admin, motion=motion)
    assert excinfo.value.code == "chain_broken"
    assert Motion.objects.get(pk=motion.pk).is_open  # nothing written


def _truncate_last_record() -> None:
    """Remove the last record (an erratum) and its link, and move the head back: a chain
    that is consistent in itself."""
    last = ChainLink.objects.order_by("-position").first()
    assert last is not None and last.record_type == "erratum"
    before = ChainLink.objects.get(position=last.position - 1)
    _sql("DELETE FROM meetings_erratum WHERE id = %s", last.record_id)
    _sql("DELETE FROM meetings_chainlink WHERE position = %s", last.position)
    _sql("UPDATE meetings_chainhead SET position = %s, hash = %s", before.position, before.hash)


def test_a_truncated_chain_is_caught_against_the_published_head(mw: MeetingWorld) -> None:
    _chain(mw)
    published = ChainHead.objects.get()
    assert _run(head=published.hash)[0] == 0
    assert _run(head=f"{published.position}:{published.hash}")[0] == 0
    _truncate_last_record()
    assert _run()[0] == 0  # nothing inside the database can tell
    code, _out, err = _run(head=published.hash)
    assert code == 1
    assert err == (
        f"sharaka verify: published head {published.hash} is not in the chain "
        "(records removed or rewritten)\n"
    )
    code, _out, err = _run(head=f"{published.position}:{published.hash}")
    assert code == 1 and "published head (position 6) is beyond the last record" in err


def test_an_earlier_head_still_verifies_once_the_chain_has_grown(mw: MeetingWorld) -> None:
    decisions, _minutes = _chain(mw)
    assert _run(head=f"2:{decisions[0].chain_hash}")[0] == 0
    code, _out, err = _run(head=f"3:{decisions[0].chain_hash}")
    assert code == 1 and "published head (position 3) differs from the chain" in err


def test_export_head_then_head_file(mw: MeetingWorld, tmp_path: Path) -> None:
    _chain(mw)
    exported = tmp_path / "head.json"
    code, _out, _err = _run(export_head=str(exported))
    data = json.loads(exported.read_text())
    assert code == 0 and (data["position"], data["hash"]) == (6, ChainHead.objects.get().hash)
    assert _run(head_file=str(exported))[0] == 0
    _truncate_last_record()
    code, _out, err = _run(head_file=str(exported))
    assert code == 1 and "published head (position 6) is beyond the last record" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"head": "abc"}, "--head: expected 64 hexadecimal digits, or POSITION:HASH"),
        ({"head": "x:" + "a" * 64}, "--head: 'x' is not a chain position"),
        ({"head_file": "/nonexistent/head.json"}, "--head-file: cannot read /nonexistent"),
        ({"head": "a" * 64, "head_file": "f"}, "give --head or --head-file, not both"),
    ],
)
def test_a_malformed_head_is_bad_input(
    mw: MeetingWorld, options: dict[str, str], message: str
) -> None:
    _chain(mw)
    code, out, err = _run(**options)
    assert code == 2 and out == "" and err.startswith(f"sharaka verify: {message}")


@pytest.mark.parametrize(
    "text", ["not json", "[1]", '{"position": 3}', '{"position": "3", "hash": "' + "a" * 64 + '"}']
)
def test_a_malformed_head_file_is_bad_input(mw: MeetingWorld, tmp_path: Path, text: str) -> None:
    path = tmp_path / "head.json"
    path.write_text(text)
    code, _out, err = _run(head_file=str(path))
    assert code == 2 and err.startswith("sharaka verify: --head-file:")


# --- Migration 0005: an existing (unkeyed) chain re-sealed with the key --------------------


def _as_before_the_migration() -> tuple[list[tuple[str, int]], str]:
    """Turn the chain into what installations had before migration 0005: decisions,
    minutes and errata only, hashed ``sha256(prev + canonical_json(content))``, votes not
    sealed. Returns the records in order and the old head."""
    old = [
        (link.record_type, link.record_id)
        for link in ChainLink.objects.order_by("position")
        if link.record_type != "motion"
    ]
    # past the models' guard (core.immutable), as the old code and raw SQL would
    Motion._base_manager.update(chain_position=None, chain_prev_hash="", chain_hash="")
    ChainLink._base_manager.all().delete()
    models: dict[str, Any] = {"decision": Decision, "minutes": Minutes, "erratum": Erratum}
    previous = rules.GENESIS
    for position, (record_type, pk) in enumerate(old, start=1):
        model = models[record_type]
        model._base_manager.filter(pk=pk).update(chain_position=position)
        record = model.objects.get(pk=pk)
        value = _sha256(previous, chain.content_of(record_type, record))
        model._base_manager.filter(pk=pk).update(chain_prev_hash=previous, chain_hash=value)
        ChainLink.objects.create(
            position=position, record_type=record_type, record_id=pk, hash=value
        )
        previous = value
    ChainHead.objects.filter(pk=1).update(position=len(old), hash=previous)
    return old, previous


def _migration() -> Any:
    import importlib

    return importlib.import_module("sharaka.meetings.migrations.0005_chain_keyed_reseal")


def test_the_migration_reseals_an_existing_chain_with_the_key(
    mw: MeetingWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    apps = migration_apps()

    decisions, _minutes = _chain(mw)
    rejected = _vote(mw, "secret", chair="no", secretary="no", a="no", b="yes", c="no")
    old, old_head = _as_before_the_migration()
    assert len(old) == 4 and _run()[0] == 1  # the old scheme does not verify under the key
    _migration().reseal(apps, None)
    # the four old records keep their order; the three closed votes follow, as they closed
    assert list(ChainLink.objects.values_list("record_type", "record_id")) == [
        *old,
        ("motion", decisions[0].motion_id),
        ("motion", decisions[1].motion_id),
        ("motion", rejected.pk),
    ]
    code, out, err = _run()
    assert code == 0 and out.startswith("OK: 7 chained records"), err
    head = ChainHead.objects.get()
    printed = capsys.readouterr().out
    assert f"old head {old_head}" in printed and f"new head 7:{head.hash}" in printed
    # and the new chain is protected like any other
    _sql("UPDATE meetings_motion SET adopted = %s WHERE id = %s", True, rejected.pk)
    assert _run()[0] == 1


def test_the_migration_refuses_to_seal_an_already_altered_chain(mw: MeetingWorld) -> None:
    apps = migration_apps()

    decisions, _minutes = _chain(mw)
    _as_before_the_migration()
    _sql("UPDATE meetings_decision SET text = %s WHERE id = %s", "Falsifié", decisions[1].pk)
    before = list(ChainLink.objects.values_list("position", "hash"))
    migration = _migration()
    with pytest.raises(migration.LegacyChainBroken, match=r"decision \(id \d+, position 2\)"):
        migration.reseal(apps, None)
    assert list(ChainLink.objects.values_list("position", "hash")) == before


def test_the_migration_leaves_an_empty_installation_without_a_key(db: None, settings: Any) -> None:
    apps = migration_apps()

    settings.SHARAKA_CHAIN_KEY = ""
    _migration().reseal(apps, None)
    assert not Path(settings.SHARAKA_CHAIN_KEY_FILE).exists() and not ChainLink.objects.exists()


# --- The head published: the portal and each signed minutes ------------------------------


def test_the_head_is_published_on_the_portal_and_in_the_signed_minutes(mw: MeetingWorld) -> None:
    import shutil

    from django.test import Client
    from django.utils import translation

    from sharaka.meetings import document

    _decisions, minutes = _chain(mw)
    services.meeting_publish(by=mw.admin, meeting=minutes.meeting)
    mw.w.a.status = "active"
    mw.w.a.save()
    head = ChainHead.objects.get()
    portal = Client().get(f"/portail/{mw.w.a.slug}/proces-verbaux/").content.decode()
    assert f"{head.position}:{head.hash}" in portal and "Empreinte de contrôle" in portal
    with translation.override(translation.get_language()):  # the request activates English
        english = Client(headers={"Accept-Language": "en"})
        page = english.get(f"/portail/{mw.w.a.slug}/proces-verbaux/").content.decode()
    assert "Audit fingerprint" in page
    # the minutes carry the head as it was when they were signed: position 5 of 6
    sealed = f"{minutes.chain_position}:{minutes.chain_hash}"
    for lang in ("fr", "ar", "en"):
        assert sealed in document.build(minutes, lang=lang).chain
    assert _run(head=sealed)[0] == 0  # what the PDF says, checked later
    if shutil.which("pdftotext"):
        pdf = Client().get(
            f"/portail/{mw.w.a.slug}/proces-verbaux/{minutes.meeting_id}/?format=pdf"
        )
        text = subprocess.run(
            ["pdftotext", "-", "-"],  # noqa: S607
            input=pdf.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert sealed in "".join(text.split())  # the hash may wrap over two lines
