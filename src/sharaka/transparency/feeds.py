"""The public portal's feeds (no account): the published decisions of a published
partnership as RSS and Atom (Django's syndication framework), and its board's meetings as
an iCalendar feed. Only what is public: a published partnership, decisions of meetings
whose minutes are published, meetings once convened; no person's data, no video link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sharaka.meetings.models import Decision, Meeting
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.transparency import ical, selectors

FEED_SIZE = 50


class DecisionsRss(Feed):
    def get_object(self, request: HttpRequest, slug: str) -> Partnership:
        return partnership_selectors.public_partnership_get(slug=slug)

    def title(self, obj: Partnership) -> str:
        return _("Décisions du conseil — %(title)s") % {"title": obj.title}

    def link(self, obj: Partnership) -> str:
        return reverse("partnerships:public_detail", args=[obj.slug])

    def description(self, obj: Partnership) -> str:
        return _("Les décisions publiées du conseil du partenariat.")

    def items(self, obj: Partnership) -> list[Decision]:
        return list(selectors.public_decisions(partnership=obj)[:FEED_SIZE])

    def item_title(self, item: Decision) -> str:
        return f"{item.number} — {item.title}"

    def item_description(self, item: Decision) -> str:
        return item.text

    def item_link(self, item: Decision) -> str:
        url = reverse("meetings:public_minutes_detail", args=[item.partnership.slug,
                                                               item.meeting_id])  # fmt: skip
        return f"{url}#decision-{item.pk}"

    def item_guid(self, item: Decision) -> str:
        return f"decision-{item.pk}@sharaka"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Decision) -> dt.datetime:
        return item.created_at


class DecisionsAtom(DecisionsRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Partnership) -> str:
        return self.description(obj)


def _event(meeting: Meeting, partnership: Partnership, host: str, url: str) -> ical.Event:
    summary = meeting.title or _("Réunion du conseil — %(title)s") % {"title": partnership.title}
    return ical.Event(
        uid=f"meeting-{meeting.pk}@{host}", start=meeting.starts_at, end=meeting.ends_at,
        summary=summary, location=meeting.place, url=url,
        stamp=meeting.updated_at or timezone.now(),
    )  # fmt: skip


def meetings_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's meetings once convened, as a subscribable calendar (METHOD:PUBLISH)."""
    partnership = partnership_selectors.public_partnership_get(slug=slug)
    host = request.get_host().split(":")[0] or "sharaka"
    url = request.build_absolute_uri(reverse("partnerships:public_detail", args=[slug]))
    meetings = selectors.public_meetings(partnership=partnership)
    name = _("Réunions du conseil — %(title)s") % {"title": partnership.title}
    body = ical.calendar(name, [_event(m, partnership, host, url) for m in meetings])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.ics"'
    return response


__all__: list[Any] = ["DecisionsAtom", "DecisionsRss", "meetings_ics"]
