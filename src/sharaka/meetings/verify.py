"""``sharaka verify``: recompute the hash chain of signed minutes, errata and decisions.

Exit 0 with a one-line summary when every record matches its hash; exit 1 naming the first
broken record (``decision CA-2026-007 (id 12): hash mismatch``).
"""

from __future__ import annotations

from typing import TextIO


def main(stdout: TextIO, stderr: TextIO) -> int:
    from sharaka.meetings import chain

    problem, count = chain.verify()
    if problem is not None:
        stderr.write(f"sharaka verify: {problem}\n")
        return 1
    if count == 0:
        stdout.write("OK: nothing to verify yet (no decision and no signed minutes).\n")
    else:
        stdout.write(
            f"OK: {count} chained records verified (decisions, signed minutes, errata); "
            f"head {chain.head_hash()}\n"
        )
    return 0
