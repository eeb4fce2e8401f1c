"""The convocation e-mail as mail programs read it (issue 20): plain text not HTML-escaped,
the invitation as a ``text/calendar; method=REQUEST`` alternative with its attendees
(RFC 5546) and one ``charset``, UIDs that carry the site's host, and the download from the
meeting page a plain ``METHOD:PUBLISH`` calendar without attendees."""

from __future__ import annotations

import email
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

import sharaka
from sharaka.governance.models import Board
from sharaka.meetings import services
from tests.conftest import sign_in
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _convene(mw: MeetingWorld, callbacks: Any) -> Message:
    Board.objects.filter(pk=mw.board.pk).update(name="Conseil d'administration")
    meeting = mw.meeting(items=(("deliberation", "Budget de l'année"),))
    with callbacks(execute=True):
        services.meeting_convene(
            by=mw.w.officer, meeting=meeting, url="https://sharaka.example.ma/p/1/"
        )
    assert mail.outbox
    return email.message_from_bytes(mail.outbox[0].message().as_bytes())


def _calendar_parts(message: Message) -> list[Message]:
    return [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def test_the_plain_text_convocation_is_not_html_escaped(
    mw: MeetingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _convene(mw, django_capture_on_commit_callbacks)
    sent = mail.outbox[0]
    for text in (sent.body, sent.subject):
        assert "&#x27;" not in text and "&amp;" not in text
    assert "Conseil d'administration" in sent.body
    assert "Budget de l'année" in sent.body


def test_the_invitation_is_a_request_alternative_with_one_charset(
    mw: MeetingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    message = _convene(mw, django_capture_on_commit_callbacks)
    [part] = _calendar_parts(message)
    header = part["Content-Type"]
    assert header.lower().count("charset") == 1, header
    assert part.get_param("method") == "REQUEST"
    # an alternative of the text body, as calendar programs look for it
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    assert part in alternative.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/calendar",
    ]  # fmt: skip
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    calendar = Calendar.from_ical(payload)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    attendees = [str(a) for a in event.get("ATTENDEE")]
    assert "mailto:chair@example.org" in attendees and len(attendees) == 5
    assert str(event["UID"]).endswith("@sharaka.example.ma")
    # the file is still attached, for programs that only open attachments
    files = [p for p in message.walk() if p.get_filename() == "convocation.ics"]
    assert len(files) == 1 and "charset" not in files[0]["Content-Type"].lower()


def test_the_downloaded_calendar_is_published_without_attendees(
    mw: MeetingWorld, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["sharaka.example.ma"]
    meeting = mw.meeting()
    client = Client()
    sign_in(client, mw.users["secretary"])
    url = f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/invitation.ics"
    response = client.get(url, HTTP_HOST="sharaka.example.ma")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event.get("ATTENDEE") is None
    assert str(event["UID"]) == f"meeting-{meeting.pk}@sharaka.example.ma"


def test_every_plain_text_email_template_turns_html_escaping_off() -> None:
    """Django escapes every template for HTML: a plain-text e-mail would show
    ``d&#x27;administration``. Each one says ``autoescape off``."""
    root = Path(sharaka.__file__).parent
    found = sorted(root.glob("*/templates/*/emails/*.txt"))
    assert len(found) >= 6
    for path in found:
        text = path.read_text()
        assert text.startswith("{% load i18n %}{% autoescape off %}"), path
        assert text.rstrip("\n").endswith("{% endautoescape %}"), path
