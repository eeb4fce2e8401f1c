from __future__ import annotations

from typing import Any

from django.db import transaction

from sharaka.accounts.models import ApiToken
from sharaka.core.errors import AccessDenied


@transaction.atomic
def api_token_issue(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw key is returned once and never stored."""
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user: Any, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise AccessDenied()
    token.revoked = True
    token.save(update_fields=["revoked"])
