"""Admissibility evidence about to expire on the officer's to-do list (issue 13's
notifications, ADR 0029): an accepted piece expiring within ``WARN_DAYS`` ("soon"), or
expired within the last ``WARN_DAYS`` ("overdue": the file has turned incomplete that day),
unless a newer accepted piece of the same criterion replaces it. Only the authority's own
officers (``can_on_organization``); one query whatever the data, at most ``LIMIT`` items."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext

from sharaka.core.access import Perm, can_on_organization
from sharaka.core.bidi import isolate_all
from sharaka.core.todo import TodoItem, Urgency
from sharaka.core.types import Actor
from sharaka.partners.models import CheckStatus, Evidence

WARN_DAYS = 30
LIMIT = 20


def expiring_evidence(user: Actor, today: dt.date) -> list[TodoItem]:
    authority_id: int | None = getattr(user, "organization_id", None)
    if authority_id is None or getattr(user, "role", "") != "authority_officer":
        return []
    if not can_on_organization(user, Perm.ADMISSIBILITY_CHANGE, authority_id):
        return []
    window = dt.timedelta(days=WARN_DAYS)
    replaced = Evidence.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
        file_id=OuterRef("file_id"),
        criterion_id=OuterRef("criterion_id"),
        status=CheckStatus.ACCEPTED,
    )
    rows = (
        Evidence.objects.filter(
            file__authority_id=authority_id,
            status=CheckStatus.ACCEPTED,
            expires_on__gt=today - window,
            expires_on__lte=today + window,
        )
        .exclude(Exists(replaced))
        .select_related("criterion", "file__association")
        .order_by("expires_on", "id")[:LIMIT]
    )
    items = []
    rtl = get_language_bidi()
    for evidence in rows:
        assert evidence.expires_on is not None  # filtered above
        names = isolate_all(
            {"piece": evidence.criterion.label, "association": evidence.file.association.name},
            rtl=rtl,
        )
        expired = evidence.expires_on <= today
        label = (
            gettext("Pièce expirée : %(piece)s — %(association)s")
            if expired
            else gettext("Pièce bientôt expirée : %(piece)s — %(association)s")
        ) % names
        items.append(
            TodoItem(
                label,
                reverse("partners:file", kwargs={"pk": evidence.file_id}),
                Urgency.OVERDUE if expired else Urgency.SOON,
                evidence.expires_on,
            )
        )
    return items
