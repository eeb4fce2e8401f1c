"""``sharaka verify``: recompute the hash chain of signed minutes and decisions."""

from __future__ import annotations

from typing import TextIO


def main(stdout: TextIO, stderr: TextIO) -> int:
    stdout.write("Rien à vérifier : aucun procès-verbal signé ni aucune décision.\n")
    return 0
