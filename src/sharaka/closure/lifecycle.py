"""What the lifecycle's conditions need from the closure (``partnerships.ports.closure_facts``):
the recorded ground of termination, whether every wind-down item is closed, whether the final
accounts are approved. Three queries whatever the size."""

from __future__ import annotations

from sharaka.closure import rules
from sharaka.closure.models import FinalAccounts, Termination, WindDownItem
from sharaka.partnerships.models import Partnership


def closure_facts(partnership: Partnership) -> tuple[str, bool, bool]:
    ground = (
        Termination.objects.filter(partnership=partnership).values_list("ground", flat=True).first()
    )
    statuses = set(
        WindDownItem.objects.filter(partnership=partnership).values_list("status", flat=True)
    )
    approved = FinalAccounts.objects.filter(partnership=partnership).exists()
    return ground or "", rules.wind_down_closed(statuses), approved
