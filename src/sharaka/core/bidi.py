"""Mixed-direction text: a value inserted into a sentence is isolated from it (ADR 0028).

A French name inside an Arabic sentence (or an Arabic name inside a French one) must not
take the sentence's punctuation or neighbours with it ("% Relèvement … à 15"). The Unicode
isolates FSI … PDI around the value do it in any text — PDF (WeasyPrint lays text out with
fribidi, which honours them, while it ignores CSS ``unicode-bidi``), DOCX and e-mails; in
HTML the ``isolated`` filter (core/templatetags/localized.py) also wraps each isolated value
in ``<bdi>``. Pure: no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

FSI = "\u2068"  # first strong isolate: the value's own direction, from its first letter
PDI = "\u2069"  # pop directional isolate
ISOLATED = re.compile(f"{FSI}([^{FSI}{PDI}]*){PDI}")

_RTL = {"R", "AL"}
_NUMBERS = {"EN", "AN"}
_NEUTRAL = {"ET", "ES", "ON", "WS"}  # "%", "+", "-", brackets, spaces…


def needs_isolation(value: str, *, rtl: bool) -> bool:
    """Whether ``value`` could be reordered with its neighbours in a line of the direction
    ``rtl``. In a right-to-left line: a value holding a Latin letter, or a number with a
    sign, a space or punctuation ("15 %", "D-7"); a bare number or date ("1", "06/12/2026")
    keeps its place. In a left-to-right line: a value holding an Arabic (or Hebrew) letter."""
    kinds = {unicodedata.bidirectional(char) for char in value}
    if not rtl:
        return bool(kinds & (_RTL | {"AN"}))
    if "L" in kinds:
        return True
    return not kinds & _RTL and bool(kinds & _NUMBERS) and bool(kinds & _NEUTRAL)


def isolate(value: object, *, rtl: bool) -> str:
    """``value`` as text, between FSI and PDI when a line of direction ``rtl`` needs it."""
    text = str(value)
    if not text or FSI in text or not needs_isolation(text, rtl=rtl):
        return text
    return f"{FSI}{text}{PDI}"


def isolate_all(values: Mapping[str, object], *, rtl: bool) -> dict[str, str]:
    return {key: isolate(value, rtl=rtl) for key, value in values.items()}
