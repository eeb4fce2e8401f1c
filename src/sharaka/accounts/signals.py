"""Reactions of the accounts app to what Django reports about users.

A password change revokes every API token of the user, whichever way the password was set
(the password-change page, a reset link, the admin site, ``manage changepassword``). Django
keeps the new raw password on the user (``_password``) from ``set_password()`` until the
save that stores it, and clears it first when it only upgrades the hash of an unchanged
password at sign-in; this is the same test Django uses to tell password validators of a
change (``AbstractBaseUser.save``).

A sign-in starts the clocks of the session's idle timeout and lifetime (``sessions.py``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils import timezone

from sharaka.accounts import services, sessions
from sharaka.accounts.models import User


def _revoke_tokens_on_password_change(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    if not created and getattr(instance, "_password", None) is not None:
        services.api_tokens_revoke_all(user=instance)


def _start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.mark_sign_in(request.session, timezone.now())


def connect() -> None:
    post_save.connect(
        _revoke_tokens_on_password_change, sender=User, dispatch_uid="accounts_password_tokens"
    )
    user_logged_in.connect(_start_session_clocks, dispatch_uid="accounts_session_clocks")
