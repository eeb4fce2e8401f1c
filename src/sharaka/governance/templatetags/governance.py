"""Filters for board pages: shares as percentages, values for ``<meter>``."""

from __future__ import annotations

from fractions import Fraction

from django import template

from sharaka.governance.fractions import percent

register = template.Library()


@register.filter
def pct(value: Fraction | float | None) -> str:
    """``Fraction(1, 3)`` -> ``"33 %"``; ``None`` -> ``"—"``."""
    return percent(value)


@register.filter
def ratio(value: Fraction | float | None) -> str:
    """A share for a ``<meter value>`` attribute: always a dot decimal, never localised."""
    return f"{float(value or 0):.4f}"


@register.filter
def frac(value: Fraction | None) -> str:
    """``Fraction(2, 3)`` -> ``"2/3"``."""
    if value is None:
        return "—"
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)
