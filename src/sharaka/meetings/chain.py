"""The hash chain of closed votes, decisions, signed minutes and errata (one chain per
installation).

Each record stores its position, the previous record's hash and its own hash,
``HMAC-SHA256(key, prev_hash + canonical_json(content))``, where ``content`` is built from
the record's own columns (a closed motion: with its ballots — for a secret vote the count
of choices per college, never who chose what —, minutes: with their signatures). The key
is not in the database (``SHARAKA_CHAIN_KEY``, else ``var/chain_key`` created on first
use, mode 0600): someone able to rewrite the database cannot recompute a chain that
verifies. ``ChainLink`` indexes the chain (one row per position); ``ChainHead`` is the last
link, locked while a record is appended, so that two records never take the same position.

``verify`` recomputes every hash in position order from the records as they are now in the
database: a record changed behind the application's back (a raw SQL ``UPDATE``) no longer
matches its stored hash, and a changed hash no longer matches the next record's link. What
no check inside the database can see — the last records removed and the head moved back —
is caught against a head published earlier (:class:`rules.Anchor`: the portal, the signed
minutes' PDF, an exported head file).
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.meetings import rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    Ballot,
    ChainHead,
    ChainLink,
    ChainRecordType,
    Decision,
    Erratum,
    Minutes,
    MinutesSignature,
    Motion,
    MotionStatus,
    SecretChoice,
    VotingModeChoice,
)


class ChainKeyMissing(Exception):
    """No key to verify with: neither ``SHARAKA_CHAIN_KEY`` nor the key file."""


def key(*, create: bool = False) -> bytes:
    """The chain's key: ``SHARAKA_CHAIN_KEY``, else the key file (``var/chain_key``).

    ``create``: write a random key to the file (mode 0600) when there is none — on the first
    append. Verification never creates one: a lost key is reported, not replaced."""
    configured = settings.SHARAKA_CHAIN_KEY
    if configured:
        return str(configured).encode("utf-8")
    path = Path(settings.SHARAKA_CHAIN_KEY_FILE)
    if not path.exists():
        if not create:
            raise ChainKeyMissing(
                f"no chain key: set SHARAKA_CHAIN_KEY or restore the key file {path}"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # written by a concurrent process meanwhile
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        value = path.read_text().strip()
    except OSError as error:  # e.g. run by a user who may not read the service's key
        raise ChainKeyMissing(f"cannot read the chain key file {path}: {error.strerror}") from None
    if not value:
        raise ChainKeyMissing(f"the chain key file {path} is empty")
    return value.encode("utf-8")


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def decision_content(decision: Decision) -> dict[str, Any]:
    return {
        "type": "decision",
        "number": decision.number,
        "partnership_id": decision.partnership_id,
        "year": decision.year,
        "sequence": decision.sequence,
        "meeting_id": decision.meeting_id,
        "item_id": decision.item_id,
        "motion_id": decision.motion_id,
        "kind": decision.kind,
        "title": decision.title,
        "text": decision.text,
        "decided_on": decision.decided_on.isoformat(),
        "snapshot": decision.snapshot,
        "created_by_id": decision.created_by_id,
        "created_at": _when(decision.created_at),
    }


def minutes_content(minutes: Minutes, signatures: list[MinutesSignature]) -> dict[str, Any]:
    return {
        "type": "minutes",
        "meeting_id": minutes.meeting_id,
        "content": minutes.content,
        "opening_text": minutes.opening_text,
        "item_notes": minutes.item_notes,
        "closing_text": minutes.closing_text,
        "signed_at": _when(minutes.signed_at),
        "signatures": [
            {
                "role": s.role,
                "officer_id": s.officer_id,
                "signer_name": s.signer_name,
                "in_person": s.in_person,
                "signed_by_id": s.signed_by_id,
                "signed_at": _when(s.signed_at),
            }
            for s in sorted(signatures, key=lambda s: s.role)
        ],
    }


def erratum_content(erratum: Erratum) -> dict[str, Any]:
    return {
        "type": "erratum",
        "minutes_id": erratum.minutes_id,
        "text": erratum.text,
        "created_by_id": erratum.created_by_id,
        "created_at": _when(erratum.created_at),
    }


def motion_content(
    motion: Motion, ballots: Iterable[Ballot], secret_choices: Iterable[SecretChoice]
) -> dict[str, Any]:
    """A closed vote: the motion, its outcome, and its ballots. A secret vote's ballots
    name who voted (their choice is empty); what was chosen is counted per college, the
    ``SecretChoice`` rows themselves (their random keys) are not part of it (ADR 0009)."""
    secret = motion.voting_mode == VotingModeChoice.SECRET
    counts: Counter[tuple[str, str]] = Counter((c.college, c.choice) for c in secret_choices)
    colleges: dict[str, dict[str, int]] = {}
    for (college, choice), count in sorted(counts.items()):
        colleges.setdefault(college, {})[choice] = count
    return {
        "type": "motion",
        "motion_id": motion.pk,
        "item_id": motion.item_id,
        "round": motion.round,
        "text": motion.text,
        "decision_kind": motion.decision_kind,
        "voting_mode": motion.voting_mode,
        "appoint_role": motion.appoint_role,
        "appoint_mandate_id": motion.appoint_mandate_id,
        "status": motion.status,
        "opened_at": _when(motion.opened_at),
        "closed_at": _when(motion.closed_at),
        "closed_by_id": motion.closed_by_id,
        "adopted": motion.adopted,
        "outcome": motion.outcome,
        "ballots": [
            {
                "mandate_id": b.mandate_id,
                "choice": b.choice,
                "by_proxy": b.by_proxy,
                "entered_by_secretary": b.entered_by_secretary,
                "recorded_by_id": b.recorded_by_id,
                "recorded_at": _when(b.recorded_at),
            }
            for b in sorted(ballots, key=lambda b: b.mandate_id)
        ],
        "secret_counts": colleges if secret else None,
    }


def _head() -> ChainHead:
    """The chain head, locked for this transaction (created on first use)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if ChainLink.objects.exists():
            # The head row is gone but the chain is not: never restart it at position 1.
            raise DomainError(
                Code.CHAIN_BROKEN,
                gettext(
                    "La chaîne d'empreintes est endommagée (tête absente) : l'administrateur "
                    "doit la vérifier (sharaka verify) avant tout nouvel enregistrement."
                ),
            )
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1)
        except IntegrityError:
            pass  # created by a concurrent transaction meanwhile
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def append(
    record_type: ChainRecordType, record: Any, content: Callable[[], dict[str, Any]]
) -> None:
    """Give ``record`` (unsaved, or saved but not yet chained) its place in the chain.

    Sets ``chain_position``, ``chain_prev_hash`` and ``chain_hash`` on ``record`` and moves
    the head; the caller saves the record, then calls :func:`link` once it has an id.
    Must run inside the caller's transaction."""
    head = _head()
    record.chain_position = head.position + 1
    record.chain_prev_hash = head.hash
    record.chain_hash = rules.chain_hash(head.hash, content(), key(create=True))
    head.position = record.chain_position
    head.hash = record.chain_hash
    head.save(update_fields=["position", "hash"])


def link(record_type: ChainRecordType, record: Any) -> None:
    ChainLink.objects.create(
        position=record.chain_position,
        record_type=record_type,
        record_id=record.pk,
        hash=record.chain_hash,
    )


# --- Verification ----------------------------------------------------------------------------

_MODELS: dict[str, Any] = {
    ChainRecordType.MOTION: Motion,
    ChainRecordType.DECISION: Decision,
    ChainRecordType.MINUTES: Minutes,
    ChainRecordType.ERRATUM: Erratum,
}


def _loaded(record_type: str, ids: list[int]) -> dict[int, Any]:
    if record_type == ChainRecordType.MOTION:
        return Motion.objects.prefetch_related("ballots", "secret_choices").in_bulk(ids)
    if record_type == ChainRecordType.MINUTES:
        return Minutes.objects.prefetch_related("signatures").in_bulk(ids)
    if record_type not in _MODELS:
        return {}  # a type the application never writes: every such record is missing
    return dict(_MODELS[record_type].objects.in_bulk(ids))


def content_of(record_type: str, record: Any) -> dict[str, Any]:
    """The content hashed for ``record`` as it is now in the database."""
    if record_type == ChainRecordType.MOTION:
        return motion_content(record, record.ballots.all(), record.secret_choices.all())
    if record_type == ChainRecordType.DECISION:
        return decision_content(record)
    if record_type == ChainRecordType.MINUTES:
        return minutes_content(record, list(record.signatures.all()))
    return erratum_content(record)


def _records() -> Iterator[rules.ChainRecord]:
    links = list(ChainLink.objects.order_by("position"))
    ids: dict[str, list[int]] = {}
    for row in links:
        ids.setdefault(row.record_type, []).append(row.record_id)
    loaded = {record_type: _loaded(record_type, pks) for record_type, pks in ids.items()}
    for row in links:
        record = loaded[row.record_type].get(row.record_id)
        if record is None:
            label = f"{row.record_type} (id {row.record_id})"
            yield rules.ChainRecord(row.position, label, "", "", None)
            continue
        label = record.chain_label
        if record.chain_position != row.position or record.chain_hash != row.hash:
            yield rules.ChainRecord(row.position, label, "", "", None)
            continue
        yield rules.ChainRecord(
            position=row.position,
            label=label,
            stored_prev=record.chain_prev_hash,
            stored_hash=record.chain_hash,
            content=content_of(row.record_type, record),
        )


def _unlinked() -> list[str]:
    """Chained records that the index does not list (inserted behind its back), and closed
    votes outside the chain (every vote is sealed when it closes)."""
    problems = []
    linked = {(r, i) for r, i in ChainLink.objects.values_list("record_type", "record_id")}
    for record_type, model in _MODELS.items():
        chained = model.objects.filter(chain_position__isnull=False).order_by("chain_position")
        for record in chained:
            if (str(record_type), record.pk) not in linked:
                problems.append(f"{record.chain_label}: not in the chain index")
    unsealed = Motion.objects.filter(status=MotionStatus.CLOSED, chain_position__isnull=True)
    for motion in unsealed.order_by("pk")[:1]:
        problems.append(f"{motion.chain_label}: closed but not in the chain")
    return problems


def head_get() -> tuple[int, str]:
    """``(position, hash)`` of the chain's head, as published (portal, minutes)."""
    head = ChainHead.objects.filter(pk=1).first()
    return (head.position, head.hash) if head is not None else (0, rules.GENESIS)


def head_hash() -> str:
    return head_get()[1]


@dataclass(frozen=True)
class Verification:
    problem: str | None  # the first problem, ``None`` when the chain holds
    count: int  # records checked
    position: int  # of the last record
    hash: str  # of the last record (the head)


def verify(*, anchor: rules.Anchor | None = None) -> Verification:
    """Recompute the chain; with ``anchor``, also check it still holds a head published
    earlier. Raises :class:`ChainKeyMissing` when there is something to check and no key."""
    records = list(_records())
    last_position = records[-1].position if records else 0
    last_hash = records[-1].stored_hash if records else rules.GENESIS

    def result(problem: str | None) -> Verification:
        return Verification(problem, len(records), last_position, last_hash)

    if records:
        broken = rules.verify_chain(records, key())
        if broken is not None:
            problem = broken.problem
            if problem == "missing record":
                # A record present but whose position or hash disagrees with the index is
                # reported as an index mismatch; one that is gone as missing.
                problem = _missing_or_moved(broken)
            return result(f"{broken.label}: {problem}")
    head = ChainHead.objects.filter(pk=1).first()
    if head is None and records:
        return result(f"chain head missing (last record at position {last_position})")
    if head is not None and (head.position, head.hash) != (last_position, last_hash):
        return result(
            f"chain head (position {head.position}) does not match the last record "
            f"(position {last_position})"
        )
    unlinked = _unlinked()
    if unlinked:
        return result(unlinked[0])
    if anchor is not None:
        return result(rules.anchor_problem(records, anchor))
    return result(None)


def _missing_or_moved(broken: rules.ChainBreak) -> str:
    row = ChainLink.objects.filter(position=broken.position).first()
    if row is None:
        return "missing record"
    model = _MODELS.get(row.record_type)
    if model is not None and model.objects.filter(pk=row.record_id).exists():
        return "position or hash differs from the chain index"
    return "missing record"
