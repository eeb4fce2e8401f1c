"""Voting power: Banzhaf, Shapley-Shubik, dictators, veto players, minimal winning coalitions.

Everything is exact (Python integers and fractions). Two kinds of game:

* **weighted** games (players with integer weights and a quota) use generating functions
  over weight sums, evaluated with *packed integers*: a polynomial whose coefficients fit in
  ``B`` bits is stored as one Python int (coefficient ``k`` in bits ``[kB, (k+1)B)``), so
  multiplying by ``(1 + x^w)`` is one shift and one addition done in C. Shapley-Shubik needs
  the coefficients by coalition size too: one packed row per size. A player is "removed"
  from the full generating function by dividing by ``(1 + y x^w)``; only the window of
  weights where it swings is needed, and the division reduces to an alternating sum of
  prefix sums (``docs/rules-engine.md`` derives it). Players of equal weight have equal
  power, so the per-player work is done once per distinct weight. When the package was
  built with its compiled kernel (``kernel.py``, ADR 0007) the same counts are computed
  modulo primes in C and rebuilt exactly; this module's ``window_counts`` is then the
  reference the kernel is tested against.
* **board** games (the board's own rule, members voting by bloc) enumerate the ``2^n``
  coalitions of blocs (``n <= 20``) once, as a bitset of winning coalitions, and read every
  index off that bitset with big-integer bit operations.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from math import factorial, gcd

from sharaka.governance.rules import kernel
from sharaka.governance.rules.tally import colleges_required_met, index_members, majority_passes
from sharaka.governance.rules.values import (
    Bloc,
    Member,
    Method,
    PowerResult,
    Rule,
    RulesInputError,
    RulesLimitError,
    TieBreak,
    frozen_mapping,
    show,
)

MAX_BLOCS = 20
MAX_PLAYERS = 2000
MAX_TOTAL_WEIGHT = 10**6
# In pure Python, Shapley-Shubik costs about players^3 x quota bit operations (see the
# module docstring): 400 players with weights up to 100 (quota ~10^4) is 6.4e11, 7-18 s.
MAX_WORK = 10**12
# The compiled kernel (kernel.py) does about players x rows x quota cell updates per prime,
# rows <= min(players, quota), players/29 + 1 primes: 400 players with weights up to 100
# cost 2.2e10 and take about 0.2 s on two cores; the limit is about ten seconds. Its table
# has (players + 1) x (quota + 1) cells of 4 bytes for each of the (two) threads.
MAX_COMPILED_WORK = 10**12
MAX_COMPILED_CELLS = 25 * 10**6


# --------------------------------------------------------------------------- weighted


def power_weighted(players: Sequence[tuple[str, int]], quota: int) -> PowerResult:
    """Power in the weighted game where a coalition wins when its weight is >= ``quota``."""
    ids, weights = _check_weighted(players, quota)
    n = len(ids)
    total = sum(weights)
    if quota > total:  # nobody can ever win: nobody has power
        return _result(ids, [0] * n, [Fraction(0)] * n, (), (), 0)

    positive = [w for w in weights if w > 0]
    zero_players = n - len(positive)
    g = gcd(*positive)
    scaled = [w // g for w in positive]
    q = -(-quota // g)  # w(S) >= quota  <=>  w(S)/g >= ceil(quota/g)
    scaled_total = total // g
    # The dual game (win iff w(S) >= W - q + 1) has the same swings and Shapley-Shubik
    # values; its quota may be smaller, and the cost grows with the quota.
    q_eff = min(q, scaled_total - q + 1)
    m = len(scaled)
    _check_work(m, q_eff)
    count = kernel.window_counts if kernel.AVAILABLE else window_counts
    windows = count(scaled, q_eff)
    fact = [factorial(k) for k in range(m + 1)]
    swings_of: dict[int, int] = {}
    shapley_of: dict[int, Fraction] = {}
    for w, counts in windows.items():
        swings_of[w] = sum(counts) << zero_players
        numerator = sum(c * fact[s] * fact[m - 1 - s] for s, c in enumerate(counts) if c)
        shapley_of[w] = Fraction(numerator, fact[m])
    swings = [swings_of[w // g] if w > 0 else 0 for w in weights]
    shapley = [shapley_of[w // g] if w > 0 else Fraction(0) for w in weights]

    veto = tuple(i for i, w in zip(ids, weights, strict=True) if total - w < quota)
    veto_set = set(veto)
    dictators = tuple(i for i, w in zip(ids, weights, strict=True) if w >= quota and i in veto_set)
    minimal = count_minimal_winning(scaled, q)
    return _result(ids, swings, shapley, dictators, veto, minimal)


def _check_work(m: int, q: int) -> None:
    """Refuse a game whose exact Shapley-Shubik values would take too long or too much memory."""
    if kernel.AVAILABLE:
        cells = (m + 1) * (q + 1)
        work = m * min(m, q) * q * len(kernel.primes_for(m))
        if cells > MAX_COMPILED_CELLS:
            raise RulesLimitError(
                "players",
                f"too large for an exact computation: (players + 1) x (quota + 1) is "
                f"{cells:.2g} ({m} players, quota {q} after reduction), "
                f"the limit is {MAX_COMPILED_CELLS:.2g}",
            )
        if work > MAX_COMPILED_WORK:
            raise RulesLimitError(
                "players",
                f"too large for an exact computation: players x min(players, quota) x quota "
                f"x primes is {work:.2g} ({m} players, quota {q} after reduction), "
                f"the limit is {MAX_COMPILED_WORK:.0e}",
            )
        return
    work = m**3 * q
    if work > MAX_WORK:
        raise RulesLimitError(
            "players",
            f"too large for an exact computation: players^3 x quota is {work:.2g} "
            f"({m} players, quota {q} after reduction), the limit is {MAX_WORK:.0e}",
        )


def _check_weighted(players: Sequence[tuple[str, int]], quota: int) -> tuple[list[str], list[int]]:
    if isinstance(quota, bool) or not isinstance(quota, int):
        raise RulesInputError("quota", "must be an integer")
    if quota < 1:
        raise RulesInputError("quota", f"must be at least 1, not {quota}")
    if len(players) > MAX_PLAYERS:
        raise RulesLimitError(
            "players", f"{len(players)} players, the exact computation is limited to {MAX_PLAYERS}"
        )
    ids: list[str] = []
    weights: list[int] = []
    seen: set[str] = set()
    for position, (player_id, weight) in enumerate(players):
        if not isinstance(player_id, str) or not player_id:
            raise RulesInputError(f"players[{position}].id", "must be a non-empty string")
        if player_id in seen:
            raise RulesInputError(f"players[{position}].id", f"duplicate id {show(player_id)}")
        seen.add(player_id)
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise RulesInputError(f"players[{position}].weight", "must be an integer")
        if weight < 0:
            raise RulesInputError(f"players[{position}].weight", f"must be >= 0, not {weight}")
        if weight > MAX_TOTAL_WEIGHT:
            raise RulesLimitError(
                f"players[{position}].weight",
                f"{weight} is above the limit of {MAX_TOTAL_WEIGHT} for an exact computation",
            )
        ids.append(player_id)
        weights.append(weight)
    if sum(weights) > MAX_TOTAL_WEIGHT:
        raise RulesLimitError(
            "players",
            f"total weight {sum(weights)} is above the limit of {MAX_TOTAL_WEIGHT} "
            "for an exact computation",
        )
    return ids, weights


def _slot_bytes(count_bound_bits: int) -> int:
    """Bytes per packed coefficient able to hold values below ``2**count_bound_bits``."""
    return count_bound_bits // 8 + 1


def window_counts(weights: Sequence[int], quota: int) -> dict[int, list[int]]:
    """For each distinct weight ``w``: ``counts[s]`` = number of coalitions ``S`` of the
    *other* players with ``|S| = s`` and ``quota - w <= w(S) < quota`` (a swing).

    Weights are positive; ``quota >= 1``. Cost: one packed row per size, updated once per
    player (``~ n^2/2`` shifts of ``quota x n`` bits), then one transposition.
    """
    n = len(weights)
    nb = _slot_bytes(n + 1)  # every count below is at most 2**n
    bits = 8 * nb
    row_bits = quota * bits
    row_mask = (1 << row_bits) - 1
    # rows[s] = packed polynomial sum_k T[s][k] x^k, T[s][k] = #coalitions of size s, weight k
    rows = [0] * (n + 1)
    rows[0] = 1
    for i, w in enumerate(sorted(weights)):  # light players first keeps rows short longer
        if w >= quota:
            continue  # adds nothing below the quota
        shift = w * bits
        for s in range(i + 1, 0, -1):
            previous = rows[s - 1]
            if previous:
                value = rows[s] + (previous << shift)
                if value.bit_length() > row_bits:
                    value &= row_mask
                rows[s] = value

    # Transpose to columns packed over sizes: column k = sum_s T[s][k] 2^(s*bits).
    slots = n + 1
    column_bytes = slots * nb
    columns = bytearray(quota * column_bytes)
    for s, row in enumerate(rows):
        if not row:
            continue
        raw = row.to_bytes(quota * nb, "little")
        for j in range(nb):
            columns[s * nb + j :: column_bytes] = raw[j::nb]
    del rows
    view = memoryview(columns)
    prefix = [0] * (quota + 1)  # prefix[t] = sum over k < t of column k
    running = 0
    for k in range(quota):
        running += int.from_bytes(view[k * column_bytes : (k + 1) * column_bytes], "little")
        prefix[k + 1] = running
    view.release()
    del columns

    result: dict[int, list[int]] = {}
    for w in sorted(set(weights)):
        # F(t) = G(t) - F(t - w) << bits (division by 1 + y x^w, summed below t)
        f_low = 0  # F(quota - w)
        f_high = 0  # F(quota)
        for t in range(quota - ((quota - 1) // w) * w, quota + 1, w):
            f_low, f_high = f_high, prefix[t] - (f_high << bits)
        window = f_high - f_low
        assert window >= 0
        raw = window.to_bytes(max(n, 1) * nb, "little")
        result[w] = [int.from_bytes(raw[s * nb : (s + 1) * nb], "little") for s in range(n)]
    return result


def count_minimal_winning(weights: Sequence[int], quota: int) -> int:
    """Minimal winning coalitions of positive weights: sorted heaviest first, a coalition
    is counted at its last (lightest) member ``i``: the others ``A`` come before ``i`` and
    ``quota - w_i <= w(A) < quota`` (it wins, and loses without its lightest member).

    Counted over whichever is shorter: the weights of ``A`` (below the quota), or the
    weights of the heavier players left *out* of ``A`` (at most ``total - quota``)."""
    slack = sum(weights) - quota
    if slack < 0:
        return 0
    if slack + 1 < quota:
        return minimal_winning_by_left_out(weights, quota)
    return minimal_winning_by_members(weights, quota)


def _packing(n: int) -> tuple[int, int]:
    """``(bits per packed count, fold)``: ``x % fold`` sums the packed counts of ``x``."""
    bits = 8 * _slot_bytes(n + 1)
    return bits, (1 << bits) - 1


def minimal_winning_by_members(weights: Sequence[int], quota: int) -> int:
    """``count_minimal_winning`` over the weights of ``A``: ``quota`` packed slots."""
    bits, fold = _packing(len(weights))
    mask = (1 << (quota * bits)) - 1
    prefix = 1  # packed counts of coalitions of the players seen so far, weights < quota
    total = 0
    for w in sorted(weights, reverse=True):
        low = max(0, quota - w)
        window = (prefix >> (low * bits)) & ((1 << ((quota - low) * bits)) - 1)
        total += window % fold
        if w < quota:
            prefix = (prefix + (prefix << (w * bits))) & mask
    return total


def minimal_winning_by_left_out(weights: Sequence[int], quota: int) -> int:
    """``count_minimal_winning`` over the heavier players left out of ``A`` (``B``): with
    ``H`` the weight of the players before ``i``, ``w(A) = H - w(B)``, so the condition is
    ``H - quota < w(B) <= H + w_i - quota <= total - quota``: ``total - quota + 1`` slots."""
    slack = sum(weights) - quota
    if slack < 0:
        return 0
    bits, fold = _packing(len(weights))
    mask = (1 << ((slack + 1) * bits)) - 1
    prefix = 1  # packed counts of subsets of the players seen so far, weights <= slack
    before = 0
    total = 0
    for w in sorted(weights, reverse=True):
        high = before + w - quota
        low = max(0, before - quota + 1)
        if high >= low:
            window = (prefix >> (low * bits)) & ((1 << ((high - low + 1) * bits)) - 1)
            total += window % fold
        prefix = (prefix + (prefix << (w * bits))) & mask
        before += w
    return total


def _result(
    ids: Sequence[str],
    swings: Sequence[int],
    shapley: Sequence[Fraction],
    dictators: Collection[str],
    veto: Collection[str],
    minimal: int,
) -> PowerResult:
    total_swings = sum(swings)
    dictator_set, veto_set = set(dictators), set(veto)
    banzhaf = [Fraction(s, total_swings) if total_swings else Fraction(0) for s in swings]
    return PowerResult(
        players=tuple(ids),
        banzhaf=frozen_mapping(dict(zip(ids, banzhaf, strict=True))),
        banzhaf_swings=frozen_mapping(dict(zip(ids, swings, strict=True))),
        shapley_shubik=frozen_mapping(dict(zip(ids, shapley, strict=True))),
        dictators=tuple(i for i in ids if i in dictator_set),
        veto_players=tuple(i for i in ids if i in veto_set),
        minimal_winning_coalitions=minimal,
    )


# ------------------------------------------------------------------------------ board


@dataclass(frozen=True, slots=True)
class BoardGame:
    """The board's primary rule as a simple game between blocs of voting members: every
    voting member present, a bloc's members all vote yes or all vote no."""

    players: tuple[str, ...]
    rule: Rule
    seats: tuple[int, ...]  # voting members of each bloc
    college_seats: Mapping[str, tuple[int, ...]]  # per college: its members in each bloc
    chair_bloc: int | None  # the bloc holding the chair, when the chair breaks ties

    @property
    def size(self) -> int:
        return sum(self.seats)

    def overall_passes(self, yes: int, has_chair: bool) -> bool:
        """The rule's own method, with ``yes`` of the board voting yes and the rest no."""
        size, no, method = self.size, self.size - yes, self.rule.method
        if method is Method.CONSENSUS:
            return no == 0 and yes > 0
        if method is Method.UNANIMITY:
            return size > 0 and yes == size
        if method is Method.SIMPLE:
            return yes > no or (yes == no > 0 and has_chair)
        # every base equals the whole board here: all are present and nobody abstains
        return majority_passes(method, self.rule.threshold, yes=yes, no=no, base=size)

    def college_passes(self, college: str, yes: int) -> bool:
        college_rule = self.rule.colleges
        assert college_rule is not None
        size = sum(self.college_seats[college])
        return majority_passes(
            college_rule.method, college_rule.threshold, yes=yes, no=size - yes, base=size
        )

    def wins(self, coalition: Collection[int]) -> bool:
        """Does the coalition of these player indices adopt the motion?"""
        yes = sum(self.seats[i] for i in coalition)
        if not self.overall_passes(yes, self.chair_bloc in coalition):
            return False
        college_rule = self.rule.colleges
        if college_rule is None:
            return True
        passed = sum(
            1
            for college, seats in self.college_seats.items()
            if self.college_passes(college, sum(seats[i] for i in coalition))
        )
        return colleges_required_met(college_rule.required, passed, len(self.college_seats))


def bloc_of(member: Member, bloc: Bloc) -> str:
    if bloc is Bloc.ORGANIZATION:
        return member.organization
    if bloc is Bloc.COLLEGE:
        return member.college
    return member.id


def board_game(members: Sequence[Member], rule: Rule, bloc: Bloc) -> BoardGame:
    """The primary rule (round 1) with every voting member present: quorum trivially met."""
    index_members(members)
    if not isinstance(rule, Rule):
        raise RulesInputError("rule", "must be a rule")
    if not isinstance(bloc, Bloc):
        raise RulesInputError("bloc", "must be one of organization, college, member")
    voting = [m for m in members if m.voting]
    players: list[str] = []
    for m in voting:
        if bloc_of(m, bloc) not in players:
            players.append(bloc_of(m, bloc))
    position = {p: k for k, p in enumerate(players)}
    seats = [0] * len(players)
    college_seats: dict[str, list[int]] = {}
    for m in voting:
        k = position[bloc_of(m, bloc)]
        seats[k] += 1
        college_seats.setdefault(m.college, [0] * len(players))[k] += 1
    chair = next((m for m in voting if m.chair), None)
    chair_counts = rule.method is Method.SIMPLE and rule.tie_break is TieBreak.CHAIR
    return BoardGame(
        players=tuple(players),
        rule=rule,
        seats=tuple(seats),
        college_seats=frozen_mapping({c: tuple(college_seats[c]) for c in sorted(college_seats)}),
        chair_bloc=position[bloc_of(chair, bloc)] if chair_counts and chair else None,
    )


def power_board(members: Sequence[Member], rule: Rule, bloc: Bloc) -> PowerResult:
    """Power of each bloc on the board, by exhaustive enumeration of coalitions."""
    game = board_game(members, rule, bloc)
    n = len(game.players)
    if n > MAX_BLOCS:
        raise RulesLimitError(
            "bloc",
            f"{n} voting blocs by {bloc.value}: the exact computation is limited to "
            f"{MAX_BLOCS} blocs",
        )
    return power_from_bitset(game.players, winning_bitset(game))


def _bits_where(per_bloc: Sequence[int], accept: Callable[[int], bool]) -> int:
    """Bitset of the coalitions whose sum of ``per_bloc`` values is accepted."""
    sums = [0]
    for value in per_bloc:
        if value:
            sums += [s + value for s in sums]
        else:
            sums += sums
    table = ["1" if accept(v) else "0" for v in range(sum(per_bloc) + 1)]
    return int("".join(map(table.__getitem__, reversed(sums))), 2)


def winning_bitset(game: BoardGame) -> int:
    """Bit ``mask`` is set when the coalition ``{i : mask >> i & 1}`` wins.

    Each condition is a bitset computed from one count (members voting yes overall, or in
    one college), then combined with bit operations: about ``colleges + 1`` passes over the
    ``2^n`` coalitions, whatever the number of distinct vote patterns.
    """
    n = len(game.players)
    winning = _bits_where(game.seats, lambda yes: game.overall_passes(yes, False))
    if game.chair_bloc is not None:
        size = game.size
        tie = _bits_where(game.seats, lambda yes: 2 * yes == size > 0)
        winning |= tie & _with_bit(game.chair_bloc, n)
    college_rule = game.rule.colleges
    if college_rule is None:
        return winning
    # at_least[k]: coalitions that pass in at least k colleges
    at_least = [(1 << (1 << n)) - 1]
    for college, seats in game.college_seats.items():
        passes = _bits_where(seats, partial(game.college_passes, college))
        at_least = [
            (at_least[k] if k < len(at_least) else 0) | (at_least[k - 1] & passes if k else 0)
            for k in range(len(at_least) + 1)
        ]
    tallied = len(game.college_seats)
    needed = next(
        k
        for k in range(tallied + 2)
        if k > tallied or colleges_required_met(college_rule.required, k, tallied)
    )
    return winning & (at_least[needed] if needed < len(at_least) else 0)


def power_from_bitset(players: Sequence[str], winning: int) -> PowerResult:
    """Every index of a simple game given as the bitset of its winning coalitions."""
    n = len(players)
    width = 1 << n
    # by_size[s]: bitset of the coalitions with s members
    by_size = [1]
    for j in range(n):
        shift = 1 << j
        by_size = [
            (by_size[s] if s < len(by_size) else 0) | ((by_size[s - 1] << shift) if s else 0)
            for s in range(len(by_size) + 1)
        ]
    fact = [factorial(k) for k in range(n + 1)]
    swings: list[int] = []
    shapley: list[Fraction] = []
    veto: list[str] = []
    dictators: list[str] = []
    not_minimal = 0
    for i, player in enumerate(players):
        shift = 1 << i
        member_of = _with_bit(i, n)  # coalitions that contain i
        without_i = winning << shift  # bit m: does m minus i win?
        swing = winning & member_of & ~without_i
        not_minimal |= without_i & member_of
        swings.append(swing.bit_count())
        numerator = sum(
            (swing & by_size[s]).bit_count() * fact[s - 1] * fact[n - s] for s in range(1, n + 1)
        )
        shapley.append(Fraction(numerator, fact[n]))
        if winning and not winning & ~member_of & ((1 << width) - 1):
            veto.append(player)
            if winning >> shift & 1:
                dictators.append(player)
    minimal = (winning & ~not_minimal).bit_count()
    return _result(players, swings, shapley, dictators, veto, minimal)


def _with_bit(i: int, n: int) -> int:
    """Bitset over the ``2^n`` coalitions of those containing player ``i``."""
    block_width = 1 << i
    pattern = ((1 << block_width) - 1) << block_width  # 2^(i+1) coalitions
    width = 2 * block_width
    total = 1 << n
    while width < total:
        pattern |= pattern << width
        width *= 2
    return pattern
