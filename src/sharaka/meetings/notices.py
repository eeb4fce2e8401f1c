"""Convocations and reminders: one e-mail per board member and expert, with the meeting as
an iCalendar invitation (``text/calendar``), sent through Django's mail (the console
backend in the demo)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from sharaka.meetings.models import AgendaItem, Meeting, NoticeKind

logger = logging.getLogger(__name__)

DEFAULT_DURATION = timedelta(hours=2)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    role: str  # "member" or "expert"


def ics_for(meeting: Meeting, items: list[AgendaItem], recipients: list[Recipient]) -> bytes:
    """The meeting as an iCalendar ``REQUEST`` (one event, stable UID, attendees)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sharaka//Meetings//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@sharaka")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_DURATION)
    event.add("summary", f"{meeting.board.name} — {meeting}")
    location = meeting.place or meeting.video_link
    if location:
        event.add("location", location)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    agenda = "\n".join(f"{item.position}. {item.title}" for item in items)
    event.add("description", agenda)
    event.add("sequence", 0)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(meeting.board.name)
    event.add("organizer", organizer)
    for recipient in recipients:
        attendee = vCalAddress(f"mailto:{recipient.email}")
        attendee.params["cn"] = vText(recipient.name)
        attendee.params["role"] = vText(
            "REQ-PARTICIPANT" if recipient.role == "member" else "OPT-PARTICIPANT"
        )
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def send(
    meeting: Meeting,
    *,
    kind: NoticeKind,
    items: list[AgendaItem],
    recipients: list[Recipient],
    url: str,
) -> tuple[list[str], list[str]]:
    """Send the convocation or the reminder; return (addresses written to, failures)."""
    ics = ics_for(meeting, items, recipients)
    context: dict[str, Any] = {
        "meeting": meeting,
        "items": items,
        "url": url,
        "reminder": kind == NoticeKind.REMINDER,
        "start": timezone.localtime(meeting.starts_at),
    }
    subject = render_to_string("meetings/emails/convocation_subject.txt", context).strip()
    sent: list[str] = []
    failed: list[str] = []
    for recipient in recipients:
        body = render_to_string(
            "meetings/emails/convocation.txt", {**context, "recipient": recipient}
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[f"{recipient.name} <{recipient.email}>"],
        )
        message.attach("convocation.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        try:
            message.send()
        except Exception:  # a mail server refusing one address must not stop the others
            logger.exception(
                "Could not send the %s of meeting %s to %s", kind, meeting.pk, recipient.email
            )
            failed.append(recipient.email)
        else:
            sent.append(recipient.email)
    return sent, failed
