"""Convocations and reminders go through the task queue (ADR 0016): the service records a
queued notice, the task writes to each address and records each outcome; a notice left
queued (a worker died) is queued again and writes only to the addresses not yet recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from sharaka.meetings import notices, services
from sharaka.meetings.models import MeetingNotice
from tests.meetings.conftest import MeetingWorld


class _RefusesOne(EmailBackend):
    """A mail server that refuses one address."""

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            if any("expert" in to for to in message.to):
                raise OSError("550 mailbox unavailable")
        return int(super().send_messages(messages))


def test_a_refused_address_is_recorded_as_failed_and_the_others_sent(
    mw: MeetingWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._RefusesOne"
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.meeting_convene(by=mw.w.officer, meeting=mw.meeting())
    notice.refresh_from_db()
    assert notice.state == "sent"
    assert len(notice.recipients) == 4 and len(notice.failed) == 1
    assert "expert" in notice.failed[0]
    assert any("envoi en échec" in m for m in notice.missing)
    assert len(mail.outbox) == 4


def test_without_commit_nothing_is_sent(mw: MeetingWorld) -> None:
    """The convocation rolled back (or not yet committed) queues nothing."""
    notice = services.meeting_convene(by=mw.w.officer, meeting=mw.meeting())
    assert notice.state == "queued" and len(notice.to_send) == 5 and not mail.outbox


def test_a_notice_left_queued_is_sent_again_to_the_remaining_addresses_only(
    mw: MeetingWorld,
) -> None:
    notice = services.meeting_convene(by=mw.w.officer, meeting=mw.meeting())  # never ran
    first = notice.to_send[0][1]
    # a worker that died after writing to the first address
    MeetingNotice.objects.filter(pk=notice.pk).update(recipients=[first])
    assert notices.notices_requeue() == 0  # too recent: maybe still being sent
    later = timezone.now() + notices.REQUEUE_AFTER + timedelta(seconds=1)
    assert notices.notices_requeue(now=later) == 1  # immediate backend: sent now
    notice.refresh_from_db()
    assert notice.state == "sent" and len(notice.recipients) == 5
    assert len(mail.outbox) == 4 and all(first not in m.to[0] for m in mail.outbox)
    assert notices.notices_requeue(now=later) == 0  # sent: never again
