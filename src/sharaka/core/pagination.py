from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

T = TypeVar("T")


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
