"""The board's facts for the lifecycle conditions (``partnerships.ports.board_facts``)."""

from __future__ import annotations

from sharaka.governance.selectors import composition_get
from sharaka.partnerships.models import Partnership


def board_facts(partnership: Partnership) -> tuple[bool, bool]:
    """(composed, balanced) today: composed when a board has voting seats and every one is
    held; balanced when the balance policy in force finds no violation."""
    board = composition_get(partnership=partnership)
    analysis = board.analysis
    if board.board is None or analysis is None:
        return False, False
    composed = analysis.voting_seats > 0 and analysis.vacant_voting == 0
    return composed, composed and analysis.ok
