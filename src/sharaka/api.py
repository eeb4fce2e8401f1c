"""The JSON API (django-ninja): ``/api/``, OpenAPI docs at ``/api/docs``.

Authentication is a bearer token (``Authorization: Bearer shk_…``) created on the profile
page; it expires, and a ``read`` token serves only GET, HEAD and OPTIONS (403 otherwise).
Every error is RFC 9457 problem JSON: ``type``, ``title``, ``status``, ``detail`` and, for
invalid input, ``errors`` (one entry per field).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from sharaka.accounts.services import TokenRefused, api_token_authenticate
from sharaka.core.errors import DomainError, ValidationFailed, database_busy
from sharaka.core.middleware import busy_response

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token, method=request.method or "GET")
        request.user = user
        return user


api = NinjaAPI(
    title="Sharaka API",
    version="1",
    description="Partenariats de gestion : annuaire, registre des partenariats.",
    auth=TokenAuth(),
    urls_namespace="api",
)


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str,
    code: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://sharaka.invalid/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


_TITLES = {
    400: gettext_noop("Requête invalide"),
    401: gettext_noop("Authentification requise"),
    403: gettext_noop("Accès refusé"),
    404: gettext_noop("Introuvable"),
    405: gettext_noop("Méthode non permise"),
    409: gettext_noop("Conflit"),
    422: gettext_noop("Données invalides"),
    500: gettext_noop("Erreur interne"),
}


def _title(status: int) -> str:
    return _(_TITLES.get(status, gettext_noop("Erreur")))


@api.exception_handler(NinjaValidationError)
def _on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "payload")
        ]
        errors.append({"field": ".".join(loc) or "body", "message": str(error.get("msg", ""))})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3])
    return problem(request, status=422, title=_title(422), detail=detail, code="invalid",
                   errors=errors)  # fmt: skip


@api.exception_handler(ValidationFailed)
def _on_validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    errors = [
        {"field": field, "message": message}
        for field, messages in exc.errors.items()
        for message in messages
    ]
    return problem(request, status=422, title=_title(422), detail=exc.message, code=exc.code,
                   errors=errors)  # fmt: skip


@api.exception_handler(DomainError)
def _on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
    status = exc.status if exc.status != 400 else 409
    return problem(request, status=status, title=_title(status), detail=exc.message,
                   code=exc.code, errors=errors)  # fmt: skip


@api.exception_handler(TokenRefused)
def _on_token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = problem(request, status=exc.status, title=_title(exc.status), detail=exc.message,
                       code=exc.code)  # fmt: skip
    # RFC 6750 §3: tell the client whether to get a new token or a token with more scope
    error = "insufficient_scope" if exc.status == 403 else "invalid_token"
    response["WWW-Authenticate"] = f'Bearer error="{error}"'
    return response


@api.exception_handler(AuthenticationError)
def _on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _("Jeton d'API absent, invalide ou révoqué.")
    return problem(request, status=401, title=_title(401), detail=detail, code="unauthenticated")


@api.exception_handler(Http404)
def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, status=404, title=_title(404), detail=_("Introuvable."),
                   code="not_found")  # fmt: skip


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, status=exc.status_code, title=_title(exc.status_code),
                   detail=str(exc), code="http_error")  # fmt: skip


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_busy(exc):
        return busy_response(request)
    logger.exception("Unexpected API error on %s", request.path)
    detail = _("L'opération n'a pas abouti ; rien n'a été modifié.")
    return problem(request, status=500, title=_title(500), detail=detail, code="internal")


api.add_router("/organizations", "sharaka.directory.api.router")
api.add_router("/partnerships", "sharaka.partnerships.api.router")
api.add_router("/governance", "sharaka.governance.api.router")
api.add_router("/conventions", "sharaka.conventions.api.router")
api.add_router("/meetings", "sharaka.meetings.api.router")
api.add_router("/planning", "sharaka.planning.api.router")
api.add_router("/structure", "sharaka.structure.api.router")
api.add_router("/finance", "sharaka.finance.api.router")
api.add_router("/partners", "sharaka.partners.api.router")
api.add_router("/selection", "sharaka.partners.selection_api.router")
api.add_router("/competences", "sharaka.competences.api.router")
api.add_router("/transparency", "sharaka.transparency.api.router")
api.add_router("/evaluation", "sharaka.evaluation.api.router")
api.add_router("/audit", "sharaka.audit.api.router")
api.add_router("/closure", "sharaka.closure.api.router")
