"""The public portal's feeds (no account): the published decisions and the news of a
published partnership as RSS and Atom (Django's syndication framework), and its board's
meetings as an iCalendar feed. Only what is public: a published partnership, decisions of
meetings whose minutes are published, news (public communication actions once done: the
audience, channel, message and day), meetings once convened; no person's data, no video
link; a cancelled meeting stays in the calendar as ``STATUS:CANCELLED``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
from sharaka.transparency.models import CommunicationAction

FEED_SIZE = 50


@dataclass(frozen=True)
class Item:
    """One entry of a feed: a published decision or a piece of news (a public
    communication action once done)."""

    title: str
    description: str
    link: str
    guid: str
    published: dt.datetime


def _decision_item(decision: Decision) -> Item:
    url = reverse("meetings:public_minutes_detail", args=[decision.partnership.slug,
                                                          decision.meeting_id])  # fmt: skip
    return Item(
        title=f"{decision.number} — {decision.title}", description=decision.text,
        link=f"{url}#decision-{decision.pk}", guid=f"decision-{decision.pk}@sharaka",
        published=decision.created_at,
    )  # fmt: skip


def _news_item(action: CommunicationAction, partnership: Partnership) -> Item:
    assert action.done_on is not None
    url = reverse("partnerships:public_detail", args=[partnership.slug])
    day = dt.datetime.combine(action.done_on, dt.time(12), tzinfo=timezone.get_current_timezone())
    description = _("%(audience)s — %(channel)s") % {
        "audience": action.get_audience_display(), "channel": action.get_channel_display(),
    }  # fmt: skip
    return Item(
        title=action.message, description=description, link=f"{url}#communication-{action.pk}",
        guid=f"news-{action.pk}@sharaka", published=day,
    )  # fmt: skip


class DecisionsRss(Feed):
    """The published decisions and the news of a partnership, newest first."""

    def get_object(self, request: HttpRequest, slug: str) -> Partnership:
        return partnership_selectors.public_partnership_get(slug=slug)

    def title(self, obj: Partnership) -> str:
        return _("Décisions et actualités — %(title)s") % {"title": obj.title}

    def link(self, obj: Partnership) -> str:
        return reverse("partnerships:public_detail", args=[obj.slug])

    def description(self, obj: Partnership) -> str:
        return _("Les décisions publiées du conseil et les actualités du partenariat.")

    def items(self, obj: Partnership) -> list[Item]:
        decisions = [_decision_item(d) for d in selectors.public_decisions(partnership=obj)[
            :FEED_SIZE]]  # fmt: skip
        news = [_news_item(a, obj) for a in selectors.public_news(partnership=obj)]
        return sorted(decisions + news, key=lambda i: (i.published, i.guid), reverse=True)[
            :FEED_SIZE]  # fmt: skip

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.description

    def item_link(self, item: Item) -> str:
        return item.link

    def item_guid(self, item: Item) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: Item) -> dt.datetime:
        return item.published


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
