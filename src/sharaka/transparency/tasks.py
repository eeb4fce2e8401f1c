"""The daily job of the information requests (django-tasks, ADR 0016 and 0024): e-mail
the information officers the open requests due within ``SHARAKA_REQUESTS_REMIND_DAYS``
working days (and the late ones), then anonymise the requesters of old closed requests."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from sharaka.accounts.models import GlobalRole, User
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import GrantRole, PartnershipRole
from sharaka.transparency import rules, services
from sharaka.transparency.models import InformationRequest

logger = logging.getLogger(__name__)


def _due(request: InformationRequest) -> dt.date:
    """The date the officer must act by: the complaint's answer once one is filed."""
    if request.complaint_open and request.complaint_due_on is not None:
        return request.complaint_due_on
    return request.due_on


def reminders_send(*, today: dt.date | None = None) -> int:
    """One e-mail per information officer listing their requests due soon or late (no
    personal data of the requesters in it); returns how many e-mails were sent."""
    today = today or timezone.localdate()
    waiting = list(
        InformationRequest.objects.filter(
            Q(status__in=[s.value for s in rules.OPEN])
            | Q(complaint_filed_on__isnull=False, complaint_answered_on__isnull=True)
        )
        .select_related("partnership")
        .order_by("due_on", "id")
    )
    calendars = calendars_get({r.authority_id for r in waiting})
    within = settings.SHARAKA_REQUESTS_REMIND_DAYS
    due = [
        r for r in waiting
        if rules.remind(due=_due(r), today=today, within=within, calendar=calendars[r.authority_id])
    ]  # fmt: skip
    if not due:
        return 0
    officers = User.objects.filter(
        is_active=True, role=GlobalRole.AUTHORITY_OFFICER,
        organization_id__in={r.partnership.lead_authority_id for r in due},
    ).exclude(email="")  # fmt: skip
    by_authority: dict[int, list[User]] = defaultdict(list)
    for officer in officers:
        assert officer.organization_id is not None
        by_authority[officer.organization_id].append(officer)
    coordinators: dict[int, list[User]] = defaultdict(list)
    for grant in PartnershipRole.objects.filter(
        role=GrantRole.COORDINATOR, partnership_id__in={r.partnership_id for r in due},
        user__is_active=True,
    ).exclude(user__email="").select_related("user"):  # fmt: skip
        coordinators[grant.partnership_id].append(grant.user)
    lists: dict[User, list[InformationRequest]] = defaultdict(list)
    for request in due:
        recipients = by_authority[request.partnership.lead_authority_id]
        for user in {*recipients, *coordinators[request.partnership_id]}:
            lists[user].append(request)
    for user, requests in lists.items():
        _send(user, requests, today)
    logger.info("information requests: %d reminder(s) sent", len(lists))
    return len(lists)


def _send(user: User, requests: list[InformationRequest], today: dt.date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        for request in requests:
            due = _due(request)
            late = gettext(" — EN RETARD") if due < today else ""
            url = reverse("transparency:request", args=[request.partnership.slug, request.pk])
            lines.append(
                gettext("- %(number)s (%(partnership)s) : réponse due le %(due)s%(late)s, %(url)s")
                % {
                    "number": request.number,
                    "partnership": request.partnership.title,
                    "due": due.isoformat(),
                    "late": late,
                    "url": url,
                }
            )
        subject = gettext("Sharaka : %(count)d demande(s) d'accès à l'information à traiter") % {
            "count": len(requests)
        }
        body = (
            gettext(
                "Bonjour,\n\nCes demandes d'accès à l'information (loi 31-13) arrivent à "
                "échéance ou sont en retard :\n\n"
            )
            + "\n".join(lines)
            + "\n"
        )
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()


@task()
def daily() -> dict[str, int]:
    return {
        "reminders": reminders_send(),
        "anonymised": services.requests_anonymise(),
    }
