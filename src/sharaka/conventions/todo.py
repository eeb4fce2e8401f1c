"""The deliberations' to-do items (``core.todo``, ADR 0029): an authority's officers see
their council's deliberations waiting for the transmission to the governor or for the
oversight's answer, with the due dates stored from ``rules.oversight.waiting``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext

from sharaka.conventions.models import Deliberation, WaitingFor
from sharaka.core.access import Perm, Role, can, roles_for
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor

#: At most this many items (the dashboard lists them all, paged).
LIMIT = 20
SOON_DAYS = 7


def deliberations_todo(user: Actor, today: dt.date) -> list[TodoItem]:
    """One query: the officer's own authority's deliberations still waiting, soonest due
    first (the ``conv_delib_due_idx`` index), on partnerships the officer may change."""
    organization_id = getattr(user, "organization_id", None)
    if Role.AUTHORITY_OFFICER not in roles_for(user) or organization_id is None:
        return []
    rows = (
        Deliberation.objects.filter(
            party__organization_id=organization_id,
            waiting_for__in=[WaitingFor.TRANSMISSION, WaitingFor.ANSWER],
        )
        .exclude(waiting_for=WaitingFor.ANSWER, due_on__lt=today)  # the window is over
        .select_related("party__partnership")
        .order_by("due_on", "pk")[:LIMIT]
    )
    items = []
    for deliberation in rows:
        partnership = deliberation.party.partnership
        if not can(user, Perm.CONVENTION_CHANGE, partnership):
            continue
        due = deliberation.due_on
        text = (
            gettext("Transmettre au gouverneur la délibération %(number)s (« %(title)s »)")
            if deliberation.waiting_for == WaitingFor.TRANSMISSION
            else gettext("Réponse de la tutelle attendue sur la délibération %(number)s "
                         "(« %(title)s »)")
        )  # fmt: skip
        urgency = (
            Urgency.OVERDUE if due is not None and due < today
            else Urgency.SOON if due is not None and (due - today).days <= SOON_DAYS
            else Urgency.INFO
        )  # fmt: skip
        items.append(TodoItem(
            label=todo_label(text, {"number": deliberation.number, "title": partnership.title}),
            url=reverse("conventions:deliberations", kwargs={"slug": partnership.slug}),
            urgency=urgency, due_on=due,
        ))  # fmt: skip
    return items
