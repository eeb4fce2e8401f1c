"""``sharaka verify``: recompute the hash chain of closed votes, decisions, signed minutes
and errata.

Exit 0 with a one-line summary when every record matches its hash (and, with ``--head`` or
``--head-file``, the chain still holds the head published earlier); exit 1 naming the first
problem (``decision CA-2026-007 (id 12): hash mismatch``); exit 2 on bad input (a malformed
head, an unreadable head file, no chain key), one line on stderr.

``--export-head FILE`` writes the verified head as JSON (``{"position": N, "hash": ...}``),
the file ``--head-file`` reads back later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone

from sharaka.meetings import chain, rules

PROG = "sharaka verify"


class BadInput(Exception):
    pass


def _anchor(head: str | None, head_file: str | None) -> Any:
    if head is not None and head_file is not None:
        raise BadInput("give --head or --head-file, not both")
    if head is not None:
        position: int | None = None
        value = head.strip().lower()
        if ":" in value:  # POSITION:HASH, as the portal and the minutes print it
            number, value = value.split(":", 1)
            if not number.isdigit() or int(number) < 1:
                raise BadInput(f"--head: {number!r} is not a chain position")
            position = int(number)
        if not rules.is_hash(value):
            raise BadInput("--head: expected 64 hexadecimal digits, or POSITION:HASH")
        return rules.Anchor(hash=value, position=position)
    if head_file is not None:
        try:
            data = json.loads(Path(head_file).read_text(encoding="utf-8"))
        except OSError as error:
            raise BadInput(f"--head-file: cannot read {head_file}: {error.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadInput(f"--head-file: {head_file} is not a JSON head file") from None
        if not isinstance(data, dict):
            raise BadInput(f"--head-file: {head_file} is not a JSON head file")
        stored_hash, stored_position = data.get("hash"), data.get("position")
        if not isinstance(stored_hash, str) or not rules.is_hash(stored_hash):
            raise BadInput(f"--head-file: {head_file} has no valid 'hash'")
        if (
            not isinstance(stored_position, int)
            or isinstance(stored_position, bool)
            or stored_position < 0
        ):
            raise BadInput(f"--head-file: {head_file} has no valid 'position'")
        if stored_position == 0:
            return None  # exported from an empty chain: anything extends it
        return rules.Anchor(hash=stored_hash, position=stored_position)
    return None


def main(
    stdout: TextIO,
    stderr: TextIO,
    *,
    head: str | None = None,
    head_file: str | None = None,
    export_head: str | None = None,
) -> int:
    try:
        anchor = _anchor(head, head_file)
        result = chain.verify(anchor=anchor)
    except BadInput as error:
        stderr.write(f"{PROG}: {error}\n")
        return 2
    except chain.ChainKeyMissing as error:
        stderr.write(f"{PROG}: {error}\n")
        return 2
    if result.problem is not None:
        stderr.write(f"{PROG}: {result.problem}\n")
        return 1
    if export_head is not None:
        exported = {
            "position": result.position,
            "hash": result.hash,
            "verified_at": timezone.now().isoformat(timespec="seconds"),
        }
        try:
            Path(export_head).write_text(json.dumps(exported, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            stderr.write(f"{PROG}: --export-head: cannot write {export_head}: {error.strerror}\n")
            return 2
    anchored = " (contains the published head)" if anchor is not None else ""
    if result.count == 0:
        stdout.write("OK: nothing to verify yet (no closed vote and no signed minutes).\n")
    else:
        stdout.write(
            f"OK: {result.count} chained records verified (votes, decisions, signed minutes, "
            f"errata){anchored}; head {result.position}:{result.hash}\n"
        )
    return 0
