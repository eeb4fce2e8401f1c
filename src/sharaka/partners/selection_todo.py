"""The officer's to-do items from calls for applications (``core.todo``, ADR 0029): one
item per call of their authority's partnerships with applications no one has seen yet.
1 query whatever the data; only the lead authority's officers (who read the call)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from sharaka.core.access import Perm, can_on_organization
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor
from sharaka.partners import selection_selectors as selectors


def new_applications(user: Actor, today: dt.date) -> list[TodoItem]:
    authority_id: int | None = getattr(user, "organization_id", None)
    if authority_id is None or getattr(user, "role", "") != "authority_officer":
        return []
    if not can_on_organization(user, Perm.ADMISSIBILITY_VIEW, authority_id):
        return []
    return [
        TodoItem(
            label=todo_label(
                ngettext(
                    "%(n)s nouvelle candidature : %(call)s",
                    "%(n)s nouvelles candidatures : %(call)s", int(str(row["n"])),
                ),
                {"n": row["n"], "call": row["call__title"]},
            ),
            url=reverse("partners:call", kwargs={"pk": row["call_id"]}),
            urgency=Urgency.INFO,
        )
        for row in selectors.unseen_applications(authority_id=authority_id)
    ]  # fmt: skip
