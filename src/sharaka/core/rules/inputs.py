"""Reading the JSON documents of the core rules: every problem names its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: Longest decimal string accepted: well beyond any amount, short enough to stay cheap.
MAX_NUMBER_CHARS = 60


class RuleInputError(ValueError):
    """Bad input: ``field`` names where (``keys[1].key``), ``message`` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def mapping(value: object, field: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise RuleInputError(field or "input", "must be a JSON object")
    return value


def only_keys(document: dict[str, object], allowed: set[str], prefix: str = "") -> None:
    """Refuse unknown fields: a misspelt option must not be silently ignored."""
    for key in document:
        if key not in allowed:
            raise RuleInputError(f"{prefix}{key}", "unknown field")


def required(document: dict[str, object], key: str, prefix: str = "") -> object:
    if key not in document:
        raise RuleInputError(f"{prefix}{key}", "is required")
    return document[key]


def decimal(value: object, field: str) -> Decimal:
    """A finite decimal given as a string (``"-12345.67"``) or a JSON integer."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RuleInputError(field, 'must be a decimal string such as "12.50"')
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise RuleInputError(field, f"longer than {MAX_NUMBER_CHARS} characters")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RuleInputError(field, f"not a decimal number: {text!r}") from None
    if not number.is_finite():
        raise RuleInputError(field, f"not a finite decimal number: {text!r}")
    if abs(number.adjusted()) > MAX_NUMBER_CHARS:
        raise RuleInputError(field, "out of range")
    return number


def fraction(value: object, field: str) -> Fraction:
    """A fraction ``"p/q"`` or a decimal (``"0.9"``), exact."""
    if isinstance(value, str) and "/" in value:
        numerator, _, denominator = value.partition("/")
        top, bottom = decimal(numerator, field), decimal(denominator, field)
        if bottom == 0:
            raise RuleInputError(field, "denominator is zero")
        return Fraction(top) / Fraction(bottom)
    return Fraction(decimal(value, field))


def integer(value: object, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(field, "must be a whole number")
    if not low <= value <= high:
        raise RuleInputError(field, f"must be between {low} and {high}")
    return value


def iso_date(value: object, field: str) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise RuleInputError(field, "must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RuleInputError(field, f"not a valid date YYYY-MM-DD: {value!r}") from None


def choice(value: object, field: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise RuleInputError(field, f"must be one of {', '.join(options)}")
    return value


def json_number(value: Fraction) -> float:
    """An exact fraction as a JSON number with 12 significant digits (output only)."""
    return float(f"{float(value):.12g}")
