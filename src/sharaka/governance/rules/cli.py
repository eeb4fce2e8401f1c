"""``sharaka rules tally|power|balance [FILE|-]``: JSON in, JSON out (contract: rules-cli.md).

A thin shell over the pure functions. Exit 0 on success, 2 on bad input with exactly one
line on stderr (``sharaka rules: <field>: <problem>``); never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TextIO

from sharaka.governance.rules.balance import balance
from sharaka.governance.rules.parse import (
    WeightedInput,
    parse_balance_input,
    parse_power_input,
    parse_tally_input,
    to_json,
)
from sharaka.governance.rules.power import power_board, power_weighted
from sharaka.governance.rules.tally import tally
from sharaka.governance.rules.values import (
    BalanceReport,
    PowerResult,
    RulesInputError,
    TallyOutcome,
)

PROG = "sharaka rules"
USAGE = f"usage: {PROG} tally|power|balance [FILE|-]"
MAX_INPUT_CHARS = 50_000_000


def run_tally(document: object) -> TallyOutcome:
    given = parse_tally_input(document)
    return tally(
        given.members,
        given.attendance,
        given.rule,
        recused=given.recused,
        ballots=given.ballots,
        round=given.round,
        lang=given.lang,
    )


def run_power(document: object) -> PowerResult:
    given = parse_power_input(document)
    if isinstance(given, WeightedInput):
        return power_weighted(given.players, given.quota)
    return power_board(given.members, given.rule, given.bloc)


def run_balance(document: object) -> BalanceReport:
    given = parse_balance_input(document)
    return balance(given.members, given.rule, given.policy, given.lang, names=given.names)


COMMANDS: dict[str, Callable[[object], TallyOutcome | PowerResult | BalanceReport]] = {
    "tally": run_tally,
    "power": run_power,
    "balance": run_balance,
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
    """Run one subcommand; return the exit status (0 or 2)."""

    def fail(message: str) -> int:
        stderr.write(f"{PROG}: {_one_line(message)}\n")
        return 2

    if argv[:1] in (["-h"], ["--help"]):
        stdout.write(USAGE + "\n")
        return 0
    if not argv or argv[0] not in COMMANDS or len(argv) > 2:
        stderr.write(USAGE + "\n")
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
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        return fail(f"{where}: invalid JSON: {error}")
    try:
        result = COMMANDS[command](document)
        output = to_json(result)
    except RulesInputError as error:
        return fail(str(error))
    except RecursionError:
        return fail(f"{where}: nested too deeply")
    except MemoryError:
        return fail(f"{where}: too large to compute")
    except Exception as error:  # the edge: a bug must still not print a traceback
        return fail(f"{where}: could not be processed ({type(error).__name__}: {error})")
    stdout.write(output)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
