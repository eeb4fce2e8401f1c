"""Issue 19: the meetings and decisions lists across partnerships (``/api/meetings``,
``/api/meetings/decisions``) are sorted by an index and end with the id, so that a page
never skips or repeats a row when two partnerships share a date or a number."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from sharaka.meetings import selectors
from sharaka.meetings.models import Decision, Meeting


def _index_fields(model: type[Model], name: str) -> list[str]:
    index = next(i for i in model._meta.indexes if i.name == name)
    return list(index.fields)


def _order(queryset: Any) -> list[str]:
    return [f.replace("pk", "id") for f in queryset.query.order_by]


def test_decisions_order_is_indexed_and_unique(world: Any) -> None:
    decisions = selectors.decision_list(user=world.admin)
    assert _order(decisions) == ["-year", "-sequence", "-id"]
    assert _index_fields(Decision, "meetings_decision_order") == ["-year", "-sequence", "-id"]


def test_meetings_order_is_indexed_and_unique(world: Any, client_for: Any) -> None:
    assert [f.replace("pk", "id") for f in Meeting._meta.ordering] == ["-starts_at", "-id"]
    assert _index_fields(Meeting, "meetings_meeting_order") == ["-starts_at", "-id"]
