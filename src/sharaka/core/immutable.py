"""One immutability mechanism for every record that must never change once it counts
(ADR 0013): ballots, decisions, signed minutes and the chain, signed convention versions,
approved expenses, adopted plans — and the parts of those.

A model derives from ``Immutable`` and says *declaratively*, in a ``Freeze``, when one of
its rows is frozen and what may still change then::

    class Expense(Immutable):
        freeze = Freeze(
            Code.EXPENSE_FROZEN, _("Une dépense approuvée ne se modifie ni ne se supprime…"),
            state="status",
            frozen={"approved": NOTHING, "paid": NOTHING},
            moves={("approved", "paid"): frozenset({"paid_by", "paid_at"})},
            fillable=frozenset({"document", "document_name"}),
        )

``save()`` reads the stored row once (one query), compares it with the instance and refuses
any change the declaration does not allow; ``delete()`` refuses a frozen row. The model's
querysets refuse ``update()`` and ``delete()`` that would touch a frozen row, so a bulk
write cannot bypass the rule either. The refusal is an ``ImmutableError``: a ``DomainError``
with the model's stable code and a translated message naming what is frozen, which the
pages, the API (problem JSON, 409) and the command line render like any other refusal.

Three kinds of rows (``Freeze.state``):

- ``""`` — append-only: frozen as soon as it is stored (a ballot, a decision, a link of the
  chain). It is written once; any later save, and any delete, is refused.
- a field of the model (``"status"``) — frozen while the *stored* value of that field is a
  key of ``frozen`` (an approved expense, signed minutes, a signed convention version).
- a path through a foreign key (``"version__status"``) — a part of something frozen (a
  clause of a signed version, an activity of an adopted plan): frozen while the parent's
  value is a key of ``frozen``; adding a part to a frozen parent is refused too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

from sharaka.core.errors import DomainError

_M = TypeVar("_M", bound=models.Model)

#: No field may change (the usual value of a ``frozen`` entry).
NOTHING: frozenset[str] = frozenset()

#: Empty stored values: a ``fillable`` field may be set once while it holds one of these.
_EMPTY: tuple[Any, ...] = (None, "")


class ImmutableError(DomainError):
    """A change refused because the record is frozen (409 Conflict: the request is
    understood, the record's state forbids it)."""

    status = 409


@dataclass(frozen=True)
class Freeze:
    """When a row of a model is frozen, and what may still change then.

    ``code`` and ``message``: the refusal (a stable code; a translated sentence naming
    what is frozen). ``state``: ``""`` (append-only), a field of the model, or a path
    through a foreign key to a parent's field. ``frozen``: for each value of ``state``
    that freezes the row, the fields that may still change in that state. ``moves``: the
    changes of ``state`` itself allowed on a frozen row, each with the fields that may
    change along with it. ``fillable``: fields that may be set once, while still empty.
    ``deletable``: ``False`` when the row is never deleted, even before it is frozen.
    """

    code: StrEnum | str
    message: str | Promise
    state: str = ""
    frozen: Mapping[str, frozenset[str]] = field(default_factory=dict)
    moves: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    fillable: frozenset[str] = NOTHING
    deletable: bool = True

    def error(self) -> ImmutableError:
        return ImmutableError(self.code, str(self.message))

    @property
    def append_only(self) -> bool:
        return not self.state

    @property
    def parent(self) -> str:
        """The foreign key leading to the parent whose state freezes the row ("" if own)."""
        head, _, rest = self.state.partition("__")
        return head if rest else ""

    def allowed(self, state: Any, changed: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
        """Whether a row frozen in ``state`` accepts ``changed`` (field name → new value)."""
        may = set(self.frozen.get(state, NOTHING))
        if self.state in changed:
            move = (state, changed[self.state])
            if move not in self.moves:
                return False
            may |= self.moves[move] | {self.state}
        may |= {name for name in self.fillable if stored.get(name) in _EMPTY}
        return set(changed) <= may


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The stored fields whose change counts: not the key, not ``auto_now`` stamps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False)
    ]


def _same(field_: models.Field[Any, Any], stored: Any, current: Any) -> bool:
    """Whether the instance's ``current`` value is the ``stored`` one (read as the field
    reads input: ``"2025-01-01"`` is that date, a file is its name)."""
    try:
        current = field_.to_python(current)
    except (ValidationError, TypeError, ValueError):  # a value it cannot read is a change
        return False
    if hasattr(current, "name") and isinstance(field_, models.FileField):
        current = current.name
    return bool(stored == current) or (stored in _EMPTY and current in _EMPTY)


class ImmutableQuerySet(models.QuerySet[_M]):
    """Refuses ``update()`` and ``delete()`` that would touch a frozen row (one query to
    find out; always refused for an append-only model)."""

    def update(self, **kwargs: Any) -> int:
        self._refuse_frozen(kwargs)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_frozen(None)
        return super().delete()

    def _refuse_frozen(self, fields: Iterable[str] | None) -> None:
        """Refuse if a row of this queryset is frozen in a state that forbids writing
        ``fields`` (``None``: deleting), one ``exists()`` query."""
        freeze: Freeze = getattr(self.model, "freeze")  # noqa: B009 - declared by the model
        if freeze.append_only or (fields is None and not freeze.deletable):
            raise freeze.error()
        offending = Q()
        for state, may in freeze.frozen.items():
            in_state = Q(**{freeze.state: state})
            rest = None if fields is None else set(fields) - may
            if rest is None or (rest and not rest <= freeze.fillable):
                offending |= in_state
            elif rest:  # fields that may be set once: refused where already set
                offending |= in_state & _filled(self.model, rest)
        if offending and self.filter(offending).exists():
            raise freeze.error()


def _filled(model: type[models.Model], names: Iterable[str]) -> Q:
    """Rows where any of ``names`` already holds a value (a fillable field set once)."""
    condition = Q()
    for name in names:
        filled = Q(**{f"{name}__isnull": False})
        field_ = model._meta.get_field(name)
        if isinstance(field_, models.CharField | models.TextField | models.FileField):
            filled &= ~Q(**{name: ""})
        condition |= filled
    return condition


class ImmutableManager(models.Manager[_M]):
    def get_queryset(self) -> ImmutableQuerySet[_M]:
        return ImmutableQuerySet(self.model, using=self._db)


class Immutable(models.Model):
    """A model whose rows freeze: see the module's docstring. Subclasses set ``freeze``."""

    freeze: ClassVar[Freeze]

    objects = ImmutableManager["Immutable"]()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_frozen(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        freeze = self.freeze
        if freeze.append_only or not freeze.deletable or self._frozen_state()[0]:
            raise freeze.error()
        return super().delete(*args, **kwargs)

    def check_frozen(self, update_fields: Iterable[str] | None = None) -> None:
        """Refuse (``ImmutableError``) if saving this instance would change what is frozen."""
        freeze = self.freeze
        if freeze.append_only:
            if not self._state.adding:
                raise freeze.error()
            return
        frozen, state, stored = self._frozen_state(with_row=True)
        if not frozen:
            return
        if stored is None:  # a new part of a frozen parent, or one moved into it
            raise freeze.error()
        changed = self._changes(stored, update_fields)
        if not freeze.allowed(state, changed, stored):
            raise freeze.error()

    def _frozen_state(self, *, with_row: bool = False) -> tuple[bool, Any, dict[str, Any] | None]:
        """(frozen?, the state, the stored row when asked): one query, reading the stored
        row (and, through a join, its parent's state). A new part, or a part moved to
        another parent, takes the state of the parent it names (``None`` for the row)."""
        freeze = self.freeze
        if self._state.adding:
            if not freeze.parent:
                return False, None, None
            state = self._parent_state()
            return state in freeze.frozen, state, None
        model = type(self)
        names = [freeze.state]
        if with_row:
            names += [f.attname for f in _tracked_fields(model) if f.attname != freeze.state]
        row = model._base_manager.filter(pk=self.pk).values(*names).first()
        if row is None:
            return False, None, None
        state = row[freeze.state]
        if state not in freeze.frozen and with_row and freeze.parent:
            link = self._link().attname
            if row[link] != getattr(self, link):  # moved: frozen if the new parent is
                state = self._parent_state()
                return state in freeze.frozen, state, None
        return state in freeze.frozen, state, row

    def _link(self) -> models.ForeignKey[Any, Any]:
        """The foreign key to the parent whose state freezes this row."""
        link = type(self)._meta.get_field(self.freeze.parent)
        assert isinstance(link, models.ForeignKey)
        return link

    def _parent_state(self) -> Any:
        """The state of the parent this instance names (one query)."""
        link = self._link()
        parent: type[models.Model] = link.related_model
        return (
            parent._base_manager.filter(pk=getattr(self, link.attname))
            .values_list(self.freeze.state.partition("__")[2], flat=True)
            .first()
        )

    def _changes(self, stored: Mapping[str, Any], only: Iterable[str] | None) -> dict[str, Any]:
        """The fields whose value differs from the stored row (by field name)."""
        wanted = set(only) if only is not None else None
        changed: dict[str, Any] = {}
        for field_ in _tracked_fields(type(self)):
            if wanted is not None and field_.name not in wanted and field_.attname not in wanted:
                continue
            current = getattr(self, field_.attname)
            if not _same(field_, stored.get(field_.attname), current):
                changed[field_.name] = current
        return changed
