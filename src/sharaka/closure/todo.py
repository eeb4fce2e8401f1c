"""The closure's to-do items (``core.todo``, ADR 0029): the officers of a partnership are
told 90 days, then (urgently) 30 days, before its convention's term; the daily job
(``closure.expire_due``) renews it tacitly or starts its termination on the day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext

from sharaka.closure import rules
from sharaka.closure.models import Renewal
from sharaka.conventions.catalogue import BY_CODE
from sharaka.conventions.models import Clause, ConventionVersion
from sharaka.conventions.selectors import in_force_filter
from sharaka.core.access import Perm, Role, can, partnership_scope, roles_for
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor
from sharaka.partnerships.models import Partnership

_URGENCY = {"soon": Urgency.SOON, "info": Urgency.INFO}


def expiry_todo(user: Actor, today: dt.date) -> list[TodoItem]:
    """Conventions reaching their term within 90 days, on the partnerships the user may wind
    down (``CLOSURE_CHANGE``: the lead authority's officers, the coordinators). Six queries
    whatever the number of partnerships; the platform administrator is not an officer."""
    if Role.PLATFORM_ADMIN in roles_for(user) or Role.PUBLIC in roles_for(user):
        return []
    partnerships = [
        p
        for p in Partnership.objects.filter(partnership_scope(user))
        .filter(status__in=["active", "suspended"], termination__isnull=True)
        .only("pk", "slug", "title", "status", "end_date", "lead_authority_id")
        .order_by("pk")
        if can(user, Perm.CLOSURE_CHANGE, p)
    ]
    if not partnerships:
        return []
    ends = _ends({p.pk: p for p in partnerships}, today)
    items = []
    for partnership in partnerships:
        end, tacit = ends.get(partnership.pk, (None, False))
        if end is None and partnership.end_date is not None:
            end = partnership.end_date + dt.timedelta(days=1)
        warning = rules.expiry_warning(end, today)
        if not warning or end is None:
            continue
        text = (
            gettext("La convention de « %(name)s » sera reconduite tacitement le %(date)s.")
            if tacit
            else gettext("La convention de « %(name)s » arrive à son terme le %(date)s : "
                         "préparez la fin du partenariat ou un avenant.")
        )  # fmt: skip
        items.append(TodoItem(
            label=todo_label(text, {"name": partnership.title, "date": end.strftime("%d/%m/%Y")}),
            url=reverse("closure:overview", kwargs={"slug": partnership.slug}),
            urgency=_URGENCY[warning], due_on=end,
        ))  # fmt: skip
    return items


def _ends(partnerships: dict[int, Any], today: dt.date) -> dict[int, tuple[dt.date | None, bool]]:
    """Each partnership's term from its version in force on ``today`` (four queries)."""
    versions: dict[int, tuple[int, int]] = {}  # partnership → (version, convention)
    rows = (
        ConventionVersion.objects.filter(in_force_filter(today))
        .filter(convention__partnership_id__in=list(partnerships))
        .order_by("convention__partnership_id", "number")
        .values_list("convention__partnership_id", "pk", "convention_id")
    )
    for partnership_id, version_id, convention_id in rows:
        versions[partnership_id] = (version_id, convention_id)  # the highest number wins
    params = dict(
        Clause.objects.filter(code="duration", version_id__in=[v for v, _ in versions.values()])
        .values_list("version_id", "params")
    )  # fmt: skip
    starts = dict(
        ConventionVersion.objects.filter(
            convention_id__in=[c for _, c in versions.values()], number=0
        ).values_list("convention_id", "effective_date")
    )
    renewals = dict(
        Renewal.objects.filter(partnership_id__in=list(partnerships))
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    defaults = BY_CODE["duration"].defaults()
    ends: dict[int, tuple[dt.date | None, bool]] = {}
    for partnership_id, (version_id, convention_id) in versions.items():
        duration = {**defaults, **(params.get(version_id) or {})}
        renewal = str(duration.get("renewal") or "none")
        end = rules.convention_end(
            starts.get(convention_id), duration.get("duration_years"), renewal,
            duration.get("renewal_years"), renewals.get(partnership_id, 0),
        )  # fmt: skip
        ends[partnership_id] = (end, rules.renews(renewal, duration.get("renewal_years")))
    return ends
