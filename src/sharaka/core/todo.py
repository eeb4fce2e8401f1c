"""The signed-in user's to-do list: a registry of providers, one per app (ADR 0029).

Each app that has something for a user to do (evidence about to expire, an audit overdue, a
deliberation to transmit, an evaluation due…) registers a provider in its
``AppConfig.ready``; the home page shows the merged list, soonest first, and the daily digest
e-mails it. ``core`` imports no app: the apps come to it.

A provider answers for one user and one day, in a fixed number of queries whatever the data
(test it), and returns only what that user may read through the access policy.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import get_language_bidi

from sharaka.core.bidi import isolate

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sharaka.core.types import Actor

logger = logging.getLogger(__name__)


class Urgency(StrEnum):
    OVERDUE = "overdue"  # its due date has passed
    SOON = "soon"  # due within the provider's warning period
    INFO = "info"  # nothing due: something waits for the user


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: what (already translated), where to do it, by when."""

    label: str
    url: str
    urgency: Urgency
    due_on: dt.date | None = None
    #: the provider's name, set by ``todo_for`` (grouping, tests)
    source: str = ""


Provider = Callable[["Actor", dt.date], Iterable[TodoItem]]

_providers: dict[str, Provider] = {}

_ORDER = {Urgency.OVERDUE: 0, Urgency.SOON: 1, Urgency.INFO: 2}


def todo_label(text: str, values: Mapping[str, object]) -> str:
    """``text % values`` with each name isolated from the line around it in a right-to-left
    language (a French title inside an Arabic sentence keeps its punctuation in place);
    numbers are left as they are, for ``%(count)d``."""
    rtl = get_language_bidi()
    return text % {
        key: value if isinstance(value, int) else isolate(value, rtl=rtl)
        for key, value in values.items()
    }


def register(name: str, provider: Provider) -> None:
    """Add (or replace, by name) a provider of to-do items."""
    _providers[name] = provider


def providers() -> list[str]:
    return sorted(_providers)


def todo_for(user: Actor, *, today: dt.date | None = None) -> list[TodoItem]:
    """Every provider's items for ``user``: overdue first, then by due date and label.

    A provider that fails is logged and skipped: one app's bug must not take the home page
    down with it."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or dt.date.today()
    items: list[TodoItem] = []
    for name in providers():
        try:
            found = list(_providers[name](user, today))
        except Exception:
            logger.exception("To-do provider %s failed", name)
            continue
        items.extend(TodoItem(i.label, i.url, i.urgency, i.due_on, i.source or name) for i in found)
    return sorted(
        items,
        key=lambda i: (_ORDER[i.urgency], i.due_on or dt.date.max, i.label, i.url),
    )


__all__ = ["Provider", "TodoItem", "Urgency", "providers", "register", "todo_for"]
