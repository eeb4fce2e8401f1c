"""Numbers, amounts and percentages as people read them, in each language (ADR 0028).

Pure: no Django import, so the pure rules (``conventions.rules``) use it too; the template
filters (``{% load money %}``) and ``core.locale`` pass the active language.

=====  ===============================  ====================  ==========
lang   amount (MAD)                     other currency        percentage
=====  ===============================  ====================  ==========
fr     ``4 789 000,00 DH``              ``1 250,00 EUR``      ``12,5 %``
ar     ``4.789.000,00 درهم``            ``1.250,00 EUR``      ``12,5%``
en     ``MAD 4,789,000.00``             ``EUR 1,250.00``      ``12.5%``
=====  ===============================  ====================  ==========

French groups digits with a no-break space (U+00A0, as Django's French formats) and puts one
before ``%``; the
Arabic of Morocco writes Western digits grouped by ``.`` with a decimal comma, the currency
word after the amount, and ``%`` glued to the number (a space would let the sign drift to
the other side of the number in a right-to-left line: "% 50").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

NBSP = "\u00a0"  # French digit groups, before % and between an amount and its currency


@dataclass(frozen=True)
class NumberStyle:
    decimal: str
    group: str
    percent: str  # the text between the number and "%"
    currency_before: bool
    currency_sep: str
    currency_labels: dict[str, str]  # code -> label in this language; others show the code


STYLES: dict[str, NumberStyle] = {
    "fr": NumberStyle(",", NBSP, NBSP, False, NBSP, {"MAD": "DH"}),
    "ar": NumberStyle(",", ".", "", False, NBSP, {"MAD": "درهم"}),
    "en": NumberStyle(".", ",", "", True, NBSP, {}),
}
DEFAULT = "fr"


def style(lang: str | None) -> NumberStyle:
    """The style of ``lang`` (``"ar"``, ``"ar-ma"``, ``"en-gb"``…), French when unknown."""
    return STYLES.get((lang or DEFAULT).split("-")[0].split("_")[0].lower(), STYLES[DEFAULT])


def _decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(value) from None


def number(value: object, lang: str | None, *, places: int = 2, trim: bool = False) -> str:
    """``value`` rounded half up to ``places`` decimals, digits grouped by three.

    ``trim`` drops trailing zero decimals (``50`` rather than ``50,0``, ``12,5``)."""
    amount = _decimal(value)
    if not amount.is_finite():
        raise ValueError(value)
    quantum = Decimal(1).scaleb(-places)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):.{places}f}".partition(".")
    s = style(lang)
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + s.group.join(groups)
    if trim:
        fraction = fraction.rstrip("0")
    if fraction:
        text += s.decimal + fraction
    return text


def currency_label(code: str, lang: str | None) -> str:
    return style(lang).currency_labels.get(code, code)


def money(value: object, lang: str | None, currency: str | None = "MAD") -> str:
    """An amount with its currency: ``money(4789000, "fr")`` -> ``"4 789 000,00 DH"``.
    ``currency=None`` (or ``""``) leaves the currency out (a table whose header names it)."""
    text = number(value, lang, places=2)
    if not currency:
        return text
    s = style(lang)
    label = currency_label(currency, lang)
    return (
        f"{label}{s.currency_sep}{text}" if s.currency_before else f"{text}{s.currency_sep}{label}"
    )


def percent(value: object, lang: str | None, *, places: int = 1, ratio: bool = False) -> str:
    """A percentage: ``percent(12.5, "fr")`` -> ``"12,5 %"``; ``ratio=True`` takes a share of
    one (``Fraction(1, 8)`` -> ``"12,5 %"``). Trailing zero decimals are dropped."""
    amount = _decimal(value) * (100 if ratio else 1)
    return f"{number(amount, lang, places=places, trim=True)}{style(lang).percent}%"


def parse_number(text: str, lang: str | None) -> Decimal:
    """The inverse of ``number``/``money``: the digits of ``text`` read in ``lang``'s style
    (the currency and any spaces ignored)."""
    s = style(lang)
    kept = []
    for char in text:
        if char.isdigit() or char == "-":
            kept.append(char)
        elif char == s.decimal:
            kept.append(".")
    return Decimal("".join(kept))
