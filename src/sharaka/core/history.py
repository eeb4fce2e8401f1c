"""Audit trail read side: turn django-simple-history records into plain data for templates."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from sharaka.core.types import SignedIn

_CHANGE_LABELS = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}


class Historied(Protocol):
    """A model with ``history = HistoricalRecords()``. django-simple-history has no type
    information, so its manager is ``Any`` to the type checker."""

    history: Any


#: simple-history's ``history_change_reason`` column (``varchar(100)``): a longer reason
#: is cut (PostgreSQL refuses it; the full text stays where the caller keeps it).
CHANGE_REASON_MAX = 100


def set_change_reason(instance: models.Model, reason: str) -> None:
    """The reason django-simple-history records with the next ``save()`` of ``instance``."""
    if len(reason) > CHANGE_REASON_MAX:
        reason = reason[: CHANGE_REASON_MAX - 1] + "…"
    setattr(instance, "_change_reason", reason)  # noqa: B010 (read by simple-history)


def set_history_user(instance: models.Model, user: SignedIn) -> None:
    """The author django-simple-history records with the next ``save()`` of ``instance``,
    even outside a web request (API, command line, tasks)."""
    setattr(instance, "_history_user", user)  # noqa: B010 (read by simple-history)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...]


def _display(record: Any, field: models.Field[Any, Any], value: object) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    return str(value)


_HIDDEN = _("(masqué)")


def history_entries(
    obj: models.Model, *, limit: int = 200, hidden: Collection[str] = ()
) -> list[HistoryEntry]:
    """The newest ``limit`` changes of ``obj``, each with the fields it changed (2 queries).

    The values of the fields named in ``hidden`` (e.g. contact details the reader may not
    see) are replaced by a mark: the reader learns that they changed, not what they were."""
    records = list(
        cast(Historied, obj)
        .history.select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    model_fields = {f.attname: f for f in obj._meta.concrete_fields}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            for attname, field in model_fields.items():
                if attname in {"created_at", "updated_at"}:
                    continue
                old, new = getattr(previous, attname, None), getattr(record, attname, None)
                if old != new:
                    label = str(field.verbose_name)
                    if attname in hidden:
                        changes.append(FieldChange(label, str(_HIDDEN), str(_HIDDEN)))
                    elif field.is_relation:
                        changes.append(FieldChange(label, "#" + str(old), "#" + str(new)))
                    else:
                        changes.append(
                            FieldChange(
                                label, _display(record, field, old), _display(record, field, new)
                            )
                        )
        user = record.history_user
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=str(user) if user else str(_("système")),
                action=str(_CHANGE_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
    return entries
