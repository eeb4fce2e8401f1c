"""Transparency on the home page's to-do list (ADR 0029): information requests, and
complaints awaiting their answer, due within ``SHARAKA_REQUESTS_REMIND_DAYS`` working days
(counted here as calendar days, a little earlier) or overdue, for whoever answers them; and
the board's decisions to post within the 8 days of law 113-14, art. 273 (ADR 0036); and the
partnerships whose proactive publication checklist has a line missing or to check."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext

from sharaka.core.access import Perm, partnerships_where
from sharaka.core.bidi import isolate_all
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor
from sharaka.partnerships.models import Partnership
from sharaka.transparency import publication, rules, selectors
from sharaka.transparency.models import InformationRequest

#: at most this many requests on the home page; the full list is a click away
LIMIT = 10


def requests_due(user: Actor, today: dt.date) -> list[TodoItem]:
    horizon = today + dt.timedelta(days=settings.SHARAKA_REQUESTS_REMIND_DAYS + 2)
    mine = Partnership.objects.filter(partnerships_where(user, Perm.REQUEST_MANAGE))
    waiting = Q(status__in=[s.value for s in rules.OPEN], due_on__lte=horizon) | Q(
        complaint_filed_on__isnull=False,
        complaint_answered_on__isnull=True,
        complaint_due_on__lte=horizon,
    )
    rows = (
        InformationRequest.objects.filter(waiting, partnership__in=mine)
        .select_related("partnership")
        .order_by("due_on", "id")[:LIMIT]
    )
    items = []
    for request in rows:
        complaint = request.complaint_open and not request.is_open
        due = request.complaint_due_on if complaint else request.due_on
        if due is None or due > horizon:
            continue
        label = (
            gettext("Répondre à la réclamation sur la demande %(number)s — %(title)s")
            if complaint
            else gettext("Répondre à la demande d'information %(number)s — %(title)s")
        ) % isolate_all(
            {"number": request.number, "title": request.partnership.title},
            rtl=get_language_bidi(),
        )
        url = reverse(
            "transparency:request", kwargs={"slug": request.partnership.slug, "pk": request.pk}
        )
        items.append(TodoItem(label, url, Urgency.OVERDUE if due < today else Urgency.SOON, due))
    return items


def _posting_item(row: selectors.PostingRow) -> TodoItem:
    decision = row.decision
    overdue = row.state is rules.PostingState.OVERDUE
    names = isolate_all(
        {"number": decision.number, "partnership": decision.partnership.title},
        rtl=get_language_bidi(),
    )
    return TodoItem(
        label=gettext("Afficher la décision %(number)s (%(partnership)s)") % names,
        url=reverse("transparency:posting_record", args=[decision.partnership.slug, decision.pk]),
        urgency=Urgency.OVERDUE if overdue else Urgency.SOON,
        due_on=row.due,
    )


def decisions_to_post(user: Actor, today: dt.date) -> list[TodoItem]:
    return [_posting_item(row) for row in selectors.postings_todo(user=user, today=today)]


#: at most this many partnerships looked at for the proactive publication to-do
PUBLICATION_LIMIT = 20


def publication_to_do(user: Actor, today: dt.date) -> list[TodoItem]:
    """A partnership whose checklist (law 31-13, art. 10) has a line not published, partly
    published or to check, for whoever manages its information: six queries."""
    items = []
    for partnership, counts in publication.to_do(user=user, limit=PUBLICATION_LIMIT):
        missing = counts.missing + counts.partial
        items.append(TodoItem(
            label=todo_label(gettext(
                "Publication proactive de %(partnership)s : %(missing)d ligne(s) non publiée(s), "
                "%(check)d à vérifier"),
                {"partnership": partnership.title, "missing": missing, "check": counts.to_check}),
            url=reverse("transparency:checklist", args=[partnership.slug]),
            urgency=Urgency.SOON if missing else Urgency.INFO,
        ))  # fmt: skip
    return items
