"""Fractions as the governance settings store them: text ``"p/q"`` (or a decimal ``"0.5"``).

Settings keep fractions as short strings (the same notation as the rules engine's JSON
contract), validated here: exact arithmetic, no float ever.
"""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sharaka.core import locale


def parse_fraction(text: str) -> Fraction:
    """``"2/3"`` or ``"0.5"`` -> ``Fraction``; ``ValueError`` when malformed."""
    cleaned = str(text).strip().replace(",", ".").replace(" ", "")
    if not cleaned or len(cleaned) > 20:
        raise ValueError(text)
    if "/" in cleaned:
        numerator, _sep, denominator = cleaned.partition("/")
        if not numerator.isdigit() or not denominator.isdigit() or int(denominator) == 0:
            raise ValueError(text)
        return Fraction(int(numerator), int(denominator))
    value = Fraction(cleaned)  # raises ValueError on garbage; accepts "0.5", "1"
    if value < 0:
        raise ValueError(text)
    return value


def format_fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def validate_share(text: str) -> None:
    """A share of a whole: strictly above 0, at most 1."""
    try:
        value = parse_fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValidationError(
            _("Fraction mal formée : écrivez par exemple 2/3 ou 0,5."), code="invalid_fraction"
        ) from None
    if not 0 < value <= 1:
        raise ValidationError(
            _("La fraction doit être comprise entre 0 (exclu) et 1."), code="fraction_range"
        )


def normalize_share(text: str) -> str:
    """Canonical ``"p/q"`` for a valid share text (``"0,5"`` -> ``"1/2"``)."""
    return format_fraction(parse_fraction(text))


def percent(value: Fraction | float | None) -> str:
    """A share for people, at most one decimal, localised: ``Fraction(1, 8)`` -> ``"12,5 %"``
    in French, ``Fraction(1, 3)`` -> ``"33,3 %"``, ``Fraction(1, 2)`` -> ``"50 %"``;
    ``None`` -> ``"—"``."""
    if value is None:
        return "—"
    return locale.percent(Fraction(value), ratio=True)
