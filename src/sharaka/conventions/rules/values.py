"""Values of the convention rules: a clause as plain data, a problem found in a convention,
refused parameters, fractions. Pure: no Django import, like the whole package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from sharaka.conventions.catalogue import (
    ClauseSpec,
    I18n,
    spec_for,
)

# ---------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class ClauseData:
    """One clause of a version, as plain data.

    ``key`` identifies the clause across versions (the catalogue code, or ``custom-N`` for
    a free article); ``titles``/``texts`` hold optional per-language overrides.
    """

    key: str
    code: str
    order: int
    params: Mapping[str, Any] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> ClauseSpec:
        return spec_for(self.code)


class Severity(StrEnum):
    ERROR = "error"  # blocks the signature
    WARNING = "warning"  # shown, does not block


@dataclass(frozen=True)
class Problem:
    code: str
    message: I18n
    clause: str | None = None  # clause key
    param: str | None = None
    severity: Severity = Severity.ERROR

    def text(self, lang: str) -> str:
        return self.message.get(lang)


class ParamErrors(ValueError):
    """Parameters refused: ``errors`` maps a field (``quorum``, ``composition.2.seats``) to
    its messages (``I18n``)."""

    def __init__(self, errors: Mapping[str, list[I18n]]) -> None:
        self.errors = dict(errors)
        first = next(iter(self.errors.items()))
        super().__init__(f"{first[0]}: {first[1][0].fr}")


def _fmt(template: I18n, **values: I18n | str | int) -> I18n:
    """Fill ``template`` in each language with language-specific values."""

    def one(lang: str) -> str:
        filled = {k: (v.get(lang) if isinstance(v, I18n) else str(v)) for k, v in values.items()}
        return template.get(lang).format(**filled)

    return I18n(one("fr"), one("ar"), one("en"))


# ---------------------------------------------------------------------------- fractions


def parse_fraction(value: Any) -> Fraction:
    """``"2/3"``, ``"0.5"``, ``"0,5"``, ``"10 %"`` or a number -> ``Fraction`` (>= 0).

    Raises ``ValueError`` when malformed or negative.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, int):
        result = Fraction(value)
    elif isinstance(value, (float, Decimal)):
        result = Fraction(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text or len(text) > 24:
            raise ValueError(value)
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        if "/" in text:
            top, _sep, bottom = text.partition("/")
            if not top.isdigit() or not bottom.isdigit() or int(bottom) == 0:
                raise ValueError(value)
            result = Fraction(int(top), int(bottom))
        else:
            if not re.fullmatch(r"\d+(\.\d+)?", text):
                raise ValueError(value)
            result = Fraction(text)
        if percent:
            result /= 100
    else:
        raise ValueError(value)
    if result < 0:
        raise ValueError(value)
    return result


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
