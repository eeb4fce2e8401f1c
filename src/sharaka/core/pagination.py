from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def paginate(
    request: HttpRequest, items: _SupportsPagination[T], *, per_page: int | None = None
) -> Page[T]:
    """Page ``items`` by the ``page`` query parameter; a bad page number shows the last page."""
    paginator = Paginator(items, per_page or settings.SHARAKA_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string without ``page``, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class DeferredRows(Generic[M]):
    """A sorted query paged in two steps (a "deferred join", issue 19, ADR 0027): the ids of
    one page are read first, with the filters and the sort only, which an index covering
    the sort answers without touching the table (an index-only scan, even deep in a long
    list); then the rows of that page alone are loaded with their joins. ``Paginator`` and
    ninja's pagination take it like a query: ``count()`` and slicing.

    Reading a deep page with the joins, as ``OFFSET`` on the whole query does, makes the
    database join every skipped row first; here it skips index entries."""

    def __init__(self, queryset: QuerySet[M]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:
        """Every row, by pages of the index (a paginator never asks; here for the protocol)."""
        step = 500
        for start in range(0, self.count(), step):
            yield from self[start : start + step]

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids]
