"""Benchmark: exact voting power of weighted games against the PyPI package ``powerindex``.

Not a test. Run from the repository root:

    uv run --with powerindex python bench/bench_power.py

``powerindex`` is not a project dependency; without it the peer columns say "absent".
The peer runs in a subprocess with a time cap, so a slow or failing peer cannot stall the
run. For each seeded random game (weights 1..100, quota half the total + 1) it prints our
time (Banzhaf + Shapley-Shubik + swings, veto players, minimal winning coalitions), the
peer's time for Banzhaf + Shapley-Shubik, the ratio, and whether the indices agree to 1e-9.
Then it times a 20-bloc board game.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from sharaka.governance.rules import (
    Base,
    Bloc,
    CollegeRule,
    CollegesRequired,
    Member,
    Method,
    Rule,
    TieBreak,
    kernel,
    power_board,
    power_weighted,
)

SIZES = (15, 50, 100, 200, 400)
PEER_TIMEOUT_S = 120.0
TOLERANCE = 1e-9

PEER_SCRIPT = r"""
import json, sys, time
try:
    import powerindex
except ImportError:
    print(json.dumps({"status": "absent"}))
    sys.exit(0)
weights, quota = json.loads(sys.stdin.read())
game = powerindex.Game(quota, weights=weights)
for index in ("banzhaf", "shapley"):
    try:
        started = time.perf_counter()
        if index == "banzhaf":
            game.calc_banzhaf()
            values = game.banzhaf
        else:
            game.calc_shapley_shubik()
            values = game.shapley_shubik
        line = {"index": index, "seconds": time.perf_counter() - started, "values": values}
    except Exception as error:  # report the failure, the bench goes on
        line = {"index": index, "failed": type(error).__name__}
    print(json.dumps(line), flush=True)
"""


def game(n: int) -> tuple[list[int], int]:
    rnd = random.Random(n)
    weights = [rnd.randint(1, 100) for _ in range(n)]
    return weights, sum(weights) // 2 + 1


def run_peer(weights: list[int], quota: int) -> dict[str, dict[str, Any]] | str:
    """Per index: ``{"seconds", "values"}`` or ``{"failed": reason}``; or why nothing ran."""
    try:
        completed = subprocess.run(
            [sys.executable, "-c", PEER_SCRIPT],
            input=json.dumps([weights, quota]),
            capture_output=True,
            text=True,
            timeout=PEER_TIMEOUT_S,
            check=False,
        )
        output = completed.stdout
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        output = raw.decode() if isinstance(raw, bytes) else raw
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    if lines and lines[0].get("status") == "absent":
        return "absent"
    found = {line["index"]: line for line in lines}
    timeout = {"failed": f"timeout > {PEER_TIMEOUT_S:.0f} s"}
    return {index: found.get(index, timeout) for index in ("banzhaf", "shapley")}


def _peer_cell(ours: Mapping[str, Fraction], ids: list[str], peer: dict[str, Any]) -> str:
    if "failed" in peer:
        return str(peer["failed"])
    worst = max(abs(float(ours[p]) - v) for p, v in zip(ids, peer["values"], strict=True))
    agree = "agrees" if worst <= TOLERANCE else "DIFFERS"
    return f"{peer['seconds']:.3f} s, {agree} ({worst:.0e})"


def timed_power(ids: list[str], weights: list[int], quota: int, *, compiled: bool) -> Any:
    """``(seconds, result)`` with the compiled kernel (ADR 0007) or the pure-Python code."""
    saved = kernel.AVAILABLE
    kernel.AVAILABLE = compiled and saved
    try:
        started = time.perf_counter()
        result = power_weighted(list(zip(ids, weights, strict=True)), quota)
        return time.perf_counter() - started, result
    finally:
        kernel.AVAILABLE = saved


def weighted_table() -> None:
    print("Weighted games, weights 1..100, quota = total // 2 + 1 (seeded)")
    if not kernel.AVAILABLE:
        print("(the compiled kernel is not built: both 'ours' columns are the pure-Python code)")
    header = (
        "players",
        "quota",
        "ours, compiled (s)",
        "ours, pure Python (s)",
        "pure / compiled",
        "powerindex Banzhaf",
        "powerindex Shapley-Shubik",
        "powerindex / ours",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for n in SIZES:
        weights, quota = game(n)
        ids = [f"p{k}" for k in range(n)]
        ours_s, ours = timed_power(ids, weights, quota, compiled=True)
        assert sum(ours.banzhaf.values()) == 1 and sum(ours.shapley_shubik.values()) == 1
        reference_s, reference = timed_power(ids, weights, quota, compiled=False)
        assert reference == ours, "the compiled kernel and the pure-Python code disagree"
        cells = [f"{ours_s:.3f}", f"{reference_s:.3f}", f"{reference_s / ours_s:.0f}x"]
        peer = run_peer(weights, quota)
        if isinstance(peer, str):
            cells += ["powerindex absent", "-", "-"]
        else:
            cells += [
                _peer_cell(ours.banzhaf, ids, peer["banzhaf"]),
                _peer_cell(ours.shapley_shubik, ids, peer["shapley"]),
            ]
            if all("seconds" in peer[i] for i in ("banzhaf", "shapley")):
                total = peer["banzhaf"]["seconds"] + peer["shapley"]["seconds"]
                cells.append(f"{total / ours_s:.0f}x")
            else:
                cells.append("-")
        print(f"| {n} | {quota} | " + " | ".join(cells) + " |", flush=True)


def command_line_timing() -> None:
    """The whole ``sharaka rules power`` process on the 400-player game: start-up included."""
    weights, quota = game(400)
    document = {
        "quota": quota,
        "players": [{"id": f"p{k}", "weight": w} for k, w in enumerate(weights)],
    }
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "sharaka.cli", "rules", "power", "-"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    status = "exit 0" if completed.returncode == 0 else f"exit {completed.returncode}"
    print()
    print(f"Command line, 400 players: `sharaka rules power` {elapsed:.2f} s in all ({status})")


def board_timing() -> None:
    rnd = random.Random(20)
    members = [
        Member(
            id=f"m{k}",
            organization=f"org{rnd.randrange(20)}",
            college=f"college{rnd.randrange(6)}",
            chair=k == 0,
        )
        for k in range(120)
    ]
    rules = {
        "absolute majority": Rule(method=Method.ABSOLUTE),
        "simple + chair + double majority (6 colleges)": Rule(
            method=Method.SIMPLE,
            tie_break=TieBreak.CHAIR,
            colleges=CollegeRule(
                Method.QUALIFIED, Fraction(2, 3), Base.PRESENT, CollegesRequired.MAJORITY
            ),
        ),
    }
    print()
    print("Board game, 120 members in 20 organisations (2^20 coalitions of blocs)")
    for label, rule in rules.items():
        started = time.perf_counter()
        result = power_board(members, rule, Bloc.ORGANIZATION)
        elapsed = time.perf_counter() - started
        assert len(result.players) == 20
        print(f"- {label}: {elapsed:.3f} s")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    weighted_table()
    command_line_timing()
    board_timing()
