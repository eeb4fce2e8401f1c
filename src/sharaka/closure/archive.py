"""The closure archive: a ZIP of a partnership's key documents and data (JSON) with a
manifest of the SHA-256 digest of every file, and its verification.

``verify`` is pure (no Django: ``sharaka archive verify FILE`` runs without a database);
``closure.bundle.build`` gathers the files.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

MANIFEST = "manifest.json"
FORMAT = "sharaka-closure-archive/1"
#: Largest member ``verify`` reads (the platform's uploads are far smaller).
MAX_MEMBER = 512 * 1024 * 1024


class BadArchive(ValueError):
    """Not an archive ``verify`` can read (exit 2)."""


@dataclass(frozen=True)
class Verdict:
    checked: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_zip(files: Iterable[tuple[str, bytes]], meta: dict[str, Any]) -> bytes:
    """A ZIP of ``files`` (path, content) and its manifest (``meta`` plus every digest)."""
    entries = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            archive.writestr(path, data)
            entries.append({"path": path, "sha256": digest(data), "size": len(data)})
        manifest = {"format": FORMAT, **meta, "files": entries}
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def _sha256_of(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    if info.file_size > MAX_MEMBER:
        raise BadArchive(f"{info.filename}: larger than {MAX_MEMBER} bytes")
    sha = hashlib.sha256()
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            sha.update(chunk)
    return sha.hexdigest()


def verify(stream: IO[bytes]) -> Verdict:
    """Check every digest of the manifest, and that the archive holds exactly the files it
    lists. ``BadArchive`` when it is no ZIP, or has no readable manifest."""
    try:
        with zipfile.ZipFile(stream) as archive:
            try:
                manifest = json.loads(archive.read(MANIFEST))
            except KeyError:
                raise BadArchive("no manifest.json in the archive") from None
            except (ValueError, UnicodeDecodeError) as error:
                raise BadArchive(f"manifest.json is not JSON: {error}") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BadArchive(f"manifest.json: format is not {FORMAT}")
            files = manifest.get("files")
            if not isinstance(files, list) or not all(
                isinstance(f, dict) and isinstance(f.get("path"), str)
                and isinstance(f.get("sha256"), str) for f in files
            ):  # fmt: skip
                raise BadArchive("manifest.json: files must list {path, sha256}")
            members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
            problems: list[str] = []
            listed = set()
            for entry in files:
                path = entry["path"]
                listed.add(path)
                info = members.get(path)
                if info is None:
                    problems.append(f"missing: {path}")
                elif _sha256_of(archive, info) != entry["sha256"]:
                    problems.append(f"changed: {path}")
            for path in sorted(set(members) - listed - {MANIFEST}):
                problems.append(f"not in the manifest: {path}")
            return Verdict(checked=len(files), problems=tuple(problems))
    except zipfile.BadZipFile as error:
        raise BadArchive(f"not a ZIP archive: {error}") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as error:
        raise BadArchive(f"unreadable archive: {error}") from None


def verify_command(path: str, *, stdout: IO[str], stderr: IO[str]) -> int:
    """``sharaka archive verify FILE``: 0 every digest matches, 1 something differs (one
    line per problem), 2 bad input (one line)."""
    try:
        with open(path, "rb") as stream:
            verdict = verify(stream)
    except OSError as error:
        print(f"sharaka archive verify: {path}: {error.strerror or error}", file=stderr)
        return 2
    except BadArchive as error:
        print(f"sharaka archive verify: {path}: {error}", file=stderr)
        return 2
    for problem in verdict.problems:
        print(problem, file=stdout)
    if verdict.ok:
        print(f"OK: {verdict.checked} files, every SHA-256 digest matches", file=stdout)
        return 0
    print(f"FAILED: {len(verdict.problems)} problem(s) in {verdict.checked} files", file=stdout)
    return 1
