"""The hash chain of decisions, signed minutes and errata (one chain per installation).

Each record stores its position, the previous record's hash and its own hash,
``sha256(prev_hash + canonical_json(content))``, where ``content`` is built from the
record's own columns (and, for minutes, their signatures). ``ChainLink`` indexes the chain
(one row per position); ``ChainHead`` is the last link, locked while a record is appended,
so that two records never take the same position.

``verify`` recomputes every hash in position order from the records as they are now in the
database: a record changed behind the application's back (a raw SQL ``UPDATE``) no longer
matches its stored hash, and a changed hash no longer matches the next record's link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction

from sharaka.meetings import rules
from sharaka.meetings.models import (
    ChainHead,
    ChainLink,
    ChainRecordType,
    Decision,
    Erratum,
    Minutes,
    MinutesSignature,
)


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


def _head() -> ChainHead:
    """The chain head, locked for this transaction (created on first use)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
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
    record.chain_hash = rules.chain_hash(head.hash, content())
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


def _records() -> Iterator[rules.ChainRecord]:
    links = list(ChainLink.objects.order_by("position"))
    ids: dict[str, list[int]] = {}
    for row in links:
        ids.setdefault(row.record_type, []).append(row.record_id)
    decisions = Decision.objects.in_bulk(ids.get(ChainRecordType.DECISION, []))
    minutes = Minutes.objects.prefetch_related("signatures").in_bulk(
        ids.get(ChainRecordType.MINUTES, [])
    )
    errata = Erratum.objects.in_bulk(ids.get(ChainRecordType.ERRATUM, []))
    for row in links:
        record: Any
        content: Any = None
        if row.record_type == ChainRecordType.DECISION:
            record = decisions.get(row.record_id)
            label = record.chain_label if record else f"decision (id {row.record_id})"
            if record is not None:
                content = decision_content(record)
        elif row.record_type == ChainRecordType.MINUTES:
            record = minutes.get(row.record_id)
            label = record.chain_label if record else f"minutes (id {row.record_id})"
            if record is not None:
                content = minutes_content(record, list(record.signatures.all()))
        else:
            record = errata.get(row.record_id)
            label = record.chain_label if record else f"erratum (id {row.record_id})"
            if record is not None:
                content = erratum_content(record)
        if record is not None and (
            record.chain_position != row.position or record.chain_hash != row.hash
        ):
            yield rules.ChainRecord(row.position, label, "", "", None)
            continue
        yield rules.ChainRecord(
            position=row.position,
            label=label,
            stored_prev=record.chain_prev_hash if record else "",
            stored_hash=record.chain_hash if record else "",
            content=content,
        )


def _unlinked() -> list[str]:
    """Chained records that the index does not list (inserted behind its back)."""
    problems = []
    linked = {(r, i) for r, i in ChainLink.objects.values_list("record_type", "record_id")}
    for record_type, model in (
        (ChainRecordType.DECISION, Decision),
        (ChainRecordType.MINUTES, Minutes),
        (ChainRecordType.ERRATUM, Erratum),
    ):
        chained = model.objects.filter(chain_position__isnull=False).order_by("chain_position")
        for record in chained:
            if (record_type.value, record.pk) not in linked:
                problems.append(f"{record.chain_label}: not in the chain index")
    return problems


def head_hash() -> str:
    head = ChainHead.objects.filter(pk=1).first()
    return head.hash if head is not None else rules.GENESIS


def verify() -> tuple[str | None, int]:
    """``(first problem, records checked)``; the problem is ``None`` when the chain holds."""
    records = list(_records())
    broken = rules.verify_chain(records)
    if broken is not None:
        problem = broken.problem
        if problem == "missing record":
            # A record present but whose position or hash disagrees with the index is
            # reported as an index mismatch; one that is gone as missing.
            problem = _missing_or_moved(broken)
        return f"{broken.label}: {problem}", len(records)
    head = ChainHead.objects.filter(pk=1).first()
    last_position = records[-1].position if records else 0
    last_hash = records[-1].stored_hash if records else rules.GENESIS
    if head is not None and (head.position, head.hash) != (last_position, last_hash):
        return (
            f"chain head (position {head.position}) does not match the last record "
            f"(position {last_position})",
            len(records),
        )
    unlinked = _unlinked()
    if unlinked:
        return unlinked[0], len(records)
    return None, len(records)


def _missing_or_moved(broken: rules.ChainBreak) -> str:
    row = ChainLink.objects.filter(position=broken.position).first()
    if row is None:
        return "missing record"
    model: Any = {
        ChainRecordType.DECISION: Decision,
        ChainRecordType.MINUTES: Minutes,
        ChainRecordType.ERRATUM: Erratum,
    }[ChainRecordType(row.record_type)]
    if model.objects.filter(pk=row.record_id).exists():
        return "position or hash differs from the chain index"
    return "missing record"
