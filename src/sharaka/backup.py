"""``sharaka backup`` and ``sharaka restore``: one archive that restores (issue 18, ADR 0017).

The archive is a gzip-compressed tar holding

- ``database/sharaka.sqlite3`` (SQLite, copied by the online backup API) or
  ``database/sharaka.pgdump`` (PostgreSQL, ``pg_dump --format=custom`` on the snapshot the
  row counts were read from);
- ``media/...``: every uploaded file under ``MEDIA_ROOT`` (none when media live on S3);
- ``manifest.json``: format version, versions, database vendor and server version, applied
  migrations, row counts per table, SHA-256 and size of every other file, created-at.

``restore`` reads the whole archive and checks it against its manifest before it writes
anything; then it stages the database and the media, swaps the media directory, restores
the database in one transaction (putting the media back if that fails) and runs
``sharaka verify``. The chain key is never in the archive (docs/meetings.md): it is kept
apart, so that whoever holds a backup cannot recompute the chain.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any, TextIO

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

from sharaka.meetings import verify

FORMAT = "sharaka-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/sharaka.sqlite3"
PG_MEMBER = "database/sharaka.pgdump"
MEDIA_PREFIX = "media/"
#: Tables that ``migrate`` fills by itself: rows there do not make a database "non-empty".
MIGRATE_SEEDED = frozenset({"django_migrations", "django_content_type", "auth_permission"})
_CHUNK = 1024 * 1024
_MANIFEST_MAX = 64 * 1024 * 1024


class BackupError(Exception):
    """Bad input or an archive refused: exit 2, one line on stderr, nothing written."""


class RestoreFailed(Exception):
    """The restore itself failed after the checks: the previous state was put back."""


class CheckFailed(Exception):
    """Restored, but a check after it failed: exit 1."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass
class Manifest:
    data: dict[str, Any]
    files: dict[str, FileEntry] = field(default_factory=dict)

    @property
    def vendor(self) -> str:
        return str(self.data["database"]["vendor"])

    @property
    def row_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.data["database"]["row_counts"].items()}

    @property
    def migrations(self) -> list[str]:
        return [str(name) for name in self.data["database"]["applied_migrations"]]


@dataclass(frozen=True)
class Summary:
    vendor: str
    tables: int
    rows: int
    media_files: int
    media_included: bool


# --- the database ---------------------------------------------------------------------------


def _vendor() -> str:
    return "sqlite" if connection.vendor == "sqlite" else str(connection.vendor)


def _sqlite_path() -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("the SQLite database is in memory: there is nothing on disk to back up")
    return Path(name)


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _sqlite_migrations(db: sqlite3.Connection) -> list[str]:
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        return []
    return [f"{app}.{name}" for app, name in rows]


def _django_counts() -> dict[str, int]:
    """Rows per table of the default database, through Django's connection."""
    with connection.cursor() as cursor:
        tables = sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        )
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _django_migrations() -> list[str]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump, pg_restore and psql: the password never in argv."""
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE"),
    ):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run_tool(arguments: list[str], *, what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603
            arguments, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{arguments[0]} not found: install the PostgreSQL client (same major version "
            "as the server or newer)"
        ) from None
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-1:]) or f"exit {result.returncode}"
        raise RestoreFailed(f"{what} failed: {detail}")


def is_empty() -> bool:
    """True when no table holds a row beyond what ``migrate`` writes by itself."""
    return all(
        count == 0 for table, count in _django_counts().items() if table not in MIGRATE_SEEDED
    )


def _dump_database(staging: Path) -> tuple[Path, dict[str, Any]]:
    """Copy the database into ``staging``; return the file and the manifest's database part,
    both read from one consistent state."""
    vendor = _vendor()
    if vendor == "sqlite":
        target = staging / "sharaka.sqlite3"
        if not _sqlite_path().is_file():
            raise BackupError(f"no database at {_sqlite_path()}")
        source = sqlite3.connect(_sqlite_path(), timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: one consistent snapshot
            counts, migrations = _sqlite_counts(copy), _sqlite_migrations(copy)
        finally:
            copy.close()
            source.close()
        server = sqlite3.sqlite_version
    elif vendor == "postgresql":
        target = staging / "sharaka.pgdump"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server = cursor.fetchone()
            counts, migrations = _django_counts(), _django_migrations()
            # pg_dump reads the very snapshot the counts were read from
            _run_tool(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={target}"],
                what="pg_dump",
            )  # fmt: skip
    else:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {vendor}")
    return target, {
        "vendor": vendor,
        "server_version": str(server),
        "applied_migrations": migrations,
        "row_counts": counts,
    }


# --- media ----------------------------------------------------------------------------------


def media_on_disk() -> Path | None:
    """``MEDIA_ROOT`` when uploads are stored on this file system, else None (S3)."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield MEDIA_PREFIX + path.relative_to(root).as_posix(), path


# --- writing the archive --------------------------------------------------------------------


class _HashingReader:
    """Hashes what tarfile reads, so a file is hashed exactly as it went into the archive."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path, files: dict[str, dict[str, Any]]) -> None:
    with path.open("rb") as handle:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(handle.fileno()).st_size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def create(output: Path) -> Summary:
    """Write the archive to ``output`` (through a temporary file beside it, mode 0600)."""
    output = output.resolve()
    if output.is_dir():
        raise BackupError(f"{output} is a directory; give a file name")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} does not exist")
    media_root = media_on_disk()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".sharaka-backup-") as tmp:
        staging = Path(tmp)
        database_file, database = _dump_database(staging)
        member = SQLITE_MEMBER if database["vendor"] == "sqlite" else PG_MEMBER
        partial = staging / "archive.tar.gz"
        files: dict[str, dict[str, Any]] = {}
        media_count = 0
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(descriptor, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as compressed,
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            _add(tar, member, database_file, files)
            if media_root is not None:
                for name, path in _media_files(media_root):
                    _add(tar, name, path, files)
                    media_count += 1
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
                "sharaka_version": metadata.version("sharaka"),
                "django_version": django.get_version(),
                "database": database,
                "media": {
                    "included": media_root is not None,
                    "files": media_count,
                    "note": "" if media_root is not None else "media on S3: back the bucket up",
                },
                "chain_key": "not included: keep SHARAKA_CHAIN_KEY or var/chain_key apart",
                "files": files,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        os.replace(partial, output)
    counts = database["row_counts"]
    return Summary(
        vendor=database["vendor"], tables=len(counts), rows=sum(counts.values()),
        media_files=media_count, media_included=media_root is not None,
    )  # fmt: skip


# --- reading and checking the archive -------------------------------------------------------


def _safe_member(member: tarfile.TarInfo) -> str:
    """The member's name when it is a regular file at a plain relative path inside the
    archive's layout; a refusal otherwise (``../``, absolute paths, links, devices)."""
    name = member.name
    if not member.isfile():
        raise BackupError(f"{name!r} is not a regular file (links and devices are refused)")
    if (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or posixpath.normpath(name) != name
        or any(part in {"", ".", ".."} for part in name.split("/"))
    ):
        raise BackupError(f"unsafe member name {name!r}")
    if name != MANIFEST and not name.startswith(("database/", MEDIA_PREFIX)):
        raise BackupError(f"unexpected member {name!r}")
    return name


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:gz")
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{path}: not a Sharaka backup archive ({error})") from None


def _parse_manifest(raw: bytes) -> Manifest:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError("manifest.json is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("manifest.json is not a Sharaka backup manifest")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"unsupported format version {version!r} (this Sharaka reads {FORMAT_VERSION})"
        )
    try:
        files = {
            str(name): FileEntry(sha256=str(entry["sha256"]), size=int(entry["size"]))
            for name, entry in data["files"].items()
        }
        database = data["database"]
        vendor = database["vendor"]
        dict(database["row_counts"])
        list(database["applied_migrations"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BackupError("manifest.json lacks files or database details") from None
    expected = {"sqlite": SQLITE_MEMBER, "postgresql": PG_MEMBER}.get(str(vendor))
    if expected is None:
        raise BackupError(f"manifest.json names an unknown database vendor {vendor!r}")
    if expected not in files:
        raise BackupError(f"the archive lists no {expected}")
    return Manifest(data=data, files=files)


def _hash_stream(handle: IO[bytes], sink: IO[bytes] | None = None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def _walk(path: Path, on_file: Any) -> bytes | None:
    """Read every member in order; ``on_file(name, handle)`` for each; the manifest's bytes."""
    manifest: bytes | None = None
    seen: set[str] = set()
    with _open(path) as tar:
        try:
            for member in tar:
                name = _safe_member(member)
                if name in seen:
                    raise BackupError(f"{name!r} appears twice")
                seen.add(name)
                handle = tar.extractfile(member)
                assert handle is not None  # a regular file
                if name == MANIFEST:
                    if member.size > _MANIFEST_MAX:
                        raise BackupError("manifest.json is implausibly large")
                    manifest = handle.read()
                else:
                    on_file(name, handle)
        except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
            raise BackupError(f"{path}: damaged archive ({error})") from None
    return manifest


def check(path: Path) -> Manifest:
    """Read the whole archive and hold it against its manifest; write nothing."""
    found: dict[str, tuple[str, int]] = {}

    def on_file(name: str, handle: IO[bytes]) -> None:
        found[name] = _hash_stream(handle)

    raw = _walk(path, on_file)
    if raw is None:
        raise BackupError("the archive has no manifest.json")
    manifest = _parse_manifest(raw)
    missing = sorted(set(manifest.files) - set(found))
    if missing:
        raise BackupError(f"{missing[0]} is listed in the manifest but missing from the archive")
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise BackupError(f"{extra[0]} is in the archive but not in the manifest")
    for name, entry in sorted(manifest.files.items()):
        digest, size = found[name]
        if size != entry.size or digest != entry.sha256:
            raise BackupError(f"{name}: SHA-256 or size does not match the manifest")
    return manifest


def _extract(path: Path, manifest: Manifest, database_dir: Path, media_dir: Path) -> None:
    """Second pass: write the checked members into the staging directories, re-hashing (the
    file must not have changed since :func:`check`)."""
    database_dir.mkdir(parents=True, exist_ok=True)
    media_dir.mkdir(parents=True, exist_ok=True)

    def on_file(name: str, handle: IO[bytes]) -> None:
        if name.startswith(MEDIA_PREFIX):
            target = media_dir / name.removeprefix(MEDIA_PREFIX)
        else:
            target = database_dir / posixpath.basename(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as sink:
            digest, _size = _hash_stream(handle, sink)
        if digest != manifest.files[name].sha256:
            raise BackupError(f"{name} changed while it was being restored")

    _walk(path, on_file)


# --- restoring ------------------------------------------------------------------------------


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _sqlite_restore(staged: Path, expected: dict[str, int]) -> None:
    copy = sqlite3.connect(staged)
    try:
        try:
            status = copy.execute("PRAGMA integrity_check").fetchone()[0]
            counts = _sqlite_counts(copy)
        except sqlite3.DatabaseError as error:
            status = str(error)
        if status != "ok":
            raise BackupError(f"the database in the archive fails SQLite's check: {status}")
        if counts != expected:
            raise BackupError("the database's row counts do not match the manifest")
        connections.close_all()
        live = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            # one step: SQLite writes the whole copy in one transaction or nothing
            copy.backup(live)
        except sqlite3.Error as error:
            raise RestoreFailed(f"SQLite could not write the database: {error}") from None
        finally:
            live.close()
    finally:
        copy.close()


def _pg_restore(staged: Path, staging: Path) -> None:
    script = staging / "restore.sql"
    _run_tool(
        ["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(staged)],
        what="pg_restore",
    )
    prelude = staging / "prelude.sql"
    # In one transaction with the script: a failure anywhere leaves the database as it was.
    prelude.write_text(
        "SET lock_timeout = '30s';\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n",
        encoding="utf-8",
    )
    connections.close_all()
    _run_tool(
        ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
         f"--file={prelude}", f"--file={script}"],
        what="restoring the PostgreSQL dump",
    )  # fmt: skip


@contextlib.contextmanager
def _swapped_media(staged: Path, root: Path | None) -> Iterator[int]:
    """Put the staged media in place of ``MEDIA_ROOT`` by renames; put the previous media
    back if the block fails, remove them if it succeeds."""
    if root is None:
        yield 0
        return
    count = sum(1 for path in staged.rglob("*") if path.is_file())
    root.parent.mkdir(parents=True, exist_ok=True)
    previous = root.with_name(f".{root.name}-previous-{os.getpid()}")
    had_previous = root.exists()
    try:
        if had_previous:
            root.rename(previous)
        staged.rename(root)
    except OSError as error:  # a mount point cannot be renamed: mount its parent instead
        if had_previous and previous.exists() and not root.exists():
            previous.rename(root)
        raise RestoreFailed(f"cannot put the media in place of {root}: {error.strerror}") from None
    try:
        yield count
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        if had_previous:
            previous.rename(root)
        raise
    if had_previous:
        shutil.rmtree(previous, ignore_errors=True)


def restore(path: Path, *, force: bool, out: TextIO) -> Manifest:
    """Check, stage, swap media, restore the database; raise before writing anything when
    the archive or the situation is refused."""
    manifest = check(path)
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"the archive holds a {manifest.vendor} database but DATABASE_URL is {vendor}"
        )
    unknown = sorted(set(manifest.migrations) - _known_migrations())
    if unknown:
        raise BackupError(
            f"the archive comes from a newer Sharaka (migration {unknown[0]} is unknown here); "
            "restore it with that version"
        )
    if not force and not is_empty():
        raise BackupError("the database is not empty; use --force to replace its contents")
    media_root = media_on_disk()
    if manifest.data.get("media", {}).get("included") is False and media_root is not None:
        out.write("Media: the archive holds none (they were on S3); local media left as they are\n")
        media_root = None
    out.write(
        f"Archive checked: {len(manifest.files)} files match the manifest of "
        f"{manifest.data.get('created_at')} (Sharaka {manifest.data.get('sharaka_version')}, "
        f"{vendor} {manifest.data['database'].get('server_version')})\n"
    )
    parent = media_root.parent if media_root is not None else Path(settings.VAR_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=".sharaka-restore-") as tmp:
        staging = Path(tmp)
        _extract(path, manifest, staging / "database", staging / "media")
        staged_db = (
            staging
            / "database"
            / posixpath.basename(SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER)
        )
        with _swapped_media(staging / "media", media_root) as media_count:
            if vendor == "sqlite":
                _sqlite_restore(staged_db, manifest.row_counts)
            else:
                _pg_restore(staged_db, staging)
    counts = _django_counts()
    out.write(
        f"Database restored: {len(counts)} tables, {sum(counts.values())} rows; "
        f"media restored: {media_count} files\n"
    )
    if counts != manifest.row_counts:
        raise CheckFailed("the restored database's row counts differ from the manifest")
    pending = _known_migrations() - set(_django_migrations())
    if pending:
        out.write(f"{len(pending)} migrations of this version were not applied: migrating\n")
        call_command("migrate", interactive=False, verbosity=0)
    return manifest


# --- the two commands -----------------------------------------------------------------------


def chain_key_note() -> str:
    if settings.SHARAKA_CHAIN_KEY:
        where = "this machine takes it from SHARAKA_CHAIN_KEY"
    elif Path(settings.SHARAKA_CHAIN_KEY_FILE).exists():
        where = f"this machine uses {settings.SHARAKA_CHAIN_KEY_FILE}"
    else:
        where = (
            f"none on this machine: set SHARAKA_CHAIN_KEY or put the key file back at "
            f"{settings.SHARAKA_CHAIN_KEY_FILE}"
        )
    return f"Chain key: not in the archive, by design (docs/meetings.md); {where}\n"


def backup_command(output: str, *, stdout: TextIO, stderr: TextIO) -> int:
    try:
        summary = create(Path(output))
    except BackupError as error:
        stderr.write(f"sharaka backup: {error}\n")
        return 2
    except RestoreFailed as error:  # pg_dump failed
        stderr.write(f"sharaka backup: {error}; no archive written\n")
        return 1
    media = (
        f"{summary.media_files} media files"
        if summary.media_included
        else "no media (stored on S3: back the bucket up with its own tools)"
    )
    stdout.write(
        f"Backup written to {output}: {summary.vendor} database ({summary.tables} tables, "
        f"{summary.rows} rows), {media}\n"
    )
    stdout.write(
        "Chain key: not in the archive, by design; keep a copy of SHARAKA_CHAIN_KEY or "
        f"{settings.SHARAKA_CHAIN_KEY_FILE} apart from the backups (docs/meetings.md)\n"
    )
    return 0


def restore_command(archive: str, *, force: bool, stdout: TextIO, stderr: TextIO) -> int:
    try:
        restore(Path(archive), force=force, out=stdout)
    except BackupError as error:
        stderr.write(f"sharaka restore: refused: {error}; nothing was written\n")
        return 2
    except RestoreFailed as error:
        stderr.write(f"sharaka restore: {error}; the previous state was kept\n")
        return 1
    except CheckFailed as error:
        stderr.write(f"sharaka restore: restored, but {error}\n")
        return 1
    stdout.write(chain_key_note())
    status = verify.main(stdout, stderr)
    if status != 0:
        stderr.write("sharaka restore: restored, but sharaka verify failed (above)\n")
        return 1
    return 0
