"""The error pages (``handler400`` … ``handler500`` in ``config/urls.py``) and the results
of a search-as-you-type choice (``lookup``). Core has no page of its own: the home page is
the partnerships dashboard (``partnerships.views.home``)."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sharaka.core import lookups
from sharaka.core.errors import AccessDenied, database_busy
from sharaka.core.middleware import busy_response


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # A busy database met outside a view (a middleware saving the session, say) is a 503
    # asking to try again, like in a view (core.middleware.DomainErrorMiddleware).
    if database_busy(sys.exc_info()[1] or Exception()):
        return busy_response(request)
    return render(request, "500.html", status=500)


@require_GET
def lookup(request: HttpRequest, name: str) -> HttpResponse:
    """The results of a search-as-you-type choice (``core.lookups``): at most ``LIMIT`` rows
    of the lookup's scope, which checks the user's rights first (404 / 403)."""
    found = lookups.get(name)
    if not request.user.is_authenticated:
        raise AccessDenied()
    params = {key: request.GET.get(key, "") for key in found.params}
    rows = found.results(request.user, params, request.GET.get("q", ""))
    items = [
        {"pk": row.pk, "text": found.label(row), "label": found.label(row),
         "context": found.context(row)}
        for row in rows[: lookups.LIMIT]
    ]  # fmt: skip
    context = {"rows": items, "more": len(rows) > lookups.LIMIT, "limit": lookups.LIMIT}
    return render(request, "core/widgets/search_results.html", context)
