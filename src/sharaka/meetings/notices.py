"""Convocations and reminders: one e-mail per board member and expert, with the meeting as
an iCalendar invitation (``text/calendar``), sent through Django's mail (the console
backend in the demo).

The service records a ``MeetingNotice`` (state ``queued``) and queues ``notice_send_task``
on commit; the task writes to each address and records it at once as sent or refused, so a
run interrupted by a worker crash, queued again by ``notices_requeue`` (a periodic job),
writes only to the addresses not yet recorded (ADR 0016)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task
from icalendar import Calendar, Event, vCalAddress, vText

from sharaka.meetings.models import AgendaItem, Meeting, MeetingNotice, NoticeKind, NoticeState

logger = logging.getLogger(__name__)

DEFAULT_DURATION = timedelta(hours=2)
#: a notice still queued this long after it was recorded is queued again
REQUEUE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    role: str  # "member" or "expert"


def uid_host(url: str = "") -> str:
    """The host in the meetings' UIDs, so they are unique beyond this site (RFC 5545): that
    of ``url`` (the dossier's address, or the request's), else of ``SHARAKA_SITE_URL``."""
    for address in (url, str(getattr(settings, "SHARAKA_SITE_URL", ""))):
        host = urlsplit(address).hostname if "//" in address else address.split(":")[0]
        if host:
            return host
    return "sharaka.invalid"


def ics_for(
    meeting: Meeting,
    items: list[AgendaItem],
    recipients: list[Recipient],
    *,
    host: str = "",
    method: str = "REQUEST",
) -> bytes:
    """The meeting as one iCalendar event with a stable UID (``meeting-<id>@<host>``, as in
    the portal's feed): an invitation (``REQUEST``, RFC 5546) to ``recipients`` as
    attendees, or a plain copy for a calendar (``PUBLISH``, no attendees)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sharaka//Meetings//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host or uid_host()}")
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
    for recipient in recipients if method == "REQUEST" else []:
        attendee = vCalAddress(f"mailto:{recipient.email}")
        attendee.params["cn"] = vText(recipient.name)
        attendee.params["role"] = vText(
            "REQ-PARTICIPANT" if recipient.role == "member" else "OPT-PARTICIPANT"
        )
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


class _Invitation(EmailMultiAlternatives):
    """An e-mail whose ``text/calendar`` alternative says ``method=REQUEST`` (Django writes
    the charset itself: a charset in the given type came out twice)."""

    def message(self, *args: Any, **kwargs: Any) -> Any:
        message = super().message(*args, **kwargs)
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                part.set_param("method", "REQUEST")
        return message


def send(
    meeting: Meeting,
    *,
    kind: NoticeKind,
    items: list[AgendaItem],
    recipients: list[Recipient],
    url: str,
    attendees: list[Recipient] | None = None,
    record: Callable[[str, bool], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Send the convocation or the reminder to ``recipients`` (the invitation lists
    ``attendees``, all of them by default); return (addresses written to, failures).
    ``record(address, sent)`` is called after each address."""
    ics = ics_for(
        meeting, items, attendees if attendees is not None else recipients, host=uid_host(url)
    )
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
        message = _Invitation(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[f"{recipient.name} <{recipient.email}>"],
        )
        # the invitation as calendar programs read it, and the same file attached
        message.attach_alternative(ics.decode(), "text/calendar")
        message.attach("convocation.ics", ics, "application/ics")
        try:
            message.send()
        except Exception:  # a mail server refusing one address must not stop the others
            logger.exception(
                "Could not send the %s of meeting %s to %s", kind, meeting.pk, recipient.email
            )
            failed.append(recipient.email)
        else:
            sent.append(recipient.email)
        if record is not None:
            record(recipient.email, recipient.email in sent)
    return sent, failed


def notice_queue(notice_id: int) -> None:
    """Queue the e-mails of a recorded notice, once the current transaction commits."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: notice_send_task.enqueue(notice_id=notice_id, language=language))


@task()
def notice_send_task(*, notice_id: int, language: str) -> int:
    """Write the notice's e-mails; returns how many addresses were written to."""
    with translation.override(language):
        return notice_deliver(notice_id)


def notice_deliver(notice_id: int) -> int:
    """Send a queued notice to the addresses it has not yet recorded, recording each."""
    notice = MeetingNotice.objects.select_related("meeting__board").get(pk=notice_id)
    if notice.state != NoticeState.QUEUED:
        return 0
    done = set(notice.recipients) | set(notice.failed)
    everyone = [Recipient(*row) for row in notice.to_send]
    todo = [r for r in everyone if r.email not in done]
    meeting = notice.meeting
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))

    def record(address: str, ok: bool) -> None:
        if ok:
            notice.recipients.append(address)
        else:
            notice.failed.append(address)
            notice.missing.append(gettext("%(email)s (envoi en échec)") % {"email": address})
        notice.save(update_fields=["recipients", "failed", "missing"])

    sent, _failed = send(
        meeting, kind=NoticeKind(notice.kind), items=items, recipients=todo,
        url=notice.url, attendees=everyone, record=record,
    )  # fmt: skip
    MeetingNotice.objects.filter(pk=notice_id).update(state=NoticeState.SENT)
    return len(sent)


def notices_requeue(*, now: datetime | None = None) -> int:
    """Queue again the notices still queued ``REQUEUE_AFTER`` after they were recorded (the
    queue lost them, or a worker died while sending); returns how many."""
    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    ids = list(
        MeetingNotice.objects.filter(state=NoticeState.QUEUED, sent_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for notice_id in ids:
        notice_send_task.enqueue(notice_id=notice_id, language=settings.LANGUAGE_CODE)
    return len(ids)


@task()
def notices_requeue_task() -> int:
    return notices_requeue()
