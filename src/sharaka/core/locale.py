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
