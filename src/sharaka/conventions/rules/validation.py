"""Parameter validation: a clause's raw parameters checked and cleaned against its catalogue
entry. Pure: no Django import, like the whole package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sharaka.conventions.catalogue import (
    LANGS,
    ClauseSpec,
    I18n,
    Param,
    PType,
    T,
)
from sharaka.conventions.rules.values import ParamErrors, _fmt, fraction_text, parse_fraction

# ---------------------------------------------------------------------------- validation

_M = {
    "unknown": T("paramètre inconnu", "معيار غير معروف", "unknown parameter"),
    "text": T("doit être un texte", "يجب أن يكون نصا", "must be text"),
    "too_long": T("texte trop long ({max} caractères au plus)",
                  "النص طويل جدا ({max} حرفا على الأكثر)", "text too long (at most {max} "
                  "characters)"),
    "int": T("doit être un nombre entier", "يجب أن يكون عددا صحيحا", "must be a whole number"),
    "min": T("doit être au moins {min}", "يجب ألا يقل عن {min}", "must be at least {min}"),
    "max": T("doit être au plus {max}", "يجب ألا يتجاوز {max}", "must be at most {max}"),
    "fraction": T("doit être une fraction, par exemple 2/3, 0,5 ou 50 %",
                  "يجب أن يكون كسرا، مثلا 2/3 أو 0,5 أو 50 %",
                  "must be a fraction, e.g. 2/3, 0.5 or 50 %"),
    "bool": T("doit être oui ou non", "يجب أن يكون نعم أو لا", "must be yes or no"),
    "choice": T("« {value} » n'est pas un choix possible", "«{value}» ليس اختيارا ممكنا",
                "“{value}” is not an allowed choice"),
    "money": T("doit être un montant positif, par exemple 1500,00",
               "يجب أن يكون مبلغا موجبا، مثلا 1500,00",
               "must be a positive amount, e.g. 1500.00"),
    "list": T("doit être une liste de textes", "يجب أن يكون قائمة نصوص",
              "must be a list of texts"),
    "table": T("doit être un tableau de lignes", "يجب أن يكون جدولا من الأسطر",
               "must be a table of rows"),
    "row_required": T("à remplir", "إلزامي", "required"),
}  # fmt: skip

_LABELLED = T("{label} : {message}", "{label}: {message}", "{label}: {message}")
_CELL = T("{label}, ligne {row}, {column} : {message}", "{label}، السطر {row}، {column}: "
          "{message}", "{label}, row {row}, {column}: {message}")  # fmt: skip
_MAX_STRING = 300
_MAX_TEXT = 5000


class _Bad(Exception):
    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple)):
        return len(value) == 0
    return False


def _clean_scalar(param: Param, value: Any) -> Any:
    """A cleaned JSON value for a non-composite parameter, ``None`` when empty."""
    kind = param.type
    if _empty(value):
        return None
    if kind is PType.STRING:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise _Bad("text")
        text = str(value).strip()
        if len(text) > _MAX_STRING:
            raise _Bad("too_long", max=_MAX_STRING)
        return text
    if kind is PType.INT:
        if isinstance(value, bool):
            raise _Bad("int")
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        if not isinstance(value, int):
            raise _Bad("int")
        if param.minimum is not None and value < param.minimum:
            raise _Bad("min", min=param.minimum)
        if param.maximum is not None and value > param.maximum:
            raise _Bad("max", max=param.maximum)
        return value
    if kind in (PType.FRACTION, PType.PERCENT):
        try:
            return fraction_text(parse_fraction(value))
        except (ValueError, ZeroDivisionError):
            raise _Bad("fraction") from None
    if kind is PType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "on", "off"}:
            return value.lower() in {"true", "on"}
        raise _Bad("bool")
    if kind is PType.CHOICE:
        codes = {code for code, _label in param.choices}
        if not isinstance(value, str) or value not in codes:
            raise _Bad("choice", value=str(value)[:40])
        return value
    if kind is PType.MONEY:
        if isinstance(value, (bool, float)):
            raise _Bad("money")
        try:
            amount = Decimal(str(value).strip().replace("\u00a0", "").replace(" ", "")
                             .replace(",", "."))  # fmt: skip
        except InvalidOperation:
            raise _Bad("money") from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e15"):
            raise _Bad("money")
        return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    raise AssertionError(kind)  # pragma: no cover


def _clean_text(value: Any) -> dict[str, str] | None:
    if isinstance(value, str):
        value = {"fr": value}
    if not isinstance(value, Mapping):
        raise _Bad("text")
    cleaned: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in LANGS:
            raise _Bad("text")
        if text is None:
            continue
        if not isinstance(text, str):
            raise _Bad("text")
        if len(text) > _MAX_TEXT:
            raise _Bad("too_long", max=_MAX_TEXT)
        if text.strip():
            cleaned[lang] = text.strip()
    return cleaned or None


def _clean_list(value: Any) -> dict[str, list[str]] | None:
    if isinstance(value, list):
        value = {"fr": value}
    if not isinstance(value, Mapping):
        raise _Bad("list")
    cleaned: dict[str, list[str]] = {}
    for lang, items in value.items():
        if lang not in LANGS:
            raise _Bad("list")
        if items is None:
            continue
        if isinstance(items, str):
            items = items.splitlines()
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _Bad("list")
        kept = [i.strip() for i in items if i.strip()]
        if any(len(i) > _MAX_TEXT for i in kept):
            raise _Bad("too_long", max=_MAX_TEXT)
        if kept:
            cleaned[lang] = kept
    return cleaned or None


def _message(key: str, values: Mapping[str, Any]) -> I18n:
    return _fmt(_M[key], **values)


def validate_params(spec: ClauseSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Type-check and normalise ``raw`` against the clause's schema.

    Empty values are dropped (a draft may be incomplete: the completeness check reports
    what is missing). Raises ``ParamErrors`` naming each bad field.
    """
    if not isinstance(raw, Mapping):
        raise ParamErrors({"params": [_M["table"]]})
    errors: dict[str, list[I18n]] = {}
    cleaned: dict[str, Any] = {}
    names = {p.name for p in spec.params}
    for name in raw:
        if name not in names:
            errors.setdefault(str(name), []).append(_fmt(_LABELLED, label=str(name),
                                                         message=_M["unknown"]))  # fmt: skip
    for param in spec.params:
        if param.name not in raw:
            continue
        value = raw[param.name]
        result: Any
        try:
            if param.type is PType.TEXT:
                result = None if _empty(value) else _clean_text(value)
            elif param.type is PType.LIST:
                result = None if _empty(value) else _clean_list(value)
            elif param.type is PType.MULTI:
                result = _clean_multi(param, value)
            elif param.type is PType.TABLE:
                result = _clean_table(param, value, errors)
            else:
                result = _clean_scalar(param, value)
        except _Bad as bad:
            errors.setdefault(param.name, []).append(
                _fmt(_LABELLED, label=param.label, message=_message(bad.key, bad.values))
            )
            continue
        if result is not None:
            cleaned[param.name] = result
    if errors:
        raise ParamErrors(errors)
    return cleaned


def _clean_multi(param: Param, value: Any) -> list[str] | None:
    if _empty(value):
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Bad("choice", value=str(value)[:40])
    order = [code for code, _label in param.choices]
    for item in value:
        if item not in order:
            raise _Bad("choice", value=str(item)[:40])
    return [code for code in order if code in value]


def _clean_table(
    param: Param, value: Any, errors: dict[str, list[I18n]]
) -> list[dict[str, Any]] | None:
    if _empty(value):
        return None
    if not isinstance(value, list):
        raise _Bad("table")
    rows: list[dict[str, Any]] = []
    columns = {c.name: c for c in param.columns}
    for index, row in enumerate(value):
        if not isinstance(row, Mapping):
            raise _Bad("table")
        if all(_empty(v) or v is False for v in row.values()):
            continue  # a blank line of a form
        cleaned_row: dict[str, Any] = {}
        for name in row:
            if name not in columns:
                errors.setdefault(f"{param.name}.{index}.{name}", []).append(_fmt(
                    _CELL, label=param.label, row=index + 1, column=str(name),
                    message=_M["unknown"]))  # fmt: skip
        for column in param.columns:
            cell = row.get(column.name)
            key = f"{param.name}.{index}.{column.name}"
            try:
                cleaned = _clean_scalar(column, cell)
            except _Bad as bad:
                errors.setdefault(key, []).append(_fmt(
                    _CELL, label=param.label, row=index + 1, column=column.label,
                    message=_message(bad.key, bad.values)))  # fmt: skip
                continue
            if cleaned is None and column.type is PType.BOOL:
                cleaned = False
            if cleaned is None and column.required:
                errors.setdefault(key, []).append(_fmt(
                    _CELL, label=param.label, row=index + 1, column=column.label,
                    message=_M["row_required"]))  # fmt: skip
                continue
            cleaned_row[column.name] = cleaned
        rows.append(cleaned_row)
    return rows or None
