"""The portal's feeds: RSS and Atom of the published decisions, the iCalendar of the board's
meetings (escaped, folded, parsed back), nothing of a partnership that is not published,
nothing of a meeting whose minutes are not published, no video link."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sharaka.meetings.models import Meeting
from sharaka.transparency import ical
from sharaka.transparency.models import CommunicationAction
from tests.conftest import World
from tests.planning.conftest import make_decision

UTC = dt.UTC


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out += "\n" if nxt in "nN" else nxt
            i += 2
        else:
            out += value[i]
            i += 1
    return out


@given(st.text(min_size=0, max_size=300))
def test_any_text_survives_escaping_and_folding(text: str) -> None:
    text = text.replace("\r", "")
    moment = dt.datetime(2026, 12, 7, 10, tzinfo=UTC)
    body = ical.calendar("Conseil", [ical.Event("m-1@x", moment, None, text, text, "", moment)])
    fields = dict(line.split(":", 1) for line in unfold(body) if ":" in line)
    assert unescape(fields["SUMMARY"]) == text
    assert fields["METHOD"] == "PUBLISH"


def _published(world: World) -> tuple[Meeting, Meeting]:
    """A partnership on the portal with one decision of a published meeting and one not."""
    world.a.status = "active"
    world.a.save(update_fields=["status"])
    shown = make_decision(world.a, "other", on=date(2026, 10, 1), title="Tarifs; été, 2026")
    hidden = make_decision(world.a, "other", on=date(2026, 10, 20), title="Brouillon secret")
    secret_link = "https://secret.example/v"
    shown_meeting = Meeting.objects.filter(pk=shown.meeting_id)
    shown_meeting.update(status="published", place="Salle, 1", video_link=secret_link)
    Meeting.objects.filter(pk=hidden.meeting_id).update(status="planned")
    return Meeting.objects.get(pk=shown.meeting_id), Meeting.objects.get(pk=hidden.meeting_id)


@pytest.mark.django_db
def test_rss_and_atom_show_only_published_decisions(world: World) -> None:
    _published(world)
    client = Client()
    for name in ("public_decisions_rss", "public_decisions_atom"):
        response = client.get(reverse(f"transparency:{name}", args=[world.a.slug]))
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 (our own output)
        text = response.content.decode()
        assert "Tarifs; été, 2026" in text and "Brouillon secret" not in text
        assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")


@pytest.mark.django_db
def test_the_calendar_parses_back_without_what_is_not_public(world: World) -> None:
    shown, hidden = _published(world)
    response = Client().get(reverse("transparency:public_meetings_ics", args=[world.a.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and "METHOD:PUBLISH" in lines
    uids = [line for line in lines if line.startswith("UID:")]
    assert uids == [f"UID:meeting-{shown.pk}@testserver"]
    assert "LOCATION:Salle\\, 1" in lines
    assert "secret" not in text.lower()
    start = next(line for line in lines if line.startswith("DTSTART:"))
    assert start == "DTSTART:" + shown.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert hidden.pk not in [int(u.split("-")[1].split("@")[0]) for u in uids]


@pytest.mark.django_db
def test_a_partnership_not_published_has_no_feed(world: World) -> None:
    world.b.status = "draft"
    world.b.save(update_fields=["status"])
    make_decision(world.b, "other", on=date.today() - timedelta(days=3))
    for name in ("public_decisions_rss", "public_decisions_atom", "public_meetings_ics"):
        assert Client().get(reverse(f"transparency:{name}", args=[world.b.slug])).status_code == 404


@pytest.mark.django_db
def test_the_feeds_carry_the_news_only_public_and_done(world: World) -> None:
    """News: a public communication action once done (its message, audience and channel);
    never a planned, cancelled or non-public one, nor the evidence or the person responsible."""
    _published(world)
    today = date.today()

    def action(message: str, **extra: object) -> CommunicationAction:
        fields = {"partnership": world.a, "audience": "residents", "channel": "website",
                  "message": message, "planned_on": today, "public": True,
                  "owner": world.officer} | extra  # fmt: skip
        return CommunicationAction.objects.create(**fields)

    done = action("Piscine ouverte le dimanche", status="done", done_on=today,
                  evidence="Liste interne 4K")  # fmt: skip
    action("Annonce prévue non faite")
    action("Action interne réalisée", public=False, status="done", done_on=today)
    action("Annonce annulée", status="cancelled")
    world.officer.last_name = "Benkiran-Zdouri"
    world.officer.save(update_fields=["last_name"])
    for name in ("public_decisions_rss", "public_decisions_atom"):
        text = Client().get(reverse(f"transparency:{name}", args=[world.a.slug])).content.decode()
        assert "Piscine ouverte le dimanche" in text and f"news-{done.pk}@sharaka" in text
        assert "Tarifs; été, 2026" in text  # the decisions are still there
        for hidden in ("prévue non faite", "interne réalisée", "annulée", "Liste interne 4K",
                       world.officer.username, "Benkiran-Zdouri"):  # fmt: skip
            assert hidden not in text
