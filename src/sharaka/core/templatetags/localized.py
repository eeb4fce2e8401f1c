"""Amounts and percentages in the active language (``core.locale``, ADR 0028); built into
every template (``TEMPLATES[...]["OPTIONS"]["builtins"]``).

``{{ amount|money:currency }}`` (``"4 789 000,00 DH"``), ``{{ amount|amount }}`` (a table
cell: no currency), ``{{ rate|percent }}`` (a number of percent: ``"12,5 %"``),
``{{ share|percent_of_one }}`` (a share of one). ``None`` and ``""`` show ``—``.
``{{ text|isolated }}``: the values isolated in ``text`` (``core.bidi``) in ``<bdi>``.
``{% arrow %}``: the arrow of a range or a change (``06/12/2026 {% arrow %} 31/12/2026``),
``"→"`` left to right and ``"←"`` right to left (``core.locale.arrow``)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from sharaka.core import bidi, locale

register = template.Library()


def _missing(value: object) -> bool:
    return value is None or value == ""


@register.filter
def money(value: object, currency: str | None = "MAD") -> str:
    return "—" if _missing(value) else locale.money(value, currency)


@register.filter
def amount(value: object, places: int = 2) -> str:
    return "—" if _missing(value) else locale.amount(value, int(places))


@register.filter
def percent(value: object, places: int = 1) -> str:
    return "—" if _missing(value) else locale.percent(value, int(places))


@register.filter
def percent_of_one(value: object, places: int = 1) -> str:
    return "—" if _missing(value) else locale.percent(value, int(places), ratio=True)


@register.filter(needs_autoescape=True)
def isolated(value: object, autoescape: bool = True) -> str:
    """Escape ``value`` and wrap each FSI … PDI span (``core.bidi.isolate``) in ``<bdi>``,
    keeping the characters for what reads the text rather than the markup (a PDF)."""
    text = conditional_escape(str(value)) if autoescape else str(value)
    return mark_safe(bidi.ISOLATED.sub(rf"<bdi>{bidi.FSI}\1{bidi.PDI}</bdi>", text))  # noqa: S308 (escaped above)


@register.simple_tag
def arrow() -> str:
    """``"→"``, or ``"←"`` in a right-to-left language: between two values it points from
    the first to the second, whichever way the line reads."""
    return locale.arrow()
