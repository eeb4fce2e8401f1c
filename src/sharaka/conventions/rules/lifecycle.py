"""A version's life: its content hash stored at signature, and the statuses it goes through.
Pure: no Django import, like the whole package."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from sharaka.conventions.rules.values import ClauseData

# ---------------------------------------------------------------------------------- hash


def content_hash(
    clauses: Sequence[ClauseData],
    *,
    meta: Mapping[str, Any],
    signatories: Sequence[Mapping[str, Any]] = (),
) -> str:
    """SHA-256 of the canonical JSON of a version's content, stored at signature."""
    document = {
        "meta": dict(meta),
        "clauses": [
            {"key": c.key, "code": c.code, "order": c.order, "params": c.params,
             "titles": {k: v for k, v in c.titles.items() if v},
             "texts": {k: v for k, v in c.texts.items() if v}}
            for c in sorted(clauses, key=lambda c: c.key)
        ],
        "signatories": list(signatories),
    }  # fmt: skip
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


# ------------------------------------------------------------------------ version status


class Status(StrEnum):
    DRAFT = "draft"
    UNDER_NEGOTIATION = "under_negotiation"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    ENDED = "ended"


#: The life of a version: drafted, negotiated (and sent back to drafting if need be),
#: signed, in force, ended. A signed version may also end without ever entering into force.
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.UNDER_NEGOTIATION}),
    Status.UNDER_NEGOTIATION: frozenset({Status.DRAFT, Status.SIGNED}),
    Status.SIGNED: frozenset({Status.IN_FORCE, Status.ENDED}),
    Status.IN_FORCE: frozenset({Status.ENDED}),
    Status.ENDED: frozenset(),
}


def allowed_next(status: Status) -> frozenset[Status]:
    return TRANSITIONS[status]
