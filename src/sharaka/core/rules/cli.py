"""``sharaka rules progress|allocate|deadline [FILE|-]``: JSON in, JSON out (rules-cli.md).

The same shell as ``sharaka.governance.rules.cli`` (which core may not import): exit 0 on
success, 2 on bad input with exactly one line ``sharaka rules: <field>: <problem>`` on
stderr, never a traceback. ``sharaka.cli`` dispatches the six commands of ``sharaka rules``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol, TextIO

from sharaka.core.rules import allocate, deadline, progress
from sharaka.core.rules.inputs import RuleInputError

PROG = "sharaka rules"
MAX_INPUT_CHARS = 5_000_000


class Result(Protocol):
    def as_dict(self) -> dict[str, object]: ...


COMMANDS: dict[str, Callable[[object], Result]] = {
    "progress": progress.run,
    "allocate": allocate.run,
    "deadline": deadline.run,
}


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _read(path: str | None, stdin: TextIO) -> str:
    if path is None or path == "-":
        return stdin.read(MAX_INPUT_CHARS + 1)
    with open(path, encoding="utf-8") as handle:
        return handle.read(MAX_INPUT_CHARS + 1)


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run one of the three commands; return the exit status (0 or 2)."""

    def fail(message: str) -> int:
        stderr.write(f"{PROG}: {_one_line(message)}\n")
        return 2

    if not argv or argv[0] not in COMMANDS or len(argv) > 2:
        stderr.write(f"usage: {PROG} {'|'.join(COMMANDS)} [FILE|-]\n")
        return 2
    command, path = argv[0], (argv[1] if len(argv) == 2 else None)
    where = "input" if path in (None, "-") else path
    try:
        text = _read(path, stdin)
    except (OSError, UnicodeDecodeError) as error:
        return fail(f"{where}: cannot read: {getattr(error, 'strerror', None) or error}")
    if len(text) > MAX_INPUT_CHARS:
        return fail(f"{where}: larger than {MAX_INPUT_CHARS} characters")
    try:
        document = json.loads(text)
    except RecursionError:
        return fail(f"{where}: invalid JSON: nested too deeply")
    except ValueError as error:
        return fail(f"{where}: invalid JSON: {error}")
    try:
        result = COMMANDS[command](document)
        output = json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    except RuleInputError as error:
        return fail(str(error))
    except Exception as error:  # the edge: a bug must still not print a traceback
        return fail(f"{where}: could not be processed ({type(error).__name__}: {error})")
    stdout.write(output)
    return 0
