"""Re-seal the hash chain with the keyed scheme (ADR 0011).

Before: ``sha256(prev_hash + canonical_json(content))`` over decisions, signed minutes and
errata. After: ``HMAC-SHA256(key, ...)`` with a key kept outside the database, and closed
votes (motion, outcome, ballots; secret votes: counts per college) in the chain too.

1. The existing chain is verified with the old scheme first: if it is already broken, the
   migration stops and names the record (re-sealing would launder the alteration).
2. Every record keeps its position and is re-hashed in order with the new scheme.
3. Votes closed before this migration are sealed after them, in the order they closed.

The anchor starts here: a head published before this migration (an unkeyed hash) is not in
the new chain; the migration prints the old head and the new one so they can be recorded.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import migrations

OLD_GENESIS = "0" * 64


class LegacyChainBroken(RuntimeError):
    pass


def _legacy_hash(prev_hash: str, content: Any) -> str:
    from sharaka.meetings import rules

    return hashlib.sha256((prev_hash + rules.canonical_json(content)).encode()).hexdigest()


def reseal(apps: Any, schema_editor: Any) -> None:
    from sharaka.meetings import chain, rules

    ChainLink = apps.get_model("meetings", "ChainLink")
    ChainHead = apps.get_model("meetings", "ChainHead")
    Motion = apps.get_model("meetings", "Motion")
    models = {
        "decision": apps.get_model("meetings", "Decision"),
        "minutes": apps.get_model("meetings", "Minutes"),
        "erratum": apps.get_model("meetings", "Erratum"),
        "motion": Motion,
    }
    links = list(ChainLink.objects.order_by("position"))
    unsealed = list(
        Motion.objects.filter(status="closed", chain_position__isnull=True).order_by(
            "closed_at", "pk"
        )
    )
    if not links and not unsealed:
        return
    # 1. The chain as it is must hold under the old scheme.
    previous = OLD_GENESIS
    records = []
    for expected, link in enumerate(links, start=1):
        model = models.get(link.record_type)
        record = model.objects.filter(pk=link.record_id).first() if model else None
        where = f"{link.record_type} (id {link.record_id}, position {link.position})"
        if record is None or link.position != expected:
            raise LegacyChainBroken(f"hash chain broken before re-sealing: {where} missing")
        content = chain.content_of(link.record_type, record)
        if (
            record.chain_position != link.position
            or record.chain_hash != link.hash
            or record.chain_prev_hash != previous
            or _legacy_hash(previous, content) != record.chain_hash
        ):
            raise LegacyChainBroken(f"hash chain broken before re-sealing: {where} altered")
        previous = record.chain_hash
        records.append((link, record, content))
    old_head = previous
    # 2. Re-hash in order with the key; 3. then seal the votes closed before.
    key = chain.key(create=True)
    previous, position = rules.GENESIS, 0
    for link, record, content in records:
        position = link.position
        new_hash = rules.chain_hash(previous, content, key)
        type(record).objects.filter(pk=record.pk).update(
            chain_prev_hash=previous, chain_hash=new_hash
        )
        ChainLink.objects.filter(position=position).update(hash=new_hash)
        previous = new_hash
    for motion in unsealed:
        position += 1
        new_hash = rules.chain_hash(
            previous,
            chain.content_of("motion", motion),
            key,
        )
        Motion.objects.filter(pk=motion.pk).update(
            chain_position=position, chain_prev_hash=previous, chain_hash=new_hash
        )
        ChainLink.objects.create(
            position=position, record_type="motion", record_id=motion.pk, hash=new_hash
        )
        previous = new_hash
    ChainHead.objects.update_or_create(pk=1, defaults={"position": position, "hash": previous})
    print(  # noqa: T201 - an operator must be able to record both heads
        f"\n  hash chain re-sealed with its key: {len(records)} records re-hashed, "
        f"{len(unsealed)} closed votes sealed; old head {old_head}, "
        f"new head {position}:{previous}"
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_motion_chain")]

    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
