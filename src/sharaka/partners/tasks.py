"""E-mails on a new application to a call (ADR 0039): a django-tasks task, enqueued when
the application's transaction commits, writes to the lead authority's partnership officers
(a link to the call's page) and to the applicant's contact (its private link). In French:
neither the officers' accounts nor the public form carry a language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from sharaka.accounts.models import GlobalRole, User
from sharaka.core.access import Perm, can_on_organization
from sharaka.partners.selection_models import Application

logger = logging.getLogger(__name__)


def officers_of(authority_id: int) -> list[User]:
    """The active partnership officers of the authority who read its admissibility files
    and have an address. 1 query."""
    users = (
        User.objects.filter(
            is_active=True, role=GlobalRole.AUTHORITY_OFFICER, organization_id=authority_id
        )
        .exclude(email="")
        .order_by("pk")
    )
    return [u for u in users if can_on_organization(u, Perm.ADMISSIBILITY_VIEW, authority_id)]


def application_notify(application_id: int) -> int:
    """Write the e-mails of one new application; how many went out."""
    application = (
        Application.objects.select_related("call__partnership__lead_authority", "organization")
        .filter(pk=application_id).first()
    )  # fmt: skip
    if application is None:
        return 0
    base = str(getattr(settings, "SHARAKA_SITE_URL", "")).rstrip("/")
    call = application.call
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application, "call": call,
            "authority": call.partnership.lead_authority,
            "call_url": base + reverse("partners:call", kwargs={"pk": call.pk}),
            "status_url": base + reverse("partners:application_status",
                                         kwargs={"token": application.token}),
        }  # fmt: skip
        messages = [
            EmailMessage(
                render_to_string("partners/emails/new_application_subject.txt", context).strip(),
                render_to_string("partners/emails/new_application.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL, to=[officer.email],
            )
            for officer in officers_of(call.partnership.lead_authority_id)
        ]  # fmt: skip
        messages.append(
            EmailMessage(
                render_to_string("partners/emails/application_received_subject.txt",
                                 context).strip(),
                render_to_string("partners/emails/application_received.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL, to=[application.contact_email],
            )
        )  # fmt: skip
    for message in messages:
        try:
            message.send()
            sent += 1
        except Exception:
            logger.exception("Could not send an e-mail on application %s", application_id)
    return sent


@task()
def application_notify_task(application_id: int) -> int:
    return application_notify(application_id)


def application_notify_later(application_id: int) -> None:
    """Queue the e-mails once the application is committed (nothing on a rollback)."""
    transaction.on_commit(lambda: application_notify_task.enqueue(application_id=application_id))
