from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from sharaka.core.errors import AccessDenied, CoreErrorCode, NotFound
from sharaka.core.text import control_character_message


def refused_address(request: HttpRequest) -> tuple[str, str] | None:
    """(name, message) for the first part of the address (path, query parameter) holding
    a control character (``core.text``), else ``None``. Forms and API schemas check what
    they receive; this covers what views read from the address directly (a search, a
    slug): a NUL there was a 500 on PostgreSQL."""
    message = control_character_message(request.path)
    if message is not None:
        return "path", message
    for key, values in request.GET.lists():
        for text in (key, *values):
            message = control_character_message(text)
            if message is not None:
                return key, message
    return None


class DomainErrorMiddleware:
    """Render access refusals raised anywhere in a view as the 403 / 404 pages, and refuse
    an address holding a control character before any view reads it (400 page, or 422
    problem JSON for the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = refused_address(request)
        if refused is not None:
            return self._refuse(request, *refused)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, field: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {
                "type": f"https://sharaka.invalid/problems/{CoreErrorCode.INVALID}",
                "title": gettext("Requête invalide"),
                "status": 422,
                "detail": f"{field}: {message}",
                "code": str(CoreErrorCode.INVALID),
                "instance": request.path.encode("unicode_escape").decode("ascii"),
                "errors": [{"field": field, "message": message}],
            }
            return JsonResponse(body, status=422, content_type="application/problem+json")
        return render(request, "400.html", {"message": message}, status=400)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": exception.message}, status=404)
        if isinstance(exception, AccessDenied):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return render(request, "403.html", {"message": exception.message}, status=403)
        return None
