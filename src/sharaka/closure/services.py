"""Closure writes: start a termination (with the lifecycle move, one transaction), let a
convention expire (the daily job), settle wind-down items, approve the final accounts."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from sharaka.closure import rules, selectors
from sharaka.closure.error_codes import ClosureErrorCode as Code
from sharaka.closure.models import (
    Evidence,
    FinalAccounts,
    FinalShare,
    ItemKind,
    ItemStatus,
    Renewal,
    Termination,
    WindDownItem,
)
from sharaka.core.access import Perm, require, require_open, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor, SignedIn
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.finance.models import Contribution
from sharaka.meetings.models import Decision
from sharaka.partnerships import services as partnership_services
from sharaka.partnerships.models import Partnership
from sharaka.structure.models import Asset, Delegation, StaffAssignment

logger = logging.getLogger(__name__)


def _check_document(upload: UploadedFile[bytes], field: str) -> str:
    """The content type of an accepted PDF, PNG or JPEG (refused otherwise)."""
    check_upload_size(upload, field=field, label=gettext("Fichier"), code=Code.DOCUMENT_SIZE)
    if document_problem(upload) is not UploadProblem.NONE:
        raise DomainError(
            Code.DOCUMENT_TYPE,
            gettext("Le document doit être un PDF, un PNG ou un JPEG non vide."),
            field=field,
        )
    return DOCUMENT_FORMATS[(upload.name or "").rsplit(".", 1)[-1].lower()]


# ------------------------------------------------------------------------ termination


def _note(termination: Termination) -> str:
    """The reason recorded on the lifecycle move: the ground, the dates, the decision."""
    parts = [gettext(termination.spec.label)]
    if termination.notice_days:
        parts.append(
            gettext("préavis de %(days)s jours à compter du %(date)s")
            % {"days": termination.notice_days, "date": termination.notice_on.strftime("%d/%m/%Y")}
        )
    parts.append(
        gettext("effet le %(date)s") % {"date": termination.effective_date.strftime("%d/%m/%Y")}
    )
    if termination.decision is not None:
        parts.append(gettext("décision %(number)s") % {"number": termination.decision.number})
    return " ; ".join(parts) + (f". {termination.reason}" if termination.reason else ".")


@transaction.atomic
def termination_start(
    *,
    by: Actor,
    partnership: Partnership,
    ground: str,
    notice_on: date,
    reason: str,
    decision: Decision | None = None,
    party: Any = None,
    document: UploadedFile[bytes] | None = None,
) -> Termination:
    """Record the ground, notice and effective date and move the partnership to "En cours de
    dissolution" with them as the move's reason (one transaction: a refused move records
    nothing), then draw up the wind-down checklist from the registers."""
    require(by, Perm.PARTNERSHIP_TRANSITION, partnership)
    try:
        spec = rules.GROUNDS[rules.Ground(ground)]
    except ValueError:
        raise DomainError(Code.NOT_TERMINABLE, gettext("Motif inconnu."), field="ground") from None
    if Termination.objects.filter(partnership=partnership).exists():
        raise DomainError(
            Code.ALREADY_STARTED, gettext("La fin de ce partenariat est déjà enregistrée.")
        )
    if spec.needs_decision and decision is None:
        raise DomainError(
            Code.DECISION_REQUIRED,
            gettext("Ce motif de fin se fonde sur une décision du conseil : choisissez-la."),
            field="decision",
        )
    if decision is not None and decision.partnership_id != partnership.pk:
        raise DomainError(Code.DECISION_REQUIRED, gettext("Décision inconnue."), field="decision")
    terms = selectors.terms_get(partnership=partnership, at=notice_on)
    days = rules.notice_days_for(spec.code, terms.notice)
    termination = Termination(
        partnership=partnership, ground=spec.code.value, notice_on=notice_on, notice_days=days,
        effective_date=rules.effective_date(spec.code, notice_on, days), party=party,
        decision=decision, reason=reason.strip(), recorded_by=signed_in(by),
    )  # fmt: skip
    if document is not None:
        _check_document(document, "document")
        termination.document_name = (document.name or "")[:255]
        termination.document.save(document.name or "document", document, save=False)
    termination.save()
    move = partnership_services.partnership_transition(
        by=by, partnership=partnership, to_status="terminating", note=_note(termination)
    )
    termination.transition = move
    termination.save(update_fields=["transition", "updated_at"])
    _draw_up(partnership, termination)
    return termination


def expire_due(*, today: date | None = None) -> list[str]:
    """The daily job (``closure.expire_due``): every active or suspended partnership whose
    convention has reached its end date moves to "En cours de dissolution", recorded with
    no author and the ground "Expiration", unless its duration clause renews it tacitly:
    then it is renewed for the clause's period (``renew``). Returns the slugs moved; one
    that cannot move (a condition missing) is logged and left for the officer."""
    today = today or timezone.localdate()
    moved: list[str] = []
    for partnership in selectors.expiring():
        end = selectors.convention_end_get(partnership=partnership, at=today)
        if not rules.expired(end, today):
            continue
        terms = selectors.terms_get(partnership=partnership, at=today)
        if terms.end == end and rules.renews(terms.renewal, terms.renewal_years):
            renew(partnership, terms, today)
            continue
        try:
            _expire(partnership, end, today)  # type: ignore[arg-type]
        except DomainError:
            logger.exception("closure: %s could not expire", partnership.slug)
            continue
        moved.append(partnership.slug)
    if moved:
        logger.info("closure: %d partnership(s) expired: %s", len(moved), ", ".join(moved))
    return moved


@transaction.atomic
def renew(partnership: Partnership, terms: selectors.Terms, today: date) -> list[Renewal]:
    """Tacit renewal (the duration clause says so): on the day the term is reached, the
    convention is renewed for the clause's period, recorded once per period (append-only),
    as many periods as needed to pass ``today`` (a job that did not run for a while)."""
    years = int(terms.renewal_years or 0)
    end, count, made = terms.end, terms.renewals, []
    while end is not None and years and end <= today:
        count += 1
        new_end = rules.convention_end(
            terms.started_on, terms.duration_years, terms.renewal, years, count
        )
        assert new_end is not None
        made.append(Renewal.objects.create(
            partnership=partnership, renewed_on=today, previous_end=end, new_end=new_end,
            years=years, source=terms.source[:100],
        ))  # fmt: skip
        end = new_end
    if made:
        logger.info("closure: %s tacitly renewed until %s", partnership.slug, end)
    return made


@transaction.atomic
def _expire(partnership: Partnership, end: date, today: date) -> Termination:
    termination = Termination.objects.create(
        partnership=partnership, ground=rules.Ground.EXPIRY.value, notice_on=end,
        notice_days=0, effective_date=end,
        reason=gettext("Fin de la convention constatée par Sharaka le %(date)s.")
        % {"date": today.strftime("%d/%m/%Y")},
    )  # fmt: skip
    move = partnership_services.system_transition(
        partnership=partnership, to_status="terminating", note=_note(termination)
    )
    termination.transition = move
    termination.save(update_fields=["transition", "updated_at"])
    _draw_up(partnership, termination)
    return termination


def _draw_up(partnership: Partnership, termination: Termination) -> list[WindDownItem]:
    """The wind-down checklist from the registers (``rules.ITEM_SPECS``): a fixed number of
    queries, one bulk insert."""
    day = termination.notice_on
    lead = partnership.lead_authority_id
    rows: list[tuple[str, str, int | None, int | None]] = []
    for asset in Asset.objects.filter(partnership=partnership).order_by("kind", "name", "pk"):
        rows.append((ItemKind.ASSET, f"{asset.name}" + (f" ({asset.reference})"
                     if asset.reference else ""), asset.pk, asset.owner_id))  # fmt: skip
    staff = (
        StaffAssignment.objects.filter(structure__partnership=partnership)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person")
        .order_by("start_date", "pk")
    )
    for row in staff:
        rows.append((ItemKind.STAFF, f"{row.person} — {row.get_role_display()}", row.pk,
                     row.origin_organization_id))  # fmt: skip
    delegations = Delegation.objects.filter(partnership=partnership).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    ).select_related("delegate").order_by("start_date", "pk")  # fmt: skip
    for delegation in delegations:
        rows.append((ItemKind.DELEGATION, str(delegation), delegation.pk, delegation.delegate_id))
    unpaid = (
        Contribution.objects.filter(partnership=partnership, received__lt=F("pledged"))
        .values("organization_id", "organization__name")
        .annotate(pledged=Sum("pledged"), received=Sum("received"))
        .order_by("organization__name", "organization_id")
    )
    for due in unpaid:
        rows.append((ItemKind.CONTRIBUTION,
                     gettext("%(org)s : %(left)s promis et non reçus")
                     % {"org": due["organization__name"],
                        "left": f"{due['pledged'] - due['received']:.2f}"},
                     None, due["organization_id"]))  # fmt: skip
    rows.append((ItemKind.FINAL_ACCOUNTS, gettext("Comptes de clôture approuvés par le conseil"),
                 None, lead))  # fmt: skip
    rows.append((ItemKind.DOCUMENTS, gettext("Documents et registres archivés"), None, lead))
    created: list[WindDownItem] = bulk_create_with_history(
        [WindDownItem(partnership=partnership, position=n, kind=kind, subject=subject[:300],
                     source_id=source, owner_id=owner)
        for n, (kind, subject, source, owner) in enumerate(rows, start=1)],
        WindDownItem,
    )  # fmt: skip
    return created


# ---------------------------------------------------------------------- wind-down items

ITEM_FIELDS = ("owner", "status", "disposition", "notes")


def _differs(item: WindDownItem, name: str, value: Any) -> bool:
    if name == "owner":
        return bool(item.owner_id != getattr(value, "pk", value))
    return bool(getattr(item, name) != (value or ""))


@transaction.atomic
def item_update(
    *,
    by: Actor,
    item: WindDownItem,
    fields: Mapping[str, Any],
    evidence: UploadedFile[bytes] | None = None,
    evidence_title: str = "",
) -> WindDownItem:
    """Change an item's owner, state, disposition or notes, with an optional piece of
    evidence. While the partnership winds down, anything; once it is terminated, only notes
    and evidence (closure records), never reopening an item."""
    partnership = item.partnership
    require(by, Perm.CLOSURE_CHANGE, partnership)
    locked = WindDownItem.objects.select_for_update().get(pk=item.pk)
    status = partnership.status
    changed = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    if status == "terminated":
        if any(_differs(locked, k, v) for k, v in changed.items() if k != "notes"):
            require_open(partnership)
    elif status != "terminating":
        raise DomainError(
            Code.NOT_WINDING_DOWN,
            gettext("La liste de liquidation ne se modifie que pendant la dissolution."),
        )
    for name, value in changed.items():
        setattr(locked, name, value if value is not None or name == "owner" else "")
    new_status = rules.ItemStatus(locked.status)
    problem = rules.item_problem(rules.ItemKind(locked.kind), new_status, locked.disposition)
    if problem == "automatic":
        raise DomainError(
            Code.ITEM_INVALID,
            gettext("Cet élément est soldé par l'approbation des comptes de clôture."),
            field="status",
        )
    if problem:
        raise DomainError(
            Code.ITEM_INVALID,
            gettext("Indiquez le sort de cet élément (parmi ceux de sa nature)."),
            field="disposition",
        )
    if new_status in rules.CLOSED and locked.closed_at is None:
        locked.closed_by, locked.closed_at = signed_in(by), timezone.now()
    elif new_status not in rules.CLOSED:
        locked.closed_by, locked.closed_at = None, None
    locked.save()
    if evidence is not None:
        content_type = _check_document(evidence, "evidence")
        name = evidence.name or "document"
        document = Evidence(
            item=locked, title=evidence_title.strip() or name, original_name=name[:255],
            content_type=content_type, size=evidence.size or 0, uploaded_by=signed_in(by),
        )  # fmt: skip
        document.file.save(name, evidence, save=False)
        document.save()
    return locked


# --------------------------------------------------------------------- final accounts


@transaction.atomic
def accounts_approve(
    *, by: Actor, partnership: Partnership, decision: Decision | None = None
) -> FinalAccounts:
    """Record the final accounts as computed now, with each party's share, and close the
    checklist's item "final accounts". Written once: approved accounts never change."""
    require(by, Perm.CLOSURE_CHANGE, partnership)
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if locked.status != "terminating":
        require_open(locked)
        raise DomainError(
            Code.NOT_WINDING_DOWN,
            gettext("Les comptes de clôture s'approuvent pendant la dissolution."),
        )
    if FinalAccounts.objects.filter(partnership=locked).exists():
        raise DomainError(
            Code.ACCOUNTS_APPROVED, gettext("Les comptes de clôture sont déjà approuvés.")
        )
    if decision is not None and decision.partnership_id != locked.pk:
        raise DomainError(Code.DECISION_REQUIRED, gettext("Décision inconnue."), field="decision")
    view = selectors.accounts_get(partnership=locked)
    user: SignedIn = signed_in(by)
    accounts = FinalAccounts.objects.create(
        partnership=locked, currency=view.currency, received=view.received, spent=view.spent,
        balance=view.balance, key_source=view.key_source, method=view.method, decision=decision,
        approved_by=user, approved_at=timezone.now(),
    )  # fmt: skip
    FinalShare.objects.bulk_create(
        FinalShare(accounts=accounts, organization_id=row.organization_id, key=row.key,
                   amount=row.amount, position=n)
        for n, row in enumerate(view.shares, start=1)
    )  # fmt: skip
    for item in WindDownItem.objects.filter(partnership=locked, kind=ItemKind.FINAL_ACCOUNTS):
        item.status, item.closed_by, item.closed_at = ItemStatus.DONE, user, timezone.now()
        item.notes = gettext("Approuvés le %(date)s%(decision)s.") % {
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "decision": f" ({decision.number})" if decision else "",
        }
        item.save()
    return accounts
