"""The interim governance settings: the rules a partnership applies until its convention
fixes them."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.fractions import normalize_share
from sharaka.governance.models import GovernanceSettings
from sharaka.governance.rules.parse import POLICY_KEYS
from sharaka.governance.selectors import rules_in_force_get
from sharaka.partnerships.models import Partnership

SETTINGS_FIELDS = (
    "method",
    "threshold",
    "base",
    "quorum",
    "quorum_per_college",
    "max_proxies_per_member",
    "tie_break",
    "fallback_method",
    "fallback_threshold",
    "fallback_base",
    "fallback_from_round",
    *POLICY_KEYS,
    "notice_period_days",
    "second_convocation_quorum",
    "expense_tolerance",
    "plan_adoption_deadline_days",
    "audit_frequency_months",
    "evaluation_frequency_months",
)
_FRACTION_FIELDS = (
    "threshold",
    "quorum",
    "quorum_per_college",
    "fallback_threshold",
    "max_seat_share_per_organization",
    "min_women_share",
    "second_convocation_quorum",
    "expense_tolerance",
)


def governance_settings_ensure(*, partnership: Partnership) -> GovernanceSettings:
    """The partnership's settings record, created with the defaults when missing."""
    settings, _created = GovernanceSettings.objects.get_or_create(partnership=partnership)
    return settings


@transaction.atomic
def governance_settings_update(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> GovernanceSettings:
    require(by, Perm.GOVERNANCE_SETTINGS_CHANGE, partnership)
    rules = rules_in_force_get(partnership=partnership)
    if rules.source != "settings":
        raise DomainError(
            Code.RULES_OWNED_BY_CONVENTION,
            gettext(
                "Ces règles sont fixées par la convention en vigueur (%(source)s) : "
                "modifiez-les par un avenant."
            )
            % {"source": rules.source_label},
        )
    governance_settings_ensure(partnership=partnership)
    settings = GovernanceSettings.objects.select_for_update(of=("self",)).get(
        partnership=partnership
    )
    assign_fields(settings, fields, allowed=SETTINGS_FIELDS)
    errors: dict[str, list[str]] = {}
    for name in _FRACTION_FIELDS:
        value = str(getattr(settings, name) or "").strip()
        try:
            setattr(settings, name, normalize_share(value) if value else "")
        except (ValueError, ZeroDivisionError):
            errors[name] = [gettext("Fraction mal formée : écrivez par exemple 2/3 ou 0,5.")]
    if errors:
        raise ValidationFailed(gettext("Fraction mal formée."), errors)
    settings.required_colleges = sorted({str(c) for c in settings.required_colleges or []})
    return clean_and_save(settings)
