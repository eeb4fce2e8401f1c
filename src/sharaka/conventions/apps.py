from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "sharaka.conventions"
    label = "conventions"
    verbose_name = _("Conventions")

    def ready(self) -> None:
        from sharaka.conventions.lifecycle import convention_signed, deliberations_recorded
        from sharaka.conventions.selectors import convention_rules_get
        from sharaka.conventions.todo import deliberations_todo
        from sharaka.core import todo
        from sharaka.governance import ports as governance_ports
        from sharaka.partnerships import ports as partnership_ports

        governance_ports.convention_rules.provide(convention_rules_get)
        partnership_ports.convention_signed.provide(convention_signed)
        partnership_ports.deliberations_recorded.provide(deliberations_recorded)
        todo.register("conventions.deliberations", deliberations_todo)
