"""The planning budget line a communication action is paid from, chosen by search-as-you-type
(``core.lookups``): the lines of the partnership's action plan in force, for whoever manages
its information (``REQUEST_MANAGE``, checked through ``core.access`` before anything is
read). A result shows the activity, the category and the line's label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from sharaka.core.access import Perm
from sharaka.core.lookups import Lookup, register
from sharaka.core.types import Actor
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.planning.models import BudgetLine, VersionStatus


def _lines(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Any]:
    partnership = partnership_selectors.partnership_get(
        user=user, slug=params.get("partnership", ""), perm=Perm.REQUEST_MANAGE
    )
    return BudgetLine.objects.filter(
        activity__version__plan__partnership=partnership,
        activity__version__status=VersionStatus.ADOPTED,
    ).select_related("activity")


def _label(line: Any) -> str:
    return f"{line.activity.code} · {line}"


def _context(line: Any) -> str:
    return str(line.activity.title)


BUDGET_LINES = register(
    Lookup(
        name="communication_budget_lines", model=BudgetLine, scope=_lines,
        search=("activity__code", "activity__title", "label"),
        order=("activity__code", "category", "label", "id"), label=_label, context=_context,
        params=("partnership",),
    )
)  # fmt: skip
