"""Pure convention rules: parameter validation, formatting, clause text, completeness and
consistency, differences between versions, the rules a version puts in force, content hash.

No Django import: everything here works on plain values (``ClauseData``) and the catalogue,
and is tested without a database. Messages are given in the three languages (``I18n``);
callers pick the user's language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any, ClassVar

from sharaka.conventions.catalogue import (
    BY_CODE,
    LANGS,
    ClauseSpec,
    I18n,
    Param,
    PType,
    T,
    mandatory_codes,
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


# ---------------------------------------------------------------------------- formatting

_AND = {"fr": " et ", "ar": " و", "en": " and "}
_MISSING = "…"


def join(items: Sequence[str], lang: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return (
        "، ".join(items[:-1]) + _AND[lang] + items[-1]
        if lang == "ar"
        else (", ".join(items[:-1]) + _AND[lang] + items[-1])
    )


def format_money(value: str | Decimal, lang: str) -> str:
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def format_percent(value: Fraction, lang: str) -> str:
    number = value * 100
    shown = str(number.numerator) if number.denominator == 1 else f"{float(number):.4g}"
    if lang == "fr":
        shown = shown.replace(".", ",")
        return f"{shown}\u00a0%"
    return f"{shown}%"


def format_value(param: Param, value: Any, lang: str) -> str:
    """A parameter value as it reads in the convention text."""
    if _empty(value):
        return ""
    kind = param.type
    if kind is PType.TEXT:
        return str(value.get(lang) or value.get("fr") or next(iter(value.values()), ""))
    if kind is PType.LIST:
        items = value.get(lang) or value.get("fr") or []
        return join(list(items), lang)
    if kind is PType.FRACTION:
        return fraction_text(parse_fraction(value))
    if kind is PType.PERCENT:
        return format_percent(parse_fraction(value), lang)
    if kind is PType.BOOL:
        return (
            {"fr": "oui", "ar": "نعم", "en": "yes"}[lang]
            if value
            else ({"fr": "non", "ar": "لا", "en": "no"}[lang])
        )
    if kind is PType.CHOICE:
        return param.choice_label(value, lang)
    if kind is PType.MULTI:
        return join([param.choice_label(v, lang) for v in value], lang)
    if kind is PType.MONEY:
        return format_money(value, lang)
    if kind is PType.TABLE:
        return "; ".join(
            ", ".join(format_value(c, row.get(c.name), lang) for c in param.columns)
            for row in value
        )
    return str(value)


def list_items(param: Param, value: Any, lang: str) -> list[str]:
    if _empty(value):
        return []
    return list(value.get(lang) or value.get("fr") or [])


def table_cells(param: Param, value: Any, lang: str) -> tuple[list[str], list[list[str]]]:
    headers = [c.label.get(lang) for c in param.columns]
    rows = [[format_value(c, row.get(c.name), lang) for c in param.columns]
            for row in (value or [])]  # fmt: skip
    return headers, rows


# ------------------------------------------------------------------------- clause text


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    kind: ClassVar[str] = "items"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Special:
    name: str
    kind: ClassVar[str] = "special"


RenderedBlock = Paragraph | Items | Table | Special

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

_RULE_CORE = {
    "simple": T("à la majorité simple (plus de voix pour que de voix contre)",
                "بالأغلبية البسيطة (عدد الأصوات المؤيدة يفوق عدد الأصوات المعارضة)",
                "by simple majority (more votes for than against)"),
    "absolute": T("à la majorité absolue {base}", "بالأغلبية المطلقة {base}",
                  "by an absolute majority {base}"),
    "qualified": T("à la majorité qualifiée des {threshold} {base}", "بأغلبية {threshold} {base}",
                   "by a qualified majority of {threshold} {base}"),
    "unanimity": T("à l'unanimité des membres présents ou représentés",
                   "بإجماع الأعضاء الحاضرين أو الممثَّلين",
                   "unanimously by the members present or represented"),
}  # fmt: skip
_CONSENSUS = T(
    "Le conseil décide par consensus : une proposition est adoptée lorsqu'aucun membre ayant "
    "voix délibérative ne s'y oppose ; s'abstenir, c'est ne pas faire obstacle.",
    "يتخذ المجلس قراراته بالتوافق: يصادق على المقترح إذا لم يعترض عليه أي عضو ذي صوت تقريري، "
    "ويعتبر الامتناع عدم اعتراض.",
    "The board decides by consensus: a motion is adopted when no voting member objects; "
    "abstaining means standing aside.",
)
_PRIMARY = T("Les décisions sont prises {core}.", "تتخذ القرارات {core}.",
             "Decisions are taken {core}.")  # fmt: skip
_FALLBACK = T(
    "À défaut, à partir du tour n° {round}, la décision est prise {core}.",
    "وإذا تعذر ذلك، ابتداء من الدور رقم {round}، يتخذ القرار {core}.",
    "Failing that, from round {round} on, the decision is taken {core}.",
)


def _rule_core(method: str, threshold: Any, base: str | None, lang: str) -> str:
    spec = BY_CODE["deliberations"]
    base_text = spec.param("base").choice_label(base or "present", lang)
    threshold_text = fraction_text(parse_fraction(threshold)) if threshold else _MISSING
    return _RULE_CORE[method].get(lang).format(base=base_text, threshold=threshold_text)


def _derived(code: str, params: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Sentences computed from several parameters (the decision rule, in words)."""
    if code != "deliberations":
        return {}
    derived: dict[str, str] = {}
    method = params.get("method")
    if method == "consensus":
        derived["decision_rule"] = _CONSENSUS.get(lang)
    elif method in _RULE_CORE:
        core = _rule_core(method, params.get("threshold"), params.get("base"), lang)
        derived["decision_rule"] = _PRIMARY.get(lang).format(core=core)
    fallback = params.get("fallback_method")
    if fallback in _RULE_CORE:
        core = _rule_core(fallback, params.get("fallback_threshold"),
                          params.get("fallback_base"), lang)  # fmt: skip
        derived["fallback_rule"] = _FALLBACK.get(lang).format(
            round=params.get("fallback_from_round") or 2, core=core
        )
    return derived


def decision_text(params: Mapping[str, Any]) -> I18n:
    """The decision rule of a deliberations clause in words, in the three languages."""

    def one(lang: str) -> str:
        derived = _derived("deliberations", params, lang)
        return " ".join(
            t for t in (derived.get("decision_rule"), derived.get("fallback_rule")) if t
        )

    return I18n(one("fr"), one("ar"), one("en"))


def _holds(condition: str, values: Mapping[str, Any]) -> bool:
    if "!=" in condition:
        name, _sep, expected = condition.partition("!=")
        return not _empty(values.get(name)) and str(values.get(name)) != expected
    if "=" in condition:
        name, _sep, expected = condition.partition("=")
        return str(values.get(name)) == expected
    value = values.get(condition)
    return bool(value) and not _empty(value)


def _fill(template: str, texts: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: texts.get(m.group(1)) or _MISSING, template)


def clause_title(clause: ClauseData, lang: str) -> str:
    return (
        clause.titles.get(lang)
        or (clause.titles.get("fr") if clause.code == "custom" else "")
        or clause.spec.title.get(lang)
    )


def clause_blocks(
    clause: ClauseData, lang: str, context: Mapping[str, str] | None = None
) -> list[RenderedBlock]:
    """The body of a clause in ``lang``: sentences with the parameters filled in, lists,
    tables and the special parts the renderer supplies. ``context`` adds values that are
    not parameters (``effective_date``)."""
    spec = clause.spec
    params = clause.params
    texts: dict[str, str] = dict(context or {})
    for param in spec.params:
        if param.name in params:
            texts[param.name] = format_value(param, params[param.name], lang)
    texts.update(_derived(clause.code, params, lang))
    conditions: dict[str, Any] = {**(context or {}), **params, **_derived(clause.code, params,
                                                                           lang)}  # fmt: skip
    custom = clause.texts.get(lang) or (clause.texts.get("fr") if clause.code == "custom" else "")
    blocks: list[RenderedBlock] = []
    if custom:
        blocks.extend(Paragraph(_fill(p.strip(), texts)) for p in re.split(r"\n\s*\n", custom)
                      if p.strip())  # fmt: skip
    for block in spec.blocks:
        if block.when and not _holds(block.when, conditions):
            continue
        if block.text is not None:
            if not custom:
                blocks.append(Paragraph(_fill(block.text.get(lang), texts)))
        elif block.items:
            items = list_items(spec.param(block.items), params.get(block.items), lang)
            if items:
                blocks.append(Items(tuple(items)))
        elif block.table:
            value = params.get(block.table)
            if value:
                headers, rows = table_cells(spec.param(block.table), value, lang)
                blocks.append(Table(tuple(headers), tuple(tuple(r) for r in rows)))
        elif block.special and not custom:
            blocks.append(Special(block.special))
    return blocks


# ---------------------------------------------------------------------------- completeness

_P = {
    "clause_missing": T("La clause obligatoire « {clause} » manque.",
                        "البند الإلزامي «{clause}» غير موجود.",
                        "The mandatory clause “{clause}” is missing."),
    "clause_duplicate": T("La clause « {clause} » figure plusieurs fois.",
                          "البند «{clause}» مكرر.", "The clause “{clause}” appears more than "
                          "once."),
    "param_missing": T("Clause « {clause} » : « {param} » n'est pas renseigné.",
                       "البند «{clause}»: «{param}» غير محدد.",
                       "Clause “{clause}”: “{param}” is not filled in."),
    "threshold_out_of_range": T(
        "Clause « {clause} » : le seuil de majorité qualifiée ({value}) doit être supérieur à "
        "1/2 et au plus égal à 1.",
        "البند «{clause}»: يجب أن تكون عتبة الأغلبية الموصوفة ({value}) أكبر من 1/2 ولا تتجاوز 1.",
        "Clause “{clause}”: the qualified majority threshold ({value}) must be above 1/2 and at "
        "most 1."),
    "quorum_out_of_range": T(
        "Clause « {clause} » : « {param} » ({value}) doit être supérieur à 0 et au plus égal "
        "à 1.",
        "البند «{clause}»: يجب أن يكون «{param}» ({value}) أكبر من 0 ولا يتجاوز 1.",
        "Clause “{clause}”: “{param}” ({value}) must be above 0 and at most 1."),
    "share_out_of_range": T(
        "Clause « {clause} » : « {param} » ({value}) doit être compris entre 0 et 1.",
        "البند «{clause}»: يجب أن يكون «{param}» ({value}) بين 0 و1.",
        "Clause “{clause}”: “{param}” ({value}) must be between 0 and 1."),
    "renewal_years_missing": T(
        "Clause « {clause} » : la convention est renouvelable mais la durée du renouvellement "
        "n'est pas fixée.",
        "البند «{clause}»: الاتفاقية قابلة للتجديد لكن مدة التجديد غير محددة.",
        "Clause “{clause}”: the convention is renewable but the renewal period is not set."),
    "schedule_total_mismatch": T(
        "Clause « {clause} » : l'échéancier totalise {schedule}, le montant global est de "
        "{total}.",
        "البند «{clause}»: مجموع الجدولة {schedule} بينما المبلغ الإجمالي {total}.",
        "Clause “{clause}”: the schedule totals {schedule} but the total amount is {total}."),
    "board_no_voting": T(
        "Clause « {clause} » : le conseil n'a aucun siège avec voix délibérative.",
        "البند «{clause}»: لا يتوفر المجلس على أي مقعد بصوت تقريري.",
        "Clause “{clause}”: the board has no voting seat."),
    "women_exceed_seats": T(
        "Clause « {clause} » : {organization} a plus de sièges réservés aux femmes que de "
        "sièges.",
        "البند «{clause}»: لدى {organization} مقاعد مخصصة للنساء أكثر من عدد مقاعدها.",
        "Clause “{clause}”: {organization} has more seats held by women than seats."),
    "board_balance": T("Composition du conseil : {message}", "تركيبة المجلس: {message}",
                       "Board composition: {message}"),
    "board_check_unavailable": T(
        "La composition du conseil n'a pas pu être vérifiée : corrigez d'abord la règle de "
        "décision.",
        "تعذر التحقق من تركيبة المجلس: صححوا أولا قاعدة اتخاذ القرار.",
        "The board composition could not be checked: fix the decision rule first."),
    "action_plan_not_mandatory": T(
        "Clause « {clause} » : le plan d'action doit être obligatoire (M15).",
        "البند «{clause}»: يجب أن تكون خطة العمل إلزامية.",
        "Clause “{clause}”: the action plan must be compulsory (M15)."),
    "action_plan_not_adopted_by_board": T(
        "Clause « {clause} » : le plan d'action doit être adopté par le conseil.",
        "البند «{clause}»: يجب أن يصادق المجلس على خطة العمل.",
        "Clause “{clause}”: the action plan must be adopted by the board."),
    "director_missing": T(
        "Clause « {clause} » : une équipe de projet suppose un directeur.",
        "البند «{clause}»: يقتضي فريق المشروع تعيين مدير.",
        "Clause “{clause}”: a project team needs a director."),
    "sharing_key_missing": T(
        "Clause « {clause} » : une répartition « selon la clé » est prévue mais la clé de "
        "répartition est vide.",
        "البند «{clause}»: ينص على التوزيع «وفق المفتاح» لكن مفتاح التوزيع فارغ.",
        "Clause “{clause}”: sharing “by the key” is provided for but the sharing key is empty."),
    "sharing_key_total": T(
        "Clause « {clause} » : la clé de répartition totalise {total} au lieu de 100 %.",
        "البند «{clause}»: مجموع مفتاح التوزيع {total} بدل 100%.",
        "Clause “{clause}”: the sharing key totals {total} instead of 100%."),
}  # fmt: skip

BalanceFn = Callable[[list[dict[str, Any]], dict[str, Any], dict[str, Any], str],
                     tuple[list[tuple[str, str]], list[tuple[str, str]]]]  # fmt: skip


def _problem(code: str, clause: ClauseData | ClauseSpec | None = None, *, param: Param | None =
             None, severity: Severity = Severity.ERROR, template: str | None = None,
             **values: I18n | str | int) -> Problem:  # fmt: skip
    spec = clause.spec if isinstance(clause, ClauseData) else clause
    key = clause.key if isinstance(clause, ClauseData) else (clause.code if clause else None)
    filled: dict[str, I18n | str | int] = dict(values)
    if spec is not None:
        filled.setdefault("clause", spec.title)
    if param is not None:
        filled.setdefault("param", param.label)
    return Problem(
        code=code,
        message=_fmt(_P[template or code], **filled),
        clause=key,
        param=param.name if param else None,
        severity=severity,
    )


def _missing(clause: ClauseData, param: Param) -> Problem:
    if param.missing_code and param.missing_message:
        return Problem(param.missing_code, param.missing_message, clause.key, param.name)
    return _problem("param_missing", clause, param=param)


def _share(clause: ClauseData, name: str, *, low_open: bool, code: str) -> Problem | None:
    value = clause.params.get(name)
    if _empty(value):
        return None
    try:
        fraction = parse_fraction(value)
    except (ValueError, ZeroDivisionError):  # pragma: no cover - validated on input
        return None
    if (fraction > 0 if low_open else fraction >= 0) and fraction <= 1:
        return None
    return _problem(code, clause, param=clause.spec.param(name), value=fraction_text(fraction))


def completeness(
    clauses: Sequence[ClauseData],
    *,
    partnership_kind: str = "management",
    balance_fn: BalanceFn | None = None,
) -> list[Problem]:
    """Every problem that keeps this set of clauses from being signed (errors) or that
    deserves attention (warnings), in a stable order."""
    problems: list[Problem] = []
    by_code: dict[str, list[ClauseData]] = {}
    for clause in clauses:
        by_code.setdefault(clause.code, []).append(clause)
    for code in mandatory_codes(partnership_kind):
        if code not in by_code:
            problems.append(_problem("clause_missing", spec_for(code)))
    for code, found in by_code.items():
        if len(found) > 1 and not spec_for(code).repeatable:
            problems.append(_problem("clause_duplicate", found[0]))
    for clause in sorted(clauses, key=lambda c: (c.order, c.key)):
        for param in clause.spec.params:
            if param.required and _empty(clause.params.get(param.name)):
                problems.append(_missing(clause, param))
        check = _CHECKS.get(clause.code)
        if check is not None:
            problems.extend(check(clause, by_code, balance_fn))
    return problems


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def _check_duration(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    if p.get("renewal") in {"tacit", "express"} and _empty(p.get("renewal_years")):
        return [_problem("renewal_years_missing", clause,
                         param=clause.spec.param("renewal_years"))]  # fmt: skip
    return []


def _check_funding(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    schedule = p.get("schedule") or []
    if not schedule or _empty(p.get("total_amount")):
        return []
    total = str(p["total_amount"])
    scheduled = sum((Decimal(str(row.get("amount") or 0)) for row in schedule), Decimal(0))
    if scheduled != Decimal(total):
        return [_problem(
            "schedule_total_mismatch", clause, param=clause.spec.param("schedule"),
            schedule=I18n(*(format_money(scheduled, lang) for lang in ("fr", "ar", "en"))),
            total=I18n(*(format_money(total, lang) for lang in ("fr", "ar", "en"))),
        )]  # fmt: skip
    return []


def _check_deliberations(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    spec = clause.spec
    problems: list[Problem] = []
    for method_name, threshold_name in (
        ("method", "threshold"),
        ("fallback_method", "fallback_threshold"),
    ):
        if p.get(method_name) != "qualified":
            continue
        threshold = p.get(threshold_name)
        if _empty(threshold):
            problems.append(_missing(clause, spec.param(threshold_name)))
            continue
        value = parse_fraction(threshold)
        if not Fraction(1, 2) < value <= 1:
            problems.append(_problem("threshold_out_of_range", clause,
                                     param=spec.param(threshold_name),
                                     value=fraction_text(value)))  # fmt: skip
    for name in ("quorum", "quorum_per_college", "second_convocation_quorum"):
        found = _share(clause, name, low_open=True, code="quorum_out_of_range")
        if found:
            problems.append(found)
    return problems


def _composition_members(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Board seats as rules-engine members: one member per seat; the first ``women`` seats
    of a row are held by women, the others' gender is unstated."""
    members = []
    for index, row in enumerate(rows):
        women = int(row.get("women") or 0)
        for seat in range(int(row.get("seats") or 0)):
            members.append({
                "id": f"r{index + 1}s{seat + 1}",
                "organization": str(row.get("organization") or f"#{index + 1}"),
                "college": str(row.get("college") or "experts"),
                "voting": bool(row.get("voting")),
                "gender": "f" if seat < women else "x",
            })  # fmt: skip
    return members


def decision_rule_json(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The deliberations clause as a rules-engine rule (contracts/rules-cli.md)."""
    p = dict(params) if params is not None else BY_CODE["deliberations"].defaults()
    rule: dict[str, Any] = {
        "method": p.get("method") or "consensus",
        "base": p.get("base") or "present",
        "quorum": {"fraction": p.get("quorum") or "1/2",
                   "per_college": p.get("quorum_per_college")},
        "max_proxies_per_member": p.get("max_proxies", 1),
        "tie_break": p.get("tie_break") or "none",
    }  # fmt: skip
    if p.get("threshold") and rule["method"] == "qualified":
        rule["threshold"] = p["threshold"]
    if p.get("double_majority") in {"all", "majority"}:
        rule["colleges"] = {"method": "simple", "base": "cast", "required": p["double_majority"]}
    fallback = p.get("fallback_method")
    if fallback:
        inner: dict[str, Any] = {"method": fallback, "base": p.get("fallback_base") or "present"}
        if fallback == "qualified" and p.get("fallback_threshold"):
            inner["threshold"] = p["fallback_threshold"]
        rule["fallback"] = {"from_round": p.get("fallback_from_round") or 2, "rule": inner}
    return rule


def policy_json(
    board: Mapping[str, Any] | None, gender: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The board and gender clauses as a rules-engine balance policy."""
    b = dict(board) if board is not None else BY_CODE["board"].defaults()
    g = dict(gender) if gender is not None else BY_CODE["gender"].defaults()
    return {
        "max_seat_share_per_organization": b.get("max_seat_share") or "1/2",
        "min_women_share": g.get("women_target") or "1/3",
        "required_colleges": list(b.get("required_colleges") or []),
        "max_non_voting": b.get("max_non_voting"),
        "no_dictator": bool(b.get("no_dictator", True)),
        "warn_veto": bool(b.get("warn_veto", False)),
    }


def members_json(board: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    b = dict(board) if board is not None else BY_CODE["board"].defaults()
    return _composition_members(b.get("composition") or [])


def _params_of(by_code: Mapping[str, list[ClauseData]], code: str) -> Mapping[str, Any] | None:
    found = by_code.get(code)
    return found[0].params if found else None


def _check_board(
    clause: ClauseData, by_code: Mapping[str, list[ClauseData]], balance_fn: BalanceFn | None
) -> list[Problem]:
    p = clause.params
    spec = clause.spec
    problems: list[Problem] = []
    rows = p.get("composition") or []
    for row in rows:
        if int(row.get("women") or 0) > int(row.get("seats") or 0):
            problems.append(_problem("women_exceed_seats", clause,
                                     param=spec.param("composition"),
                                     organization=str(row.get("organization"))))  # fmt: skip
    share = _share(clause, "max_seat_share", low_open=True, code="quorum_out_of_range")
    if share:
        problems.append(share)
    if rows and not any(row.get("voting") for row in rows):
        problems.append(_problem("board_no_voting", clause, param=spec.param("composition")))
    if problems or not rows or balance_fn is None:
        return problems
    deliberations = _params_of(by_code, "deliberations")
    gender = _params_of(by_code, "gender")
    policy = policy_json(p, gender)
    try:
        policy_ok = parse_fraction(policy["min_women_share"]) <= 1
    except ValueError:  # pragma: no cover
        policy_ok = False
    if not policy_ok:
        return problems
    results = {}
    try:
        for lang in LANGS:
            results[lang] = balance_fn(members_json(p), decision_rule_json(deliberations),
                                       policy, lang)  # fmt: skip
    except ValueError:
        return [_problem("board_check_unavailable", clause, severity=Severity.WARNING)]
    for kind_index, severity in ((0, Severity.ERROR), (1, Severity.WARNING)):
        findings = {lang: results[lang][kind_index] for lang in LANGS}
        for position, (code, _message) in enumerate(findings["fr"]):
            message = I18n(*(findings[lang][position][1] for lang in ("fr", "ar", "en")))
            problems.append(Problem(
                code=f"board_{code}", message=_fmt(_P["board_balance"], message=message),
                clause=clause.key, param="composition", severity=severity,
            ))  # fmt: skip
    return problems


def _check_action_plan(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    problems = []
    if p.get("mandatory") is not True:
        problems.append(_problem("action_plan_not_mandatory", clause,
                                 param=clause.spec.param("mandatory")))  # fmt: skip
    if p.get("adopted_by_board") is not True:
        problems.append(_problem("action_plan_not_adopted_by_board", clause,
                                 param=clause.spec.param("adopted_by_board")))  # fmt: skip
    return problems


def _check_structure(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    if p.get("structure") == "project_team" and not p.get("director"):
        return [_problem("director_missing", clause, param=clause.spec.param("director"))]
    return []


def _check_audit(clause: ClauseData, *_: Any) -> list[Problem]:
    found = _share(clause, "expense_tolerance", low_open=False, code="share_out_of_range")
    return [found] if found else []


def _check_gender(clause: ClauseData, *_: Any) -> list[Problem]:
    found = _share(clause, "women_target", low_open=True, code="quorum_out_of_range")
    return [found] if found else []


def _check_termination(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    by_key = any(p.get(name) == "by_key" for name in
                 ("assets_disposition", "surplus_disposition", "deficit_disposition"))  # fmt: skip
    key = p.get("sharing_key") or []
    param = clause.spec.param("sharing_key")
    if by_key and not key:
        return [_problem("sharing_key_missing", clause, param=param)]
    if key:
        total = sum((parse_fraction(row.get("share") or 0) for row in key), Fraction(0))
        if total != 1:
            return [_problem("sharing_key_total", clause, param=param,
                             total=I18n(*(format_percent(total, lang)
                                          for lang in ("fr", "ar", "en"))))]  # fmt: skip
    return []


_CHECKS: dict[str, Callable[..., list[Problem]]] = {
    "duration": _check_duration,
    "funding": _check_funding,
    "deliberations": _check_deliberations,
    "board": _check_board,
    "action_plan": _check_action_plan,
    "management_structure": _check_structure,
    "audit": _check_audit,
    "gender": _check_gender,
    "termination": _check_termination,
}


def catalogue_defaults(partnership_kind: str = "management") -> list[ClauseData]:
    """Every mandatory clause with its catalogue defaults: a complete starting draft."""
    return [
        ClauseData(key=code, code=code, order=(index + 1) * 10, params=spec_for(code).defaults())
        for index, code in enumerate(mandatory_codes(partnership_kind))
    ]


# ---------------------------------------------------------------------------------- diff


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    name: str  # a parameter name, or "order", "title.fr", "text.ar"...
    change: Change
    old: Any = None
    new: Any = None


@dataclass(frozen=True)
class ClauseChange:
    key: str
    code: str
    change: Change
    fields: tuple[FieldChange, ...] = ()
    old: ClauseData | None = None
    new: ClauseData | None = None


def _flat(clause: ClauseData) -> dict[str, Any]:
    flat: dict[str, Any] = {f"param.{k}": v for k, v in clause.params.items()}
    flat["order"] = clause.order
    flat.update({f"title.{k}": v for k, v in clause.titles.items() if v})
    flat.update({f"text.{k}": v for k, v in clause.texts.items() if v})
    return flat


def _field_changes(old: ClauseData, new: ClauseData) -> tuple[FieldChange, ...]:
    a, b = _flat(old), _flat(new)
    changes = []
    for name in sorted(set(a) | set(b), key=lambda n: (not n.startswith("param."), n)):
        if name not in b:
            changes.append(FieldChange(name, Change.REMOVED, old=a[name]))
        elif name not in a:
            changes.append(FieldChange(name, Change.ADDED, new=b[name]))
        elif a[name] != b[name]:
            changes.append(FieldChange(name, Change.CHANGED, old=a[name], new=b[name]))
    return tuple(changes)


def diff(old: Sequence[ClauseData], new: Sequence[ClauseData]) -> list[ClauseChange]:
    """What changes from ``old`` to ``new``: clause by clause (matched by key), parameter by
    parameter. Unchanged clauses are left out."""
    before = {c.key: c for c in old}
    after = {c.key: c for c in new}
    order = {c.key: (c.order, c.key) for c in (*old, *new)}
    result = []
    for key in sorted(set(before) | set(after), key=lambda k: order[k]):
        a, b = before.get(key), after.get(key)
        if a is None and b is not None:
            result.append(ClauseChange(key, b.code, Change.ADDED, new=b))
        elif b is None and a is not None:
            result.append(ClauseChange(key, a.code, Change.REMOVED, old=a))
        elif a is not None and b is not None:
            if a.code != b.code:
                result.append(ClauseChange(key, a.code, Change.REMOVED, old=a))
                result.append(ClauseChange(key, b.code, Change.ADDED, new=b))
                continue
            fields = _field_changes(a, b)
            if fields:
                result.append(ClauseChange(key, b.code, Change.CHANGED, fields, old=a, new=b))
    return result


def apply_diff(old: Sequence[ClauseData], changes: Sequence[ClauseChange]) -> list[ClauseData]:
    """``old`` with ``changes`` applied: ``apply_diff(a, diff(a, b))`` has ``b``'s content."""
    clauses = {c.key: c for c in old}
    for change in changes:
        if change.change is Change.REMOVED:
            clauses.pop(change.key, None)
    for change in changes:
        if change.change is Change.ADDED and change.new is not None:
            clauses[change.key] = change.new
        elif change.change is Change.CHANGED:
            flat = _flat(clauses[change.key])
            for f in change.fields:
                if f.change is Change.REMOVED:
                    flat.pop(f.name, None)
                else:
                    flat[f.name] = f.new
            clauses[change.key] = ClauseData(
                key=change.key,
                code=change.code,
                order=flat["order"],
                params={k[6:]: v for k, v in flat.items() if k.startswith("param.")},
                titles={k[6:]: v for k, v in flat.items() if k.startswith("title.")},
                texts={k[5:]: v for k, v in flat.items() if k.startswith("text.")},
            )
    return sorted(clauses.values(), key=lambda c: (c.order, c.key))


def field_label(code: str, name: str, lang: str) -> str:
    """How a changed field reads on the difference page."""
    if name.startswith("param."):
        spec = spec_for(code)
        param_name = name[6:]
        return spec.param(param_name).label.get(lang) if spec.has_param(param_name) else param_name
    labels = {"order": T("Position", "الترتيب", "Position"),
              "title": T("Titre", "العنوان", "Title"),
              "text": T("Texte", "النص", "Text")}  # fmt: skip
    head, _sep, lang_code = name.partition(".")
    label = labels[head].get(lang) if head in labels else head
    return f"{label} ({lang_code})" if lang_code else label


def field_value(code: str, name: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if name.startswith("param."):
        spec = spec_for(code)
        if spec.has_param(name[6:]):
            return format_value(spec.param(name[6:]), value, lang) or "—"
    return str(value)


# ----------------------------------------------------------------------- rules in force


@dataclass(frozen=True)
class RulesJson:
    """The governance rules a set of clauses puts in force, in the rules engine's JSON
    shapes and plain numbers (``conventions.selectors`` builds ``RulesInForce`` from it)."""

    decision_rule: dict[str, Any]
    balance_policy: dict[str, Any]
    notice_period_days: int
    second_convocation_quorum: Fraction | None
    gender_target: Fraction
    expense_tolerance: Fraction
    plan_adoption_deadline_days: int | None
    audit_frequency_months: int | None
    evaluation_frequency_months: int | None
    termination: Mapping[str, Any]
    decision_text: I18n  # the decision rule in words


def rules_json(clauses: Sequence[ClauseData]) -> RulesJson:
    """Map clause parameters to the typed rules; a missing clause contributes its catalogue
    defaults (a réalisation convention has no deliberations clause, for instance)."""
    by_code: dict[str, list[ClauseData]] = {}
    for clause in clauses:
        by_code.setdefault(clause.code, []).append(clause)

    def params(code: str) -> Mapping[str, Any]:
        found = _params_of(by_code, code)
        return found if found is not None else BY_CODE[code].defaults()

    deliberations = params("deliberations")
    gender = params("gender")
    audit = params("audit")
    plan = params("action_plan")
    termination = params("termination")
    second = deliberations.get("second_convocation_quorum")
    return RulesJson(
        decision_rule=decision_rule_json(deliberations),
        balance_policy=policy_json(params("board"), gender),
        notice_period_days=int(deliberations.get("notice_days") or 0),
        second_convocation_quorum=parse_fraction(second) if second else None,
        gender_target=parse_fraction(gender.get("women_target") or "1/3"),
        expense_tolerance=parse_fraction(audit.get("expense_tolerance") or "1/10"),
        plan_adoption_deadline_days=plan.get("adoption_deadline_days"),
        audit_frequency_months=audit.get("audit_frequency_months"),
        evaluation_frequency_months=audit.get("evaluation_frequency_months"),
        decision_text=decision_text(deliberations),
        termination={k: termination.get(k) for k in (
            "notice_days", "staff_disposition", "assets_disposition", "surplus_disposition",
            "deficit_disposition", "sharing_key")},
    )  # fmt: skip


# ---------------------------------------------------------------------------------- hash


def content_hash(
    clauses: Sequence[ClauseData],
    *,
    meta: Mapping[str, Any],
    signatories: Sequence[Mapping[str, Any]] = (),
) -> str:
    """SHA-256 of the canonical JSON of a version's content, stored at signature."""
    document = {
        "meta": dict(meta),
        "clauses": [
            {"key": c.key, "code": c.code, "order": c.order, "params": c.params,
             "titles": {k: v for k, v in c.titles.items() if v},
             "texts": {k: v for k, v in c.texts.items() if v}}
            for c in sorted(clauses, key=lambda c: c.key)
        ],
        "signatories": list(signatories),
    }  # fmt: skip
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


# ------------------------------------------------------------------------ version status


class Status(StrEnum):
    DRAFT = "draft"
    UNDER_NEGOTIATION = "under_negotiation"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    ENDED = "ended"


#: The life of a version: drafted, negotiated (and sent back to drafting if need be),
#: signed, in force, ended. A signed version may also end without ever entering into force.
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.UNDER_NEGOTIATION}),
    Status.UNDER_NEGOTIATION: frozenset({Status.DRAFT, Status.SIGNED}),
    Status.SIGNED: frozenset({Status.IN_FORCE, Status.ENDED}),
    Status.IN_FORCE: frozenset({Status.ENDED}),
    Status.ENDED: frozenset(),
}


def allowed_next(status: Status) -> frozenset[Status]:
    return TRANSITIONS[status]
