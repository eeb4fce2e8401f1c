"""Partnership writes: registry, parties, lifecycle, access grants."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from sharaka.core.access import Perm, Role, forget_grants, require, roles_for, signed_in
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.history import set_change_reason
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor, SignedIn
from sharaka.directory.models import Organization
from sharaka.partnerships import rules, selectors
from sharaka.partnerships.error_codes import PartnershipErrorCode as Code
from sharaka.partnerships.models import (
    GrantRole,
    Partnership,
    PartnershipRole,
    Party,
    PartyRole,
    StatusChoice,
    StatusTransition,
)

PARTNERSHIP_FIELDS = (
    "title", "slug", "kind", "category", "sector", "complexity", "lead_authority",
    "start_date", "end_date", "description",
)  # fmt: skip


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "partenariat"
    candidate, n = base, 2
    others = Partnership.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _check_lead_authority(by: Actor, lead: Organization | None) -> None:
    if lead is None:
        return
    if not lead.is_authority:
        raise ValidationFailed(
            gettext("La collectivité chef de file doit être une commune, un groupement ou une "
                    "province/région."),
            {"lead_authority": [gettext("Choisissez une collectivité territoriale.")]},
        )  # fmt: skip
    if Role.PLATFORM_ADMIN not in roles_for(by) and lead.pk != signed_in(by).organization_id:
        raise ValidationFailed(
            gettext("Vous ne pouvez créer un partenariat que pour votre propre collectivité."),
            {"lead_authority": [gettext("Choisissez votre collectivité.")]},
        )


def _sync_lead_party(partnership: Partnership) -> None:
    Party.objects.filter(partnership=partnership, role=PartyRole.LEAD).exclude(
        organization_id=partnership.lead_authority_id
    ).delete()
    Party.objects.get_or_create(
        partnership=partnership,
        organization_id=partnership.lead_authority_id,
        role=PartyRole.LEAD,
    )


@transaction.atomic
def partnership_create(*, by: Actor, fields: Mapping[str, object]) -> Partnership:
    require(by, Perm.PARTNERSHIP_CREATE)
    partnership = assign_fields(Partnership(), fields, allowed=PARTNERSHIP_FIELDS)
    _check_lead_authority(by, getattr(partnership, "lead_authority", None))
    if not partnership.slug:
        partnership.slug = _unique_slug(partnership.title)
    partnership.status = StatusChoice.DRAFT
    clean_and_save(partnership)
    _sync_lead_party(partnership)
    return partnership


@transaction.atomic
def partnership_update(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> Partnership:
    require(by, Perm.PARTNERSHIP_CHANGE, partnership)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    old_lead = partnership.lead_authority_id
    assign_fields(partnership, fields, allowed=PARTNERSHIP_FIELDS)
    if partnership.lead_authority_id != old_lead:
        require(by, Perm.PARTNERSHIP_TRANSITION, partnership)  # only the authority re-assigns
        _check_lead_authority(by, partnership.lead_authority)
    if not partnership.slug:
        partnership.slug = _unique_slug(partnership.title, exclude_pk=partnership.pk)
    clean_and_save(partnership)
    _sync_lead_party(partnership)
    return partnership


@transaction.atomic
def partnership_transition(
    *, by: Actor, partnership: Partnership, to_status: str, note: str = ""
) -> StatusTransition:
    """Move ``partnership`` to ``to_status`` if the lifecycle table allows it and every
    condition of the move is met (a refusal names each missing one), and record it."""
    require(by, Perm.PARTNERSHIP_TRANSITION, partnership)
    return _move(partnership, to_status, note, by=signed_in(by))


@transaction.atomic
def system_transition(*, partnership: Partnership, to_status: str, note: str) -> StatusTransition:
    """The same move made by Sharaka itself, with no user (a scheduled job: the expiry of a
    convention, ``closure.services.expire_due``): the same table and conditions, recorded
    with no author and its reason."""
    return _move(partnership, to_status, note, by=None)


def _move(
    partnership: Partnership, to_status: str, note: str, *, by: SignedIn | None
) -> StatusTransition:
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    current = rules.Status(locked.status)
    try:
        target = rules.Status(to_status)
    except ValueError:
        raise DomainError(
            Code.TRANSITION_NOT_ALLOWED,
            gettext("Statut inconnu : %(status)s") % {"status": to_status},
            field="to_status",
        ) from None
    if not rules.is_allowed(current, target):
        raise DomainError(
            Code.TRANSITION_NOT_ALLOWED,
            gettext("Un partenariat « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": StatusChoice(current).label, "to": StatusChoice(target).label},
            field="to_status",
        )
    unmet = [
        checked.condition
        for checked in rules.check_move(
            current, target, selectors.lifecycle_facts_get(partnership=locked), note
        )
        if not checked.met and checked.condition.available
    ]
    if unmet:
        raise DomainError(
            Code.CONDITIONS_NOT_MET,
            gettext("Conditions manquantes pour passer à « %(to)s » : %(missing)s.")
            % {
                "to": StatusChoice(target).label,
                "missing": " ; ".join(gettext(c.label) for c in unmet),
            },
            field="to_status",
        )
    locked.status = target.value
    set_change_reason(locked, note)
    locked.save(update_fields=["status", "updated_at"])
    partnership.status = target.value
    return StatusTransition.objects.create(
        partnership=locked, from_status=current, to_status=target, by=by, note=note
    )


@transaction.atomic
def party_add(
    *, by: Actor, partnership: Partnership, organization: Organization, role: str
) -> Party:
    require(by, Perm.PARTNERSHIP_CHANGE, partnership)
    if role == PartyRole.LEAD:
        raise DomainError(
            Code.LEAD_PARTY_PROTECTED,
            gettext("Le chef de file se change dans la fiche du partenariat."),
            field="role",
        )
    if Party.objects.filter(partnership=partnership, organization=organization, role=role).exists():
        raise DomainError(
            Code.PARTY_DUPLICATE,
            gettext("%(org)s est déjà partie à ce partenariat dans ce rôle.")
            % {"org": organization},
            field="organization",
        )
    return clean_and_save(Party(partnership=partnership, organization=organization, role=role))


@transaction.atomic
def party_remove(*, by: Actor, party: Party) -> None:
    require(by, Perm.PARTNERSHIP_CHANGE, party.partnership)
    if party.role == PartyRole.LEAD:
        raise DomainError(
            Code.LEAD_PARTY_PROTECTED,
            gettext("Le chef de file ne peut pas être retiré des parties."),
        )
    party.delete()


@transaction.atomic
def role_grant(
    *, by: Actor, partnership: Partnership, user: SignedIn, role: str
) -> PartnershipRole:
    require(by, Perm.PARTNERSHIP_MANAGE_ACCESS, partnership)
    if role not in GrantRole.values:
        raise ValidationFailed(gettext("Rôle inconnu."), {"role": [gettext("Rôle inconnu.")]})
    if PartnershipRole.objects.filter(user=user, partnership=partnership, role=role).exists():
        raise DomainError(
            Code.ROLE_DUPLICATE,
            gettext("%(user)s a déjà ce rôle dans ce partenariat.") % {"user": user},
            field="user",
        )
    grant = PartnershipRole.objects.create(user=user, partnership=partnership, role=role)
    forget_grants(user)
    return grant


@transaction.atomic
def role_revoke(*, by: Actor, grant: PartnershipRole) -> None:
    require(by, Perm.PARTNERSHIP_MANAGE_ACCESS, grant.partnership)
    grant.delete()
    forget_grants(grant.user)
