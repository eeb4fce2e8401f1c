"""The closure archive and ``sharaka archive verify FILE``: every digest checked, a changed
byte, a missing or an extra file caught (exit 1), bad input in one line (exit 2)."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sharaka import cli
from sharaka.closure import archive, bundle
from tests.closure.conftest import ClosureWorld, pdf


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return {name: source.read(name) for name in source.namelist()}


SAMPLE = archive.write_zip([("a.json", b'{"x": 1}'), ("b/c.pdf", b"%PDF-1.4 x")],
                           {"partnership": "p"})  # fmt: skip


def _run(tmp_path: Path, data: bytes, capsys: Any) -> tuple[int, str, str]:
    path = tmp_path / "archive.zip"
    path.write_bytes(data)
    code = cli.main(["archive", "verify", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_intact_archive_verifies(tmp_path: Path, capsys: Any) -> None:
    code, out, err = _run(tmp_path, SAMPLE, capsys)
    assert code == 0 and "OK: 2 files" in out and err == ""
    manifest = json.loads(_members(SAMPLE)["manifest.json"])
    assert manifest["format"] == archive.FORMAT and len(manifest["files"][0]["sha256"]) == 64


def test_a_changed_byte_is_caught(tmp_path: Path, capsys: Any) -> None:
    members = _members(SAMPLE)
    members["b/c.pdf"] = members["b/c.pdf"][:-1] + b"y"
    code, out, _err = _run(tmp_path, _zip(members), capsys)
    assert code == 1 and "changed: b/c.pdf" in out and "FAILED" in out


def test_a_missing_or_extra_file_is_caught(tmp_path: Path, capsys: Any) -> None:
    members = _members(SAMPLE)
    del members["a.json"]
    members["extra.txt"] = b"x"
    code, out, _err = _run(tmp_path, _zip(members), capsys)
    assert code == 1 and "missing: a.json" in out and "not in the manifest: extra.txt" in out


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"not a zip", "not a ZIP"), (_zip({"a.json": b"{}"}), "no manifest.json"),
     (_zip({"manifest.json": b"{"}), "not JSON"),
     (_zip({"manifest.json": b'{"format": "other"}'}), "format"),
     (_zip({"manifest.json": json.dumps({"format": archive.FORMAT, "files": [1]}).encode()}),
      "files")],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: Any, data: bytes, message: str
) -> None:
    code, out, err = _run(tmp_path, data, capsys)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_a_missing_file_is_bad_input(tmp_path: Path, capsys: Any) -> None:
    assert cli.main(["archive", "verify", str(tmp_path / "none.zip")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.django_db
def test_the_partnership_archive_verifies_and_a_tampered_copy_does_not(
    cw: ClosureWorld, tmp_path: Path, capsys: Any
) -> None:
    cw.start(document=pdf("preavis.pdf"))
    data = bundle.build(partnership=cw.a)
    assert _run(tmp_path, data, capsys)[0] == 0
    members = _members(data)
    accounts = json.loads(members["donnees/comptes-de-cloture.json"])
    assert accounts["balance"] == "2266.67" and not accounts["approved"]
    accounts["balance"] = "9266.67"
    members["donnees/comptes-de-cloture.json"] = json.dumps(accounts).encode()
    code, out, _err = _run(tmp_path, _zip(members), capsys)
    assert code == 1 and "changed: donnees/comptes-de-cloture.json" in out


@pytest.mark.django_db
def test_the_archive_holds_csv_registers_and_the_chain_verification(
    cw: ClosureWorld, tmp_path: Path, capsys: Any
) -> None:
    cw.start(document=pdf("preavis.pdf"))
    data = bundle.build(partnership=cw.a)
    members = _members(data)
    manifest = json.loads(members["manifest.json"])
    assert {f["path"] for f in manifest["files"]} == set(members) - {"manifest.json"}
    shares = members["registres/final-shares.csv"].decode("utf-8").splitlines()
    assert shares[0] == "organization,key,amount,currency"
    assert sum(Decimal(line.split(",")[2]) for line in shares[1:]) == Decimal("2266.67")
    decisions = members["registres/decisions.csv"].decode("utf-8").splitlines()
    assert decisions[0] == "number,date,title" and any("Résiliation" in d for d in decisions)
    assert members["registres/wind-down.csv"].startswith(b"position,kind,subject,owner")
    # the fixture's decisions are made outside a vote, so the chain check reports it
    verification = members["decisions/sharaka-verify.txt"].decode()
    assert verification.startswith("$ sharaka verify\nexit code: 1\n")
    assert "not in the chain" in verification
    for path in ("registres/final-shares.csv", "decisions/sharaka-verify.txt"):
        tampered = dict(members)
        tampered[path] = members[path].replace(b"e", b"E", 1)
        code, out, _err = _run(tmp_path, _zip(tampered), capsys)
        assert code == 1 and f"changed: {path}" in out


@pytest.mark.django_db
def test_the_archive_holds_the_signed_minutes_as_pdf(
    cw: ClosureWorld, tmp_path: Path, capsys: Any
) -> None:
    from django.utils import timezone

    from sharaka.meetings import minutes as minutes_record
    from sharaka.meetings.models import Minutes

    meeting = cw.decision.meeting
    signed = Minutes.objects.create(
        meeting=meeting, content=minutes_record.build(meeting), status="signed",
        signed_at=timezone.now(), chain_position=10_000, chain_prev_hash="0" * 64,
        chain_hash="a" * 64,  # built directly: what is tested is the archive, not the chain
    )  # fmt: skip
    cw.start(document=pdf("preavis.pdf"))
    members = _members(bundle.build(partnership=cw.a))
    path = f"proces-verbaux/proces-verbal-{meeting.day.isoformat()}-{signed.pk}.pdf"
    assert members[path].startswith(b"%PDF-")
    assert [p for p in members if p.startswith("proces-verbaux/")] == [path]  # signed only
    tampered = dict(members)
    tampered[path] = members[path][:-10] + b"0" * 10
    code, out, _err = _run(tmp_path, _zip(tampered), capsys)
    assert code == 1 and f"changed: {path}" in out
