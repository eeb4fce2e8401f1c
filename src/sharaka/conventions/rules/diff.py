"""Differences between two versions, clause by clause and parameter by parameter. Pure: no
Django import, like the whole package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sharaka.conventions.catalogue import (
    T,
    spec_for,
)
from sharaka.conventions.rules.text import format_value
from sharaka.conventions.rules.values import ClauseData

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
