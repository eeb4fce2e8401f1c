"""The request type of a view: Django's request with what ``django_htmx``'s middleware adds.

``HtmxMiddleware`` (settings) sets ``request.htmx`` on every request; typing a view's
request as ``HtmxHttpRequest`` lets it read ``request.htmx`` (true for an htmx request,
``.boosted`` for a boosted link) without ``# type: ignore``. The pattern django-htmx's
documentation gives, kept in one place.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_partial(request: HtmxHttpRequest) -> bool:
    """An htmx request that replaces part of a page (a filter, a search), not a boosted
    link that loads the whole page."""
    return bool(request.htmx) and not request.htmx.boosted
