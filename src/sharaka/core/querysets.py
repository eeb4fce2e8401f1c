"""Reading rows: ``found`` (a row or a 404), and the filters of a list page: a free-text
search over a few columns, and the narrowing choices (kind, year, status…) that apply only
when the user picked one."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from sharaka.core.errors import NotFound

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def text_search(queryset: QuerySet[M], text: str, fields: Iterable[str]) -> QuerySet[M]:
    """The rows where one of ``fields`` contains ``text`` (any case); all rows when ``text``
    is empty."""
    if not text:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": text}) for field in fields)))


def narrow(queryset: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """``queryset`` filtered on each lookup that has a value: an empty choice (``""``,
    ``None``, ``0``, ``False``) filters nothing."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value})


def found(row: T | None, missing: str = "") -> T:
    """``row``, or a ``NotFound`` saying ``missing`` when there is none (``….first()``)."""
    if row is None:
        raise NotFound(missing)
    return row
