"""Formatting and clause text: values in words, and the blocks of a clause's text in each
language. Pure: no Django import, like the whole package."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from sharaka.conventions.catalogue import (
    BY_CODE,
    I18n,
    Param,
    PType,
    T,
)
from sharaka.conventions.rules.validation import _empty
from sharaka.conventions.rules.values import ClauseData, fraction_text, parse_fraction
from sharaka.core import bidi, money

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
    """An amount without its currency, grouped in ``lang``'s style (``core.money``)."""
    return money.number(value, lang, places=2)


def format_percent(value: Fraction, lang: str) -> str:
    return money.percent(value, lang, places=2, ratio=True)


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
    if "total_amount" in texts and texts.get("currency"):  # "DH", "درهم", "MAD" (ADR 0028)
        texts["currency"] = money.currency_label(texts["currency"], lang)
    texts = bidi.isolate_all(texts, rtl=lang == "ar")
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
