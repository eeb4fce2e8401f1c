"""Swing counts by coalition size with the compiled kernel ``_swings`` (ADR 0007).

Same result as :func:`sharaka.governance.rules.power.window_counts`, the pure-Python
reference: for each distinct weight ``w``, ``counts[s]`` is the number of coalitions of ``s``
*other* players whose weight lies in ``[quota - w, quota)``. The kernel counts modulo
primes just below ``2^30`` (enough of them that their product exceeds ``2^n``, the largest
possible count), one prime per thread at a time, and :func:`_swings.combine` rebuilds each
exact count with the Chinese remainder theorem. Exact, like the reference; only faster.

When the package was built without a C compiler, ``AVAILABLE`` is false and ``power.py``
uses the reference.
"""

from __future__ import annotations

import importlib
import os
from array import array
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Protocol, cast


class _Swings(Protocol):
    """What ``_swings.c`` exports (buffers in, ``bytes`` out; arguments by position)."""

    def residues(
        self, light: bytes, quota: int, classes: bytes, sizes: int, moduli: bytes, /
    ) -> bytes: ...

    def combine(self, residues: bytes, moduli: bytes, /) -> bytes: ...


_kernel: _Swings | None
try:
    _kernel = cast(_Swings, importlib.import_module("sharaka.governance.rules._swings"))
except ImportError:  # pragma: no cover - depends on how the package was built
    _kernel = None

AVAILABLE = _kernel is not None

PRIME_BITS = 29  # every prime lies in (2^29, 2^30): sums of two stay below 2^31


def is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin for ``n < 3,215,031,751`` (bases 2, 3, 5, 7)."""
    if n < 2:
        return False
    for p in (2, 3, 5, 7):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in (2, 3, 5, 7):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@cache
def primes(count: int) -> tuple[int, ...]:
    """The ``count`` largest primes below ``2^30``."""
    found: list[int] = []
    candidate = (1 << (PRIME_BITS + 1)) - 1
    while len(found) < count:
        if is_prime(candidate):
            found.append(candidate)
        candidate -= 2
    assert found[-1] > 1 << PRIME_BITS
    return tuple(found)


def primes_for(players: int) -> tuple[int, ...]:
    """Enough primes that their product exceeds ``2^players``, the largest count."""
    return primes(players // PRIME_BITS + 1)


def _threads(tasks: int) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, tasks))


def window_counts(weights: Sequence[int], quota: int) -> dict[int, list[int]]:
    """For each distinct weight ``w``: swings of a player of weight ``w`` by coalition size.

    Weights are positive and ``quota >= 1``; sizes run from 0 to ``len(weights) - 1``.
    """
    if _kernel is None:  # pragma: no cover - callers check AVAILABLE
        raise RuntimeError("the compiled kernel _swings is not available")
    kernel = _kernel
    n = len(weights)
    light = array("q", sorted((w for w in weights if w < quota), reverse=True)).tobytes()
    classes = sorted(set(weights))
    # no coalition below the quota has more members than the lightest players that fit
    # under it: larger sizes are zero, not computed (nor rebuilt by the CRT)
    fitting, weight = 0, 0
    for w in sorted(weights):
        weight += w
        if weight >= quota:
            break
        fitting += 1
    sizes = min(n, fitting + 1)
    packed_classes = array("q", classes).tobytes()
    moduli = primes_for(n)
    workers = _threads(len(moduli))
    chunks = [moduli[i::workers] for i in range(workers)]

    def residues(chunk: tuple[int, ...]) -> bytes:
        return kernel.residues(light, quota, packed_classes, sizes, array("I", chunk).tobytes())

    if workers == 1:
        parts = [residues(chunks[0])]
    else:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(residues, chunks))
    ordered = tuple(p for chunk in chunks for p in chunk)  # the order of the residues
    exact = memoryview(kernel.combine(b"".join(parts), array("I", ordered).tobytes()))
    width = 4 * len(ordered)
    result: dict[int, list[int]] = {}
    padding = [0] * (n - sizes)
    for c, w in enumerate(classes):
        base = c * sizes * width
        result[w] = [
            int.from_bytes(exact[base + s * width : base + (s + 1) * width], "little")
            for s in range(sizes)
        ] + padding
    return result
