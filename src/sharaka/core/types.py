"""Types shared by the services of every app.

``Actor`` is whoever acts through a service (the ``by`` argument): what Django hands over
as ``request.user`` (a signed-in ``User``, or the ``AnonymousUser`` that the access policy
refuses), what the API's token authentication sets, or the user a command names. Services
pass it to ``core.access.require`` first; where they store the author (``created_by=``,
``approved_by=``), ``core.access.signed_in(by)`` narrows it to ``SignedIn`` (a ``User``).

Both are aliases for the type checker only: ``core`` does not import ``accounts`` when the
program runs (``accounts`` sits above ``core`` in the layers, docs/architecture.md), so the
aliases are strings naming classes imported under ``TYPE_CHECKING``. Annotations in modules
with ``from __future__ import annotations`` are never evaluated, so nothing else is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sharaka.accounts.models import User

#: The acting user of a service: signed in or anonymous (then refused by the policy).
Actor: TypeAlias = "User | AnonymousUser"

#: A signed-in user: what an author foreign key (``created_by``, ``signed_by``…) holds.
SignedIn: TypeAlias = "User"

__all__ = ["Actor", "SignedIn"]
