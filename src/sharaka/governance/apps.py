from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "sharaka.governance"
    label = "governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from sharaka.directory.selectors import workplace_source_register
        from sharaka.governance.lifecycle import board_facts
        from sharaka.governance.selectors import person_workplaces
        from sharaka.partnerships import ports as partnership_ports

        workplace_source_register(person_workplaces)
        partnership_ports.board_facts.provide(board_facts)
