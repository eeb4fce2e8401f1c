"""The condition "board balanced" is met by an imbalance accepted by a recorded board
decision, cited by its number in the move's reason (pure rules)."""

from __future__ import annotations

from sharaka.partnerships import rules
from sharaka.partnerships.rules import Facts, Status

MOVE = (Status.NEGOTIATION, Status.ACTIVE)


def _balanced(facts: Facts, note: str | None) -> bool:
    [checked] = [
        c for c in rules.check_move(*MOVE, facts, note) if c.condition.code == "board_balanced"
    ]
    return checked.met


def test_a_balanced_board_needs_no_decision() -> None:
    assert _balanced(Facts(board_balanced=True), "Activation")


def test_an_imbalance_is_accepted_by_citing_a_recorded_decision() -> None:
    unbalanced = Facts(board_decisions=frozenset({"CA-2026-004"}))
    assert not _balanced(unbalanced, "Activation")
    assert not _balanced(unbalanced, "Voir CA-2026-0045")  # a whole token only
    assert _balanced(unbalanced, "Déséquilibre accepté par la décision CA-2026-004.")
    assert "board_balanced" in rules.missing(*MOVE, unbalanced, "Activation")
    assert "board_balanced" not in rules.missing(*MOVE, unbalanced, "cf. ca-2026-004")


def test_before_the_reason_a_decision_must_exist_to_cite() -> None:
    assert not _balanced(Facts(), None)
    assert _balanced(Facts(board_decisions=frozenset({"CA-1"})), None)
