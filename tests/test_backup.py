"""``sharaka backup`` and ``sharaka restore`` (ADR 0017), run as a person runs them: the real
command in a subprocess, on SQLite and on PostgreSQL, over the demo data set (which has
media files and a hash chain for ``verify``).

Each CI run tests its own vendor (``RUN_VENDOR``); the demo is loaded once (a module fixture)
and each test works on a copy
(SQLite: the var directory; PostgreSQL: databases named ``h_backup_*``, dropped at the end).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharaka import backup

PG_ADMIN_URL = os.environ.get(
    "SHARAKA_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
)
PREFIX = "h_backup"
#: CI runs the suite twice, on SQLite then on PostgreSQL (``DATABASE_URL``): each run backs up
#: and restores its own vendor, so the slow subprocess tests are not all run twice.
RUN_VENDOR = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
in_sqlite_run = pytest.mark.skipif(RUN_VENDOR != "sqlite", reason="run in the SQLite run")
in_postgresql_run = pytest.mark.skipif(
    RUN_VENDOR != "postgresql", reason="run in the PostgreSQL run"
)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SHARAKA_CHAIN_KEY"}}
    full.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args], capture_output=True, text=True, env=full,
        timeout=600, check=False,
    )  # fmt: skip


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- the two database vendors ---------------------------------------------------------------


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@dataclass
class Site:
    """One Sharaka installation: a var directory and, on PostgreSQL, a database."""

    vendor: str
    var: Path
    database: str | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {"SHARAKA_VAR_DIR": str(self.var)}
        if self.database:
            env["DATABASE_URL"] = _pg_url(self.database)
        return env

    @property
    def media(self) -> Path:
        return self.var / "media"

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.database:
            with psycopg.connect(_pg_url(self.database)) as conn:
                return list(conn.execute(sql))  # type: ignore[arg-type]
        db = sqlite3.connect(self.var / "sharaka.sqlite3")
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def execute(self, sql: str) -> None:
        if self.database:
            with psycopg.connect(_pg_url(self.database)) as conn:
                conn.execute(sql)  # type: ignore[arg-type]
            return
        db = sqlite3.connect(self.var / "sharaka.sqlite3")
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()

    def counts(self) -> dict[str, int]:
        if self.database:
            tables = [
                row[0]
                for row in self.query(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
        else:
            tables = [
                row[0]
                for row in self.query(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
                )
            ]
        return {t: self.query(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in tables}  # noqa: S608

    def state(self) -> tuple[dict[str, int], list[tuple[Any, ...]], dict[str, str]]:
        """What a refused restore must leave exactly as it was."""
        names = self.query("SELECT id, name FROM directory_organization ORDER BY id")
        return self.counts(), names, _tree(self.media)


@dataclass
class Source:
    site: Site
    archive: Path
    counts: dict[str, int]
    media: dict[str, str]


def _load_demo(site: Site) -> None:
    _ok(_run(site.env, "demo", "--no-serve"))


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    site = Site("sqlite", tmp_path_factory.mktemp("sqlite-source") / "var")
    _load_demo(site)
    archive = site.var.parent / "backup.tar.gz"
    _ok(_run(site.env, "backup", "-o", str(archive)))
    return Source(site, archive, site.counts(), _tree(site.media))


@pytest.fixture(scope="module")
def pg_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    if not _pg_available():
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}")
    name = f"{PREFIX}_src_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        site = Site("postgresql", tmp_path_factory.mktemp("pg-source") / "var", name)
        _load_demo(site)
        archive = site.var.parent / "backup.tar.gz"
        _ok(_run(site.env, "backup", "-o", str(archive)))
        yield Source(site, archive, site.counts(), _tree(site.media))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=[RUN_VENDOR])
def source(request: pytest.FixtureRequest) -> Source:
    fixture = "sqlite_source" if request.param == "sqlite" else "pg_source"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[Callable[[Source, bool], Site]]:
    """A new installation for a test: a copy of the source's (``filled``) or an empty one
    (no database content, no media), with the source's chain key."""
    created: list[str] = []

    def make(source: Source, filled: bool) -> Site:
        var = tmp_path / f"var-{len(created)}-{uuid.uuid4().hex[:6]}"
        var.mkdir()
        shutil.copy2(source.site.var / "chain_key", var / "chain_key")
        shutil.copy2(source.site.var / "secret_key", var / "secret_key")
        if source.site.database is None:
            if filled:
                shutil.copy2(source.site.var / "sharaka.sqlite3", var / "sharaka.sqlite3")
                shutil.copytree(source.site.media, var / "media")
            return Site("sqlite", var)
        name = f"{PREFIX}_{uuid.uuid4().hex[:10]}"
        created.append(name)
        if filled:
            _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{source.site.database}"')
            shutil.copytree(source.site.media, var / "media")
        else:
            _pg_admin(f'CREATE DATABASE "{name}"')
        return Site("postgresql", var, name)

    yield make
    for name in created:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- rewriting an archive, as someone tampering with it would --------------------------------


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def _write(archive: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    archive.write_bytes(buffer.getvalue())
    return archive


def _manifest(members: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(members["manifest.json"])  # type: ignore[no-any-return]


def _relist(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    """Make the manifest agree with the members (a consistent forgery)."""
    manifest["files"] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in members.items()
        if name != "manifest.json"
    }
    members["manifest.json"] = json.dumps(manifest).encode()


def _first_media(members: dict[str, bytes]) -> str:
    return next(name for name in sorted(members) if name.startswith("media/"))


def _changed_byte(members: dict[str, bytes]) -> None:
    name = _first_media(members)
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0x01
    members[name] = bytes(data)


def _missing_file(members: dict[str, bytes]) -> None:
    del members[_first_media(members)]


def _extra_file(members: dict[str, bytes]) -> None:
    members["media/extra.pdf"] = b"%PDF-1.4 not in the manifest"


def _parent_member(members: dict[str, bytes]) -> None:
    members["media/../../evil.txt"] = b"outside"
    _relist(members, _manifest(members))


def _wrong_version(members: dict[str, bytes]) -> None:
    manifest = _manifest(members)
    manifest["format_version"] = 99
    members["manifest.json"] = json.dumps(manifest).encode()


TAMPERINGS = {
    "changed byte": (_changed_byte, "SHA-256"),
    "missing file": (_missing_file, "missing from the archive"),
    "extra file": (_extra_file, "not in the manifest"),
    "../ member": (_parent_member, "unsafe member name"),
    "wrong format version": (_wrong_version, "unsupported format version 99"),
}


def _refused(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]
    assert "nothing was written" in lines[0]


# --- the tests ------------------------------------------------------------------------------


def test_round_trip_into_a_wiped_installation(
    source: Source, make_site: Callable[[Source, bool], Site]
) -> None:
    site = make_site(source, False)  # the "wiped" machine: empty database, no media
    result = _ok(_run(site.env, "restore", str(source.archive)))
    assert site.counts() == source.counts
    assert _tree(site.media) == source.media and source.media  # the demo has media files
    assert "OK:" in result.stdout and "chained records verified" in result.stdout
    assert "Chain key: not in the archive" in result.stdout
    assert _ok(_run(site.env, "verify")).stdout.startswith("OK:")


def test_the_manifest_describes_the_backup(source: Source) -> None:
    members = _members(source.archive)
    manifest = _manifest(members)
    assert manifest["format"] == "sharaka-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == source.site.vendor
    assert manifest["database"]["row_counts"] == source.counts
    assert "meetings.0001_initial" in manifest["database"]["applied_migrations"]
    assert manifest["sharaka_version"] and manifest["django_version"] and manifest["created_at"]
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry == {
            "sha256": hashlib.sha256(members[name]).hexdigest(),
            "size": len(members[name]),
        }
    assert not any("chain_key" in name for name in members)
    assert oct(source.archive.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_tampered_archive_is_refused_and_nothing_changes(
    tampering: str,
    source: Source,
    make_site: Callable[[Source, bool], Site],
    tmp_path: Path,
) -> None:
    change, reason = TAMPERINGS[tampering]
    members = _members(source.archive)
    change(members)
    forged = _write(tmp_path / "forged.tar.gz", members)
    site = make_site(source, True)
    site.execute("UPDATE directory_organization SET name = 'Changed since the backup' WHERE id = 1")
    before = site.state()
    result = _run(site.env, "restore", "--force", str(forged))
    _refused(result, reason)
    assert site.state() == before
    assert not (tmp_path / "evil.txt").exists() and not (site.var / "evil.txt").exists()


@in_sqlite_run
def test_a_corrupt_archive_is_refused(
    sqlite_source: Source, make_site: Callable[[Source, bool], Site], tmp_path: Path
) -> None:
    data = bytearray(sqlite_source.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(bytes(data))
    site = make_site(sqlite_source, True)
    before = site.state()
    result = _run(site.env, "restore", "--force", str(corrupt))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert site.state() == before
    not_gzip = tmp_path / "plain.tar.gz"
    not_gzip.write_bytes(b"this is not an archive")
    _refused(_run(site.env, "restore", str(not_gzip)), "not a Sharaka backup archive")


def test_a_non_empty_database_needs_force(
    source: Source, make_site: Callable[[Source, bool], Site]
) -> None:
    site = make_site(source, True)
    site.execute("UPDATE directory_organization SET name = 'Changed since the backup' WHERE id = 1")
    (site.media / "stray.pdf").write_bytes(b"uploaded after the backup")
    before = site.state()
    _refused(_run(site.env, "restore", str(source.archive)), "not empty; use --force")
    assert site.state() == before

    result = _ok(_run(site.env, "restore", "--force", str(source.archive)))
    assert site.counts() == source.counts
    assert site.query("SELECT name FROM directory_organization WHERE id = 1")[0][0] != (
        "Changed since the backup"
    )
    assert _tree(site.media) == source.media  # the stray upload went with the old media
    assert "chained records verified" in result.stdout


def test_a_failed_restore_keeps_the_previous_state(
    source: Source, make_site: Callable[[Source, bool], Site], tmp_path: Path
) -> None:
    """A consistent forgery whose database file is garbage: the hashes match, the restore
    itself fails (SQLite's integrity check, pg_restore), and the database and the media are
    those from before."""
    members = _members(source.archive)
    database = next(name for name in members if name.startswith("database/"))
    members[database] = b"SQLite format 3\x00" + b"\x00" * 4096 + b"garbage" * 100
    _relist(members, _manifest(members))
    forged = _write(tmp_path / "garbage.tar.gz", members)
    site = make_site(source, True)
    (site.media / "stray.pdf").write_bytes(b"uploaded after the backup")
    before = site.state()
    result = _run(site.env, "restore", "--force", str(forged))
    assert result.returncode in {1, 2}, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert site.state() == before
    assert not list(site.var.glob(".sharaka-restore-*")) and not list(site.var.glob(".media-*"))


@in_sqlite_run
def test_restore_fails_when_verify_fails(
    sqlite_source: Source, make_site: Callable[[Source, bool], Site]
) -> None:
    """Without the chain key (not in the archive), the data are restored but ``verify``
    cannot vouch for them: exit 1, and the output says where the key should be."""
    site = make_site(sqlite_source, False)
    (site.var / "chain_key").unlink()
    result = _run(site.env, "restore", str(sqlite_source.archive))
    assert result.returncode == 1
    assert site.counts() == sqlite_source.counts
    assert "none on this machine" in result.stdout
    assert "verify failed" in result.stderr
    # the key put back, verify passes on the restored data
    shutil.copy2(sqlite_source.site.var / "chain_key", site.var / "chain_key")
    assert _ok(_run(site.env, "verify")).stdout.startswith("OK:")


@in_postgresql_run
def test_an_archive_of_the_other_vendor_is_refused(
    pg_source: Source, sqlite_source: Source, make_site: Callable[[Source, bool], Site]
) -> None:
    site = make_site(sqlite_source, False)
    _refused(_run(site.env, "restore", str(pg_source.archive)), "holds a postgresql database")


@in_sqlite_run
def test_backup_bad_output_exits_2(sqlite_source: Source, tmp_path: Path) -> None:
    result = _run(sqlite_source.site.env, "backup", "-o", str(tmp_path / "no" / "such.tar.gz"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


@in_sqlite_run
def test_a_gzip_stream_that_is_cut_short_is_refused(
    sqlite_source: Source, make_site: Callable[[Source, bool], Site], tmp_path: Path
) -> None:
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(sqlite_source.archive.read_bytes()[:-200])
    site = make_site(sqlite_source, False)
    result = _run(site.env, "restore", str(cut))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert site.counts() == {} or sum(site.counts().values()) == 0


# --- member names: a pure check, property-tested ---------------------------------------------

_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=12)


def _member(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.REGTYPE
    return info


@given(st.lists(_SEGMENT.filter(lambda s: s not in {".", ".."}), min_size=1, max_size=5))
def test_plain_media_paths_are_accepted(segments: list[str]) -> None:
    name = "media/" + "/".join(segments)
    assert backup._safe_member(_member(name)) == name


@given(
    st.lists(_SEGMENT, min_size=0, max_size=3),
    st.sampled_from(["..", ".", ""]),
    st.lists(_SEGMENT, min_size=0, max_size=3),
    st.sampled_from(["media/", "database/", "/", "", "media/../"]),
)
def test_names_that_leave_the_layout_are_refused(
    before: list[str], bad: str, after: list[str], prefix: str
) -> None:
    name = prefix + "/".join([*before, bad, *after])
    with pytest.raises(backup.BackupError):
        backup._safe_member(_member(name))


@pytest.mark.parametrize(
    "kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.CHRTYPE]
)
def test_links_directories_and_devices_are_refused(kind: bytes) -> None:
    info = _member("media/a.pdf")
    info.type = kind
    with pytest.raises(backup.BackupError, match="not a regular file"):
        backup._safe_member(info)
