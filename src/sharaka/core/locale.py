"""``core.money`` in the active language: amounts, numbers and percentages for pages,
messages and e-mails (ADR 0028). Templates use the filters of ``core/templatetags/localized.py``
(built in: no ``{% load %}``)."""

from __future__ import annotations

from django.utils import translation

from sharaka.core import money as _money


def lang() -> str:
    return translation.get_language() or "fr"


def money(value: object, currency: str | None = "MAD") -> str:
    """``money(842500, "MAD")`` -> ``"842 500,00 DH"`` in French, ``"MAD 842,500.00"`` in
    English, ``"842.500,00 درهم"`` in Arabic."""
    return _money.money(value, lang(), currency)


def amount(value: object, places: int = 2, *, trim: bool = False) -> str:
    """A number without a currency (a table whose header names it); ``trim`` drops
    decimals that are all zero."""
    return _money.number(value, lang(), places=places, trim=trim)


def percent(value: object, places: int = 1, *, ratio: bool = False) -> str:
    """``percent(12.5)`` -> ``"12,5 %"``; ``ratio=True`` for a share of one."""
    return _money.percent(value, lang(), places=places, ratio=ratio)


def arrow() -> str:
    """The arrow that goes from the first value to the second in the reading direction of
    the active language: ``"→"`` (fr, en), ``"←"`` (ar). In a right-to-left line the first
    value is on the right, so a "→" (not a mirrored character) pointed back at it."""
    return "←" if translation.get_language_bidi() else "→"


def span(first: object, second: object) -> str:
    """``"first → second"`` in the reading direction of the active language (a date range,
    a change of status, an old and a new value)."""
    return f"{first} {arrow()} {second}"
