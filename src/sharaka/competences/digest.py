"""The daily to-do e-mail (ADR 0032): a periodic job enqueues one task, which writes to each
active user with an e-mail address whose to-do list (``core.todo.todo_for``) holds something
overdue or due soon: plain text and HTML, in French (the user model has no language), at most
once per user and day (``DigestSent``, recorded before sending)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from sharaka.competences.models import DigestSent
from sharaka.core.todo import TodoItem, Urgency, todo_for

logger = logging.getLogger(__name__)

DIGEST_URGENCIES = frozenset({Urgency.OVERDUE, Urgency.SOON})


def digest_items(user: Any, today: date) -> list[TodoItem]:
    return [item for item in todo_for(user, today=today) if item.urgency in DIGEST_URGENCIES]


def _language(user: Any) -> str:
    return str(getattr(user, "language", "") or "fr")


def digest_send(user: Any, today: date) -> bool:
    """Write ``user``'s digest for ``today`` if it holds something and was not sent yet;
    True when an e-mail went out."""
    with translation.override(_language(user)):
        items = digest_items(user, today)
        if not items:
            return False
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=today, items=len(items))
        except IntegrityError:  # already sent today (or being sent by another worker)
            return False
        base = str(getattr(settings, "SHARAKA_SITE_URL", "")).rstrip("/")
        context = {"user": user, "items": items, "base": base, "today": today}
        message = EmailMultiAlternatives(
            subject=render_to_string("competences/emails/digest_subject.txt", context).strip(),
            body=render_to_string("competences/emails/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("competences/emails/digest.html", context), "text/html"
        )
        try:
            message.send()
        except Exception:
            logger.exception("Could not send the to-do digest to user %s", user.pk)
            DigestSent.objects.filter(user=user, day=today).delete()  # try again tomorrow's run
            return False
        return True


def digest_run(today: date | None = None) -> int:
    """Every active user with an address: how many digests were sent."""
    today = today or timezone.localdate()
    users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
    sent = 0
    for user in users.iterator(chunk_size=500):
        sent += digest_send(user, today)
    return sent


@task()
def digest_task() -> int:
    return digest_run()


def digest_job() -> None:
    """The daily periodic job: queue the task (the worker writes the e-mails)."""
    transaction.on_commit(lambda: digest_task.enqueue())
