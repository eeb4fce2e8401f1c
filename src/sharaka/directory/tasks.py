"""Background tasks of the directory (django-tasks; run by ``sharaka worker``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def email_change_notify(
    *,
    person_name: str,
    old_email: str,
    new_email: str,
    changed_by: str,
    changed_at: str,
    language: str,
) -> list[str]:
    """Tell the old (and the new) address that a person's e-mail changed, by whom and when.

    The old address is the one that matters: if the change was not wanted, its owner learns
    of it before the next convocation goes to the new address. Returns the addresses sent to.
    """
    recipients = [address for address in dict.fromkeys([old_email, new_email]) if address]
    if not recipients:
        return []
    with translation.override(language):
        when = parse_datetime(changed_at)
        context = {
            "person": person_name,
            "old": old_email or "—",
            "new": new_email or "—",
            "by": changed_by,
            "at": date_format(when, "DATETIME_FORMAT") if when else changed_at,
        }
        subject = gettext("Sharaka : le courriel de %(person)s a été modifié") % context
        body = (
            gettext(
                "Bonjour,\n\n"
                "Dans l'annuaire de Sharaka, le courriel de %(person)s a été modifié.\n\n"
                "Ancien courriel : %(old)s\n"
                "Nouveau courriel : %(new)s\n"
                "Modifié par : %(by)s\n"
                "Le : %(at)s\n\n"
                "Les convocations et documents du conseil iront désormais à la nouvelle adresse. "
                "Si vous n'êtes pas à l'origine de ce changement, prévenez sans attendre "
                "l'administrateur de la plateforme ou l'autorité qui gère le partenariat.\n"
            )
            % context
        )
    for address in recipients:
        # One message per address: neither learns the other from the headers.
        EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]).send(
            fail_silently=False
        )
    logger.info("E-mail change of %s notified to %d address(es)", person_name, len(recipients))
    return recipients
