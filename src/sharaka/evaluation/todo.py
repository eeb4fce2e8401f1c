"""Measurements waiting for validation on the home page's to-do list (ADR 0029): one line
per partnership, for whoever may validate them, leaving out what the user entered (the one
who enters does not validate)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import get_language_bidi, ngettext

from sharaka.core.access import Perm, partnerships_where
from sharaka.core.bidi import isolate
from sharaka.core.todo import TodoItem, Urgency
from sharaka.core.types import Actor
from sharaka.evaluation.models import Measurement, MeasurementStatus
from sharaka.partnerships.models import Partnership

LIMIT = 10


def measurements_to_validate(user: Actor, today: dt.date) -> list[TodoItem]:
    mine = Partnership.objects.filter(partnerships_where(user, Perm.MEASUREMENT_VALIDATE))
    rows = (
        Measurement.objects.filter(
            status=MeasurementStatus.ENTERED, indicator__result__partnership__in=mine
        )
        .exclude(entered_by_id=getattr(user, "pk", None))
        .values("indicator__result__partnership__slug", "indicator__result__partnership__title")
        .annotate(n=Count("id"))
        .order_by("indicator__result__partnership__title", "indicator__result__partnership__slug")
    )[:LIMIT]
    return [
        TodoItem(
            ngettext(
                "%(count)d mesure à valider — %(title)s",
                "%(count)d mesures à valider — %(title)s",
                row["n"],
            )
            % {
                "count": row["n"],
                "title": isolate(
                    row["indicator__result__partnership__title"], rtl=get_language_bidi()
                ),
            },
            reverse(
                "evaluation:overview",
                kwargs={"slug": row["indicator__result__partnership__slug"]},
            ),
            Urgency.INFO,
        )
        for row in rows
    ]
