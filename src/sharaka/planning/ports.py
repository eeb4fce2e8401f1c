"""What planning needs from the management structure above it (``core.ports``), provided by
``structure`` from its ``AppConfig.ready``.

- ``staff_person_ids``: the people on a partnership's staff register (at any date), who may
  be responsible for an activity;
- ``delegations``: a partnership's delegations (M8), each with its ``activities``
  prefetched (with their version), shown beside the activities they cover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sharaka.core.ports import Port
from sharaka.partnerships.models import Partnership


class StaffSource(Protocol):
    def __call__(self, *, partnership: Partnership) -> set[int]: ...


class DelegationSource(Protocol):
    def __call__(self, *, partnership: Partnership) -> Sequence[Any]: ...


staff_person_ids: Port[StaffSource] = Port("planning: staff register")
delegations: Port[DelegationSource] = Port("planning: delegations")
