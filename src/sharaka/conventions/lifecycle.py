"""The convention's fact for the lifecycle conditions (``partnerships.ports``)."""

from __future__ import annotations

from django.db.models import Subquery
from django.utils import timezone

from sharaka.conventions.models import ConventionVersion, Deliberation, Signatory, VersionStatus
from sharaka.conventions.rules import oversight
from sharaka.directory.selectors import calendars_get
from sharaka.partnerships.models import Partnership

SIGNED = (VersionStatus.SIGNED, VersionStatus.IN_FORCE)


def convention_signed(partnership: Partnership, organization_ids: frozenset[int]) -> bool:
    """Whether one signed (or in force) version has a signatory for every given organisation
    (one query)."""
    signed: dict[int, set[int]] = {}
    rows = Signatory.objects.filter(
        version__convention__partnership=partnership, version__status__in=SIGNED
    ).values_list("version_id", "organization_id")
    for version_id, organization_id in rows:
        signed.setdefault(version_id, set()).add(organization_id)
    return bool(organization_ids) and any(organization_ids <= orgs for orgs in signed.values())


def current_version_id(partnership: Partnership) -> Subquery:
    """The current signed version: the highest-numbered signed or in force one."""
    return Subquery(
        ConventionVersion.objects.filter(convention__partnership=partnership, status__in=SIGNED)
        .order_by("-number")
        .values("pk")[:1]
    )


def deliberations_recorded(partnership: Partnership, authority_ids: frozenset[int]) -> bool:
    """Whether every public party (``authority_ids``) has a deliberation approving the
    current signed version, transmitted, its oversight cleared (``rules.oversight.state``)
    on the authority's calendar (three queries; none without a public party)."""
    if not authority_ids:
        return False
    rows = Deliberation.objects.filter(
        party__partnership=partnership,
        party__organization_id__in=authority_ids,
        version=current_version_id(partnership),
    ).values_list(
        "party__organization_id", "session_date", "transmitted_on", "oversight",
        "financial_effect", "visa",
    )  # fmt: skip
    calendars = calendars_get(authority_ids)
    today = timezone.localdate()
    cleared: set[int] = set()
    for org_id, session, sent, answer, financial, visa in rows:
        steps = oversight.Steps(
            session, sent, oversight.Oversight(answer), financial, oversight.Visa(visa)
        )
        if oversight.state(steps, calendars[org_id], today) is oversight.State.CLEARED:
            cleared.add(org_id)
    return cleared == set(authority_ids)
