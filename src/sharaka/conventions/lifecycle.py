"""The convention's fact for the lifecycle conditions (``partnerships.ports``)."""

from __future__ import annotations

from sharaka.conventions.models import Signatory, VersionStatus
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
