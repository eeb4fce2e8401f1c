"""The information officer's to-do items (ADR 0029): the board's decisions to post within
the 8 days of law 113-14, art. 273, soon due or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sharaka.core.todo import TodoItem, Urgency
from sharaka.transparency import rules, selectors


def _item(row: selectors.PostingRow) -> TodoItem:
    decision = row.decision
    overdue = row.state is rules.PostingState.OVERDUE
    return TodoItem(
        label=_("Afficher la décision %(number)s (%(partnership)s)")
        % {"number": decision.number, "partnership": decision.partnership.title},
        url=reverse("transparency:posting_record", args=[decision.partnership.slug, decision.pk]),
        urgency=Urgency.OVERDUE if overdue else Urgency.SOON,
        due_on=row.due,
    )


def decisions_to_post(user: Any, today: dt.date) -> list[TodoItem]:
    return [_item(row) for row in selectors.postings_todo(user=user, today=today)]
