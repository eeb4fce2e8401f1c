from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from sharaka.core.errors import AccessDenied, CoreErrorCode, NotFound, database_busy
from sharaka.core.immutable import ImmutableError
from sharaka.core.text import control_character_message
from sharaka.core.uploads import max_request_bytes

#: seconds a client is told to wait before trying again when the database is busy
RETRY_AFTER_S = 5


def busy_message() -> str:
    return gettext("La base de données est occupée : réessayez dans quelques secondes. "
                   "Rien n'a été modifié.")  # fmt: skip


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 page, or problem JSON for the API, when the database was too busy to answer."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "type": "https://sharaka.invalid/problems/database_busy",
                "title": gettext("Service momentanément indisponible"),
                "status": 503,
                "detail": busy_message(),
                "code": "database_busy",
                "instance": request.path,
            },
            status=503,
            content_type="application/problem+json",
        )
    else:
        response = render(request, "503.html", {"message": busy_message()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


class RequestSizeMiddleware:
    """Refuse a request body larger than the largest upload allowed (``core.uploads``)
    before anything reads it (Django would otherwise spool it to disk first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            message = gettext("Envoi trop volumineux (%(size)s Mo) : %(max)s Mo au plus.") % {
                "size": length // (1024 * 1024),
                "max": max_request_bytes() // (1024 * 1024),
            }
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"type": "https://sharaka.invalid/problems/upload_too_large",
                     "title": gettext("Envoi trop volumineux"), "status": 413,
                     "detail": message, "code": "upload_too_large", "instance": request.path},
                    status=413, content_type="application/problem+json",
                )  # fmt: skip
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)


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
    """Render access refusals raised anywhere in a view as the 403 / 404 pages (and a
    change to a frozen record, ``core.immutable``, as the 409 page); refuse
    an address holding a control character before any view reads it (400 page, or 422
    problem JSON for the API); and render a database too busy to answer (SQLite's
    "database is locked", a PostgreSQL lock or statement timeout) as a 503 asking to
    try again, never a 500."""

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
        if database_busy(exception):
            return busy_response(request)
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": exception.message}, status=404)
        if isinstance(exception, ImmutableError):  # a frozen record: core.immutable
            return render(request, "409.html", {"message": exception.message}, status=409)
        if isinstance(exception, AccessDenied):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return render(request, "403.html", {"message": exception.message}, status=403)
        return None
